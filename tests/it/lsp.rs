//! The language server, driven in process over an in-memory duplex with raw JSON-RPC, as an
//! editor drives it over stdio. Every assertion is on exact messages: diagnostics with their
//! ranges in both position encodings, code actions and the text after applying them, hovers,
//! inlay hints and completion items. Each test ends by shutting the server down and checking
//! that no message was left unread.

use std::collections::VecDeque;
use std::time::Duration;

use pretty_assertions::assert_eq;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::io::{ReadHalf, WriteHalf};
use tokio::task::JoinHandle;

/// How long any single message may take to arrive.
const PATIENCE: Duration = Duration::from_secs(60);

/// A client: the writing half, the reading half, and messages read while waiting for others.
struct TestClient {
    writer: WriteHalf<DuplexStream>,
    reader: BufReader<ReadHalf<DuplexStream>>,
    next_id: i64,
    /// Notifications (and answers) read while waiting for something else, in order.
    unread: VecDeque<Value>,
    /// Requests the server sent to the client (answered with `null`).
    server_requests: Vec<Value>,
    server: JoinHandle<bool>,
}

const URI: &str = "file:///project/req.json";

impl TestClient {
    /// Starts a server and initializes it with `capabilities` and `options` (the date is
    /// fixed unless `options` sets its own).
    async fn start(capabilities: Value, options: Value) -> (Self, Value) {
        let (client, server) = tokio::io::duplex(1 << 20);
        let (server_read, server_write) = tokio::io::split(server);
        let server = tokio::spawn(claude_preflight::lsp::serve(server_read, server_write));
        let (read, writer) = tokio::io::split(client);
        let mut client = Self {
            writer,
            reader: BufReader::new(read),
            next_id: 0,
            unread: VecDeque::new(),
            server_requests: Vec::new(),
            server,
        };
        let mut init_options = json!({"today": "2026-11-25", "debounceMs": 0});
        if let (Some(base), Some(extra)) = (init_options.as_object_mut(), options.as_object()) {
            base.extend(extra.clone());
        }
        let result = client
            .request(
                "initialize",
                json!({
                    "processId": null,
                    "rootUri": "file:///project",
                    "capabilities": capabilities,
                    "initializationOptions": init_options,
                }),
            )
            .await;
        client.notify("initialized", json!({})).await;
        (client, result)
    }

    /// A server for a client with default capabilities (UTF-16, push diagnostics).
    async fn new() -> Self {
        Self::start(json!({}), json!({})).await.0
    }

    async fn send_bytes(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).await.unwrap();
        self.writer.flush().await.unwrap();
    }

    async fn send_raw(&mut self, body: &[u8]) {
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        self.send_bytes(&[header.as_bytes(), body].concat()).await;
    }

    async fn send(&mut self, message: Value) {
        self.send_raw(message.to_string().as_bytes()).await;
    }

    async fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .await;
    }

    /// Reads one message off the wire; server requests are answered with `null` on the way.
    async fn read(&mut self) -> Value {
        loop {
            let message = tokio::time::timeout(PATIENCE, self.read_frame())
                .await
                .expect("the server answered in time");
            if message.get("method").is_some() && message.get("id").is_some() {
                let id = message["id"].clone();
                self.server_requests.push(message);
                self.send(json!({"jsonrpc": "2.0", "id": id, "result": null}))
                    .await;
                continue;
            }
            return message;
        }
    }

    async fn read_frame(&mut self) -> Value {
        let mut length = None;
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line).await.unwrap();
            assert!(!line.is_empty(), "the server closed its output");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = Some(n.parse::<usize>().unwrap());
            }
        }
        let mut body = vec![0; length.expect("a Content-Length header")];
        self.reader.read_exact(&mut body).await.unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    /// Sends a request and returns its whole answer (`result` or `error`).
    async fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        loop {
            let message = self.read().await;
            if message.get("id") == Some(&json!(id)) {
                return message;
            }
            self.unread.push_back(message);
        }
    }

    /// Sends a request and returns its result.
    async fn request(&mut self, method: &str, params: Value) -> Value {
        let answer = self.call(method, params).await;
        assert!(answer.get("error").is_none(), "{method} failed: {answer}");
        answer["result"].clone()
    }

    /// The next notification `method`, unread ones first.
    async fn notification(&mut self, method: &str) -> Value {
        if let Some(i) = self.unread.iter().position(|m| m["method"] == method) {
            return self.unread.remove(i).unwrap_or_default()["params"].clone();
        }
        loop {
            let message = self.read().await;
            if message["method"] == method {
                return message["params"].clone();
            }
            self.unread.push_back(message);
        }
    }

    /// The next diagnostics published.
    async fn diagnostics(&mut self) -> Value {
        self.notification("textDocument/publishDiagnostics").await
    }

    async fn open(&mut self, uri: &str, text: &str) {
        self.open_as(uri, "json", text).await;
    }

    /// Opens a document in the language `language_id`.
    async fn open_as(&mut self, uri: &str, language_id: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language_id, "version": 1, "text": text}}),
        )
        .await;
    }

    /// The code actions at `range` of `uri`, for the `diagnostics` published there.
    async fn actions(&mut self, uri: &str, range: Value, diagnostics: &Value) -> Value {
        self.request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": range,
                "context": {"diagnostics": diagnostics},
            }),
        )
        .await
    }

    /// Shuts down and exits; checks the server ends cleanly and nothing was left unread.
    async fn finish(mut self) {
        let answer = self.call("shutdown", Value::Null).await;
        assert_eq!(answer["result"], Value::Null);
        self.notify("exit", Value::Null).await;
        let clean = tokio::time::timeout(PATIENCE, self.server)
            .await
            .expect("the server stopped")
            .unwrap();
        assert!(clean, "shutdown came before exit");
        let leftover: Vec<&Value> = self
            .unread
            .iter()
            .filter(|m| m["method"] != "window/logMessage")
            .collect();
        assert!(leftover.is_empty(), "unread messages: {leftover:#?}");
    }
}

/// Applies LSP text edits (positions in `encoding`) to `text`.
fn apply(text: &str, edits: &[Value], encoding: &str) -> String {
    let offset = |position: &Value| {
        let line = position["line"].as_u64().unwrap() as usize;
        let column = position["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= column || c == '\n' || c == '\r' {
                return start + i;
            }
            units += if encoding == "utf-8" {
                c.len_utf8()
            } else {
                c.len_utf16()
            };
        }
        text.len()
    };
    let mut edits: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_owned();
    for (start, end, new_text) in edits {
        out.replace_range(start..end, new_text);
    }
    out
}

fn range(start: (u32, u32), end: (u32, u32)) -> Value {
    json!({"start": {"line": start.0, "character": start.1}, "end": {"line": end.0, "character": end.1}})
}

const DOCS: &str = "https://github.com/claude-preflight/claude-preflight/blob/main/docs/rules";

/// A CRLF request with non-ASCII text before a finding on the same line.
const REQUEST: &str = "{\r\n  \"model\": \"claude-sonnet-4-6\",\r\n  \"max_tokens\": 1024,\r\n  \"messages\": [{\"role\": \"user\", \"content\": \"héllo 😀\"}], \"n\": 2,\r\n  \"stop\": \"###\"\r\n}\r\n";

const N_MESSAGE: &str = "`n` is an OpenAI parameter with no Claude equivalent: the API answers 400 `n: Extra inputs are not permitted`";
const STOP_MESSAGE: &str = "`stop` is OpenAI's name: the API answers 400 `stop: Extra inputs are not permitted`; Claude calls it `stop_sequences` (an array)";

fn openai_diagnostic(range: Value, message: &str) -> Value {
    error_diagnostic("O101", "openai-parameter", range, message)
}

