//! Byte offsets to line and column, for every front end.
//!
//! The library speaks byte ranges (invariant 5); the CLI shows 1-based lines and columns in
//! characters, and the language server needs UTF-8 or UTF-16 columns. One index serves all three.

/// Start offsets of every line of a text, to turn byte offsets into positions.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<u32>,
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
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| (i + 1) as u32),
        );
        Self { line_starts }
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
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let prefix = &text[self.line_starts[line] as usize..offset];
        let column = match unit {
            ColumnUnit::Utf8 => prefix.len(),
            ColumnUnit::Utf16 => prefix.encode_utf16().count(),
            ColumnUnit::Char => prefix.chars().count(),
        };
        Position {
            line: line as u32,
            column: column as u32,
        }
    }

    /// The byte offset of `position` in `text`; a column past the line's end is clamped to it
    /// (before its `\r\n`), a line past the end gives the text's end.
    pub fn offset(&self, text: &str, position: Position, unit: ColumnUnit) -> usize {
        let Some(&start) = self.line_starts.get(position.line as usize) else {
            return text.len();
        };
        let start = start as usize;
        let end = self
            .line_starts
            .get(position.line as usize + 1)
            .map_or(text.len(), |&s| s as usize);
        let line = text[start..end].trim_end_matches(['\n', '\r']);
        let mut remaining = position.column as usize;
        for (i, c) in line.char_indices() {
            let width = match unit {
                ColumnUnit::Utf8 => c.len_utf8(),
                ColumnUnit::Utf16 => c.len_utf16(),
                ColumnUnit::Char => 1,
            };
            if remaining < width {
                return start + i;
            }
            remaining -= width;
        }
        start + line.len()
    }
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
