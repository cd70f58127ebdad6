//! Message Batches bodies and JSON Lines batch files (`custom_id`, `params`, the most requests
//! a batch holds), and the body dialects of the other endpoints: Amazon Bedrock InvokeModel and
//! Google Cloud Vertex AI bodies, and count_tokens bodies (reference §8.1, §9.1, §11.1, §11.2).
//!
//! A batch body is one payload (its `requests` are checked together here, and each `params` is
//! checked as a request on its own). A JSON Lines batch file has no such envelope: the analysis
//! hands its request lines to [`check_lines`] so that `custom_id` uniqueness spans the file.

use std::collections::{HashMap, HashSet};

use serde_json::{Value as Json, json};

use super::registry::declare_rules;
use super::{Context, Severity, Sink};
use crate::extract::{BatchLine, PayloadKind};
use crate::facts::Dialect;
use crate::facts::api::{self, ApiVersion};
use crate::facts::models::Tokenizer;
use crate::facts::params::{self, ParamKind};
use crate::fix::{Edit, Fix};
use crate::syntax::{Member, Node, Value};
use crate::words::did_you_mean;
use crate::words::{describe, thousands};

declare_rules! {
    family: "batch";
    prefix: "B";
    /// ## What it does
    /// Reports a batch request without a `custom_id`, or with one that does not match
    /// `^[a-zA-Z0-9_-]{1,{api.batches.max_custom_id_chars}}$` (empty, longer than {api.batches.max_custom_id_chars} characters, or holding a character
    /// other than a letter, a digit, `_` or `-`).
    ///
    /// ## Why
    /// Results come back keyed by `custom_id`. The API answers 400
    /// `requests.N.custom_id: Field required`, or
    /// `requests.N.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,{api.batches.max_custom_id_chars}}$'`.
    ///
    /// ## Example
    /// ```json
    /// {"requests": [{"custom_id": "order 17/a", "params": {"model": "claude-opus-5", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hi"}]}}]}
    /// ```
    ///
    /// ## Fix
    /// Replaces each character that is not allowed with `_` and cuts the id at {api.batches.max_custom_id_chars} characters,
    /// when the result is not already used (unsafe: results come back under the new id).
    INVALID_CUSTOM_ID { code: "101", name: "invalid-custom-id", severity: Error, fix: Unsafe }

    /// ## What it does
    /// Reports a `custom_id` used by an earlier request of the same batch, naming that
    /// request (its `requests` index, or its line in a JSON Lines file).
    ///
    /// ## Why
    /// Each request's result is matched by its `custom_id`, which must be unique in the
    /// batch; the API rejects a batch that repeats one.
    ///
    /// ## Example
    /// ```json
    /// {"requests": [{"custom_id": "a", "params": {...}}, {"custom_id": "a", "params": {...}}]}
    /// ```
    DUPLICATE_CUSTOM_ID { code: "102", name: "duplicate-custom-id", severity: Error, fix: None }

    /// ## What it does
    /// Reports a batch of more than {api.batches.max_requests} requests: a Message Batches body, or a JSON Lines
    /// file of batch requests (a warning there: the file may be sent as several batches).
    ///
    /// ## Why
    /// A batch holds at most {api.batches.max_requests} requests (and {api.batches.max_body_mb} MB); the API rejects a larger one.
    ///
    /// ## Example
    /// A `requests` array of 120,000 entries.
    TOO_MANY_BATCH_REQUESTS { code: "103", name: "too-many-batch-requests", severity: Error, fix: None }

    /// ## What it does
    /// Reports a batch request without `params`, or whose `params` is not an object (often a
    /// request serialized twice, into a JSON string).
    ///
    /// ## Why
    /// `params` is the Messages request to run: the API answers 400
    /// `requests.N.params: Field required` or `requests.N.params: Input should be a valid
    /// dictionary`.
    ///
    /// ## Example
    /// ```json
    /// {"custom_id": "a", "params": "{\"model\": \"claude-opus-5\", ...}"}
    /// ```
    ///
    /// ## Fix
    /// Parses a `params` string that holds a JSON object into that object (safe).
    INVALID_BATCH_PARAMS { code: "104", name: "invalid-batch-params", severity: Error, fix: Safe }

    /// ## What it does
    /// Reports keys beside `custom_id` and `params` in a batch request, and beside `requests`
    /// in a Message Batches body, naming OpenAI's Batch API fields (`method`, `url`, `body`).
    ///
    /// ## Why
    /// Both objects are closed: the API answers 400
    /// `requests.N.<key>: Extra inputs are not permitted`.
    ///
    /// ## Example
    /// ```json
    /// {"custom_id": "a", "method": "POST", "url": "/v1/messages", "params": {...}}
    /// ```
    ///
    /// ## Fix
    /// Renames a near-miss (`param`, `customId`) or OpenAI's `body` to the Claude field;
    /// removes other keys (unsafe: check nothing you need was in them).
    UNKNOWN_BATCH_FIELD { code: "105", name: "unknown-batch-field", severity: Error, fix: Unsafe }

    /// ## What it does
    /// Reports `stream: true` in the `params` of a batch request.
    ///
    /// ## Why
    /// Message Batches do not stream: results are fetched once the batch has ended, so a
    /// streaming request cannot run there (the API ignores or rejects it).
    ///
    /// ## Example
    /// ```json
    /// {"custom_id": "a", "params": {"model": "claude-opus-5", "max_tokens": 1024, "stream": true, "messages": [...]}}
    /// ```
    ///
    /// ## Fix
    /// Removes `stream` (safe: a batch never streams).
    STREAM_IN_BATCH { code: "106", name: "stream-in-batch", severity: Warning, fix: Safe }

    /// ## What it does
    /// Reports an `anthropic_version` that Amazon Bedrock InvokeModel and Google Cloud Vertex
    /// AI bodies do not take: anything but `{api.platform.bedrock.body_version}` (Bedrock) or
    /// `{api.platform.vertex.body_version}` (Vertex AI). `{api.version.sdk-default}`, which the SDKs from Python 2.0 and
    /// TypeScript 1.0 send, is a warning unless the model is Claude 4.7 or later: Bedrock
    /// accepts it only for those models (unconfirmed).
    ///
    /// ## Why
    /// Both platforms require `anthropic_version` in the body and document one value each;
    /// the Claude API's `anthropic-version` header value (`{api.version.oldest}`) is not one of them.
    ///
    /// ## Example
    /// ```json
    /// {"anthropic_version": "bedrock-2023-06-01", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    ///
    /// ## Fix
    /// Writes the platform's value when the body shows the platform (safe).
    INVALID_ANTHROPIC_VERSION { code: "107", name: "invalid-anthropic-version", severity: Error, fix: Safe }

    /// ## What it does
    /// Reports `model` in an Amazon Bedrock InvokeModel or Google Cloud Vertex AI body
    /// (count_tokens bodies excepted: Vertex takes the model in their body).
    ///
    /// ## Why
    /// These platforms take the model in the URL, and the SDKs remove `model` from the body
    /// before sending it. A raw body that keeps it is probably rejected
    /// (`model: Extra inputs are not permitted`), or the URL's model silently wins.
    ///
    /// ## Example
    /// ```json
    /// {"anthropic_version": "{api.platform.vertex.body_version}", "model": "claude-opus-5", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    ///
    /// ## Fix
    /// Removes `model` (unsafe: make sure the URL names the model you want).
    MODEL_IN_CLOUD_BODY { code: "108", name: "model-in-cloud-body", severity: Warning, fix: Unsafe }

    /// ## What it does
    /// Reports `stream` in an Amazon Bedrock InvokeModel body.
    ///
    /// ## Why
    /// Bedrock chooses streaming by endpoint (`/invoke` or `/invoke-with-response-stream`)
    /// and the SDK removes `stream` from the body; a raw body that keeps it is probably
    /// rejected. Vertex AI bodies keep `stream` and are not reported.
    ///
    /// ## Example
    /// ```json
    /// {"anthropic_version": "{api.platform.bedrock.body_version}", "stream": true, "max_tokens": 1024, "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    ///
    /// ## Fix
    /// Removes `stream` (safe for `false`; unsafe for `true`: call
    /// `invoke-with-response-stream` to stream).
    STREAM_IN_BEDROCK_BODY { code: "109", name: "stream-in-bedrock-body", severity: Warning, fix: Mixed }

    /// ## What it does
    /// Reports an `anthropic_beta` in a Bedrock body that is not an array of strings, e.g.
    /// the comma-separated string the `anthropic-beta` header takes.
    ///
    /// ## Why
    /// Bedrock InvokeModel takes betas in the body as a list of strings; a string or
    /// another value is rejected as a malformed request.
    ///
    /// ## Example
    /// ```json
    /// {"anthropic_version": "{api.platform.bedrock.body_version}", "anthropic_beta": "context-management-2025-06-27", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    ///
    /// ## Fix
    /// Splits a string at its commas into an array (safe).
    INVALID_ANTHROPIC_BETA { code: "110", name: "invalid-anthropic-beta", severity: Error, fix: Safe }

    /// ## What it does
    /// Reports Messages-only parameters in a count_tokens body: `max_tokens`, `stream`,
    /// `metadata`, `stop_sequences`, `service_tier`, `container`, `inference_geo`, sampling
    /// parameters and the beta fields count_tokens does not take.
    ///
    /// ## Why
    /// `POST /v1/messages/count_tokens` takes `model`, `messages`, `system`, `tools`,
    /// `tool_choice`, `thinking`, `output_config`, `cache_control` and `speed`. The others are
    /// probably rejected with `<field>: Extra inputs are not permitted` (the SDK types leave
    /// them out; the API's answer is unconfirmed, so this is a warning).
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-opus-5", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    /// in a file named `count_tokens.json`.
    ///
    /// ## Fix
    /// Removes the parameter (safe: it does not change the count).
    COUNT_TOKENS_PARAMETER { code: "111", name: "count-tokens-parameter", severity: Warning, fix: Safe }
}

