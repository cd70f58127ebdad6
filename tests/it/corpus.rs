//! The corpus of valid SDK usage (`tests/corpus/valid/`: Python, TypeScript, JavaScript,
//! shell, Markdown, notebooks, in the shapes of the official SDK examples and cookbooks) gives
//! no error or warning, and every file in it is found to send at least one request; each
//! seeded mistake (`tests/corpus/seeded/`) gives exactly the findings `expected.toml` lists.
//!
//! The corpus of shapes (`tests/corpus/shapes/`: prompt stores, recorded traffic, configurations
//! naming Claude models, code one step further, half-typed files, the precision cases and
//! unrelated files, as projects keep them) is checked through the binary: every planted mistake
//! is reported at its line with its code, and nothing else is (`shapes/expected.toml`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use claude_preflight::FileKind;
use claude_preflight::analyze::{Analysis, analyze};
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

/// What `tests/corpus/shapes/expected.toml` says of the files beside it.
#[derive(serde::Deserialize)]
struct Expected {
    /// Files that hold no request and give no finding of any severity.
    silent: BTreeSet<String>,
    /// For each file with planted mistakes, every error and warning as "LINE CODE".
    seeded: BTreeMap<String, Vec<String>>,
}

/// "LINE CODE" in line order.
fn by_line(at: &str) -> (u32, &str) {
    let (line, code) = at.split_once(' ').unwrap();
    (line.parse().unwrap(), code)
}

/// `check --format json` over the whole corpus of shapes, run as a user runs it (from the
/// corpus, so its `claude-preflight.toml` is found): each file's findings as
/// (severity, "LINE CODE").
fn shape_findings(root: &Path) -> BTreeMap<String, Vec<(String, String)>> {
    let out = Command::new(env!("CARGO_BIN_EXE_claude-preflight"))
        .current_dir(root)
        .args(["check", ".", "--format", "json", "--today", "2026-12-03"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut found: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for d in report["diagnostics"].as_array().unwrap() {
        let path = d["path"].as_str().unwrap().trim_start_matches("./");
        let line = d["range"]["start"]["line"].as_u64().unwrap();
        found.entry(path.to_owned()).or_default().push((
            d["severity"].as_str().unwrap().to_owned(),
            format!("{line} {}", d["code"].as_str().unwrap()),
        ));
    }
    found
}

#[test]
fn shapes_give_their_planted_findings_and_nothing_else() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/shapes");
    let expected: Expected =
        toml::from_str(&std::fs::read_to_string(root.join("expected.toml")).unwrap()).unwrap();
    let files: Vec<String> = files(&root)
        .iter()
        .map(|p| p.strip_prefix(&root).unwrap().to_str().unwrap().to_owned())
        .collect();
    assert!(files.len() >= 80, "the corpus has {} files", files.len());
    for listed in expected.silent.iter().chain(expected.seeded.keys()) {
        assert!(
            files.contains(listed),
            "{listed} is listed but not in the corpus"
        );
    }
    let found = shape_findings(&root);
    for name in &files {
        let findings = found.get(name).map(Vec::as_slice).unwrap_or_default();
        let mut serious: Vec<&str> = findings
            .iter()
            .filter(|(severity, _)| severity == "error" || severity == "warning")
            .map(|(_, at)| at.as_str())
            .collect();
        let mut planted: Vec<&str> = expected
            .seeded
            .get(name)
            .map_or(Vec::new(), |v| v.iter().map(String::as_str).collect());
        serious.sort_by_key(|at| by_line(at));
        planted.sort_by_key(|at| by_line(at));
        assert_eq!(serious, planted, "{name}: errors and warnings");
        let payloads = check(&root.join(name)).payloads;
        if expected.silent.contains(name) {
            assert_eq!(
                (payloads, findings),
                (0, &[][..]),
                "{name} is not a request"
            );
        } else {
            assert!(payloads > 0, "{name}: no request found in it");
        }
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
        // As every source kind, and as its own (a cut JSON or YAML file is a half-typed one).
        let own = FileKind::from_path(&path).unwrap();
        for cut in cuts {
            for kind in kinds.into_iter().chain([own]) {
                analyze(&text[..cut], kind, "cut", &settings);
            }
        }
    }
}
