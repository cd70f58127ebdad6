//! From an error's pydantic-style path to the range in the source that it names.
//!
//! Paths refer to the body as sent: `messages.3.content.0.tool_use.id` indexes arrays by
//! number and names a union member by its tag (`tool_use`, `custom`, `ephemeral`, `enabled`,
//! `base64`), which is no key of the body. For Python keyword arguments the root is the call's
//! arguments; for a Message Batches body `requests.N.params....`, and in a JSON Lines batch file
//! `requests.N` is the N-th request line.

use crate::extract::files::{Document, FileKind};
use crate::extract::{self, Hints};
use crate::settings::Settings;
use crate::syntax::{LineIndex, Node, TextRange, Value};

/// Where a path lands in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resolved {
    /// The range the path names: a member's value, or its key for an unknown key ("Extra
    /// inputs are not permitted"), or, for a missing member, the object it is missing from.
    pub range: TextRange,
    /// The whole member or element the path names (key and value), to match findings in.
    pub scope: TextRange,
    /// The segments that were not found (empty when the whole path is in the source).
    pub missing: Vec<String>,
    /// The request the path was resolved in: the document's range.
    pub document: TextRange,
}

impl Resolved {
    /// True when every segment of the path is written in the source.
    pub(crate) fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }
}

/// Resolves `path` in the documents of a file. `line` (1-based) picks the request written on
/// or nearest that line; without it, every request is a candidate, those where most of the path
/// exists first (in file order on a tie). `key_only` asks for the key's range of a member (the
/// member itself is wrong).
pub(crate) fn resolve(
    text: &str,
    documents: &[Document],
    kind: FileKind,
    path: &str,
    line: Option<usize>,
    key_only: bool,
    settings: &Settings,
) -> Vec<Resolved> {
    let segments: Vec<&str> = path.split('.').collect();
    // A JSON Lines batch file: `requests.N` is its N-th request line.
    if kind == FileKind::JsonLines
        && let ["requests", index, rest @ ..] = segments.as_slice()
        && let Ok(index) = index.parse::<usize>()
    {
        let lines = extract::batch_lines(text, documents);
        let found = lines.get(index).and_then(|line| {
            let document = documents
                .iter()
                .find(|d| d.root.as_ref().is_some_and(|r| std::ptr::eq(r, line.root)))?;
            Some(walk(line.root, rest, key_only, document.range))
        });
        return found.into_iter().collect();
    }
    let candidates: Vec<(&Document, &Node)> = documents
        .iter()
        .filter_map(|d| Some((d, d.root.as_ref()?)))
        .collect();
    if let Some(line) = line {
        let index = LineIndex::new(text);
        let wanted = line.saturating_sub(1);
        let distance = |d: &Document| {
            let (first, last) = (
                index.line_of(d.range.start as usize),
                index.line_of(d.range.end as usize),
            );
            if wanted < first {
                first - wanted
            } else {
                wanted.saturating_sub(last)
            }
        };
        return candidates
            .into_iter()
            .min_by_key(|(d, _)| distance(d))
            .map(|(document, root)| walk(root, &segments, key_only, document.range))
            .into_iter()
            .collect();
    }
    let mut hints = Hints::from_path("");
    hints.declared = settings.declared_kind;
    let is_request = |(d, root): &(&Document, &Node)| {
        let found = match &d.call {
            Some(call) => extract::discover_call(root, call, d.body_bytes, &settings.facts),
            None => extract::discover(root, d.body_bytes, &hints, &settings.facts),
        };
        !found.payloads.is_empty()
    };
    let requests: Vec<_> = candidates.iter().copied().filter(is_request).collect();
    let pool = if requests.is_empty() {
        candidates
    } else {
        requests
    };
    let mut found: Vec<Resolved> = pool
        .into_iter()
        .map(|(document, root)| walk(root, &segments, key_only, document.range))
        .collect();
    found.sort_by_key(|r| r.missing.len());
    found
}

/// True when `segment` can be the tag of an object whose `type` is `tag` but is not written
/// as that literal: `custom` for a tool without `type`, any name when `type` is computed at run
/// time.
fn untyped_tag(tag: Option<&Node>, segment: &str) -> bool {
    match tag {
        None => segment == "custom",
        Some(tag) => tag.is_unknown() && segment.parse::<usize>().is_err(),
    }
}

/// Walks `segments` down from `root`.
fn walk(root: &Node, segments: &[&str], key_only: bool, document: TextRange) -> Resolved {
    let mut node = root;
    let mut scope = root.range;
    let mut key = None;
    let mut i = 0;
    while let Some(&segment) = segments.get(i) {
        match &node.value {
            Value::Object(_) => {
                let tag = node.get("type");
                let is_tag = tag.and_then(Node::as_str) == Some(segment);
                let member = node.member(segment).filter(|m| !m.is_spread());
                if let (false, Some(member)) = (is_tag, member) {
                    scope = member.range();
                    key = Some(member.key_range);
                    node = &member.value;
                } else if is_tag || (i + 1 < segments.len() && untyped_tag(tag, segment)) {
                    // A union member's tag, e.g. `tool_use` in `content.0.tool_use.id`, or
                    // `custom` for a tool written without `type`.
                } else {
                    break;
                }
            }
            Value::Array(items) => {
                let Some(item) = segment.parse::<usize>().ok().and_then(|i| items.get(i)) else {
                    break;
                };
                scope = item.range;
                key = None;
                node = item;
            }
            _ => break,
        }
        i += 1;
    }
    let missing: Vec<String> = segments[i..].iter().map(|s| (*s).to_owned()).collect();
    let range = match key {
        Some(key) if key_only && missing.is_empty() => key,
        _ => node.range,
    };
    if !missing.is_empty() {
        scope = node.range;
    }
    Resolved {
        range,
        scope,
        missing,
        document,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::files;

    fn at(text: &str, kind: FileKind, path: &str, key_only: bool) -> (String, Vec<String>) {
        let documents = files::parse(text, kind);
        let settings = Settings::new(jiff::civil::date(2026, 12, 3));
        let r = resolve(text, &documents, kind, path, None, key_only, &settings).remove(0);
        (text[r.range.to_range()].to_owned(), r.missing)
    }

    #[test]
    fn tags_are_skipped_and_missing_members_land_on_their_object() {
        let text = r#"{"model": "claude-opus-5", "max_tokens": 5, "tools": [{"name": "a b"}],
 "messages": [{"role": "assistant", "content": [{"type": "tool_use", "id": "x.y", "name": "a", "input": {}}]}]}"#;
        let json = FileKind::Json;
        assert_eq!(
            at(text, json, "messages.0.content.0.tool_use.id", false).0,
            r#""x.y""#
        );
        assert_eq!(at(text, json, "tools.0.custom.name", false).0, r#""a b""#);
        let (range, missing) = at(text, json, "tools.0.custom.input_schema", false);
        assert_eq!(
            (range.as_str(), missing),
            (r#"{"name": "a b"}"#, vec!["input_schema".to_owned()])
        );
        assert_eq!(at(text, json, "max_tokens", true).0, r#""max_tokens""#);
        assert_eq!(
            at(text, json, "messages.0.content.0.tool_use", false).0,
            r#"{"type": "tool_use", "id": "x.y", "name": "a", "input": {}}"#
        );
    }
}