/// Checks one payload.
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    if ctx.payload.root.as_object().is_none() {
        return;
    }
    match ctx.payload.kind {
        PayloadKind::Batch => check_body(ctx, sink),
        PayloadKind::BatchItem => check_item(ctx, sink),
        PayloadKind::Messages => check_dialect(ctx, sink),
        PayloadKind::CountTokens => {
            check_dialect(ctx, sink);
            check_count_tokens(ctx, sink);
        }
        // Not a body: `rules::check` runs only the model checks on it.
        PayloadKind::ModelReference => {}
    }
}

/// Checks the request lines of a JSON Lines batch file together ([`crate::extract::batch_lines`]).
pub(crate) fn check_lines(lines: &[BatchLine<'_>], sink: &mut Sink<'_>) {
    let requests: Vec<Request<'_>> = lines
        .iter()
        .map(|line| Request {
            node: line.root,
            path: String::new(),
            place: format!("line {}", line.line),
        })
        .collect();
    let max = api::limits().batches.max_requests;
    if let Some(first_over) = requests.get(max) {
        sink.report_at(
            Severity::Warning,
            &TOO_MANY_BATCH_REQUESTS,
            first_over.node.range,
            format!(
                "{} batch requests in this file: a batch holds at most {}, so it cannot be sent as one batch",
                requests.len(),
                thousands(max as u64)
            ),
            None,
        );
    }
    check_requests(&requests, sink);
}

/// One request of a batch: an entry of a body's `requests`, or a line of a JSON Lines file.
struct Request<'a> {
    /// The `{custom_id, params}` object.
    node: &'a Node,
    /// Its API path (`requests.3`; empty for a line, which is a request by itself).
    path: String,
    /// How messages name it: `` `requests.3` `` or `line 4`.
    place: String,
}

