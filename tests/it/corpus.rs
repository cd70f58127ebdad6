//! The corpus of valid SDK usage (`tests/corpus/valid/`: Python, TypeScript, JavaScript,
//! shell, Markdown, notebooks, in the shapes of the official SDK examples and cookbooks) gives
//! no error or warning, and every file in it is found to send at least one request; each
//! seeded mistake (`tests/corpus/seeded/`) gives exactly the findings `expected.toml` lists.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use claude_preflight::analyze::{Analysis, analyze};
use claude_preflight::extract::files::FileKind;
use claude_preflight::rules::Severity;
use claude_preflight::settings::Settings;

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if FileKind::from_path(&path).is_some() {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn check(path: &Path) -> Analysis {
    let settings = Settings::new(jiff::civil::date(2026, 11, 25));
    let kind = FileKind::from_path(path).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    analyze(&text, kind, &path.display().to_string(), &settings)
}

/// The names of the error and warning findings.
fn serious(analysis: &Analysis) -> Vec<&'static str> {
    analysis
        .diagnostics
        .iter()
        .filter(|d| matches!(d.severity, Severity::Error | Severity::Warning))
        .map(|d| d.rule.name)
        .collect()
}

#[test]
fn valid_sdk_usage_gives_no_error_or_warning() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/valid");
    let files = files(&root);
    assert!(files.len() >= 60, "the corpus has {} files", files.len());
    let mut kinds = std::collections::HashSet::new();
    for path in &files {
        let analysis = check(path);
        let found = serious(&analysis);
        assert!(found.is_empty(), "{}: {found:?}", path.display());
        assert!(
            analysis.payloads > 0,
            "{}: no request found in it",
            path.display()
        );
        kinds.insert(format!("{:?}", FileKind::from_path(path).unwrap()));
    }
    assert_eq!(
        kinds.len(),
        8,
        "every source kind and a YAML prompt store are in the corpus: {kinds:?}"
    );
}

#[test]
fn seeded_mistakes_give_their_findings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/seeded");
    let expected: BTreeMap<String, Vec<String>> =
        toml::from_str(&std::fs::read_to_string(root.join("expected.toml")).unwrap()).unwrap();
    let files = files(&root);
    assert_eq!(files.len(), expected.len());
    for path in &files {
        let name = path.file_name().unwrap().to_str().unwrap();
        let found = serious(&check(path));
        assert_eq!(found, expected[name], "{name}");
    }
}

/// Half-typed and misnamed files never panic: every corpus file, cut short at many places, is
/// analysed as every source kind.
#[test]
fn cut_files_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let settings = Settings::new(jiff::civil::date(2026, 11, 25));
    let kinds = [
        FileKind::Python,
        FileKind::JavaScript,
        FileKind::TypeScript,
        FileKind::Tsx,
        FileKind::Shell,
        FileKind::Markdown,
        FileKind::Notebook,
    ];
    for path in files(&root) {
        let text = std::fs::read_to_string(&path).unwrap();
        let cuts = (0..text.len())
            .step_by(23)
            .filter(|&i| text.is_char_boundary(i));
        for cut in cuts {
            for kind in kinds {
                analyze(&text[..cut], kind, "cut", &settings);
            }
        }
    }
}
