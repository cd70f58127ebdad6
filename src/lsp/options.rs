//! The editor's settings for the server, from `initializationOptions` and
//! `workspace/didChangeConfiguration`. They mean what the command line's flags mean: `select`
//! replaces the configuration file's `select`, `ignore` adds to its `ignore`, `model` and
//! `apiVersion` replace its `model` and `api-version`, and `config` names one configuration
//! file for every document, like `check --config`.
//!
//! The settings may be given bare or under a `claude-preflight` (or `claudePreflight`) key, as
//! editors nest them by server name.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Map, Value};

use crate::config::Flags;
use crate::facts::api::ApiVersion;
use crate::rules::Severity;
use crate::settings::Selector;

/// How long after the last change a document is analysed, unless configured. Short enough to
/// keep a 1 MB request's diagnostics within 50 ms of the last keystroke.
pub(crate) const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(15);

/// The settings an editor sent, as understood.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// Flags applied on top of every configuration file.
    pub flags: Flags,
    /// One configuration file for every document (`check --config`).
    pub config: Option<PathBuf>,
    /// How long after the last change a document is analysed.
    pub debounce: Duration,
}

impl Options {
    /// The defaults: nothing set, today's date.
    pub(crate) fn new(today: jiff::civil::Date) -> Self {
        Self {
            flags: Flags::new(today),
            config: None,
            debounce: DEFAULT_DEBOUNCE,
        }
    }

    /// Reads the settings the editor sent, layer over layer (`initializationOptions`, then
    /// the latest `workspace/didChangeConfiguration`): a key in a later layer replaces the
    /// same key in an earlier one. Every setting that cannot be used is left as it was and
    /// described in the returned problems (the editor shows them), so one typo does not
    /// switch the server off.
    pub(crate) fn from_layers(layers: &[&Value], today: jiff::civil::Date) -> (Self, Vec<String>) {
        let mut options = Options::new(today);
        let mut problems = Vec::new();
        for value in layers {
            let settings = match section(value) {
                Ok(settings) => settings,
                Err(problem) => {
                    problems.push(problem);
                    continue;
                }
            };
            for (key, value) in settings.into_iter().flatten() {
                if let Err(problem) = options.set(key, value) {
                    problems.push(problem);
                }
            }
        }
        (options, problems)
    }

    fn set(&mut self, key: &str, value: &Value) -> Result<(), String> {
        let flags = &mut self.flags;
        match key {
            "model" => flags.model = optional_string(key, value)?,
            "apiVersion" => {
                flags.api_version = match optional_string(key, value)? {
                    None => None,
                    Some(text) => Some(ApiVersion::parse(&text).ok_or_else(|| {
                        format!("`apiVersion` is `{text}`: {}", ApiVersion::known())
                    })?),
                }
            }
            "select" => {
                flags.select = match value {
                    Value::Null => None,
                    _ => Some(selectors(key, value)?),
                }
            }
            "ignore" => flags.ignore = selectors(key, value)?,
            "rules" => flags.severities = severities(value)?,
            "contextWarningRatio" => {
                flags.context_warning_ratio = match value {
                    Value::Null => None,
                    _ => Some(
                        value
                            .as_f64()
                            .filter(|r| (0.0..=1.0).contains(r))
                            .ok_or_else(|| {
                                format!(
                                    "`contextWarningRatio` is a number from 0 to 1, not {value}"
                                )
                            })?,
                    ),
                }
            }
            "config" => self.config = optional_string(key, value)?.map(PathBuf::from),
            "debounceMs" if value.is_null() => self.debounce = DEFAULT_DEBOUNCE,
            "debounceMs" => {
                let ms = value.as_u64().filter(|&ms| ms <= 10_000).ok_or_else(|| {
                    format!("`debounceMs` is a number of milliseconds up to 10000, not {value}")
                })?;
                self.debounce = Duration::from_millis(ms);
            }
            "today" => {
                if let Some(text) = optional_string(key, value)? {
                    flags.today = text.parse().map_err(|_| {
                        format!("`today` is a date written YYYY-MM-DD, not `{text}`")
                    })?;
                }
            }
            _ => return Err(format!("unknown setting `{key}`")),
        }
        Ok(())
    }
}

/// The server's own settings inside what the editor sent; `None` when there are none. An
/// empty array counts as none: Lua has one table type, so Neovim sends an empty settings
/// table as `[]`.
fn section(value: &Value) -> Result<Option<&Map<String, Value>>, String> {
    let nested = value.as_object().map_or(Some(value), |object| {
        ["claude-preflight", "claudePreflight"]
            .iter()
            .find_map(|key| object.get(*key))
    });
    match nested.unwrap_or(value) {
        Value::Object(settings) => Ok(Some(settings)),
        Value::Null => Ok(None),
        Value::Array(items) if items.is_empty() => Ok(None),
        other => Err(format!(
            "the settings are {}, not an object",
            kind_name(other)
        )),
    }
}

fn optional_string(key: &str, value: &Value) -> Result<Option<String>, String> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        other => Err(format!("`{key}` is a string, not {}", kind_name(other))),
    }
}

