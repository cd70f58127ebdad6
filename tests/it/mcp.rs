//! `claude-preflight mcp` driven by real MCP clients: the official Python SDK's stdio client
//! (`tests/mcp/client.py`) against the built binary, rmcp's own client in process over
//! `tokio::io::duplex`, and raw JSON-RPC lines for what no SDK client sends.
//!
//! The Python client lives in the venv `tests/mcp/setup.sh` makes (`target/mcp-venv`, or
//! `$CLAUDE_PREFLIGHT_MCP_VENV`); CI runs the script. Without it that test is skipped with the
//! reason printed; under CI (`CI` set) it is a failure instead. With
//! `CLAUDE_PREFLIGHT_MCP_TRANSCRIPT=FILE` the client also writes every JSON-RPC message there.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use claude_preflight::mcp::{Server, serve};
use pretty_assertions::assert_eq;
use rmcp::ServiceExt;
use rmcp::model::CallToolRequestParams;
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_claude-preflight");
const TODAY: &str = "2026-12-03";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A request with two OpenAI parameters (`n`: an unsafe removal; `stop`: a safe rename) and
/// an API key in a message.
const REQUEST: &str = r#"{
  "model": "claude-sonnet-4-6",
  "max_tokens": 1024,
  "n": 1,
  "stop": "END",
  "messages": [{"role": "user", "content": "Why does sk-ant-api03-Xq7Rt2Lp9Vb4Nc8Zw1Ks5Hd3Fg6Jm0Xq7Rt2Lp9Vb4Nc8Zw1Ks5Hd3Fg6Jm0Xq7Rt2Lp9Vb4Nc8Zw1Ks5Hd3Fg6Jm0XXyZ9 fail?"}]
}
"#;

/// The key in [`REQUEST`].
const KEY: &str = "sk-ant-api03-Xq7Rt2Lp9Vb4Nc8Zw1Ks5Hd3Fg6Jm0Xq7Rt2Lp9Vb4Nc8Zw1Ks5Hd3Fg6Jm0Xq7Rt2Lp9Vb4Nc8Zw1Ks5Hd3Fg6Jm0XXyZ9";

/// The tools the server offers, by name.
const TOOLS: [&str; 5] = [
    "check",
    "count_tokens",
    "explain_error",
    "explain_rule",
    "fix",
];

/// An API error about [`REQUEST`], as the Python SDK raises it.
const STOP_ERROR: &str = "anthropic.BadRequestError: Error code: 400 - {'type': 'error', 'error': {'type': 'invalid_request_error', 'message': 'stop: Extra inputs are not permitted'}, 'request_id': 'req_011'}";

/// An overloaded error as the API answers it.
const OVERLOADED: &str = r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_529"}"#;

/// [`KEY`] as every output shows it.
const MASKED: &str = "sk-ant-api03********************************************************************************************XyZ9";

const PYTHON: &str = r#"import anthropic

client = anthropic.Anthropic()
client.messages.create(
    model="claude-sonnet-4-6",
    max_tokens=1024,
    stop=["END"],
    messages=[{"role": "user", "content": "Hi"}],
)
"#;

fn range(start: (u32, u32), end: (u32, u32)) -> Value {
    json!({"start": {"line": start.0, "column": start.1}, "end": {"line": end.0, "column": end.1}})
}

fn remove_n(path: &str) -> Value {
    json!({
        "path": path, "code": "O101", "name": "openai-parameter", "severity": "error",
        "message": "`n` is an OpenAI parameter with no Claude equivalent: the API answers 400 `n: Extra inputs are not permitted`",
        "range": range((4, 3), (4, 6)),
        "fix": {"title": "Remove `n`", "applicability": "unsafe",
                "edits": [{"range": range((4, 1), (5, 1)), "new_text": ""}]},
    })
}

fn key_in_payload(path: &str, line: u32) -> Value {
    json!({
        "path": path, "code": "Y101", "name": "api-key-in-payload", "severity": "error",
        "message": "an Anthropic API key is written in this request (`sk-ant-api03…XyZ9`): anyone who can read the file can use it; remove it, revoke it in the Claude Console, and send the key in the `x-api-key` header from the environment (`ANTHROPIC_API_KEY`)",
        "range": range((line, 54), (line, 162)),
        "fix": null,
    })
}

fn summary(payloads: u32, errors: u32, fixed: u32) -> Value {
    json!({"files": 1, "payloads": payloads, "errors": errors, "warnings": 0, "infos": 0, "hints": 0, "fixed": fixed})
}

