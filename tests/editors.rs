//! Real editors driving the real server through the configurations the project ships:
//! Microsoft's LSP client libraries (what VS Code's client is built on), Neovim 0.11 headless
//! with `editors/neovim/lsp/claude_preflight.lua`, and Helix 25.01 in tmux with
//! `editors/helix/languages.toml`, plus the Helix configuration check.
//!
//! The clients live in `target/editor-clients` (or `$CLAUDE_PREFLIGHT_EDITOR_CLIENTS`);
//! `tests/editors/setup.sh` installs them and CI runs it. A client that is not installed is
//! skipped with the reason printed; under CI (`CI` set) it is a failure instead.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use pretty_assertions::assert_eq;
use serde_json::{Value, json};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn clients() -> PathBuf {
    std::env::var_os("CLAUDE_PREFLIGHT_EDITOR_CLIENTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/editor-clients"))
}

/// Says why a test is skipped (on the terminal, past the test harness's capture) or, under
/// CI, fails with it.
fn skip(reason: &str) {
    assert!(std::env::var_os("CI").is_none(), "{reason}");
    let _ = writeln!(std::io::stderr(), "skipped: {reason}");
}

/// True when `what` is installed; otherwise skips.
fn installed(what: &str, paths: &[&Path]) -> bool {
    let Some(missing) = paths.iter().find(|p| !p.exists()) else {
        return true;
    };
    skip(&format!(
        "{what} is not installed ({} is missing; tests/editors/setup.sh installs it)",
        missing.display()
    ));
    false
}

/// A program found on PATH; otherwise skips.
fn on_path(program: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        skip(&format!("{program} is not on PATH"));
    }
    found
}

/// PATH with the built binary's directory first, for configurations that run
/// `claude-preflight` by name.
fn path_with_binary() -> std::ffi::OsString {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_claude-preflight"));
    let mut dirs = vec![binary.parent().map(Path::to_owned).unwrap_or_default()];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).unwrap()
}

/// The fixture, copied into a fresh directory (no client writes it, but none sees the repo).
fn fixture() -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("tests/editors/request.json")).unwrap();
    let path = dir.path().canonicalize().unwrap().join("request.json");
    std::fs::write(&path, &text).unwrap();
    (dir, path, text)
}

/// The JSON-lines events a client script printed, by name, in order.
fn events(output: &Output) -> Vec<(String, Value)> {
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the client failed ({}):\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .map(|e| {
            (
                e["event"].as_str().unwrap_or_default().to_owned(),
                e["value"].clone(),
            )
        })
        .collect()
}

/// Where `needle` starts on the fixture's line `line`: (UTF-16 column, byte column).
fn column(text: &str, line: usize, needle: &str) -> (u32, u32) {
    let line = text.lines().nth(line).unwrap();
    let byte = line.find(needle).unwrap();
    (line[..byte].encode_utf16().count() as u32, byte as u32)
}

const N_MESSAGE: &str = "`n` is an OpenAI parameter with no Claude equivalent: the API answers 400 `n: Extra inputs are not permitted`";
const STOP_MESSAGE: &str = "`stop` is OpenAI's name: the API answers 400 `stop: Extra inputs are not permitted`; Claude calls it `stop_sequences` (an array)";

fn lsp_diagnostic(line: u32, start: u32, end: u32, message: &str) -> Value {
    json!({
        "range": {"start": {"line": line, "character": start}, "end": {"line": line, "character": end}},
        "severity": 1,
        "code": "O101",
        "codeDescription": {"href": "https://github.com/claude-preflight/claude-preflight/blob/main/docs/rules/openai-parameter.md"},
        "source": "claude-preflight",
        "message": message,
    })
}

/// The fixture after the safe quick fix on `stop`.
fn fixed(text: &str) -> String {
    text.replace("\"stop\": \"###\"", "\"stop_sequences\": [\"###\"]")
}

#[test]
fn microsoft_lsp_client_libraries() {
    let node_modules = clients().join("node/node_modules");
    let Some(node) = on_path("node") else {
        return;
    };
    if !installed(
        "vscode-languageserver-protocol",
        &[&node_modules.join("vscode-languageserver-protocol")],
    ) {
        return;
    }
    let (_dir, file, text) = fixture();
    let output = Command::new(node)
        .arg(root().join("tests/editors/lsp_client_test.js"))
        .arg(&file)
        .args([
            "--",
            env!("CARGO_BIN_EXE_claude-preflight"),
            "lsp",
            "--stdio",
        ])
        .env("NODE_PATH", &node_modules)
        .output()
        .unwrap();
    let uri = format!("file://{}", file.display());
    let (n, _) = column(&text, 3, "\"n\"");
    let n_diagnostic = lsp_diagnostic(3, n, n + 3, N_MESSAGE);
    let stop_diagnostic = lsp_diagnostic(4, 2, 8, STOP_MESSAGE);
    let hover = "**`max_tokens`**\n\nThe most tokens the model may generate before it stops; thinking tokens count toward it. Required on Messages requests; `0` only fills the prompt cache.\n\nFor **Claude Sonnet 4.6** (`claude-sonnet-4-6`): 0 to 128,000 (up to 300,000 in a Message Batches request with the `output-300k-2026-03-24` beta).";
    let expected = [
        ("server", json!({"name": "claude-preflight", "encoding": "utf-16"})),
        ("diagnostics", json!({"uri": uri, "version": 1, "diagnostics": [n_diagnostic, stop_diagnostic]})),
        ("actions", json!([{"title": "Rename `stop` to `stop_sequences`", "kind": "quickfix", "isPreferred": true}])),
        ("text", json!(fixed(&text))),
        ("diagnostics", json!({"uri": uri, "version": 2, "diagnostics": [n_diagnostic]})),
        ("hover", json!(hover)),
        ("completion", json!(["claude-fable-5-2", "claude-mythos-5-2", "claude-haiku-5-5"])),
        ("exit", json!(0)),
        ("provider", json!({"identifier": "claude-preflight", "interFileDependencies": false, "workspaceDiagnostics": false})),
        ("pulled", json!({"kind": "full", "items": [n_diagnostic, stop_diagnostic]})),
        ("exit", json!(0)),
    ]
    .map(|(event, value)| (event.to_owned(), value));
    assert_eq!(events(&output), expected);
}

