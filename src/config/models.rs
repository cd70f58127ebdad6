//! `[[models]]`: models this tool does not know (proxies, fine-tunes, ARNs), each with the facts
//! of a model it does.

use jiff::civil::Date;
use toml::Spanned;

use super::error::{ConfigError, Source, suggestion};
use super::raw::RawModel;
use crate::facts::{Facts, Model};

/// A `[[models]]` entry: the facts of the model it is `like`, with its own id and the facts
/// it sets. Aliases, cloud ids and lifecycle dates are its own, never copied: they belong to
/// the other model.
pub(super) fn extra_model(raw: RawModel, source: &Source) -> Result<Model, ConfigError> {
    let builtin = Facts::builtin();
    let Some((like, _)) = builtin.resolve(raw.like.get_ref()) else {
        let hint = suggestion(raw.like.get_ref(), builtin.models().flat_map(Model::ids));
        return Err(source.error(
            Some(raw.like.span()),
            format!(
                "`like` names no known model: `{}`{hint}; it takes the id of a model whose facts are copied",
                raw.like.get_ref()
            ),
        ));
    };
    if raw.id.get_ref().trim().is_empty() {
        return Err(source.error(Some(raw.id.span()), "`id` is empty"));
    }
    let positive = |value: Option<Spanned<u64>>, key: &str| match value {
        Some(v) if *v.get_ref() == 0 => {
            Err(source.error(Some(v.span()), format!("`{key}` must be at least 1")))
        }
        Some(v) => Ok(Some(*v.get_ref())),
        None => Ok(None),
    };
    let mut model = like.clone();
    model.id = raw.id.into_inner();
    model.name = raw.name.unwrap_or_else(|| model.id.clone());
    model.aliases = raw.aliases;
    if let Some(window) = positive(raw.context_window, "context-window")? {
        model.context_window = window;
    }
    if let Some(max) = positive(raw.max_output, "max-output")? {
        model.max_output = max;
    }
    if let Some(min) = raw.min_cache_tokens {
        model.min_cache_tokens = min;
    }
    model.bedrock = raw.bedrock;
    model.vertex = raw.vertex;
    model.deprecated = date(raw.deprecated, "deprecated", source)?;
    model.retired = date(raw.retired, "retired", source)?;
    model.replacement = raw.replacement;
    model.source = format!(
        "configured in {} (like `{}`)",
        source.path.display(),
        like.id
    );
    Ok(model)
}

/// A date written as a TOML date (`2027-01-01`) or as a string (`"2027-01-01"`, as in
/// `data/models.toml`).
fn date(
    value: Option<Spanned<toml::Value>>,
    key: &str,
    source: &Source,
) -> Result<Option<Date>, ConfigError> {
    let Some(value) = value else {
        return Ok(None);
    };
    let parsed = match value.get_ref() {
        toml::Value::String(text) => text.parse::<Date>().ok(),
        toml::Value::Datetime(datetime) if datetime.time.is_none() => datetime
            .date
            .and_then(|d| Date::new(i16::try_from(d.year).ok()?, d.month as i8, d.day as i8).ok()),
        _ => None,
    };
    match parsed {
        Some(date) => Ok(Some(date)),
        None => Err(source.error(
            Some(value.span()),
            format!(
                "`{key}` is a date written YYYY-MM-DD, not {}",
                value.get_ref()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{error, parse};
    use super::*;

    #[test]
    fn extra_models_copy_the_facts_of_their_like() {
        let config = parse(
            r#"
[[models]]
id = "my-proxy/claude"
like = "claude-sonnet-4-5"
aliases = ["proxy-claude"]
context-window = 100000

[[models]]
id = "arn:aws:bedrock:us-east-1:123:provisioned-model/abc"
like = "claude-opus-5"
deprecated = 2026-10-01
retired = "2027-01-01"
"#,
        )
        .unwrap();
        let facts = &config.settings.facts;
        let (proxy, _) = facts.resolve("proxy-claude").unwrap();
        let like = Facts::builtin().resolve("claude-sonnet-4-5").unwrap().0;
        assert_eq!(proxy.id, "my-proxy/claude");
        assert_eq!(proxy.name, "my-proxy/claude");
        assert_eq!(proxy.context_window, 100_000);
        assert_eq!(proxy.max_output, like.max_output);
        assert_eq!(proxy.sampling, like.sampling);
        assert_eq!(
            (proxy.deprecated, proxy.retired),
            (None, None),
            "lifecycle is not copied"
        );
        assert!(proxy.bedrock.is_empty());
        assert_eq!(
            proxy.source,
            "configured in /project/claude-preflight.toml (like `claude-sonnet-4-5-20250929`)"
        );
        let (arn, _) = facts
            .resolve("arn:aws:bedrock:us-east-1:123:provisioned-model/abc")
            .unwrap();
        assert_eq!(arn.deprecated, Some(jiff::civil::date(2026, 10, 1)));
        assert_eq!(arn.retired, Some(jiff::civil::date(2027, 1, 1)));
        assert!(facts.looks_like_claude("proxy-claude"));
        assert_eq!(
            facts.resolve("claude-sonnet-4-5").unwrap().0.id,
            "claude-sonnet-4-5-20250929"
        );
        assert_eq!(
            error("[[models]]\nid = \"x\"\nlike = \"claude-opus-5x\"\n"),
            "/project/claude-preflight.toml:3:8: `like` names no known model: `claude-opus-5x` (did you mean `claude-opus-5`?); it takes the id of a model whose facts are copied"
        );
        assert_eq!(
            error("[[models]]\nid = \"x\"\nlike = \"claude-opus-5\"\nmax-output = 0\n"),
            "/project/claude-preflight.toml:4:14: `max-output` must be at least 1"
        );
        assert_eq!(
            error("[[models]]\nid = \"x\"\nlike = \"claude-opus-5\"\nretired = \"2027-13-01\"\n"),
            "/project/claude-preflight.toml:4:11: `retired` is a date written YYYY-MM-DD, not \"2027-13-01\""
        );
        assert_eq!(
            error(
                "[[models]]\nid = \"x\"\nlike = \"claude-opus-5\"\ndeprecated = 2027-01-01T10:00:00\n"
            ),
            "/project/claude-preflight.toml:4:14: `deprecated` is a date written YYYY-MM-DD, not 2027-01-01T10:00:00"
        );
        assert_eq!(
            error("[[models]]\nid = \"x\"\n"),
            "/project/claude-preflight.toml:1:1: missing field `like`"
        );
    }
}
