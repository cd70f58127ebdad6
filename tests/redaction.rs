//! API keys never reach the output: every format of `check`, run on a request whose keys sit in
//! findings' source lines, fix previews and quoted values, shows them redacted; and `--fix`
//! never writes a key anywhere new.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// A made-up key in Anthropic's format (the real ones have 95 characters after the prefix).
fn key() -> String {
    let body: String = "Xq7Rt2Lp9Vb4Nc8Zw1Ks5Hd3Fg6Jm0"
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
