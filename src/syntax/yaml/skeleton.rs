//! The text tree-sitter-yaml is handed for a piece whose long scalars would cost most of its
//! parse: a *skeleton*, where each long quoted scalar (`'...'`, `"..."`) and each long block
//! scalar (`|`, `>`) keeps its quotes or header but has its content replaced by one `x`.
//!
//! tree-sitter-yaml reads a quoted scalar one token per line and a character at a time; a
//! recorded request body is thousands of such characters, and nothing of the tree is built
//! from them: the lowering decodes every scalar from the text it was written as. So the
//! skeleton is parsed instead, and [`Skeleton::to_piece`] maps its offsets back: ranges are
//! made in one place (`lower::Piece`), from the piece's own text.
//!
//! A scalar is cut only where the cut cannot change what tree-sitter-yaml makes of the rest:
//! - its content is read by the scanner as content tokens only: every character is one its
//!   content tokens take (a tab or U+0020 and above for quoted scalars, a YAML `ns-char` or
//!   white space for block scalars), every double-quoted escape is one the scanner accepts,
//!   and a single quote inside a single-quoted scalar is doubled;
//! - every line it continues on is indented with spaces only, deeper than the key or `- `
//!   that owns the scalar (a continuation at or left of it is a syntax error or ends a block
//!   scalar), so the scanner takes each as a continuation in the original as well;
//! - a quoted scalar is the last thing on its line (nothing but white space after the closing
//!   quote): what could follow it on that line (`:`, `,`, a comment) is where the columns of
//!   the original and the skeleton would differ, and a multi-line scalar collapsed to one line
//!   must not become an implicit key;
//! - a block scalar has no indentation indicator and no comment on its header, starts on its
//!   first content line (whose indentation, kept, fixes the block's), and is cut from its first
//!   content character to its last one that is not white space: the lines after it are kept.
//!
//! The text before each scalar is kept byte for byte, so tree-sitter reaches the opening quote
//! or indicator in the same state. After the parse, [`Skeleton::holds`] checks that each cut
//! landed inside a scalar node that starts and ends where the cut scalar does; when it did not
//! (the quote was inside a block scalar, a comment or another scalar) or the skeleton does not
//! parse cleanly, the piece is parsed as written (`yaml::Parser::parse_span`). A clean
//! skeleton therefore lowers to the same tree as the original: the test
//! `skeletons_change_nothing` compares both on every YAML file in the repository and on
//! variants of them made to break each condition above, and the `yaml` fuzz target compares
//! them on every input.

use tree_sitter::Tree;

/// Scalars with less content than this are handed to tree-sitter as written: cutting them
/// saves less than the check costs.
pub(super) const MIN_CUT: usize = 64;

/// The kinds of scalar a cut is made in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Single,
    Double,
    Block,
}

impl Form {
    /// The tree-sitter-yaml node the scalar is.
    fn kind(self) -> &'static str {
        match self {
            Form::Single => "single_quote_scalar",
            Form::Double => "double_quote_scalar",
            Form::Block => "block_scalar",
        }
    }
}

/// One scalar's content, replaced by `x`.
#[derive(Debug, Clone, Copy)]
struct Cut {
    /// Where the `x` is in the skeleton.
    at: usize,
    /// The end of the content it stands for, in the piece.
    end: usize,
    /// Where the scalar's node starts in the skeleton (its quote or indicator).
    node_start: usize,
    form: Form,
}

/// A piece's text with its long scalars cut, and where each cut was made.
#[derive(Debug)]
pub(super) struct Skeleton {
    /// The text tree-sitter parses.
    pub(super) text: String,
    /// In source order.
    cuts: Vec<Cut>,
}

