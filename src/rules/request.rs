//! The request as a whole: required fields, unknown fields, message count, body size.

use super::registry::declare_rules;
use super::{Context, Sink};
use crate::extract::{Payload, PayloadKind, text_completions_prompt};
use crate::facts::Dialect;
use crate::facts::api::{self, MB};
use crate::facts::params::{self, ParamKind};
use crate::fix::{Edit, Fix};
use crate::rules::openai;
use crate::syntax::{Member, Node, TextRange};
use crate::words::did_you_mean;

declare_rules! {
    family: "request";
    prefix: "R";
    /// ## What it does
    /// Reports a first-party request without `model`.
    ///
    /// ## Why
    /// `model` is required on the Claude API; the API answers 400 `model: Field required`.
    /// Bedrock and Vertex bodies carry the model in the URL instead and are not flagged.
    ///
    /// ## Example
    /// ```json
    /// {"max_tokens": 1024, "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    MISSING_MODEL { code: "001", name: "missing-model", severity: Error, fix: None }

    /// ## What it does
    /// Reports a Messages request without `max_tokens`.
    ///
    /// ## Why
    /// Unlike OpenAI's API, `max_tokens` is required: the API answers 400
    /// `max_tokens: Field required`. count_tokens bodies do not take it.
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-opus-5", "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    ///
    /// ## Fix
    /// Adds `"max_tokens": 1024` (unsafe: pick the limit you want).
    MISSING_MAX_TOKENS { code: "002", name: "missing-max-tokens", severity: Error, fix: Unsafe }

    /// ## What it does
    /// Reports a request without `messages`, or with an empty `messages` array.
    ///
    /// ## Why
    /// The API answers 400 `messages: Field required`. An empty array is refused too: observed
    /// API behaviour (reference §14) is a 400 `messages: at least one message is required`,
    /// also reported as "messages must have at least one element" (for example when a client
    /// moved every system message out of the list).
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-opus-5", "max_tokens": 1024, "prompt": "Hi"}
    /// ```
    MISSING_MESSAGES { code: "003", name: "missing-messages", severity: Error, fix: None }

    /// ## What it does
    /// Reports a top-level field the Messages API does not know, with the closest known name,
    /// and SDK call options (`extra_body`, `betas`, `timeout`, ...) written into a raw body.
    ///
    /// ## Why
    /// The body is a closed object: the API answers 400 `<field>: Extra inputs are not
    /// permitted`. OpenAI parameters have their own rule, `openai-parameter`.
    ///
    /// A request kept in a prompt store beside others (`prompts: [{id, name, model, ...}]`)
    /// is reported only for near-misses of a parameter: a store's entries carry the store's
    /// own fields, which the code that loads them drops before sending.
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-opus-5", "max_token": 1024, "messages": []}
    /// ```
    ///
    /// ## Fix
    /// Renames a near-miss to the known field (unsafe: check it is the one you meant).
    UNKNOWN_PARAMETER { code: "004", name: "unknown-parameter", severity: Error, fix: Unsafe }

    /// ## What it does
    /// Reports a Text Completions body (`prompt` with `\n\nHuman:` turns,
    /// `max_tokens_to_sample`) sent with a Claude model, as one finding instead of one per
    /// missing or unknown field.
    ///
    /// ## Why
    /// Every current model is served only by the Messages API (reference §1.2: `prompt` and
    /// `max_tokens_to_sample` are not fields of a Messages body, and §11.1 names
    /// `max_tokens_to_sample` as the legacy Text Completions field). The API answers 400:
    /// `messages: Field required`, `max_tokens: Field required`, `prompt: Extra inputs are not
    /// permitted`.
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-opus-5", "max_tokens_to_sample": 256, "prompt": "\n\nHuman: Hello\n\nAssistant:"}
    /// ```
    ///
    /// Convert it: `"messages": [{"role": "user", "content": "Hello"}]` (each `Human:` turn a
    /// `user` message, each `Assistant:` turn an `assistant` message) and `"max_tokens": 256`.
    TEXT_COMPLETIONS_BODY { code: "007", name: "text-completions-body", severity: Error, fix: None }

    /// ## What it does
    /// Reports more than {api.messages.max_messages} entries in `messages`.
    ///
    /// ## Why
    /// The API accepts at most {api.messages.max_messages} messages per request.
    ///
    /// ## Example
    /// A replayed transcript of 120,000 turns.
    TOO_MANY_MESSAGES { code: "005", name: "too-many-messages", severity: Error, fix: None }

    /// ## What it does
    /// Reports a body larger than the platform accepts: {api.platform.first-party.max_body_mb} MB on the Claude API, {api.platform.bedrock.max_body_mb} MB on
    /// Amazon Bedrock, {api.platform.vertex.max_body_mb} MB on Vertex AI, {api.batches.max_body_mb} MB for a Message Batches body.
    ///
    /// ## Why
    /// An oversized body is refused with 413 `request_too_large` before the API looks at it,
    /// often by the front proxy, with an error that is not the usual JSON shape.
    ///
    /// ## Example
    /// A request with forty 1 MB base64 images.
    REQUEST_TOO_LARGE { code: "006", name: "request-too-large", severity: Error, fix: None }
}

