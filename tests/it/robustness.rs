//! Hostile and degenerate inputs: bad encodings, huge and deeply nested files, empty and
//! binary files, broken JSON Lines. Each must give exactly the findings it deserves, never a
//! panic or a stack overflow, and the command line must say what it skipped.
//!
//! Everything runs on the test thread's ordinary stack: a deep input that needed a bigger one
//! would be a bug in the parser, not in the test.

use std::path::Path;
use std::process::{Command, Output};

use claude_preflight::FileKind;
use claude_preflight::analyze::{Analysis, analyze_bytes};
use claude_preflight::settings::Settings;
use claude_preflight::{ColumnUnit, LineIndex, MAX_DEPTH, TextRange};

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

/// `check` with concise output on a fixed date.
const CHECK_CONCISE: [&str; 6] = [
    "check",
    "--format",
    "concise",
    "--no-progress",
    "--today",
    "2026-11-25",
];

/// Runs `check --format concise ARGS` in `dir`, killing it (and failing) after a minute:
/// a file that blocks a read must not hang the test run. Returns (status, stdout, stderr).
fn check_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_claude-preflight"))
        .current_dir(dir)
        .args(CHECK_CONCISE)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("`check {args:?}` hung");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let (mut stdout, mut stderr) = (String::new(), String::new());
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (status.code().unwrap(), stdout, stderr)
}

fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
}

const CLEAN_REQUEST: &str = r#"{"model": "claude-opus-5", "max_tokens": 64, "messages": [{"role": "user", "content": "Hi"}]}"#;

/// A temporary directory (kept while the first value lives) with `CLEAN_REQUEST` at each of
/// `requests`; returns it and its canonical path.
fn project_with(requests: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    for rel in requests {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, CLEAN_REQUEST).unwrap();
    }
    (dir, root)
}

#[test]
fn manifests_and_configurations_are_read_only_when_regular_and_small() {
    let (_dir, root) = project_with(&["app/req.json"]);
    // A FIFO would block the read for ever; /dev/zero would be read until memory runs out.
    mkfifo(&root.join("app/package.json"));
    std::os::unix::fs::symlink("/dev/zero", root.join("app/requirements.txt")).unwrap();
    let big = format!("anthropic==0.40.0\n{}", "#\n".repeat(600_000));
    std::fs::write(root.join("requirements-dev.txt"), &big).unwrap();
    let (code, stdout, stderr) = check_in(&root, &["app/req.json"]);
    assert_eq!(
        (code, stdout.as_str()),
        (
            0,
            "0 errors, 0 warnings, 0 infos in 1 payload across 1 file\n"
        )
    );
    assert_eq!(
        stderr,
        format!(
            "warning: {0}/app/requirements.txt: not read for the SDK version: not a regular file\n\
             warning: {0}/app/package.json: not read for the SDK version: not a regular file\n\
             warning: {0}/requirements-dev.txt: not read for the SDK version: it has 1200018 bytes, over the 1048576-byte limit\n",
            root.display()
        )
    );
    // A configuration file that cannot be used stops the run, and says why.
    std::fs::remove_file(root.join("requirements-dev.txt")).unwrap();
    mkfifo(&root.join("claude-preflight.toml"));
    let (code, _, stderr) = check_in(&root, &["app/req.json"]);
    assert_eq!(
        (code, stderr.lines().last().unwrap_or_default()),
        (
            2,
            format!(
                "error: {}/claude-preflight.toml: cannot read it: not a regular file",
                root.display()
            )
            .as_str()
        )
    );
}

#[test]
fn special_and_unreadable_paths_named_on_the_command_line_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    mkfifo(&root.join("pipe.json"));
    std::os::unix::fs::symlink("loop", root.join("loop")).unwrap();
    let (code, stdout, stderr) = check_in(root, &["pipe.json", "/dev/stdin", "loop", "gone.json"]);
    assert_eq!(code, 2);
    // Every path failed: the errors say it all, with no summary of nothing.
    assert_eq!(stdout, "");
    let loop_error = std::fs::metadata(root.join("loop")).unwrap_err();
    assert_eq!(
        stderr,
        format!(
            "error: pipe.json: not a regular file or directory\n\
             error: /dev/stdin: not a regular file or directory (`-` reads standard input)\n\
             error: loop: cannot read it: {loop_error}\n\
             error: gone.json: no such file or directory\n"
        )
    );
}