/// An error of the rule `name` (code `code`) as the server publishes it.
fn error_diagnostic(code: &str, name: &str, range: Value, message: &str) -> Value {
    json!({
        "range": range,
        "severity": 1,
        "code": code,
        "codeDescription": {"href": format!("{DOCS}/{name}.md")},
        "source": "claude-preflight",
        "message": message,
    })
}

/// The diagnostics of [`REQUEST`], with `n` starting at `n_column` on line 3.
fn request_diagnostics(n_column: u32) -> Value {
    json!([
        openai_diagnostic(range((3, n_column), (3, n_column + 3)), N_MESSAGE),
        openai_diagnostic(range((4, 2), (4, 8)), STOP_MESSAGE),
    ])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnostics_in_utf16_by_default() {
    let (mut client, init) = TestClient::start(json!({}), json!({})).await;
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(init["serverInfo"]["name"], "claude-preflight");
    assert!(init["capabilities"].get("diagnosticProvider").is_none());
    client.open(URI, REQUEST).await;
    assert_eq!(
        client.diagnostics().await,
        json!({"uri": URI, "version": 1, "diagnostics": request_diagnostics(57)})
    );
    client.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnostics_in_utf8_when_the_client_offers_it() {
    let capabilities = json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}});
    let (mut client, init) = TestClient::start(capabilities, json!({})).await;
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    client.open(URI, REQUEST).await;
    assert_eq!(
        client.diagnostics().await,
        json!({"uri": URI, "version": 1, "diagnostics": request_diagnostics(60)})
    );
    client.finish().await;
}

fn doc() -> Value {
    json!({"uri": URI})
}

fn code_action_params(range: Value, only: Option<Value>) -> Value {
    let mut context = json!({"diagnostics": []});
    if let Some(only) = only {
        context["only"] = only;
    }
    json!({"textDocument": doc(), "range": range, "context": context})
}

