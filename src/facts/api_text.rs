//! `data/api.toml` written into prose: the `{api.…}` placeholders of the rules' doc comments,
//! so a rule's page names the versions and limits of the table instead of copies of them.
//!
//! - `{api.version.all}`: every version the API knows, `` `a`, `b` and `c` ``;
//! - `{api.version.sdk-default}`: the version current SDKs send;
//! - `{api.version.oldest}`: the oldest modelled version;
//! - `{api.version.removing.CHANGE}` / `{api.version.accepting.CHANGE}`: the version that
//!   took `CHANGE` (`sampling-parameters`, `assistant-documents`, `user-citations`) away, and
//!   the newest one before it that still accepts it;
//! - `{api.TABLE.KEY}`: any other value of the file by its dotted path
//!   (`messages.max_user_id_chars`, `platform.bedrock.body_version`); a number is written
//!   with thousands separators, `{api.TABLE.KEY|raw}` without, `{api.TABLE.KEY|short}` as a
//!   round token count (`200K`); a fraction as written (`0.95`).
//!
//! A placeholder that names nothing is left as written; a test checks no rule page has one.

use std::sync::LazyLock;

use serde::Deserialize;

use super::api::{self, ApiVersion, Change};
use crate::words;

/// The file as plain TOML, for lookups by path.
static TABLE: LazyLock<toml::Table> = LazyLock::new(|| {
    toml::from_str(include_str!("../../data/api.toml")).expect("data/api.toml is checked by a test")
});

/// What opens a placeholder.
const OPEN: &str = "{api.";

/// `text` with each placeholder replaced by its value.
pub(crate) fn interpolate(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + OPEN.len()..];
        let value = after
            .find('}')
            .and_then(|end| Some((value(&after[..end])?, end)));
        match value {
            Some((value, end)) => {
                out.push_str(&value);
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The value a placeholder's key (the text after `{api.`) names.
fn value(key: &str) -> Option<String> {
    let (path, format) = key.split_once('|').unwrap_or((key, ""));
    if let Some(version) = path.strip_prefix("version.") {
        return version_name(version);
    }
    let mut node = TABLE.get(path.split('.').next()?)?;
    for step in path.split('.').skip(1) {
        node = node.get(step)?;
    }
    match (node, format) {
        (toml::Value::String(text), "") => Some(text.clone()),
        (toml::Value::Float(x), "") => Some(x.to_string()),
        (toml::Value::Integer(n), _) => {
            let n = u64::try_from(*n).ok()?;
            match format {
                "" => Some(words::thousands(n)),
                "raw" => Some(n.to_string()),
                "short" => Some(words::short_count(n)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The version (or versions) a `version.` key names.
fn version_name(key: &str) -> Option<String> {
    let change = |name: &str| Change::deserialize(toml::Value::String(name.to_owned())).ok();
    let name = match key.split_once('.') {
        Some(("removing", name)) => api::removal(change(name)?).removed_in,
        Some(("accepting", name)) => api::removal(change(name)?).accepted_in,
        Some(_) => return None,
        None => match key {
            "all" => {
                let names: Vec<&str> = api::versions().iter().map(|v| v.name.as_str()).collect();
                return Some(words::and_list(&names));
            }
            "sdk-default" => ApiVersion::sdk_default().name()?,
            "oldest" => ApiVersion::all().next()?.name()?,
            _ => return None,
        },
    };
    Some(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_name_the_table() {
        assert_eq!(
            interpolate(
                "at most {api.messages.max_messages} ({api.messages.max_messages|raw}) messages, \
                 {api.images.small_window_tokens|short} tokens, `{api.platform.vertex.body_version}`, \
                 {api.sampling.min_top_p_thinking}"
            ),
            "at most 100,000 (100000) messages, 200K tokens, `vertex-2023-10-16`, 0.95"
        );
        assert_eq!(
            interpolate(
                "{api.version.removing.sampling-parameters} removed them; \
                 {api.version.accepting.user-citations} accepts them; \
                 {api.version.sdk-default}, {api.version.oldest}; {api.version.all}"
            ),
            "2026-10-21 removed them; 2023-06-01 accepts them; 2026-10-21, 2023-06-01; \
             `2023-01-01`, `2023-06-01` and `2026-10-21`"
        );
    }

    #[test]
    fn what_names_nothing_is_left_as_written() {
        for text in [
            "{api.no.such.key}",
            "{api.version.removing.no-such-change}",
            "{api.messages}",
            "{api.platform.vertex.body_version|raw}",
            "{api.messages.max_messages|nonsense}",
            "{api.sampling.min_top_p_thinking|raw}",
            "{api.messages.max_messages",
            "{\"api\": 1} {api",
        ] {
            assert_eq!(interpolate(text), text);
        }
        assert_eq!(
            interpolate("{api.x} then {api.caching.max_breakpoints}"),
            "{api.x} then 4"
        );
    }
}
