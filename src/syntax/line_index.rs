//! Byte offsets to line and column, for every front end.
//!
//! The library speaks byte ranges (invariant 5); the CLI shows 1-based lines and columns in
//! characters, and the language server needs UTF-8 or UTF-16 columns. One index serves all three.
//!
//! A conversion costs the same on any line, however long: machine-written JSON and JSON Lines
//! put a whole request on one line, and counting a column from the line's start for every
//! finding and every edit would make a long line's conversions quadratic. Columns up to
//! [`CHECKPOINT_EVERY`] bytes into a line are counted directly; further ones start from the
//! nearest checkpoint of running counts, kept every [`CHECKPOINT_EVERY`] bytes of the text and
//! built on the first such column asked for. In ASCII text a column is its byte count and
//! nothing is counted at all.

use std::sync::OnceLock;

/// Bytes between two checkpoints, and the longest stretch a conversion counts.
pub(crate) const CHECKPOINT_EVERY: usize = 1024;

/// Start offsets of every line of a text, to turn byte offsets into positions.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    /// Built from the text on the first column that lies far into a line.
    checkpoints: OnceLock<Checkpoints>,
}

/// How columns are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnUnit {
    /// Bytes of UTF-8 (LSP `utf-8` position encoding).
    Utf8,
    /// UTF-16 code units (LSP's default encoding).
    Utf16,
    /// Unicode scalar values (what the CLI reports).
    Char,
}

/// A zero-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// Zero-based line.
    pub line: u32,
    /// Zero-based column, in the unit asked for.
    pub column: u32,
}

impl LineIndex {
    /// Indexes `text`. Lines end at `\n`; a `\r` before it belongs to the line's end.
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| (i + 1) as u32));
        Self {
            line_starts,
            checkpoints: OnceLock::new(),
        }
    }

    /// Updates the index for an edit that replaced bytes `replaced` of the text with
    /// `inserted`: the result is `LineIndex::new` of the new text, in time proportional to the
    /// number of lines instead of bytes (an editor's keystroke in a 32 MB document).
    pub fn edit(&mut self, replaced: std::ops::Range<usize>, inserted: &str) {
        // A line starts after each `\n`: the starts in `start + 1..=end` came from the
        // replaced bytes, the inserted ones come from `inserted`, later ones move.
        let first = self.line_of(replaced.start) + 1;
        let last = self.line_of(replaced.end) + 1;
        let added = memchr::memchr_iter(b'\n', inserted.as_bytes())
            .map(|i| (replaced.start + i + 1) as u32);
        let after = first + added.clone().count();
        self.line_starts.splice(first..last, added);
        let grown = inserted.len() as i64 - replaced.len() as i64;
        for start in &mut self.line_starts[after..] {
            *start = (i64::from(*start) + grown) as u32;
        }
        // An ASCII text with ASCII typed into it is still ASCII, and needs no counts: reading
        // the whole text again to learn it cost each keystroke in a 32 MB request 2 ms.
        let still_ascii = self.checkpoints.get().is_some_and(|c| c.ascii) && inserted.is_ascii();
        self.checkpoints = if still_ascii {
            OnceLock::from(Checkpoints::ASCII)
        } else {
            OnceLock::new()
        };
    }

    /// The zero-based line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&start| start as usize <= offset)
            .saturating_sub(1)
    }

    /// Byte offset where zero-based `line` starts (the text's end past the last line).
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line).map(|&s| s as usize)
    }

    /// Number of lines (a text without newline has one).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The position of `offset` in `text`, columns counted in `unit`. An offset inside a
    /// character is moved back to the character's start; one past the end is clamped.
    pub fn position(&self, text: &str, offset: usize, unit: ColumnUnit) -> Position {
        let offset = char_start(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.line_starts[line] as usize;
        let column = if unit == ColumnUnit::Utf8 || offset - start <= CHECKPOINT_EVERY {
            count(&text.as_bytes()[start..offset], unit)
        } else {
            let checkpoints = self.checkpoints(text);
            checkpoints.units(text, offset, unit) - checkpoints.units(text, start, unit)
        };
        Position {
            line: line as u32,
            column: column as u32,
        }
    }

    /// The byte offset of `position` in `text`; a column past the line's end is clamped to it
    /// (before its `\r\n`), a column inside a character gives the character's start, a line
    /// past the end gives the text's end.
    pub fn offset(&self, text: &str, position: Position, unit: ColumnUnit) -> usize {
        let Some(&start) = self.line_starts.get(position.line as usize) else {
            return text.len();
        };
        let start = start as usize;
        let end = self
            .line_starts
            .get(position.line as usize + 1)
            .map_or(text.len(), |&s| s as usize);
        let content_end = start + text[start..end].trim_end_matches(['\n', '\r']).len();
        let column = position.column as usize;
        let long = content_end - start > CHECKPOINT_EVERY;
        if unit == ColumnUnit::Utf8 || long && self.checkpoints(text).ascii {
            // Columns are bytes.
            return char_start(text, start + column.min(content_end - start));
        }
        let (mut from, mut remaining) = (start, column);
        if long {
            // Start from the last checkpoint at or before the column, at most
            // `CHECKPOINT_EVERY` bytes before it.
            let checkpoints = self.checkpoints(text);
            let target = checkpoints.units(text, start, unit) + column;
            let i = checkpoints
                .counts
                .partition_point(|c| c.get(unit) <= target)
                .saturating_sub(1);
            let jump = char_start(text, (i * CHECKPOINT_EVERY).min(content_end));
            if jump > start {
                from = jump;
                remaining = target - checkpoints.units(text, jump, unit);
            }
        }
        for (i, c) in text[from..content_end].char_indices() {
            let width = match unit {
                ColumnUnit::Utf8 => c.len_utf8(),
                ColumnUnit::Utf16 => c.len_utf16(),
                ColumnUnit::Char => 1,
            };
            if remaining < width {
                return from + i;
            }
            remaining -= width;
        }
        content_end
    }

    fn checkpoints(&self, text: &str) -> &Checkpoints {
        self.checkpoints.get_or_init(|| Checkpoints::new(text))
    }
}

