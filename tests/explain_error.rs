//! `explain-error`: every error message of reference §10.2 that has a path, resolved to its
//! range in the same request written in each host syntax (JSON, YAML, JSON Lines, Python,
//! TypeScript, curl in shell, a notebook), with the rule that predicts it. The snapshots show
//! each range as `line:column-line:column` and the text there, so a wrong range is visible.

use std::fmt::Write as _;
use std::path::Path;

use claude_preflight::explain_error::{self, Report, Request};
use claude_preflight::settings::Settings;

/// The API's messages (reference §10.2, rows with a path), with indices that fit the
/// fixtures' request. Rows 1's top-level "Field required" cases are in [`MISSING`].
const ERRORS: &[&str] = &[
    "tools.0.custom.input_schema: Field required",
    "response_format: Extra inputs are not permitted",
    "extra_body: Extra inputs are not permitted",
    "context_management: Extra inputs are not permitted",
    "messages.2.content.1.tool_use.text: Extra inputs are not permitted",
    "messages.2.content.0.thinking.cache_control: Extra inputs are not permitted",
    "system.1.cache_control.ephemeral.scope: Extra inputs are not permitted",
    "tools.2.custom.input_examples: Extra inputs are not permitted",
    "tools.0.custom.defer_loading: Extra inputs are not permitted",
    "reasoning: Extra inputs are not permitted",
    "temperature: Extra inputs are not permitted",
    "messages.0.role: Input should be 'user' or 'assistant'",
    "messages: Unexpected role \"system\". The Messages API accepts a top-level `system` parameter, not \"system\" as an input message role.",
    "messages.4: all messages must have non-empty content except for the optional final assistant message",
    "messages: text content blocks must be non-empty",
    "messages: text content blocks must contain non-whitespace text",
    "messages: final assistant content cannot end with trailing whitespace",
    "messages.2: `tool_use` ids were found without `tool_result` blocks immediately after: call.1. Each `tool_use` block must have a corresponding `tool_result` block in the next message.",
    "messages.3.content.1: unexpected `tool_use_id` found in `tool_result` blocks: toolu_zzz. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.",
    "messages.3: Did not find 1 `tool_result` block(s) at the beginning of this message. Messages following `tool_use` blocks must begin with a matching number of `tool_result` blocks.",
    "messages.2.content.1.tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'",
    "messages.2.content.2.server_tool_use.id: String should match pattern '^srvtoolu_[a-zA-Z0-9_]+$'",
    "tools.0.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'",
    "tools.1: Input tag 'function' found using 'type' does not match any of the expected tags: 'bash_20250124', 'custom', 'text_editor_20250124'",
    "tool_choice: Input tag 'function' found using 'type' does not match expected tags: 'auto', 'any', 'tool'",
    "tool_choice: type \"tool\" and \"any\" are not supported for this model.",
    "max_tokens: 128001 > 64000, which is the maximum allowed number of output tokens for claude-haiku-4-5-20251001",
    "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024",
    "messages.2.content.0: `thinking` or `redacted_thinking` blocks in the latest assistant message cannot be modified. These blocks must remain as they were in the original response.",
    "temperature: Input should be less than or equal to 1",
    "stop_sequences: each stop sequence must contain non-whitespace",
    "messages.5.content.0.cache_control.ttl: a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block. Note that blocks are processed in the following order: `tools`, `system`, `messages`.",
    "messages.1.content.1.image.source.base64: image exceeds 5 MB maximum: 6418576 bytes > 5242880 bytes",
    "messages.3.content.1.tool_result.content.0.image.source.base64: image exceeds 5 MB maximum: 6418576 bytes > 5242880 bytes",
    "messages.1.content.1.image.source.base64: The image was specified using the image/jpeg media type, but the image appears to be a image/png image",
    "messages.1.content.1.image.source.base64.data: At least one of the image dimensions exceed max allowed size: 8000 pixels",
    "model: claude-haiku-4-5",
];

/// Row 1's "Field required" messages, about the fixtures' `missing` request
/// (`{"messages": [{"role": "user"}]}`) ...
const MISSING: &[&str] = &[
    "max_tokens: Field required",
    "model: Field required",
    "messages.0.content: Field required",
];