impl Request<'_> {
    /// The API path of a member of the request.
    fn api(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }
}

/// A Message Batches body: its keys, the number of requests, and each request.
fn check_body(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let root = ctx.payload.root;
    for member in root.as_object().unwrap_or_default() {
        if member.key != "requests" && !member.is_spread() {
            sink.report_fix(
                &UNKNOWN_BATCH_FIELD,
                member.key_range,
                format!(
                    "a Message Batches body takes only `requests`: the API answers 400 `{}: Extra inputs are not permitted`",
                    member.key
                ),
                Some(Fix::unsafe_(
                    format!("Remove `{}`", member.key),
                    vec![Edit::remove_member(root, member)],
                )),
            );
        }
    }
    let Some(entries) = root.get("requests").and_then(Node::as_array) else {
        return;
    };
    let max = api::limits().batches.max_requests;
    if let Some(first_over) = entries.get(max) {
        sink.report(
            &TOO_MANY_BATCH_REQUESTS,
            first_over.range,
            format!(
                "{} requests: a batch holds at most {}, and the API rejects a larger one; split it",
                entries.len(),
                thousands(max as u64)
            ),
        );
    }
    let requests: Vec<Request<'_>> = entries
        .iter()
        .enumerate()
        .map(|(i, node)| Request {
            node,
            path: format!("requests.{i}"),
            place: format!("`requests.{i}`"),
        })
        .collect();
    check_requests(&requests, sink);
}