/// The edits of a workspace edit for [`URI`] (plain `changes` or versioned `documentChanges`).
fn edits_of(action: &Value) -> Vec<Value> {
    let edit = &action["edit"];
    match edit.get("changes") {
        Some(changes) => changes[URI].as_array().unwrap().clone(),
        None => edit["documentChanges"][0]["edits"]
            .as_array()
            .unwrap()
            .clone(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quick_fixes_are_marked_safe_or_unsafe_and_edit_exactly() {
    let mut client = TestClient::new().await;
    client.open(URI, REQUEST).await;
    client.diagnostics().await;

    let on_n = client
        .request(
            "textDocument/codeAction",
            code_action_params(range((3, 58), (3, 58)), Some(json!(["quickfix"]))),
        )
        .await;
    assert_eq!(
        on_n,
        json!([{
            "title": "Remove `n` (unsafe: changes the request)",
            "kind": "quickfix",
            "diagnostics": [openai_diagnostic(range((3, 57), (3, 60)), N_MESSAGE)],
            "edit": {"changes": {URI: [{"range": range((3, 57), (3, 64)), "newText": ""}]}},
            "isPreferred": false,
        }])
    );
    assert_eq!(
        apply(REQUEST, &edits_of(&on_n[0]), "utf-16"),
        REQUEST.replace("\"n\": 2,", "")
    );

    let on_stop = client
        .request(
            "textDocument/codeAction",
            code_action_params(range((4, 2), (4, 8)), Some(json!(["quickfix"]))),
        )
        .await;
    assert_eq!(
        on_stop,
        json!([{
            "title": "Rename `stop` to `stop_sequences`",
            "kind": "quickfix",
            "diagnostics": [openai_diagnostic(range((4, 2), (4, 8)), STOP_MESSAGE)],
            "edit": {"changes": {URI: [
                {"range": range((4, 2), (4, 8)), "newText": "\"stop_sequences\""},
                {"range": range((4, 10), (4, 15)), "newText": "[\"###\"]"},
            ]}},
            "isPreferred": true,
        }])
    );
    assert_eq!(
        apply(REQUEST, &edits_of(&on_stop[0]), "utf-16"),
        REQUEST.replace("\"stop\": \"###\"", "\"stop_sequences\": [\"###\"]")
    );

    // Without `only`, every kind: the quick fix under the cursor and fix-all.
    let all = client
        .request(
            "textDocument/codeAction",
            code_action_params(range((0, 0), (0, 0)), None),
        )
        .await;
    assert_eq!(
        all,
        json!([{
            "title": "Apply the safe fix (claude-preflight)",
            "kind": "source.fixAll.claude-preflight",
            "edit": {"changes": {URI: [{"range": range((4, 7), (4, 15)), "newText": "_sequences\": [\"###\"]"}]}},
        }])
    );
    client.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsafe_quick_fixes_name_every_change_they_make() {
    let mut client = TestClient::new().await;
    let uri = "file:///project/multi.jsonl";
    let lines = [
        r#"{"model": "claude-opus-4-8", "max_tokens": 16000, "thinking": {"type": "enabled", "budget_tokens": 8000}, "messages": [{"role": "user", "content": "Hi"}]}"#,
        r#"{"model": "claude-sonnet-5-5", "max_tokens": 1024, "tools": [{"name": "f", "input_schema": {"type": "object"}}], "tool_choice": {"type": "tool", "name": "f"}, "messages": [{"role": "user", "content": "Hi"}]}"#,
        r#"{"model": "claude-opus-5", "max_tokens": 1024, "tools": [{"type": "function", "index": 0, "function": {"name": "f", "parameters": {"type": "object"}, "examples": []}}], "messages": [{"role": "user", "content": "Hi"}]}"#,
    ];
    let text = lines.join("\n") + "\n";
    client
        .notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "jsonl", "version": 1, "text": text}}),
        )
        .await;
    client.diagnostics().await;
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": range((0, 0), (3, 0)),
                "context": {"diagnostics": [], "only": ["quickfix"]},
            }),
        )
        .await;
    // Each unsafe quick fix: its title, and the line it leaves.
    let fixed: Vec<(&str, String)> = actions
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| {
            a["isPreferred"] == false
                && a["title"]
                    .as_str()
                    .unwrap()
                    .ends_with("(unsafe: changes the request)")
        })
        .map(|a| {
            let edits = a["edit"]["changes"][uri].as_array().unwrap();
            let line = edits[0]["range"]["start"]["line"].as_u64().unwrap() as usize;
            let after = apply(&text, edits, "utf-16");
            (
                a["title"].as_str().unwrap(),
                after.lines().nth(line).unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        fixed,
        [
            (
                "Switch to adaptive thinking (drop `budget_tokens`) (unsafe: changes the request)",
                lines[0].replace(r#""enabled", "budget_tokens": 8000"#, r#""adaptive""#),
            ),
            (
                "Let the model choose (`\"type\": \"auto\"`, drop `name`) (unsafe: changes the request)",
                lines[1].replace(r#"{"type": "tool", "name": "f"}"#, r#"{"type": "auto"}"#),
            ),
            (
                "Rewrite as a Claude tool (`name`, `description`, `input_schema`), dropping `index` and `function.examples` (unsafe: changes the request)",
                lines[2].replace(
                    r#"{"type": "function", "index": 0, "function": {"name": "f", "parameters": {"type": "object"}, "examples": []}}"#,
                    r#"{"name": "f", "input_schema": {"type": "object"}}"#,
                ),
            ),
        ]
    );
    client.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_all_applies_safe_fixes_only_as_a_versioned_utf8_edit() {
    let capabilities = json!({
        "general": {"positionEncodings": ["utf-8"]},
        "workspace": {"workspaceEdit": {"documentChanges": true}},
    });
    let (mut client, _) = TestClient::start(capabilities, json!({})).await;
    let text = "{\"model\": \"claude-sonnet-4-6\", \"max_completion_tokens\": 9, \"messages\": [{\"role\": \"user\", \"content\": \"😀\"}], \"stop\": \"x\", \"n\": 1, \"user\": \"é\"}";
    client.open(URI, text).await;
    client.diagnostics().await;
    let actions = client
        .request(
            "textDocument/codeAction",
            code_action_params(range((0, 0), (0, 0)), Some(json!(["source.fixAll"]))),
        )
        .await;
    assert_eq!(actions.as_array().map(Vec::len), Some(1));
    let action = &actions[0];
    assert_eq!(action["title"], "Apply 3 safe fixes (claude-preflight)");
    assert_eq!(action["kind"], "source.fixAll.claude-preflight");
    assert_eq!(
        action["edit"]["documentChanges"][0]["textDocument"],
        json!({"uri": URI, "version": 1})
    );
    assert_eq!(
        apply(text, &edits_of(action), "utf-8"),
        "{\"model\": \"claude-sonnet-4-6\", \"max_tokens\": 9, \"messages\": [{\"role\": \"user\", \"content\": \"😀\"}], \"stop_sequences\": [\"x\"], \"n\": 1, \"metadata\": {\"user_id\": \"é\"}}"
    );
    client.finish().await;
}

/// A conversation with a system prompt, blocks and non-ASCII text.
const CHAT: &str = r#"{
  "model": "claude-opus-5",
  "max_tokens": 2048,
  "system": "Be brief. 😀",
  "messages": [
    {"role": "user", "content": [{"type": "text", "text": "Größe?"}, {"type": "text", "text": "ok"}]},
    {"role": "user",      "content": "Klein."}
  ],
  "tool_choice": {"type": "auto"}
}"#;

async fn hover_at(client: &mut TestClient, line: u32, character: u32) -> Value {
    client
        .request(
            "textDocument/hover",
            json!({"textDocument": doc(), "position": {"line": line, "character": character}}),
        )
        .await
}

fn markdown(value: &str, range: Value) -> Value {
    json!({"contents": {"kind": "markdown", "value": value}, "range": range})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hovers_on_messages_blocks_parameters_and_findings() {
    let mut client = TestClient::new().await;
    client.open(URI, CHAT).await;
    assert_eq!(client.diagnostics().await["diagnostics"], json!([]));
    assert_eq!(
        hover_at(&mut client, 5, 8).await,
        markdown(
            "**Message 0** · `user`\n\n8 chars · 89 bytes as sent (38% of the request body)\n\n~11 tokens (4-16), under 0.1% of Claude Opus 5's 1,000,000-token window",
            range((5, 4), (5, 101))
        )
    );
    assert_eq!(
        hover_at(&mut client, 5, 50).await,
        markdown(
            "**Block 0 of message 0** · `text`\n\n6 chars · 33 bytes as sent (14% of the request body)\n\n~5 tokens (3-6), under 0.1% of Claude Opus 5's 1,000,000-token window",
            range((5, 33), (5, 67))
        )
    );
    assert_eq!(
        hover_at(&mut client, 2, 5).await,
        markdown(
            "**`max_tokens`**\n\nThe most tokens the model may generate before it stops; thinking tokens count toward it. Required on Messages requests; `0` only fills the prompt cache.\n\nFor **Claude Opus 5** (`claude-opus-5`): 0 to 128,000 (up to 300,000 in a Message Batches request with the `output-300k-2026-03-24` beta).",
            range((2, 2), (2, 14))
        )
    );
    assert_eq!(
        hover_at(&mut client, 1, 15).await,
        markdown(
            "**`model`**\n\nThe model that answers. An id the API does not serve, or a retired one, is answered with 404 `not_found_error`.\n\n**Claude Opus 5** (`claude-opus-5`): a context window of 1,000,000 tokens, up to 128,000 output tokens; served.",
            range((1, 11), (1, 26))
        )
    );
    assert_eq!(
        hover_at(&mut client, 3, 20).await,
        markdown(
            "**System prompt**\n\n11 chars · 16 bytes as sent (7% of the request body)\n\n~7 tokens (4-8), under 0.1% of Claude Opus 5's 1,000,000-token window",
            range((3, 12), (3, 26))
        )
    );
    assert_eq!(hover_at(&mut client, 0, 0).await, Value::Null);
    client.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hover_on_a_finding_shows_its_rule() {
    let mut client = TestClient::new().await;
    client.open(URI, REQUEST).await;
    client.diagnostics().await;
    let docs = claude_preflight::rules::find("openai-parameter")
        .unwrap()
        .markdown();
    assert_eq!(
        hover_at(&mut client, 3, 58).await,
        markdown(
            &format!(
                "**O101** `openai-parameter` (error)\n\n{N_MESSAGE}\n\n{}",
                docs.trim()
            ),
            range((3, 57), (3, 60))
        )
    );
    client.finish().await;
}

fn hint(line: u32, character: u32, label: &str, tooltip: &str) -> Value {
    json!({
        "position": {"line": line, "character": character},
        "label": label,
        "tooltip": tooltip,
        "paddingLeft": true,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inlay_hints_give_each_message_and_the_running_total() {
    let mut client = TestClient::new().await;
    client.open(URI, CHAT).await;
    client.diagnostics().await;
    let hints = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": doc(), "range": range((0, 0), (10, 0))}),
        )
        .await;
    assert_eq!(
        hints,
        json!([
            hint(
                3,
                26,
                "~7 tok · total 7",
                "The system prompt: ~7 tokens (estimate 4-8); ~7 in the request up to here, tool definitions included, under 0.1% of Claude Opus 5's 1,000,000-token window"
            ),
            hint(
                5,
                101,
                "~11 tok · total 18",
                "Message 0 (user): ~11 tokens (estimate 4-16); ~18 in the request up to here, tool definitions included, under 0.1% of Claude Opus 5's 1,000,000-token window"
            ),
            hint(
                6,
                46,
                "~9 tok · total 27",
                "Message 1 (user): ~9 tokens (estimate 3-14); ~27 in the request up to here, tool definitions included, under 0.1% of Claude Opus 5's 1,000,000-token window"
            ),
        ])
    );
    // Only the hints inside the range asked for; the total still counts what is before it.
    let hints = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": doc(), "range": range((6, 0), (7, 0))}),
        )
        .await;
    assert_eq!(hints[0]["label"], "~9 tok · total 27");
    assert_eq!(hints.as_array().map(Vec::len), Some(1));
    client.finish().await;
}

/// Replaces the whole text of an open document, as version `version`.
async fn replace_text(client: &mut TestClient, uri: &str, version: i32, text: &str) {
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        )
        .await;
}

/// The `claude-preflight/summary` of an open document.
async fn summary_of(client: &mut TestClient, uri: &str) -> Value {
    client
        .request(
            "claude-preflight/summary",
            json!({"textDocument": {"uri": uri}}),
        )
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn summary_gives_each_request_its_size_against_its_models_window() {
    let (mut client, _) = TestClient::start(json!({}), json!({"model": "claude-haiku-4-5"})).await;
    client.open(URI, CHAT).await;
    client.diagnostics().await;
    // The estimate is the last inlay hint's running total: the status bar and the hints agree.
    let summary = summary_of(&mut client, URI).await;
    assert_eq!(
        summary,
        json!({"payloads": [{
            "model": "claude-opus-5",
            "window": 1_000_000,
            "estimate": 27,
            "unit": "tokens",
            "range": range((0, 0), (9, 1)),
        }]})
    );
    // A request naming no model is measured against the configured one.
    let bare = "file:///project/bare.json";
    client
        .open(
            bare,
            "{\"max_tokens\": 5, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
        )
        .await;
    client.diagnostics().await;
    let summary = summary_of(&mut client, bare).await;
    assert_eq!(
        summary,
        json!({"payloads": [{
            "model": "claude-haiku-4-5",
            "window": 200_000,
            "estimate": 6,
            "unit": "tokens",
            "range": range((0, 0), (0, 66)),
        }]})
    );
    let unopened = client
        .call(
            "claude-preflight/summary",
            json!({"textDocument": {"uri": "file:///project/never.json"}}),
        )
        .await;
    assert_eq!(
        unopened["error"]["message"],
        "file:///project/never.json is not open"
    );
    client.finish().await;
}

fn labels(items: &Value) -> Vec<&str> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect()
}

/// Opens `text` with a `|` marking the cursor and asks for completion there.
async fn complete(client: &mut TestClient, uri: &str, marked: &str) -> Value {
    let offset = marked.find('|').unwrap();
    let text = marked.replace('|', "");
    let line = text[..offset].matches('\n').count();
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let character = text[line_start..offset].encode_utf16().count();
    client
        .notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": text}}),
        )
        .await;
    client.diagnostics().await;
    client
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        )
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completion_of_models_parameters_roles_block_types_and_tool_choice() {
    let mut client = TestClient::new().await;
    // A model being typed: current models first, then deprecated ones; retired ones never.
    let models = complete(
        &mut client,
        "file:///project/a.json",
        "{\"max_tokens\": 1, \"messages\": [], \"model\": \"cl|\"}",
    )
    .await;
    assert_eq!(
        labels(&models),
        [
            "claude-fable-5-2",
            "claude-mythos-5-2",
            "claude-haiku-5-5",
            "claude-sonnet-5-5",
            "claude-fable-5-1",
            "claude-opus-5-5",
            "claude-mythos-5-1",
            "claude-sonnet-5",
            "claude-fable-5",
            "claude-mythos-5",
            "claude-opus-5",
            "claude-opus-4-8",
            "claude-opus-4-7",
            "claude-opus-4-6",
            "claude-sonnet-4-6",
            "claude-haiku-4-5-20251001",
            "claude-haiku-4-5",
            "claude-opus-4-5-20251101",
            "claude-opus-4-5",
            "claude-sonnet-4-5-20250929",
            "claude-sonnet-4-5",
        ]
    );
    assert_eq!(
        models[17],
        json!({
            "label": "claude-opus-4-5-20251101",
            "kind": 12,
            "detail": "Claude Opus 4.5 (deprecated: retired on 2027-01-22)",
            "sortText": "0017",
            "filterText": "\"claude-opus-4-5-20251101",
            "textEdit": {"range": range((0, 43), (0, 47)), "newText": "\"claude-opus-4-5-20251101\""},
        })
    );

    // A parameter name in a request: the ones not written yet, GA first, then sampling, then
    // beta; SDK options and cloud fields never.
    let params = complete(
        &mut client,
        "file:///project/b.json",
        "{\"model\": \"claude-opus-5\", \"max_tokens\": 1, \"messages\": [],\n  \"t|\"\n}",
    )
    .await;
    assert_eq!(
        labels(&params),
        [
            "system",
            "stop_sequences",
            "stream",
            "metadata",
            "tools",
            "tool_choice",
            "thinking",
            "output_config",
            "cache_control",
            "container",
            "diagnostics",
            "inference_geo",
            "service_tier",
            "speed",
            "temperature",
            "top_p",
            "top_k",
            "mcp_servers",
            "context_management",
            "output_format",
            "compaction",
            "billing_policy",
            "fallbacks",
            "fallback_credit_token",
            "thread",
        ]
    );
    assert_eq!(
        params[6],
        json!({
            "label": "thinking",
            "kind": 10,
            "detail": "parameter",
            "documentation": {"kind": "markdown", "value": "Extended or adaptive thinking: `{\"type\": \"enabled\", \"budget_tokens\": N}` (N at least 1,024 and below `max_tokens`), `{\"type\": \"adaptive\"}`, `{\"type\": \"disabled\"}` or `{\"type\": \"between_tools\"}`."},
            "sortText": "0006",
            "filterText": "\"thinking",
            "textEdit": {"range": range((1, 2), (1, 5)), "newText": "\"thinking\""},
        })
    );

    // Roles: `system` only for models that take mid-conversation system turns.
    let roles = complete(
        &mut client,
        "file:///project/c.json",
        "{\"model\": \"claude-opus-5\", \"max_tokens\": 1, \"messages\": [{\"role\": \"|\"}]}",
    )
    .await;
    assert_eq!(labels(&roles), ["user", "assistant", "system"]);
    let roles = complete(
        &mut client,
        "file:///project/d.json",
        "{\"model\": \"claude-sonnet-5\", \"max_tokens\": 1, \"messages\": [{\"role\": \"|\"}]}",
    )
    .await;
    assert_eq!(labels(&roles), ["user", "assistant"]);

    // Block types that may appear in a user message, GA ones first.
    let blocks = complete(
        &mut client,
        "file:///project/e.json",
        "{\"model\": \"claude-opus-5\", \"max_tokens\": 1, \"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"|\"}]}]}",
    )
    .await;
    assert_eq!(
        labels(&blocks),
        [
            "text",
            "image",
            "document",
            "search_result",
            "tool_result",
            "container_upload",
            "tool_reference",
            "browser_state",
            "mcp_tool_result",
            "compaction",
            "tool_addition",
            "tool_removal",
            "mcp_tool_listing",
            "fallback",
        ]
    );
    assert_eq!(blocks[4]["detail"], "content block: needs `tool_use_id`");

    // tool_choice types; `any` and `tool` not for models that reject forced tool use.
    let choices = complete(
        &mut client,
        "file:///project/f.json",
        "{\"model\": \"claude-opus-5\", \"max_tokens\": 1, \"messages\": [], \"tool_choice\": {\"type\": \"|\"}}",
    )
    .await;
    assert_eq!(labels(&choices), ["auto", "any", "tool", "none"]);
    let choices = complete(
        &mut client,
        "file:///project/g.json",
        "{\"model\": \"claude-opus-5-5\", \"max_tokens\": 1, \"messages\": [], \"tool_choice\": {\"type\": \"|\"}}",
    )
    .await;
    assert_eq!(labels(&choices), ["auto", "none"]);

    // Nothing outside strings, and nothing in files that are not Claude requests.
    let outside = complete(
        &mut client,
        "file:///project/h.json",
        "{\"model\": \"claude-opus-5\", \"max_tokens\": 1|, \"messages\": []}",
    )
    .await;
    assert_eq!(outside, Value::Null);
    let openai = complete(
        &mut client,
        "file:///project/i.json",
        "{\"model\": \"gpt-4o\", \"messages\": [], \"|\"}",
    )
    .await;
    assert_eq!(openai, Value::Null);
    client.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_diagnostics_when_the_client_asks_for_them() {
    let capabilities = json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}});
    let (mut client, init) = TestClient::start(capabilities, json!({})).await;
    assert_eq!(
        init["capabilities"]["diagnosticProvider"],
        json!({"identifier": "claude-preflight", "interFileDependencies": false, "workspaceDiagnostics": false})
    );
    client.open(URI, REQUEST).await;
    let report = client
        .request("textDocument/diagnostic", json!({"textDocument": doc()}))
        .await;
    assert_eq!(report["kind"], "full");
    assert_eq!(report["items"], request_diagnostics(57));
    let result_id = report["resultId"].clone();
    let again = client
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": doc(), "previousResultId": result_id}),
        )
        .await;
    assert_eq!(again, json!({"kind": "unchanged", "resultId": result_id}));
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"range": range((3, 57), (3, 64)), "text": ""}]}),
        )
        .await;
    let changed = client
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": doc(), "previousResultId": result_id}),
        )
        .await;
    assert_eq!(changed["kind"], "full");
    assert_eq!(
        changed["items"],
        json!([openai_diagnostic(range((4, 2), (4, 8)), STOP_MESSAGE)])
    );
    // No pushes to a pulling client: `finish` checks that nothing was left unread.
    client.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_from_initialization_options_and_configuration_changes() {
    let (mut client, _) =
        TestClient::start(json!({}), json!({"ignore": ["O101"], "colour": 1})).await;
    assert_eq!(
        client.notification("window/showMessage").await,
        json!({"type": 2, "message": "claude-preflight settings: unknown setting `colour`"})
    );
    client.open(URI, REQUEST).await;
    assert_eq!(client.diagnostics().await["diagnostics"], json!([]));
    // A later setting replaces the same key of the initialization options.
    client
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"claude-preflight": {"ignore": [], "apiVersion": "1999-01-01"}}}),
        )
        .await;
    assert_eq!(
        client.notification("window/showMessage").await,
        json!({"type": 2, "message": "claude-preflight settings: `apiVersion` is `1999-01-01`: the API knows `2023-06-01` and `2026-10-21`"})
    );
    assert_eq!(
        client.diagnostics().await,
        json!({"uri": URI, "version": 1, "diagnostics": request_diagnostics(57)})
    );
    client.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_configuration_file_is_read_and_reloaded_when_it_changes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let config = root.join("claude-preflight.toml");
    std::fs::write(&config, "[rules]\nopenai-parameter = \"warning\"\n").unwrap();
    let file = root.join("req.json");
    let uri = format!("file://{}", file.display());
    let config_uri = format!("file://{}", config.display());
    let capabilities =
        json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    let (mut client, _) = TestClient::start(capabilities, json!({})).await;
    client.open(&uri, REQUEST).await;
    let published = client.diagnostics().await;
    let severities: Vec<&Value> = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["severity"])
        .collect();
    assert_eq!(severities, [&json!(2), &json!(2)]);
    assert_eq!(
        client.server_requests,
        [json!({
            "jsonrpc": "2.0",
            "id": 0,
            "method": "client/registerCapability",
            "params": {"registrations": [{
                "id": "claude-preflight-config",
                "method": "workspace/didChangeWatchedFiles",
                "registerOptions": {"watchers": [
                    {"globPattern": "**/claude-preflight.toml"},
                    {"globPattern": "**/.claude-preflight.toml"},
                    {"globPattern": "**/pyproject.toml"},
                    {"globPattern": "**/*.py"},
                    {"globPattern": "**/*.pyi"},
                    {"globPattern": "**/*.js"},
                    {"globPattern": "**/*.mjs"},
                    {"globPattern": "**/*.cjs"},
                    {"globPattern": "**/*.jsx"},
                    {"globPattern": "**/*.ts"},
                    {"globPattern": "**/*.mts"},
                    {"globPattern": "**/*.cts"},
                    {"globPattern": "**/*.tsx"},
                ]},
            }]},
        })]
    );

    std::fs::write(&config, "[rules]\nopenai-parameter = \"off\"\n").unwrap();
    let changed = json!({"changes": [{"uri": config_uri, "type": 2}]});
    client
        .notify("workspace/didChangeWatchedFiles", changed.clone())
        .await;
    assert_eq!(
        client.diagnostics().await,
        json!({"uri": uri, "version": 1, "diagnostics": []})
    );

    std::fs::write(&config, "[rules]\nopenai-parameter = \"loud\"\n").unwrap();
    client
        .notify("workspace/didChangeWatchedFiles", changed)
        .await;
    let broken = client.diagnostics().await;
    assert_eq!(
        broken["diagnostics"],
        json!([{
            "range": range((0, 0), (0, 0)),
            "severity": 1,
            "source": "claude-preflight",
            "message": format!("this file is not checked: the configuration cannot be used: {}:2:20: unknown variant `loud`, expected one of `off`, `hint`, `info`, `warning`, `error`", config.display()),
        }])
    );
    client.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_messages_and_unknown_methods_get_errors_and_the_server_lives_on() {
    let mut client = TestClient::new().await;
    client
        .send_raw(b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": ")
        .await;
    let answer = client.read().await;
    assert_eq!(answer["id"], Value::Null);
    assert_eq!(answer["error"]["code"], -32700);
    client.send_raw(b"[1, 2]").await;
    assert_eq!(client.read().await["error"]["code"], -32600);
    client.send_raw(b"\xff\xfe").await;
    assert_eq!(client.read().await["error"]["code"], -32700);
    client.send_bytes(b"Content-Lenght: 5\r\n\r\n").await;
    assert_eq!(
        client.read().await,
        json!({"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error: the header has no Content-Length"}, "id": null})
    );

    let unknown = client.call("textDocument/unknownThing", json!({})).await;
    assert_eq!(unknown["error"]["code"], -32601);
    // Unknown notifications, `$/` ones included, are ignored without an answer.
    client.notify("$/unknownNotification", json!({})).await;
    client.notify("custom/somethingElse", json!({})).await;
    let bad_params = client
        .call("textDocument/hover", json!({"textDocument": 3}))
        .await;
    assert_eq!(bad_params["error"]["code"], -32602);

    client.open(URI, REQUEST).await;
    assert_eq!(
        client.diagnostics().await["diagnostics"],
        request_diagnostics(57)
    );
    client.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn positions_out_of_range_and_documents_never_opened() {
    let mut client = TestClient::new().await;
    let other = "file:///project/never-opened.json";
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": other, "version": 2}, "contentChanges": [{"range": range((0, 0), (0, 0)), "text": "x"}]}),
        )
        .await;
    assert_eq!(
        client.notification("window/logMessage").await,
        json!({"type": 2, "message": format!("ignored a change to {other}, which is not open")})
    );
    let hover = client
        .call(
            "textDocument/hover",
            json!({"textDocument": {"uri": other}, "position": {"line": 0, "character": 0}}),
        )
        .await;
    assert_eq!(
        hover["error"],
        json!({"code": -32602, "message": format!("{other} is not open")})
    );

    client.open(URI, REQUEST).await;
    client.diagnostics().await;
    assert_eq!(hover_at(&mut client, 400, 9000).await, Value::Null);
    let completion = client
        .request(
            "textDocument/completion",
            json!({"textDocument": doc(), "position": {"line": 9, "character": 99}}),
        )
        .await;
    assert_eq!(completion, Value::Null);
    // A change past the end of a line lands at the line's end (before its CRLF); one past the
    // last line lands at the end of the text.
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
                {"range": range((3, 500), (3, 900)), "text": " \"stream\": false,"},
                {"range": range((99, 0), (99, 5)), "text": "\r\n"},
            ]}),
        )
        .await;
    let published = client.diagnostics().await;
    assert_eq!(published["version"], 2);
    assert_eq!(published["diagnostics"], request_diagnostics(57));
    let hints = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": doc(), "range": range((0, 0), (999, 999))}),
        )
        .await;
    assert_eq!(hints[0]["position"], json!({"line": 3, "character": 54}));
    // The text is exactly what the client holds: fix-all's edit shows where everything is.
    let fix_all = client
        .request(
            "textDocument/codeAction",
            code_action_params(range((0, 0), (0, 0)), Some(json!(["source"]))),
        )
        .await;
    let expected =
        REQUEST.replacen("\"n\": 2,\r\n", "\"n\": 2, \"stream\": false,\r\n", 1) + "\r\n";
    assert_eq!(
        apply(&expected, &edits_of(&fix_all[0]), "utf-16"),
        expected.replace("\"stop\": \"###\"", "\"stop_sequences\": [\"###\"]")
    );
    client.finish().await;
}

