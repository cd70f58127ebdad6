//! Incremental re-parsing: an edit inside one JSON string patches the previous parse instead
//! of parsing the whole document again.
//!
//! Invariant: a patched parse is exactly what [`files::parse`] gives for the new text (same
//! tree, same ranges, same errors). A patch is made only when that is sure: the file is JSON
//! or JSON Lines and parsed without any syntax error, the edit lies strictly between one
//! string's quotes, and the string read again from the new text ends exactly where the old one
//! ended, shifted by the edit. Nothing else in the text changed, and the strict parser reads
//! JSON one token at a time, so every other token reads the same, shifted when it lies after
//! the edit. In every other case (an edit across tokens, a quote or a line break typed, a
//! file with errors, YAML or code) [`patch`] says no and the document is parsed again whole.

use crate::extract::files::{self, FileKind};
use crate::syntax::json;
use crate::syntax::{Node, TextRange, Value};

/// One edit: bytes `start..end` of the old text were replaced with `inserted` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Edit {
    /// Where the replaced bytes start.
    pub start: usize,
    /// Where they ended, in the old text.
    pub end: usize,
    /// How many bytes replaced them.
    pub inserted: usize,
}

impl Edit {
    /// A position of the old text after the edit: positions from the end of the replaced
    /// bytes on move with them (only those before or after the edit are ever asked).
    fn shift(self, offset: u32) -> u32 {
        if offset as usize >= self.end {
            (offset as usize + self.inserted - self.end + self.start) as u32
        } else {
            offset
        }
    }

    fn shift_range(self, range: TextRange) -> TextRange {
        TextRange {
            start: self.shift(range.start),
            end: self.shift(range.end),
        }
    }
}

/// Patches `documents`, the parse of a file of `kind` before `edit`, into the parse of `text`
/// (the text after it). Returns false, leaving `documents` in an unspecified state, when the
/// edit is not provably local: the caller must then parse `text` again.
pub(crate) fn patch(
    documents: &mut [files::Document],
    kind: FileKind,
    text: &str,
    edit: Edit,
) -> bool {
    if !matches!(kind, FileKind::Json | FileKind::JsonLines)
        || text.len() > u32::MAX as usize
        || documents.iter().any(|d| !d.strict_json())
    {
        return false;
    }
    let Some(edited) = documents
        .iter()
        .position(|d| d.range.start as usize <= edit.start && edit.end <= d.range.end as usize)
    else {
        return false;
    };
    let Some(root) = documents[edited].root.as_mut() else {
        return false;
    };
    if !restring(root, text, edit) {
        return false;
    }
    let grown = edit.inserted as i64 - (edit.end - edit.start) as i64;
    for document in &mut documents[edited..] {
        document.range = edit.shift_range(document.range);
        if let Some(root) = &mut document.root {
            shift_tree(root, edit);
        }
    }
    let document = &mut documents[edited];
    document.body_bytes = (document.body_bytes as i64 + grown) as u64;
    true
}

/// Reads again the string (value or key) that holds `edit` strictly between its quotes;
/// false when there is none or it no longer reads as one string of the same extent.
fn restring(root: &mut Node, text: &str, edit: Edit) -> bool {
    // Strictly inside: after the opening quote (or bracket), before the closing one.
    let inside =
        |range: TextRange| (range.start as usize) < edit.start && edit.end < range.end as usize;
    let mut node = root;
    loop {
        if !inside(node.range) {
            return false;
        }
        let child = match &mut node.value {
            Value::Object(members) => {
                let i = members.partition_point(|m| m.value.range.end as usize <= edit.start);
                let Some(member) = members.get_mut(i) else {
                    return false;
                };
                if inside(member.key_range) {
                    return match reread(text, member.key_range, edit) {
                        Some(key) => {
                            member.key = key;
                            true
                        }
                        None => false,
                    };
                }
                &mut member.value
            }
            Value::Array(items) => {
                let i = items.partition_point(|n| n.range.end as usize <= edit.start);
                let Some(item) = items.get_mut(i) else {
                    return false;
                };
                item
            }
            Value::String(value) => {
                return match reread(text, node.range, edit) {
                    Some(new) => {
                        *value = new;
                        true
                    }
                    None => false,
                };
            }
            _ => return false,
        };
        node = child;
    }
}