fn claude_body(model: &str) -> Value {
    json!([{"line": 1, "reason": format!("a messages body: `model` is the Claude model `{model}`")}])
}

/// What `claude-preflight ARGS` prints, parsed.
fn cli_json(args: &[&str]) -> Value {
    let output = Command::new(BIN)
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Says why a test is skipped (on the terminal, past the test harness's capture) or, under
/// CI, fails with it.
fn skip(reason: &str) {
    assert!(std::env::var_os("CI").is_none(), "{reason}");
    let _ = writeln!(std::io::stderr(), "skipped: {reason}");
}

/// The venv's Python when the `mcp` package imports in it; otherwise skips.
fn python_with_mcp() -> Option<PathBuf> {
    let venv = std::env::var_os("CLAUDE_PREFLIGHT_MCP_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/mcp-venv"));
    let python = venv.join("bin/python");
    let imports = Command::new(&python)
        .args(["-c", "import mcp"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !imports {
        skip(&format!(
            "no Python with the `mcp` package at {} (bash tests/mcp/setup.sh installs it)",
            python.display()
        ));
    }
    imports.then_some(python)
}

/// Runs the Python SDK client against the binary with `calls`; returns what it printed.
fn python_client(python: &Path, calls: &Value) -> Value {
    let mut command = Command::new(python);
    command.arg("tests/mcp/client.py");
    if let Some(transcript) = std::env::var_os("CLAUDE_PREFLIGHT_MCP_TRANSCRIPT") {
        command.arg("--transcript").arg(transcript);
    }
    let mut child = command
        .args([BIN, "mcp", "--today", TODAY])
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(calls.to_string().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the client failed: {stderr}");
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"))
}

/// One call's structured result, after checking that it succeeded and that its text content
/// says the same.
fn structured(result: &Value) -> &Value {
    assert_eq!(result["is_error"], json!(false), "{result}");
    let text: Value = serde_json::from_str(result["text"][0].as_str().unwrap()).unwrap();
    assert_eq!(text, result["structured"]);
    &result["structured"]
}

/// One call's error result: its text.
fn error_text(result: &Value) -> &str {
    assert_eq!(result["is_error"], json!(true), "{result}");
    assert_eq!(result["structured"], Value::Null);
    result["text"][0].as_str().unwrap()
}

#[test]
fn python_sdk_client_lists_and_calls_every_tool() {
    let Some(python) = python_with_mcp() else {
        return;
    };
    let calls = json!([
        {"tool": "check", "arguments": {"text": REQUEST, "language": "json"}},
        {"tool": "check", "arguments": {"text": PYTHON, "file_name": "agent.py"}},
        {"tool": "check", "arguments": {"path": "examples/broken/openai-style.json"}},
        {"tool": "check", "arguments": {"path": "examples/not-requests/package.json"}},
        {"tool": "fix", "arguments": {"text": REQUEST, "file_name": "req.json"}},
        {"tool": "fix", "arguments": {"text": REQUEST, "file_name": "req.json", "unsafe": true}},
        {"tool": "count_tokens", "arguments": {"path": "examples/clean/tool-use-round-trip.json"}},
        {"tool": "count_tokens", "arguments": {"path": "examples/clean/tool-use-round-trip.json", "model": "claude-haiku-4-5"}},
        {"tool": "explain_rule", "arguments": {"rule": "openai-parameter"}},
        {"tool": "explain_rule", "arguments": {"rule": "opanai-parameter"}},
        {"tool": "check", "arguments": {"text": "{}", "path": "examples"}},
        {"tool": "check", "arguments": {"path": "examples"}},
        {"tool": "count_tokens", "arguments": {"path": "examples/not-requests/package.json"}},
        {"tool": "check", "arguments": {"text": "{}", "language": "cobol"}},
        {"tool": "explain_rule", "arguments": {}},
        {"tool": "no_such_tool", "arguments": {}},
        {"tool": "explain_error", "arguments": {"error": STOP_ERROR, "text": REQUEST, "language": "json"}},
        {"tool": "explain_error", "arguments": {"error": OVERLOADED}},
    ]);
    let out = python_client(&python, &calls);
    assert_eq!(
        out["server"],
        json!({"name": "claude-preflight", "version": env!("CARGO_PKG_VERSION")})
    );

    // The tools, each with an input schema, read-only, and an output schema where the result
    // has a fixed shape.
    let tools = out["tools"].as_array().unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, TOOLS);
    let tool = |name: &str| tools.iter().find(|t| t["name"] == name).unwrap();
    let properties = |name: &str| {
        let schema = &tool(name)["inputSchema"];
        assert_eq!(schema["type"], "object");
        let keys: Vec<&str> = schema["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.join(",")
    };
    assert_eq!(properties("check"), "text,language,file_name,path");
    assert_eq!(properties("fix"), "text,language,file_name,path,unsafe");
    assert_eq!(
        properties("count_tokens"),
        "text,language,file_name,path,model"
    );
    assert_eq!(properties("explain_rule"), "rule");
    assert_eq!(
        properties("explain_error"),
        "error,text,language,file_name,path,line"
    );
    assert_eq!(
        tool("explain_error")["inputSchema"]["required"],
        json!(["error"])
    );
    assert_eq!(
        tool("explain_rule")["inputSchema"]["required"],
        json!(["rule"])
    );
    assert_eq!(
        tool("fix")["inputSchema"]["properties"]["unsafe"]["type"],
        "boolean"
    );
    for t in tools {
        assert_eq!(
            t["annotations"],
            json!({"readOnlyHint": true, "openWorldHint": false})
        );
    }
    let output_required = |name: &str| tool(name)["outputSchema"]["required"].clone();
    assert_eq!(
        output_required("check"),
        json!(["version", "diagnostics", "summary", "skipped", "discovery"])
    );
    assert_eq!(
        output_required("fix"),
        json!([
            "text",
            "masked_keys",
            "version",
            "diagnostics",
            "summary",
            "skipped",
            "discovery"
        ])
    );
    assert_eq!(tool("count_tokens").get("outputSchema"), None);
    assert_eq!(tool("explain_error").get("outputSchema"), None);

    assert!(!out.to_string().contains(&KEY[13..]), "a key was returned");
    let results = out["results"].as_array().unwrap();
    assert_eq!(results.len(), calls.as_array().unwrap().len());

    // check: text with a language.
    let stop = json!({
        "path": "-", "code": "O101", "name": "openai-parameter", "severity": "error",
        "message": "`stop` is OpenAI's name: the API answers 400 `stop: Extra inputs are not permitted`; Claude calls it `stop_sequences` (an array)",
        "range": range((5, 3), (5, 9)),
        "fix": {"title": "Rename `stop` to `stop_sequences`", "applicability": "safe", "edits": [
            {"range": range((5, 3), (5, 9)), "new_text": "\"stop_sequences\""},
            {"range": range((5, 11), (5, 16)), "new_text": "[\"END\"]"},
        ]},
    });
    assert_eq!(
        structured(&results[0]),
        &json!({
            "version": 1,
            "diagnostics": [remove_n("-"), stop, key_in_payload("-", 6)],
            "summary": summary(1, 3, 0),
            "skipped": null,
            "discovery": claude_body("claude-sonnet-4-6"),
        })
    );

    // check: code, its language from the file name.
    assert_eq!(
        structured(&results[1]),
        &json!({
            "version": 1,
            "diagnostics": [{
                "path": "agent.py", "code": "O101", "name": "openai-parameter", "severity": "error",
                "message": "`stop` is OpenAI's name: the API answers 400 `stop: Extra inputs are not permitted`; Claude calls it `stop_sequences`",
                "range": range((7, 5), (7, 9)),
                "fix": {"title": "Rename `stop` to `stop_sequences`", "applicability": "safe",
                        "edits": [{"range": range((7, 5), (7, 9)), "new_text": "stop_sequences"}]},
            }],
            "summary": summary(1, 1, 0),
            "skipped": null,
            "discovery": [{"line": 4, "reason": "`client.messages.create(...)`: it is called on an Anthropic client"}],
        })
    );

    // check: a path gives what `check --format json` gives for it.
    let cli = cli_json(&[
        "check",
        "examples/broken/openai-style.json",
        "--format",
        "json",
        "--today",
        TODAY,
    ]);
    let report = structured(&results[2]);
    assert_eq!(report["diagnostics"], cli["diagnostics"]);
    assert_eq!(report["summary"], cli["summary"]);
    let codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "O101", "O101", "O101", "M103", "C101", "C104", "M102", "M101", "M102"
        ]
    );

    // check: a file that is no Claude request gets nothing, and says why.
    assert_eq!(
        structured(&results[3]),
        &json!({
            "version": 1, "diagnostics": [], "summary": summary(0, 0, 0), "skipped": null,
            "discovery": [{"line": 1, "reason": "it has no `messages`"}],
        })
    );

    // fix: the safe fixes only, then the unsafe ones too; the key stays masked.
    let fixed_safe = REQUEST
        .replace(KEY, MASKED)
        .replace("\"stop\": \"END\"", "\"stop_sequences\": [\"END\"]");
    assert_eq!(
        structured(&results[4]),
        &json!({
            "text": fixed_safe,
            "masked_keys": 1,
            "version": 1,
            "diagnostics": [remove_n("req.json"), key_in_payload("req.json", 6)],
            "summary": summary(1, 2, 1),
            "skipped": null,
            "discovery": claude_body("claude-sonnet-4-6"),
        })
    );
    assert_eq!(
        structured(&results[5]),
        &json!({
            "text": fixed_safe.replace("  \"n\": 1,\n", ""),
            "masked_keys": 1,
            "version": 1,
            "diagnostics": [key_in_payload("req.json", 5)],
            "summary": summary(1, 1, 2),
            "skipped": null,
            "discovery": claude_body("claude-sonnet-4-6"),
        })
    );

    // count_tokens: what `count --format json` gives, per message and in total, against the
    // window; then for another model.
    let counted = structured(&results[6]);
    assert_eq!(
        counted,
        &cli_json(&[
            "count",
            "examples/clean/tool-use-round-trip.json",
            "--format",
            "json"
        ])
    );
    let payload = &counted["files"][0]["payloads"][0];
    assert_eq!(payload["model"], "claude-sonnet-4-6");
    assert_eq!(payload["context_window"], 1_000_000);
    assert_eq!(
        payload["input"],
        json!({"low": 570, "mid": 598, "high": 631})
    );
    assert_eq!(payload["tools"]["total"]["mid"], 545);
    let per_message: Vec<(u64, &str, u64)> = payload["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["index"].as_u64().unwrap(),
                m["role"].as_str().unwrap(),
                m["tokens"]["total"]["mid"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        per_message,
        [(0, "user", 15), (1, "assistant", 26), (2, "user", 12)]
    );
    let haiku = &structured(&results[7])["files"][0]["payloads"][0];
    assert_eq!(
        (&haiku["model"], &haiku["context_window"], &haiku["input"]),
        (
            &json!("claude-haiku-4-5"),
            &json!(200_000),
            &json!({"low": 569, "mid": 597, "high": 630})
        )
    );

    // explain_rule: the rule's identity and its documentation page.
    let page = std::fs::read_to_string(root().join("docs/rules/openai-parameter.md")).unwrap();
    let doc = structured(&results[8]);
    assert_eq!(
        (
            &doc["code"],
            &doc["name"],
            &doc["family"],
            &doc["severity"],
            &doc["fix"]
        ),
        (
            &json!("O101"),
            &json!("openai-parameter"),
            &json!("openai"),
            &json!("error"),
            &json!("safe or unsafe")
        )
    );
    assert_eq!(doc["documentation"], page);

    // Requests the tools cannot serve: error results that say why.
    assert_eq!(
        error_text(&results[9]),
        "no rule is named `opanai-parameter` (did you mean `openai-parameter`?)"
    );
    assert_eq!(error_text(&results[10]), "give `text` or `path`, not both");
    assert_eq!(error_text(&results[11]), "`examples` is not a regular file");
    assert_eq!(
        error_text(&results[12]),
        "`examples/not-requests/package.json`: no Claude request found in it"
    );
    assert_eq!(
        error_text(&results[13]),
        "`cobol` is not a language this server reads (json, jsonc, jsonl, yaml, python, javascript, typescript, tsx, sh, markdown or ipynb)"
    );
    assert_eq!(
        error_text(&results[14]),
        "failed to deserialize parameters: missing field `rule`"
    );
    // An unknown tool: a JSON-RPC error.
    assert_eq!(
        results[15],
        json!({"error": {"code": -32602, "message": "tool not found"}})
    );

    // explain_error with the request: the place the error's path names, the rule that
    // predicts it and its fix, as `explain-error --format json` reports them.
    let explained = structured(&results[16]);
    assert_eq!(
        (
            &explained["status"],
            &explained["path"],
            &explained["range"],
            &explained["rule"]["code"],
            &explained["fix"]["title"],
        ),
        (
            &json!(400),
            &json!("stop"),
            &range((5, 3), (5, 9)),
            &json!("O101"),
            &json!("Rename `stop` to `stop_sequences`"),
        )
    );
    // Without a request: the error classified, with what to do.
    let overloaded = structured(&results[17]);
    assert_eq!(
        (
            &overloaded["status"],
            &overloaded["type"],
            &overloaded["request_id"],
            &overloaded["range"],
        ),
        (
            &json!(529),
            &json!("overloaded_error"),
            &json!("req_529"),
            &Value::Null
        )
    );
    assert_eq!(
        overloaded["advice"][0],
        "The request itself is probably fine: this is the API's side, and the same request usually succeeds when sent again."
    );
}

/// The server in process, driven by rmcp's client over a duplex pipe.
#[tokio::test]
async fn rmcp_client_in_process() {
    let (server_end, client_end) = tokio::io::duplex(64 * 1024);
    let (input, output) = tokio::io::split(server_end);
    let today: jiff::civil::Date = TODAY.parse().unwrap();
    let server = tokio::spawn(serve(Server::new(Some(today)), input, output));
    let client = ().serve(client_end).await.unwrap();

    let mut names: Vec<String> = client
        .list_all_tools()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.name.into_owned())
        .collect();
    names.sort();
    assert_eq!(names, TOOLS);

    let call = |name: &'static str, arguments: Value| {
        let client = &client;
        async move {
            let params = CallToolRequestParams::new(name)
                .with_arguments(arguments.as_object().unwrap().clone());
            client.call_tool(params).await.unwrap()
        }
    };
    let checked = call(
        "check",
        json!({"text": REQUEST, "file_name": "requests/chat.json"}),
    )
    .await;
    assert_eq!(checked.is_error, Some(false));
    let report = checked.structured_content.unwrap();
    assert_eq!(
        report["diagnostics"][2],
        key_in_payload("requests/chat.json", 6)
    );
    assert_eq!(report["summary"], summary(1, 3, 0));

    let counted = call(
        "count_tokens",
        json!({"text": "{\"model\": \"claude-opus-5\", \"max_tokens\": 16, \"messages\": [{\"role\": \"user\", \"content\": \"Hello there\"}]}", "language": "json"}),
    )
    .await;
    let payload = &counted.structured_content.unwrap()["files"][0]["payloads"][0];
    assert_eq!(payload["model"], "claude-opus-5");
    assert_eq!(payload["messages"][0]["role"], "user");
    assert_eq!(payload["input"], payload["messages"][0]["tokens"]["total"]);

    // Codes are found whatever their case.
    let rule = call("explain_rule", json!({"rule": "o101"})).await;
    assert_eq!(rule.structured_content.unwrap()["name"], "openai-parameter");

    client.cancel().await.unwrap();
    assert_eq!(server.await.unwrap(), Ok(()));
}

/// Raw lines on the binary's standard input: a line that is not JSON and a call with
/// arguments of the wrong type are answered or ignored, and the server goes on serving; it
/// exits 0 when its input closes.
#[test]
fn malformed_input_never_stops_the_server() {
    let mut child = Command::new(BIN)
        .args(["mcp", "--today", TODAY])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = [
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}}).to_string(),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}).to_string(),
        "this is not JSON".into(),
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "explain_rule", "arguments": {"rule": 42}}}).to_string(),
        json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "explain_rule", "arguments": {"rule": "X101"}}}).to_string(),
    ];
    let mut stdin = child.stdin.take().unwrap();
    for line in &lines {
        writeln!(stdin, "{line}").unwrap();
    }
    // Answers may arrive in any order: wait for both before closing the input.
    let stdout = child.stdout.take().unwrap();
    let mut answers = std::collections::BTreeMap::new();
    for line in std::io::BufRead::lines(std::io::BufReader::new(stdout)) {
        let message: Value = serde_json::from_str(&line.unwrap()).unwrap();
        answers.insert(message["id"].as_u64().unwrap(), message);
        if answers.contains_key(&2) && answers.contains_key(&3) {
            break;
        }
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
    assert_eq!(
        answers[&1]["result"]["serverInfo"]["name"],
        "claude-preflight"
    );
    assert_eq!(
        answers[&2]["result"],
        json!({"content": [{"type": "text", "text": "failed to deserialize parameters: invalid type: integer `42`, expected a string"}], "isError": true})
    );
    assert_eq!(
        answers[&3]["result"]["structuredContent"]["name"],
        "api-key-in-payload"
    );
}
