//! API keys never reach the output: every format of `check`, run on a request whose keys sit in
//! findings' source lines, fix previews and quoted values, shows them redacted; and `--fix`
//! never writes a key anywhere new.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// A made-up key in Anthropic's format (the real ones have 95 characters after the prefix).
/// Its secret part does not start as the rule's documented example does (`sk-ant-api03-Xq…`),
/// which every SARIF report carries.
fn key() -> String {
    let body: String = "Lp9Vb4Nc8Zw1Ks5Hd3Fg6Jm0Xq7Rt2"
        .chars()
        .cycle()
        .take(91)
        .collect();
    format!("sk-ant-api03-{body}XyZ9")
}

/// A request with the key as an unknown parameter, as OpenAI's `user` (whose fix would copy
/// it into `metadata`), as a value quoted by a message, beside an empty stop sequence (whose
/// fix preview shows the line) and in a prompt.
fn request(key: &str) -> String {
    format!(
        r#"{{
  "model": "claude-opus-5",
  "max_tokens": 1024,
  "api_key": "{key}",
  "user": "{key}",
  "service_tier": "{key}",
  "stop_sequences": ["", "{key}"],
  "messages": [{{"role": "user", "content": "Use {key}"}}]
}}
"#
    )
}

/// Runs `claude-preflight check --today 2026-11-25 ARGS` in `dir`; returns stdout.
fn check(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_claude-preflight"))
        .current_dir(dir)
        .args(["check", "--today", "2026-11-25"])
        .args(args)
        .output()
        .expect("the binary runs");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Panics when any 8 characters of the key's hidden middle appear in `output`.
fn assert_hidden(output: &str, key: &str, format: &str) {
    let middle = &key[12..key.len() - 4];
    for i in 0..=middle.len() - 8 {
        let part = &middle[i..i + 8];
        assert!(
            !output.contains(part),
            "--format {format} shows `{part}` of the key:\n{output}"
        );
    }
}

fn project() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let key = key();
    std::fs::write(dir.path().join("request.json"), request(&key)).expect("writable");
    (dir, key)
}

#[test]
fn every_format_shows_keys_redacted() {
    let (dir, key) = project();
    for format in ["human", "concise", "json", "sarif", "github"] {
        let output = check(dir.path(), &["--format", format, "request.json"]);
        assert_hidden(&output, &key, format);
        assert!(
            output.contains("sk-ant-api03…XyZ9"),
            "--format {format} names the key by its redacted form:\n{output}"
        );
    }
}

#[test]
fn the_human_report_masks_source_lines_and_fix_previews() {
    let (dir, key) = project();
    let output = check(dir.path(), &["--format", "human", "request.json"]);
    let masked = format!("sk-ant-api03{}XyZ9", "*".repeat(key.len() - 16));
    assert!(
        output.contains(&format!("\"api_key\": \"{masked}\"")),
        "{output}"
    );
    assert!(
        output.contains(&format!("\"stop_sequences\": [\"{masked}\"]")),
        "the fix preview: {output}"
    );
}

#[test]
fn no_fix_writes_a_key_somewhere_new() {
    let (dir, key) = project();
    let json: Value =
        serde_json::from_str(&check(dir.path(), &["--format", "json", "request.json"]))
            .expect("JSON output");
    let user = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["code"] == "O101")
        .expect("the `user` finding");
    assert_eq!(user["fix"], Value::Null, "its fix would copy the key");
    check(
        dir.path(),
        &[
            "--format",
            "concise",
            "--fix",
            "--unsafe-fixes",
            "request.json",
        ],
    );
    let fixed = std::fs::read_to_string(dir.path().join("request.json")).expect("readable");
    assert_eq!(fixed.matches(&key).count(), 5, "{fixed}");
    assert!(fixed.contains(&format!("\"user\": \"{key}\"")), "{fixed}");
    assert!(
        fixed.contains(&format!("\"stop_sequences\": [\"{key}\"]")),
        "{fixed}"
    );
}

// ---------------------------------------------------------------------------------------------
// A key in every position of every host: no output of the CLI or the language server shows any
// 12-character run of it (a deterministic, exhaustive loop over positions × hosts; proptest is
// not a dependency).

