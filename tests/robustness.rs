//! Hostile and degenerate inputs: bad encodings, huge and deeply nested files, empty and
//! binary files, broken JSON Lines. Each must give exactly the findings it deserves, never a
//! panic or a stack overflow, and the command line must say what it skipped.
//!
//! Everything runs on the test thread's ordinary stack: a deep input that needed a bigger one
//! would be a bug in the parser, not in the test.

use std::path::Path;
use std::process::{Command, Output};

use claude_preflight::analyze::{Analysis, analyze_bytes};
use claude_preflight::extract::files::FileKind;
use claude_preflight::settings::Settings;
use claude_preflight::syntax::{ColumnUnit, LineIndex, MAX_DEPTH, TextRange};

fn settings() -> Settings {
    Settings::new(jiff::civil::date(2026, 11, 25))
}

fn analyze(bytes: &[u8], kind: FileKind, path: &str) -> (String, Analysis) {
    let (text, analysis) = analyze_bytes(bytes, kind, path, &settings());
    (text.into_owned(), analysis)
}

/// Each finding as (code, byte range).
fn codes(analysis: &Analysis) -> Vec<(&'static str, TextRange)> {
    analysis
        .diagnostics
        .iter()
        .map(|d| (d.rule.code, d.range))
        .collect()
}

fn range(start: usize, end: usize) -> TextRange {
    TextRange::new(start, end)
}

/// A small valid request whose `tools[0].input_schema.properties.x` is `value`.
fn request_json(value: &str) -> String {
    format!(
        r#"{{"model": "claude-opus-5", "max_tokens": 1024, "messages": [{{"role": "user", "content": "hi"}}], "tools": [{{"name": "t", "input_schema": {{"type": "object", "properties": {{"x": {value}}}}}}}]}}"#
    )
}

/// The same request in YAML, with `x` written on its own line.
fn request_yaml(value: &str) -> String {
    format!(
        "model: claude-opus-5\nmax_tokens: 1024\nmessages:\n  - role: user\n    content: hi\ntools:\n  - name: t\n    input_schema:\n      type: object\n      properties:\n        x: {value}\n"
    )
}

/// `x` sits at nesting depth 5 (root, `tools`, its item, `input_schema`, `properties`), so
/// the bracket cut off at [`MAX_DEPTH`] is the one `MAX_DEPTH - 5` brackets into it.
const X_DEPTH: usize = 5;

#[test]
fn invalid_utf8_is_reported_at_the_first_bad_byte() {
    let mut bytes = br#"{"model": "claude-opus-5", "max_tokens": 1024, "messages": [{"role": "user", "content": "caf"#.to_vec();
    let at = bytes.len();
    bytes.extend_from_slice(b"\xe9\"}], \"stop\": \"END\"}");
    let (text, analysis) = analyze(&bytes, FileKind::Json, "req.json");
    assert_eq!(codes(&analysis), vec![("S003", range(at, at + 3))]);
    assert_eq!(
        analysis.diagnostics[0].message,
        format!(
            "the file is not valid UTF-8 (byte 0xe9 at offset {at}): the API rejects a body that is not UTF-8 JSON, so nothing else in it was checked"
        )
    );
    // Positions refer to the decoded text, where the byte became U+FFFD.
    assert_eq!(&text[at..at + 3], "\u{FFFD}");
    assert_eq!(analysis.payloads, 1);
    // A file that is not a request is skipped, not reported.
    let (_, analysis) = analyze(b"{\"name\": \"caf\xe9\"}", FileKind::Json, "package.json");
    assert!(analysis.diagnostics.is_empty());
    assert_eq!(
        analysis.skipped.as_deref(),
        Some("not valid UTF-8 (at byte 13) and not recognisably a Claude request")
    );
}

#[test]
fn a_fifty_megabyte_request_is_too_large_and_still_finishes() {
    let text = format!(
        r#"{{"model": "claude-opus-5", "max_tokens": 1024, "messages": [{{"role": "user", "content": "{}"}}]}}"#,
        "lorem ipsum ".repeat(50 * 1024 * 1024 / 12)
    );
    let (_, analysis) = analyze(text.as_bytes(), FileKind::Json, "huge.json");
    assert_eq!(codes(&analysis), vec![("R006", range(0, 1))]);
    assert_eq!(
        analysis.diagnostics[0].message,
        "the body is 50.0 MB (52428885 bytes); the Claude API accepts at most 32 MB for a request body: it answers 413 `request_too_large` (`messages` alone is 50.0 MB)"
    );
}

#[test]
fn a_hundred_thousand_levels_of_json_nesting() {
    let n = 100_000;
    let text = request_json(&format!("{}{}", "[".repeat(n), "]".repeat(n)));
    let x = text
        .find('[')
        .map(|i| text[i + 1..].find("[[").unwrap() + i + 1)
        .unwrap();
    let cut = x + (MAX_DEPTH - X_DEPTH);
    let (_, analysis) = analyze(text.as_bytes(), FileKind::Json, "deep.json");
    assert_eq!(codes(&analysis), vec![("S002", range(cut, cut + 1))]);
    assert_eq!(
        analysis.diagnostics[0].message,
        "nesting deeper than 256 levels: this value is not checked"
    );
}

