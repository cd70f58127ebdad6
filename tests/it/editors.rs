//! Real editors driving the real server through the configurations the project ships:
//! Microsoft's LSP client libraries (what VS Code's client is built on), Neovim 0.11 headless
//! with `editors/neovim/lsp/claude_preflight.lua`, Helix 25.01 in tmux with
//! `editors/helix/languages.toml`, and Emacs with Eglot and `editors/emacs/claude-preflight.el`,
//! each on a JSON request and on a Python SDK call, plus the Helix configuration check.
//!
//! The clients live in `target/editor-clients` (or `$CLAUDE_PREFLIGHT_EDITOR_CLIENTS`);
//! `tests/editors/setup.sh` installs them and CI runs it; Emacs comes from apt (`.ci/run`).
//! A client that is not installed is skipped with the reason printed; under CI (`CI` set) it
//! is a failure instead.

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

/// A fixture in `tests/editors/` with two findings: `n` (no fix that every editor applies the
/// same way) and `stop` (a safe quick fix the tests apply).
struct Case {
    file: &'static str,
    /// The `n` finding: its line, a text it starts, its length.
    n: (usize, &'static str, u32),
    /// The `stop` finding, likewise.
    stop: (usize, &'static str, u32),
    /// The text the quick fix on `stop` replaces, and its replacement.
    fix: (&'static str, &'static str),
    /// The code actions offered on `stop`, in the server's order.
    actions: &'static [&'static str],
}

const RENAME: &str = "Rename `stop` to `stop_sequences`";
const FIX_ALL: &str = "Apply the safe fix (claude-preflight)";

const JSON: Case = Case {
    file: "request.json",
    n: (3, "\"n\"", 3),
    stop: (4, "\"stop\"", 6),
    fix: ("\"stop\": \"###\"", "\"stop_sequences\": [\"###\"]"),
    actions: &[RENAME, FIX_ALL],
};

/// An `anthropic` SDK call: the checks inside code, next to the language's own server.
const PYTHON: Case = Case {
    file: "request.py",
    n: (6, "n=2", 1),
    stop: (7, "stop=", 4),
    fix: ("stop=\"###\"", "stop_sequences=[\"###\"]"),
    actions: &[RENAME, "Suppress `openai-parameter` on this line", FIX_ALL],
};

impl Case {
    /// The fixture, copied into a fresh directory (only Helix writes it, and none sees the
    /// repo), with its path and text.
    fn fixture(&self) -> (tempfile::TempDir, PathBuf, String) {
        let dir = tempfile::tempdir().unwrap();
        let text = std::fs::read_to_string(root().join("tests/editors").join(self.file)).unwrap();
        let path = dir.path().canonicalize().unwrap().join(self.file);
        std::fs::write(&path, &text).unwrap();
        (dir, path, text)
    }