/// Where the key is planted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Position {
    /// A prompt's text.
    Prompt,
    /// An object key (a top-level parameter in data files, a message member in code).
    ObjectKey,
    /// A comment on the line of a fixable finding (the empty stop sequence).
    Comment,
    /// Unquoted text: a bare JSON value, a YAML plain scalar, a bare word in code or prose.
    Unquoted,
    /// The `x-api-key` header (curl, a client's default headers).
    Header,
    /// The `model`.
    Model,
    /// A message's `role`.
    Role,
    /// A content block's `type`.
    BlockType,
}

const POSITIONS: [Position; 8] = [
    Position::Prompt,
    Position::ObjectKey,
    Position::Comment,
    Position::Unquoted,
    Position::Header,
    Position::Model,
    Position::Role,
    Position::BlockType,
];

/// The file kinds the key is planted in, by extension.
const HOSTS: [&str; 10] = [
    "json", "jsonc", "jsonl", "yaml", "py", "ts", "js", "sh", "md", "ipynb",
];

/// The parts of a request, with the key in one of them.
struct Parts {
    position: Position,
    model: String,
    role: String,
    kind: String,
    prompt: String,
}

impl Parts {
    fn new(position: Position, key: &str) -> Self {
        let pick = |p: Position, default: &str| {
            if position == p {
                key.to_owned()
            } else {
                default.to_owned()
            }
        };
        Self {
            position,
            model: pick(Position::Model, "claude-opus-5"),
            role: pick(Position::Role, "user"),
            kind: pick(Position::BlockType, "text"),
            prompt: if position == Position::Prompt {
                format!("Use {key} to call it.")
            } else {
                "Hello".into()
            },
        }
    }

    /// `text` when the key is planted at `position`, else nothing.
    fn only(&self, position: Position, text: String) -> String {
        if self.position == position {
            text
        } else {
            String::new()
        }
    }
}

/// A JSON body (multi-line), with `comment` after the stop sequences when the host has
/// comments.
fn json_body(position: Position, key: &str, comment: Option<&str>) -> String {
    let p = Parts::new(position, key);
    let extra = match position {
        Position::ObjectKey => format!("\"{key}\": 1,"),
        Position::Unquoted => format!("\"x\": {key},"),
        _ => String::new(),
    };
    let comment = match (position, comment) {
        (Position::Comment, Some(mark)) => format!(" {mark} {key}"),
        _ => String::new(),
    };
    format!(
        "{{\n  \"model\": \"{}\",\n  \"max_tokens\": 1024,\n  {extra}\n  \"stop_sequences\": [\"\", \"x\"],{comment}\n  \"messages\": [{{\"role\": \"{}\", \"content\": [{{\"type\": \"{}\", \"text\": \"{}\"}}]}}]\n}}\n",
        p.model, p.role, p.kind, p.prompt
    )
}

fn yaml(position: Position, key: &str) -> String {
    let p = Parts::new(position, key);
    let extra = match position {
        Position::ObjectKey => format!("{key}: 1\n"),
        Position::Unquoted => format!("x: {key}\n"),
        _ => String::new(),
    };
    let comment = p.only(Position::Comment, format!("  # {key}"));
    format!(
        "model: {}\nmax_tokens: 1024\n{extra}stop_sequences: [\"\", \"x\"]{comment}\nmessages:\n  - role: {}\n    content:\n      - type: {}\n        text: {}\n",
        p.model, p.role, p.kind, p.prompt
    )
}

