//! A string whose content is a text of its own (a request body recorded as a JSON string or a
//! YAML scalar), decoded into [`Decoded`] with every escape, folded line break and block
//! indentation mapped back to where it is written, so that the text can be parsed and its
//! ranges and fixes land in the host file.
//!
//! Each decoder checks its result against the value the host's parser decoded: a form it does
//! not map exactly (a folded block scalar, an explicit indentation indicator) gives `None`,
//! never a range that points at the wrong bytes.

use std::borrow::Cow;

use super::embed::{Decoded, Quoting};
use super::json;
use super::tree::TextRange;
use super::yaml::scalar::decode_double;

/// The content of the JSON string written at `range` of `text` (quotes included), whose value
/// the parser decoded as `value`.
pub(crate) fn json_string(text: &str, range: TextRange, value: &str) -> Option<Decoded> {
    let written = text.get(range.to_range())?;
    let inner = written.strip_prefix('"')?.strip_suffix('"')?;
    let base = range.start as usize + 1;
    let mut decoded = Decoded::with_capacity(inner.len());
    decoded.piece(Quoting::JsonString);
    let bytes = inner.as_bytes();
    let (mut at, mut run) = (0, 0);
    while let Some(i) = bytes[at..].iter().position(|&b| b == b'\\') {
        at += i;
        let len = json::escape_len(&bytes[at..]);
        let escape = match bytes.get(at + 1) {
            Some(b'"') => Cow::Borrowed("\""),
            Some(b'\\') => Cow::Borrowed("\\"),
            Some(b'n') => Cow::Borrowed("\n"),
            _ => Cow::Owned(json::unescape(inner.get(at..at + len)?)?),
        };
        decoded.verbatim(&inner[run..at], base + run);
        decoded.escape(&escape, base + at..base + at + len);
        at += len;
        run = at;
    }
    decoded.verbatim(&inner[run..], base + run);
    (decoded.text == value).then_some(decoded)
}

/// The content of the YAML scalar written at `range` of `text`, whose value the parser decoded
/// as `value`: a single-quoted or double-quoted string (over one line or several) or a literal
/// block scalar (`|`, `|-`, `|+`).
pub(crate) fn yaml_scalar(text: &str, range: TextRange, value: &str) -> Option<Decoded> {
    let written = text.get(range.to_range())?;
    let base = range.start as usize;
    let decoded = match written.as_bytes().first()? {
        b'\'' => flow(written, base, Quoting::YamlSingle)?,
        b'"' => flow(written, base, Quoting::JsonString)?,
        b'|' => literal_block(text, range)?,
        _ => return None,
    };
    (decoded.text == value).then_some(decoded)
}

/// A quoted flow scalar (`written` includes its quotes): escapes (`''` in single quotes, `\`
/// escapes in double quotes) and line folding, where a line break with the white space around
/// it reads as a space, or as one line feed per empty line it spans.
fn flow(written: &str, base: usize, quoting: Quoting) -> Option<Decoded> {
    let double = quoting == Quoting::JsonString;
    let quote = if double { '"' } else { '\'' };
    let inner = written.strip_prefix(quote)?.strip_suffix(quote)?;
    let base = base + 1;
    let bytes = inner.as_bytes();
    let mut decoded = Decoded::with_capacity(inner.len());
    decoded.piece(quoting);
    let (mut at, mut run) = (0, 0);
    while at < bytes.len() {
        let b = bytes[at];
        let (stands_for, len) = if !double && b == b'\'' && bytes.get(at + 1) == Some(&b'\'') {
            (Cow::Borrowed("'"), 2)
        } else if double && b == b'\\' {
            match bytes.get(at + 1)? {
                b'\r' | b'\n' => {
                    // An escaped line break joins the lines, keeping only empty lines.
                    let (breaks, end) = fold(bytes, at + 1);
                    (Cow::Owned("\n".repeat(breaks - 1)), end - at)
                }
                e => {
                    let digits = match e {
                        b'x' => 2,
                        b'u' => 4,
                        b'U' => 8,
                        _ => 0,
                    };
                    let len = 2 + digits;
                    let len = if digits == 0 {
                        1 + inner[at + 1..].chars().next()?.len_utf8()
                    } else {
                        len
                    };
                    (
                        Cow::Owned(decode_double(inner.get(at..at + len)?).ok()?),
                        len,
                    )
                }
            }
        } else if matches!(b, b' ' | b'\t' | b'\r' | b'\n') {
            let white = bytes[at..]
                .iter()
                .position(|c| !matches!(c, b' ' | b'\t'))
                .map_or(bytes.len(), |i| at + i);
            if !matches!(bytes.get(white), Some(b'\r' | b'\n')) {
                at = white;
                continue;
            }
            let (breaks, end) = fold(bytes, white);
            let folded = if breaks == 1 {
                Cow::Borrowed(" ")
            } else {
                Cow::Owned("\n".repeat(breaks - 1))
            };
            (folded, end - at)
        } else {
            at += 1;
            continue;
        };
        decoded.verbatim(&inner[run..at], base + run);
        decoded.escape(&stands_for, base + at..base + at + len);
        at += len;
        run = at;
    }
    decoded.verbatim(&inner[run..], base + run);
    Some(decoded)
}

