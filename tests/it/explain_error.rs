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
            kind: None,
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

/// The host's fixtures: the full request, then the ones missing fields.
fn host(ext: &str, errors: &[&str]) -> String {
    explain_all(&format!("request.{ext}"), errors, "")
        + &explain_all(&format!("missing.{ext}"), MISSING, "")
        + &explain_all(&format!("no-messages.{ext}"), NO_MESSAGES, "")
}

/// One snapshot per host, named after it.
#[test]
fn every_host() {
    let code_errors = without_extra_body();
    for (name, ext, errors) in [
        ("json", "json", ERRORS),
        ("yaml", "yaml", ERRORS),
        ("python", "py", code_errors.as_slice()),
        ("typescript", "ts", ERRORS),
        ("curl_in_shell", "sh", ERRORS),
        ("notebook", "ipynb", code_errors.as_slice()),
    ] {
        insta::assert_snapshot!(name, host(ext, errors));
    }
    insta::assert_snapshot!(
        "json_lines_batch",
        explain_all("batch.jsonl", ERRORS, "requests.0.params.")
            + &explain_all("batch.jsonl", MISSING, "requests.1.params.")
            + &explain_all("batch.jsonl", NO_MESSAGES, "requests.2.params.")
    );
}

/// Runs `explain-error` with `args` in `dir` with `stdin`, the date pinned; returns the exit
/// code, standard output and error.
fn run(dir: &Path, args: &[&str], stdin: &str) -> (i32, String, String) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_claude-preflight"))
        .current_dir(dir)
        .arg("explain-error")
        .args(args)
        .args(["--today", "2026-12-03"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env("NO_COLOR", "1")
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// A request on two lines whose first message has the wrong role and an API key beside it.
const KEYED: &str = "{\"model\": \"claude-opus-5\", \"max_tokens\": 5, \"messages\": [\n  {\"role\": \"human\", \"content\": \"key sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGhIjKlMnOpQr-XyZ9AA\"}]}\n";

#[test]
fn the_command_reads_stdin_and_error_files_and_prints_the_json_contract() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("req.json"), KEYED).unwrap();
    let body = r#"{"type":"error","error":{"type":"invalid_request_error","message":"messages.0.role: Input should be 'user' or 'assistant'","details":{"error_code":"some_code"}},"request_id":"req_42"}"#;
    let args = ["req.json", "--format", "json"];
    let (code, out, err) = run(dir.path(), &args, body);
    assert_eq!((code, err.as_str()), (0, ""));
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["status"], 400);
    assert_eq!(report["type"], "invalid_request_error");
    assert_eq!(report["error_code"], "some_code");
    assert_eq!(report["request_id"], "req_42");
    assert_eq!(report["path"], "messages.0.role");
    let span =
        serde_json::json!({"start": {"line": 2, "column": 12}, "end": {"line": 2, "column": 19}});
    assert_eq!(report["range"], span);
    assert_eq!(report["rule"]["name"], "invalid-role");
    assert_eq!(report["fix"]["applicability"], "safe");
    assert_eq!(report["fix"]["edits"][0]["new_text"], "\"user\"");
    assert!(!out.contains("sk-ant-api03-AbCd"), "{out}");
    // The same error from a file, and from --error, gives the same report.
    std::fs::write(dir.path().join("error.txt"), body).unwrap();
    let from_file = run(
        dir.path(),
        &[&args[..], &["--error-file", "error.txt"]].concat(),
        "",
    );
    assert_eq!(from_file.1, out);
    let from_flag = run(dir.path(), &[&args[..], &["--error", body]].concat(), "");
    assert_eq!(from_flag.1, out);
}

#[test]
fn the_excerpt_masks_keys_and_exit_codes_say_what_happened() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("req.json"), KEYED).unwrap();
    let error = "messages.0.role: Input should be 'user' or 'assistant'";
    let (code, out, _) = run(dir.path(), &["req.json", "--error", error], "");
    assert_eq!(code, 0);
    assert!(out.contains("--> req.json:2:12"), "{out}");
    assert!(out.contains("sk-ant-api03"), "{out}");
    assert!(
        !out.contains("sk-ant-api03-AbCd"),
        "the key is printed:\n{out}"
    );
    // A path the request does not hold: explained, but not placed.
    let elsewhere = "tools.3.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'";
    let (code, out, _) = run(dir.path(), &["req.json", "--error", elsewhere], "");
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("No request in the file holds this path."),
        "{out}"
    );
    let (code, _, err) = run(dir.path(), &[], "  \n");
    assert_eq!(code, 2);
    assert!(err.contains("no error text"), "{err}");
}