/// The counts of characters and UTF-16 code units before every multiple of
/// [`CHECKPOINT_EVERY`] bytes of a text.
#[derive(Debug, Clone)]
struct Checkpoints {
    /// An ASCII text needs no counts: every column is a byte count.
    ascii: bool,
    counts: Vec<Counts>,
}

/// Bytes, characters and UTF-16 code units before a byte offset (a character is counted from
/// its first byte on).
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    bytes: usize,
    chars: usize,
    utf16: usize,
}

impl Counts {
    fn get(self, unit: ColumnUnit) -> usize {
        match unit {
            ColumnUnit::Utf8 => self.bytes,
            ColumnUnit::Char => self.chars,
            ColumnUnit::Utf16 => self.utf16,
        }
    }
}

impl Checkpoints {
    /// The checkpoints of any ASCII text.
    const ASCII: Self = Self {
        ascii: true,
        counts: Vec::new(),
    };

    fn new(text: &str) -> Self {
        if text.is_ascii() {
            return Self::ASCII;
        }
        let mut running = Counts::default();
        let mut counts = vec![running];
        for chunk in text.as_bytes().chunks(CHECKPOINT_EVERY) {
            running.bytes += chunk.len();
            running.chars += count(chunk, ColumnUnit::Char);
            running.utf16 += count(chunk, ColumnUnit::Utf16);
            counts.push(running);
        }
        Self {
            ascii: false,
            counts,
        }
    }

    /// The units of `unit` before byte `offset` of `text`.
    fn units(&self, text: &str, offset: usize, unit: ColumnUnit) -> usize {
        if self.ascii {
            return offset;
        }
        let i = offset / CHECKPOINT_EVERY;
        self.counts[i].get(unit) + count(&text.as_bytes()[i * CHECKPOINT_EVERY..offset], unit)
    }
}

