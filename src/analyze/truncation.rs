//! Half-typed files: every rule fixture (`tests/fixtures/*/bad-*` in JSON, JSONC, JSON Lines
//! and YAML) cut off every N bytes must keep each finding its intact part allows.
//!
//! "What the intact part allows" is measured, not guessed: the *clean truncation* of a cut is
//! the same file with everything from the cut on removed and the containers still open closed
//! properly (JSON), or with the cut line dropped (YAML). A finding (code and range) that both
//! the whole file and its clean truncation report does not depend on anything past the cut, so
//! the cut file must report it too, beside a syntax error.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::analyze::analyze;
use crate::extract::files::{self, FileKind};
use crate::settings::Settings;
use crate::syntax::{Node, TextRange, Value, json};

/// About this many cuts per fixture, and never closer together than [`MIN_STEP`] bytes.
const CUTS: usize = 48;
const MIN_STEP: usize = 5;

fn settings() -> Settings {
    Settings::new(jiff::civil::date(2026, 12, 3))
}

/// Findings other than syntax errors, as (code, range).
fn findings(text: &str, kind: FileKind) -> BTreeSet<(&'static str, TextRange)> {
    let analysis = analyze(text, kind, "fixture", &settings());
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.rule.code != "S001")
        .map(|d| (d.rule.code, d.range))
        .collect()
}

fn syntax_errors(text: &str, kind: FileKind) -> usize {
    analyze(text, kind, "fixture", &settings())
        .diagnostics
        .iter()
        .filter(|d| d.rule.code == "S001")
        .count()
}

/// The clean truncation of a valid JSON value `root` (parsed from `text`) at byte `cut`: the
/// text up to the last value completed before the cut in the innermost container the cut is
/// in, then that container's and every outer container's closing bracket.
fn clean_json(text: &str, root: &Node, cut: usize) -> Option<String> {
    let inside = |node: &Node| {
        node.range.start < cut as u32
            && cut as u32 <= node.range.end.saturating_sub(1)
            && matches!(node.value, Value::Object(_) | Value::Array(_))
    };
    if !inside(root) {
        return None;
    }
    let mut closers = Vec::new();
    let mut node = root;
    loop {
        let (children, close): (Vec<&Node>, char) = match &node.value {
            Value::Object(members) => (members.iter().map(|m| &m.value).collect(), '}'),
            Value::Array(items) => (items.iter().collect(), ']'),
            _ => unreachable!("only containers are entered"),
        };
        closers.push(close);
        if let Some(child) = children.iter().find(|c| inside(c)) {
            node = child;
            continue;
        }
        let kept = children
            .iter()
            .map(|c| c.range.end)
            .filter(|&end| end <= cut as u32)
            .max()
            .unwrap_or(node.range.start + 1);
        let mut clean = text[..kept as usize].to_owned();
        clean.extend(closers.iter().rev());
        return Some(clean);
    }
}

/// The clean truncation of `text` (a whole file of `kind`) at `cut`, when there is one.
fn clean(text: &str, kind: FileKind, cut: usize) -> Option<String> {
    match kind {
        FileKind::Json => clean_json(text, &json::parse(text, 0).root?, cut),
        FileKind::JsonLines => {
            let line_start = text[..cut].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[cut..].find('\n').map_or(text.len(), |i| cut + i);
            let line = &text[line_start..line_end];
            let root = json::parse(line, 0).root?;
            let rest = clean_json(line, &root, cut - line_start)
                .unwrap_or_else(|| line[..cut - line_start].trim_end().to_owned());
            Some(format!("{}{rest}", &text[..line_start]))
        }
        _ => Some(text[..text[..cut].rfind('\n').map_or(0, |i| i + 1)].to_owned()),
    }
}