/// From a line break at `at`: the line breaks up to the next line with content, and where
/// that content starts.
fn fold(bytes: &[u8], mut at: usize) -> (usize, usize) {
    let mut breaks = 0;
    loop {
        match bytes.get(at) {
            Some(b'\r') if bytes.get(at + 1) == Some(&b'\n') => {
                breaks += 1;
                at += 2;
            }
            Some(b'\r' | b'\n') => {
                breaks += 1;
                at += 1;
            }
            Some(b' ' | b'\t') if breaks > 0 => at += 1,
            _ => return (breaks, at),
        }
    }
}

/// A literal block scalar: its lines without their indentation. The line break ending a line
/// and the next line's indentation are one piece of the host, so that an edit ending at a
/// line's start takes the indentation with it, and new lines are written indented.
fn literal_block(text: &str, range: TextRange) -> Option<Decoded> {
    let written = text.get(range.to_range())?;
    let header_end = written.find(['\r', '\n'])?;
    let header = written[..header_end].split('#').next()?.trim_end();
    let keep = match header {
        "|" | "|+" => true,
        "|-" => false,
        _ => return None,
    };
    let base = range.start as usize;
    let bytes = written.as_bytes();
    let indent = written[header_end..]
        .lines()
        .find(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())?;
    let mut decoded = Decoded::default();
    decoded.piece(Quoting::Indented(u16::try_from(indent).ok()?));
    let mut at = header_end;
    let mut first = true;
    while at < bytes.len() {
        // A line break, the empty lines after it and the next line's indentation.
        let start = at;
        let mut breaks = 0;
        while let Some(len) = line_break(&bytes[at..]) {
            breaks += 1;
            at += len;
            let spaces = bytes[at..]
                .iter()
                .take(indent)
                .take_while(|&&b| b == b' ')
                .count();
            at += spaces;
        }
        let newlines = if first { breaks - 1 } else { breaks };
        if newlines > 0 {
            decoded.escape(&"\n".repeat(newlines), base + start..base + at);
        }
        first = false;
        let end = bytes[at..]
            .iter()
            .position(|&b| matches!(b, b'\r' | b'\n'))
            .map_or(bytes.len(), |i| at + i);
        decoded.verbatim(&written[at..end], base + at);
        at = end;
    }
    let after = range.end as usize;
    if let Some(len) = line_break(&text.as_bytes()[after..]).filter(|_| keep) {
        decoded.escape("\n", after..after + len);
    }
    Some(decoded)
}

/// The length of the line break `bytes` starts with, if it starts with one.
fn line_break(bytes: &[u8]) -> Option<usize> {
    match bytes {
        [b'\r', b'\n', ..] => Some(2),
        [b'\r' | b'\n', ..] => Some(1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host_of<'t>(text: &'t str, decoded: &Decoded, start: usize, end: usize) -> &'t str {
        &text[decoded.to_host(TextRange::new(start, end)).to_range()]
    }

    #[test]
    fn json_string_escapes_map_back() {
        let text = r#"{"text": "{\"a\": \"caf\u00e9\"}"}"#;
        let range = TextRange::new(9, text.len() - 1);
        let decoded = json_string(text, range, "{\"a\": \"café\"}").unwrap();
        assert_eq!(decoded.text, "{\"a\": \"café\"}");
        assert_eq!(host_of(text, &decoded, 1, 4), r#"\"a\""#);
        assert!(json_string(text, range, "other").is_none());
    }

    #[test]
    fn yaml_quoted_scalars_fold_and_map_back() {
        let text = "body: '{\"model\": \"claude-x\",\n    \"it''s\": 1}'\n";
        let range = TextRange::new(6, text.len() - 1);
        let value = "{\"model\": \"claude-x\", \"it's\": 1}";
        let decoded = yaml_scalar(text, range, value).unwrap();
        assert_eq!(decoded.text, value);
        // The folded line break and indentation are the one space.
        let space = value.find(" \"it").unwrap();
        assert_eq!(host_of(text, &decoded, space, space + 1), "\n    ");
        assert_eq!(host_of(text, &decoded, space + 1, space + 7), "\"it''s\"");

        let text = "body: \"{\\\"a\\\": \\\"caf\\xE9\\\n  \\ x\\\"}\"\n";
        let range = TextRange::new(6, text.len() - 1);
        let decoded = yaml_scalar(text, range, "{\"a\": \"café x\"}").unwrap();
        assert_eq!(host_of(text, &decoded, 11, 12), "\\xE9");
    }

    #[test]
    fn literal_blocks_drop_their_indentation() {
        let text = "body: |\n  {\"a\": 1,\n\n   \"b\": 2}\nnext: 1\n";
        let range = TextRange::new(6, text.find("\nnext").unwrap());
        assert_eq!(&text[range.to_range()], "|\n  {\"a\": 1,\n\n   \"b\": 2}");
        let decoded = yaml_scalar(text, range, "{\"a\": 1,\n\n \"b\": 2}\n").unwrap();
        // A line's start maps past its indentation, from either side.
        assert_eq!(host_of(text, &decoded, 8, 10), "\n\n  ");
        assert_eq!(host_of(text, &decoded, 10, 14), " \"b\"");
        assert!(yaml_scalar(text, range, "{}").is_none());
        assert_eq!(Quoting::Indented(2).quote("\n\"c\": 3"), "\n  \"c\": 3");
    }
}
