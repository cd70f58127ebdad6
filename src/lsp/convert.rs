//! Byte ranges ↔ LSP positions (invariant 5: the library speaks byte ranges, the language
//! server converts).
//!
//! Columns are counted in the position encoding negotiated at `initialize`: UTF-8 bytes when
//! the client offers `utf-8`, else UTF-16 code units (the protocol's default). Lines end at
//! `\n`; a `\r` before it belongs to the line's end, so CRLF files convert exactly. (A lone
//! `\r` is not a line break here, as in Neovim and Helix, and as `syntax::LineIndex` counts
//! lines for the command line.)

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range};

use crate::syntax::{self, ColumnUnit, LineIndex, TextRange};

/// The position encoding negotiated with the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Columns in UTF-8 bytes (the client offered `utf-8`).
    Utf8,
    /// Columns in UTF-16 code units (the default every client supports).
    Utf16,
}

impl Encoding {
    /// Picks UTF-8 when the client lists it among its `general.positionEncodings`, else UTF-16:
    /// UTF-8 columns are byte offsets within the line, so they cost nothing to convert.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Self {
        let utf8 = offered.is_some_and(|kinds| kinds.contains(&PositionEncodingKind::UTF8));
        if utf8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }

    /// The kind announced in the server's capabilities.
    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    fn unit(self) -> ColumnUnit {
        match self {
            Encoding::Utf8 => ColumnUnit::Utf8,
            Encoding::Utf16 => ColumnUnit::Utf16,
        }
    }
}

/// A text with its line index and the encoding positions are counted in: everything needed to
/// convert between byte offsets and LSP positions on an analysed snapshot.
#[derive(Debug, Clone, Copy)]
pub struct Converter<'a> {
    text: &'a str,
    index: &'a LineIndex,
    encoding: Encoding,
}

impl<'a> Converter<'a> {
    /// A converter for `text`, indexed by `index`.
    pub fn new(text: &'a str, index: &'a LineIndex, encoding: Encoding) -> Self {
        Self {
            text,
            index,
            encoding,
        }
    }

    /// The LSP position of byte `offset` (clamped to the text, moved back to a character
    /// boundary).
    pub fn position(&self, offset: usize) -> Position {
        let p = self.index.position(self.text, offset, self.encoding.unit());
        Position::new(p.line, p.column)
    }

    /// The LSP range of a byte range.
    pub fn range(&self, range: TextRange) -> Range {
        Range::new(
            self.position(range.start as usize),
            self.position(range.end as usize),
        )
    }

    /// The byte offset of an LSP position: a column past the line's end is the line's end
    /// (before its `\r\n`), a line past the last is the text's end, as the protocol asks.
    pub fn offset(&self, position: Position) -> usize {
        self.index.offset(
            self.text,
            syntax::Position {
                line: position.line,
                column: position.character,
            },
            self.encoding.unit(),
        )
    }

    /// The byte range of an LSP range (an inverted range is read as empty at its start).
    pub fn text_range(&self, range: Range) -> TextRange {
        let start = self.offset(range.start);
        let end = self.offset(range.end).max(start);
        TextRange::new(start, end)
    }
}

/// The char index in `rope` of an LSP position, clamped like [`Converter::offset`]: for
/// applying `didChange` edits to the rope in O(log n), whatever the line's length.
pub fn rope_char(rope: &Rope, position: Position, encoding: Encoding) -> usize {
    let line = position.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let start = rope.line_to_char(line);
    let end = line_content_end(rope, line);
    let column = position.character as usize;
    let target = match encoding {
        Encoding::Utf16 => {
            let units = rope.char_to_utf16_cu(start).saturating_add(column);
            rope.utf16_cu_to_char(units.min(rope.len_utf16_cu()))
        }
        Encoding::Utf8 => {
            let byte = rope.char_to_byte(start).saturating_add(column);
            rope.byte_to_char(byte.min(rope.len_bytes()))
        }
    };
    target.min(end)
}

/// The char index where line `line`'s content ends: before its `\n` or `\r\n`.
fn line_content_end(rope: &Rope, line: usize) -> usize {
    let next = rope.line_to_char(line + 1);
    let start = rope.line_to_char(line);
    let mut end = next;
    if end > start && rope.char(end - 1) == '\n' {
        end -= 1;
        if end > start && rope.char(end - 1) == '\r' {
            end -= 1;
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "{\r\n  \"é😀\": \"x\"\r\n}";

    #[test]
    fn both_encodings_round_trip_on_non_ascii_crlf_text() {
        let index = LineIndex::new(TEXT);
        let x = TEXT.find('x').unwrap_or_default();
        let utf16 = Converter::new(TEXT, &index, Encoding::Utf16);
        let utf8 = Converter::new(TEXT, &index, Encoding::Utf8);
        assert_eq!(utf16.position(x), Position::new(1, 10));
        assert_eq!(utf8.position(x), Position::new(1, 13));
        assert_eq!(utf16.offset(Position::new(1, 10)), x);
        assert_eq!(utf8.offset(Position::new(1, 13)), x);
        // Past the line's end: before the `\r\n`.
        assert_eq!(utf16.offset(Position::new(0, 7)), 1);
        assert_eq!(utf16.offset(Position::new(9, 0)), TEXT.len());
    }

    #[test]
    fn rope_positions_match_the_line_index() {
        let rope = Rope::from_str(TEXT);
        let index = LineIndex::new(TEXT);
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            let converter = Converter::new(TEXT, &index, encoding);
            for line in 0..4 {
                for character in 0..20 {
                    let position = Position::new(line, character);
                    let char_index = rope_char(&rope, position, encoding);
                    assert_eq!(
                        rope.char_to_byte(char_index),
                        converter.offset(position),
                        "{encoding:?} {position:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn utf8_is_chosen_only_when_offered() {
        let offered = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&offered)), Encoding::Utf8);
        assert_eq!(
            Encoding::negotiate(Some(&[PositionEncodingKind::UTF32])),
            Encoding::Utf16
        );
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
    }
}