/// The string at `old` (its range before the edit), read from the new text; `None` unless it
/// ends exactly where the edit moved its end.
fn reread(text: &str, old: TextRange, edit: Edit) -> Option<String> {
    let (value, end) = json::string_at(text, old.start as usize)?;
    (end == edit.shift(old.end) as usize).then_some(value)
}

/// Moves every range of `root` that lies after the edit (or holds it) by its growth. Subtrees
/// wholly before it are not visited.
fn shift_tree(root: &mut Node, edit: Edit) {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if (node.range.end as usize) < edit.end {
            continue;
        }
        node.range = edit.shift_range(node.range);
        match &mut node.value {
            Value::Object(members) => {
                for member in members.iter_mut() {
                    member.key_range = edit.shift_range(member.key_range);
                    stack.push(&mut member.value);
                }
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use tower_lsp_server::ls_types::{Range, TextDocumentContentChangeEvent, Uri};

    use super::*;
    use crate::analyze::{Analysis, analyze};
    use crate::lsp::convert::{Converter, Encoding};
    use crate::lsp::documents::{Documents, Snapshot};
    use crate::settings::Settings;
    use crate::syntax::LineIndex;

    /// Plain text, so that most random edits land inside a string, as most typing does.
    const LONG: &str = "Preflight checks catch what the API would reject before a request is \
        sent, with exact ranges and the API's own words, and a fix for most of it.";

    /// A request with strings of every width, keys, nested blocks and a finding (`n`).
    fn request(turns: usize) -> String {
        let mut messages = Vec::new();
        for i in 0..turns {
            let role = if i % 2 == 0 { "user" } else { "assistant" };
            messages.push(format!(
                "    {{\"role\": \"{role}\", \"content\": [{{\"type\": \"text\", \"text\": \"caf\u{e9} {i} \u{1f600} na\\u00efve \\\"quoted\\\" {LONG}\"}}]}}"
            ));
        }
        format!(
            "{{\n  \"model\": \"claude-sonnet-4-6\",\n  \"max_tokens\": 1024,\n  \"messages\": [\n{}\n  ],\n  \"n\": 1\n}}\n",
            messages.join(",\n")
        )
    }

    /// The same requests as JSON Lines of a batch.
    fn batch(lines: usize) -> String {
        (0..lines)
            .map(|i| {
                format!(
                    "{{\"custom_id\": \"r{i}\", \"params\": {{\"model\": \"claude-sonnet-4-6\", \"max_tokens\": 64, \"messages\": [{{\"role\": \"user\", \"content\": \"h\u{e9}llo \u{1f600} {i} {LONG}\"}}], \"n\": 1}}}}\n"
                )
            })
            .collect()
    }

    /// A small deterministic generator (the test must not depend on a seed from outside).
    struct Random(u64);

    impl Random {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) as usize % n.max(1)
        }
    }

    /// What an edit types: mostly text (as inside a string), sometimes what breaks a string
    /// or the structure (quotes, backslashes, brackets, keys, line breaks).
    const TYPED: [&str; 7] = ["x", "ab", "\u{e9}", "\u{1f600}", " ", "", "\u{e9}\u{e9}"];
    const BREAKING: [&str; 8] = ["\"", "\\", "\\n", "{", "}", ",", "\"k\": 1, ", "\n"];

    fn assert_same(
        snapshot: &Snapshot,
        kind: FileKind,
        name: &str,
        settings: &Settings,
        step: usize,
    ) {
        let text: &str = &snapshot.text;
        let fresh = files::parse(text, kind);
        let kept = snapshot.documents();
        assert_eq!(kept.len(), fresh.len(), "step {step}");
        for (kept, fresh) in kept.iter().zip(&fresh) {
            assert_eq!(kept.range, fresh.range, "step {step}");
            assert_eq!(kept.root, fresh.root, "step {step}");
            assert_eq!(kept.errors, fresh.errors, "step {step}");
            assert_eq!(kept.body_bytes, fresh.body_bytes, "step {step}");
        }
        let full: Analysis = analyze(text, kind, name, settings);
        let analysis = &snapshot.analysis;
        assert_eq!(analysis.diagnostics, full.diagnostics, "step {step}");
        assert_eq!(analysis.discovery, full.discovery, "step {step}");
        assert_eq!(
            analysis.redactor.ranges(),
            full.redactor.ranges(),
            "step {step}"
        );
        assert_eq!(analysis.payloads, full.payloads, "step {step}");
        let index = LineIndex::new(text);
        assert_eq!(
            snapshot.index.line_count(),
            index.line_count(),
            "step {step}"
        );
        for line in 0..index.line_count() {
            assert_eq!(
                snapshot.index.line_start(line),
                index.line_start(line),
                "step {step}"
            );
        }
    }

    /// Random edits through the server's documents, each in UTF-16 positions as an editor
    /// sends them; after each, the analysis from the patched parse (or from a fresh one, when
    /// the edit was not local) equals a full analysis of the new text. Returns how many
    /// analyses started from a patched parse, and how many parsed again.
    fn random_edits(kind: FileKind, original: &str, steps: usize) -> (usize, usize) {
        let settings = Settings::new(jiff::civil::date(2026, 12, 3));
        random_edits_with(kind, original, steps, settings)
    }

    /// [`random_edits`] with `settings`.
    fn random_edits_with(
        kind: FileKind,
        original: &str,
        steps: usize,
        settings: Settings,
    ) -> (usize, usize) {
        let name = if kind == FileKind::Json {
            "req.json"
        } else {
            "batch.jsonl"
        };
        let uri: Uri = format!("file:///project/{name}").parse().unwrap();
        let settings = Arc::new(settings);
        let mut documents = Documents::default();
        let language = if kind == FileKind::Json {
            "json"
        } else {
            "jsonl"
        };
        documents.open(uri.clone(), language, 1, original.to_owned());
        let mut random = Random(11);
        let (mut patched, mut parsed) = (0, 0);
        for step in 0..steps {
            let document = documents.get_mut(&uri).unwrap();
            let source = document.source();
            if source.parsed.is_some() {
                patched += 1;
            } else {
                parsed += 1;
            }
            let snapshot = Snapshot::analyse(
                document.version,
                document.generation,
                source,
                document.kind,
                Path::new(name),
                Ok(Arc::clone(&settings)),
                document.tokens(),
            );
            assert_same(&snapshot, kind, name, &settings, step);
            let snapshot_errors: usize = snapshot.documents().iter().map(|d| d.errors.len()).sum();
            documents.store(&uri, &Arc::new(snapshot));
            // Start again from the valid text now and then, and often once it is broken;
            // else one or two edits (the second before the analysis of the first).
            let mut changes = Vec::new();
            let mut text = documents.get(&uri).unwrap().text().to_owned();
            let broken = snapshot_errors > 0;
            if random.below(if broken { 2 } else { 20 }) == 0 {
                changes.push(TextDocumentContentChangeEvent {
                    range: None,
                    range_length: None,
                    text: original.to_owned(),
                });
                text = original.to_owned();
            } else {
                for _ in 0..1 + random.below(3) / 2 {
                    let mut start = random.below(text.len() + 1);
                    while !text.is_char_boundary(start) {
                        start -= 1;
                    }
                    let mut end = (start + random.below(4)).min(text.len());
                    while !text.is_char_boundary(end) {
                        end += 1;
                    }
                    let typed = if random.below(8) == 0 {
                        BREAKING[random.below(BREAKING.len())]
                    } else {
                        TYPED[random.below(TYPED.len())]
                    };
                    let index = LineIndex::new(&text);
                    let converter = Converter::new(&text, &index, Encoding::Utf16);
                    changes.push(TextDocumentContentChangeEvent {
                        range: Some(Range::new(
                            converter.position(start),
                            converter.position(end),
                        )),
                        range_length: None,
                        text: typed.to_owned(),
                    });
                    text.replace_range(start..end, typed);
                }
            }
            documents
                .change(&uri, step as i32 + 2, changes, Encoding::Utf16)
                .unwrap();
            assert_eq!(documents.get(&uri).unwrap().text(), text, "step {step}");
        }
        (patched, parsed)
    }

    #[test]
    fn random_edits_analyse_as_a_full_analysis_does() {
        let (patched, parsed) = random_edits(FileKind::Json, &request(6), 600);
        // Both paths are exercised: most edits type inside a string.
        assert!(patched > 200, "{patched} patched, {parsed} parsed");
        assert!(parsed > 100, "{patched} patched, {parsed} parsed");
    }

    #[test]
    fn random_edits_of_json_lines_analyse_as_a_full_analysis_does() {
        let (patched, parsed) = random_edits(FileKind::JsonLines, &batch(4), 600);
        assert!(patched > 200, "{patched} patched, {parsed} parsed");
        assert!(parsed > 100, "{patched} patched, {parsed} parsed");
    }

    /// Settings under which every request is near its window (a warning ratio of 0): each
    /// analysis counts the request's tokens through the document's cache, and the estimate's
    /// numbers are in the messages.
    fn counting_settings() -> Settings {
        let mut settings = Settings::new(jiff::civil::date(2026, 12, 3));
        settings.options.context_warning_ratio = 0.0;
        settings
    }

    /// A request with a long static prefix (thousands of words), so `uncached-prefix` bounds
    /// it through the cache as well.
    fn long_request(turns: usize) -> String {
        let long = LONG.repeat(40);
        request(turns).replace(LONG, &long)
    }

    #[test]
    fn random_edits_through_the_token_cache_analyse_as_a_full_analysis_does() {
        let text = long_request(8);
        let full = analyze(&text, FileKind::Json, "req.json", &counting_settings());
        let codes: Vec<&str> = full.diagnostics.iter().map(|d| d.rule.name).collect();
        // The analysis of every step counts tokens and bounds the prefix through the cache.
        assert!(codes.contains(&"context-window-near"), "{codes:?}");
        assert!(codes.contains(&"uncached-prefix"), "{codes:?}");
        let (patched, parsed) = random_edits_with(FileKind::Json, &text, 300, counting_settings());
        assert!(patched > 100, "{patched} patched, {parsed} parsed");
        assert!(parsed > 50, "{patched} patched, {parsed} parsed");
    }

    #[test]
    fn an_edit_recounts_only_the_text_it_changed_and_the_cache_stays_bounded() {
        let uri: Uri = "file:///project/req.json".parse().unwrap();
        let settings = Arc::new(counting_settings());
        let text = long_request(8);
        let mut documents = Documents::default();
        documents.open(uri.clone(), "json", 1, text.clone());
        let analyse = |documents: &mut Documents| {
            let document = documents.get_mut(&uri).unwrap();
            let snapshot = Arc::new(Snapshot::analyse(
                document.version,
                document.generation,
                document.source(),
                document.kind,
                Path::new("req.json"),
                Ok(Arc::clone(&settings)),
                document.tokens(),
            ));
            documents.store(&uri, &snapshot);
            snapshot
        };
        let near = |snapshot: &Snapshot| {
            let diagnostic = snapshot.analysis.diagnostics.iter();
            diagnostic
                .filter(|d| d.rule.name == "context-window-near")
                .map(|d| d.message.clone())
                .next()
                .unwrap()
        };
        let counted = |documents: &Documents| {
            let tokens = documents.get(&uri).unwrap().tokens();
            let cache = tokens.lock().unwrap();
            (cache.counted, cache.len())
        };
        let before = near(&analyse(&mut documents));
        let (first, _) = counted(&documents);
        // Type a few words into the third message's text, as an editor sends them.
        let at = text.match_indices(LONG).nth(2 * 40 + 7).unwrap().0;
        let index = LineIndex::new(&text);
        let position = Converter::new(&text, &index, Encoding::Utf16).position(at);
        let typed = "many more words to count ".repeat(20);
        let change = TextDocumentContentChangeEvent {
            range: Some(Range::new(position, position)),
            range_length: None,
            text: typed.clone(),
        };
        documents
            .change(&uri, 2, vec![change], Encoding::Utf16)
            .unwrap();
        let snapshot = analyse(&mut documents);
        let after = near(&snapshot);
        // The edited text's count changed, and the message says so as a fresh analysis does.
        assert_ne!(before, after);
        let mut edited = text.clone();
        edited.insert_str(at, &typed);
        let full = analyze(&edited, FileKind::Json, "req.json", &counting_settings());
        assert_eq!(snapshot.analysis.diagnostics, full.diagnostics);
        // Only that text was counted again.
        let (second, _) = counted(&documents);
        assert_eq!(second, first + 1);
        // Many edits later the cache holds a bounded number of entries, not one per edit: at
        // most twice the live ones (8 texts, counted and bounded) plus 64, in each of its maps.
        for version in 3..200 {
            let change = TextDocumentContentChangeEvent {
                range: Some(Range::new(position, position)),
                range_length: None,
                text: "x".into(),
            };
            documents
                .change(&uri, version, vec![change], Encoding::Utf16)
                .unwrap();
            analyse(&mut documents);
        }
        let (counts, entries) = counted(&documents);
        assert!(entries <= 2 * (2 * 8 + 64), "{entries} entries");
        // A version that counts nothing (here no request at all) keeps the cache: going back
        // counts no text again.
        let latest = documents.get(&uri).unwrap().text().to_owned();
        for (version, text) in [(200, "{}"), (201, latest.as_str())] {
            let change = TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: text.into(),
            };
            documents
                .change(&uri, version, vec![change], Encoding::Utf16)
                .unwrap();
            analyse(&mut documents);
        }
        assert_eq!(counted(&documents).0, counts);
    }

    #[test]
    fn only_edits_inside_one_string_are_patched() {
        let text = "{\"model\": \"claude\", \"max_tokens\": 10}";
        let edit = |start: usize, end: usize, typed: &str| {
            let mut documents = files::parse(text, FileKind::Json);
            let mut new = text.to_owned();
            new.replace_range(start..end, typed);
            let edit = Edit {
                start,
                end,
                inserted: typed.len(),
            };
            patch(&mut documents, FileKind::Json, &new, edit).then(|| {
                let root = documents[0].root.as_ref().unwrap();
                (root.get("model").map(|m| m.range), root.range)
            })
        };
        let claude = text.find("claude").unwrap();
        // Inside the value: its end and the object's end move.
        assert_eq!(
            edit(claude + 1, claude + 2, "\u{e9}\u{e9}"),
            Some((
                Some(TextRange::new(claude - 1, claude + 10)),
                TextRange::new(0, text.len() + 3)
            ))
        );
        // A key: the member is found by its new name.
        let model = text.find("model").unwrap();
        assert_eq!(
            edit(model, model + 5, "mode"),
            Some((None, TextRange::new(0, text.len() - 1)))
        );
        // A quote typed, an escape left open, the quotes themselves, a number, a space.
        assert_eq!(edit(claude + 2, claude + 2, "\""), None);
        assert_eq!(edit(claude + 6, claude + 6, "\\"), None);
        assert_eq!(edit(claude - 1, claude, ""), None);
        assert_eq!(edit(claude + 6, claude + 7, "x"), None);
        let ten = text.find("10").unwrap();
        assert_eq!(edit(ten, ten + 1, "2"), None);
        assert_eq!(edit(1, 1, " "), None);
        // A file with a syntax error is parsed again whatever the edit.
        let mut broken = files::parse("{\"a\": \"b\",}", FileKind::Json);
        let edit = Edit {
            start: 7,
            end: 7,
            inserted: 1,
        };
        assert!(!patch(
            &mut broken,
            FileKind::Json,
            "{\"a\": \"bx\",}",
            edit
        ));
    }
}