impl Skeleton {
    /// The skeleton of `piece` where every scalar with at least `min` bytes of content that
    /// can be cut is, or `None` when there is none.
    pub(super) fn of(piece: &str, min: usize) -> Option<Skeleton> {
        let bytes = piece.as_bytes();
        let mut text = String::new();
        let mut cuts = Vec::new();
        // The end of the piece's text copied so far.
        let mut copied = 0;
        let mut line = 0;
        while line < bytes.len() {
            let mut next = next_line(bytes, line_end(bytes, line));
            if let Some((owner, at)) = value_start(bytes, line)
                && let Some((form, start, end)) = scalar(bytes, at, owner)
            {
                // The scalar's last line is done with (what follows it there is white space).
                next = next_line(bytes, line_end(bytes, end));
                if end - start >= min {
                    text.push_str(&piece[copied..start]);
                    cuts.push(Cut {
                        at: text.len(),
                        end,
                        node_start: text.len() - (start - at),
                        form,
                    });
                    text.push('x');
                    copied = end;
                }
            }
            line = next;
        }
        if cuts.is_empty() {
            return None;
        }
        text.push_str(&piece[copied..]);
        Some(Skeleton { text, cuts })
    }

    /// The piece offset of skeleton offset `offset`, which is not inside a cut's `x` (no node
    /// but the content tokens of a cut scalar starts or ends there).
    pub(super) fn to_piece(&self, offset: usize) -> usize {
        let before = self.cuts.partition_point(|c| c.at < offset);
        match before.checked_sub(1).map(|i| self.cuts[i]) {
            Some(cut) => cut.end + (offset - cut.at - 1),
            None => offset,
        }
    }

    /// Whether each cut of `tree` (parsed from [`Self::text`]) is inside a scalar node of its
    /// kind that starts at its quote or indicator and ends with its closing quote or its `x`.
    pub(super) fn holds(&self, tree: &Tree) -> bool {
        let root = tree.root_node();
        self.cuts.iter().all(|cut| {
            let node_end = match cut.form {
                Form::Block => cut.at + 1,
                Form::Single | Form::Double => cut.at + 2,
            };
            root.named_descendant_for_byte_range(cut.at, cut.at + 1)
                .is_some_and(|node| {
                    node.kind() == cut.form.kind()
                        && node.start_byte() == cut.node_start
                        && node.end_byte() == node_end
                })
        })
    }
}

/// The end of the line starting at `from`: its first line break, or the end of the text.
fn line_end(bytes: &[u8], from: usize) -> usize {
    memchr::memchr2(b'\n', b'\r', &bytes[from..]).map_or(bytes.len(), |i| from + i)
}

/// The start of the line after the line break at `at` (or the end of the text).
fn next_line(bytes: &[u8], at: usize) -> usize {
    match bytes.get(at..) {
        Some([b'\r', b'\n', ..]) => at + 2,
        Some([_, ..]) => at + 1,
        _ => bytes.len(),
    }
}

/// Where a value written as `key: ` or `- ` on the line starting at `line` starts, when it
/// starts with a quote or a block indicator, and the column of what owns it (the key, or the
/// last `- `): the column the scalar's continuation lines must be indented past.
fn value_start(bytes: &[u8], line: usize) -> Option<(usize, usize)> {
    let spaces = |mut i: usize| {
        while bytes.get(i) == Some(&b' ') {
            i += 1;
        }
        i
    };
    let is_value = |i: usize| matches!(bytes.get(i), Some(b'\'' | b'"' | b'|' | b'>'));
    let mut i = spaces(line);
    let mut owner = None;
    while bytes.get(i) == Some(&b'-') && bytes.get(i + 1) == Some(&b' ') {
        owner = Some(i - line);
        i = spaces(i + 1);
    }
    if is_value(i) {
        return owner.map(|o| (o, i));
    }
    let key = i;
    if !bytes
        .get(i)
        .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
    {
        return None;
    }
    while bytes
        .get(i)
        .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
    {
        i += 1;
    }
    if bytes.get(i..i + 2) != Some(b": ") {
        return None;
    }
    i = spaces(i + 1);
    is_value(i).then_some((key - line, i))
}

/// The scalar starting at `at` (a quote or a block indicator) owned by column `owner`, when
/// it can be cut: its form and the content to cut.
fn scalar(bytes: &[u8], at: usize, owner: usize) -> Option<(Form, usize, usize)> {
    match bytes[at] {
        b'|' | b'>' => {
            let (start, end) = block(bytes, at, owner)?;
            Some((Form::Block, start, end))
        }
        quote => {
            let close = closing_quote(bytes, at, owner)?;
            let mut after = close + 1;
            while matches!(bytes.get(after), Some(b' ' | b'\t')) {
                after += 1;
            }
            if !matches!(bytes.get(after), None | Some(b'\r' | b'\n')) {
                return None;
            }
            let form = if quote == b'"' {
                Form::Double
            } else {
                Form::Single
            };
            Some((form, at + 1, close))
        }
    }
}

