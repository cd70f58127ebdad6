//! Applying rendered fixes to a text: what `check --fix` and the editor's "fix all" do.

use super::{RenderedFix, TextEdit};
use crate::syntax::TextRange;

/// Applies sorted, non-overlapping `edits` to `text`.
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for edit in edits {
        let range = edit.range.to_range();
        out.push_str(&text[last..range.start]);
        out.push_str(&edit.new_text);
        last = range.end;
    }
    out.push_str(&text[last..]);
    out
}

/// Applies as many of `fixes` as can go together (a fix whose edits clash with an earlier
/// chosen fix's waits for the next round) and returns the new text and how many were applied.
pub fn apply_fixes<'a>(
    text: &str,
    fixes: impl IntoIterator<Item = &'a RenderedFix>,
) -> (String, usize) {
    let mut chosen: Vec<&TextEdit> = Vec::new();
    let mut applied = 0;
    for fix in fixes {
        let clashes = fix
            .edits
            .iter()
            .any(|e| chosen.iter().any(|c| clash(e.range, c.range)));
        if !clashes {
            chosen.extend(&fix.edits);
            applied += 1;
        }
    }
    chosen.sort();
    let edits: Vec<TextEdit> = chosen.into_iter().cloned().collect();
    (apply_edits(text, &edits), applied)
}

/// Whether two edits cannot go in one round: they overlap, or one inserts where the other
/// starts (which text comes first would be a guess). Edits that only meet at a boundary
/// commute, so a run of adjacent removals (thirty duplicate keys in a row) takes one round, not
/// thirty.
fn clash(a: TextRange, b: TextRange) -> bool {
    (a.start < b.end && b.start < a.end) || (a.start == b.start && (a.is_empty() || b.is_empty()))
}

/// The lines a fix changes: the original lines its edits touch, and what they become.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// 1-based number of the first changed line.
    pub first_line: usize,
    /// The original lines.
    pub before: Vec<String>,
    /// The lines after the fix.
    pub after: Vec<String>,
}

/// Previews `fix` on `text` as whole changed lines, for the human report and snapshots.
pub fn preview(text: &str, fix: &RenderedFix) -> Preview {
    let (Some(first), Some(last)) = (fix.edits.first(), fix.edits.last()) else {
        return Preview {
            first_line: 1,
            before: Vec::new(),
            after: Vec::new(),
        };
    };
    let start = text[..first.range.start as usize]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let end = text[last.range.end as usize..]
        .find('\n')
        .map_or(text.len(), |i| last.range.end as usize + i);
    let first_line = text[..start].matches('\n').count() + 1;
    let shifted: Vec<TextEdit> = fix
        .edits
        .iter()
        .map(|e| TextEdit {
            range: crate::syntax::TextRange::new(
                e.range.start as usize - start,
                e.range.end as usize - start,
            ),
            new_text: e.new_text.clone(),
        })
        .collect();
    let region = &text[start..end];
    let lines = |s: &str| {
        s.split('\n')
            .map(|l| l.trim_end_matches('\r').to_owned())
            .collect()
    };
    Preview {
        first_line,
        before: lines(region),
        after: lines(&apply_edits(region, &shifted)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::Applicability;

    fn fix(edits: &[(u32, u32, &str)]) -> RenderedFix {
        RenderedFix {
            title: String::new(),
            applicability: Applicability::Safe,
            edits: edits
                .iter()
                .map(|&(start, end, text)| TextEdit {
                    range: TextRange { start, end },
                    new_text: text.to_owned(),
                })
                .collect(),
        }
    }

    #[test]
    fn edits_that_meet_at_a_boundary_go_in_one_round() {
        // Three duplicate members removed one after another, and a rename right after them.
        let text = r#"{"a":1,"a":1,"a":1,"b":2}"#;
        let fixes = [
            fix(&[(1, 7, "")]),
            fix(&[(7, 13, "")]),
            fix(&[(13, 19, "")]),
            fix(&[(19, 22, "\"c\"")]),
        ];
        assert_eq!(apply_fixes(text, &fixes), (r#"{"c":2}"#.to_owned(), 4));
    }

    #[test]
    fn overlapping_edits_and_two_insertions_at_one_place_wait() {
        let text = "abcdef";
        // The second overlaps the first; the fourth inserts where the third does.
        let fixes = [
            fix(&[(0, 3, "X")]),
            fix(&[(2, 4, "Y")]),
            fix(&[(5, 5, "1")]),
            fix(&[(5, 5, "2")]),
            fix(&[(5, 6, "Z")]),
        ];
        assert_eq!(apply_fixes(text, &fixes), ("Xde1f".to_owned(), 2));
    }
}