/// A Python (`python`) or JavaScript/TypeScript SDK call.
fn code(position: Position, key: &str, python: bool) -> String {
    let p = Parts::new(position, key);
    let [headers, bare, comment] = if python {
        [
            format!("default_headers={{\"x-api-key\": \"{key}\"}}"),
            format!("token = {key}\n"),
            format!("  # {key}"),
        ]
    } else {
        [
            format!("{{ defaultHeaders: {{ \"x-api-key\": \"{key}\" }} }}"),
            format!("const token = {key};\n"),
            format!(" // {key}"),
        ]
    };
    let headers = p.only(Position::Header, headers);
    let bare = p.only(Position::Unquoted, bare);
    let comment = p.only(Position::Comment, comment);
    let member = p.only(Position::ObjectKey, format!("\"{key}\": 1, "));
    let (model, role, kind, prompt) = (p.model, p.role, p.kind, p.prompt);
    if python {
        format!(
            "import anthropic\n\nclient = anthropic.Anthropic({headers})\n{bare}message = client.messages.create(\n    model=\"{model}\",\n    max_tokens=1024,\n    stop_sequences=[\"\", \"x\"],{comment}\n    messages=[{{\"role\": \"{role}\", {member}\"content\": [{{\"type\": \"{kind}\", \"text\": \"{prompt}\"}}]}}],\n)\n"
        )
    } else {
        format!(
            "import Anthropic from \"@anthropic-ai/sdk\";\n\nconst client = new Anthropic({headers});\n{bare}const message = await client.messages.create({{\n  model: \"{model}\",\n  max_tokens: 1024,\n  stop_sequences: [\"\", \"x\"],{comment}\n  messages: [{{ role: \"{role}\", {member}content: [{{ type: \"{kind}\", text: \"{prompt}\" }}] }}],\n}});\n"
        )
    }
}

fn shell(position: Position, key: &str) -> String {
    let p = Parts::new(position, key);
    let mut header = p.only(Position::Header, key.to_owned());
    if header.is_empty() {
        header = "$ANTHROPIC_API_KEY".into();
    }
    let comment = p.only(Position::Comment, format!("# {key}\n"));
    let bare = p.only(Position::Unquoted, format!("echo {key}\n"));
    // The JSON body in single quotes holds the other positions (`json_body` plants none of
    // these three).
    let body = json_body(position, key, None);
    format!(
        "#!/usr/bin/env bash\n{comment}{bare}curl https://api.anthropic.com/v1/messages \\\n  -H \"x-api-key: {header}\" \\\n  -H \"anthropic-version: 2023-06-01\" \\\n  -H \"content-type: application/json\" \\\n  -d '{}'\n",
        body.trim_end()
    )
}

/// The document for `position` in the host with extension `ext`; `None` where the host has no
/// such place (comments in JSON, headers in a data file).
fn planted(ext: &str, position: Position, key: &str) -> Option<String> {
    let data_file = matches!(ext, "json" | "jsonc" | "jsonl" | "yaml");
    if data_file && position == Position::Header {
        return None;
    }
    Some(match ext {
        "json" if position == Position::Comment => return None,
        "json" => json_body(position, key, None),
        "jsonc" => json_body(position, key, Some("//")),
        "jsonl" if position == Position::Comment => return None,
        "jsonl" => format!("{}\n", json_body(position, key, None).replace('\n', " ")),
        "yaml" => yaml(position, key),
        "py" => code(position, key, true),
        "ts" | "js" => code(position, key, false),
        "sh" => shell(position, key),
        "md" => {
            let prose = if position == Position::Unquoted {
                format!("The key {key} is the team's.\n\n")
            } else {
                String::new()
            };
            let fenced = if position == Position::Unquoted {
                shell(Position::Prompt, key)
            } else {
                shell(position, key)
            };
            format!("# Calling Claude\n\n{prose}```sh\n{fenced}```\n")
        }
        "ipynb" => {
            let source: Vec<String> = code(position, key, true)
                .split_inclusive('\n')
                .map(str::to_owned)
                .collect();
            serde_json::json!({
                "cells": [{"cell_type": "code", "execution_count": null, "metadata": {},
                           "outputs": [], "source": source}],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5
            })
            .to_string()
        }
        _ => unreachable!("a host in HOSTS"),
    })
}

/// Every planted document: (file name, position, text).
fn planted_documents(key: &str) -> Vec<(String, Position, String)> {
    let mut documents = Vec::new();
    for ext in HOSTS {
        for position in POSITIONS {
            if let Some(text) = planted(ext, position, key) {
                let name = format!("{position:?}-{ext}.{ext}").to_lowercase();
                documents.push((name, position, text));
            }
        }
    }
    documents
}