/// Checks one payload.
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let payload = ctx.payload;
    let root = payload.root;
    if root.as_object().is_none() {
        return;
    }
    check_size(ctx, sink);
    if !payload.kind.is_request() {
        return;
    }
    if let Some(prompt) = text_completions_prompt(root) {
        report_text_completions(ctx, prompt, sink);
        return;
    }
    let brace = root.range.head(1);
    let at = |field: &str| payload.api_path(field);
    // A spread of a run-time value (`**params`, `...opts`) may supply any field.
    let spread = root.has_spread();
    if !spread && payload.dialect == Dialect::FirstParty && root.get("model").is_none() {
        sink.report(
            &MISSING_MODEL,
            brace,
            format!(
                "`model` is missing: the API answers 400 `{}: Field required`",
                at("model")
            ),
        );
    }
    if !spread
        && payload.kind != PayloadKind::CountTokens
        && root.get("max_tokens").is_none()
        && !openai::has_max_tokens_alias(root)
    {
        let message = format!(
            "`max_tokens` is missing: the API answers 400 `{}: Field required`{}",
            at("max_tokens"),
            if payload.kind == PayloadKind::Messages
                && payload.path.is_empty()
                && payload.call.is_none()
            {
                " (for a count_tokens body, put `count_tokens` in the file name or declare it in the configuration)"
            } else {
                ""
            }
        );
        // A near miss (`max_token`) is renamed by its own fix, keeping the user's value.
        let fix = (!has_near_miss(root, "max_tokens")).then(|| {
            Fix::unsafe_(
                "Add `\"max_tokens\": 1024`",
                vec![Edit::insert_member(
                    root,
                    "max_tokens",
                    serde_json::json!(1024),
                )],
            )
        });
        sink.report_fix(&MISSING_MAX_TOKENS, brace, message, fix);
    }
    match root.get("messages") {
        None if spread => {}
        None => sink.report(
            &MISSING_MESSAGES,
            brace,
            format!(
                "`messages` is missing: the API answers 400 `{}: Field required`",
                at("messages")
            ),
        ),
        Some(messages) => {
            if messages.as_array().is_some_and(<[Node]>::is_empty) {
                sink.report(
                    &MISSING_MESSAGES,
                    messages.range,
                    format!(
                        "`messages` is empty: the API answers 400 `{}: at least one message is required`; add the user's message (a system prompt goes in `system`)",
                        at("messages")
                    ),
                );
            }
            let max = api::limits().messages.max_messages;
            if let Some(items) = messages.as_array().filter(|m| m.len() > max) {
                sink.report(
                    &TOO_MANY_MESSAGES,
                    items[max].range,
                    format!(
                        "{} messages: the API accepts at most {max} per request",
                        items.len()
                    ),
                );
            }
        }
    }
    check_unknown_parameters(ctx, sink);
}

/// True when an unknown top-level key of `root` is a near miss of `name`.
fn has_near_miss(root: &Node, name: &str) -> bool {
    root.as_object().into_iter().flatten().any(|member| {
        let key = member.key.as_str();
        !member.is_spread()
            && params::param(key).is_none()
            && openai::parameter(key).is_none()
            && did_you_mean(key, params::PARAMS.iter().map(|p| p.name)) == Some(name)
    })
}

/// Says, once, that a Text Completions body is not a Messages body, and how to convert it.
fn report_text_completions(ctx: &Context<'_>, prompt: &Member, sink: &mut Sink<'_>) {
    let root = ctx.payload.root;
    let limit = root
        .get("max_tokens_to_sample")
        .or_else(|| root.get("max_tokens"))
        .and_then(Node::as_u64)
        .map_or("N".to_owned(), |n| n.to_string());
    let model = root
        .get("model")
        .and_then(Node::as_str)
        .map_or(String::new(), |m| format!(" (`{m}`)"));
    sink.report(
        &TEXT_COMPLETIONS_BODY,
        prompt.key_range,
        format!(
            "this is a Text Completions body (`prompt`, `max_tokens_to_sample`), but the model{model} is served only by the Messages API, which answers 400 `{}: Field required`: convert it to `\"messages\": [{{\"role\": \"user\", \"content\": \"...\"}}]` (each `Human:` turn a `user` message, each `Assistant:` turn an `assistant` message) and `\"max_tokens\": {limit}`",
            ctx.payload.api_path("messages")
        ),
    );
}