/// The checks every batch request gets, and `custom_id` uniqueness across them.
fn check_requests(requests: &[Request<'_>], sink: &mut Sink<'_>) {
    let used: HashSet<&str> = requests
        .iter()
        .filter_map(|r| r.node.get("custom_id")?.as_str())
        .collect();
    let mut first: HashMap<&str, &Request<'_>> = HashMap::with_capacity(requests.len());
    for request in requests {
        let Some(members) = request.node.as_object() else {
            continue;
        };
        check_custom_id(request, &used, &mut first, sink);
        check_params(request, sink);
        for member in members
            .iter()
            .filter(|m| m.key != "custom_id" && m.key != "params")
        {
            report_unknown_field(request, member, sink);
        }
    }
}

fn check_custom_id<'a>(
    request: &'a Request<'a>,
    used: &HashSet<&str>,
    first: &mut HashMap<&'a str, &'a Request<'a>>,
    sink: &mut Sink<'_>,
) {
    let api = request.api("custom_id");
    let Some(node) = request.node.get("custom_id") else {
        sink.report(
            &INVALID_CUSTOM_ID,
            request.node.range.head(1),
            format!(
                "this batch request has no `custom_id`: the API answers 400 `{api}: Field required`"
            ),
        );
        return;
    };
    let id = match &node.value {
        Value::String(id) => id.as_str(),
        Value::Unknown => return,
        _ => {
            sink.report(
                &INVALID_CUSTOM_ID,
                node.range,
                format!(
                    "`custom_id` is {}, but must be a string: the API answers 400 `{api}: Input should be a valid string`",
                    describe(node)
                ),
            );
            return;
        }
    };
    if let Some(problem) = custom_id_problem(id) {
        let fix = sanitized_custom_id(id)
            .filter(|new| !used.contains(new.as_str()))
            .map(|new| {
                Fix::unsafe_(
                    format!("Replace with `{new}`"),
                    vec![Edit::replace_value(node, json!(new))],
                )
            });
        sink.report_fix(
            &INVALID_CUSTOM_ID,
            node.range,
            format!(
                "`custom_id` {problem}: the API answers 400 `{api}: String should match pattern '^[a-zA-Z0-9_-]{{1,{}}}$'`",
                api::limits().batches.max_custom_id_chars
            ),
            fix,
        );
    }
    match first.get(id) {
        Some(earlier) => sink.report(
            &DUPLICATE_CUSTOM_ID,
            node.range,
            format!(
                "`custom_id` `{id}` is already used by {}: each request of a batch needs its own `custom_id`, and the API rejects the batch",
                earlier.place
            ),
        ),
        None => {
            first.insert(id, request);
        }
    }
}

