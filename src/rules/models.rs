//! The model a request names: ids the API does not know (with the id meant), ids of another
//! platform, retired and deprecated models, and `max_tokens` above the model's output limit
//! (reference §7, §10 rows 18 and 34).

use jiff::civil::Date;
use serde_json::json;

use super::registry::declare_rules;
use super::{Context, Sink};
use crate::extract::PayloadKind;
use crate::facts::models::BATCH_OUTPUT_BETA;
use crate::facts::{Dialect, IdForm, Lifecycle, Model};
use crate::fix::{Edit, Fix};
use crate::syntax::Node;

declare_rules! {
    family: "models";
    prefix: "L";
    /// ## What it does
    /// Reports a `model` that looks like a Claude id but names no model the API serves, with
    /// the id that was most likely meant, and Bedrock InvokeModel or Vertex AI ids written in
    /// a Claude API body.
    ///
    /// ## Why
    /// The API answers 404 `not_found_error` with the message `model: <id>`. Invented ids are
    /// a common cause: `claude-sonnet-4.5` (a dot), `claude-3.5-sonnet`, `claude-4-sonnet`.
    /// Bedrock InvokeModel ids (`us.anthropic.claude-sonnet-4-5-20250929-v1:0`) and Vertex AI
    /// ids (`claude-haiku-4-5@20251001`) name the model in those platforms' URLs; the Claude
    /// API does not know them. Ids that "Claude in Amazon Bedrock" takes in the body
    /// (`anthropic.claude-opus-5`) are not reported, nor are models the configuration adds,
    /// nor ids that do not look like Claude's (`gpt-4o`): those files are not taken as Claude
    /// requests at all.
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-sonnet-4.5", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    ///
    /// ## Fix
    /// Replaces a Bedrock or Vertex id with the same model's Claude API id (safe). Replaces an
    /// unknown id with the one it most likely means or, when that model is retired or
    /// deprecated, with the first model in service down its chain of replacements, which the
    /// message names first (unsafe: check it is the model you want).
    UNKNOWN_MODEL { code: "101", name: "unknown-model", severity: Error, fix: Mixed }

    /// ## What it does
    /// Reports a model that has reached its end of life on the Claude API.
    ///
    /// ## Why
    /// From its retirement day a model is no longer served: the API answers 404
    /// `not_found_error` with `model: <id>`. All Claude 3.x, Claude 4.0 and 4.1 ids are
    /// retired, and so is Claude Mythos Preview (end of life 2026-06-30). Bedrock and Vertex AI
    /// retire models on their own schedules, so their bodies are not checked.
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-3-5-sonnet-latest", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    ///
    /// ## Fix
    /// Replaces the id with the replacement Anthropic recommends (unsafe: another model
    /// answers differently, costs differently and may accept other parameters).
    RETIRED_MODEL { code: "102", name: "retired-model", severity: Error, fix: Unsafe }

    /// ## What it does
    /// Reports a deprecated model, with its end-of-life date, in the words of the warning the
    /// SDKs print: "The model '<id>' is deprecated and will reach end-of-life on <date>.
    /// Please migrate to a newer model."
    ///
    /// ## Why
    /// Requests still work until the end-of-life date; from that day the API answers 404. See
    /// <https://docs.anthropic.com/en/docs/resources/model-deprecations>.
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-sonnet-4-5", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    ///
    /// ## Fix
    /// Replaces the id with the recommended replacement (unsafe: another model answers
    /// differently).
    DEPRECATED_MODEL { code: "103", name: "deprecated-model", severity: Warning, fix: Unsafe }

    /// ## What it does
    /// Reports a `max_tokens` above the most output tokens the model can write on the
    /// synchronous Messages API (128,000 on current models, 64,000 on Haiku, Sonnet and Opus
    /// 4.5). Bedrock and Vertex bodies are checked against the configured default model.
    ///
    /// ## Why
    /// The API answers 400 `max_tokens: <n> > <max>, which is the maximum allowed number of
    /// output tokens for <model>`. Message Batches requests sent with the
    /// `output-300k-2026-03-24` beta header may ask for up to 300,000 on some models; a
    /// request file does not show the header, so batch items are held to the synchronous
    /// limit and the message says when the beta would allow the value.
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-opus-4-5", "max_tokens": 128000, "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    ///
    /// ## Fix
    /// Sets `max_tokens` to the model's limit (unsafe: it changes how long the answer can be).
    MAX_TOKENS_OVER_LIMIT { code: "104", name: "max-tokens-over-limit", severity: Error, fix: Unsafe }
}