/// Panics when `output` shows any 12-character run of `key` that reaches past its shown
/// prefix (`sk-ant-api03-`): every run that holds a character of its secret part.
fn assert_no_run(output: &str, key: &str, what: &str) {
    for at in 2..=key.len() - 12 {
        let run = &key[at..at + 12];
        assert!(
            !output.contains(run),
            "{what} shows `{run}` of the key:\n{output}"
        );
    }
}

/// Runs the binary with `args` in `dir`; returns stdout and stderr together.
fn run(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_claude-preflight"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the binary runs");
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn no_cli_output_shows_a_key_planted_anywhere() {
    let key = key();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let documents = planted_documents(&key);
    for (name, _, text) in &documents {
        std::fs::write(dir.path().join(name), text).expect("writable");
    }
    let today = ["--today", "2026-12-03"];
    let mut runs: Vec<Vec<&str>> = ["human", "concise", "json", "sarif", "github"]
        .iter()
        .map(|format| vec!["check", "--format", format])
        .collect();
    runs.push(vec!["check", "--diff", "--unsafe-fixes"]);
    runs.push(vec!["check", "--statistics"]);
    runs.push(vec!["check", "--statistics", "--format", "json"]);
    runs.push(vec!["check", "--explain-discovery"]);
    for args in &runs {
        let mut args = args.clone();
        args.extend(today);
        args.push(".");
        assert_no_run(&run(dir.path(), &args), &key, &args.join(" "));
    }
    for format in ["human", "json"] {
        let mut args = vec!["count", "--format", format];
        args.extend(documents.iter().map(|(name, _, _)| name.as_str()));
        assert_no_run(
            &run(dir.path(), &args),
            &key,
            &format!("count --format {format}"),
        );
    }
    // `api-key-in-payload` fires wherever the key sits in a request (a key as the model makes
    // the file no Claude request: nothing is checked, nothing reported).
    let report: Value = serde_json::from_str(&run(
        dir.path(),
        &["check", "--format", "json", "--today", "2026-12-03", "."],
    ))
    .expect("a JSON report");
    let flagged: Vec<&str> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["name"] == "api-key-in-payload")
        .filter_map(|d| d["path"].as_str())
        .collect();
    let expected: Vec<&str> = documents
        .iter()
        .filter(|(_, position, _)| *position != Position::Model)
        .map(|(name, _, _)| name.as_str())
        .collect();
    let missing: Vec<&&str> = expected.iter().filter(|n| !flagged.contains(n)).collect();
    assert!(missing.is_empty(), "no api-key-in-payload in {missing:?}");
}

/// A language client that keeps every byte the server sends, as the editor would see it.
struct Wire {
    writer: tokio::io::WriteHalf<tokio::io::DuplexStream>,
    reader: tokio::io::BufReader<tokio::io::ReadHalf<tokio::io::DuplexStream>>,
    next_id: i64,
    /// Every body the server sent.
    seen: String,
}

impl Wire {
    async fn send(&mut self, message: Value) {
        use tokio::io::AsyncWriteExt;
        let body = message.to_string();
        let framed = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.writer.write_all(framed.as_bytes()).await.unwrap();
        self.writer.flush().await.unwrap();
    }