/// What is wrong with a `custom_id`, if anything.
fn custom_id_problem(id: &str) -> Option<String> {
    let chars = id.chars().count();
    if id.is_empty() {
        return Some("is empty".into());
    }
    if let Some(bad) = id.chars().find(|&c| !is_custom_id_char(c)) {
        let shown = if bad.is_whitespace() {
            format!("{bad:?}")
        } else {
            format!("`{bad}`")
        };
        return Some(format!(
            "`{id}` holds {shown}, but only letters, digits, `_` and `-` are allowed"
        ));
    }
    let max = api::limits().batches.max_custom_id_chars;
    (chars > max).then(|| format!("is {chars} characters long, over the limit of {max}"))
}

/// A character `custom_id` may hold.
fn is_custom_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// `id` with each character that is not allowed replaced by `_`, cut at the longest allowed;
/// `None` for an empty id.
fn sanitized_custom_id(id: &str) -> Option<String> {
    let new: String = id
        .chars()
        .map(|c| if is_custom_id_char(c) { c } else { '_' })
        .take(api::limits().batches.max_custom_id_chars)
        .collect();
    (!new.is_empty()).then_some(new)
}

fn check_params(request: &Request<'_>, sink: &mut Sink<'_>) {
    let api = request.api("params");
    let Some(params) = request.node.get("params") else {
        sink.report(
            &INVALID_BATCH_PARAMS,
            request.node.range.head(1),
            format!(
                "this batch request has no `params`: the API answers 400 `{api}: Field required`"
            ),
        );
        return;
    };
    let answer = format!("the API answers 400 `{api}: Input should be a valid dictionary`");
    match &params.value {
        Value::Object(_) | Value::Unknown => {}
        Value::String(text) => {
            let fix = Edit::parse_object_string(params, text).map(|edit| {
                Fix::safe(
                    "Parse the string into the request object it holds",
                    vec![edit],
                )
            });
            sink.report_fix(
                &INVALID_BATCH_PARAMS,
                params.range,
                format!("`params` is a string: it must be the Messages request object itself, not JSON text; {answer}"),
                fix,
            );
        }
        _ => sink.report(
            &INVALID_BATCH_PARAMS,
            params.range,
            format!(
                "`params` is {}, but must be a Messages request object: {answer}",
                describe(params)
            ),
        ),
    }
}

/// OpenAI's Batch API line fields.
const OPENAI_BATCH_FIELDS: &[&str] = &["method", "url", "body"];

fn report_unknown_field(request: &Request<'_>, member: &Member, sink: &mut Sink<'_>) {
    let node = request.node;
    let key = member.key.as_str();
    let mut message = format!(
        "`{key}` is not a field of a batch request (only `custom_id` and `params`): the API answers 400 `{}: Extra inputs are not permitted`",
        request.api(key)
    );
    if OPENAI_BATCH_FIELDS.contains(&key) {
        message.push_str(
            "; `method`, `url` and `body` are OpenAI Batch API fields: Claude's request goes in `params`",
        );
    }
    let meant = if key == "body" {
        Some("params")
    } else {
        did_you_mean(key, ["custom_id", "params"])
    };
    let fix = match meant {
        Some(to) if node.get(to).is_none() => {
            if key != "body" {
                message.push_str(&format!("; did you mean `{to}`?"));
            }
            Fix::unsafe_(
                format!("Rename `{key}` to `{to}`"),
                vec![Edit::rename_key(member, to)],
            )
        }
        _ => Fix::unsafe_(
            format!("Remove `{key}`"),
            vec![Edit::remove_member(node, member)],
        ),
    };
    sink.report_fix(&UNKNOWN_BATCH_FIELD, member.key_range, message, Some(fix));
}

/// The `params` of one batch request.
fn check_item(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let root = ctx.payload.root;
    let Some(member) = root.member("stream") else {
        return;
    };
    if !matches!(member.value.value, Value::Bool(true)) {
        return;
    }
    sink.report_fix(
        &STREAM_IN_BATCH,
        member.range(),
        "`stream: true` in a batch request: Message Batches do not stream (results are fetched once the batch has ended), so the API ignores or rejects it",
        Some(Fix::safe(
            "Remove `stream`",
            vec![Edit::remove_member(root, member)],
        )),
    );
}

