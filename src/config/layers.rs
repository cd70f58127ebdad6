//! The layers a file's settings are made of: the configuration's top level, each `[[overrides]]`
//! entry whose globs match it, in order, then the command line's [`Flags`], then the API version
//! of the SDK the workspace pins when none of those sets one.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::civil::Date;

use super::error::{ConfigError, Source, suggestion};
use super::globs::Globs;
use super::raw::RuleLevels;
use crate::extract::PayloadKind;
use crate::facts::api::ApiVersion;
use crate::rules::{self, Severity};
use crate::settings::{DeclaredKind, Selector, Settings};

/// What the command line (or an editor's settings) sets on top of every configuration file.
#[derive(Debug, Clone)]
pub(crate) struct Flags {
    /// "Today", for lifecycle dates (the real date, or a fixed one in tests).
    pub today: Date,
    /// `--select`: replaces the configuration's `select` when given.
    pub select: Option<Vec<Selector>>,
    /// `--ignore`: added to the configuration's `ignore`.
    pub ignore: Vec<Selector>,
    /// `--model`: the model assumed for bodies that name none, over the configuration's.
    pub model: Option<String>,
    /// `--api-version`: the API version in force, over the configuration's.
    pub api_version: Option<ApiVersion>,
    /// Per-rule severities (an editor's settings), over the configuration's `[rules]`;
    /// `None` switches the rule off.
    pub severities: HashMap<&'static str, Option<Severity>>,
    /// The context warning ratio (an editor's settings), over the configuration's.
    pub context_warning_ratio: Option<f64>,
}

impl Flags {
    /// Flags that set nothing but the date.
    pub(crate) fn new(today: Date) -> Self {
        Self {
            today,
            select: None,
            ignore: Vec::new(),
            model: None,
            api_version: None,
            severities: HashMap::new(),
            context_warning_ratio: None,
        }
    }

    /// Applies the flags on top of settings resolved from a configuration.
    pub(super) fn apply(&self, settings: &mut Settings) {
        if let Some(select) = &self.select {
            settings.rules.select = Some(select.clone());
        }
        settings.rules.ignore.extend(self.ignore.iter().cloned());
        if let Some(model) = &self.model {
            settings.options.default_model = Some(model.clone());
        }
        if let Some(version) = self.api_version {
            settings.options.api_version = version;
        }
        settings.rules.severities.extend(
            self.severities
                .iter()
                .map(|(name, severity)| (*name, *severity)),
        );
        if let Some(ratio) = self.context_warning_ratio {
            settings.options.context_warning_ratio = ratio;
        }
    }

    /// The settings of a file no configuration governs.
    pub(super) fn defaults(&self) -> Settings {
        let mut settings = Settings::new(self.today);
        self.apply(&mut settings);
        settings
    }
}

/// Settings many files share, in the variants a workspace's SDK pin selects: the API version
/// the command line or the configuration sets wins over the pin; only when they leave it
/// unknown does the pinned SDK's version apply. Built once, so files share one allocation.
#[derive(Debug, Clone)]
pub(super) struct Shared {
    /// As configured.
    configured: Arc<Settings>,
    /// With the version of an SDK pinned to each known API version (the configured ones when
    /// the configuration sets a version).
    pinned: HashMap<ApiVersion, Arc<Settings>>,
}

impl Shared {
    /// The variants of `settings`.
    pub(super) fn new(settings: Settings) -> Self {
        let configured = Arc::new(settings);
        let variant = |version: ApiVersion| {
            if configured.options.api_version == ApiVersion::UNKNOWN {
                let mut pinned = Settings::clone(&configured);
                pinned.options.api_version = version;
                Arc::new(pinned)
            } else {
                Arc::clone(&configured)
            }
        };
        Self {
            pinned: ApiVersion::all().map(|v| (v, variant(v))).collect(),
            configured,
        }
    }

    /// The settings for a file whose workspace pins an SDK that sends `pinned`.
    pub(super) fn get(&self, pinned: Option<ApiVersion>) -> Arc<Settings> {
        Arc::clone(
            pinned
                .and_then(|v| self.pinned.get(&v))
                .unwrap_or(&self.configured),
        )
    }
}

/// Sets the API version a workspace's SDK pin gives, unless one is configured already.
pub(super) fn apply_pin(settings: &mut Settings, pinned: Option<ApiVersion>) {
    if settings.options.api_version == ApiVersion::UNKNOWN
        && let Some(version) = pinned
    {
        settings.options.api_version = version;
    }
}

/// What the top level or one override sets.
#[derive(Debug, Clone, Default)]
pub(super) struct Layer {
    severities: Vec<(&'static str, Option<Severity>)>,
    model: Option<String>,
    api_version: Option<ApiVersion>,
    kind: Option<PayloadKind>,
}

impl Layer {
    /// The layer as written, each unknown rule name an error at its place.
    pub(super) fn new(
        rules: RuleLevels,
        model: Option<String>,
        api_version: Option<ApiVersion>,
        kind: Option<DeclaredKind>,
        source: &Source,
    ) -> Result<Self, ConfigError> {
        let severities = rules
            .into_iter()
            .map(|(name, level)| match rules::find(name.get_ref()) {
                Some(rule) => Ok((rule.name, level.severity())),
                None => {
                    let hint = suggestion(name.get_ref(), rules::all().map(|r| r.name));
                    Err(source.error(
                        Some(name.span()),
                        format!(
                            "unknown rule `{}` in `rules`{hint}; `claude-preflight rules` lists them",
                            name.get_ref()
                        ),
                    ))
                }
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            severities,
            model,
            api_version,
            kind: kind.map(PayloadKind::from),
        })
    }