    async fn read(&mut self) -> Value {
        use tokio::io::{AsyncBufReadExt, AsyncReadExt};
        let mut length = 0;
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line).await.unwrap();
            assert!(!line.is_empty(), "the server closed its output");
            match line.trim_end() {
                "" => break,
                header => {
                    if let Some(n) = header.strip_prefix("Content-Length: ") {
                        length = n.parse().unwrap();
                    }
                }
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).await.unwrap();
        let body = String::from_utf8(body).expect("UTF-8 bodies");
        self.seen.push_str(&body);
        self.seen.push('\n');
        serde_json::from_str(&body).unwrap()
    }

    /// Sends a request and waits for its answer; the server's own requests get `null`.
    async fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(
            serde_json::json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}),
        )
        .await;
        loop {
            let message = tokio::time::timeout(std::time::Duration::from_secs(60), self.read())
                .await
                .expect("the server answered in time");
            if message.get("method").is_some() && message.get("id").is_some() {
                let answer =
                    serde_json::json!({"jsonrpc": "2.0", "id": message["id"], "result": null});
                self.send(answer).await;
            } else if message.get("id") == Some(&serde_json::json!(id)) {
                return message;
            }
        }
    }

    async fn notify(&mut self, method: &str, params: Value) {
        self.send(serde_json::json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_language_server_answer_shows_a_key_planted_anywhere() {
    let key = key();
    let (client, server) = tokio::io::duplex(1 << 20);
    let (server_read, server_write) = tokio::io::split(server);
    let server = tokio::spawn(claude_preflight::lsp::serve(server_read, server_write));
    let (reader, writer) = tokio::io::split(client);
    let mut wire = Wire {
        writer,
        reader: tokio::io::BufReader::new(reader),
        next_id: 0,
        seen: String::new(),
    };
    let pull = serde_json::json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}});
    wire.request(
        "initialize",
        serde_json::json!({"processId": null, "rootUri": "file:///project", "capabilities": pull,
               "initializationOptions": {"today": "2026-12-03", "debounceMs": 0}}),
    )
    .await;
    wire.notify("initialized", serde_json::json!({})).await;
    let mut answered = 0;
    for (name, _, text) in planted_documents(&key) {
        let uri = format!("file:///project/{name}");
        let doc = serde_json::json!({"uri": uri});
        wire.notify(
            "textDocument/didOpen",
            serde_json::json!({"textDocument": {"uri": uri, "languageId": "", "version": 1, "text": text}}),
        )
        .await;
        let lines = text.lines().count() as u32 + 1;
        let whole = serde_json::json!({"start": {"line": 0, "character": 0}, "end": {"line": lines, "character": 0}});
        let mut answers = vec![
            wire.request("textDocument/diagnostic", serde_json::json!({"textDocument": doc}))
                .await,
            wire.request("textDocument/inlayHint", serde_json::json!({"textDocument": doc, "range": whole}))
                .await,
            wire.request(
                "textDocument/codeAction",
                serde_json::json!({"textDocument": doc, "range": whole, "context": {"diagnostics": []}}),
            )
            .await,
            wire.request("claude-preflight/summary", serde_json::json!({"textDocument": doc}))
                .await,
        ];
        // A hover every few characters of every line that holds the key or a value it could be.
        for (line, content) in text.lines().enumerate() {
            if !["model", "role", "type", "sk-ant"]
                .iter()
                .any(|w| content.contains(w))
            {
                continue;
            }
            for character in (0..content.len()).step_by(3) {
                let at = serde_json::json!({"line": line, "character": character});
                answers.push(
                    wire.request(
                        "textDocument/hover",
                        serde_json::json!({"textDocument": doc, "position": at}),
                    )
                    .await,
                );
            }
        }
        for answer in &answers {
            assert!(answer.get("error").is_none(), "{name}: {answer}");
        }
        answered += answers.iter().filter(|a| !a["result"].is_null()).count();
        wire.notify(
            "textDocument/didClose",
            serde_json::json!({"textDocument": doc}),
        )
        .await;
    }
    wire.request("shutdown", Value::Null).await;
    wire.notify("exit", Value::Null).await;
    assert!(server.await.expect("the server ends"), "a clean shutdown");
    assert!(
        answered > 500,
        "the server answered only {answered} requests with results"
    );
    assert!(
        wire.seen.contains("sk-ant-api03…") && wire.seen.contains("api-key-in-payload"),
        "the key's findings were sent, redacted"
    );
    assert_no_run(&wire.seen, &key, "the language server");
}

// ---------------------------------------------------------------------------------------------
// The defects an adversarial review found, one test each.

/// A directory holding `name` with `text`.
fn file(name: &str, text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join(name), text).expect("writable");
    dir
}

/// The key masked byte for byte, as source lines show it.
fn masked(key: &str) -> String {
    format!("sk-ant-api03{}XyZ9", "*".repeat(key.len() - 16))
}

