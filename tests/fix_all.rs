//! Property over every fixture: fixing is idempotent and leaves a file that parses.
//!
//! For each fixture, all fixes (safe and unsafe) are applied until none is left. Then fixing
//! again changes nothing, no finding with a fix remains, and a file that parsed before still
//! parses (a fix never breaks the host syntax).

use std::path::Path;

use claude_preflight::analyze::{analyze, fix_until_stable};
use claude_preflight::extract::files::FileKind;
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
            let before = analyze(&text, kind, &name, &settings);
            let (once, after, applied) = fix_until_stable(
                text.clone(),
                before,
                kind,
                &name,
                &settings,
                Applicability::Unsafe,
            );
            let (twice, _, again) = fix_until_stable(
                once.clone(),
                analyze(&once, kind, &name, &settings),
                kind,
                &name,
                &settings,
                Applicability::Unsafe,
            );
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