/// Bedrock and Vertex AI bodies: `anthropic_version`, `model`, `stream`, `anthropic_beta`.
fn check_dialect(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let payload = ctx.payload;
    let dialect = payload.dialect;
    if dialect == Dialect::FirstParty {
        return;
    }
    let root = payload.root;
    check_version(ctx, sink);
    // The Bedrock and Vertex SDK clients take `model` and `stream` as arguments and move them
    // out of the body themselves.
    let sdk = payload.call.is_some_and(|c| c.sdk);
    if payload.kind == PayloadKind::Messages
        && !sdk
        && let Some(model) = root.member("model")
    {
        sink.report_fix(
            &MODEL_IN_CLOUD_BODY,
            model.key_range,
            format!(
                "in {} bodies the model goes in the URL, not in the body: this `model` is probably rejected (400 `model: Extra inputs are not permitted`) or ignored",
                dialect.name()
            ),
            Some(Fix::unsafe_(
                "Remove `model`",
                vec![Edit::remove_member(root, model)],
            )),
        );
    }
    if dialect == Dialect::Bedrock
        && !sdk
        && let Some(stream) = root.member("stream")
        && !stream.value.is_unknown()
    {
        let remove = vec![Edit::remove_member(root, stream)];
        let fix = if matches!(stream.value.value, Value::Bool(false)) {
            Fix::safe("Remove `stream`", remove)
        } else {
            Fix::unsafe_(
                "Remove `stream` (call `invoke-with-response-stream` to stream)",
                remove,
            )
        };
        sink.report_fix(
            &STREAM_IN_BEDROCK_BODY,
            stream.key_range,
            "Bedrock InvokeModel takes no `stream` in the body: the endpoint decides (`/invoke` or `/invoke-with-response-stream`), and a body that keeps it is probably rejected",
            Some(fix),
        );
    }
    if dialect == Dialect::Bedrock {
        check_beta_list(ctx, sink);
    }
}

fn check_version(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let payload = ctx.payload;
    let Some(node) = payload.root.get("anthropic_version") else {
        return;
    };
    let Some(version) = node.as_str() else {
        return;
    };
    let (bedrock, vertex) = (
        body_version(Dialect::Bedrock),
        body_version(Dialect::Vertex),
    );
    if version == bedrock || version == vertex {
        return;
    }
    let sdk_default = ApiVersion::sdk_default();
    if sdk_default.name() == Some(version) {
        check_sdk_version(ctx, sink, node, version);
        return;
    }
    let expected = match payload.dialect {
        Dialect::Bedrock => Some(bedrock),
        Dialect::Vertex => Some(vertex),
        Dialect::Cloud | Dialect::FirstParty => None,
    };
    let header = if ApiVersion::parse(version).is_some() {
        format!(" (`{version}` is the Claude API's `anthropic-version` header, not a body value)")
    } else {
        String::new()
    };
    let (message, fix) = match expected {
        Some(value) => (
            format!(
                "`{version}` is not an `anthropic_version` {} takes: its body must say `{value}`{header}",
                payload.dialect.name()
            ),
            Some(Fix::safe(
                format!("Replace with `{value}`"),
                vec![Edit::replace_value(node, json!(value))],
            )),
        ),
        None => (
            format!(
                "`{version}` is not an `anthropic_version` a cloud body takes: Amazon Bedrock's is `{bedrock}`, Google Cloud Vertex AI's `{vertex}`{header}"
            ),
            None,
        ),
    };
    sink.report_fix(&INVALID_ANTHROPIC_VERSION, node.range, message, fix);
}

/// The `anthropic_version` a Bedrock or Vertex body carries.
fn body_version(dialect: Dialect) -> &'static str {
    dialect
        .platform()
        .body_version
        .as_deref()
        .unwrap_or_default()
}

