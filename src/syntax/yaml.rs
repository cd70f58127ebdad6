//! YAML into the payload tree, with tree-sitter-yaml and an indentation-aware recovery.
//!
//! A stream is cut into its documents at the `---` and `...` lines (YAML ends a document there
//! whatever came before, even inside a quoted or block scalar), and each document is parsed on
//! its own. A document that parses cleanly is lowered in one pass (see `lower`).
//!
//! tree-sitter-yaml's own error recovery keeps only the text before the first error, so a
//! broken document is taken apart along its indentation instead: a block mapping or sequence
//! is a run of entries that start at the same column, and when the whole does not parse, each
//! entry is parsed alone; an entry that still fails is split into its key line and the block
//! under it, and so on down. A broken line then costs only its own value (lowered as
//! `Unknown`), and every intact entry around it is still checked.
//!
//! The same splitting keeps two limits of tree-sitter-yaml 0.7.2 from being reached:
//! - its scanner saves the stack of open block indentations in a 1 KiB buffer and aborts the
//!   process (an assertion in the C code) when more than 253 are open, so text indented
//!   [`BLOCK_COLUMN_LIMIT`] columns or more is never handed to it: a value that deep is
//!   reported as too deep and lowered as `Unknown`;
//! - it counts rows in 16 bits, so a piece of more than [`MAX_ROWS`] lines is split into its
//!   entries, and a single value that long is reported and lowered as `Unknown`.
//!
//! Flow collections (`[...]`, `{...}`) nest on tree-sitter's heap, not in the scanner: 100,000
//! levels parse, and lowering stops at [`MAX_DEPTH`] as for JSON.
//!
//! What the lowering does with YAML's extras (in `lower`): anchors are transparent; an alias
//! becomes a copy of its anchor's value whose ranges are all the alias's own (an alias before
//! its anchor is an error and `Unknown`); merge keys (`<<: *base`, `<<: [*a, *b]`) bring in
//! the members the mapping does not set itself, earlier sources first, as YAML loaders do:
//! skipping them would make a request whose `max_tokens` comes from a merged anchor look like
//! it has none. Keys that are collections have no JSON form and are skipped.
//!
//! Known gaps: `%TAG` directives do not change what `!!` means; in a broken document, a tag
//! written on a key line before a nested block is ignored.

mod lower;
pub(crate) mod scalar;
mod skeleton;

use std::borrow::Cow;

use lower::{Lowerer, Pair, Piece};
use skeleton::Skeleton;

use super::tree::{MAX_DEPTH, Member, Node, SyntaxError, SyntaxErrorKind, TextRange, Value};

/// One YAML document of a stream.
#[derive(Debug, PartialEq)]
pub struct Document {
    /// Where the document is in the file: from its first directive, `---` or content line to
    /// the end of its last content line or `...`.
    pub range: TextRange,
    /// Its value, when the document is not empty.
    pub root: Option<Node>,
    /// Its syntax errors, in source order.
    pub errors: Vec<SyntaxError>,
}

/// Block structure at this column or deeper is not handed to tree-sitter-yaml: with at most
/// two open indentations per column (a mapping and a list under it), its scanner's stack stays
/// under the 253 entries it can save.
pub(crate) const BLOCK_COLUMN_LIMIT: usize = 120;

/// The most line breaks in one piece handed to tree-sitter-yaml, whose scanner counts rows in
/// a signed 16-bit integer (`\r\n` counts twice).
pub(crate) const MAX_ROWS: usize = 32_000;

/// Parses every document of a YAML stream. Never fails, never recurses deeper than the
/// nesting limits, and never hands tree-sitter-yaml a text it cannot handle.
pub fn parse(text: &str) -> Vec<Document> {
    parse_with(text, Some(skeleton::MIN_CUT))
}

/// [`parse`] with every piece handed to tree-sitter as written, never as a skeleton: what
/// `parse` must always agree with (the `yaml` fuzz target and `skeletons_change_nothing`
/// compare them).
#[cfg(any(test, fuzzing))]
pub fn parse_as_written(text: &str) -> Vec<Document> {
    parse_with(text, None)
}

/// [`parse`] with every scalar that can be cut cut, however short: the same documents, with
/// the skeletons' conditions met far more often than by `parse`'s long scalars alone.
#[cfg(any(test, fuzzing))]
pub fn parse_cutting_every_scalar(text: &str) -> Vec<Document> {
    parse_with(text, Some(1))
}

/// Parses with skeletons that cut scalars with at least `min_cut` bytes of content, or none.
fn parse_with(text: &str, min_cut: Option<usize>) -> Vec<Document> {
    let mut parser = Parser::new(text);
    parser.min_cut = min_cut;
    let chunks = parser.documents();
    chunks
        .into_iter()
        .map(|chunk| parser.document(chunk))
        .collect()
}

/// One line of the file.
#[derive(Debug, Clone, Copy)]
struct Line {
    /// Its first byte.
    start: usize,
    /// The end of its text, before the line break.
    end: usize,
    /// Line breaks (`\r` and `\n` bytes) before this line, as tree-sitter-yaml counts rows.
    rows_before: usize,
    /// Its indentation in spaces.
    indent: usize,
    /// Whether it holds nothing but white space or a comment.
    trivia: bool,
    /// The column where its content starts once `- `, `? `, `: ` indicators and anchors or
    /// tags in front of it are passed: the deepest block structure the line can open.
    structural: usize,
}

/// Lines `first..end` of the file, where the bytes of the first line before `blank_to` are
/// read as spaces.
#[derive(Debug, Clone, Copy)]
struct Span {
    first: usize,
    end: usize,
    blank_to: usize,
}

/// A document's lines: all of them, and those that hold its content.
#[derive(Debug)]
struct Chunk {
    /// From its first directive, `---` or content line to its `...` or last line.
    lines: Span,
    /// The lines after `---` and directives, before `...`.
    content: Span,
    /// The `---` line carries content of its own (`--- |`, `--- {a: 1}`).
    inline_start: bool,
}

/// What kind of block a span holds, from its first content line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    Mapping,
    Sequence,
    /// A scalar, a flow collection or something unreadable: it cannot be split.
    Atomic,
}

struct Parser<'t> {
    text: &'t str,
    lines: Vec<Line>,
    ts: tree_sitter::Parser,
    /// The shortest scalar content tree-sitter is handed a skeleton for (see `skeleton`), if
    /// any.
    min_cut: Option<usize>,
}

/// A piece as tree-sitter parsed it.
struct Parsed<'t> {
    /// The piece's text.
    text: Cow<'t, str>,
    tree: Option<tree_sitter::Tree>,
    /// The skeleton tree-sitter parsed instead of `text`: set only when its tree is clean.
    skeleton: Option<Skeleton>,
}