fn fixtures() -> Vec<(PathBuf, FileKind)> {
    let mut found = Vec::new();
    for dir in std::fs::read_dir("tests/fixtures").unwrap() {
        for file in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let kind = FileKind::from_path(&path);
            if name.starts_with("bad-")
                && let Some(kind @ (FileKind::Json | FileKind::JsonLines | FileKind::Yaml)) = kind
            {
                found.push((path, kind));
            }
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

/// The ranges the cut at `cut` leaves intact in a document whose whole tree is `root`: each
/// member or element that ends before the cut, in every container the cut is inside, and the
/// root's first byte (where findings about a missing field are reported).
fn intact(root: &Node, cut: u32) -> Vec<TextRange> {
    let mut ranges = vec![root.range.head(1)];
    let mut open = Some(root);
    while let Some(node) = open.take() {
        let children: Vec<(TextRange, &Node)> = match &node.value {
            Value::Object(members) => members
                .iter()
                .map(|m| {
                    (
                        TextRange::new(m.key_range.start as usize, m.value.range.end as usize),
                        &m.value,
                    )
                })
                .collect(),
            Value::Array(items) => items.iter().map(|item| (item.range, item)).collect(),
            _ => Vec::new(),
        };
        for (range, child) in children {
            if range.end < cut {
                // Strictly before: digits touching the cut may be the first of several.
                ranges.push(range);
            } else if child.range.start < cut {
                open = Some(child);
            }
        }
    }
    ranges
}

/// Checks every cut of one fixture; returns how many were checked and the failures.
fn check_fixture(path: &Path, kind: FileKind) -> (usize, Vec<String>) {
    let text = std::fs::read_to_string(path).unwrap();
    if syntax_errors(&text, kind) > 0 {
        // The syntax-error fixtures: their clean truncation is not defined.
        return (0, Vec::new());
    }
    let whole = findings(&text, kind);
    let documents = files::parse(&text, kind);
    let step = (text.len() / CUTS).max(MIN_STEP);
    let mut failures = Vec::new();
    let mut checked = 0;
    for cut in (1..text.len()).step_by(step) {
        if !text.is_char_boundary(cut) {
            continue;
        }
        let Some(clean) = clean(&text, kind, cut) else {
            continue;
        };
        if syntax_errors(&clean, kind) > 0 {
            continue;
        }
        let mut kept_ranges = Vec::new();
        for document in &documents {
            match &document.root {
                _ if document.range.end as usize <= cut => kept_ranges.push(document.range),
                Some(root) if (document.range.start as usize) < cut => {
                    kept_ranges.extend(intact(root, cut as u32));
                }
                _ => {}
            }
        }
        checked += 1;
        let cut_findings = findings(&text[..cut], kind);
        for (code, range) in findings(&clean, kind).intersection(&whole) {
            let before_the_cut = kept_ranges.iter().any(|r| r.contains_range(*range));
            if before_the_cut && !cut_findings.contains(&(code, *range)) {
                failures.push(format!(
                    "{}: cut at byte {cut} lost {code} at {range:?}",
                    path.display()
                ));
            }
        }
    }
    (checked, failures)
}

#[test]
fn findings_before_a_cut_survive_it() {
    let fixtures = fixtures();
    assert!(fixtures.len() > 100, "found {} fixtures", fixtures.len());
    let mut checked = 0;
    let mut failures = Vec::new();
    for (path, kind) in &fixtures {
        let (cuts, mut lost) = check_fixture(path, *kind);
        checked += cuts;
        failures.append(&mut lost);
    }
    assert!(checked > 3000, "only {checked} cuts checked");
    assert!(
        failures.is_empty(),
        "{} of {checked} cuts lost findings:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_cut_request_is_one_syntax_error_and_keeps_its_findings() {
    // From its `messages` key on, every cut is a request with exactly one syntax error, at or
    // before the cut, and OpenAI's `n` and `stop` are reported as soon as their keys are written.
    let text = r#"{"model": "claude-opus-5", "messages": [{"role": "user", "content": "Hello"}], "max_tokens": 1024, "n": 1, "stop": "END"}"#;
    let from = text.find("\"messages\"").unwrap() + "\"messages\"".len();
    for cut in from..text.len() - 1 {
        let analysis = analyze(&text[..cut], FileKind::Json, "f.json", &settings());
        assert_eq!(analysis.payloads, 1, "cut at {cut}");
        let errors: Vec<_> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.rule.code == "S001")
            .collect();
        assert_eq!(errors.len(), 1, "cut at {cut}: {errors:?}");
        assert!(
            errors[0].range.end as usize <= cut,
            "cut at {cut}: {errors:?}"
        );
        let openai: Vec<_> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.rule.code == "O101")
            .map(|d| &text[d.range.to_range()])
            .collect();
        let expected: Vec<&str> = ["\"n\"", "\"stop\""]
            .into_iter()
            .filter(|key| cut >= text.find(key).unwrap() + key.len())
            .collect();
        assert_eq!(openai, expected, "cut at {cut}");
    }
}

#[test]
fn a_yaml_value_being_typed_at_the_end_is_not_judged() {
    // The cursor is at the end of the text, inside the last plain value: every prefix of it
    // may be cut, so none is reported; the same prefix followed by a line break is written
    // out, and is.
    let head = "model: claude-opus-5\nmax_tokens: 1024\nmessages:\n  - content: Hi\n    role: ";
    let value = "user";
    for cut in 1..value.len() {
        let typing = format!("{head}{}", &value[..cut]);
        let analysis = analyze(&typing, FileKind::Yaml, "f.yaml", &settings());
        assert_eq!(analysis.payloads, 1, "{typing:?}");
        assert_eq!(analysis.diagnostics, [], "{typing:?}");
        let written = format!("{typing}\n");
        let found: Vec<(&str, TextRange)> =
            analyze(&written, FileKind::Yaml, "f.yaml", &settings())
                .diagnostics
                .iter()
                .map(|d| (d.rule.code, d.range))
                .collect();
        assert_eq!(
            found,
            [("M101", TextRange::new(head.len(), head.len() + cut))],
            "{written:?}"
        );
    }
}
