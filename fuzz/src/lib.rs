//! What the fuzz targets share: how an input picks its file kind, the checks every analysis
//! must pass, and the comparison of a parsed tree with serde_json's reading of the same text.

use claude_preflight::analyze::Analysis;
use claude_preflight::settings::Settings;
use claude_preflight::syntax::tree::{Node, Value};
use claude_preflight::{FileKind, TextRange};

/// The file kinds an input can be analysed as, each with the byte that selects it (the
/// input's first byte; `fuzz/seed.sh` writes the same letters) and a path with its extension,
/// since discovery takes hints from the path.
pub const KINDS: [(u8, FileKind, &str); 10] = [
    (b'j', FileKind::Json, "fuzz.json"),
    (b'l', FileKind::JsonLines, "fuzz.jsonl"),
    (b'y', FileKind::Yaml, "fuzz.yaml"),
    (b'p', FileKind::Python, "fuzz.py"),
    (b'a', FileKind::JavaScript, "fuzz.js"),
    (b't', FileKind::TypeScript, "fuzz.ts"),
    (b'x', FileKind::Tsx, "fuzz.tsx"),
    (b's', FileKind::Shell, "fuzz.sh"),
    (b'm', FileKind::Markdown, "fuzz.md"),
    (b'n', FileKind::Notebook, "fuzz.ipynb"),
];

/// Splits an input into the kind its first byte selects (any byte selects one) and the file.
pub fn split_kind(data: &[u8]) -> Option<(FileKind, &'static str, &[u8])> {
    let (&first, file) = data.split_first()?;
    let (_, kind, path) = KINDS
        .iter()
        .find(|(letter, ..)| *letter == first)
        .unwrap_or(&KINDS[usize::from(first) % KINDS.len()]);
    Some((*kind, path, file))
}

/// The settings every target analyses with: defaults, with the date pinned so that a crash
/// found today reproduces tomorrow.
pub fn settings() -> Settings {
    Settings::new(jiff::civil::date(2026, 12, 3))
}

/// Panics unless `range` lies inside `text` and starts and ends on character boundaries:
/// every front end slices the text with it.
pub fn assert_range_in(text: &str, range: TextRange, what: &str) {
    let (start, end) = (range.start as usize, range.end as usize);
    assert!(
        start <= end && end <= text.len(),
        "{what}: range {range:?} outside a text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what}: range {range:?} splits a character"
    );
}

/// Checks every range an analysis hands out: diagnostics, their fixes' edits (which must also
/// be sorted and apart, as `apply_edits` requires), discovery notes and secrets.
pub fn assert_ranges(text: &str, analysis: &Analysis) {
    for diagnostic in &analysis.diagnostics {
        let code = diagnostic.rule.code;
        assert_range_in(text, diagnostic.range, code);
        if let Some(fix) = &diagnostic.fix {
            for edit in &fix.edits {
                assert_range_in(text, edit.range, code);
            }
            for pair in fix.edits.windows(2) {
                assert!(
                    pair[0].range.end <= pair[1].range.start,
                    "{code}: fix edits {:?} and {:?} overlap or are out of order",
                    pair[0].range,
                    pair[1].range
                );
            }
        }
    }
    for (range, _) in &analysis.discovery {
        assert_range_in(text, *range, "discovery");
    }
    for range in analysis.redactor.ranges() {
        assert_range_in(text, *range, "secret");
    }
}

/// Checks that every node of a tree lies inside `text` on character boundaries and inside its
/// parent.
pub fn assert_tree_ranges(text: &str, node: &Node) {
    assert_range_in(text, node.range, "node");
    let children: Vec<&Node> = match &node.value {
        Value::Object(members) => members
            .iter()
            .inspect(|m| {
                assert_range_in(text, m.key_range, "key");
                assert!(
                    node.range.contains_range(m.range()),
                    "member outside object"
                );
            })
            .map(|m| &m.value)
            .collect(),
        Value::Array(items) => items.iter().collect(),
        _ => Vec::new(),
    };
    for child in children {
        assert!(
            node.range.contains_range(child.range),
            "child {:?} outside parent {:?}",
            child.range,
            node.range
        );
        assert_tree_ranges(text, child);
    }
}

/// Why a tree and serde_json's value differ, or `None` when they hold the same data. Objects
/// compare as serde_json reads them: the last of duplicate keys wins.
pub fn difference(node: &Node, json: &serde_json::Value) -> Option<String> {
    use serde_json::Value as J;
    match (&node.value, json) {
        (Value::Null, J::Null) => None,
        (Value::Bool(a), J::Bool(b)) if a == b => None,
        (Value::String(a), J::String(b)) if a == b => None,
        (Value::Number(a), J::Number(b)) if same_number(a, b) => None,
        (Value::Array(items), J::Array(values)) => {
            if items.len() != values.len() {
                return Some(sizes(node, "items", items.len(), values.len()));
            }
            items.iter().zip(values).find_map(|(i, v)| difference(i, v))
        }
        (Value::Object(members), J::Object(map)) => {
            let mut keys: Vec<&str> = members.iter().map(|m| m.key.as_str()).collect();
            keys.sort_unstable();
            keys.dedup();
            if keys.len() != map.len() {
                return Some(sizes(node, "distinct keys", keys.len(), map.len()));
            }
            keys.into_iter().find_map(|key| {
                let last = members.iter().rev().find(|m| m.key == key)?;
                match map.get(key) {
                    Some(value) => difference(&last.value, value),
                    None => Some(format!("key {key:?} missing from serde_json's object")),
                }
            })
        }
        (ours, theirs) => Some(format!(
            "value at {:?}: ours {ours:?}, serde_json {theirs}",
            node.range
        )),
    }
}

/// Says that a container holds `ours` of `what` where serde_json's holds `theirs`.
fn sizes(node: &Node, what: &str, ours: usize, theirs: usize) -> String {
    format!("{:?}: {ours} {what}, serde_json {theirs}", node.range)
}

/// Numbers agree when serde_json's typed reading does or, for floats, their values do.
fn same_number(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    a == b || a.as_f64().is_some_and(|x| b.as_f64() == Some(x))
}