impl Parsed<'_> {
    /// The tree, when it has no error, holds at most one document and covers the text.
    fn clean(&self) -> Option<&tree_sitter::Tree> {
        let tree = self.tree.as_ref()?;
        (self.skeleton.is_some() || is_clean(tree, &self.text)).then_some(tree)
    }

    /// The piece, starting at byte `base` of the file, for the lowering.
    fn piece(&self, base: usize) -> Piece<'_> {
        Piece {
            text: &self.text,
            base,
            skeleton: self.skeleton.as_ref(),
        }
    }
}

fn is_space(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// The column after the `- `/`? `/`: ` indicators and `&anchor`/`!tag` properties at the start
/// of `bytes` (which starts with the line's content).
fn structural_column(bytes: &[u8], mut i: usize) -> usize {
    loop {
        match bytes.get(i) {
            Some(b'-' | b'?' | b':') if bytes.get(i + 1).is_none_or(|&b| is_space(b)) => i += 1,
            Some(b'&' | b'!') => {
                while bytes.get(i).is_some_and(|&b| !is_space(b)) {
                    i += 1;
                }
            }
            _ => return i,
        }
        while bytes.get(i).is_some_and(|&b| is_space(b)) {
            i += 1;
        }
    }
}

/// A `---` or `...` marker line (the marker followed by white space or the line's end).
fn is_marker(line: &str, marker: &str) -> bool {
    line.strip_prefix(marker)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// The text after `- ` or `key:` is empty, a comment, or only properties: the value is on the
/// lines below. Returns the anchor named there.
fn nested_value(rest: &str) -> Option<Option<String>> {
    let mut anchor = None;
    for word in rest.split([' ', '\t']).filter(|w| !w.is_empty()) {
        if word.starts_with('#') {
            break;
        } else if let Some(name) = word.strip_prefix('&') {
            anchor = Some(name.to_owned());
        } else if !word.starts_with('!') {
            return None;
        }
    }
    Some(anchor)
}

/// The key of a `key: value` line, read without tree-sitter (for broken entries).
struct KeyLine {
    key: String,
    key_range: TextRange,
    /// Byte offset (in the file) just after the `:`.
    colon_end: usize,
    /// Byte offset (in the file) of the text after the `:` and its white space.
    rest: usize,
}

/// Reads `key:` at byte `at` of `line` (a line of the file starting at byte `base`).
fn key_line(line: &str, base: usize, at: usize) -> Option<KeyLine> {
    let s = &line[at..];
    let (key, key_len) = match s.as_bytes().first()? {
        b' ' | b'\t' => return None,
        b'"' => {
            let mut escaped = false;
            let close = s[1..].bytes().position(|b| {
                let closes = b == b'"' && !escaped;
                escaped = b == b'\\' && !escaped;
                closes
            })?;
            (scalar::decode_double(&s[1..1 + close]).ok()?, close + 2)
        }
        b'\'' => {
            let bytes = s.as_bytes();
            let mut i = 1;
            let close = loop {
                match bytes.get(i)? {
                    b'\'' if bytes.get(i + 1) == Some(&b'\'') => i += 2,
                    b'\'' => break i,
                    _ => i += 1,
                }
            };
            (scalar::decode_single(&s[1..close]), close + 1)
        }
        b'[' | b']' | b'{' | b'}' | b',' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%'
        | b'@' | b'`' => return None,
        b'-' | b'?' | b':' if s.as_bytes().get(1).is_none_or(|&b| is_space(b)) => return None,
        _ => {
            let bytes = s.as_bytes();
            let colon = (0..bytes.len()).find(|&i| {
                bytes[i] == b':' && bytes.get(i + 1).is_none_or(|&b| is_space(b))
                    || bytes[i] == b'#' && i > 0 && is_space(bytes[i - 1])
            })?;
            if bytes[colon] != b':' {
                return None;
            }
            let raw = s[..colon].trim_end_matches([' ', '\t']);
            (lower::key_text(&scalar::resolve_plain(raw))?, raw.len())
        }
    };
    let after_key = &s[key_len..];
    let spaces = after_key.len() - after_key.trim_start_matches([' ', '\t']).len();
    let colon = key_len + spaces;
    if s.as_bytes().get(colon) != Some(&b':')
        || s.as_bytes().get(colon + 1).is_some_and(|&b| !is_space(b))
    {
        return None;
    }
    let value = &s[colon + 1..];
    let rest = colon + 1 + (value.len() - value.trim_start_matches([' ', '\t']).len());
    Some(KeyLine {
        key,
        key_range: TextRange::new(base + at, base + at + key_len),
        colon_end: base + at + colon + 1,
        rest: base + at + rest,
    })
}

impl<'t> Parser<'t> {
    fn new(text: &'t str) -> Self {
        let mut ts = tree_sitter::Parser::new();
        ts.set_language(&tree_sitter_yaml::LANGUAGE.into())
            .expect("the YAML grammar matches the tree-sitter core");
        let mut lines = Vec::new();
        let bytes = text.as_bytes();
        // A byte order mark is not part of the first line's indentation.
        let mut start = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let mut rows = 0;
        loop {
            let end = bytes[start..]
                .iter()
                .position(|&b| b == b'\n' || b == b'\r')
                .map_or(bytes.len(), |i| start + i);
            let indent = bytes[start..end].iter().take_while(|&&b| b == b' ').count();
            let structural = structural_column(&bytes[start..end], indent);
            let rest = text[start + indent..end].trim_start_matches([' ', '\t']);
            lines.push(Line {
                start,
                end,
                rows_before: rows,
                indent,
                trivia: rest.is_empty() || rest.starts_with('#'),
                structural,
            });
            if end == bytes.len() {
                break;
            }
            let crlf = bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n');
            rows += if crlf { 2 } else { 1 };
            start = end + if crlf { 2 } else { 1 };
        }
        Self {
            text,
            lines,
            ts,
            min_cut: None,
        }
    }

    fn line_text(&self, i: usize) -> &'t str {
        &self.text[self.lines[i].start..self.lines[i].end]
    }

    /// The first byte of line `i`'s content in `span` (its first byte that is not white
    /// space or blanked out).
    fn content_start(&self, span: Span, i: usize) -> usize {
        let line = self.lines[i];
        if i != span.first || span.blank_to <= line.start + line.indent {
            return line.start + line.indent;
        }
        let from = span.blank_to.min(line.end);
        let bytes = &self.text.as_bytes()[from..line.end];
        from + bytes.iter().take_while(|&&b| b == b' ').count()
    }

    /// A line with nothing but white space or a comment.
    fn is_trivia(&self, span: Span, i: usize) -> bool {
        let line = self.lines[i];
        if i != span.first || span.blank_to <= line.start + line.indent {
            return line.trivia;
        }
        let rest = self.text[self.content_start(span, i)..line.end].trim_start_matches([' ', '\t']);
        rest.is_empty() || rest.starts_with('#')
    }

    fn column(&self, span: Span, i: usize) -> usize {
        self.content_start(span, i) - self.lines[i].start
    }

    /// The end of line `i`'s text without trailing white space.
    fn trimmed_end(&self, i: usize) -> usize {
        let line = self.lines[i];
        line.start
            + self.text[line.start..line.end]
                .trim_end_matches([' ', '\t'])
                .len()
    }

    /// The byte range of `span`'s lines, line break of the last one included.
    fn byte_range(&self, span: Span) -> std::ops::Range<usize> {
        let start = self.lines[span.first].start;
        let end = self
            .lines
            .get(span.end)
            .map_or(self.text.len(), |l| l.start);
        start..end
    }

    /// Cuts the stream into documents.
    fn documents(&self) -> Vec<Chunk> {
        /// The document being read.
        struct Open {
            first: usize,
            content: usize,
            has_content: bool,
            explicit: bool,
            inline_start: bool,
        }
        let mut chunks = Vec::new();
        let close = |chunks: &mut Vec<Chunk>, open: Open, end: usize, content_end: usize| {
            if open.has_content || open.explicit {
                chunks.push(Chunk {
                    lines: Span {
                        first: open.first,
                        end,
                        blank_to: 0,
                    },
                    content: Span {
                        first: open.content,
                        end: content_end,
                        blank_to: 0,
                    },
                    inline_start: open.inline_start,
                });
            }
        };
        let mut current: Option<Open> = None;
        for i in 0..self.lines.len() {
            let line = self.line_text(i);
            if is_marker(line, "---") {
                let rest = line[3..].trim_start_matches([' ', '\t']);
                let inline_start = !rest.is_empty() && !rest.starts_with('#');
                let first = match current.take() {
                    // Directives before `---` belong to its document.
                    Some(open) if !open.has_content && !open.explicit => open.first,
                    Some(open) => {
                        close(&mut chunks, open, i, i);
                        i
                    }
                    None => i,
                };
                current = Some(Open {
                    first,
                    content: i + 1,
                    has_content: inline_start,
                    explicit: true,
                    inline_start,
                });
            } else if is_marker(line, "...") {
                if let Some(open) = current.take() {
                    close(&mut chunks, open, i + 1, i);
                }
            } else if line.starts_with('%')
                && current
                    .as_ref()
                    .is_none_or(|o| !o.has_content && !o.explicit)
            {
                let first = current.map_or(i, |o| o.first);
                current = Some(Open {
                    first,
                    content: i + 1,
                    has_content: false,
                    explicit: false,
                    inline_start: false,
                });
            } else if !self.lines[i].trivia {
                match &mut current {
                    Some(open) => open.has_content = true,
                    None => {
                        current = Some(Open {
                            first: i,
                            content: i,
                            has_content: true,
                            explicit: false,
                            inline_start: false,
                        });
                    }
                }
            }
        }
        if let Some(open) = current {
            let end = self.lines.len();
            close(&mut chunks, open, end, end);
        }
        chunks
    }

    /// The text of `span` as tree-sitter should see it.
    fn piece_text(&self, span: Span) -> Cow<'t, str> {
        let range = self.byte_range(span);
        let text = &self.text[range.clone()];
        let blank = span
            .blank_to
            .saturating_sub(range.start)
            .min(self.lines[span.first].end - range.start);
        if blank == 0 {
            return Cow::Borrowed(text);
        }
        let mut owned = String::with_capacity(text.len());
        owned.extend(std::iter::repeat_n(' ', blank));
        owned.push_str(&text[blank..]);
        Cow::Owned(owned)
    }

    /// Why tree-sitter-yaml must not see `span`, if it must not: a line too deep, or too many
    /// lines.
    fn limit(&self, span: Span) -> Option<SyntaxError> {
        for i in span.first..span.end {
            let line = self.lines[i];
            let structural = if i == span.first && span.blank_to > line.start {
                let from = self.content_start(span, i);
                structural_column(
                    &self.text.as_bytes()[line.start..line.end],
                    from - line.start,
                )
            } else {
                line.structural
            };
            if structural >= BLOCK_COLUMN_LIMIT && !self.is_trivia(span, i) {
                return Some(self.too_deep_line(span, i));
            }
        }
        let rows_end = self.lines.get(span.end).map_or_else(
            || self.lines.last().map_or(0, |l| l.rows_before),
            |l| l.rows_before,
        );
        let rows = rows_end - self.lines[span.first].rows_before;
        (rows > MAX_ROWS).then(|| {
            SyntaxError::new(
                TextRange::new(self.content_start(span, span.first), self.trimmed_end(span.end - 1).max(self.content_start(span, span.first))),
                format!("this YAML value spans {rows} lines, more than the YAML parser can follow at once ({MAX_ROWS}): it is not checked"),
            )
        })
    }

    fn too_deep_line(&self, span: Span, i: usize) -> SyntaxError {
        let start = self.content_start(span, i);
        SyntaxError {
            range: TextRange::new(start, self.trimmed_end(i).max(start)),
            message: format!(
                "YAML block nesting indented {BLOCK_COLUMN_LIMIT} columns or more: the YAML parser cannot follow it, so this value is not checked"
            ),
            kind: SyntaxErrorKind::TooDeep,
        }
    }

    /// Parses the text of `span`: its skeleton when it has one that parses cleanly with each
    /// cut inside its own scalar, else the text as written.
    fn parse_span(&mut self, span: Span) -> Parsed<'t> {
        let text = self.piece_text(span);
        if let Some(min) = self.min_cut
            && let Some(skeleton) = Skeleton::of(&text, min)
        {
            let tree = self.ts.parse(skeleton.text.as_bytes(), None);
            if let Some(tree) = tree.filter(|t| is_clean(t, &skeleton.text) && skeleton.holds(t)) {
                return Parsed {
                    text,
                    tree: Some(tree),
                    skeleton: Some(skeleton),
                };
            }
        }
        let tree = self.ts.parse(text.as_bytes(), None);
        Parsed {
            text,
            tree,
            skeleton: None,
        }
    }

    fn document(&mut self, chunk: Chunk) -> Document {
        let trivia = |i: &usize| !self.is_trivia(chunk.lines, *i);
        let first = (chunk.lines.first..chunk.lines.end)
            .find(trivia)
            .unwrap_or(chunk.lines.first);
        let last = (chunk.lines.first..chunk.lines.end)
            .rev()
            .find(trivia)
            .unwrap_or(first);
        let start = self.content_start(chunk.lines, first);
        let range = TextRange::new(start, self.trimmed_end(last).max(start));
        let mut lw = Lowerer::new(self.text);
        let limit = self.limit(chunk.lines);
        let parsed = if limit.is_none() {
            Some(self.parse_span(chunk.lines))
        } else {
            None
        };
        let base = self.byte_range(chunk.lines).start;
        let clean = parsed.as_ref().and_then(|p| Some((p, p.clean()?)));
        let root = match (clean, &parsed, limit) {
            (Some((parsed, tree)), _, _) => lw.document_value(parsed.piece(base), tree, -1, 0),
            (_, _, Some(limit)) if chunk.inline_start => {
                lw.errors.push(limit);
                Some(Node::new(range, Value::Unknown))
            }
            (
                _,
                Some(
                    p @ Parsed {
                        tree: Some(tree), ..
                    },
                ),
                _,
            ) if chunk.inline_start => {
                lw.tree_errors(p.piece(base), tree);
                Some(Node::new(range, Value::Unknown))
            }
            _ => {
                let root = self.block(&mut lw, chunk.content, -1, 0);
                if let (
                    true,
                    Some(
                        p @ Parsed {
                            tree: Some(tree), ..
                        },
                    ),
                ) = (lw.errors.is_empty(), &parsed)
                {
                    // The trouble is outside the content (a directive, a marker).
                    lw.tree_errors(p.piece(base), tree);
                }
                root
            }
        };
        let mut errors = lw.errors;
        errors.sort_by_key(|e| (e.range.start, e.range.end));
        errors.dedup();
        Document {
            range,
            root,
            errors,
        }
    }

    /// Lowers the block in `span` (a value whose lines are `span`), whose parent collection is
    /// at column `parent` (-1 at the top of a document), at nesting `depth`.
    fn block(
        &mut self,
        lw: &mut Lowerer<'_>,
        span: Span,
        parent: i64,
        depth: usize,
    ) -> Option<Node> {
        let first = (span.first..span.end).find(|&i| !self.is_trivia(span, i))?;
        let last = (first..span.end)
            .rev()
            .find(|&i| !self.is_trivia(span, i))
            .unwrap_or(first);
        let start = self.content_start(span, first);
        let content = TextRange::new(start, self.trimmed_end(last).max(start));
        let column = self.column(span, first);
        if column >= BLOCK_COLUMN_LIMIT {
            lw.errors.push(self.too_deep_line(span, first));
            return Some(Node::new(content, Value::Unknown));
        }
        let limit = self.limit(span);
        let parsed = if limit.is_none() {
            Some(self.parse_span(span))
        } else {
            None
        };
        let base = self.byte_range(span).start;
        if let Some(parsed) = &parsed
            && let Some(tree) = parsed.clean()
        {
            return lw.document_value(parsed.piece(base), tree, parent, depth);
        }
        let kind = self.kind(span, first);
        let errors_before = lw.errors.len();
        let value = match kind {
            BlockKind::Mapping | BlockKind::Sequence if depth >= MAX_DEPTH => {
                lw.errors.push(SyntaxError::too_deep(content.head(1)));
                Value::Unknown
            }
            BlockKind::Mapping => {
                let mut pairs = Vec::new();
                for entry in self.entries(lw, span, first, column, kind) {
                    pairs.extend(self.map_entry(lw, entry, column, depth));
                }
                Value::Object(lower::finish(pairs))
            }
            BlockKind::Sequence => {
                let mut items = Vec::new();
                for entry in self.entries(lw, span, first, column, kind) {
                    items.extend(self.seq_entry(lw, entry, column, depth));
                }
                Value::Array(items)
            }
            BlockKind::Atomic => Value::Unknown,
        };
        if lw.errors.len() == errors_before {
            // Nothing inside explains the failure: report it as a whole.
            match (&parsed, limit) {
                (
                    Some(
                        p @ Parsed {
                            tree: Some(tree), ..
                        },
                    ),
                    _,
                ) => {
                    lw.tree_errors(p.piece(base), tree);
                }
                (_, Some(limit)) if kind == BlockKind::Atomic => lw.errors.push(limit),
                _ => {}
            }
        }
        let end = match &value {
            Value::Object(members) => members.iter().map(|m| m.range().end).max(),
            Value::Array(items) => items.iter().map(|i| i.range.end).max(),
            _ => None,
        };
        let range = TextRange {
            start: content.start,
            end: end.unwrap_or(content.end).max(content.start),
        };
        Some(Node::new(range, value))
    }

    /// What the block starting at line `first` of `span` is, from that line.
    fn kind(&self, span: Span, first: usize) -> BlockKind {
        let line = self.lines[first];
        let at = self.content_start(span, first) - line.start;
        let text = self.line_text(first);
        let bytes = text.as_bytes();
        if bytes[at] == b'-' && bytes.get(at + 1).is_none_or(|&b| is_space(b)) {
            BlockKind::Sequence
        } else if key_line(text, line.start, at).is_some() {
            BlockKind::Mapping
        } else {
            BlockKind::Atomic
        }
    }

    /// Whether line `i` (at the block's column) starts a new entry of a block of `kind`, or
    /// continues the one before; `None` when it belongs in neither.
    fn starts_entry(&self, i: usize, kind: BlockKind) -> Option<bool> {
        let line = self.lines[i];
        let bytes = &self.text.as_bytes()[line.start + line.indent..line.end];
        if bytes[0] == b'\t' {
            return None;
        }
        let dash = bytes[0] == b'-' && bytes.get(1).is_none_or(|&b| is_space(b));
        let closer = matches!(bytes[0], b']' | b'}' | b',');
        match kind {
            BlockKind::Sequence if dash => Some(true),
            BlockKind::Sequence if closer => Some(false),
            BlockKind::Mapping
                if dash
                    || closer
                    || bytes[0] == b':' && bytes.get(1).is_none_or(|&b| is_space(b)) =>
            {
                Some(false)
            }
            BlockKind::Mapping => Some(true),
            _ => None,
        }
    }

    /// Cuts a block at `column` into its entries. Lines that belong to no entry (indented less
    /// than the block, or a key among list items) are reported and skipped, with the lines
    /// nested under them.
    fn entries(
        &self,
        lw: &mut Lowerer<'_>,
        span: Span,
        first: usize,
        column: usize,
        kind: BlockKind,
    ) -> Vec<Span> {
        let mut entries = Vec::new();
        let entry = |start: usize, end: usize| Span {
            first: start,
            end,
            blank_to: if start == first { span.blank_to } else { 0 },
        };
        // The first line of the entry being read; `None` while skipping misplaced lines.
        let mut current = Some(first);
        for i in first + 1..span.end {
            if self.is_trivia(span, i) {
                continue;
            }
            let indent = self.lines[i].indent;
            if indent > column {
                continue;
            }
            let starts = if indent == column {
                self.starts_entry(i, kind)
            } else {
                None
            };
            match (starts, current) {
                (Some(false), Some(_)) => {}
                (Some(true), _) => {
                    if let Some(start) = current.replace(i) {
                        entries.push(entry(start, i));
                    }
                }
                (_, Some(start)) => {
                    entries.push(entry(start, i));
                    lw.errors.push(self.misplaced(i, column, kind));
                    current = None;
                }
                (_, None) => {}
            }
        }
        if let Some(start) = current {
            entries.push(entry(start, span.end));
        }
        entries
    }

    fn misplaced(&self, i: usize, column: usize, kind: BlockKind) -> SyntaxError {
        let line = self.lines[i];
        let start = line.start + line.indent;
        if self.text.as_bytes()[start] == b'\t' {
            return SyntaxError::new(TextRange::new(start, start + 1), lower::TAB_MESSAGE);
        }
        let message = if line.indent < column {
            format!(
                "invalid YAML: bad indentation: this line is indented {} spaces, less than the {column} of the block it is in",
                line.indent
            )
        } else if kind == BlockKind::Sequence {
            "invalid YAML: expected a `- ` list item here, at the indentation of the list above"
                .to_owned()
        } else {
            "invalid YAML: expected a `key: value` entry here, at the indentation of the mapping above".to_owned()
        };
        SyntaxError::new(
            TextRange::new(start, self.trimmed_end(i).max(start)),
            message,
        )
    }

    /// One entry of a block mapping.
    fn map_entry(
        &mut self,
        lw: &mut Lowerer<'_>,
        entry: Span,
        column: usize,
        depth: usize,
    ) -> Vec<Pair> {
        let limit = self.limit(entry);
        let parsed = if limit.is_none() {
            Some(self.parse_span(entry))
        } else {
            None
        };
        let base = self.byte_range(entry).start;
        if let Some(parsed) = &parsed
            && let Some(tree) = parsed.clean()
            && let Some(pairs) = lw.document_pairs(parsed.piece(base), tree, depth)
        {
            return pairs;
        }
        let line = self.lines[entry.first];
        let at = self.content_start(entry, entry.first) - line.start;
        let Some(key) = key_line(self.line_text(entry.first), line.start, at) else {
            self.report(lw, &parsed, base, limit);
            return Vec::new();
        };
        let rest = &self.text[key.rest..line.end];
        let value = match nested_value(rest) {
            Some(anchor) => {
                let below = Span {
                    first: entry.first + 1,
                    end: entry.end,
                    blank_to: 0,
                };
                let value = if below.first < below.end {
                    self.block(lw, below, column as i64, depth + 1)
                } else {
                    None
                };
                let value = value
                    .unwrap_or_else(|| Node::new(TextRange::empty(key.colon_end), Value::Null));
                if let Some(name) = anchor {
                    lw.anchor(name, &value);
                }
                value
            }
            None => {
                let last = (entry.first..entry.end)
                    .rev()
                    .find(|&i| !self.is_trivia(entry, i))
                    .unwrap_or(entry.first);
                let range = TextRange::new(key.rest, self.trimmed_end(last).max(key.rest));
                // A limit is about the value, not the key.
                self.report(lw, &parsed, base, limit.map(|e| SyntaxError { range, ..e }));
                Node::new(range, Value::Unknown)
            }
        };
        if key.key == "<<" {
            return vec![lw.merge(key.key_range, value)];
        }
        vec![Pair::Member(Member {
            key: key.key,
            key_range: key.key_range,
            value,
        })]
    }

    /// One item of a block sequence.
    fn seq_entry(
        &mut self,
        lw: &mut Lowerer<'_>,
        entry: Span,
        column: usize,
        depth: usize,
    ) -> Vec<Node> {
        if self.limit(entry).is_none() {
            let base = self.byte_range(entry).start;
            let parsed = self.parse_span(entry);
            if let Some(tree) = parsed.clean()
                && let Some(items) = lw.document_items(parsed.piece(base), tree, depth)
            {
                return items;
            }
        }
        let dash = self.content_start(entry, entry.first);
        let rest = &self.text[dash + 1..self.lines[entry.first].end];
        let value = match nested_value(rest) {
            Some(anchor) => {
                let below = Span {
                    first: entry.first + 1,
                    end: entry.end,
                    blank_to: 0,
                };
                let value = if below.first < below.end {
                    self.block(lw, below, column as i64, depth + 1)
                } else {
                    None
                };
                let value =
                    value.unwrap_or_else(|| Node::new(TextRange::empty(dash + 1), Value::Null));
                if let Some(name) = anchor {
                    lw.anchor(name, &value);
                }
                value
            }
            None => {
                let inline = Span {
                    blank_to: dash + 1,
                    ..entry
                };
                self.block(lw, inline, column as i64, depth + 1)
                    .unwrap_or_else(|| Node::new(TextRange::empty(dash + 1), Value::Null))
            }
        };
        vec![value]
    }

    /// Reports why an entry that cannot be split did not parse.
    fn report(
        &self,
        lw: &mut Lowerer<'_>,
        parsed: &Option<Parsed<'t>>,
        base: usize,
        limit: Option<SyntaxError>,
    ) {
        match (parsed, limit) {
            (
                Some(
                    p @ Parsed {
                        tree: Some(tree), ..
                    },
                ),
                _,
            ) => lw.tree_errors(p.piece(base), tree),
            (_, Some(limit)) => lw.errors.push(limit),
            _ => {}
        }
    }
}