/// The keys at the root of a stored request (`Payload::stored`) that are the store's own fields
/// (an id, a name, tags), dropped by the code that loads the entry: neither a parameter, an
/// OpenAI parameter, nor a near-miss of a parameter, which alone says one was meant.
pub(crate) fn store_fields<'a>(payload: &Payload<'a>) -> impl Iterator<Item = &'a Member> {
    payload
        .stored
        .then(|| payload.root.as_object())
        .flatten()
        .unwrap_or_default()
        .iter()
        .filter(|member| {
            let key = member.key.as_str();
            !member.is_spread()
                && params::param(key).is_none()
                && openai::parameter(key).is_none()
                && did_you_mean(key, params::PARAMS.iter().map(|p| p.name)).is_none()
        })
}

fn check_unknown_parameters(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let payload = ctx.payload;
    let Some(members) = payload.root.as_object() else {
        return;
    };
    for member in members {
        let key = member.key.as_str();
        if member.is_spread() || key == "$schema" || openai::parameter(key).is_some() {
            continue;
        }
        let message = match params::param(key).map(|p| p.kind) {
            Some(ParamKind::SdkOnly(why)) => format!(
                "`{key}` is an SDK option, not a body field ({why}): the API answers 400 `{}: Extra inputs are not permitted`",
                payload.api_path(key)
            ),
            Some(ParamKind::Cloud)
                if payload.dialect == Dialect::FirstParty && key != "anthropic_version" =>
            {
                format!(
                    "`{key}` belongs in Bedrock InvokeModel bodies only: the Claude API answers 400 `{}: Extra inputs are not permitted`",
                    payload.api_path(key)
                )
            }
            Some(_) => continue,
            None => {
                let suggestion = did_you_mean(key, params::PARAMS.iter().map(|p| p.name));
                if payload.stored && suggestion.is_none() {
                    continue;
                }
                let mut message = format!(
                    "`{key}` is not a Messages API parameter: the API answers 400 `{}: Extra inputs are not permitted`",
                    payload.api_path(key)
                );
                if let Some(s) = suggestion {
                    message.push_str(&format!("; did you mean `{s}`?"));
                    let taken = payload.root.get(s).is_some();
                    let fix = (!taken).then(|| {
                        Fix::unsafe_(
                            format!("Rename `{key}` to `{s}`"),
                            vec![Edit::rename_key(member, s)],
                        )
                    });
                    sink.report_fix(&UNKNOWN_PARAMETER, member.key_range, message, fix);
                    continue;
                }
                message
            }
        };
        sink.report(&UNKNOWN_PARAMETER, member.key_range, message);
    }
}

fn check_size(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let payload = ctx.payload;
    let (limit, what) = match payload.kind {
        PayloadKind::Batch => (
            api::limits().batches.max_body_bytes(),
            "a Message Batches body",
        ),
        PayloadKind::BatchItem => return,
        _ => (payload.dialect.max_body_bytes(), "a request body"),
    };
    if payload.body_bytes <= limit {
        return;
    }
    let range = TextRange::new(
        payload.root.range.start as usize,
        payload.root.range.start as usize + 1,
    );
    sink.report(
        &REQUEST_TOO_LARGE,
        range,
        format!(
            "the body is {} ({} bytes); {} accepts at most {} MB for {what}: it answers 413 `request_too_large`{}",
            human_size(payload.body_bytes),
            payload.body_bytes,
            payload.dialect.name(),
            limit / MB,
            largest_member(payload.root)
                .map(|(key, bytes)| format!(" (`{key}` alone is {})", human_size(bytes)))
                .unwrap_or_default(),
        ),
    );
}

/// The top-level member that takes the most bytes, to say where the size goes.
fn largest_member(root: &Node) -> Option<(&str, u64)> {
    root.as_object()?
        .iter()
        .map(|m| (m.key.as_str(), m.value.range.len() as u64))
        .max_by_key(|&(_, len)| len)
}

/// Bytes as "12.3 MB".
pub(crate) fn human_size(bytes: u64) -> String {
    if bytes >= MB {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    } else {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    }
}
