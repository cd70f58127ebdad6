//! `check --add-suppressions[=REASON]` (ruff's `--add-noqa`): a `preflight: ignore[...]`
//! comment above each line with findings, written as the language server's "suppress" action
//! writes it ([`crate::suppress::comment_listing`]).
//!
//! A comment line must never change a request: inside a multi-line string, a YAML block
//! scalar or a curl body it would become part of the text, and after a line continuation it
//! would end the command. So each comment is kept only when the file's documents read the same
//! with it as without it; the lines that cannot take one are counted as refused.

use std::collections::BTreeMap;

use crate::analyze::Diagnostic;
use crate::extract::files::{self, FileKind};
use crate::rules;
use crate::suppress;
use crate::syntax::{LineIndex, Value, walk};
use crate::words::plural;

/// What adding suppressions to one file did.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Added {
    /// The new text (the old one when nothing was added).
    pub text: String,
    /// Findings now covered by a comment.
    pub suppressed: usize,
    /// Findings on lines where a comment would have changed a request.
    pub refused: usize,
}

/// Adds a comment for the findings in `diagnostics` (those of `text`, a `kind` file), each
/// followed by `reason`. `Err` names why the file's format cannot hold one.
pub(super) fn add(
    text: &str,
    kind: FileKind,
    diagnostics: &[Diagnostic],
    reason: &str,
) -> Result<Added, String> {
    let Some(prefix) = suppress::comment_prefix(kind) else {
        return Err(format!(
            "{} has no comments to hold a suppression",
            name(kind)
        ));
    };
    let index = LineIndex::new(text);
    let mut lines: BTreeMap<usize, Vec<&'static str>> = BTreeMap::new();
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    for d in diagnostics {
        // A stale suppression is removed, not suppressed.
        if d.rule == &rules::syntax::UNUSED_SUPPRESSION {
            continue;
        }
        let line = index.line_of(d.range.start as usize);
        let names = lines.entry(line).or_default();
        if !names.contains(&d.rule.name) {
            names.push(d.rule.name);
        }
        *counts.entry(line).or_default() += 1;
    }
    let before = fingerprint(text, kind);
    let mut added = Added {
        text: text.to_owned(),
        suppressed: 0,
        refused: 0,
    };
    // Bottom up, so the offsets of the lines still to do do not move.
    for (line, names) in lines.iter().rev() {
        let count = counts[line];
        let Some(start) = index.line_start(*line) else {
            continue;
        };
        let continued = text[..start].trim_end_matches(['\n', '\r']).ends_with('\\');
        let comment = suppress::comment_listing(&added.text, start, prefix, names, reason);
        let mut candidate = added.text.clone();
        candidate.insert_str(start, &comment);
        if !continued && fingerprint(&candidate, kind) == before {
            added.text = candidate;
            added.suppressed += count;
        } else {
            added.refused += count;
        }
    }
    Ok(added)
}

/// What to tell about a file's findings left without a comment (`findings`: how many it
/// has), if any were.
pub(super) fn note(outcome: &Result<Added, String>, findings: usize) -> Option<String> {
    match outcome {
        Ok(added) if added.refused > 0 => Some(format!(
            "{} not suppressed: a comment there would change the request",
            plural(added.refused, "finding")
        )),
        Err(reason) if findings > 0 => Some(format!(
            "{} not suppressible: {reason}",
            plural(findings, "finding")
        )),
        _ => None,
    }
}

/// How a format is named in "JSON has no comments".
fn name(kind: FileKind) -> &'static str {
    kind.spec().name
}

/// What the file's documents say, ranges aside: every value in order, with object keys,
/// strings and scalars, and each document's syntax error count.
fn fingerprint(text: &str, kind: FileKind) -> Vec<String> {
    let mut out = Vec::new();
    for document in files::parse(text, kind) {
        out.push(format!("document, {} errors", document.errors.len()));
        let Some(root) = &document.root else {
            continue;
        };
        walk(root, |node| {
            out.push(match &node.value {
                Value::Object(members) => {
                    let keys: Vec<&str> = members.iter().map(|m| m.key.as_str()).collect();
                    format!("object {keys:?}")
                }
                Value::Array(items) => format!("array of {}", items.len()),
                other => format!("{other:?}"),
            });
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_scalars_and_continuations_refuse_a_comment() {
        // A comment line inside the block scalar would become part of the system prompt.
        let yaml = "model: claude-opus-5\nsystem: |\n  one\n  two\n";
        assert_ne!(
            fingerprint(yaml, FileKind::Yaml),
            fingerprint(
                "model: claude-opus-5\nsystem: |\n  one\n  # preflight: ignore[x]\n  two\n",
                FileKind::Yaml
            )
        );
        assert_eq!(
            fingerprint(yaml, FileKind::Yaml),
            fingerprint(
                "model: claude-opus-5\n# preflight: ignore[x]\nsystem: |\n  one\n  two\n",
                FileKind::Yaml
            )
        );
    }
}