#[test]
fn without_a_request_each_status_is_classified() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            r#"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#,
            401,
            "x-api-key",
        ),
        (
            r#"PermissionDeniedError: 403 {"type":"error","error":{"type":"permission_error","message":"no"}}"#,
            403,
            "workspace",
        ),
        (
            "NotFoundError: Error code: 404 - {'type': 'error', 'error': {'type': 'not_found_error', 'message': 'model: claude-3-5-sonnet-20240620'}}",
            404,
            "its replacement is `claude-sonnet-4-6` (retired-model)",
        ),
        (
            "<html><head><title>413 Request Entity Too Large</title></head></html>",
            413,
            "claude-preflight count",
        ),
        (
            "anthropic.RateLimitError: Error code: 429 - {'type': 'error', 'error': {'type': 'rate_limit_error', 'message': 'Rate limited'}}",
            429,
            "from 0.5 s to at most 8 s",
        ),
        (
            r#"{"type":"error","error":{"type":"api_error","message":"Internal server error"}}"#,
            500,
            "The request itself is probably fine",
        ),
        (
            r#"{"type":"error","error":{"type":"timeout_error","message":"Request timed out"}}"#,
            504,
            "stream the response",
        ),
        (
            r#"anthropic.OverloadedError: Error code: 529 - {'type': 'error', 'error': {'type': 'overloaded_error', 'message': 'Overloaded'}}"#,
            529,
            "The request itself is probably fine",
        ),
    ];
    for (error, status, advice) in cases {
        let (code, out, _) = run(dir.path(), &["--format", "json", "--error", error], "");
        assert_eq!(code, 0);
        let report: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(report["status"], status, "{error}");
        let said = report["advice"].to_string() + &report["meaning"].to_string();
        assert!(said.contains(advice), "{status}: {said}");
    }
    let client_side = "ValueError: Streaming is required for operations that may take longer than 10 minutes. See https://github.com/anthropics/anthropic-sdk-python#long-requests for more details";
    let (_, out, _) = run(
        dir.path(),
        &["--format", "json", "--error", client_side],
        "",
    );
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["status"], serde_json::Value::Null);
    assert_eq!(report["exception"], "ValueError");
    assert!(report["advice"][0].as_str().unwrap().contains("21,333"));
}

/// The README's example is this command's output.
#[test]
fn the_readme_example_is_current() {
    let error = "anthropic.BadRequestError: Error code: 400 - {'type': 'error', 'error': {'type': 'invalid_request_error', 'message': 'max_completion_tokens: Extra inputs are not permitted'}, 'request_id': 'req_011CVxExample'}";
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let args = ["examples/broken/openai_habits.py", "--error", error];
    let (_, out, _) = run(root, &args, "");
    let shown = format!(
        "```text\n$ claude-preflight explain-error examples/broken/openai_habits.py --error \"{error}\"\n{out}```"
    );
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(readme.contains(&shown), "README.md should show:\n{shown}");
}

#[test]
fn line_picks_the_call_in_a_file_with_several() {
    let text = "import anthropic\nclient = anthropic.Anthropic()\nfirst = client.messages.create(model=\"claude-opus-5\", max_tokens=5,\n    messages=[{\"role\": \"user\", \"content\": \"a\"}])\nsecond = client.messages.create(model=\"claude-opus-5\", max_tokens=5,\n    messages=[{\"role\": \"human\", \"content\": \"b\"}])\n";
    let error = "messages.0.role: Input should be 'user' or 'assistant'";
    let at = |line: Option<usize>| {
        let request = Request {
            path: "calls.py",
            text,
            line,
            kind: None,
        };
        let report = explain_error::explain(error, Some(&request), &settings());
        let range = report.range.unwrap();
        (
            (range.start.line, range.start.column),
            report.rule.map(|r| r.name),
        )
    };
    assert_eq!(at(Some(3)), ((4, 24), None));
    assert_eq!(at(Some(5)), ((6, 24), Some("invalid-role")));
    // Without a line, both calls hold the whole path: the one whose finding predicts the
    // error wins.
    assert_eq!(at(None), ((6, 24), Some("invalid-role")));
}