/// Checks one payload.
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let payload = ctx.payload;
    if !payload.kind.is_request() && payload.kind != PayloadKind::ModelReference {
        return;
    }
    if payload.dialect == Dialect::FirstParty
        && let Some(node) = payload.root.get("model")
        && let Some(id) = node.as_str()
    {
        check_model(ctx, sink, node, id);
    }
    check_max_tokens(ctx, sink);
}

/// What the API answers for a model it does not serve.
fn not_found(id: &str) -> String {
    format!("the API answers 404 `not_found_error` with `model: {id}`")
}

/// Replaces the `model` value with `id`; in a model reference, whose `model` node covers just
/// the id's characters (`anthropic:messages:<id>`), those characters.
fn replace_model(ctx: &Context<'_>, node: &Node, id: &str, safe: bool) -> Fix {
    let title = format!("Replace with `{id}`");
    let edits = vec![if ctx.payload.kind == PayloadKind::ModelReference {
        Edit::ReplaceText {
            range: node.range,
            text: id.to_owned(),
        }
    } else {
        Edit::replace_value(node, json!(id))
    }];
    if safe {
        Fix::safe(title, edits)
    } else {
        Fix::unsafe_(title, edits)
    }
}

fn check_model(ctx: &Context<'_>, sink: &mut Sink<'_>, node: &Node, id: &str) {
    let facts = ctx.facts;
    if !facts.looks_like_claude(id) {
        return;
    }
    match facts.resolve(id) {
        Some((model, IdForm::FirstParty)) => check_lifecycle(ctx, sink, node, id, model),
        Some((_, IdForm::BedrockMessages)) => {}
        Some((model, IdForm::Bedrock)) => {
            let what = "an Amazon Bedrock InvokeModel id, which Bedrock takes in the URL";
            report_platform_id(ctx, sink, node, id, model, what);
        }
        Some((model, IdForm::Vertex)) => {
            let what = "a Google Cloud Vertex AI id, which Vertex takes in the URL";
            report_platform_id(ctx, sink, node, id, model, what);
        }
        None => report_unknown(ctx, sink, node, id),
    }
}

/// A Bedrock or Vertex id in a Claude API body: name the first-party id of the same model.
fn report_platform_id(
    ctx: &Context<'_>,
    sink: &mut Sink<'_>,
    node: &Node,
    id: &str,
    model: &Model,
    what: &str,
) {
    let mut message = format!(
        "`{id}` is {what}: the Claude API does not know it and answers 404 `not_found_error` with `model: {id}`; the Claude API id of {} is `{}`",
        model.name, model.id
    );
    let fix = match model.lifecycle(ctx.options.today) {
        Lifecycle::Retired(day) => {
            message.push_str(&format!(", retired on {day}"));
            successor(model, &mut message).map(|to| replace_model(ctx, node, to, false))
        }
        _ => Some(replace_model(ctx, node, &model.id, true)),
    };
    sink.report_fix(&UNKNOWN_MODEL, node.range, message, fix);
}

/// Appends "; its replacement is `x`" and returns the replacement, when the model has one.
fn successor<'m>(model: &'m Model, message: &mut String) -> Option<&'m str> {
    let replacement = model.replacement.as_deref()?;
    message.push_str(&format!("; its replacement is `{replacement}`"));
    Some(replacement)
}

fn report_unknown(ctx: &Context<'_>, sink: &mut Sink<'_>, node: &Node, id: &str) {
    let mut message = format!("`{id}` names no Claude model: {}", not_found(id));
    let today = ctx.options.today;
    let fix = ctx.facts.suggest(id).and_then(|meant| {
        // A retired or deprecated match: its successor in service is the id to write.
        if let Some(current) = ctx.facts.in_service(meant.model, today)
            && !std::ptr::eq(current, meant.model)
        {
            message.push_str(&format!(
                "; did you mean `{}` ({})? `{}` ({}) {}",
                current.id,
                current.name,
                meant.id,
                meant.model.name,
                lifecycle_phrase(meant.model.lifecycle(today))
            ));
            return Some(replace_model(ctx, node, &current.id, false));
        }
        message.push_str(&format!("; did you mean `{}`", meant.id));
        match meant.model.lifecycle(today) {
            Lifecycle::Retired(day) => {
                message.push_str(&format!("? {} was retired on {day}", meant.model.name));
                successor(meant.model, &mut message).map(|to| replace_model(ctx, node, to, false))
            }
            Lifecycle::Deprecated(end) => {
                message.push_str(&format!(" ({}, deprecated", meant.model.name));
                if let Some(end) = end {
                    message.push_str(&format!(": end of life {end}"));
                }
                message.push_str(")?");
                Some(replace_model(ctx, node, meant.id, false))
            }
            Lifecycle::Active => {
                message.push_str(&format!(" ({})?", meant.model.name));
                Some(replace_model(ctx, node, meant.id, false))
            }
        }
    });
    sink.report_fix(&UNKNOWN_MODEL, node.range, message, fix);
}

