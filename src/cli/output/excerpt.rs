//! The part of a file a snippet shows: the lines a range or a fix spans, with very long lines
//! cut around the offsets that matter and the hidden middle of a long range left blank.
//!
//! annotate-snippets lays out every line it is given, whole: a finding on a 1 MB line (a
//! base64 image, a minified request) would cost a megabyte of work per finding and print a
//! megabyte. An excerpt keeps both to a few hundred characters, and maps file offsets into
//! itself so annotations and patches still land on the right characters.

use crate::syntax::LineIndex;

/// Lines with more characters than this are cut (annotate-snippets then fits what is left to
/// its 140-column width).
pub(super) const MAX_LINE_CHARS: usize = 160;
/// Characters kept on each side of an offset that matters on a cut line.
pub(super) const CONTEXT_CHARS: usize = 40;
/// Stands for the text cut out of a line.
pub(super) const CUT_MARKER: &str = "...";

/// Which lines between the first and the last keep their text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Keep {
    /// Every line (a fix's diff shows each line it changes).
    All,
    /// The first five and the last two lines: all annotate-snippets shows of a multi-line
    /// range; the lines between are left empty so they cost nothing.
    Ends,
}

/// Bytes `start..end` of the file, copied to `at` in the excerpt.
#[derive(Debug, Clone, Copy)]
struct Piece {
    start: usize,
    end: usize,
    at: usize,
}

/// A cut-down copy of the lines around some offsets of a file.
#[derive(Debug)]
pub(super) struct Excerpt {
    /// The excerpt's text: whole lines joined by `\n`, without the last line's end.
    pub source: String,
    /// The 1-based file line the excerpt starts at.
    pub first_line: usize,
    /// The kept stretches, in file order.
    pieces: Vec<Piece>,
}

impl Excerpt {
    /// The lines from the one holding the smallest of `offsets` to the one holding the largest;
    /// a line longer than [`MAX_LINE_CHARS`] keeps [`CONTEXT_CHARS`] on each side of each
    /// offset on it. Offsets must be character boundaries of `text`.
    pub(super) fn new(text: &str, index: &LineIndex, offsets: &[usize], keep: Keep) -> Self {
        let low = offsets.iter().copied().min().unwrap_or(0).min(text.len());
        let high = offsets.iter().copied().max().unwrap_or(0).min(text.len());
        let (first, last) = (index.line_of(low), index.line_of(high));
        let mut excerpt = Excerpt {
            source: String::new(),
            first_line: first + 1,
            pieces: Vec::new(),
        };
        for line in first..=last {
            if line > first {
                excerpt.source.push('\n');
            }
            let start = index.line_start(line).unwrap_or(text.len());
            let end = index.line_start(line + 1).unwrap_or(text.len());
            let content_end = start + text[start..end].trim_end_matches(['\n', '\r']).len();
            if keep == Keep::Ends && line > first + 4 && line + 1 < last {
                excerpt.push(text, start, start);
                continue;
            }
            let content = &text[start..content_end];
            if !is_long(content) {
                excerpt.push(text, start, content_end);
                continue;
            }
            let on_line: Vec<usize> = offsets
                .iter()
                .filter(|&&o| start <= o && o <= end)
                .map(|&o| o.min(content_end))
                .collect();
            excerpt.push_windows(text, start, content_end, &on_line);
        }
        excerpt
    }

    /// Where file offset `offset` lands in [`Self::source`]; an offset in a cut stretch lands
    /// at the end of the text kept before it.
    pub(super) fn map(&self, offset: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.start <= offset);
        match i.checked_sub(1).and_then(|i| self.pieces.get(i)) {
            Some(piece) => piece.at + offset.min(piece.end) - piece.start,
            None => 0,
        }
    }

    /// Copies bytes `start..end` of `text`.
    fn push(&mut self, text: &str, start: usize, end: usize) {
        self.pieces.push(Piece {
            start,
            end,
            at: self.source.len(),
        });
        self.source.push_str(&text[start..end]);
    }

    /// Copies the windows of a long line `start..end` around `offsets` (or its beginning when
    /// none is on it), with [`CUT_MARKER`] for each cut stretch.
    fn push_windows(&mut self, text: &str, start: usize, end: usize, offsets: &[usize]) {
        let line = &text[start..end];
        let mut windows: Vec<(usize, usize)> = if offsets.is_empty() {
            vec![(start, start + forward(line, 0, 2 * CONTEXT_CHARS))]
        } else {
            offsets
                .iter()
                .map(|&o| {
                    let o = o - start;
                    (
                        start + backward(line, o, CONTEXT_CHARS),
                        start + forward(line, o, CONTEXT_CHARS),
                    )
                })
                .collect()
        };
        windows.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(windows.len());
        for (from, to) in windows {
            match merged.last_mut() {
                Some(last) if from <= last.1 => last.1 = last.1.max(to),
                _ => merged.push((from, to)),
            }
        }
        let mut kept_up_to = start;
        for (from, to) in merged {
            if from > kept_up_to {
                self.source.push_str(CUT_MARKER);
            }
            self.push(text, from, to);
            kept_up_to = to;
        }
        if kept_up_to < end {
            self.source.push_str(CUT_MARKER);
        }
    }
}

