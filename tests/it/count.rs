//! `count` and the opt-in exact count, against a local HTTP server on 127.0.0.1 that checks
//! the headers and the body it receives.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use claude_preflight::count::{Client, ExactError};
use serde_json::{Value as Json, json};

/// One request as the server received it.
#[derive(Debug, Clone)]
struct Received {
    request_line: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

type Log = Arc<Mutex<Vec<Received>>>;

/// A server answering each connection with the next of `answers` (status, extra header
/// lines, body); returns its base URL and what it received.
fn serve(answers: Vec<(u16, &'static str, &'static str)>) -> (String, Log) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let received: Log = Arc::default();
    let log = Arc::clone(&received);
    std::thread::spawn(move || {
        for (status, extra, body) in answers {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            let mut reader = BufReader::new(stream);
            let mut request_line = String::new();
            reader.read_line(&mut request_line).unwrap();
            let mut headers = Vec::new();
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                let Some((k, v)) = line.trim_end().split_once(':') else {
                    break;
                };
                headers.push((k.trim().to_owned(), v.trim().to_owned()));
            }
            let length: usize = headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                .map_or(0, |(_, v)| v.parse().unwrap());
            let mut bytes = vec![0; length];
            reader.read_exact(&mut bytes).unwrap();
            log.lock().unwrap().push(Received {
                request_line: request_line.trim_end().to_owned(),
                headers,
                body: String::from_utf8(bytes).unwrap(),
            });
            let answer = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n{extra}content-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            reader.into_inner().write_all(answer.as_bytes()).unwrap();
        }
    });
    (url, received)
}

const OVERLOADED: &str =
    r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#;

fn body() -> Json {
    json!({"model": "claude-opus-5", "messages": [{"role": "user", "content": "Hi"}]})
}

fn quick(url: &str, key: &str) -> Client {
    Client::new(url, key).with_backoff(vec![Duration::from_millis(1); 3])
}

