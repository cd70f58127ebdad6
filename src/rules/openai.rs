//! OpenAI habits in a Claude request: Chat Completions and Responses parameters sent to
//! `/v1/messages`, with their Claude equivalent (reference §11.4).

use serde_json::json;

use super::registry::declare_rules;
use super::{Context, Sink};
use crate::fix::{Edit, Fix};
use crate::syntax::{Member, Node, Value};

declare_rules! {
    family: "openai";
    prefix: "O";
    /// ## What it does
    /// Reports OpenAI parameters in a Claude request and names the Claude equivalent:
    /// `stop` → `stop_sequences`, `max_completion_tokens` → `max_tokens`, `user` →
    /// `metadata.user_id`, `response_format` → `output_config.format`, `parallel_tool_calls`
    /// → `tool_choice.disable_parallel_tool_use`, `reasoning_effort` → `output_config.effort`;
    /// `n`, `frequency_penalty`, `presence_penalty`, `logit_bias`, `logprobs`, `seed`, ... have
    /// none.
    ///
    /// ## Why
    /// Anthropic's OpenAI-compatible endpoint ignores these, but the native Messages API
    /// rejects every unknown field: 400 `<field>: Extra inputs are not permitted`.
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-opus-5", "max_tokens": 1024, "stop": "END", "messages": []}
    /// ```
    ///
    /// ## Fix
    /// Renames to the Claude field where the meaning is the same (safe: `stop`,
    /// `max_completion_tokens`, `user`); removes parameters that have no equivalent (unsafe).
    OPENAI_PARAMETER { code: "101", name: "openai-parameter", severity: Error, fix: Mixed }
}

/// What to do with one OpenAI parameter.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Equivalent {
    /// Same meaning under another name (a string `stop` is wrapped in an array).
    Rename(&'static str),
    /// The Claude way to say it, explained; no mechanical fix.
    Explain(&'static str),
    /// No Claude equivalent: remove it.
    None,
}

/// The OpenAI-only top-level parameters and their Claude equivalent.
static PARAMETERS: &[(&str, Equivalent)] = &[
    ("stop", Equivalent::Rename("stop_sequences")),
    ("max_completion_tokens", Equivalent::Rename("max_tokens")),
    ("max_output_tokens", Equivalent::Rename("max_tokens")),
    ("user", Equivalent::Rename("metadata")),
    (
        "response_format",
        Equivalent::Explain(
            "use `output_config: {\"format\": {\"type\": \"json_schema\", \"schema\": {...}}}`",
        ),
    ),
    (
        "parallel_tool_calls",
        Equivalent::Explain(
            "use `tool_choice: {\"type\": \"auto\", \"disable_parallel_tool_use\": true}`",
        ),
    ),
    (
        "reasoning_effort",
        Equivalent::Explain("use `output_config.effort` or `thinking`"),
    ),
    (
        "reasoning",
        Equivalent::Explain("use `thinking` and `output_config.effort`"),
    ),
    (
        "functions",
        Equivalent::Explain("use `tools: [{\"name\", \"description\", \"input_schema\"}]`"),
    ),
    ("function_call", Equivalent::Explain("use `tool_choice`")),
    (
        "instructions",
        Equivalent::Explain("use the top-level `system` parameter"),
    ),
    ("input", Equivalent::Explain("use `messages`")),
    ("n", Equivalent::None),
    ("frequency_penalty", Equivalent::None),
    ("presence_penalty", Equivalent::None),
    ("logit_bias", Equivalent::None),
    ("logprobs", Equivalent::None),
    ("top_logprobs", Equivalent::None),
    ("seed", Equivalent::None),
    ("store", Equivalent::None),
    ("modalities", Equivalent::None),
    ("audio", Equivalent::None),
    ("prediction", Equivalent::None),
    ("stream_options", Equivalent::None),
    (
        "web_search_options",
        Equivalent::Explain("add the `web_search_20260318` server tool to `tools`"),
    ),
];

/// The Claude equivalent of `name` when it is an OpenAI-only parameter.
pub(crate) fn parameter(name: &str) -> Option<Equivalent> {
    PARAMETERS.iter().find(|(n, _)| *n == name).map(|&(_, e)| e)
}

/// True when the body sets `max_tokens` under an OpenAI name (reported here, not as missing).
pub(crate) fn has_max_tokens_alias(root: &Node) -> bool {
    ["max_completion_tokens", "max_output_tokens"]
        .iter()
        .any(|k| root.get(k).is_some())
}

/// Checks one payload.
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let payload = ctx.payload;
    if !payload.kind.is_request() {
        return;
    }
    let root = payload.root;
    let Some(members) = root.as_object() else {
        return;
    };
    for member in members {
        let Some(equivalent) = parameter(&member.key) else {
            continue;
        };
        let key = member.key.as_str();
        let answer = format!(
            "the API answers 400 `{}: Extra inputs are not permitted`",
            payload.api_path(key)
        );
        let (message, fix) = match equivalent {
            Equivalent::Rename(to) => rename(root, member, to, &answer),
            Equivalent::Explain(how) => (
                format!("`{key}` is an OpenAI parameter: {answer}; {how}"),
                None,
            ),
            Equivalent::None => (
                format!("`{key}` is an OpenAI parameter with no Claude equivalent: {answer}"),
                Some(Fix::unsafe_(
                    format!("Remove `{key}`"),
                    vec![Edit::remove_member(root, member)],
                )),
            ),
        };
        sink.report_fix(&OPENAI_PARAMETER, member.key_range, message, fix);
    }
}

/// The finding for a parameter with a same-meaning Claude name.
fn rename(root: &Node, member: &Member, to: &str, answer: &str) -> (String, Option<Fix>) {
    let key = member.key.as_str();
    let value = &member.value;
    let (claude, new_value) = match (to, &value.value) {
        ("stop_sequences", Value::String(s)) => ("`stop_sequences` (an array)", Some(json!([s]))),
        ("stop_sequences", Value::Array(_)) => ("`stop_sequences`", None),
        ("metadata", Value::String(s)) => ("`metadata.user_id`", Some(json!({ "user_id": s }))),
        ("metadata", _) => ("`metadata.user_id`", None),
        _ => ("`max_tokens`", None),
    };
    let message = format!("`{key}` is OpenAI's name: {answer}; Claude calls it {claude}");
    let already_set = root.get(to).is_some();
    let convertible = match to {
        "metadata" => new_value.is_some(),
        "stop_sequences" => matches!(value.value, Value::String(_) | Value::Array(_)),
        _ => !value.is_unknown(),
    };
    if already_set {
        let fix = Fix::unsafe_(
            format!("Remove `{key}` (`{to}` is already set)"),
            vec![Edit::remove_member(root, member)],
        );
        return (message, Some(fix));
    }
    if !convertible {
        return (message, None);
    }
    let mut edits = vec![Edit::rename_key(member, to)];
    if let Some(new_value) = new_value {
        edits.push(Edit::replace_value(value, new_value));
    }
    let title = format!("Rename `{key}` to `{to}`");
    (message, Some(Fix::safe(title, edits)))
}