/// The SDKs' default API version (`version`), which they also write into cloud bodies:
/// Bedrock takes it only for Claude 4.7 and later models.
fn check_sdk_version(ctx: &Context<'_>, sink: &mut Sink<'_>, node: &Node, version: &str) {
    // The new tokenizer arrived with Claude 4.7 (reference §9): it marks the generation.
    let model = match ctx.model {
        Some(model) if model.tokenizer == Tokenizer::Claude47 => return,
        Some(model) => format!("{} is older than Claude 4.7", model.name),
        None => "the model is not known here (`--model` or the configuration's `model` names it)"
            .to_owned(),
    };
    sink.report_at(
        Severity::Warning,
        &INVALID_ANTHROPIC_VERSION,
        node.range,
        format!(
            "`{version}` is the API version the newest SDKs write here: Amazon Bedrock InvokeModel is reported to accept it only for Claude 4.7 and later models, where `{}` always works, and Google Cloud Vertex AI documents `{}`; {model}",
            body_version(Dialect::Bedrock),
            body_version(Dialect::Vertex)
        ),
        None,
    );
}

fn check_beta_list(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(list) = ctx.payload.root.get("anthropic_beta") else {
        return;
    };
    let expected = "Bedrock takes betas in the body as an array of strings";
    match &list.value {
        Value::Array(items) => {
            for item in items
                .iter()
                .filter(|i| !matches!(i.value, Value::String(_) | Value::Unknown))
            {
                sink.report(
                    &INVALID_ANTHROPIC_BETA,
                    item.range,
                    format!(
                        "each beta must be a string, not {}: {expected}",
                        describe(item)
                    ),
                );
            }
        }
        Value::String(text) => {
            let betas: Vec<Json> = text
                .split(',')
                .map(str::trim)
                .filter(|b| !b.is_empty())
                .map(|b| json!(b))
                .collect();
            sink.report_fix(
                &INVALID_ANTHROPIC_BETA,
                list.range,
                format!("`anthropic_beta` is a string, as the `anthropic-beta` header would be: {expected}"),
                Some(Fix::safe(
                    "Make it an array",
                    vec![Edit::replace_value(list, Json::Array(betas))],
                )),
            );
        }
        Value::Unknown | Value::Null => {}
        _ => sink.report(
            &INVALID_ANTHROPIC_BETA,
            list.range,
            format!("`anthropic_beta` is {}: {expected}", describe(list)),
        ),
    }
}

