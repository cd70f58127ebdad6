//! Applying rendered fixes to a text: what `check --fix` and the editor's "fix all" do.

use super::{RenderedFix, TextEdit};

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

/// Applies as many of `fixes` as can go together (a fix whose edits touch or overlap an earlier
/// chosen fix waits for the next round) and returns the new text and how many were applied.
pub fn apply_fixes<'a>(text: &str, fixes: impl IntoIterator<Item = &'a RenderedFix>) -> (String, usize) {
    let mut chosen: Vec<&TextEdit> = Vec::new();
    let mut applied = 0;
    for fix in fixes {
        let clashes = fix.edits.iter().any(|e| {
            chosen.iter().any(|c| {
                e.range.start <= c.range.end && c.range.start <= e.range.end
            })
        });
        if !clashes {
            chosen.extend(&fix.edits);
            applied += 1;
        }
    }
    chosen.sort();
    let edits: Vec<TextEdit> = chosen.into_iter().cloned().collect();
    (apply_edits(text, &edits), applied)
}