/// The closing quote of the quoted scalar opening at `open`, when every character, escape
/// and continuation line of it is one the scanner reads as content.
fn closing_quote(bytes: &[u8], open: usize, owner: usize) -> Option<usize> {
    let double = bytes[open] == b'"';
    let quote = bytes[open];
    let mut i = open + 1;
    loop {
        // Everything else is content: skip it in one pass.
        i += bytes
            .get(i..)?
            .iter()
            .position(|&b| b < 0x20 || b == quote || b == b'\\')?;
        match bytes[i] {
            b'\'' if !double => {
                if bytes.get(i + 1) != Some(&b'\'') {
                    return Some(i);
                }
                i += 2;
            }
            b'"' if double => return Some(i),
            b'\\' if double => {
                let len = match *bytes.get(i + 1)? {
                    b'0' | b'a' | b'b' | b't' | b'\t' | b'n' | b'v' | b'r' | b'e' | b'f' | b' '
                    | b'"' | b'/' | b'\\' | b'N' | b'_' | b'L' | b'P' => 2,
                    b'x' => 4,
                    b'u' => 6,
                    b'U' => 10,
                    b'\r' | b'\n' => {
                        i = continuation(bytes, i + 1, owner)?;
                        continue;
                    }
                    _ => return None,
                };
                if !bytes.get(i + 2..i + len)?.iter().all(u8::is_ascii_hexdigit) {
                    return None;
                }
                i += len;
            }
            b'\r' | b'\n' => i = continuation(bytes, i, owner)?,
            b'\t' => i += 1,
            0..=0x1f => return None,
            _ => i += 1,
        }
    }
}

/// For the line starting at `start`: where its spaces end (its indentation) and where its
/// spaces and tabs end (its content, or its line break when it is blank).
fn indentation(bytes: &[u8], start: usize) -> (usize, usize) {
    let mut i = start;
    while bytes.get(i) == Some(&b' ') {
        i += 1;
    }
    let mut white = i;
    while matches!(bytes.get(white), Some(b' ' | b'\t')) {
        white += 1;
    }
    (i, white)
}

/// From the line break at `at` inside a quoted scalar: where the content of the next line
/// that has any starts, when that line is indented with spaces past column `owner` (blank
/// lines between are skipped by the scanner, tabs and all).
fn continuation(bytes: &[u8], mut at: usize, owner: usize) -> Option<usize> {
    loop {
        let start = next_line(bytes, at);
        let (i, white) = indentation(bytes, start);
        match bytes.get(white)? {
            b'\r' | b'\n' => at = white,
            _ if white == i && i - start > owner => return Some(i),
            _ => return None,
        }
    }
}