/// "was retired on 2026-11-30", "is deprecated: end of life 2027-01-05": where a model
/// stands, after its name.
fn lifecycle_phrase(lifecycle: Lifecycle) -> String {
    match lifecycle {
        Lifecycle::Active => "is active".into(),
        Lifecycle::Retired(day) => format!("was retired on {day}"),
        Lifecycle::Deprecated(Some(end)) => format!("is deprecated: end of life {end}"),
        Lifecycle::Deprecated(None) => "is deprecated".into(),
    }
}

fn check_lifecycle(ctx: &Context<'_>, sink: &mut Sink<'_>, node: &Node, id: &str, model: &Model) {
    let today = ctx.options.today;
    match model.lifecycle(today) {
        Lifecycle::Active => {}
        Lifecycle::Retired(day) => {
            let mut message = format!(
                "`{id}` is {}, retired on {day}: {}",
                model.name,
                not_found(id)
            );
            let fix = successor(model, &mut message).map(|to| replace_model(ctx, node, to, false));
            sink.report_fix(&RETIRED_MODEL, node.range, message, fix);
        }
        Lifecycle::Deprecated(end) => {
            let mut message = format!("The model '{id}' is deprecated");
            if let Some(end) = end {
                message.push_str(&format!(
                    " and will reach end-of-life on {} ({}); from then on the API answers 404 `not_found_error`",
                    sdk_date(end),
                    days_left(today, end)
                ));
            }
            message.push_str(". Please migrate to a newer model");
            let fix = model.replacement.as_deref().map(|to| {
                message.push_str(&format!(": its replacement is `{to}`"));
                replace_model(ctx, node, to, false)
            });
            sink.report_fix(&DEPRECATED_MODEL, node.range, message, fix);
        }
    }
}

/// A date as the SDKs' deprecation warning writes it: "November 30th, 2026".
fn sdk_date(day: Date) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let d = day.day();
    let suffix = match (d % 10, d % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    let month = MONTHS[usize::from(day.month().unsigned_abs()).saturating_sub(1) % 12];
    format!("{month} {d}{suffix}, {}", day.year())
}

/// "in 5 days" from `today` to the later day `end`.
fn days_left(today: Date, end: Date) -> String {
    match today.until(end).map(|span| span.get_days()) {
        Ok(1) => "in 1 day".to_owned(),
        Ok(days) => format!("in {days} days"),
        Err(_) => format!("on {end}"),
    }
}