#[test]
fn sends_the_key_version_and_body_and_reads_the_count() {
    let (url, received) = serve(vec![(200, "", r#"{"input_tokens": 42}"#)]);
    assert_eq!(
        quick(&format!("{url}/"), "sk-test-key").count(&body()),
        Ok(42)
    );
    let got = received.lock().unwrap()[0].clone();
    assert_eq!(got.request_line, "POST /v1/messages/count_tokens HTTP/1.1");
    assert_eq!(got.header("x-api-key"), Some("sk-test-key"));
    assert_eq!(got.header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(got.header("content-type"), Some("application/json"));
    assert_eq!(serde_json::from_str::<Json>(&got.body).unwrap(), body());
}

#[test]
fn retries_overload_rate_limits_and_server_errors() {
    let (url, received) = serve(vec![
        (529, "", OVERLOADED),
        (
            429,
            "retry-after: 0\r\n",
            r#"{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}"#,
        ),
        (500, "", "oops"),
        (200, "", r#"{"input_tokens": 7}"#),
    ]);
    assert_eq!(quick(&url, "k").count(&body()), Ok(7));
    assert_eq!(received.lock().unwrap().len(), 4);
}

#[test]
fn gives_up_after_three_retries() {
    let (url, received) = serve(vec![(529, "", OVERLOADED); 4]);
    let error = quick(&url, "k").count(&body()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "529: overloaded_error: Overloaded (gave up after 4 attempts)"
    );
    assert_eq!(received.lock().unwrap().len(), 4);
}

#[test]
fn the_default_backoff_honours_retry_after() {
    // One retry with `retry-after: 0` instead of the default first wait of a second.
    let (url, _) = serve(vec![
        (429, "retry-after: 0\r\n", OVERLOADED),
        (200, "", r#"{"input_tokens": 3}"#),
    ]);
    let started = std::time::Instant::now();
    assert_eq!(Client::new(&url, "k").count(&body()), Ok(3));
    assert!(started.elapsed() < Duration::from_millis(900));
}

#[test]
fn reports_401_and_400_at_once() {
    let (url, _) = serve(vec![(
        401,
        "",
        r#"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#,
    )]);
    let error = quick(&url, "sk-secret").count(&body()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "401: authentication_error: invalid x-api-key (check ANTHROPIC_API_KEY)"
    );
    let (url, received) = serve(vec![(
        400,
        "",
        r#"{"type":"error","error":{"type":"invalid_request_error","message":"messages: Field required"}}"#,
    )]);
    assert_eq!(
        quick(&url, "k").count(&body()),
        Err(ExactError::Rejected(
            400,
            "invalid_request_error: messages: Field required".into()
        ))
    );
    assert_eq!(received.lock().unwrap().len(), 1);
}

#[test]
fn an_unreachable_server_is_a_network_error() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    assert!(matches!(
        quick(&url, "k").count(&body()),
        Err(ExactError::Network(_))
    ));
}

fn fixture(rel: &str) -> String {
    format!("{}/tests/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"))
}

fn count(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_claude-preflight"));
    command
        .arg("count")
        .args(args)
        .env_remove("ANTHROPIC_API_KEY")
        .env_remove("ANTHROPIC_BASE_URL");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn count_prints_a_table_per_request() {
    let path = fixture("output-room-short/bad-thinking-budget.json");
    let output = count(&[&path], &[]);
    assert!(output.status.success());
    let expected = format!(
        "{path}: claude-haiku-4-5, context window 200,000 tokens
                       system      tools       text     images  documents   thinking       total
  0 user                    -          -          9    156,000          -          -     156,009
  total                     -          -          9    156,000          -          -     156,009
  estimate ~156,009 tokens (range 156,004-156,014)
  [###############################.........] 78.0% of 200,000

"
    );
    assert_eq!(stdout(&output), expected);
}

#[test]
fn count_json_has_every_message_and_kind_and_takes_a_model() {
    let path = fixture("uncached-prefix/bad-conversation.json");
    let output = count(
        &[&path, "--format", "json", "--model", "claude-opus-5"],
        &[],
    );
    assert!(output.status.success());
    let report: Json = serde_json::from_str(&stdout(&output)).unwrap();
    let payload = &report["files"][0]["payloads"][0];
    assert_eq!(payload["model"], "claude-opus-5");
    assert_eq!(payload["context_window"], 1_000_000);
    assert_eq!(payload["messages"].as_array().unwrap().len(), 3);
    assert_eq!(payload["messages"][1]["role"], "assistant");
    let input = &payload["input"];
    assert!(input["low"].as_u64() <= input["mid"].as_u64());
    assert_eq!(
        payload["tokens"]["total"], *input,
        "the kinds add up to the input"
    );
    assert_eq!(payload["exact"], Json::Null);
    // The model's own window and tokenizer: fewer tokens on Sonnet 4.6 than on Opus 5.
    let own = count(&[&path, "--format", "json"], &[]);
    let own: Json = serde_json::from_str(&stdout(&own)).unwrap();
    let own = &own["files"][0]["payloads"][0];
    assert_eq!(own["model"], "claude-sonnet-4-6");
    assert!(own["input"]["mid"].as_u64() < input["mid"].as_u64());
}

#[test]
fn count_exact_sends_a_count_tokens_body_and_shows_both() {
    let (url, received) = serve(vec![(200, "", r#"{"input_tokens": 150000}"#)]);
    let path = fixture("output-room-short/bad-thinking-budget.json");
    let output = count(
        &[&path, "--exact"],
        &[
            ("ANTHROPIC_API_KEY", "sk-ant-test"),
            ("ANTHROPIC_BASE_URL", &url),
        ],
    );
    assert!(output.status.success(), "{output:?}");
    let text = stdout(&output);
    assert!(
        text.contains("  exact (count_tokens): 150,000 tokens; estimate ~156,009 (+4%)\n"),
        "{text}"
    );
    assert!(!text.contains("sk-ant-test"));
    let got = received.lock().unwrap()[0].clone();
    assert_eq!(got.header("x-api-key"), Some("sk-ant-test"));
    let sent: Json = serde_json::from_str(&got.body).unwrap();
    let keys: Vec<&str> = sent
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    // `max_tokens` is dropped: count_tokens does not accept it.
    assert_eq!(keys, ["model", "thinking", "messages"]);
}

#[test]
fn count_exact_retries_with_the_test_backoff_and_then_fails_clearly() {
    let (url, received) = serve(vec![(529, "", OVERLOADED); 4]);
    let path = fixture("uncached-prefix/bad-long-system.json");
    let output = count(
        &[&path, "--exact"],
        &[
            ("ANTHROPIC_API_KEY", "k"),
            ("ANTHROPIC_BASE_URL", &url),
            ("CLAUDE_PREFLIGHT_TEST_BACKOFF_MS", "1"),
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stdout(&output).contains(
        "  exact (count_tokens): failed: 529: overloaded_error: Overloaded (gave up after 4 attempts)\n"
    ));
    assert_eq!(received.lock().unwrap().len(), 4);
}

#[test]
fn nothing_is_sent_without_the_flag_and_the_flag_needs_a_key() {
    let path = fixture("uncached-prefix/bad-long-system.json");
    let (url, received) = serve(vec![(200, "", r#"{"input_tokens": 1}"#)]);
    let quiet = count(
        &[&path],
        &[("ANTHROPIC_API_KEY", "k"), ("ANTHROPIC_BASE_URL", &url)],
    );
    assert!(quiet.status.success());
    assert!(!stdout(&quiet).contains("exact"));
    assert!(received.lock().unwrap().is_empty());
    let output = count(&[&path, "--exact"], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: `--exact` needs ANTHROPIC_API_KEY in the environment\n"
    );
    let missing = count(&["/nonexistent/request.json"], &[]);
    assert_eq!(missing.status.code(), Some(2));
}