/// `(name, start line, start column, end column, message)` of each finding of `--format json`.
fn findings(json: &str) -> Vec<(String, u64, u64, u64, String)> {
    let report: Value = serde_json::from_str(json).expect("a JSON report");
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let at = |end: &str, field: &str| d["range"][end][field].as_u64().expect("a number");
            (
                d["name"].as_str().expect("a name").to_owned(),
                at("start", "line"),
                at("start", "column"),
                at("end", "column"),
                d["message"].as_str().expect("a message").to_owned(),
            )
        })
        .collect()
}

const FORMATS: [&str; 5] = ["human", "concise", "json", "sarif", "github"];

/// A directory with `request.json`, a one-line request with `member` among its parameters,
/// checked in every format: none shows a run of `key`. Returns the directory.
fn one_line_request(member: &str, key: &str) -> tempfile::TempDir {
    let dir = file(
        "request.json",
        &format!(
            "{{\"model\": \"claude-opus-5\", \"max_tokens\": 1024, {member}, \"messages\": [{{\"role\": \"user\", \"content\": \"hi\"}}]}}\n"
        ),
    );
    for format in FORMATS {
        let output = check(dir.path(), &["--format", format, "request.json"]);
        assert_no_run(&output, key, format);
        assert_hidden(&output, key, format);
    }
    dir
}

#[test]
fn a_key_as_an_object_key_is_reported_and_never_quoted() {
    let key = key();
    let dir = one_line_request(&format!("\"{key}\": 1"), &key);
    let json = check(dir.path(), &["--format", "json", "request.json"]);
    assert_eq!(
        findings(&json),
        vec![
            (
                "unknown-parameter".into(),
                1,
                48,
                50 + key.len() as u64,
                "`sk-ant-api03…XyZ9` is not a Messages API parameter: the API answers 400 `sk-ant-api03…XyZ9: Extra inputs are not permitted`".into()
            ),
            (
                "api-key-in-payload".into(),
                1,
                49,
                49 + key.len() as u64,
                "an Anthropic API key is written in the source (`sk-ant-api03…XyZ9`): anyone who can read the file can use it; remove it, revoke it in the Claude Console, and send the key in the `x-api-key` header from the environment (`ANTHROPIC_API_KEY`)".into()
            ),
        ]
    );
}

#[test]
fn an_unquoted_key_is_hidden_in_syntax_errors_and_snippets() {
    let key = key();
    let dir = one_line_request(&format!("\"x\": {key}"), &key);
    let human = check(dir.path(), &["--format", "human", "request.json"]);
    assert!(human.contains("\"x\": sk-ant-api03****"), "{human}");
    let json = check(dir.path(), &["--format", "json", "request.json"]);
    let found = findings(&json);
    assert!(
        found.contains(&(
            "api-key-in-payload".into(),
            1,
            53,
            53 + key.len() as u64,
            "an Anthropic API key is written in the source (`sk-ant-api03…XyZ9`): anyone who can read the file can use it; remove it, revoke it in the Claude Console, and send the key in the `x-api-key` header from the environment (`ANTHROPIC_API_KEY`)".into()
        )),
        "{found:#?}"
    );
    // The parser's quote of the key's middle (24 characters of it before) is cut to `…`.
    assert!(
        found.contains(&(
            "syntax-error".into(),
            1,
            64,
            53 + key.len() as u64,
            "invalid JSON: unexpected `3……`".into()
        )),
        "{found:#?}"
    );
}

#[test]
fn a_key_in_a_comment_beside_a_finding_is_masked_in_the_snippet_and_the_diff() {
    let key = key();
    let text = format!(
        "{{\"model\": \"claude-opus-5\", \"max_tokens\": 1024,\n \"stop_sequences\": [\"\", \"x\"], // {key}\n \"messages\": [{{\"role\": \"user\", \"content\": \"hi\"}}]}}\n"
    );
    let dir = file("request.jsonc", &text);
    let human = check(dir.path(), &["--format", "human", "request.jsonc"]);
    assert_no_run(&human, &key, "human");
    let hidden = masked(&key);
    assert!(
        human.contains(&format!("2 +  \"stop_sequences\": [\"x\"], // {hidden}")),
        "the fix preview: {human}"
    );
    let diff = run(
        dir.path(),
        &["check", "--diff", "--today", "2026-12-03", "request.jsonc"],
    );
    assert_eq!(
        diff,
        format!(
            "--- request.jsonc\n+++ request.jsonc\n@@ -1,3 +1,3 @@\n {{\"model\": \"claude-opus-5\", \"max_tokens\": 1024,\n- \"stop_sequences\": [\"\", \"x\"], // {hidden}\n+ \"stop_sequences\": [\"x\"], // {hidden}\n  \"messages\": [{{\"role\": \"user\", \"content\": \"hi\"}}]}}\nWould fix 1 problem.\n"
        )
    );
    let json = check(dir.path(), &["--format", "json", "request.jsonc"]);
    assert!(
        findings(&json)
            .iter()
            .any(|f| (f.0.as_str(), f.1, f.2) == ("api-key-in-payload", 2, 34)),
        "{json}"
    );
}