/// Messages-only parameters in a count_tokens body.
fn check_count_tokens(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let root = ctx.payload.root;
    for member in root.as_object().unwrap_or_default() {
        let Some(param) = params::param(&member.key) else {
            continue;
        };
        let messages_only = matches!(
            param.kind,
            ParamKind::Ga | ParamKind::Sampling | ParamKind::Beta(_)
        );
        if param.count_tokens || !messages_only {
            continue;
        }
        let key = member.key.as_str();
        sink.report_fix(
            &COUNT_TOKENS_PARAMETER,
            member.key_range,
            format!(
                "`{key}` is a Messages parameter that count_tokens bodies do not take: the API probably answers 400 `{}: Extra inputs are not permitted`, and it changes nothing in the count",
                ctx.payload.api_path(key)
            ),
            Some(Fix::safe(
                format!("Remove `{key}`"),
                vec![Edit::remove_member(root, member)],
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Payload;
    use crate::rules::{AllRules, DEFAULT_CONTEXT_WARNING_RATIO, Finding, Options};
    use crate::syntax::TextRange;

    /// `{"custom_id": "r<i>", "params": {}}` at bytes `100 * i..100 * i + 90`.
    fn request(i: usize) -> Node {
        let at = 100 * i;
        let member = |key: &str, from: usize, value: Value| Member {
            key: key.to_owned(),
            key_range: TextRange::new(from, from + key.len() + 2),
            value: Node::new(TextRange::new(from + 20, from + 40), value),
        };
        Node::new(
            TextRange::new(at, at + 90),
            Value::Object(vec![
                member("custom_id", at + 1, Value::String(format!("r{i}"))),
                member("params", at + 45, Value::Object(Vec::new())),
            ]),
        )
    }

    fn findings(check: impl FnOnce(&mut Sink<'_>)) -> Vec<Finding> {
        let mut sink = Sink::new(&AllRules);
        check(&mut sink);
        sink.into_findings()
    }

    fn lines(nodes: &[Node]) -> Vec<Finding> {
        let lines: Vec<BatchLine<'_>> = nodes
            .iter()
            .enumerate()
            .map(|(i, root)| BatchLine { line: i + 1, root })
            .collect();
        findings(|sink| check_lines(&lines, sink))
    }

    fn max() -> usize {
        crate::facts::api::limits().batches.max_requests
    }

    fn body(nodes: Vec<Node>) -> Vec<Finding> {
        let end = nodes.last().map_or(0, |n| n.range.end as usize);
        let requests = Node::new(TextRange::new(12, end), Value::Array(nodes));
        let root = Node::new(
            TextRange::new(0, end + 1),
            Value::Object(vec![Member {
                key: "requests".into(),
                key_range: TextRange::new(1, 11),
                value: requests,
            }]),
        );
        let payload = Payload {
            root: &root,
            kind: PayloadKind::Batch,
            dialect: Dialect::FirstParty,
            path: String::new(),
            body_bytes: u64::from(root.range.end),
            call: None,
            stored: false,
        };
        let options = Options {
            today: jiff::civil::date(2026, 11, 25),
            api_version: crate::facts::api::ApiVersion::UNKNOWN,
            default_model: None,
            context_warning_ratio: DEFAULT_CONTEXT_WARNING_RATIO,
            betas: Vec::new(),
        };
        crate::rules::testing::findings_of(
            &payload,
            crate::facts::Facts::builtin(),
            None,
            &options,
            "",
            check,
        )
    }

    #[test]
    fn a_jsonl_file_of_more_than_100_000_requests_is_a_warning_on_the_first_line_over() {
        let nodes: Vec<Node> = (0..=max()).map(request).collect();
        let found = lines(&nodes);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].rule, &TOO_MANY_BATCH_REQUESTS);
        assert_eq!(found[0].severity, Some(Severity::Warning));
        assert_eq!(found[0].range, TextRange::new(10_000_000, 10_000_090));
        assert_eq!(
            found[0].message,
            "100001 batch requests in this file: a batch holds at most 100,000, so it cannot be sent as one batch"
        );
        assert_eq!(lines(&nodes[..max()]), vec![]);
    }

    #[test]
    fn a_body_of_more_than_100_000_requests_is_an_error() {
        let found = body((0..=max()).map(request).collect());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].rule, &TOO_MANY_BATCH_REQUESTS);
        assert_eq!(found[0].severity, None);
        assert_eq!(found[0].range, TextRange::new(10_000_000, 10_000_090));
        assert_eq!(
            found[0].message,
            "100001 requests: a batch holds at most 100,000, and the API rejects a larger one; split it"
        );
        assert_eq!(body((0..max()).map(request).collect()), vec![]);
    }

    #[test]
    fn custom_id_problems() {
        assert_eq!(custom_id_problem("a-B_9"), None);
        assert_eq!(custom_id_problem(&"x".repeat(64)), None);
        assert_eq!(
            custom_id_problem(&"x".repeat(65)).as_deref(),
            Some("is 65 characters long, over the limit of 64")
        );
        assert_eq!(
            custom_id_problem("a.b").as_deref(),
            Some("`a.b` holds `.`, but only letters, digits, `_` and `-` are allowed")
        );
        assert_eq!(
            custom_id_problem("a\tb").as_deref(),
            Some("`a\tb` holds '\\t', but only letters, digits, `_` and `-` are allowed")
        );
        assert_eq!(sanitized_custom_id("é/1").as_deref(), Some("__1"));
        assert_eq!(sanitized_custom_id(""), None);
    }
}