/// The units of `unit` in `bytes` of UTF-8, counting each character at its first byte (so a
/// slice cut inside characters counts the characters that start in it).
fn count(bytes: &[u8], unit: ColumnUnit) -> usize {
    let starts = || bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count();
    match unit {
        ColumnUnit::Utf8 => bytes.len(),
        ColumnUnit::Char => starts(),
        // Characters of four bytes are two UTF-16 units.
        ColumnUnit::Utf16 => starts() + bytes.iter().filter(|&&b| b >= 0xF0).count(),
    }
}

/// `offset` moved back to the start of the character it is in.
fn char_start(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_in_every_unit() {
        let text = "ab\r\né😀x\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(index.position(text, x, ColumnUnit::Utf8).column, 6);
        assert_eq!(index.position(text, x, ColumnUnit::Utf16).column, 3);
        assert_eq!(index.position(text, x, ColumnUnit::Char).column, 2);
        assert_eq!(index.position(text, x, ColumnUnit::Char).line, 1);
        for unit in [ColumnUnit::Utf8, ColumnUnit::Utf16, ColumnUnit::Char] {
            let p = index.position(text, x, unit);
            assert_eq!(index.offset(text, p, unit), x);
        }
    }

    /// The conversion by definition: counting from the line's start.
    fn scanned(text: &str, offset: usize, unit: ColumnUnit) -> Position {
        let offset = char_start(text, offset.min(text.len()));
        let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let prefix = &text[start..offset];
        let column = match unit {
            ColumnUnit::Utf8 => prefix.len(),
            ColumnUnit::Utf16 => prefix.encode_utf16().count(),
            ColumnUnit::Char => prefix.chars().count(),
        };
        Position {
            line: text[..start].matches('\n').count() as u32,
            column: column as u32,
        }
    }

    const UNITS: [ColumnUnit; 3] = [ColumnUnit::Utf8, ColumnUnit::Utf16, ColumnUnit::Char];

    #[test]
    fn long_lines_convert_as_a_scan_from_the_line_start_would() {
        // Lines shorter and longer than a checkpoint stretch, characters of every width
        // straddling checkpoints, CRLF ends, an ASCII line among them.
        let mut text = String::new();
        for (i, width) in [1usize, 7, 1500, 3000, 5000].into_iter().enumerate() {
            for j in 0..width {
                text.push(
                    ["a", "é", "€", "😀", "b"][(i + j) % 5]
                        .chars()
                        .next()
                        .unwrap(),
                );
            }
            text.push_str(if i % 2 == 0 { "\n" } else { "\r\n" });
        }
        text.push_str(&"x".repeat(2500));
        let index = LineIndex::new(&text);
        for unit in UNITS {
            for offset in (0..=text.len() + 2).step_by(3) {
                let p = index.position(&text, offset, unit);
                assert_eq!(p, scanned(&text, offset, unit), "{unit:?} at {offset}");
                if text.is_char_boundary(offset) {
                    assert_eq!(index.offset(&text, p, unit), offset, "{unit:?} {p:?}");
                }
            }
            // Columns inside a character, past the line's end, on every line.
            for line in 0..index.line_count() as u32 {
                for column in (0..6000).step_by(7) {
                    let p = Position { line, column };
                    let offset = index.offset(&text, p, unit);
                    assert!(text.is_char_boundary(offset));
                    let back = index.position(&text, offset, unit);
                    assert_eq!(back.line, line, "{unit:?} {p:?}");
                    assert!(back.column <= column, "{unit:?} {p:?} gave {back:?}");
                    let next = text[offset..]
                        .chars()
                        .next()
                        .filter(|c| *c != '\r' && *c != '\n');
                    if let Some(c) = next {
                        let width = match unit {
                            ColumnUnit::Utf8 => c.len_utf8(),
                            ColumnUnit::Utf16 => c.len_utf16(),
                            ColumnUnit::Char => 1,
                        } as u32;
                        assert!(column < back.column + width, "{unit:?} {p:?} gave {back:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn conversions_along_a_huge_line_stay_bounded() {
        // 8 MB on one line, as `json.dumps` writes a request: counting each column from the
        // line's start took hours for these 24,000 conversions (8 MB scanned for each).
        let pattern = "{\"text\": \"caf\u{e9} \u{1f600}\"}, ";
        let text = pattern.repeat(8 * 1024 * 1024 / pattern.len());
        let ascii = "-".repeat(text.len());
        for text in [text, ascii] {
            let index = LineIndex::new(&text);
            let (mut chars, mut utf16) = (0u32, 0u32);
            let mut checked = 0;
            for (i, (offset, c)) in text.char_indices().enumerate() {
                if i % 1000 == 0 {
                    for (unit, column) in [(ColumnUnit::Char, chars), (ColumnUnit::Utf16, utf16)] {
                        let p = index.position(&text, offset, unit);
                        assert_eq!(p, Position { line: 0, column }, "{unit:?} at {offset}");
                        assert_eq!(index.offset(&text, p, unit), offset);
                    }
                    checked += 1;
                }
                chars += 1;
                utf16 += c.len_utf16() as u32;
            }
            assert!(checked > 3000, "{checked}");
        }
    }

    #[test]
    fn edits_give_the_index_of_the_new_text() {
        let mut text = String::from("a\nb\r\n\n\u{e9}\u{1f600}c\n");
        let mut index = LineIndex::new(&text);
        let mut seed = 7u64;
        for _ in 0..2000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let pick = |n: usize, shift: u32| (seed >> shift) as usize % (n + 1);
            let start = char_start(&text, pick(text.len(), 20));
            let end = char_start(&text, (start + pick(4, 30)).min(text.len()));
            let inserted = ["", "\n", "x", "\r\n", "\u{e9}\n\n", "yz"][pick(5, 40)];
            text.replace_range(start..end, inserted);
            index.edit(start..end, inserted);
            assert_eq!(
                index.line_starts,
                LineIndex::new(&text).line_starts,
                "{text:?}"
            );
        }
    }

    /// The counts of an ASCII text are kept across ASCII edits, and dropped by the first
    /// character that is not: positions after each edit are those of a new index.
    #[test]
    fn ascii_counts_survive_ascii_edits_only() {
        let mut text = "x".repeat(5 * CHECKPOINT_EVERY);
        let mut index = LineIndex::new(&text);
        let edits = [
            (10, 12, "ab"),
            (CHECKPOINT_EVERY, CHECKPOINT_EVERY, "\u{1f600}\u{e9}"),
            (3, 3, "c"),
        ];
        for (start, end, inserted) in edits {
            let _ = index.position(&text, text.len() - 1, ColumnUnit::Utf16);
            text.replace_range(start..end, inserted);
            index.edit(start..end, inserted);
            let fresh = LineIndex::new(&text);
            for offset in [
                0,
                11,
                CHECKPOINT_EVERY + 5,
                3 * CHECKPOINT_EVERY + 1,
                text.len(),
            ] {
                for unit in [ColumnUnit::Utf8, ColumnUnit::Char, ColumnUnit::Utf16] {
                    assert_eq!(
                        index.position(&text, offset, unit),
                        fresh.position(&text, offset, unit),
                        "{offset} {unit:?} after inserting {inserted:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn out_of_range_is_clamped() {
        let text = "ab\r\ncd";
        let index = LineIndex::new(text);
        let p = Position {
            line: 0,
            column: 99,
        };
        assert_eq!(index.offset(text, p, ColumnUnit::Utf16), 2);
        let p = Position { line: 9, column: 0 };
        assert_eq!(index.offset(text, p, ColumnUnit::Utf16), text.len());
        assert_eq!(index.position(text, 99, ColumnUnit::Char).line, 1);
    }
}