    /// The text after the quick fix on `stop`.
    fn fixed(&self, text: &str) -> String {
        assert!(text.contains(self.fix.0));
        text.replace(self.fix.0, self.fix.1)
    }
}

/// Where a finding is in `text`: (line, start column, end column), columns counted by `unit`
/// (UTF-16 code units for the protocol, bytes in Neovim, characters in Emacs).
fn span(text: &str, (line, needle, len): (usize, &str, u32), unit: fn(&str) -> usize) -> [u32; 3] {
    let row = text.lines().nth(line).unwrap();
    let start = unit(&row[..row.find(needle).unwrap()]) as u32;
    [line as u32, start, start + len]
}

fn utf16(s: &str) -> usize {
    s.encode_utf16().count()
}

fn chars(s: &str) -> usize {
    s.chars().count()
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

fn named<const N: usize>(events: [(&str, Value); N]) -> Vec<(String, Value)> {
    events
        .map(|(event, value)| (event.to_owned(), value))
        .into()
}

const N_MESSAGE: &str = "`n` is an OpenAI parameter with no Claude equivalent: the API answers 400 `n: Extra inputs are not permitted`";
const STOP_MESSAGE: &str = "`stop` is OpenAI's name: the API answers 400 `stop: Extra inputs are not permitted`; Claude calls it `stop_sequences` (an array)";

fn lsp_diagnostic([line, start, end]: [u32; 3], message: &str) -> Value {
    json!({
        "range": {"start": {"line": line, "character": start}, "end": {"line": line, "character": end}},
        "severity": 1,
        "code": "O101",
        "codeDescription": {"href": "https://github.com/claude-preflight/claude-preflight/blob/main/docs/rules/openai-parameter.md"},
        "source": "claude-preflight",
        "message": message,
    })
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
    let (_dir, file, text) = JSON.fixture();
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
    let n_diagnostic = lsp_diagnostic(span(&text, JSON.n, utf16), N_MESSAGE);
    let stop_diagnostic = lsp_diagnostic(span(&text, JSON.stop, utf16), STOP_MESSAGE);
    let hover = "**`max_tokens`**\n\nThe most tokens the model may generate before it stops; thinking tokens count toward it. Required on Messages requests; `0` only fills the prompt cache.\n\nFor **Claude Sonnet 4.6** (`claude-sonnet-4-6`): 0 to 128,000 (up to 300,000 in a Message Batches request with the `output-300k-2026-03-24` beta).";
    let expected = [
        ("server", json!({"name": "claude-preflight", "encoding": "utf-16"})),
        ("diagnostics", json!({"uri": uri, "version": 1, "diagnostics": [n_diagnostic, stop_diagnostic]})),
        ("actions", json!([{"title": RENAME, "kind": "quickfix", "isPreferred": true}])),
        ("text", json!(JSON.fixed(&text))),
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

/// Neovim with the shipped `lsp/claude_preflight.lua`: the diagnostics it holds, the messages
/// the server showed (none: the shipped `init_options` are valid settings), the buffer after
/// the quick fix on `stop`, the diagnostics after that.
fn neovim(case: &Case) {
    let nvim = clients().join("venv/bin/nvim");
    if !installed("Neovim 0.11", &[&nvim]) {
        return;
    }
    let (dir, file, text) = case.fixture();
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
    let diagnostic = |finding, message: &str| {
        let [lnum, col, end_col] = span(&text, finding, str::len);
        json!({
            "lnum": lnum, "col": col, "end_lnum": lnum, "end_col": end_col, "severity": 1,
            "source": "claude-preflight", "code": "O101", "message": message,
        })
    };
    let n = diagnostic(case.n, N_MESSAGE);
    let expected = named([
        ("encoding", json!("utf-8")),
        (
            "diagnostics",
            json!([n, diagnostic(case.stop, STOP_MESSAGE)]),
        ),
        ("messages", json!([])),
        ("text", json!(case.fixed(&text).trim_end())),
        ("diagnostics", json!([n])),
    ]);
    assert_eq!(events(&output), expected);
}

#[test]
fn neovim_json() {
    neovim(&JSON);
}

#[test]
fn neovim_python() {
    neovim(&PYTHON);
}

/// Emacs with Eglot and the shipped `editors/emacs/claude-preflight.el`: the major mode the
/// file opened in, the Flymake diagnostics (columns in characters), the code actions offered
/// on `stop`, the buffer after choosing the quick fix, the diagnostics after that.
fn emacs(case: &Case, modes: &[&str]) {
    let Some(emacs) = on_path("emacs") else {
        return;
    };
    let (dir, file, text) = case.fixture();
    let output = Command::new(emacs)
        .arg("--batch")
        .arg("-l")
        .arg(root().join("editors/emacs/claude-preflight.el"))
        .arg("-l")
        .arg(root().join("tests/editors/emacs_check.el"))
        .arg(&file)
        .current_dir(dir.path())
        .env("PATH", path_with_binary())
        .env("HOME", dir.path())
        .output()
        .unwrap();
    let mut events = events(&output);
    let (event, mode) = events.remove(0);
    assert_eq!(event, "mode");
    assert!(modes.contains(&mode.as_str().unwrap_or_default()), "{mode}");
    let diagnostic = |finding, message: &str| {
        let [line, start, end] = span(&text, finding, chars);
        json!({
            "start": {"line": line, "column": start},
            "end": {"line": line, "column": end},
            "type": "eglot-error",
            "text": format!("claude-preflight [O101]: {message}"),
        })
    };
    let n = diagnostic(case.n, N_MESSAGE);
    let expected = named([
        (
            "diagnostics",
            json!([n, diagnostic(case.stop, STOP_MESSAGE)]),
        ),
        ("actions", json!(case.actions)),
        ("text", json!(case.fixed(&text))),
        ("diagnostics", json!([n])),
    ]);
    assert_eq!(events, expected);
}

#[test]
fn emacs_eglot_json() {
    // Emacs 28 opens JSON in `js-mode`, Emacs 29 and later in `js-json-mode`.
    emacs(&JSON, &["js-mode", "js-json-mode"]);
}

#[test]
fn emacs_eglot_python() {
    emacs(&PYTHON, &["python-mode"]);
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

/// The screens `hx_tmux_test.sh` printed, by the title of their `== ` line.
fn screens(stdout: &str) -> Vec<(&str, Vec<&str>)> {
    let mut screens: Vec<(&str, Vec<&str>)> = Vec::new();
    for line in stdout.lines() {
        match (line.strip_prefix("== "), screens.last_mut()) {
            (Some(title), _) => screens.push((title, Vec::new())),
            (None, Some((_, lines))) => lines.push(line),
            (None, None) => {}
        }
    }
    screens
}

/// The messages of the diagnostics picker's rows, all of them errors coded O101.
fn picker_rows(screen: &[&str]) -> Vec<String> {
    screen
        .iter()
        .filter_map(|line| line.split_once("ERROR    O101 "))
        .map(|(_, rest)| {
            rest.split('│')
                .next()
                .unwrap_or_default()
                .trim_end()
                .to_owned()
        })
        .collect()
}

/// The diagnostic Helix shows for the cursor's line, in the top right corner of the screen,
/// wrapped and right-aligned: the ends of the rows that reach the right edge (other than the
/// status line, in normal mode), joined.
fn cursor_diagnostic(screen: &[&str]) -> String {
    let parts: Vec<&str> = screen
        .iter()
        .map(|line| line.trim_end())
        .filter(|line| chars(line) > 300 && !line.starts_with(" NOR "))
        .map(|line| line.rsplit("   ").next().unwrap_or_default().trim())
        .collect();
    parts.join(" ")
}

/// The code-action menu's entries: the rows from the first entry down, from its column.
fn menu(screen: &[&str], first: &str) -> Vec<String> {
    let Some((row, column)) = screen
        .iter()
        .enumerate()
        .find_map(|(row, line)| Some((row, line.find(first)?)))
    else {
        return Vec::new();
    };
    screen[row..]
        .iter()
        .map(|line| line.get(column..).unwrap_or_default().trim())
        .take_while(|entry| !entry.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Helix in tmux with the shipped `languages.toml`, read off the screen: the diagnostics
/// picker, the diagnostic shown for the cursor's line, the code-action menu there; then the
/// file as saved after choosing the quick fix, and the picker after that.
fn helix(case: &Case) {
    let hx = clients().join("helix/hx");
    if on_path("tmux").is_none() {
        return;
    }
    if !installed("Helix 25.01", &[&hx]) {
        return;
    }
    let (dir, file, text) = case.fixture();
    let config = helix_config();
    let output = Command::new("bash")
        .arg(root().join("tests/editors/hx_tmux_test.sh"))
        .arg(&file)
        .arg((case.stop.0 + 1).to_string())
        .current_dir(dir.path())
        .env("HX", &hx)
        .env("PATH", path_with_binary())
        .env("XDG_CONFIG_HOME", config.path())
        .env("HOME", dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "Helix:\n{stdout}");
    let screens = screens(&stdout);
    let titles: Vec<&str> = screens.iter().map(|(title, _)| *title).collect();
    assert_eq!(
        titles,
        ["picker", "cursor", "actions", "picker after the fix", "log"]
    );
    let screen = |i: usize| screens[i].1.as_slice();
    // Both findings, with their codes, in file order.
    assert_eq!(
        picker_rows(screen(0)),
        [N_MESSAGE, STOP_MESSAGE],
        "{stdout}"
    );
    assert_eq!(
        cursor_diagnostic(screen(1)),
        format!("{STOP_MESSAGE} (O101)"),
        "{stdout}"
    );
    assert_eq!(menu(screen(2), case.actions[0]), case.actions, "{stdout}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), case.fixed(&text));
    assert_eq!(picker_rows(screen(3)), [N_MESSAGE], "{stdout}");
}

#[test]
fn helix_json() {
    helix(&JSON);
}

#[test]
fn helix_python() {
    helix(&PYTHON);
}

/// The language servers `hx --health LANGUAGE` lists, one line each, without colours.
/// (`hx --health` always exits 0: its report is what says a server is found.)
fn health(hx: &Path, config: &Path, language: &str) -> Vec<String> {
    let health = Command::new(hx)
        .args(["--health", language])
        .env("PATH", path_with_binary())
        .env("XDG_CONFIG_HOME", config)
        .output()
        .unwrap();
    let mut plain = String::new();
    let mut in_escape = false;
    for c in String::from_utf8_lossy(&health.stdout).chars() {
        match c {
            '\u{1b}' => in_escape = true,
            'm' if in_escape => in_escape = false,
            _ if in_escape => {}
            _ => plain.push(c),
        }
    }
    plain
        .lines()
        .skip_while(|line| *line != "Configured language servers:")
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .map(|line| line.trim().to_owned())
        .collect()
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
    let defaults = tempfile::tempdir().unwrap();
    let binary = env!("CARGO_BIN_EXE_claude-preflight");
    let languages = [
        "json",
        "jsonc",
        "yaml",
        "python",
        "typescript",
        "tsx",
        "javascript",
        "jsx",
        "bash",
        "markdown",
    ];
    for language in languages {
        // Helix's own servers for the language, in its order, then claude-preflight, found.
        let mut expected = health(&hx, defaults.path(), language);
        assert!(!expected.is_empty(), "{language}");
        expected.push(format!("✓ claude-preflight: {binary}"));
        assert_eq!(health(&hx, config.path(), language), expected, "{language}");
    }
}