/// The UTF-16 column of byte `offset` in a one-line text.
fn utf16_column(text: &str, offset: usize) -> u32 {
    text[..offset].encode_utf16().count() as u32
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_rapid_edits_end_in_the_exact_text_and_its_diagnostics() {
    // The default debounce, as an editor gets it.
    let (mut client, _) = TestClient::start(json!({}), json!({"debounceMs": null})).await;
    let mut text = String::from(
        "{\"model\": \"claude-sonnet-4-6\", \"max_tokens\": 1, \"messages\": [{\"role\": \"user\", \"content\": \"\"}], \"n\": 1}",
    );
    client.open(URI, &text).await;
    let pieces = ["a", "é", "😀", " ", "ß"];
    let mut version = 1;
    for i in 0..1000 {
        let end_of_content = text.find("\"}]").unwrap();
        let column = utf16_column(&text, end_of_content);
        version += 1;
        let change = if i % 7 == 6 {
            // Delete the last character (a whole surrogate pair for an emoji).
            let last = text[..end_of_content].chars().next_back().unwrap();
            let start = end_of_content - last.len_utf8();
            let from = utf16_column(&text, start);
            text.replace_range(start..end_of_content, "");
            json!({"range": range((0, from), (0, column)), "text": ""})
        } else {
            let piece = pieces[i % pieces.len()];
            text.insert_str(end_of_content, piece);
            json!({"range": range((0, column), (0, column)), "text": piece})
        };
        client
            .notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": [change]}),
            )
            .await;
    }
    assert_eq!(version, 1001);
    // Published versions only go up, and the last one is the last version.
    let mut last = 0;
    let published = loop {
        let published = client.diagnostics().await;
        let v = published["version"].as_i64().unwrap();
        assert!(v > last, "version {v} published after {last}");
        last = v;
        if v == 1001 {
            break published;
        }
    };
    let n = text.find("\"n\"").unwrap();
    let n_column = utf16_column(&text, n);
    assert_eq!(
        published["diagnostics"],
        json!([openai_diagnostic(
            range((0, n_column), (0, n_column + 3)),
            N_MESSAGE
        )])
    );
    // The server's text is the client's: the message's estimate is that of what was typed.
    let hints = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": doc(), "range": range((0, 0), (1, 0))}),
        )
        .await;
    // The hint is the estimate of the final text's one message (the estimator itself is
    // tested in src/tokens): the same with a fresh cache (`count`'s) as through the document's
    // cache.
    let settings = claude_preflight::settings::Settings::new(jiff::civil::date(2026, 11, 25));
    let counted = claude_preflight::count::count(
        &text,
        claude_preflight::FileKind::Json,
        "a.json",
        &settings,
        None,
        None,
    )
    .unwrap();
    let fresh = &counted[0].estimate;
    let tokens = fresh.messages[0].tokens.total().mid;
    let total = fresh.tools.total().mid + tokens;
    assert_eq!(
        hints[0]["label"],
        format!("~{tokens} tok · total {total}").replace("000", ",000")
    );
    let message_end = text.find("}]").unwrap() + 1;
    assert_eq!(
        hints[0]["position"],
        json!({"line": 0, "character": utf16_column(&text, message_end)})
    );
    client.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_32_mb_request_is_checked_and_edited() {
    let mut client = TestClient::new().await;
    let head = "{\"model\": \"claude-sonnet-4-6\", \"max_tokens\": 1, \"messages\": [{\"role\": \"user\", \"content\": \"";
    let tail = "\"}], \"n\": 1}\n";
    let line = "The quick brown fox jumps over the lazy dog, again and again. \\n";
    let filler = line.repeat((32_000_000 - head.len() - tail.len()) / line.len());
    let text = format!("{head}{filler}{tail}");
    assert!(text.len() > 31_900_000 && text.len() <= 32_000_000);
    client.open(URI, &text).await;
    let n = utf16_column(&text, text.find("\"n\"").unwrap());
    // The context family also reports the size (9M estimated tokens for a 1M window): only
    // the finding the edit below removes is compared here.
    let openai = |published: Value| {
        let mut published = published;
        published["diagnostics"]
            .as_array_mut()
            .unwrap()
            .retain(|d| d["code"] == "O101");
        published
    };
    assert_eq!(
        openai(client.diagnostics().await),
        json!({"uri": URI, "version": 1, "diagnostics": [openai_diagnostic(range((0, n), (0, n + 3)), N_MESSAGE)]})
    );
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"range": range((0, n - 2), (0, n + 6)), "text": ""}]}),
        )
        .await;
    assert_eq!(
        openai(client.diagnostics().await),
        json!({"uri": URI, "version": 2, "diagnostics": []})
    );
    client.finish().await;
}

