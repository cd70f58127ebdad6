//! The bytes inside a payload: base64 images and PDFs, read in place and lazily.
//!
//! A 32 MB request is mostly base64, and batch runs check thousands of them, so nothing here
//! decodes more than a check needs: validity is a scan of the characters, an image's size comes
//! from the length of its base64, its format and dimensions from a few hundred decoded header
//! bytes, and only a PDF's page count reads the whole document (a block at a time).

pub(crate) mod base64;
pub(crate) mod image;
pub(crate) mod pdf;

use crate::syntax::{Node, TextRange};

/// The host-file range of bytes `offset..offset + len` of the string value `node`.
///
/// Exact when the string is written without escapes: its source is then its text, byte for
/// byte, between two quotes. A JSON escape always takes more bytes than the character it
/// stands for, so a source exactly two bytes longer than the text proves there is none. A
/// string without whitespace is required as well, because a YAML plain scalar folded over two
/// lines can shrink by the same two bytes; such a string has a space where the line broke.
/// Otherwise (escapes, folding, unquoted scalars) the whole string's range is returned: mapping
/// through escapes would need the host text, which rules do not see.
pub(crate) fn range_in_string(node: &Node, offset: usize, len: usize) -> TextRange {
    let Some(text) = node.as_str() else {
        return node.range;
    };
    let verbatim = node.range.len() == text.len() + 2
        && offset + len <= text.len()
        && !text.bytes().any(|b| b.is_ascii_whitespace());
    if verbatim {
        let start = node.range.start as usize + 1 + offset;
        TextRange::new(start, start + len)
    } else {
        node.range
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Value;

    fn string(range: (usize, usize), text: &str) -> Node {
        Node::new(
            TextRange::new(range.0, range.1),
            Value::String(text.to_owned()),
        )
    }

    #[test]
    fn exact_inside_a_string_without_escapes() {
        // `"ab-d"` written at offset 10.
        let node = string((10, 16), "ab-d");
        assert_eq!(range_in_string(&node, 2, 1), TextRange::new(13, 14));
    }

    #[test]
    fn whole_string_when_escapes_change_the_offsets() {
        // `"a\nb-"`: the escape makes the source one byte longer than the text plus quotes.
        let node = string((0, 7), "a\nb-");
        assert_eq!(range_in_string(&node, 3, 1), TextRange::new(0, 7));
        // `"\u0041-"` is `A-`.
        let node = string((0, 10), "A-");
        assert_eq!(range_in_string(&node, 1, 1), TextRange::new(0, 10));
    }

    #[test]
    fn whole_string_for_folded_or_unquoted_scalars() {
        // A YAML plain scalar `ab\n  -d` folds to `ab -d`: two bytes shorter, with a space.
        let node = string((0, 7), "ab -d");
        assert_eq!(range_in_string(&node, 3, 1), TextRange::new(0, 7));
        // A plain scalar on one line has no quotes.
        let node = string((4, 8), "ab-d");
        assert_eq!(range_in_string(&node, 2, 1), TextRange::new(4, 8));
    }
}