/// ... and its `no-messages` one (`{"model": ..., "max_tokens": 1024}`).
const NO_MESSAGES: &[&str] = &["messages: Field required"];

fn settings() -> Settings {
    Settings::new(jiff::civil::date(2026, 12, 3))
}

/// One line per error: the path, the range and the text at its start, and the rule.
fn explain_all(file: &str, errors: &[&str], prefix: &str) -> String {
    let path = Path::new("tests/data/explain-error").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut out = String::new();
    for error in errors {
        // The body as the API got it: a 400 in the Python SDK's form.
        let message = format!("{prefix}{error}");
        let pasted = format!(
            "anthropic.BadRequestError: Error code: 400 - {{'type': 'error', 'error': {{'type': 'invalid_request_error', 'message': {message:?}}}, 'request_id': 'req_011CVx'}}"
        );
        let request = Request {
            path: path.to_str().unwrap(),
            text: &text,
            line: None,
        };
        let report = explain_error::explain(&pasted, Some(&request), &settings());
        assert_eq!(report.status, Some(400));
        assert_eq!(report.request_id.as_deref(), Some("req_011CVx"));
        writeln!(out, "{}", line(&report, &text)).unwrap();
    }
    out
}

fn line(report: &Report, text: &str) -> String {
    let path = report.path.as_deref().unwrap_or("-");
    let Some(range) = report.range else {
        return format!("{path}: not found");
    };
    let start = report.source.as_ref().unwrap().range.start as usize;
    let shown: String = text[start..]
        .chars()
        .take_while(|c| *c != '\n')
        .take(30)
        .collect();
    let missing = if report.missing.is_empty() {
        String::new()
    } else {
        format!(" (missing {})", report.missing.join("."))
    };
    let rule = report.rule.as_ref().map_or("-", |r| r.name);
    format!(
        "{path}: {}:{}-{}:{} {shown:?}{missing} [{rule}]",
        range.start.line, range.start.column, range.end.line, range.end.column
    )
}

/// Python keyword arguments: the SDK merges `extra_body` into the body, so that row cannot
/// come from Python code.
fn without_extra_body() -> Vec<&'static str> {
    ERRORS
        .iter()
        .copied()
        .filter(|e| !e.starts_with("extra_body"))
        .collect()
}

#[test]
fn json() {
    insta::assert_snapshot!(
        explain_all("request.json", ERRORS, "")
            + &explain_all("missing.json", MISSING, "")
            + &explain_all("no-messages.json", NO_MESSAGES, "")
    );
}

#[test]
fn yaml() {
    insta::assert_snapshot!(
        explain_all("request.yaml", ERRORS, "")
            + &explain_all("missing.yaml", MISSING, "")
            + &explain_all("no-messages.yaml", NO_MESSAGES, "")
    );
}

#[test]
fn json_lines_batch() {
    insta::assert_snapshot!(
        explain_all("batch.jsonl", ERRORS, "requests.0.params.")
            + &explain_all("batch.jsonl", MISSING, "requests.1.params.")
            + &explain_all("batch.jsonl", NO_MESSAGES, "requests.2.params.")
    );
}

#[test]
fn python() {
    insta::assert_snapshot!(
        explain_all("request.py", &without_extra_body(), "")
            + &explain_all("missing.py", MISSING, "")
            + &explain_all("no-messages.py", NO_MESSAGES, "")
    );
}

#[test]
fn typescript() {
    insta::assert_snapshot!(
        explain_all("request.ts", ERRORS, "")
            + &explain_all("missing.ts", MISSING, "")
            + &explain_all("no-messages.ts", NO_MESSAGES, "")
    );
}

#[test]
fn curl_in_shell() {
    insta::assert_snapshot!(
        explain_all("request.sh", ERRORS, "")
            + &explain_all("missing.sh", MISSING, "")
            + &explain_all("no-messages.sh", NO_MESSAGES, "")
    );
}

#[test]
fn notebook() {
    insta::assert_snapshot!(
        explain_all("request.ipynb", &without_extra_body(), "")
            + &explain_all("missing.ipynb", MISSING, "")
            + &explain_all("no-messages.ipynb", NO_MESSAGES, "")
    );
}