/// Runs the binary as an editor would, feeding it `messages`; returns its exit status.
fn run_server(messages: &[Value], close_input: bool) -> i32 {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_claude-preflight"))
        .args(["lsp", "--stdio"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for message in messages {
        let body = message.to_string();
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    }
    stdin.flush().unwrap();
    if close_input {
        drop(stdin);
        child.wait().unwrap().code().unwrap()
    } else {
        // An editor may keep the pipe open after `exit`: the server must not wait for it.
        let status = child.wait().unwrap().code().unwrap();
        drop(stdin);
        status
    }
}

#[test]
fn exit_status_says_whether_shutdown_came_first() {
    let initialize =
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}});
    let initialized = json!({"jsonrpc": "2.0", "method": "initialized", "params": {}});
    let shutdown = json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"});
    let exit = json!({"jsonrpc": "2.0", "method": "exit"});
    let clean = [
        initialize.clone(),
        initialized.clone(),
        shutdown,
        exit.clone(),
    ];
    assert_eq!(run_server(&clean, false), 0);
    assert_eq!(
        run_server(&[initialize.clone(), initialized.clone(), exit], false),
        1
    );
    assert_eq!(run_server(&[initialize, initialized], true), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_configuration_named_in_the_settings_is_used_for_every_document() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(root.join("shared.toml"), "ignore = [\"O101\"]\n").unwrap();
    let capabilities = json!({});
    let (mut client, _) =
        TestClient::start(capabilities, json!({"config": root.join("shared.toml")})).await;
    client.open(URI, REQUEST).await;
    assert_eq!(client.diagnostics().await["diagnostics"], json!([]));
    // A relative name is found from the workspace root, as the CLI finds it from its directory.
    client
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"config": "missing.toml"}}),
        )
        .await;
    assert_eq!(
        client.diagnostics().await["diagnostics"][0]["message"],
        "this file is not checked: the configuration cannot be used: /project/missing.toml: cannot read it: No such file or directory (os error 2)"
    );
    // After `shutdown`, requests are refused.
    let answer = client.call("shutdown", Value::Null).await;
    assert_eq!(answer["result"], Value::Null);
    let refused = client
        .call(
            "textDocument/hover",
            json!({"textDocument": doc(), "position": {"line": 0, "character": 0}}),
        )
        .await;
    assert_eq!(refused["error"]["code"], -32600);
    client.notify("exit", Value::Null).await;
    assert!(client.server.await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_documents_get_diagnostics_and_fixes_in_python_syntax() {
    let mut client = TestClient::new().await;
    let uri = "file:///project/app.py";
    let text = "import anthropic\n\nclient = anthropic.Anthropic()\nreply = client.messages.create(\n    model=\"claude-opus-5\",\n    max_tokens=1024,\n    stop=\"END\",\n    messages=[{\"role\": \"user\", \"content\": \"Hi\"}],\n)\n";
    client.open_as(uri, "python", text).await;
    let published = client.diagnostics().await;
    assert_eq!(published["uri"], uri);
    assert_eq!(
        published["diagnostics"],
        json!([openai_diagnostic(range((6, 4), (6, 8)), STOP_MESSAGE)])
    );
    let actions = client
        .actions(uri, range((6, 4), (6, 8)), &published["diagnostics"])
        .await;
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Rename `stop` to `stop_sequences`")
        .expect("a quick fix for the finding");
    let edits = fix["edit"]["changes"][uri].as_array().unwrap().clone();
    assert_eq!(
        apply(text, &edits, "utf-16"),
        text.replace("stop=\"END\"", "stop_sequences=[\"END\"]")
    );
    // Hints and hovers work on the payload inside the call as on a JSON file.
    let hints = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": uri}, "range": range((0, 0), (99, 0))}),
        )
        .await;
    assert_eq!(hints.as_array().map(Vec::len), Some(1));
    assert_eq!(hints[0]["position"], json!({"line": 7, "character": 47}));
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 7, "character": 20}}),
        )
        .await;
    let hover = hover["contents"]["value"].as_str().unwrap();
    assert!(hover.starts_with("**Message 0** · `user`"), "{hover}");
    client.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_finding_can_be_suppressed_where_the_host_has_comments() {
    let mut client = TestClient::new().await;
    let uri = "file:///project/request.yaml";
    let text = "model: claude-opus-5\nmax_tokens: 1024\nmessages:\n  - role: user\n    content: Hi\n    name: alice\n";
    client
        .notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
        )
        .await;
    let published = client.diagnostics().await;
    let codes: Vec<&str> = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["M102"]);
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": range((5, 4), (5, 8)),
                "context": {"diagnostics": published["diagnostics"]},
            }),
        )
        .await;
    let suppress = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Suppress `unknown-message-key` on this line")
        .expect("a suppress action");
    assert_eq!(suppress["isPreferred"], false);
    let edits = suppress["edit"]["changes"][uri].as_array().unwrap().clone();
    let suppressed = apply(text, &edits, "utf-16");
    assert_eq!(
        suppressed,
        "model: claude-opus-5\nmax_tokens: 1024\nmessages:\n  - role: user\n    content: Hi\n    # preflight: ignore[unknown-message-key]\n    name: alice\n"
    );
    replace_text(&mut client, uri, 2, &suppressed).await;
    let after = client.diagnostics().await;
    assert_eq!(after["version"], 2);
    assert_eq!(after["diagnostics"], json!([]));
    client.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_rule_severities_and_the_warning_ratio_come_from_the_editor() {
    let options = json!({"claudePreflight": {"rules": {"openai-parameter": "warning", "duplicate-key": "off"}, "contextWarningRatio": 0.5}});
    let (mut client, _) = TestClient::start(json!({}), options).await;
    client
        .open(
            URI,
            "{\"model\": \"claude-opus-5\", \"max_tokens\": 9, \"max_tokens\": 9, \"n\": 1, \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}",
        )
        .await;
    let published = client.diagnostics().await;
    let found: Vec<(&str, u64)> = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["severity"].as_u64().unwrap()))
        .collect();
    // O101 at warning (2) instead of error; S004 off.
    assert_eq!(found, [("O101", 2)]);
    client.finish().await;
}

