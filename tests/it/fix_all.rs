//! Property over every fixture: fixing is idempotent and leaves a file that parses.
//!
//! For each fixture, all fixes (safe and unsafe) are applied, run after run, until none is
//! left (a run fixes only the findings it showed). Then fixing again changes nothing, no finding with a fix remains, and a file that parsed before still
//! parses (a fix never breaks the host syntax).

use std::path::Path;

use claude_preflight::FileKind;
use claude_preflight::analyze::{analyze, fix_until_stable};
use claude_preflight::fix::Applicability;
use claude_preflight::settings::Settings;

/// True when a source file parses in its own language without error nodes (request files are
/// checked through their syntax findings instead).
fn host_parses(kind: FileKind, text: &str) -> bool {
    let language: tree_sitter::Language = match kind {
        FileKind::Python => tree_sitter_python::LANGUAGE.into(),
        FileKind::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
        FileKind::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        FileKind::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
        FileKind::Shell => tree_sitter_bash::LANGUAGE.into(),
        FileKind::Notebook => return notebook_parses(text),
        _ => return true,
    };
    let mut parser = tree_sitter::Parser::new();
    parser.set_language(&language).unwrap();
    !parser.parse(text, None).unwrap().root_node().has_error()
}

/// A notebook is valid JSON and its code cells, joined, parse as Python (magics aside).
fn notebook_parses(text: &str) -> bool {
    let Ok(notebook) = serde_json::from_str::<serde_json::Value>(text) else {
        return false;
    };
    let mut code = String::new();
    for cell in notebook["cells"].as_array().into_iter().flatten() {
        if cell["cell_type"] != "code" {
            continue;
        }
        for line in cell["source"].as_array().into_iter().flatten() {
            let line = line.as_str().unwrap_or_default();
            if !line.starts_with(['%', '!']) {
                code.push_str(line);
            }
        }
        code.push('\n');
    }
    host_parses(FileKind::Python, &code)
}

fn syntax_errors(analysis: &claude_preflight::analyze::Analysis) -> usize {
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.rule.family == "syntax" && d.rule.name != "duplicate-key")
        .count()
}

#[test]
fn fixing_twice_is_fixing_once() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let settings = Settings::new(jiff::civil::date(2026, 11, 25));
    let mut checked = 0;
    let mut fixed_files = 0;
    for dir in std::fs::read_dir(&root).unwrap() {
        for file in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            let Some(kind) = FileKind::from_path(&path) else {
                continue;
            };
            let name = path.display().to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            let fix = |text: &str| {
                fix_until_stable(
                    text.to_owned(),
                    analyze(text, kind, &name, &settings),
                    kind,
                    &name,
                    &settings,
                    Applicability::Unsafe,
                )
            };
            // A run fixes only what it showed: findings its fixes revealed wait for the next
            // run, so a chain takes one run per link.
            let (mut once, mut after, applied) = fix(&text);
            for _ in 0..4 {
                if !after.diagnostics.iter().any(|d| d.fix.is_some()) {
                    break;
                }
                (once, after, _) = fix(&once);
            }
            let (twice, _, again) = fix(&once);
            assert_eq!(
                again, 0,
                "{name}: a second fix round applied {again} more fixes"
            );
            assert_eq!(twice, once, "{name}: fixing twice differs from fixing once");
            let left: Vec<&str> = after
                .diagnostics
                .iter()
                .filter(|d| d.fix.is_some())
                .map(|d| d.rule.name)
                .collect();
            assert!(
                left.is_empty(),
                "{name}: fixable findings left after fixing: {left:?}"
            );
            if host_parses(kind, &text) {
                assert!(
                    host_parses(kind, &once),
                    "{name}: the fixes broke the host syntax:\n{once}"
                );
            }
            if syntax_errors(&analyze(&text, kind, &name, &settings)) == 0 {
                assert_eq!(
                    syntax_errors(&after),
                    0,
                    "{name}: the fixes broke the syntax:\n{once}"
                );
            }
            checked += 1;
            fixed_files += usize::from(applied > 0);
        }
    }
    assert!(
        checked > 40 && fixed_files > 10,
        "only {checked} fixtures, {fixed_files} fixed"
    );
}

fn settings() -> Settings {
    Settings::new(jiff::civil::date(2026, 11, 25))
}

/// `fix_until_stable` with unsafe fixes allowed: the fixed text and the codes left.
fn fix_all(text: &str, kind: FileKind, name: &str) -> (String, Vec<&'static str>) {
    let before = analyze(text, kind, name, &settings());
    let (fixed, after, _) = fix_until_stable(
        text.to_owned(),
        before,
        kind,
        name,
        &settings(),
        Applicability::Unsafe,
    );
    (
        fixed,
        after.diagnostics.iter().map(|d| d.rule.code).collect(),
    )
}

#[test]
fn a_rename_keeps_the_users_value() {
    let text = "{\n  \"model\": \"claude-opus-5\",\n  \"max_token\": 512,\n  \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]\n}\n";
    assert_eq!(
        fix_all(text, FileKind::Json, "req.json"),
        (text.replace("max_token\"", "max_tokens\""), vec![])
    );
}

#[test]
fn a_finding_revealed_by_a_fix_is_reported_not_fixed_in_the_same_run() {
    // Replacing the retired model makes the final assistant turn a prefill the new model
    // rejects: that finding was never shown, so the turn stays and the finding is reported.
    let text = "{\n  \"model\": \"claude-3-5-sonnet-latest\",\n  \"max_tokens\": 1024,\n  \"messages\": [\n    {\"role\": \"user\", \"content\": \"List three colours.\"},\n    {\"role\": \"assistant\", \"content\": \"[\"}\n  ]\n}\n";
    let (fixed, left) = fix_all(text, FileKind::Json, "req.json");
    assert_eq!(
        fixed,
        text.replace("claude-3-5-sonnet-latest", "claude-sonnet-4-6")
    );
    assert_eq!(left, ["F101"]);
    // Renaming `stop` exposes a whitespace-only stop sequence: reported, not removed.
    let text = "{\n  \"model\": \"claude-opus-5\",\n  \"max_tokens\": 1024,\n  \"stop\": [\"END\", \" \"],\n  \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]\n}\n";
    let (fixed, left) = fix_all(text, FileKind::Json, "req.json");
    assert_eq!(fixed, text.replace("\"stop\"", "\"stop_sequences\""));
    assert_eq!(left, ["N101"]);
}

#[test]
fn inserted_lines_keep_the_files_line_endings() {
    let cases = [
        (
            FileKind::Json,
            "req.json",
            "{\r\n  \"model\": \"claude-opus-5\",\r\n  \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]\r\n}\r\n",
        ),
        (
            FileKind::Yaml,
            "req.yaml",
            "model: claude-opus-5\r\nmessages:\r\n  - role: user\r\n    content: Hi\r\n",
        ),
        (
            FileKind::Python,
            "app.py",
            "import anthropic\r\nclient = anthropic.Anthropic()\r\nclient.messages.create(\r\n    model=\"claude-opus-5\",\r\n    messages=[{\"role\": \"user\", \"content\": \"Hi\"}],\r\n)\r\n",
        ),
    ];
    for (kind, name, text) in cases {
        let (fixed, left) = fix_all(text, kind, name);
        assert_ne!(fixed, text, "{name}: nothing was fixed");
        assert!(left.is_empty(), "{name}: {left:?}");
        assert_eq!(
            fixed.matches('\n').count(),
            fixed.matches("\r\n").count(),
            "{name}: a bare line feed in\n{fixed:?}"
        );
    }
}
