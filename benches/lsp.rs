//! Editor latency: the time from `didChange` to the `publishDiagnostics` of that version, for a
//! 10 KB, a 1 MB and a 32 MB request, over many one-character edits (p50, p99, max), with the
//! server's peak memory; and the analysis alone on the 1 MB request. Memory is reported as the
//! idle server's, its fixed part once the o200k tokenizer's tables are loaded (by a small
//! document's inlay hints), and the peaks over that fixed part in multiples of the document.
//!
//! `cargo bench --bench lsp` runs the release binary as an editor does (stdio, the default
//! debounce included) and prints a table. The design's targets: diagnostics within 50 ms of
//! the last keystroke at 1 MB, under 10 ms (p99) for the analysis itself, a 32 MB request open
//! in under 1 s with edits under 50 ms, memory under 4x the document.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use claude_preflight::FileKind;
use claude_preflight::analyze::analyze;
use claude_preflight::settings::Settings;
use serde_json::{Value, json};

/// A request of about `size` bytes: one conversation of text turns, and an OpenAI `n` at the
/// end so every analysis has a finding to publish.
fn request(size: usize) -> String {
    let head = "{\"model\": \"claude-sonnet-4-6\", \"max_tokens\": 1024, \"messages\": [\n";
    let tail = "\n], \"n\": 1}\n";
    let turn = |i: usize| {
        let role = if i.is_multiple_of(2) {
            "user"
        } else {
            "assistant"
        };
        let words = "Preflight checks catch what the API would reject before a request is sent. ";
        format!(
            "  {{\"role\": \"{role}\", \"content\": \"{}\"}}",
            words.repeat(12)
        )
    };
    let mut body = String::new();
    let mut i = 0;
    while head.len() + body.len() + tail.len() < size {
        if i > 0 {
            body.push_str(",\n");
        }
        body.push_str(&turn(i));
        i += 1;
    }
    if i.is_multiple_of(2) {
        // End on a user turn (a final assistant turn is a prefill, rejected by this model).
        body.push_str(",\n");
        body.push_str(&turn(i));
    }
    format!("{head}{body}{tail}")
}

struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
}

impl Server {
    fn start() -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_claude-preflight"))
            .args(["lsp", "--stdio"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let Ok(message) = serde_json::from_slice(&body) else {
                    return;
                };
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        let mut server = Self {
            child,
            stdin,
            messages,
        };
        server.send(
            &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
                "capabilities": {}, "initializationOptions": {"today": "2026-11-25"},
            }}),
        );
        server.wait(|m| m["id"] == 1);
        server.send(&json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
        server
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn wait(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        loop {
            let message = self
                .messages
                .recv_timeout(Duration::from_secs(60))
                .expect("the server answers");
            if wanted(&message) {
                return message;
            }
        }
    }

    /// Waits for the diagnostics of `version` of `uri`; panics on none.
    fn diagnostics(&mut self, uri: &str, version: i64) {
        let published = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        assert!(
            !published["params"]["diagnostics"]
                .as_array()
                .is_none_or(Vec::is_empty),
            "no finding published"
        );
    }

    /// Loads the o200k tokenizer's tables, a fixed cost of about 110 MB whatever the
    /// document: opens a small request, waits for its diagnostics, asks for its inlay hints (which count its tokens) and
    /// closes it.
    fn load_tokenizer(&mut self) {
        let uri = "file:///bench/small.json";
        self.send(
            &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
                "textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": request(2_000)},
            }}),
        );
        self.diagnostics(uri, 1);
        self.send(
            &json!({"jsonrpc": "2.0", "id": 3, "method": "textDocument/inlayHint", "params": {
                "textDocument": {"uri": uri},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 100, "character": 0}},
            }}),
        );
        let hints = self.wait(|m| m["id"] == 3);
        assert!(
            hints["result"].as_array().is_some_and(|h| !h.is_empty()),
            "no token hints: {hints}"
        );
        self.send(
            &json!({"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {
                "textDocument": {"uri": uri},
            }}),
        );
    }

    /// Starts measuring the peak resident memory afresh (writing 5 to `clear_refs` resets
    /// VmHWM), so the peak while editing is not the peak of opening.
    fn reset_peak(&self) {
        let _ = std::fs::write(format!("/proc/{}/clear_refs", self.child.id()), "5");
    }

    /// Peak resident memory (VmHWM), in bytes.
    fn peak_memory(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(0, |kb| kb * 1024)
    }

    fn stop(mut self) {
        self.send(&json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
        self.wait(|m| m["id"] == 2);
        self.send(&json!({"jsonrpc": "2.0", "method": "exit"}));
        let _ = self.child.wait();
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// Opens a request of `size` bytes, then makes `edits` one-character edits, each waited for.
fn editing(name: &str, size: usize, edits: usize) {
    let text = request(size);
    let uri = "file:///bench/request.json";
    let mut server = Server::start();
    let empty = server.peak_memory();
    server.load_tokenizer();
    // The fixed part: the server with the tokenizer's tables loaded. What the document adds
    // is measured from here.
    let idle = server.peak_memory();
    let opened = Instant::now();
    server.send(
        &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": text},
        }}),
    );
    server.diagnostics(uri, 1);
    let open_time = opened.elapsed();
    let open_peak = server.peak_memory();
    server.reset_peak();
    // Type into the middle of the conversation: line L, inside a message's text.
    let line = text.lines().count() as u32 / 2;
    let mut latencies = Vec::with_capacity(edits);
    for i in 0..edits {
        let version = i as i64 + 2;
        let character = 60 + (i % 40) as u32;
        let started = Instant::now();
        server.send(&json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": line, "character": character}, "end": {"line": line, "character": character}}, "text": "x"}],
        }}));
        server.diagnostics(uri, version);
        latencies.push(started.elapsed());
    }
    latencies.sort();
    let edit_peak = server.peak_memory();
    let ratio = |peak: u64| peak.saturating_sub(idle) as f64 / text.len() as f64;
    println!(
        "{name:>6} | idle {:>8}, with the tokenizer {:>8} | open {:>9}, peak {:>8} (idle + {:.1}x) | edit p50 {:>8} p99 {:>8} max {:>8} ({edits} edits), peak {:>8} (idle + {:.1}x)",
        mb(empty),
        mb(idle),
        ms(open_time),
        mb(open_peak),
        ratio(open_peak),
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.99)),
        ms(latencies[latencies.len() - 1]),
        mb(edit_peak),
        ratio(edit_peak),
    );
    server.stop();
}

/// The analysis alone, as the server runs it after the debounce.
fn analysis_alone(size: usize, runs: usize) {
    let text = request(size);
    let settings = Settings::new(jiff::civil::date(2026, 11, 25));
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            let analysis = analyze(&text, FileKind::Json, "request.json", &settings);
            assert!(!analysis.diagnostics.is_empty());
            started.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "analysis alone, {} request: p50 {} p99 {} ({runs} runs)",
        mb(text.len() as u64),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
    );
}

fn main() {
    // `cargo test --benches` runs benches once as tests: keep that quick.
    let quick = std::env::args().any(|a| a == "--test");
    let (small, large) = if quick { (5, 2) } else { (200, 30) };
    editing("10 KB", 10_000, small);
    editing("1 MB", 1_000_000, small);
    editing("32 MB", 32_000_000, large);
    analysis_alone(1_000_000, if quick { 3 } else { 200 });
}