/// The content of the block scalar whose indicator is at `at`, owned by column `owner`: from
/// its first content character to the end of its last line's last character that is not white
/// space.
fn block(bytes: &[u8], at: usize, owner: usize) -> Option<(usize, usize)> {
    let mut i = at + 1;
    if matches!(bytes.get(i), Some(b'-' | b'+')) {
        i += 1;
    }
    while matches!(bytes.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    if !matches!(bytes.get(i), Some(b'\r' | b'\n')) {
        return None;
    }
    // Empty lines before the first content line: spaces only (the scanner sizes the block
    // from them and stops at a tab).
    let (first, indent) = loop {
        let start = next_line(bytes, i);
        i = start;
        while bytes.get(i) == Some(&b' ') {
            i += 1;
        }
        match bytes.get(i)? {
            b'\r' | b'\n' => {}
            b'\t' => return None,
            _ => break (i, i - start),
        }
    };
    if indent <= owner {
        return None;
    }
    let mut line = first;
    let mut end;
    loop {
        let line_end = line_end(bytes, line);
        let content = &bytes[line..line_end];
        let ascii = content
            .iter()
            .all(|&b| (b' '..=b'~').contains(&b) || b == b'\t');
        if !ascii
            && !std::str::from_utf8(content)
                .ok()?
                .chars()
                .all(|c| is_ns_char(c) || c == ' ' || c == '\t')
        {
            return None;
        }
        // Only spaces and tabs are white space here.
        end = line + content.trim_ascii_end().len();
        // The next line with content: in the block when indented as deep with spaces.
        let mut at = line_end;
        let next = loop {
            if at == bytes.len() {
                break None;
            }
            let start = next_line(bytes, at);
            let (i, white) = indentation(bytes, start);
            match bytes.get(white) {
                None => break None,
                Some(b'\r' | b'\n') => at = white,
                _ if i - start < indent => break None,
                _ if white == i => break Some(i),
                _ => return None,
            }
        };
        match next {
            Some(next) => line = next,
            None => return Some((first, end)),
        }
    }
}

/// tree-sitter-yaml's `ns-char`: what a block scalar's content tokens take besides white
/// space.
fn is_ns_char(c: char) -> bool {
    matches!(c as u32,
        0x21..=0x7e | 0x85 | 0xa0..=0xd7ff | 0xe000..=0xfefe | 0xff00..=0xfffd | 0x10000..=0x10ffff)
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::super::{parse_as_written, parse_cutting_every_scalar};
    use super::*;

    /// The YAML files under `dir`.
    fn yaml_files(dir: &Path, files: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                yaml_files(&path, files);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                files.push(path);
            }
        }
    }

    /// `text`, and variants of it with each line in or next to a cut scalar changed in a way
    /// that breaks one of the conditions for cutting (or the scalar itself).
    fn variants(text: &str) -> Vec<String> {
        let mut out = vec![text.to_owned()];
        let Some(skeleton) = Skeleton::of(text, 1) else {
            return out;
        };
        let line_of = |offset: usize| text[..offset].matches('\n').count();
        let mut lines: Vec<usize> = skeleton
            .cuts
            .iter()
            .flat_map(|c| {
                let first = line_of(skeleton.to_piece(c.node_start));
                first..=line_of(c.end) + 1
            })
            .collect();
        lines.sort_unstable();
        lines.dedup();
        let all: Vec<&str> = text.split('\n').collect();
        let with = |i: usize, line: String| {
            let mut changed = all.clone();
            changed[i] = &line;
            changed.join("\n")
        };
        for i in lines.into_iter().filter(|&i| i < all.len()) {
            let line = all[i];
            let content = line.len() - line.trim_start_matches(' ').len();
            let (indent, rest) = line.split_at(content);
            if let Some(dedented) = line.strip_prefix(' ') {
                out.push(with(i, dedented.to_owned()));
                out.push(with(i, format!("\t{dedented}")));
            }
            out.push(with(i, format!("  {line}")));
            for insert in ["'", "\"", "\\", "#", ": ", "\u{1}", "\t"] {
                out.push(with(i, format!("{indent}{insert}{rest}")));
            }
            for append in ["'", " # c", ": y"] {
                out.push(with(i, format!("{line}{append}")));
            }
            let mut removed = all.clone();
            removed.remove(i);
            out.push(removed.join("\n"));
        }
        out
    }

    #[test]
    fn skeletons_change_nothing() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        yaml_files(&root.join("examples"), &mut files);
        yaml_files(&root.join("tests"), &mut files);
        assert!(files.len() > 50, "{files:?}");
        let (mut cuts, mut texts) = (0, 0);
        for path in &files {
            let text = std::fs::read_to_string(path).unwrap();
            cuts += Skeleton::of(&text, 1).map_or(0, |s| s.cuts.len());
            for variant in variants(&text) {
                // Without a cut anywhere, both parse the same text.
                if Skeleton::of(&variant, 1).is_none() {
                    continue;
                }
                texts += 1;
                assert_eq!(
                    parse_cutting_every_scalar(&variant),
                    parse_as_written(&variant),
                    "{path:?}, as:\n{variant}"
                );
            }
        }
        // The files do exercise the cuts.
        assert!(cuts > 100 && texts > 1000, "{cuts} cuts, {texts} texts");
    }

    #[test]
    fn skeletons_of_tricky_texts_change_nothing() {
        for text in [
            // A value on the line after a multi-line scalar, and an empty key there.
            "a: 'one\n  two'\n: x\n",
            "- 'one\n  two'\n- b\n",
            "- - 'one\n    two'\n  - \"three\n\n    four\"\n",
            // Line breaks as CRLF and lone CR, blank lines with tabs inside.
            "a: 'one\r\n  two'\r\nb: 1\r\n",
            "a: 'one\r  two'\rb: 1\r",
            "a: 'one\n \t \n  two'\nb: 1\n",
            // Escapes, escaped line breaks, a backslash at the end of a single-quoted line.
            "a: \"\\x41\\u00e9\\U0001F600\\\n   b\\\\\"\n",
            "a: 'c:\\\n  d'\n",
            // Flow collections around a scalar.
            "a: {b: 'one\n  two'\n  }\n",
            "a: ['one\n  two'\n  ]\n",
            // Block scalars: chomping, folding, trailing and leading empty lines, a comment
            // line inside, one that ends the text without a line break.
            "a: |+\n  one\n\n   two\n\nb: 1\n",
            "a: >-\n\n  one\n  # two\n  three\n",
            "a: |\n    one\n  two\n",
            "a: |\n  one",
            // Deeper than the owner only by a `- `, documents and markers.
            "- a: 'one\n   two'\n",
            "--- 'one\n two'\n...\n--- b: |\n   c\n",
            "a: 'one\n---\n  two'\n",
            // Anchors and tags before the scalar, aliases to it.
            "a: &x 'one\n  two'\nb: *x\n",
            "a: !!str 'one\n  two'\n",
            // Inside a block scalar and a comment: no scalar there to cut.
            "a: |\n  b: 'one\n    two'\n",
            "# b: 'one\nc: 1\n",
            // A quoted key, a plain scalar with quotes inside.
            "'a\n b': 'one'\n",
            "a: b 'one\n  two'\n",
        ] {
            assert_eq!(
                parse_cutting_every_scalar(text),
                parse_as_written(text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn long_quoted_and_block_scalars_are_cut_to_one_character() {
        let text = "a:\n  body: 'one two\n    three'''\n  list:\n  - \"x\\\"y\"  \n  b: |\n    {\"c\":\n\n     1}\n  d: 1\n";
        let skeleton = Skeleton::of(text, 1).unwrap();
        assert_eq!(
            skeleton.text,
            "a:\n  body: 'x'\n  list:\n  - \"x\"  \n  b: |\n    x\n  d: 1\n"
        );
        // Offsets around each cut map to the ends of what it stands for.
        let quote = skeleton.text.find("'x'").unwrap();
        assert_eq!(skeleton.to_piece(quote + 1), text.find("one").unwrap());
        assert_eq!(skeleton.to_piece(quote + 2), text.find("'''").unwrap() + 2);
        let block = skeleton.text.find("    x").unwrap() + 4;
        assert_eq!(skeleton.to_piece(block + 1), text.find("1}").unwrap() + 2);
        assert_eq!(
            skeleton.to_piece(skeleton.text.len()),
            text.len(),
            "the end maps to the end"
        );
    }

    #[test]
    fn scalars_that_cut_could_change_are_kept() {
        for text in [
            // Followed on its line by something else.
            "a: 'long text': 1\n",
            "a: 'long text' # note\n",
            // A continuation line not indented past the key, or with a tab.
            "a:\n  b: 'long\n  text'\n",
            "a:\n  b: 'long\n\t   text'\n",
            // An escape the scanner does not take, a control character.
            "a: \"long \\q text\"\n",
            "a: \"long \\x4 text\"\n",
            "a: 'long \u{1} text'\n",
            // The text ends inside it.
            "a: 'long text\n",
            // A block scalar with an indentation indicator, a comment, a tab, a line that is
            // not an ns-char.
            "a: |2\n   text\n",
            "a: | # note\n  text\n",
            "a: |\n  text\n  \tmore\n",
            "a: |\n  te\u{feff}xt\n",
            // Not after `key: ` or `- `.
            "'long text'\n",
            "a b: 'long text'\n",
        ] {
            assert!(Skeleton::of(text, 1).is_none(), "{text:?}");
        }
    }
}