fn check_max_tokens(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let payload = ctx.payload;
    if payload.kind == PayloadKind::CountTokens {
        return;
    }
    let Some(model) = ctx.model else {
        return;
    };
    if payload.dialect == Dialect::FirstParty
        && matches!(model.lifecycle(ctx.options.today), Lifecycle::Retired(_))
    {
        // The API answers 404 before it looks at the limits.
        return;
    }
    let Some(node) = payload.root.get("max_tokens") else {
        return;
    };
    let Some(requested) = node.as_u64() else {
        return;
    };
    let max = model.max_output;
    if requested <= max {
        return;
    }
    let whose = if payload.root.get("model").is_some() {
        model.name.clone()
    } else {
        format!("{} (the configured default model)", model.name)
    };
    let mut message = format!(
        "`max_tokens` is {requested} but {whose} writes at most {max} output tokens: the API answers 400 `{}: {requested} > {max}, which is the maximum allowed number of output tokens for {}`",
        payload.api_path("max_tokens"),
        model.id
    );
    if payload.kind == PayloadKind::BatchItem
        && let Some(batch_max) = model.batch_max_output
        && requested <= batch_max
    {
        message.push_str(&format!(
            " (unless the batch is sent with the `{BATCH_OUTPUT_BETA}` beta header, which allows up to {batch_max})"
        ));
    }
    let fix = Fix::unsafe_(
        format!("Set `max_tokens` to {max}"),
        vec![Edit::replace_value(node, json!(max))],
    );
    sink.report_fix(&MAX_TOKENS_OVER_LIMIT, node.range, message, Some(fix));
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::extract::Payload;
    use crate::facts::Facts;
    use crate::rules::Options;
    use crate::syntax::{Member, TextRange, Value};

    #[test]
    fn dates_read_like_the_sdk_warning() {
        assert_eq!(sdk_date(date(2026, 11, 30)), "November 30th, 2026");
        assert_eq!(sdk_date(date(2027, 1, 22)), "January 22nd, 2027");
        assert_eq!(sdk_date(date(2026, 6, 1)), "June 1st, 2026");
        assert_eq!(sdk_date(date(2026, 6, 3)), "June 3rd, 2026");
        assert_eq!(sdk_date(date(2026, 6, 11)), "June 11th, 2026");
        assert_eq!(sdk_date(date(2026, 6, 13)), "June 13th, 2026");
        assert_eq!(sdk_date(date(2026, 6, 21)), "June 21st, 2026");
        assert_eq!(
            days_left(date(2026, 11, 29), date(2026, 11, 30)),
            "in 1 day"
        );
        assert_eq!(
            days_left(date(2026, 11, 25), date(2027, 1, 22)),
            "in 58 days"
        );
    }

    fn node(value: Value) -> Node {
        Node::new(TextRange::new(10, 20), value)
    }

    fn member(key: &str, value: Value) -> Member {
        Member {
            key: key.to_owned(),
            key_range: TextRange::new(0, 5),
            value: node(value),
        }
    }

    /// Runs the family over a first-party body with these members.
    fn findings(
        members: Vec<Member>,
        facts: &Facts,
        default_model: Option<&str>,
    ) -> Vec<(&'static str, String)> {
        let root = node(Value::Object(members));
        let payload = Payload {
            root: &root,
            kind: PayloadKind::Messages,
            dialect: Dialect::FirstParty,
            path: String::new(),
            body_bytes: 100,
            call: None,
            stored: false,
        };
        let options = Options {
            default_model: default_model.map(str::to_owned),
            ..Options::new(date(2026, 11, 25))
        };
        let model = match root.get("model") {
            Some(m) => m.as_str().and_then(|id| facts.resolve(id)),
            None => default_model.and_then(|id| facts.resolve(id)),
        }
        .map(|(m, _)| m);
        crate::rules::testing::findings_of(&payload, facts, model, &options, "", check)
            .into_iter()
            .map(|f| (f.rule.name, f.message))
            .collect()
    }

    fn string(s: &str) -> Value {
        Value::String(s.to_owned())
    }

    fn number(n: u64) -> Value {
        Value::Number(n.into())
    }

    #[test]
    fn run_time_values_are_skipped() {
        let facts = Facts::builtin();
        let unknown_model = vec![
            member("model", Value::Unknown),
            member("max_tokens", number(500_000)),
        ];
        assert_eq!(findings(unknown_model, facts, None), vec![]);
        let unknown_max = vec![
            member("model", string("claude-opus-4-5")),
            member("max_tokens", Value::Unknown),
        ];
        assert_eq!(
            findings(unknown_max, facts, None).len(),
            1,
            "only the deprecation"
        );
    }

    #[test]
    fn a_model_written_at_run_time_is_not_replaced_by_the_default() {
        let facts = Facts::builtin();
        let members = vec![
            member("model", Value::Unknown),
            member("max_tokens", number(100_000)),
        ];
        assert_eq!(findings(members, facts, Some("claude-haiku-4-5")), vec![]);
    }

    #[test]
    fn configured_models_are_known() {
        let mut proxy = Facts::builtin().get("claude-haiku-4-5").unwrap().clone();
        proxy.id = "claude-haiku-via-proxy".into();
        proxy.aliases.clear();
        proxy.bedrock.clear();
        proxy.bedrock_messages.clear();
        proxy.vertex.clear();
        let facts = Facts::with_models(vec![proxy]);
        let members = vec![
            member("model", string("claude-haiku-via-proxy")),
            member("max_tokens", number(64_001)),
        ];
        let found = findings(members, &facts, None);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "max-tokens-over-limit");
        assert!(
            found[0].1.ends_with("for claude-haiku-via-proxy`"),
            "{}",
            found[0].1
        );
        let unknown = vec![
            member("model", string("claude-haiku-via-proxy")),
            member("max_tokens", number(1)),
        ];
        assert_eq!(
            findings(unknown, Facts::builtin(), None)[0].0,
            "unknown-model"
        );
    }

    #[test]
    fn ids_that_do_not_look_like_claude_are_left_alone() {
        let members = vec![
            member("model", string("gpt-4o")),
            member("max_tokens", number(1_000_000)),
        ];
        assert_eq!(findings(members, Facts::builtin(), None), vec![]);
    }
}