/// A tree with no error that holds at most one document and covers all of its text.
fn is_clean(tree: &tree_sitter::Tree, text: &str) -> bool {
    let root = tree.root_node();
    if root.has_error() || root.kind() != "stream" {
        return false;
    }
    let mut cursor = root.walk();
    let documents = root
        .named_children(&mut cursor)
        .filter(|n| n.kind() == "document")
        .count();
    documents <= 1 && root.end_byte() >= text.trim_end().len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Number;

    fn r(start: usize, end: usize) -> TextRange {
        TextRange::new(start, end)
    }

    /// The only document of `text`, which must parse without errors.
    fn root(text: &str) -> Node {
        let mut docs = parse(text);
        assert_eq!(docs.len(), 1, "{docs:?}");
        let doc = docs.remove(0);
        assert!(doc.errors.is_empty(), "{:?}", doc.errors);
        doc.root.expect("a value")
    }

    /// The only document of `text`, errors allowed.
    fn broken(text: &str) -> (Node, Vec<(TextRange, String)>) {
        let mut docs = parse(text);
        assert_eq!(docs.len(), 1, "{docs:?}");
        let doc = docs.remove(0);
        let errors = doc
            .errors
            .into_iter()
            .map(|e| (e.range, e.message))
            .collect();
        (doc.root.expect("a value"), errors)
    }

    fn string(s: &str) -> Value {
        Value::String(s.to_owned())
    }

    fn float(f: f64) -> Value {
        Value::Number(Number::from_f64(f).unwrap())
    }

    #[test]
    fn block_mapping_keys_values_and_ranges() {
        let text = "model: claude-opus-5\nmax_tokens: 1024 # plenty\nmessages:\n  - role: user\n    content: Hi\n";
        let node = root(text);
        assert_eq!(node.range, r(0, 87));
        let model = node.member("model").unwrap();
        assert_eq!((model.key_range, model.value.range), (r(0, 5), r(7, 20)));
        assert_eq!(model.value.value, string("claude-opus-5"));
        let max = node.member("max_tokens").unwrap();
        assert_eq!(
            (max.key_range, max.value.range, max.value.as_u64()),
            (r(21, 31), r(33, 37), Some(1024))
        );
        let messages = node.get("messages").unwrap();
        assert_eq!(messages.range, r(59, 87));
        let message = &messages.as_array().unwrap()[0];
        assert_eq!(message.range, r(61, 87));
        let content = message.member("content").unwrap();
        assert_eq!(
            (content.key_range, content.value.range),
            (r(76, 83), r(85, 87))
        );
        assert_eq!(content.value.value, string("Hi"));
    }

    #[test]
    fn flow_collections_and_json_text() {
        let node = root(r#"{"a": [1, 2.5, "x"], b: {c, d: }, e: [f: 1, g]}"#);
        let a = node.get("a").unwrap();
        assert_eq!(a.range, r(6, 19));
        let items: Vec<_> = a
            .as_array()
            .unwrap()
            .iter()
            .map(|n| (n.range, n.value.clone()))
            .collect();
        assert_eq!(
            items,
            vec![
                (r(7, 8), Value::Number(1.into())),
                (r(10, 13), float(2.5)),
                (r(15, 18), string("x"))
            ]
        );
        assert_eq!(node.member("a").unwrap().key_range, r(1, 4));
        let b = node.get("b").unwrap();
        assert_eq!(b.range, r(24, 32));
        let c = b.member("c").unwrap();
        assert_eq!(
            (c.key_range, c.value.range, &c.value.value),
            (r(25, 26), r(26, 26), &Value::Null)
        );
        let d = b.member("d").unwrap();
        assert_eq!((d.value.range, &d.value.value), (r(30, 30), &Value::Null));
        let e = node.get("e").unwrap().as_array().unwrap();
        assert_eq!(e[0].range, r(38, 42));
        assert_eq!(e[0].get("f").unwrap().as_u64(), Some(1));
        assert_eq!((e[1].range, &e[1].value), (r(44, 45), &string("g")));
    }

    #[test]
    fn quoted_scalars_decode_and_ranges_cover_the_quotes() {
        let text = "a: \"tab\\there \\u00e9 \\\"q\\\"\"\nb: 'it''s'\nc: \"one\n  two\n\n  three\"\nd: 'x\n  y'\n";
        let node = root(text);
        let a = node.get("a").unwrap();
        assert_eq!((a.range, a.as_str()), (r(3, 27), Some("tab\there é \"q\"")));
        let b = node.get("b").unwrap();
        assert_eq!((b.range, b.as_str()), (r(31, 38), Some("it's")));
        let c = node.get("c").unwrap();
        assert_eq!((c.range, c.as_str()), (r(42, 62), Some("one two\nthree")));
        assert_eq!(node.get("d").unwrap().as_str(), Some("x y"));
    }

    #[test]
    fn plain_scalars_fold_and_resolve() {
        let text = "a: one\n  two\n\n  three\nb: ~\nc:\nd: True\ne: 0x1F\nf: 0o17\ng: -1.5e2\nh: .inf\ni: .NaN\nj: 12abc\nk: null\n";
        let node = root(text);
        let value = |key: &str| node.get(key).unwrap().value.clone();
        assert_eq!(value("a"), string("one two\nthree"));
        assert_eq!(node.get("a").unwrap().range, r(3, 21));
        assert_eq!(value("b"), Value::Null);
        assert_eq!(value("c"), Value::Null);
        assert_eq!(node.get("c").unwrap().range, r(29, 29));
        assert_eq!(value("d"), Value::Bool(true));
        assert_eq!(value("e"), Value::Number(31.into()));
        assert_eq!(value("f"), Value::Number(15.into()));
        assert_eq!(value("g"), float(-150.0));
        assert_eq!(value("h"), Value::Unknown);
        assert_eq!(value("i"), Value::Unknown);
        assert_eq!(value("j"), string("12abc"));
        assert_eq!(value("k"), Value::Null);
    }

    #[test]
    fn a_plain_scalar_the_text_ends_in_may_be_cut() {
        // The cursor is after `claude-son`: the value may be half typed, and is not judged.
        let node = root("role: assis\nmodel: claude-son");
        assert_eq!(node.get("role").unwrap().value, string("assis"));
        let model = node.get("model").unwrap();
        assert_eq!((model.range, &model.value), (r(19, 29), &Value::Unknown));
        // With a line break, a space or a comment after it, it is written out.
        for text in [
            "model: claude-son\n",
            "model: claude-son ",
            "model: claude-son # x",
        ] {
            assert_eq!(root(text).get("model").unwrap().value, string("claude-son"));
        }
        // In a flow collection or a list, the same.
        let node = root("messages: [{role: user, content: hi}]\nstop_sequences:\n  - 10");
        let stop = node.get("stop_sequences").unwrap().as_array().unwrap();
        assert_eq!(stop[0].value, Value::Unknown);
        assert_eq!(root("a: 1\nb: 10").get("b").unwrap().value, Value::Unknown);
    }

    #[test]
    fn block_scalars_with_chomping_and_indentation_indicators() {
        let text = "lit: |\n  one\n   two\n\nfold: >\n  a\n  b\n\n  c\nstrip: |-\n  x\n\nkeep: |+\n  y\n\n\nind: |2\n    four\n  two\nlast: >-\n  end\n";
        let node = root(text);
        let value = |key: &str| node.get(key).unwrap().as_str().unwrap().to_owned();
        assert_eq!(value("lit"), "one\n two\n");
        assert_eq!(node.get("lit").unwrap().range, r(5, 19));
        assert_eq!(value("fold"), "a b\nc\n");
        assert_eq!(value("strip"), "x");
        assert_eq!(value("keep"), "y\n\n\n");
        assert_eq!(value("ind"), "  four\ntwo\n");
        assert_eq!(value("last"), "end");
        // A list item's block scalar counts its indentation indicator from the list's column.
        let node = root("items:\n  - |1\n    x\n");
        assert_eq!(
            node.get("items").unwrap().as_array().unwrap()[0].as_str(),
            Some(" x\n")
        );
    }

    #[test]
    fn tags_force_or_check_types() {
        let text = "a: !!str 1\nb: !!int \"12\"\nc: !custom 5\nd: ! true\ne: !!str\nf: !<tag:yaml.org,2002:str> 2\ng: !!float 3\n";
        let node = root(text);
        let value = |key: &str| node.get(key).unwrap().value.clone();
        assert_eq!(value("a"), string("1"));
        assert_eq!(node.get("a").unwrap().range, r(3, 10));
        assert_eq!(value("b"), Value::Number(12.into()));
        assert_eq!(value("c"), Value::Number(5.into()));
        assert_eq!(value("d"), string("true"));
        assert_eq!(value("e"), string(""));
        assert_eq!(node.get("e").unwrap().range, r(51, 56));
        assert_eq!(value("f"), string("2"));
        assert_eq!(value("g"), float(3.0));
        let (node, errors) = broken("a: !!int abc\n");
        assert_eq!(node.get("a").unwrap().value, Value::Unknown);
        assert_eq!(
            errors,
            vec![(
                r(9, 12),
                "invalid YAML: `abc` is not a valid `!!int`".to_owned()
            )]
        );
    }

    #[test]
    fn aliases_copy_the_anchored_value_at_their_own_range() {
        let text = "base: &b {model: claude-opus-5, n: [1]}\ncopy: *b\n";
        let node = root(text);
        let copy = node.get("copy").unwrap();
        assert_eq!(copy.range, r(46, 48));
        let model = copy.member("model").unwrap();
        assert_eq!((model.key_range, model.value.range), (r(46, 48), r(46, 48)));
        assert_eq!(model.value.as_str(), Some("claude-opus-5"));
        assert_eq!(
            copy.get("n").unwrap().as_array().unwrap()[0].range,
            r(46, 48)
        );
        // The anchored value itself keeps its place; its range covers the anchor.
        assert_eq!(node.get("base").unwrap().range, r(6, 39));
        let (node, errors) = broken("a: *nope\nb: &nope 1\n");
        assert_eq!(node.get("a").unwrap().value, Value::Unknown);
        assert_eq!(
            errors,
            vec![(
                r(3, 8),
                "invalid YAML: the alias `*nope` refers to no anchor `&nope` before it".to_owned()
            )]
        );
    }

    #[test]
    fn alias_expansion_is_bounded() {
        let mut text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n".to_owned();
        for level in 1..10 {
            let prev = (b'a' + level - 1) as char;
            let name = (b'a' + level) as char;
            text.push_str(&format!(
                "{name}: &{name} [{}]\n",
                vec![format!("*{prev}"); 10].join(", ")
            ));
        }
        let mut docs = parse(&text);
        let doc = docs.remove(0);
        assert_eq!(doc.errors.len(), 1, "{:?}", doc.errors);
        assert!(
            doc.errors[0]
                .message
                .starts_with("aliases in this document expand to more than 200000 values")
        );
        let mut count = 0;
        crate::syntax::walk(doc.root.as_ref().unwrap(), |_| count += 1);
        assert!(count < 300_000, "{count}");
    }

    #[test]
    fn merge_keys_bring_members_the_mapping_does_not_set() {
        let text = "defaults: &d {model: claude-opus-5, max_tokens: 10}\nmore: &m {stream: true, max_tokens: 20}\nreq:\n  <<: [*d, *m]\n  max_tokens: 30\n";
        let node = root(text);
        let req = node.get("req").unwrap();
        let keys: Vec<_> = req
            .as_object()
            .unwrap()
            .iter()
            .map(|m| (m.key.as_str(), m.key_range))
            .collect();
        assert_eq!(
            keys,
            vec![
                ("model", r(104, 106)),
                ("stream", r(108, 110)),
                ("max_tokens", r(114, 124))
            ]
        );
        assert_eq!(req.get("max_tokens").unwrap().as_u64(), Some(30));
        let (_, errors) = broken("a:\n  <<: 5\n");
        assert_eq!(
            errors,
            vec![(r(5, 7), "invalid YAML: the merge key `<<` takes a mapping or a list of mappings, not a number".to_owned())]
        );
    }

    #[test]
    fn comments_and_non_scalar_keys() {
        let text =
            "# head\na: 1 # one\n# between\n? [x, y]\n: skipped\n1: number key\ntrue: bool key\n";
        let node = root(text);
        let keys: Vec<_> = node
            .as_object()
            .unwrap()
            .iter()
            .map(|m| m.key.as_str())
            .collect();
        assert_eq!(keys, vec!["a", "1", "true"]);
        assert_eq!(node.range, r(7, 75));
    }

    #[test]
    fn streams_split_into_documents() {
        let text = "# first\na: 1\n---\nb: 2\n...\n%YAML 1.2\n---\n- c\n---\n";
        let docs = parse(text);
        let summary: Vec<_> = docs
            .iter()
            .map(|d| (d.range, d.root.as_ref().map(|n| n.range), d.errors.len()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (r(8, 12), Some(r(8, 12)), 0),
                (r(13, 25), Some(r(17, 21)), 0),
                (r(26, 43), Some(r(40, 43)), 0),
                (r(44, 47), None, 0),
            ]
        );
        assert_eq!(
            docs[1].root.as_ref().unwrap().get("b").unwrap().as_u64(),
            Some(2)
        );
        assert!(parse("# only a comment\n\n").is_empty());
        assert!(parse("").is_empty());
    }

    #[test]
    fn byte_order_mark_and_crlf() {
        let node = root("\u{feff}a: 1\r\nb: |\r\n  x\r\n  y\r\n");
        assert_eq!(node.member("a").unwrap().key_range, r(3, 4));
        assert_eq!(node.get("b").unwrap().as_str(), Some("x\ny\n"));
    }

    #[test]
    fn broken_lines_cost_only_their_own_value() {
        let text = "model: claude-opus-5\nmax_tokens: 10: 3\nmessages:\n  - role: user\n    content: \"Hello\n  - role: assistant\n   bad: 1\nstop: x\n";
        let (node, errors) = broken(text);
        assert_eq!(
            errors,
            vec![
                (r(35, 36), "invalid YAML: unexpected `:` (a plain value cannot contain `: `; put the value in quotes)".to_owned()),
                (r(77, 78), "invalid YAML: this string is never closed".to_owned()),
                (r(107, 113), "invalid YAML: bad indentation: this line is indented 3 spaces, less than the 4 of the block it is in".to_owned()),
            ]
        );
        assert_eq!(node.get("model").unwrap().as_str(), Some("claude-opus-5"));
        let max = node.get("max_tokens").unwrap();
        assert_eq!((max.range, &max.value), (r(33, 38), &Value::Unknown));
        let messages = node.get("messages").unwrap().as_array().unwrap();
        assert_eq!(messages.len(), 2);
        let content = messages[0].get("content").unwrap();
        assert_eq!(
            (content.range, &content.value),
            (r(77, 83), &Value::Unknown)
        );
        assert_eq!(messages[1].get("role").unwrap().as_str(), Some("assistant"));
        assert_eq!(node.get("stop").unwrap().as_str(), Some("x"));
    }

    #[test]
    fn precise_messages_for_classic_mistakes() {
        let cases = [
            (
                "a:\n\tb: 1\nc: 2\n",
                "invalid YAML: a tab in indentation (YAML indents with spaces only)",
                3..4,
            ),
            (
                "a: [x, y\nb: 1\n",
                "invalid YAML: this `[` is never closed",
                3..4,
            ),
            (
                "a: \"x\\qy\"\n",
                "invalid YAML: `\\q` is not an escape YAML knows in a double-quoted string",
                5..7,
            ),
            (
                "a: @x\n",
                "invalid YAML: `@` is reserved and cannot start a plain value; put the value in quotes",
                3..5,
            ),
            (
                "- a\nb: 1\n",
                "invalid YAML: expected a `- ` list item here, at the indentation of the list above",
                4..8,
            ),
            ("a: 'x\n", "invalid YAML: this string is never closed", 3..4),
            ("a: {x: 1]\n", "invalid YAML: unexpected `]`", 8..9),
        ];
        for (text, message, range) in cases {
            let (_, errors) = broken(text);
            assert_eq!(errors.len(), 1, "{text:?}: {errors:?}");
            assert_eq!(
                (errors[0].0.to_range(), errors[0].1.as_str()),
                (range, message),
                "{text:?}"
            );
        }
    }

    #[test]
    fn flow_nesting_stops_at_max_depth() {
        let deep = format!("a: {}{}\nb: 1\n", "[".repeat(300), "]".repeat(300));
        let (node, errors) = broken(&deep);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].0, r(3 + MAX_DEPTH - 1, 3 + MAX_DEPTH));
        assert!(errors[0].1.starts_with("nesting deeper than 256 levels"));
        assert_eq!(node.get("b").unwrap().as_u64(), Some(1));
        let mut innermost = node.get("a").unwrap();
        let mut depth = 1;
        while let Some([only]) = innermost.as_array() {
            innermost = only;
            depth += 1;
        }
        assert_eq!((depth, &innermost.value), (MAX_DEPTH, &Value::Unknown));
    }

    #[test]
    fn hundred_thousand_levels_do_not_overflow() {
        let n = 100_000;
        let flow = format!(
            "model: claude-opus-5\nx: {}{}\n",
            "{a: ".repeat(n),
            "}".repeat(n)
        );
        let (node, errors) = broken(&flow);
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].0,
            r(24 + 4 * (MAX_DEPTH - 1), 25 + 4 * (MAX_DEPTH - 1))
        );
        assert_eq!(node.get("model").unwrap().as_str(), Some("claude-opus-5"));
        let unclosed = format!("a: {}\n", "[".repeat(n));
        let (_, errors) = broken(&unclosed);
        assert_eq!(
            errors,
            vec![(r(3, 4), "invalid YAML: this `[` is never closed".to_owned())]
        );
    }

    #[test]
    fn deep_block_nesting_is_refused_before_the_parser_sees_it() {
        let message = "YAML block nesting indented 120 columns or more: the YAML parser cannot follow it, so this value is not checked";
        // Indented mappings, a key per level.
        let mut text = "model: claude-opus-5\ntools:\n".to_owned();
        for level in 1..=200 {
            text.push_str(&format!("{}k:\n", " ".repeat(level)));
        }
        text.push_str("after: 1\n");
        let mut docs = parse(&text);
        let doc = docs.remove(0);
        let errors: Vec<_> = doc
            .errors
            .iter()
            .map(|e| (e.range, e.message.as_str(), e.kind))
            .collect();
        let start = 28 + (1..120).map(|l| l + 3).sum::<usize>() + 120;
        assert_eq!(
            errors,
            vec![(r(start, start + 2), message, SyntaxErrorKind::TooDeep)]
        );
        let root = doc.root.unwrap();
        assert_eq!(root.get("after").unwrap().as_u64(), Some(1));
        let mut node = root.get("tools").unwrap();
        let mut levels = 0;
        while let Some(inner) = node.get("k") {
            node = inner;
            levels += 1;
        }
        assert_eq!((levels, &node.value), (119, &Value::Unknown));
        // A list item per level, on one line.
        let text = format!("{}x\n", "- ".repeat(100_000));
        let mut docs = parse(&text);
        let doc = docs.remove(0);
        assert_eq!(doc.errors.len(), 1);
        assert_eq!(
            (doc.errors[0].range, doc.errors[0].kind),
            (r(120, 200_001), SyntaxErrorKind::TooDeep)
        );
    }

    #[test]
    fn values_longer_than_the_parser_can_count_are_refused() {
        let mut text = "model: claude-opus-5\nmax_tokens: 1\nsystem: |\n".to_owned();
        let body_start = text.len() - 2;
        for i in 0..40_000 {
            text.push_str(&format!("  line {i}\n"));
        }
        let body_end = text.len() - 1;
        text.push_str("stop: x\n");
        let (node, errors) = broken(&text);
        assert_eq!(
            errors,
            vec![(
                r(body_start, body_end),
                "this YAML value spans 40001 lines, more than the YAML parser can follow at once (32000): it is not checked".to_owned()
            )]
        );
        assert_eq!(node.get("system").unwrap().value, Value::Unknown);
        assert_eq!(node.get("max_tokens").unwrap().as_u64(), Some(1));
        assert_eq!(node.get("stop").unwrap().as_str(), Some("x"));
        // A long list is split into its items, which parse on their own.
        let mut text = "messages:\n".to_owned();
        for _ in 0..20_000 {
            text.push_str("- role: user\n  content: hi\n");
        }
        let node = root(&text);
        assert_eq!(
            node.get("messages").unwrap().as_array().unwrap().len(),
            20_000
        );
    }
}