/// `{"rule-name": "off" | "hint" | "info" | "warning" | "error"}`, as in the configuration's
/// `[rules]` table.
fn severities(
    value: &Value,
) -> Result<std::collections::HashMap<&'static str, Option<Severity>>, String> {
    let Some(object) = value.as_object() else {
        return match value {
            Value::Null => Ok(Default::default()),
            other => Err(format!(
                "`rules` maps rule names to severities, not {other}"
            )),
        };
    };
    object
        .iter()
        .map(|(name, level)| {
            let rule = crate::rules::find(name)
                .ok_or_else(|| format!("`rules` names `{name}`, which is no rule"))?;
            let level = level.as_str().unwrap_or_default();
            let severity = match level {
                "off" => None,
                other => Some(Severity::parse(other).ok_or_else(|| {
                    format!("`rules.{name}` is `{level}`: use off, hint, info, warning or error")
                })?),
            };
            Ok((rule.name, severity))
        })
        .collect()
}

fn selectors(key: &str, value: &Value) -> Result<Vec<Selector>, String> {
    let items = value
        .as_array()
        .ok_or_else(|| format!("`{key}` is a list of rule names or codes, not {value}"))?;
    items
        .iter()
        .map(|item| {
            let text = item
                .as_str()
                .ok_or_else(|| format!("`{key}` holds rule names or codes, not {item}"))?;
            Selector::parse(text).ok_or_else(|| {
                format!("`{text}` in `{key}` names no rule, code or family; `claude-preflight rules` lists them")
            })
        })
        .collect()
}

fn kind_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn today() -> jiff::civil::Date {
        jiff::civil::date(2026, 11, 25)
    }

    #[test]
    fn nested_and_bare_settings_mean_the_same() {
        let bare =
            json!({"model": "claude-opus-5", "apiVersion": "2023-06-01", "ignore": ["O101"]});
        let nested = json!({"claude-preflight": bare.clone()});
        for value in [bare, nested] {
            let (options, problems) = Options::from_layers(&[&value], today());
            assert!(problems.is_empty(), "{problems:?}");
            assert_eq!(options.flags.model.as_deref(), Some("claude-opus-5"));
            assert_eq!(options.flags.api_version, ApiVersion::parse("2023-06-01"));
            assert_eq!(options.flags.ignore.len(), 1);
        }
    }

    #[test]
    fn bad_settings_are_described_and_left_at_their_defaults() {
        let value = json!({
            "apiVersion": "2024-01-01",
            "select": ["no-such-rule"],
            "debounceMs": -1,
            "colour": true,
            "model": "claude-opus-5",
        });
        let (options, problems) = Options::from_layers(&[&value], today());
        assert_eq!(
            problems,
            [
                "`apiVersion` is `2024-01-01`: the API knows `2023-06-01` and `2026-10-21`",
                "`no-such-rule` in `select` names no rule, code or family; `claude-preflight rules` lists them",
                "`debounceMs` is a number of milliseconds up to 10000, not -1",
                "unknown setting `colour`",
            ]
        );
        assert_eq!(options.flags.api_version, None);
        assert!(options.flags.select.is_none());
        assert_eq!(options.debounce, DEFAULT_DEBOUNCE);
        assert_eq!(options.flags.model.as_deref(), Some("claude-opus-5"));
    }

    #[test]
    fn later_layers_replace_earlier_keys() {
        let init = json!({"model": "claude-opus-5", "ignore": ["O101"]});
        let changed = json!({"claude-preflight": {"model": "claude-sonnet-5"}});
        let (options, problems) = Options::from_layers(&[&init, &changed], today());
        assert!(problems.is_empty());
        assert_eq!(options.flags.model.as_deref(), Some("claude-sonnet-5"));
        assert_eq!(options.flags.ignore.len(), 1);
    }

    #[test]
    fn null_settings_are_the_defaults() {
        let (options, problems) = Options::from_layers(&[&Value::Null], today());
        assert!(problems.is_empty());
        assert_eq!(options.flags.today, today());
        let (_, problems) = Options::from_layers(&[&json!([1])], today());
        assert_eq!(problems, ["the settings are an array, not an object"]);
        let (_, problems) = Options::from_layers(&[&json!({"claude-preflight": 3})], today());
        assert_eq!(problems, ["the settings are a number, not an object"]);
    }

    #[test]
    fn empty_lua_tables_are_no_settings() {
        // Neovim encodes `init_options = {}` as `[]`, bare or under the server's name.
        for value in [json!([]), json!({"claude-preflight": []})] {
            let (options, problems) = Options::from_layers(&[&value], today());
            assert_eq!(problems, Vec::<String>::new(), "{value}");
            assert_eq!(options.flags.today, today());
            assert!(options.flags.model.is_none());
        }
    }

    #[test]
    fn bad_severity_settings_are_reported_not_applied() {
        let today = jiff::civil::date(2026, 11, 25);
        let bad = json!({"rules": {"no-such-rule": "error"}, "contextWarningRatio": 2});
        let (_, problems) = Options::from_layers(&[&bad], today);
        assert_eq!(
            problems,
            [
                "`rules` names `no-such-rule`, which is no rule",
                "`contextWarningRatio` is a number from 0 to 1, not 2",
            ]
        );
    }
}