    /// Sets what the layer sets over `settings`.
    pub(super) fn apply(&self, settings: &mut Settings) {
        for &(name, severity) in &self.severities {
            settings.rules.severities.insert(name, severity);
        }
        if let Some(model) = &self.model {
            settings.options.default_model = Some(model.clone());
        }
        if let Some(version) = self.api_version {
            settings.options.api_version = version;
        }
        if let Some(kind) = self.kind {
            settings.declared_kind = Some(kind);
        }
    }
}

/// One `[[overrides]]` entry.
#[derive(Debug, Clone)]
pub(super) struct Override {
    /// The files it applies to.
    pub(super) files: Globs,
    /// What it sets.
    pub(super) layer: Layer,
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::Config;
    use super::super::tests::{flags, new, old, parse};
    use super::*;
    use crate::rules::RuleFilter;
    use crate::rules::openai::OPENAI_PARAMETER;
    use crate::rules::syntax::DUPLICATE_KEY;

    #[test]
    fn overrides_apply_by_glob_in_order() {
        let config = parse(
            r#"
model = "claude-opus-5"
[rules]
duplicate-key = "error"

[[overrides]]
files = ["count/**/*.json"]
kind = "count_tokens"
api-version = "2026-10-21"

[[overrides]]
files = ["legacy", "*.old.json"]
model = "claude-sonnet-4-5"
rules = { duplicate-key = "hint", openai-parameter = "off" }
"#,
        )
        .unwrap();
        let at = |rel: &str| config.settings_for(&Path::new("/project").join(rel), None);
        let count = at("count/a/b.json");
        assert_eq!(count.declared_kind, Some(PayloadKind::CountTokens));
        assert_eq!(count.options.api_version, new());
        assert_eq!(
            count.options.default_model.as_deref(),
            Some("claude-opus-5")
        );
        assert_eq!(
            at("count/b.yaml").declared_kind,
            None,
            "`*.json` does not match YAML"
        );
        assert_eq!(
            at("other/count/b.json").declared_kind,
            None,
            "a glob with `/` is anchored"
        );
        for rel in ["legacy/a.json", "deep/legacy/x/a.json", "deep/r.old.json"] {
            let legacy = at(rel);
            assert_eq!(
                legacy.options.default_model.as_deref(),
                Some("claude-sonnet-4-5"),
                "{rel}"
            );
            assert_eq!(
                legacy.rules.severity(&DUPLICATE_KEY),
                Some(Severity::Hint),
                "{rel}"
            );
            assert!(!legacy.rules.is_enabled(&OPENAI_PARAMETER), "{rel}");
        }
        let plain = at("plain.json");
        assert_eq!(plain.rules.severity(&DUPLICATE_KEY), Some(Severity::Error));
        assert!(
            Arc::ptr_eq(&plain, &at("other.json")),
            "unmatched files share the base"
        );
    }

    #[test]
    fn rule_levels_select_ignore_and_flags_on_top() {
        let text = "select = [\"syntax\", \"O1\"]\nignore = [\"S001\"]\n[rules]\nduplicate-key = \"info\"\nO101 = \"warning\"\n";
        let file = Path::new("/project/a.json");
        let settings = parse(text).unwrap().settings_for(file, None);
        assert_eq!(
            settings.rules.severity(&DUPLICATE_KEY),
            Some(Severity::Info)
        );
        assert_eq!(
            settings.rules.severity(&OPENAI_PARAMETER),
            Some(Severity::Warning)
        );
        assert_eq!(settings.rules.severity(&rules::syntax::SYNTAX_ERROR), None);
        assert_eq!(
            settings.rules.severity(&rules::request::MISSING_MODEL),
            None
        );
        let mut cli = flags();
        cli.select = Some(vec![
            Selector::parse("request").unwrap(),
            Selector::parse("duplicate-key").unwrap(),
        ]);
        cli.ignore = vec![Selector::parse("missing-model").unwrap()];
        cli.model = Some("claude-opus-5".into());
        cli.api_version = Some(old());
        let path = Path::new("/project/claude-preflight.toml");
        let settings = Config::parse(path, text, &cli)
            .unwrap()
            .settings_for(file, None);
        assert_eq!(
            settings.rules.severity(&DUPLICATE_KEY),
            Some(Severity::Info)
        );
        assert_eq!(settings.rules.severity(&OPENAI_PARAMETER), None);
        assert_eq!(
            settings.rules.severity(&rules::request::MISSING_MODEL),
            None
        );
        assert_eq!(
            settings.rules.severity(&rules::request::MISSING_MESSAGES),
            Some(Severity::Error)
        );
        assert_eq!(
            settings.options.default_model.as_deref(),
            Some("claude-opus-5")
        );
        assert_eq!(settings.options.api_version, old());
    }
}
