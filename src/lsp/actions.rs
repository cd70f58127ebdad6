//! Code actions: a quick fix per fixable finding, and `source.fixAll.claude-preflight`.
//!
//! Safe fixes (same meaning) are preferred quick fixes, so an editor's "apply the preferred
//! fix" picks them; unsafe fixes (they change what the request asks for) say so in their
//! title and are never preferred. Fix-all applies safe fixes only, round after round, as
//! `check --fix` does ([`crate::analyze::fix_until_stable`]).
//!
//! No "suppress this finding" action yet: suppression comments exist only where the host has
//! comments, and the one such host the library reads, YAML, is not analysed yet.

use std::borrow::Cow;
use std::collections::HashMap;

use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, Range, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

use super::convert::Converter;
use super::diagnostics;
use super::documents::Snapshot;
use super::server::fix_all_kind;
use crate::analyze::{self, Analysis};
use crate::fix::{self, Applicability};
use crate::redact::Redactor;
use crate::syntax::TextRange;

/// The document actions are computed for.
#[derive(Debug)]
pub(crate) struct Target<'a> {
    /// Its URI.
    pub uri: &'a Uri,
    /// Its analysed current version.
    pub snapshot: &'a Snapshot,
    /// Positions in the negotiated encoding.
    pub converter: Converter<'a>,
    /// The client takes versioned `documentChanges`: edits then name the version they were
    /// computed for, and a client whose text has moved on refuses them.
    pub versioned: bool,
}

/// The actions for `range`, of the kinds `only` asks for (all when `None`).
pub(crate) fn actions(
    target: &Target<'_>,
    range: Range,
    only: Option<&[CodeActionKind]>,
) -> Vec<CodeActionOrCommand> {
    let wanted = |kind: &CodeActionKind| {
        only.is_none_or(|only| {
            only.iter().any(|o| {
                kind.as_str() == o.as_str()
                    || kind.as_str().starts_with(&format!("{}.", o.as_str()))
            })
        })
    };
    let mut found = Vec::new();
    let snapshot = target.snapshot;
    if wanted(&CodeActionKind::QUICKFIX) {
        let range = target.converter.text_range(range);
        found.extend(
            snapshot
                .analysis
                .diagnostics
                .iter()
                .filter(|d| overlaps(d.range, range))
                .filter_map(|d| quick_fix(target, d)),
        );
        found.extend(
            snapshot
                .analysis
                .diagnostics
                .iter()
                .filter(|d| overlaps(d.range, range))
                .filter_map(|d| suppress_action(target, d)),
        );
    }
    if wanted(&fix_all_kind())
        && let Some(action) = fix_all(target)
    {
        found.push(action);
    }
    found
}

/// True when the ranges share a byte, or touch (an empty range at a finding's edge is the
/// cursor on it).
fn overlaps(a: TextRange, b: TextRange) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// "Suppress `rule` on this line": a `preflight: ignore[rule]` comment above the finding's
/// line, where the host has line comments.
fn suppress_action(
    target: &Target<'_>,
    diagnostic: &analyze::Diagnostic,
) -> Option<CodeActionOrCommand> {
    let snapshot = target.snapshot;
    let prefix = crate::suppress::comment_prefix(snapshot.kind?)?;
    if diagnostic.rule == &crate::rules::syntax::UNUSED_SUPPRESSION {
        return None;
    }
    let line = snapshot.index.line_of(diagnostic.range.start as usize);
    let line_start = snapshot.index.line_start(line)?;
    let comment = crate::suppress::comment_for(&snapshot.text, line_start, prefix, diagnostic.rule);
    let at = target
        .converter
        .range(crate::syntax::TextRange::empty(line_start));
    Some(CodeActionOrCommand::CodeAction(CodeAction {
        title: format!("Suppress `{}` on this line", diagnostic.rule.name),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostics::to_lsp(diagnostic, &target.converter)]),
        edit: Some(workspace_edit(target, vec![TextEdit::new(at, comment)])),
        is_preferred: Some(false),
        ..CodeAction::default()
    }))
}

fn quick_fix(target: &Target<'_>, diagnostic: &analyze::Diagnostic) -> Option<CodeActionOrCommand> {
    let fix = diagnostic.fix.as_ref()?;
    let safe = fix.applicability == Applicability::Safe;
    let title = if safe {
        fix.title.clone()
    } else {
        format!("{} (unsafe: changes the request)", fix.title)
    };
    let edits = fix
        .edits
        .iter()
        .map(|e| TextEdit::new(target.converter.range(e.range), e.new_text.clone()))
        .collect();
    Some(CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostics::to_lsp(diagnostic, &target.converter)]),
        edit: Some(workspace_edit(target, edits)),
        is_preferred: Some(safe),
        ..CodeAction::default()
    }))
}

