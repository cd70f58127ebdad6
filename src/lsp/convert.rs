//! Byte ranges ↔ LSP positions (invariant 5: the library speaks byte ranges, the language
//! server converts).
//!
//! Columns are counted in the position encoding negotiated at `initialize`: UTF-8 bytes when
//! the client offers `utf-8`, else UTF-16 code units (the protocol's default). Lines end at
//! `\n`; a `\r` before it belongs to the line's end, so CRLF files convert exactly. (A lone
//! `\r` is not a line break here, as in Neovim and Helix, and as `syntax::LineIndex` counts
//! lines for the command line.)

use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range};

use crate::syntax::{self, ColumnUnit, LineIndex, TextRange};

/// The position encoding negotiated with the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// Columns in UTF-8 bytes (the client offered `utf-8`).
    Utf8,
    /// Columns in UTF-16 code units (the default every client supports).
    Utf16,
}

impl Encoding {
    /// Picks UTF-8 when the client lists it among its `general.positionEncodings`, else UTF-16:
    /// UTF-8 columns are byte offsets within the line, so they cost nothing to convert.
    pub(crate) fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Self {
        let utf8 = offered.is_some_and(|kinds| kinds.contains(&PositionEncodingKind::UTF8));
        if utf8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }

    /// The kind announced in the server's capabilities.
    pub(crate) fn kind(self) -> PositionEncodingKind {
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
pub(crate) struct Converter<'a> {
    text: &'a str,
    index: &'a LineIndex,
    encoding: Encoding,
}

impl<'a> Converter<'a> {
    /// A converter for `text`, indexed by `index`.
    pub(crate) fn new(text: &'a str, index: &'a LineIndex, encoding: Encoding) -> Self {
        Self {
            text,
            index,
            encoding,
        }
    }

    /// The LSP position of byte `offset` (clamped to the text, moved back to a character
    /// boundary).
    pub(crate) fn position(&self, offset: usize) -> Position {
        let p = self.index.position(self.text, offset, self.encoding.unit());
        Position::new(p.line, p.column)
    }

    /// The LSP range of a byte range.
    pub(crate) fn range(&self, range: TextRange) -> Range {
        Range::new(
            self.position(range.start as usize),
            self.position(range.end as usize),
        )
    }

    /// The byte offset of an LSP position: a column past the line's end is the line's end
    /// (before its `\r\n`), a line past the last is the text's end, as the protocol asks.
    pub(crate) fn offset(&self, position: Position) -> usize {
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
    pub(crate) fn text_range(&self, range: Range) -> TextRange {
        let start = self.offset(range.start);
        let end = self.offset(range.end).max(start);
        TextRange::new(start, end)
    }
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