#[test]
fn an_unreadable_directory_is_reported() {
    let (_dir, root) = project_with(&["tree/closed/req.json", "tree/req.json"]);
    use std::os::unix::fs::PermissionsExt;
    let closed = root.join("tree/closed");
    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable = std::fs::read_dir(&closed).is_ok();
    if readable {
        std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o755)).unwrap();
        // Root (as in CI's container) reads any directory: the unit test
        // `cli::check::tests::walk_errors_become_warnings` covers the same path without it.
        println!("skipped: a mode-000 directory is readable here (running as root)");
        return;
    }
    let (code, stdout, stderr) = check_in(&root, &["tree"]);
    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(
        (code, stdout.as_str()),
        (
            0,
            "0 errors, 0 warnings, 0 infos in 1 payload across 1 file\n"
        )
    );
    assert!(
        stderr.starts_with("warning: tree/closed: cannot read it: ") && stderr.lines().count() == 1,
        "{stderr}"
    );
    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o000)).unwrap();
    let (code, _, stderr) = check_in(&root, &["tree/closed"]);
    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: tree/closed: cannot read it: "),
        "{stderr}"
    );
}

/// Runs `check --fix ARGS -` with `input` on standard input; returns (status, stdout, stderr).
fn fix_stdin(args: &[&str], input: &[u8]) -> (i32, Vec<u8>, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_claude-preflight"))
        .args(CHECK_CONCISE)
        .arg("--fix")
        .args(args)
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    (out.status.code().unwrap(), out.stdout, stderr)
}

#[test]
fn fix_on_stdin_gives_back_the_input_bytes_when_nothing_was_fixed() {
    let input = b"{\"model\": \"claude-opus-5\", \"max_tokens\": 64, \"messages\": [{\"role\": \"user\", \"content\": \"caf\xe9\"}]}\n";
    let (code, stdout, stderr) = fix_stdin(&[], input);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout, input);
}

#[test]
fn fix_says_which_findings_its_fixes_revealed() {
    let input = "{\n  \"model\": \"claude-3-5-sonnet-latest\",\n  \"max_tokens\": 1024,\n  \"messages\": [\n    {\"role\": \"user\", \"content\": \"List three colours.\"},\n    {\"role\": \"assistant\", \"content\": \"[\"}\n  ]\n}\n";
    let (code, stdout, stderr) = fix_stdin(
        &["--unsafe-fixes", "--stdin-filename", "req.json"],
        input.as_bytes(),
    );
    assert_eq!(code, 1);
    assert_eq!(
        String::from_utf8(stdout).unwrap(),
        input.replace("claude-3-5-sonnet-latest", "claude-sonnet-4-6")
    );
    let mut lines = stderr.lines();
    assert_eq!(
        lines.next(),
        Some(
            "note: req.json: the fixes revealed 1 new finding, reported and not fixed: review, then run `--fix` again"
        )
    );
    assert!(
        lines
            .next()
            .is_some_and(|l| l.starts_with("req.json:6:14: error[F101] ")),
        "{stderr}"
    );
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
        assert_on_characters(&text, &analysis);
    }
}

/// Every diagnostic's range lies in `text`, on character boundaries.
fn assert_on_characters(text: &str, analysis: &Analysis) {
    for d in &analysis.diagnostics {
        let r = d.range.to_range();
        assert!(
            r.end <= text.len() && text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
            "{} at {:?}",
            d.rule.code,
            d.range
        );
    }
}

/// Found by `cargo fuzz run analyze` (fuzz/): error recovery left an array unclosed whose
/// last byte was inside the U+FFFD an invalid byte became, and the fix emptying its only item
/// sliced the text there. (A document with syntax errors now gets no fixes at all.)
#[test]
fn a_fix_in_a_container_recovery_left_unclosed_after_invalid_utf8() {
    let bytes = std::fs::read("tests/data/fuzz/unclosed-array-after-invalid-utf8.json").unwrap();
    assert!(std::str::from_utf8(&bytes).is_err());
    let (text, analysis) = analyze(&bytes, FileKind::Json, "fuzz.json");
    let codes: Vec<&str> = analysis.diagnostics.iter().map(|d| d.rule.code).collect();
    assert_eq!(codes.first(), Some(&"S003"), "{codes:?}");
    for d in &analysis.diagnostics {
        let r = d.range.to_range();
        assert!(
            r.end <= text.len() && text.is_char_boundary(r.start) && text.is_char_boundary(r.end)
        );
        assert!(
            d.fix.is_none(),
            "{} has a fix in a broken file",
            d.rule.code
        );
    }
}

/// The fuzzer's finding of this session: a Markdown fence whose info string holds a `/` (here
/// `bashc…ps://api.anthropic.com/…`, but `text/plain` or `../x` do the same) was turned into a
/// path extension to look up its language, which the standard library refuses with a panic.
#[test]
fn a_fence_info_string_with_a_slash_names_no_language() {
    let bytes = std::fs::read("tests/data/fuzz/fence-info-with-a-slash.md").unwrap();
    let (_, analysis) = analyze(&bytes, FileKind::Markdown, "fuzz.md");
    // The fence's language is unknown, so its text is not read as code: no finding, no panic.
    assert_eq!(codes_of(&analysis), Vec::<&str>::new());
    let text = "# Notes\n\n```text/plain\nclient.messages.create(model=\"claude-3-opus-20240229\")\n```\n\n```py/3\nx = 1\n```\n";
    let (_, analysis) = analyze(text.as_bytes(), FileKind::Markdown, "notes.md");
    assert_eq!(codes_of(&analysis), Vec::<&str>::new());
}

