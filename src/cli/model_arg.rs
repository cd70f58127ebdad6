//! `--model ID`, validated before anything is checked: an id no table knows would otherwise
//! silently estimate and check every body against nothing (`--model gpt-4o`).

use crate::facts::Facts;

/// `Ok` when `id` names a model in the built-in table or in one of `configured` (the facts of
/// the files' configurations, with their `[[models]]`); else the error to print, with the
/// model in service that `id` most likely means.
pub(super) fn validate<'f>(
    id: &str,
    configured: impl IntoIterator<Item = &'f Facts>,
    today: jiff::civil::Date,
) -> Result<(), String> {
    let builtin = Facts::builtin();
    if builtin.resolve(id).is_some() || configured.into_iter().any(|f| f.resolve(id).is_some()) {
        return Ok(());
    }
    let hint = builtin
        .suggest(id)
        .and_then(|meant| builtin.in_service(meant.model, today))
        .map(|model| format!("; did you mean `{}` ({})?", model.id, model.name))
        .unwrap_or_default();
    Err(format!(
        "`--model {id}` names no Claude model known here{hint} (`[[models]]` in the configuration adds one)"
    ))
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn known_ids_pass_and_unknown_ones_name_the_model_in_service() {
        let today = date(2026, 12, 3);
        assert_eq!(validate("claude-opus-5", [], today), Ok(()));
        assert_eq!(
            validate("gpt-4o", [], today),
            Err("`--model gpt-4o` names no Claude model known here (`[[models]]` in the configuration adds one)".into())
        );
        assert_eq!(
            validate("claude-sonnet-4.5", [], today),
            Err("`--model claude-sonnet-4.5` names no Claude model known here; did you mean `claude-sonnet-5-5` (Claude Sonnet 5.5)? (`[[models]]` in the configuration adds one)".into())
        );
    }
}