#[test]
fn neovim_with_the_shipped_config() {
    let nvim = clients().join("venv/bin/nvim");
    if !installed("Neovim 0.11", &[&nvim]) {
        return;
    }
    let (dir, file, text) = fixture();
    let runtime = root().join("editors/neovim");
    let output = Command::new(&nvim)
        .args(["--headless", "-u", "NONE", "--cmd"])
        .arg(format!("set rtp^={}", runtime.display()))
        .arg("-c")
        .arg(format!(
            "luafile {}",
            root().join("tests/editors/nvim_check.lua").display()
        ))
        .arg(&file)
        .current_dir(dir.path())
        .env("PATH", path_with_binary())
        .env("XDG_CONFIG_HOME", dir.path())
        .env("XDG_STATE_HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path())
        .output()
        .unwrap();
    // Neovim offers UTF-8 positions and shows columns in bytes.
    let (_, n) = column(&text, 3, "\"n\"");
    let diagnostic = |lnum: u32, col: u32, end_col: u32, message: &str| {
        json!({
            "lnum": lnum, "col": col, "end_lnum": lnum, "end_col": end_col, "severity": 1,
            "source": "claude-preflight", "code": "O101", "message": message,
        })
    };
    let expected = [
        ("encoding", json!("utf-8")),
        (
            "diagnostics",
            json!([
                diagnostic(3, n, n + 3, N_MESSAGE),
                diagnostic(4, 2, 8, STOP_MESSAGE)
            ]),
        ),
        ("text", json!(fixed(&text).trim_end())),
        ("diagnostics", json!([diagnostic(3, n, n + 3, N_MESSAGE)])),
    ]
    .map(|(event, value)| (event.to_owned(), value));
    assert_eq!(events(&output), expected);
}

/// A Helix configuration directory holding the shipped languages.toml.
fn helix_config() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("helix")).unwrap();
    std::fs::copy(
        root().join("editors/helix/languages.toml"),
        dir.path().join("helix/languages.toml"),
    )
    .unwrap();
    dir
}

#[test]
fn helix_with_the_shipped_languages_toml() {
    let hx = clients().join("helix/hx");
    if on_path("tmux").is_none() {
        return;
    }
    if !installed("Helix 25.01", &[&hx]) {
        return;
    }
    let (dir, file, _) = fixture();
    let config = helix_config();
    let output = Command::new("bash")
        .arg(root().join("tests/editors/hx_tmux_test.sh"))
        .arg(&file)
        .current_dir(dir.path())
        .env("HX", &hx)
        .env("PATH", path_with_binary())
        .env("XDG_CONFIG_HOME", config.path())
        .env("HOME", dir.path())
        .output()
        .unwrap();
    let screen = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "no diagnostics in Helix:\n{screen}"
    );
    // The diagnostics picker lists both findings, with their codes, in file order.
    let rows: Vec<&str> = screen
        .lines()
        .filter_map(|line| line.split_once("ERROR    O101 ").map(|(_, rest)| rest))
        .collect();
    assert_eq!(rows.len(), 2, "{screen}");
    assert!(
        N_MESSAGE.starts_with(rows[0].split('│').next().unwrap_or_default()),
        "{screen}"
    );
    assert!(
        STOP_MESSAGE.starts_with(rows[1].split('│').next().unwrap_or_default()),
        "{screen}"
    );
}

#[test]
fn helix_config_check() {
    let Some(python) = on_path("python3") else {
        return;
    };
    let languages = root().join("editors/helix/languages.toml");
    let check = Command::new(python)
        .arg(root().join("tests/editors/check_helix_languages.py"))
        .arg(&languages)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{report}");
    assert_eq!(report.lines().last(), Some("OK"));

    let hx = clients().join("helix/hx");
    if !installed("Helix 25.01", &[&hx]) {
        return;
    }
    let config = helix_config();
    let binary = env!("CARGO_BIN_EXE_claude-preflight");
    for language in ["json", "jsonc", "yaml"] {
        // `hx --health` always exits 0: its report is what says the server is found.
        let health = Command::new(&hx)
            .args(["--health", language])
            .env("PATH", path_with_binary())
            .env("XDG_CONFIG_HOME", config.path())
            .output()
            .unwrap();
        let report = String::from_utf8_lossy(&health.stdout);
        assert!(
            report.contains(&format!(
                "✓\u{1b}[39m claude-preflight: \u{1b}[38;5;10m{binary}"
            )) || report.contains(&format!("✓ claude-preflight: {binary}")),
            "{language}:\n{report}"
        );
    }
}