/// Whether `line` has more than [`MAX_LINE_CHARS`] characters (without counting all of a
/// huge line).
fn is_long(line: &str) -> bool {
    line.len() > MAX_LINE_CHARS && line.chars().nth(MAX_LINE_CHARS).is_some()
}

/// The byte offset `chars` characters before `offset` in `line` (or its start).
fn backward(line: &str, offset: usize, chars: usize) -> usize {
    if chars == 0 {
        return offset;
    }
    line[..offset]
        .char_indices()
        .rev()
        .nth(chars - 1)
        .map_or(0, |(i, _)| i)
}

/// The byte offset `chars` characters after `offset` in `line` (or its end).
fn forward(line: &str, offset: usize, chars: usize) -> usize {
    line[offset..]
        .char_indices()
        .nth(chars)
        .map_or(line.len(), |(i, _)| offset + i)
}

/// `text` with each line longer than [`MAX_LINE_CHARS`] cut in the middle, for replacement
/// text a fix inserts.
pub(super) fn shorten(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.split('\n').any(is_long) {
        return std::borrow::Cow::Borrowed(text);
    }
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| {
            if is_long(line) {
                let head = forward(line, 0, CONTEXT_CHARS);
                let tail = backward(line, line.len(), CONTEXT_CHARS);
                format!("{}{CUT_MARKER}{}", &line[..head], &line[tail..])
            } else {
                line.to_owned()
            }
        })
        .collect();
    std::borrow::Cow::Owned(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excerpt(text: &str, offsets: &[usize], keep: Keep) -> Excerpt {
        Excerpt::new(text, &LineIndex::new(text), offsets, keep)
    }

    #[test]
    fn short_lines_are_copied_whole() {
        let text = "a\nbc\r\nd\ne";
        let e = excerpt(text, &[3, 7], Keep::All);
        assert_eq!(e.source, "bc\nd");
        assert_eq!(e.first_line, 2);
        assert_eq!((e.map(3), e.map(4), e.map(7)), (1, 2, 4));
    }

    #[test]
    fn a_long_line_is_cut_around_each_offset() {
        let text = format!("{}XY{}", "a".repeat(1000), "b".repeat(1000));
        let e = excerpt(&text, &[1000, 1002], Keep::All);
        let expected = format!("...{}XY{}...", "a".repeat(40), "b".repeat(40));
        assert_eq!(e.source, expected);
        assert_eq!(&e.source[e.map(1000)..e.map(1002)], "XY");
    }

    #[test]
    fn windows_far_apart_are_joined_by_a_marker() {
        let text = format!("X{}Y", "é".repeat(1000));
        let e = excerpt(&text, &[0, text.len()], Keep::All);
        let expected = format!("X{}...{}Y", "é".repeat(39), "é".repeat(39));
        assert_eq!(e.source, expected);
        assert_eq!(e.map(text.len()), e.source.len());
    }

    #[test]
    fn the_middle_of_a_long_range_is_blank() {
        let text: String = (1..=20).map(|i| format!("line {i}\n")).collect();
        let end = text.len() - 1;
        let e = excerpt(&text, &[0, end], Keep::Ends);
        assert_eq!(
            e.source,
            "line 1\nline 2\nline 3\nline 4\nline 5\n\n\n\n\n\n\n\n\n\n\n\n\n\nline 19\nline 20"
        );
    }

    #[test]
    fn long_inserted_lines_are_cut_in_the_middle() {
        let long = format!("\"{}\"", "A".repeat(500));
        let shortened = shorten(&long);
        assert_eq!(
            shortened,
            format!("\"{}...{}\"", "A".repeat(39), "A".repeat(39))
        );
        assert_eq!(shorten("short\ntext"), "short\ntext");
    }
}