/// Every safe fix, applied until none is left; `None` when there is none.
fn fix_all(target: &Target<'_>) -> Option<CodeActionOrCommand> {
    let snapshot = target.snapshot;
    let safe = |d: &analyze::Diagnostic| {
        d.fix
            .as_ref()
            .is_some_and(|f| f.applicability == Applicability::Safe)
    };
    if !snapshot.analysis.diagnostics.iter().any(safe) {
        return None;
    }
    let (Some(kind), Ok(settings)) = (snapshot.kind, &snapshot.settings) else {
        return None;
    };
    let analysis = Analysis {
        diagnostics: snapshot.analysis.diagnostics.clone(),
        ..Analysis::default()
    };
    let (fixed, _, applied) = analyze::fix_until_stable(
        String::clone(&snapshot.text),
        analysis,
        kind,
        &snapshot.path,
        settings,
        Applicability::Safe,
    );
    let edits = edits_without_keys(&snapshot.text, &fixed, &snapshot.analysis.redactor)?;
    let title = match applied {
        1 => "Apply the safe fix (claude-preflight)".to_owned(),
        n => format!("Apply {n} safe fixes (claude-preflight)"),
    };
    let edits = edits
        .into_iter()
        .map(|e| TextEdit::new(target.converter.range(e.range), e.new_text))
        .collect();
    Some(CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(fix_all_kind()),
        edit: Some(workspace_edit(target, edits)),
        ..CodeAction::default()
    }))
}

/// The edits that turn `before` into `after` without writing a key: the one minimal edit, or,
/// when it would rewrite a key that lies between two fixes, one minimal edit per changed run
/// of lines; `None` when there is no change, or a changed line itself holds a key (no edit
/// sent to the client may carry one: the transport would mask it).
fn edits_without_keys(before: &str, after: &str, keys: &Redactor) -> Option<Vec<fix::TextEdit>> {
    let carries_a_key = |e: &fix::TextEdit| matches!(keys.mask(&e.new_text), Cow::Owned(_));
    let edit = minimal_edit(before, after)?;
    if !carries_a_key(&edit) {
        return Some(vec![edit]);
    }
    let diff = similar::TextDiff::from_lines(before, after);
    let starts = |lines: &[&str]| {
        std::iter::once(0)
            .chain(lines.iter().scan(0, |at, line| {
                *at += line.len();
                Some(*at)
            }))
            .collect::<Vec<usize>>()
    };
    let (old, new) = (starts(diff.old_slices()), starts(diff.new_slices()));
    let edits: Vec<fix::TextEdit> = diff
        .ops()
        .iter()
        .filter(|op| op.tag() != similar::DiffTag::Equal)
        .filter_map(|op| {
            let (o, n) = (op.old_range(), op.new_range());
            let at = old[o.start];
            let edit = minimal_edit(&before[at..old[o.end]], &after[new[n.start]..new[n.end]])?;
            Some(fix::TextEdit {
                range: TextRange::new(at + edit.range.start as usize, at + edit.range.end as usize),
                new_text: edit.new_text,
            })
        })
        .collect();
    (!edits.iter().any(carries_a_key)).then_some(edits)
}

/// The one edit that turns `before` into `after`: what lies between their common prefix and
/// suffix (cut at character boundaries); `None` when they are equal.
fn minimal_edit(before: &str, after: &str) -> Option<fix::TextEdit> {
    if before == after {
        return None;
    }
    let mut prefix = before
        .bytes()
        .zip(after.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !before.is_char_boundary(prefix) || !after.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let longest = before.len().min(after.len()) - prefix;
    let mut suffix = before
        .bytes()
        .rev()
        .zip(after.bytes().rev())
        .take(longest)
        .take_while(|(a, b)| a == b)
        .count();
    while !before.is_char_boundary(before.len() - suffix)
        || !after.is_char_boundary(after.len() - suffix)
    {
        suffix -= 1;
    }
    Some(fix::TextEdit {
        range: TextRange::new(prefix, before.len() - suffix),
        new_text: after[prefix..after.len() - suffix].to_owned(),
    })
}

fn workspace_edit(target: &Target<'_>, edits: Vec<TextEdit>) -> WorkspaceEdit {
    if target.versioned {
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: target.uri.clone(),
                    version: Some(target.snapshot.version),
                },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            }])),
            ..WorkspaceEdit::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some(HashMap::from([(target.uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_edits_cover_only_the_change() {
        let edit = minimal_edit("{\"stop\": 1}", "{\"stop_sequences\": 1}").unwrap();
        assert_eq!(edit.range, TextRange::new(6, 6));
        assert_eq!(edit.new_text, "_sequences");
        let edit = minimal_edit("aéb", "aèb").unwrap();
        assert_eq!(edit.range, TextRange::new(1, 3));
        assert_eq!(edit.new_text, "è");
        let edit = minimal_edit("aaa", "aa").unwrap();
        assert_eq!(
            (edit.range, edit.new_text.as_str()),
            (TextRange::new(2, 3), "")
        );
        assert!(minimal_edit("same", "same").is_none());
    }

    #[test]
    fn fix_all_edits_never_rewrite_a_key() {
        let key = crate::rules::secrets::tests::anthropic_key();
        let before = format!("{{\"stop\": 1,\n\"k\": \"{key}\",\n\"stop\": 2}}");
        let after = format!("{{\"stop_sequences\": 1,\n\"k\": \"{key}\",\n\"stop_sequences\": 2}}");
        let keys = Redactor::of_text(&before);
        let edits = edits_without_keys(&before, &after, &keys).unwrap();
        let second = before.rfind("stop").unwrap() + 4;
        assert_eq!(
            edits
                .iter()
                .map(|e| (e.range, e.new_text.as_str()))
                .collect::<Vec<_>>(),
            vec![
                (TextRange::new(6, 6), "_sequences"),
                (TextRange::new(second, second), "_sequences"),
            ]
        );
        // A changed line that holds the key: no edit may carry it, so there is no fix-all.
        let rewritten =
            before.replace(&format!("\"k\": \"{key}\""), &format!("\"k\": [\"{key}\"]"));
        assert!(edits_without_keys(&before, &rewritten, &keys).is_none());
    }
}