/// Asserts that the server still reads and answers requests.
async fn assert_answers(client: &mut TestClient) {
    let answer = client.call("textDocument/unknownThing", json!({})).await;
    assert_eq!(answer["error"]["code"], -32601, "{answer}");
}

/// Sends `message` with `"PLACEHOLDER"` replaced by `raw` (JSON that `json!` cannot write).
async fn send_patched(client: &mut TestClient, message: Value, raw: &str) {
    let body = message.to_string().replace("\"PLACEHOLDER\"", raw);
    client.send_raw(body.as_bytes()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lone_surrogates_are_replaced_and_the_document_still_opens() {
    let mut client = TestClient::new().await;
    let open = json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": URI, "languageId": "json", "version": 1, "text": "PLACEHOLDER"}}});
    let text = serde_json::to_string(&REQUEST.replace('é', "\u{1}")).unwrap();
    send_patched(&mut client, open, &text.replace("\\u0001", "\\ud800")).await;
    // U+FFFD takes the surrogate's place: one UTF-16 unit, as `é` was, so columns match.
    assert_eq!(
        client.diagnostics().await["diagnostics"],
        request_diagnostics(57)
    );
    // A lone surrogate in a params key and in an unknown notification's method.
    let hover = json!({"jsonrpc": "2.0", "id": 90, "method": "textDocument/hover", "params": {
        "textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}, "PLACEHOLDER": 1}});
    send_patched(&mut client, hover, r#""k\udc00""#).await;
    assert_eq!(
        client.read().await,
        json!({"jsonrpc": "2.0", "id": 90, "result": null})
    );
    let notification = json!({"jsonrpc": "2.0", "method": "PLACEHOLDER", "params": {}});
    send_patched(&mut client, notification, r#""custom/\ud83d""#).await;
    assert_answers(&mut client).await;
    client.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_requests_are_answered_with_their_id_and_the_server_lives_on() {
    let mut client = TestClient::new().await;
    let deep = format!(
        r#"{{"jsonrpc": "2.0", "id": 5, "method": "x", "params": {}{}}}"#,
        "[".repeat(200),
        "]".repeat(200)
    );
    client.send_raw(deep.as_bytes()).await;
    assert_eq!(
        client.read().await,
        json!({"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid request: the message nests deeper than 100 levels"}, "id": 5})
    );
    assert_answers(&mut client).await;
    client
        .send(json!({"jsonrpc": "2.0", "id": 6, "method": null}))
        .await;
    assert_eq!(
        client.read().await,
        json!({"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid request: `method` must be a string"}, "id": 6})
    );
    client.send(json!({"jsonrpc": "2.0", "method": null})).await;
    assert_eq!(client.read().await["error"]["code"], -32600);
    assert_answers(&mut client).await;
    for (id, problem) in [
        (
            json!(null),
            "`id` must be a number or a string (null only in an error response)",
        ),
        (
            json!(1.5),
            "`id` must be a number or a string (null only in an error response)",
        ),
        (
            json!({"a": 1}),
            "`id` must be a number or a string (null only in an error response)",
        ),
        (
            json!(u64::MAX),
            "`id` must be a number or a string (null only in an error response)",
        ),
    ] {
        client
            .send(json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover"}))
            .await;
        assert_eq!(
            client.read().await,
            json!({"jsonrpc": "2.0", "error": {"code": -32600, "message": format!("Invalid request: {problem}")}, "id": null}),
            "{id}"
        );
    }
    client
        .send_raw(br#"{"jsonrpc": "2.0", "id": 8, "method": "a", "method": "b"}"#)
        .await;
    assert_eq!(
        client.read().await,
        json!({"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid request: duplicate field `method` at line 1 column 51"}, "id": null})
    );
    // An error response with a null id is what a client sends when it could not read a
    // request of the server's: it is passed on (and ignored), not answered.
    client
        .send(json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": "x"}}))
        .await;
    assert_answers(&mut client).await;
    client.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_content_length_is_answered_and_the_next_message_read() {
    let mut client = TestClient::new().await;
    let hover = json!({"jsonrpc": "2.0", "id": 70, "method": "textDocument/hover", "params": {
        "textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}})
    .to_string();
    let next =
        json!({"jsonrpc": "2.0", "id": 71, "method": "textDocument/unknownThing"}).to_string();
    let framed = |length: &str, body: &str| format!("Content-Length: {length}\r\n\r\n{body}");
    // The hover framed with `length`, then a well-framed request.
    let then_next = |length: &str| framed(length, &hover) + &framed(&next.len().to_string(), &next);
    let parse_error = |message: &str| json!({"jsonrpc": "2.0", "error": {"code": -32700, "message": format!("Parse error: {message}")}, "id": null});
    let unknown = json!({"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found", "data": "textDocument/unknownThing"}, "id": 71});

    // Too short: the rest of the body is skipped up to the next header.
    let short = (hover.len() - 10).to_string();
    client.send_bytes(then_next(&short).as_bytes()).await;
    assert_eq!(client.read().await["error"]["code"], -32700);
    assert_eq!(
        client.read().await,
        parse_error(&format!(
            "`{}` before a header is not a message",
            &hover[hover.len() - 10..]
        ))
    );
    assert_eq!(client.read().await, unknown);

    // Too long: the body ends where the next header begins.
    let long = (hover.len() + 500).to_string();
    client.send_bytes(then_next(&long).as_bytes()).await;
    assert_eq!(
        client.read().await,
        parse_error(&format!(
            "the body ended after {} of its {long} bytes, where a header begins",
            hover.len()
        ))
    );
    assert_eq!(client.read().await, unknown);

    // Not a number.
    client.send_bytes(then_next("12x").as_bytes()).await;
    assert_eq!(
        client.read().await,
        parse_error("`Content-Length: 12x` is not a length")
    );
    assert_eq!(client.read().await["error"]["code"], -32700);
    assert_eq!(client.read().await, unknown);

    // Far too long: nothing is reserved for it, and the bytes up to the next header are skipped.
    client
        .send_bytes(then_next("1000000000000").as_bytes())
        .await;
    assert_eq!(
        client.read().await,
        parse_error("a body of 1000000000000 bytes is over the 1073741824-byte limit")
    );
    assert_eq!(client.read().await, unknown);
    client.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn locate_error_jumps_to_the_range_an_api_error_names() {
    let (mut client, init) = TestClient::start(json!({}), json!({})).await;
    assert_eq!(
        init["capabilities"]["executeCommandProvider"]["commands"],
        json!(["claude-preflight.locateError"])
    );
    let text = "{\"model\": \"claude-opus-5\", \"max_tokens\": 5,\n \"messages\": [\n  {\"role\": \"user\", \"content\": \"hi\"},\n  {\"role\": \"assistant\", \"content\": [{\"type\": \"tool_use\", \"id\": \"call.1\", \"name\": \"f\", \"input\": {}}]}]}";
    client.open(URI, text).await;
    client.diagnostics().await;
    let pasted = "anthropic.BadRequestError: Error code: 400 - {'type': 'error', 'error': {'type': 'invalid_request_error', 'message': \"messages.1.content.0.tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'\"}, 'request_id': 'req_1'}";
    let execute =
        |error: &str| json!({"command": "claude-preflight.locateError", "arguments": [URI, error]});
    let location = client
        .request("workspace/executeCommand", execute(pasted))
        .await;
    assert_eq!(
        location,
        json!({"uri": URI, "range": range((3, 63), (3, 71))})
    );
    // An error without a path the document holds is not placed.
    let overloaded =
        r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#;
    let nothing = client
        .request("workspace/executeCommand", execute(overloaded))
        .await;
    assert_eq!(nothing, Value::Null);
    let unknown = client
        .call(
            "workspace/executeCommand",
            json!({"command": "claude-preflight.nope", "arguments": []}),
        )
        .await;
    assert_eq!(unknown["error"]["code"], json!(-32602));
    client.finish().await;
}

/// Two requests in one file, a prompt store's list.
const STORE: &str = "[\n  {\"model\": \"claude-opus-5\", \"max_tokens\": 100,\n   \"messages\": [{\"role\": \"user\", \"content\": \"Summarise the repair log.\"}]},\n  {\"model\": \"claude-haiku-4-5\", \"max_tokens\": 100,\n   \"messages\": [{\"role\": \"user\", \"content\": \"Classify this ticket, please.\"}, {\"role\": \"assistant\", \"content\": \"Billing\"}, {\"role\": \"user\", \"content\": \"Why?\"}]}\n]\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_request_of_a_store_gets_its_own_hints_and_status() {
    let mut client = TestClient::new().await;
    let store = "file:///project/store.json";
    client.open(store, STORE).await;
    assert_eq!(client.diagnostics().await["diagnostics"], json!([]));
    let hints = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": store}, "range": range((0, 0), (6, 0))}),
        )
        .await;
    let labels: Vec<(u64, u64, &str)> = hints
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["position"]["line"].as_u64().unwrap(),
                h["position"]["character"].as_u64().unwrap(),
                h["label"].as_str().unwrap(),
            )
        })
        .collect();
    // The running total starts again with each request.
    assert_eq!(
        labels,
        [
            (2, 72, "~15 tok · total 15"),
            (4, 76, "~13 tok · total 13"),
            (4, 121, "~6 tok · total 19"),
            (4, 158, "~7 tok · total 26"),
        ]
    );
    let summary = summary_of(&mut client, store).await;
    assert_eq!(
        summary,
        json!({"payloads": [
            {"model": "claude-opus-5", "window": 1_000_000, "estimate": 15, "unit": "tokens", "range": range((1, 2), (2, 74))},
            {"model": "claude-haiku-4-5", "window": 200_000, "estimate": 26, "unit": "tokens", "range": range((3, 2), (4, 160))},
        ]})
    );
    // Typing in the second request: cut off inside its last message, the first request's
    // finding and the syntax error are both there.
    let typed = STORE.replacen("\"max_tokens\": 100,", "\"max_tokens\": 100, \"n\": 2,", 1);
    let cut = &typed[..typed.find("Why?").unwrap() + 2];
    replace_text(&mut client, store, 2, cut).await;
    let published = client.diagnostics().await;
    let found: Vec<(&str, Value)> = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["range"].clone()))
        .collect();
    assert_eq!(
        found,
        [
            ("O101", range((1, 48), (1, 51))),
            ("S001", range((4, 151), (4, 152))),
        ]
    );
    client.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_constant_imported_from_a_module_beside_the_document_is_read_from_disk() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(
        root.join("config.py"),
        "# Settings.\nMODEL = \"claude-3-opus-20240229\"\n",
    )
    .unwrap();
    let uri = format!("file://{}", root.join("app.py").display());
    let text = "import anthropic\nfrom .config import MODEL\n\nclient = anthropic.Anthropic()\nclient.messages.create(model=MODEL, max_tokens=1024, messages=[{\"role\": \"user\", \"content\": \"Hi\"}])\n";
    let mut client = TestClient::new().await;
    client.open_as(&uri, "python", text).await;
    let published = client.diagnostics().await;
    // As the command line reports it: at the name, saying where the value is set.
    let message = "`claude-3-opus-20240229` is Claude Opus 3, retired on 2026-01-05: the API answers 404 `not_found_error` with `model: claude-3-opus-20240229`; its replacement is `claude-opus-4-8` (`MODEL` is set in config.py, line 2)";
    assert_eq!(
        published["diagnostics"],
        json!([error_diagnostic(
            "L102",
            "retired-model",
            range((4, 29), (4, 34)),
            message
        )])
    );
    // Its fix belongs in config.py: the only action here is the suppression comment.
    let actions = client
        .actions(&uri, range((4, 29), (4, 34)), &published["diagnostics"])
        .await;
    let titles: Vec<&Value> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["title"])
        .collect();
    assert_eq!(titles, [&json!("Suppress `retired-model` on this line")]);

    // config.py saved in the editor with a current model: app.py is analysed again.
    let config_uri = format!("file://{}", root.join("config.py").display());
    std::fs::write(
        root.join("config.py"),
        "# Settings.\nMODEL = \"claude-opus-4-8\"\n",
    )
    .unwrap();
    client
        .notify(
            "textDocument/didSave",
            json!({"textDocument": {"uri": config_uri}}),
        )
        .await;
    assert_eq!(
        client.diagnostics().await,
        json!({"uri": uri, "version": 1, "diagnostics": []})
    );
    // Changed outside the editor (a checkout): the watcher's notice does the same.
    std::fs::write(
        root.join("config.py"),
        "# Settings.\nMODEL = \"claude-3-opus-20240229\"\n",
    )
    .unwrap();
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": config_uri, "type": 2}]}),
        )
        .await;
    assert_eq!(
        client.diagnostics().await["diagnostics"],
        published["diagnostics"]
    );
    client.finish().await;
}