fn codes_of(analysis: &Analysis) -> Vec<&'static str> {
    analysis.diagnostics.iter().map(|d| d.rule.code).collect()
}

/// The fuzzer's second finding of this session: a message whose recovered value starts with a
/// three-byte character (U+E000) got `missing-field` findings on its first byte only, half a
/// character that no report or editor can show.
#[test]
fn a_finding_on_a_value_starting_with_a_multibyte_character_covers_it_whole() {
    let bytes =
        std::fs::read("tests/data/fuzz/message-starting-with-a-multibyte-character.json").unwrap();
    let (text, analysis) = analyze(&bytes, FileKind::Json, "fuzz.json");
    let at = text.find('\u{e000}').unwrap();
    let on_it: Vec<(&str, TextRange)> = codes(&analysis)
        .into_iter()
        .filter(|(code, r)| *code == "C103" && r.start as usize == at)
        .collect();
    assert_eq!(
        on_it,
        [
            ("C103", TextRange::new(at, at + 3)),
            ("C103", TextRange::new(at, at + 3))
        ]
    );
    for d in &analysis.diagnostics {
        let r = d.range.to_range();
        assert!(
            text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
            "{d:?}"
        );
    }
}

/// Found by `cargo fuzz run fix` (fuzz/): in a request whose `tools` array is broken (a tool's
/// text pasted into another's), the recovered tree put a strict tool's schema object where the
/// text had another, and `strict-tool-without-additional-properties`'s fix appended
/// `"additionalProperties": false` at the end of an object that was not it, on every run of
/// `--fix` (16 members more each time), and "removed" keys "set again" in the objects the
/// recovery ran together. A broken document's findings are reported without fixes.
#[test]
fn a_broken_request_is_reported_not_fixed() {
    let bytes = std::fs::read("tests/data/fuzz/strict-tools-in-a-broken-array.json").unwrap();
    let (text, analysis) = analyze(&bytes, FileKind::Json, "fuzz.json");
    let codes = codes_of(&analysis);
    assert!(codes.contains(&"S001"), "{codes:?}");
    assert!(codes.contains(&"T109"), "{codes:?}");
    assert_not_fixed(text, analysis, "fuzz.json");
}

/// A broken JSON file's findings carry no fix, and `--fix --unsafe-fixes` leaves it as it is.
fn assert_not_fixed(text: String, analysis: Analysis, path: &str) {
    for d in &analysis.diagnostics {
        assert!(
            d.fix.is_none(),
            "{} has a fix in a broken file",
            d.rule.code
        );
    }
    let (fixed, _, applied) = claude_preflight::analyze::fix_until_stable(
        text.clone(),
        analysis,
        FileKind::Json,
        path,
        &settings(),
        claude_preflight::fix::Applicability::Unsafe,
    );
    assert_eq!((applied, fixed), (0, text));
}

/// Found by `cargo fuzz run fix` (fuzz/): a cassette's double-quoted body held `\xE` followed by
/// `ã`, and the bad escape was taken as four bytes, cutting the `ã` in two when the text after
/// the safe fixes was read again. The escape now ends at a character boundary, and at the
/// text's end.
#[test]
fn a_bad_yaml_escape_before_a_multibyte_character() {
    // Read as the fuzz target reads it: the text holds a NUL byte, which makes `check` skip
    // the file as binary.
    let text =
        std::fs::read_to_string("tests/data/fuzz/bad-escape-before-a-multibyte-character.yaml")
            .unwrap();
    let analysis =
        claude_preflight::analyze::analyze(&text, FileKind::Yaml, "cassette.yaml", &settings());
    let (fixed, analysis, _) = claude_preflight::analyze::fix_until_stable(
        text,
        analysis,
        FileKind::Yaml,
        "cassette.yaml",
        &settings(),
        claude_preflight::fix::Applicability::Safe,
    );
    assert_on_characters(&fixed, &analysis);
}

/// Found by `cargo fuzz run fix` (fuzz/): a nock recording whose first body was broken JSON
/// was read as a recording, whose documents (the requests inside) carried none of the file's
/// syntax errors: no `S001` was reported, and the fixes then broke the file further (18
/// syntax errors). A recording is now read only from a file that parses.
#[test]
fn a_broken_recording_is_a_broken_file() {
    let text =
        std::fs::read_to_string("tests/data/fuzz/nock-recording-with-a-broken-body.json").unwrap();
    let analysis =
        claude_preflight::analyze::analyze(&text, FileKind::Json, "nock.json", &settings());
    let codes = codes_of(&analysis);
    assert!(codes.contains(&"S001"), "{codes:?}");
    assert_not_fixed(text, analysis, "nock.json");
}