#[test]
fn discovery_notes_and_count_labels_redact_a_key_used_as_a_value() {
    let key = key();
    let dir = file(
        "model.json",
        &format!(
            "{{\"model\": \"{key}\", \"max_tokens\": 1024, \"messages\": [{{\"role\": \"user\", \"content\": \"hi\"}}]}}\n"
        ),
    );
    std::fs::write(
        dir.path().join("role.json"),
        format!(
            "{{\"model\": \"claude-opus-5\", \"max_tokens\": 1024, \"messages\": [{{\"role\": \"{key}\", \"content\": [{{\"type\": \"{key}\", \"text\": \"hi\"}}]}}]}}\n"
        ),
    )
    .expect("writable");
    let notes = run(
        dir.path(),
        &[
            "check",
            "--explain-discovery",
            "--today",
            "2026-12-03",
            "model.json",
        ],
    );
    assert_eq!(
        notes,
        "No Claude request found in 1 file.\nnote: model.json:1: `model` is `sk-ant-api03…XyZ9`, not a Claude model\n"
    );
    let counted = run(dir.path(), &["count", "role.json"]);
    assert_no_run(&counted, &key, "count");
    assert!(
        counted.contains(&format!("\n  0 {}  ", masked(&key))),
        "{counted}"
    );
    let json = run(dir.path(), &["count", "--format", "json", "role.json"]);
    assert_no_run(&json, &key, "count --format json");
    assert!(
        json.contains(&format!("\"role\":\"{}\"", masked(&key))),
        "{json}"
    );
}

#[test]
fn no_mcp_answer_shows_a_key_planted_anywhere() {
    use std::io::{BufRead, Write};
    let key = key();
    let mut child = Command::new(env!("CARGO_BIN_EXE_claude-preflight"))
        .args(["mcp", "--today", "2026-12-03"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdin = child.stdin.take().expect("its input");
    let call = |id: usize, name: &str, arguments: Value| {
        serde_json::json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
                           "params": {"name": name, "arguments": arguments}})
    };
    let mut lines = vec![
        serde_json::json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}}),
        serde_json::json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
    ];
    for (name, _, text) in planted_documents(&key) {
        let source = serde_json::json!({"text": text, "file_name": name});
        let fix = serde_json::json!({"text": text, "file_name": name, "unsafe": true});
        lines.push(call(lines.len(), "check", source.clone()));
        lines.push(call(lines.len(), "fix", fix));
        lines.push(call(lines.len(), "count_tokens", source));
    }
    let calls = lines.len() - 1;
    for line in &lines {
        writeln!(stdin, "{line}").expect("the server reads");
    }
    let stdout = std::io::BufReader::new(child.stdout.take().expect("its output"));
    let mut seen = String::new();
    let mut answered = 0;
    for line in stdout.lines() {
        let line = line.expect("a line");
        let message: Value = serde_json::from_str(&line).expect("JSON");
        assert!(message.get("error").is_none(), "{message}");
        seen.push_str(&line);
        seen.push('\n');
        answered += 1;
        if answered == calls {
            break;
        }
    }
    drop(stdin);
    assert!(child.wait().expect("the server ends").success());
    assert!(seen.contains("api-key-in-payload"), "{seen}");
    assert_no_run(&seen, &key, "the MCP server");
}