#[test]
fn a_hundred_thousand_levels_of_yaml_nesting() {
    let n = 100_000;
    // Flow style: tree-sitter nests on the heap, lowering stops at MAX_DEPTH.
    let text = request_yaml(&format!("{}{}", "[".repeat(n), "]".repeat(n)));
    let x = text.find("x: ").unwrap() + 3;
    let cut = x + (MAX_DEPTH - X_DEPTH);
    let (_, analysis) = analyze(text.as_bytes(), FileKind::Yaml, "deep.yaml");
    assert_eq!(codes(&analysis), vec![("S002", range(cut, cut + 1))]);
    // Block style: refused before the YAML parser's indentation stack would overflow.
    let text = request_yaml(&format!("\n{}{}y", " ".repeat(10), "- ".repeat(n)));
    let line = text.find("\n          - ").unwrap() + 1;
    let (_, analysis) = analyze(text.as_bytes(), FileKind::Yaml, "deep.yaml");
    assert_eq!(
        codes(&analysis),
        vec![("S002", range(line + 120, line + 10 + 2 * n + 1))]
    );
    assert_eq!(
        analysis.diagnostics[0].message,
        "YAML block nesting indented 120 columns or more: the YAML parser cannot follow it, so this value is not checked"
    );
}

#[test]
fn empty_and_bom_only_files_have_no_findings() {
    for kind in [FileKind::Json, FileKind::JsonLines, FileKind::Yaml] {
        for bytes in [&b""[..], b"\xef\xbb\xbf", b"\xef\xbb\xbf\n  \n"] {
            let (_, analysis) = analyze(bytes, kind, "empty");
            assert!(analysis.diagnostics.is_empty(), "{kind:?} {bytes:?}");
            assert_eq!(
                (analysis.payloads, &analysis.skipped),
                (0, &None),
                "{kind:?} {bytes:?}"
            );
        }
    }
}

#[test]
fn a_broken_json_lines_entry_leaves_the_others_checked() {
    let text = concat!(
        r#"{"model": "claude-opus-5", "max_tokens": 1024, "stop": "END", "messages": [{"role": "user", "content": "a"}]}"#,
        "\n",
        r#"{"model": "claude-opus-5", "max_tokens": 1024, "messages": [{"role": "user", "content": "b"}"#,
        "\n",
        r#"{"model": "claude-opus-5", "max_tokens": 1024, "n": 2, "messages": [{"role": "user", "content": "c"}]}"#,
        "\n",
    );
    let (text, analysis) = analyze(text.as_bytes(), FileKind::JsonLines, "batch.jsonl");
    let index = LineIndex::new(&text);
    let at = |offset: u32| {
        let p = index.position(&text, offset as usize, ColumnUnit::Char);
        (p.line + 1, p.column + 1)
    };
    let found: Vec<_> = analysis
        .diagnostics
        .iter()
        .map(|d| (d.rule.code, at(d.range.start), at(d.range.end)))
        .collect();
    assert_eq!(
        found,
        vec![
            ("O101", (1, 48), (1, 54)),
            ("S001", (2, 93), (2, 93)),
            ("O101", (3, 48), (3, 51)),
        ]
    );
    assert_eq!(
        analysis.diagnostics[1].message,
        "invalid JSON: expected `,` or `]` after this element, found the end of the text"
    );
    assert_eq!(analysis.payloads, 3);
}

/// Runs the built binary's `check` on `path` with JSON output.
fn check(path: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claude-preflight"))
        .args([
            "check",
            "--format",
            "json",
            "--no-progress",
            "--today",
            "2026-11-25",
        ])
        .arg(path)
        .output()
        .expect("the binary runs")
}

/// The `diagnostics` and `summary.files` of a JSON report.
fn report(output: &Output) -> (Vec<serde_json::Value>, u64) {
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    let diagnostics = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .clone();
    (
        diagnostics,
        report["summary"]["files"].as_u64().expect("files"),
    )
}

#[test]
fn the_cli_passes_an_empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.json");
    std::fs::write(&path, "").unwrap();
    let output = check(&path);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(report(&output), (Vec::new(), 1));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

#[test]
fn the_cli_says_why_it_skips_a_binary_file_named_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.json");
    std::fs::write(&path, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01").unwrap();
    let output = check(&path);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(report(&output), (Vec::new(), 1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!(
            "note: {}: skipped: binary file (it contains NUL bytes)\n",
            path.display()
        )
    );
    // Found by walking a directory, it is skipped without a word.
    let output = Command::new(env!("CARGO_BIN_EXE_claude-preflight"))
        .args(["check", "--format", "json", "--no-progress"])
        .arg(dir.path())
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

#[test]
fn the_cli_reports_invalid_utf8_in_a_request() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("req.yaml");
    std::fs::write(&path, b"model: claude-opus-5\nmax_tokens: 1024\nmessages:\n  - role: user\n    content: caf\xe9\n").unwrap();
    let output = check(&path);
    assert_eq!(output.status.code(), Some(1));
    let (diagnostics, files) = report(&output);
    assert_eq!(files, 1);
    let found: Vec<_> = diagnostics
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), &d["range"]))
        .collect();
    let expected =
        serde_json::json!({"start": {"line": 5, "column": 17}, "end": {"line": 5, "column": 18}});
    assert_eq!(found, vec![("S003", &expected)]);
}

/// Found by `cargo fuzz run analyze` (fuzz/): a quoted shell word cut off by the end of the file
/// ended in a multi-byte character, and its content was sliced as if a one-byte closing quote
/// followed it.
#[test]
fn a_shell_string_cut_off_after_a_multibyte_character() {
    for quote in ['"', '\''] {
        let file = format!("curl https://api.anthropic.com/v1/messages \\\n  -H {quote}x-api-kä");
        let (text, analysis) = analyze(file.as_bytes(), FileKind::Shell, "cut.sh");
        assert_eq!(text, file);
        for d in &analysis.diagnostics {
            let r = d.range.to_range();
            assert!(
                r.end <= text.len()
                    && text.is_char_boundary(r.start)
                    && text.is_char_boundary(r.end),
                "{} at {:?}",
                d.rule.code,
                d.range
            );
        }
    }
}
