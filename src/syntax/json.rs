//! JSON and JSONC into the payload tree.
//!
//! Two parsers, one result. Valid documents (nearly every file a batch run sees) go through a
//! strict hand-written parser that builds the tree in one pass at several hundred MB/s. When it
//! meets anything it does not accept, the text is handed to tree-sitter-json, whose error
//! recovery keeps every intact part of a half-typed file and marks the broken spots. The README
//! has the measurement behind this split. Comments (`//`, `/* */`) are accepted by both, so
//! JSONC files and commented fixtures parse.

use super::tree::{MAX_DEPTH, Member, Node, SyntaxError, TextRange, Value};

/// The result of parsing one JSON text: a tree (absent only when nothing value-like was found)
/// and the syntax errors, in source order.
#[derive(Debug, Default)]
pub struct Parse {
    /// The root value.
    pub root: Option<Node>,
    /// Syntax errors and nesting-limit errors.
    pub errors: Vec<SyntaxError>,
}

/// Parses `text`, which starts at byte `base` of the host file (JSONL lines, Markdown fences and
/// embedded bodies are parsed in place). Never fails and never recurses deeper than
/// [`MAX_DEPTH`].
///
/// The strict parser recovers from the commonest slips itself (a missing, doubled or trailing
/// comma, a missing colon or value, Python's `True`/`False`/`None`), reporting each at its exact
/// place, and from a text cut off anywhere inside its root (half-typed, or truncated): what is
/// open is closed at the end with one error, and a value the cut may have shortened (a string,
/// a number or literal touching the end) becomes `Unknown`, so no rule judges half a value. On
/// anything else its error is still exact (everything before it is a valid prefix, so
/// tree-sitter's errors before it are recovery noise); tree-sitter then supplies the tree and
/// any later errors. A text that does not start with an object or an array is no request,
/// half-typed or not, and is left at that error: tree-sitter's recovery over megabytes of
/// something else (a log named `.json`) cost seconds and hundreds of megabytes.
pub fn parse(text: &str, base: usize) -> Parse {
    let mut fast = Fast {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        base,
        errors: Vec::new(),
        cut: false,
    };
    match fast.document() {
        Ok(root) => {
            fast.errors.sort_by_key(|e| (e.range.start, e.range.end));
            Parse {
                root,
                errors: fast.errors,
            }
        }
        Err(hard) if !fast.starts_with_container() => Parse {
            root: None,
            errors: [fast.errors, vec![hard]].concat(),
        },
        Err(hard) => {
            let mut parse = tolerant::parse(text, base);
            parse.errors.retain(|e| e.range.start > hard.range.end);
            let mut errors = fast.errors;
            errors.push(hard);
            errors.append(&mut parse.errors);
            parse.errors = errors;
            parse
        }
    }
}

/// The string whose opening quote is at byte `open` of `text`, decoded, and the offset just
/// past its closing quote; `None` when no valid string starts there. Reads exactly as
/// [`parse`] does, so an editor can re-read one edited string instead of the whole text.
pub(crate) fn string_at(text: &str, open: usize) -> Option<(String, usize)> {
    let mut fast = Fast {
        text,
        bytes: text.as_bytes(),
        pos: open,
        base: 0,
        errors: Vec::new(),
        cut: false,
    };
    if fast.bytes.get(open) != Some(&b'"') {
        return None;
    }
    // A string the text ends inside is no string here: the caller re-parses.
    let value = fast.string().ok()??;
    Some((value, fast.pos))
}

/// The fast parser stops at the first error; the tolerant one takes over from there.
type Step<T> = Result<T, SyntaxError>;

struct Fast<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    base: usize,
    errors: Vec<SyntaxError>,
    /// The text ended inside the root and that error is reported: the containers still open
    /// close silently.
    cut: bool,
}

impl Fast<'_> {
    fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    /// Closes a container the text ends inside where `expected` was due, reporting the
    /// innermost one only.
    fn unclosed(&mut self, start: usize, value: Value, expected: &str) -> Step<Node> {
        self.cut_at_end(expected);
        Ok(Node::new(self.range(start, self.pos), value))
    }

    /// Reports, once, that the text ends where `what` was expected.
    fn cut_at_end(&mut self, what: &str) {
        if !self.cut {
            self.cut = true;
            self.errors.push(self.expected(what));
        }
    }

    /// A value the end of the text may have cut short: a string, number or literal.
    fn cut_short(&self, start: usize) -> Node {
        Node::new(self.range(start, self.bytes.len()), Value::Unknown)
    }

    /// A value missing before `,` or a closing bracket (`"n": ,`): reported, and `Unknown` so
    /// that its key still counts as written.
    fn missing_value(&mut self) -> Node {
        self.errors.push(self.expected("a value"));
        Node::new(self.range(self.pos, self.pos), Value::Unknown)
    }

    /// Skips commas doubled after the one just read (`1,, 2`), reporting each.
    fn doubled_commas(&mut self) -> Step<()> {
        while self.bytes.get(self.pos) == Some(&b',') {
            self.errors.push(SyntaxError::new(
                self.range(self.pos, self.pos + 1),
                "invalid JSON: doubled comma",
            ));
            self.pos += 1;
            self.skip_trivia()?;
        }
        Ok(())
    }
    fn document(&mut self) -> Step<Option<Node>> {
        self.skip_trivia()?;
        if self.pos == self.bytes.len() {
            return Ok(None);
        }
        let root = self.value(0)?;
        self.skip_trivia()?;
        if self.pos != self.bytes.len() {
            return Err(self.error_at_token("unexpected text after the JSON value"));
        }
        Ok(Some(root))
    }

    /// True when the first thing after comments and spaces opens an object or an array.
    fn starts_with_container(&mut self) -> bool {
        self.pos = 0;
        self.skip_trivia().is_ok() && matches!(self.bytes.get(self.pos), Some(b'{' | b'['))
    }

    fn range(&self, start: usize, end: usize) -> TextRange {
        TextRange::new(self.base + start, self.base + end)
    }

    /// An error on the character at `pos` (an empty range at the end of the text).
    fn error_at_token(&self, message: &str) -> SyntaxError {
        let len = self.text[self.pos..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        SyntaxError::new(
            self.range(self.pos, self.pos + len),
            format!("invalid JSON: {message}"),
        )
    }

    /// "expected X": names what was found instead.
    fn expected(&self, what: &str) -> SyntaxError {
        let found = match self.bytes.get(self.pos) {
            None => "the end of the text".to_owned(),
            Some(b'\'') => "a single-quoted string (JSON strings use double quotes)".to_owned(),
            Some(_) => {
                let word: String = self.text[self.pos..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .take(16)
                    .collect();
                match word.as_str() {
                    "" => format!("`{}`", self.text[self.pos..].chars().next().unwrap_or(' ')),
                    "True" | "False" => format!("`{word}` (JSON writes `{}`)", word.to_lowercase()),
                    "None" | "nil" | "undefined" => format!("`{word}` (JSON writes `null`)"),
                    "NaN" | "Infinity" => format!("`{word}` (not a JSON number)"),
                    _ => format!("`{word}`"),
                }
            }
        };
        self.error_at_token(&format!("expected {what}, found {found}"))
    }

    fn skip_trivia(&mut self) -> Step<()> {
        loop {
            match self.bytes.get(self.pos) {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.pos += 1,
                Some(b'/') => match self.bytes.get(self.pos + 1) {
                    Some(b'/') => {
                        self.pos = memchr_or_end(b'\n', self.bytes, self.pos);
                    }
                    Some(b'*') => {
                        let rest = &self.text[self.pos + 2..];
                        let Some(close) = rest.find("*/") else {
                            return Err(SyntaxError::new(
                                self.range(self.pos, self.pos + 2),
                                "invalid JSON: this comment is never closed with `*/`",
                            ));
                        };
                        self.pos += 2 + close + 2;
                    }
                    _ => return Err(self.error_at_token("unexpected `/`")),
                },
                _ => return Ok(()),
            }
        }
    }

    fn value(&mut self, depth: usize) -> Step<Node> {
        let start = self.pos;
        match self.bytes.get(self.pos) {
            Some(b'{') | Some(b'[') if depth >= MAX_DEPTH => self.too_deep(),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => match self.string()? {
                Some(s) => Ok(Node::new(self.range(start, self.pos), Value::String(s))),
                None => Ok(self.cut_short(start)),
            },
            Some(b't') => self.literal("true", Value::Bool(true), depth > 0),
            Some(b'f') => self.literal("false", Value::Bool(false), depth > 0),
            Some(b'n') => self.literal("null", Value::Null, depth > 0),
            Some(b'-' | b'0'..=b'9') => self.number(depth > 0),
            Some(b'T') => self.foreign_literal("True", Value::Bool(true)),
            Some(b'F') => self.foreign_literal("False", Value::Bool(false)),
            Some(b'N') => self.foreign_literal("None", Value::Null),
            _ => Err(self.expected("a value")),
        }
    }

    /// True when the next character can start a value (used to recover from a missing comma).
    fn at_value_start(&self) -> bool {
        matches!(
            self.bytes.get(self.pos),
            Some(b'{' | b'[' | b'"' | b't' | b'f' | b'n' | b'-' | b'0'..=b'9')
        )
    }

    /// Python's `True`, `False`, `None` pasted into JSON: reported, and read as meant.
    fn foreign_literal(&mut self, word: &str, value: Value) -> Step<Node> {
        let start = self.pos;
        if !self.bytes[self.pos..].starts_with(word.as_bytes()) {
            return Err(self.expected("a value"));
        }
        self.errors.push(SyntaxError::new(
            self.range(start, start + word.len()),
            format!(
                "invalid JSON: expected a value, found `{word}` (JSON writes `{}`)",
                match word {
                    "None" => "null".to_owned(),
                    other => other.to_lowercase(),
                }
            ),
        ));
        self.pos += word.len();
        Ok(Node::new(self.range(start, self.pos), value))
    }

    fn object(&mut self, depth: usize) -> Step<Node> {
        let start = self.pos;
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_trivia()?;
        if self.at_end() {
            return self.unclosed(start, Value::Object(members), "`}`");
        }
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(Node::new(
                self.range(start, self.pos),
                Value::Object(members),
            ));
        }
        loop {
            if self.bytes.get(self.pos) != Some(&b'"') {
                return Err(self.expected("a key in double quotes"));
            }
            let key_start = self.pos;
            let Some(key) = self.string()? else {
                // A key cut off: not known yet, so not a member.
                return self.unclosed(start, Value::Object(members), "`}`");
            };
            let key_range = self.range(key_start, self.pos);
            self.skip_trivia()?;
            if self.bytes.get(self.pos) == Some(&b':') {
                self.pos += 1;
                self.skip_trivia()?;
            } else if self.at_value_start() {
                self.errors.push(self.expected("`:` after the key"));
            } else if !self.at_end() {
                return Err(self.expected("`:` after the key"));
            }
            let value = if self.at_end() {
                self.cut_at_end("a value");
                self.cut_short(self.pos)
            } else if matches!(self.bytes.get(self.pos), Some(b',' | b'}')) {
                self.missing_value()
            } else {
                self.value(depth + 1)?
            };
            members.push(Member {
                key,
                key_range,
                value,
            });
            self.skip_trivia()?;
            match self.bytes.get(self.pos) {
                None => return self.unclosed(start, Value::Object(members), AFTER_MEMBER),
                Some(b',') => {
                    let comma = self.pos;
                    self.pos += 1;
                    self.skip_trivia()?;
                    self.doubled_commas()?;
                    if self.at_end() {
                        return self.unclosed(start, Value::Object(members), "`}`");
                    }
                    if self.bytes.get(self.pos) == Some(&b'}') {
                        self.errors
                            .push(trailing_comma(self.range(comma, comma + 1)));
                        self.pos += 1;
                        return Ok(Node::new(
                            self.range(start, self.pos),
                            Value::Object(members),
                        ));
                    }
                }
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Node::new(
                        self.range(start, self.pos),
                        Value::Object(members),
                    ));
                }
                // A missing comma between members: the commonest slip; keep going.
                Some(b'"') => self.errors.push(self.expected(AFTER_MEMBER)),
                _ => return Err(self.expected(AFTER_MEMBER)),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Step<Node> {
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_trivia()?;
        if self.at_end() {
            return self.unclosed(start, Value::Array(items), "`]`");
        }
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(Node::new(self.range(start, self.pos), Value::Array(items)));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.skip_trivia()?;
            match self.bytes.get(self.pos) {
                None => return self.unclosed(start, Value::Array(items), AFTER_ELEMENT),
                Some(b',') => {
                    let comma = self.pos;
                    self.pos += 1;
                    self.skip_trivia()?;
                    self.doubled_commas()?;
                    if self.at_end() {
                        return self.unclosed(start, Value::Array(items), "`]`");
                    }
                    if self.bytes.get(self.pos) == Some(&b']') {
                        self.errors
                            .push(trailing_comma(self.range(comma, comma + 1)));
                        self.pos += 1;
                        return Ok(Node::new(self.range(start, self.pos), Value::Array(items)));
                    }
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Node::new(self.range(start, self.pos), Value::Array(items)));
                }
                _ if self.at_value_start() => {
                    self.errors.push(self.expected(AFTER_ELEMENT));
                }
                _ => return Err(self.expected(AFTER_ELEMENT)),
            }
        }
    }

    /// Skips a container nested past [`MAX_DEPTH`] without recursing and lowers it to `Unknown`.
    fn too_deep(&mut self) -> Step<Node> {
        let start = self.pos;
        let mut depth = 0usize;
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        self.pos += 1;
                        let range = self.range(start, self.pos);
                        self.errors.push(SyntaxError::too_deep(range.head(1)));
                        return Ok(Node::new(range, Value::Unknown));
                    }
                }
                b'"' => {
                    self.string()?;
                    continue;
                }
                _ => {}
            }
            self.pos += 1;
        }
        Err(SyntaxError::new(
            self.range(start, start + 1),
            "invalid JSON: this bracket is never closed",
        ))
    }

    /// A `true`, `false` or `null`; `inside` a container, one the text's end cuts short is
    /// `Unknown`.
    fn literal(&mut self, word: &str, value: Value, inside: bool) -> Step<Node> {
        let start = self.pos;
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(Node::new(self.range(start, self.pos), value))
        } else if inside && word.as_bytes().starts_with(&self.bytes[self.pos..]) {
            // `tru` at the end of the text: being typed.
            self.pos = self.bytes.len();
            Ok(self.cut_short(start))
        } else {
            Err(self.expected("a value"))
        }
    }

    /// A number; `inside` a container, one touching the text's end is `Unknown`.
    fn number(&mut self, inside: bool) -> Step<Node> {
        let start = self.pos;
        let b = self.bytes;
        let digits = |pos: &mut usize| {
            let from = *pos;
            while b.get(*pos).is_some_and(u8::is_ascii_digit) {
                *pos += 1;
            }
            *pos > from
        };
        let mut pos = self.pos;
        if b.get(pos) == Some(&b'-') {
            pos += 1;
        }
        let mut valid = if b.get(pos) == Some(&b'0') {
            pos += 1;
            !b.get(pos).is_some_and(u8::is_ascii_digit)
        } else {
            digits(&mut pos)
        };
        if valid && b.get(pos) == Some(&b'.') {
            pos += 1;
            valid = digits(&mut pos);
        }
        if valid && matches!(b.get(pos), Some(b'e' | b'E')) {
            pos += 1;
            if matches!(b.get(pos), Some(b'+' | b'-')) {
                pos += 1;
            }
            valid = digits(&mut pos);
        }
        let number = valid
            .then(|| parse_number(&self.text[start..pos]))
            .flatten();
        if inside && pos == b.len() {
            // Digits at the end of the text may be the first of several.
            self.pos = pos;
            return Ok(self.cut_short(start));
        }
        let Some(number) = number else {
            let end = self.text[start..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || "+-.".contains(c)))
                .map_or(self.text.len(), |i| start + i)
                .max(start + 1);
            return Err(SyntaxError::new(
                self.range(start, end),
                "invalid JSON: malformed number",
            ));
        };
        self.pos = pos;
        Ok(Node::new(self.range(start, pos), Value::Number(number)))
    }

    /// Reads a string starting at its opening quote; leaves `pos` after the closing quote.
    /// `None` when the text ends inside it (reported; `pos` at the end).
    fn string(&mut self) -> Step<Option<String>> {
        let open = self.pos;
        let body_start = open + 1;
        let mut pos = body_start;
        let mut escaped = false;
        loop {
            match self.bytes.get(pos) {
                Some(b'"') => break,
                Some(b'\\') => {
                    escaped = true;
                    pos += 2;
                }
                Some(&c) if c >= 0x20 => pos += 1,
                Some(&c) if !self.bytes[pos..].iter().all(u8::is_ascii_whitespace) => {
                    let what = if c == b'\n' {
                        "a line break"
                    } else {
                        "a control character"
                    };
                    return Err(SyntaxError::new(
                        self.range(pos, pos + 1),
                        format!(
                            "invalid JSON: {what} inside a string (write it as an escape such as `\\n`)"
                        ),
                    ));
                }
                // The text ends inside the string, or only white space follows the line break
                // in it: where the text was cut (an editor's final newline after half a
                // message), not a slip inside a string.
                _ => {
                    self.pos = self.bytes.len();
                    if !self.cut {
                        self.cut = true;
                        self.errors.push(SyntaxError::new(
                            self.range(open, open + 1),
                            "invalid JSON: this string is never closed",
                        ));
                    }
                    return Ok(None);
                }
            }
        }
        let raw = &self.text[body_start..pos];
        self.pos = pos + 1;
        if escaped {
            unescape(raw).map(Some).ok_or_else(|| {
                SyntaxError::new(
                    self.range(open, self.pos),
                    "invalid JSON: this string has an invalid escape (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)",
                )
            })
        } else {
            Ok(Some(raw.to_owned()))
        }
    }
}

/// What must follow an object's member.
const AFTER_MEMBER: &str = "`,` or `}` after this member";

/// What must follow an array's element.
const AFTER_ELEMENT: &str = "`,` or `]` after this element";

fn trailing_comma(range: TextRange) -> SyntaxError {
    SyntaxError::new(
        range,
        "invalid JSON: trailing comma (JSON allows none before a closing bracket)",
    )
}

fn memchr_or_end(needle: u8, bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == needle)
        .map_or(bytes.len(), |i| from + i)
}

/// Parses a JSON number literal. Integers beyond `u64`/`i64` fall back to `f64`, as the API's
/// own parser treats them.
fn parse_number(raw: &str) -> Option<serde_json::Number> {
    raw.parse::<serde_json::Number>().ok().or_else(|| {
        raw.parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
    })
}

/// The length of the escape at the start of `bytes` (which starts with its backslash):
/// `\uD83D\uDE00` pairs count as one.
pub(crate) fn escape_len(bytes: &[u8]) -> usize {
    match bytes.get(1) {
        Some(b'u') => {
            let pair = bytes.len() >= 12
                && bytes[6] == b'\\'
                && bytes[7] == b'u'
                && matches!(bytes[2], b'd' | b'D')
                && matches!(bytes[3], b'8'..=b'9' | b'a' | b'b' | b'A' | b'B');
            if pair { 12 } else { 6.min(bytes.len()) }
        }
        Some(_) => 2,
        None => 1,
    }
}

/// Decodes the escapes of a JSON string body. Lone surrogates become U+FFFD. `None` when an
/// escape is malformed.
pub(crate) fn unescape(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let decoded = match chars.next()? {
            '"' => '"',
            '\\' => '\\',
            '/' => '/',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'u' => {
                let high = hex4(&mut chars)?;
                if (0xD800..0xDC00).contains(&high) {
                    let mut look = chars.clone();
                    if look.next() == Some('\\') && look.next() == Some('u') {
                        let low = hex4(&mut look)?;
                        if (0xDC00..0xE000).contains(&low) {
                            chars = look;
                            let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                            char::from_u32(code).unwrap_or('\u{FFFD}')
                        } else {
                            '\u{FFFD}'
                        }
                    } else {
                        '\u{FFFD}'
                    }
                } else {
                    char::from_u32(high).unwrap_or('\u{FFFD}')
                }
            }
            _ => return None,
        };
        out.push(decoded);
    }
    Some(out)
}

fn hex4(chars: &mut std::str::Chars<'_>) -> Option<u32> {
    let mut value = 0;
    for _ in 0..4 {
        value = value * 16 + chars.next()?.to_digit(16)?;
    }
    Some(value)
}

/// The error-tolerant path: tree-sitter-json, lowered into the payload tree.
mod tolerant {
    use super::{MAX_DEPTH, Member, Node, Parse, SyntaxError, TextRange, Value};
    use tree_sitter::{Node as TsNode, Parser};

    pub(super) fn parse(text: &str, base: usize) -> Parse {
        let mut parser = Parser::new();
        parser
            .set_language(&tree_sitter_json::LANGUAGE.into())
            .expect("the JSON grammar matches the tree-sitter core");
        let Some(tree) = parser.parse(text, None) else {
            return Parse {
                root: None,
                errors: vec![SyntaxError::new(
                    TextRange::new(base, base + text.len()),
                    "the JSON parser gave up on this text",
                )],
            };
        };
        let mut lower = Lower {
            text,
            base,
            errors: Vec::new(),
        };
        lower.collect_errors(tree.root_node());
        let root = first_value(tree.root_node()).map(|node| lower.value(node, 0));
        let mut errors = lower.errors;
        errors.sort_by_key(|e| (e.range.start, e.range.end));
        errors.dedup();
        Parse { root, errors }
    }

    /// The document's first child that holds a value (an `ERROR` node may wrap a broken one).
    fn first_value(document: TsNode<'_>) -> Option<TsNode<'_>> {
        let mut cursor = document.walk();
        document
            .named_children(&mut cursor)
            .find(|n| n.kind() != "comment")
    }

    struct Lower<'t> {
        text: &'t str,
        base: usize,
        errors: Vec<SyntaxError>,
    }

    impl Lower<'_> {
        fn range(&self, node: TsNode<'_>) -> TextRange {
            TextRange::new(self.base + node.start_byte(), self.base + node.end_byte())
        }

        fn snippet(&self, node: TsNode<'_>) -> String {
            let text = &self.text[node.byte_range()];
            let first_line = text.lines().next().unwrap_or("");
            let mut short: String = first_line.chars().take(24).collect();
            if short.len() < text.len() {
                short.push('…');
            }
            short
        }

        /// Walks the whole tree without recursion and records every error and missing node.
        fn collect_errors(&mut self, root: TsNode<'_>) {
            if !root.has_error() {
                return;
            }
            let mut cursor = root.walk();
            loop {
                let node = cursor.node();
                let mut descend = node.has_error();
                if node.is_missing() {
                    let what = match node.kind() {
                        "\"" => "closing quote `\"`".to_owned(),
                        kind if kind.len() == 1 => format!("`{kind}`"),
                        kind => kind.replace('_', " "),
                    };
                    self.errors.push(SyntaxError::new(
                        self.range(node),
                        format!("invalid JSON: expected {what}"),
                    ));
                    descend = false;
                } else if node.is_error() {
                    let message = if node.start_byte() == node.end_byte() {
                        "invalid JSON: unexpected end of text".to_owned()
                    } else {
                        format!("invalid JSON: unexpected `{}`", self.snippet(node))
                    };
                    self.errors
                        .push(SyntaxError::new(self.range(node), message));
                }
                if descend && cursor.goto_first_child() {
                    continue;
                }
                loop {
                    if cursor.goto_next_sibling() {
                        break;
                    }
                    if !cursor.goto_parent() {
                        return;
                    }
                }
            }
        }

        fn value(&mut self, node: TsNode<'_>, depth: usize) -> Node {
            let range = self.range(node);
            let value = match node.kind() {
                "object" | "array" if depth >= MAX_DEPTH => {
                    self.errors.push(SyntaxError::too_deep(range.head(1)));
                    Value::Unknown
                }
                "object" => Value::Object(self.members(node, depth)),
                "array" => {
                    let mut cursor = node.walk();
                    let children: Vec<_> = node
                        .named_children(&mut cursor)
                        .filter(|c| c.kind() != "comment")
                        .collect();
                    Value::Array(
                        children
                            .into_iter()
                            .map(|c| self.value(c, depth + 1))
                            .collect(),
                    )
                }
                "string" => match self.string(node) {
                    Some(s) => Value::String(s),
                    None => Value::Unknown,
                },
                "number" => super::parse_number(&self.text[node.byte_range()])
                    .map_or(Value::Unknown, Value::Number),
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                "null" => Value::Null,
                // A broken object keeps the pairs tree-sitter could still recognise.
                "ERROR" if has_child_kind(node, "pair") => Value::Object(self.members(node, depth)),
                _ => Value::Unknown,
            };
            Node::new(range, value)
        }

        fn members(&mut self, node: TsNode<'_>, depth: usize) -> Vec<Member> {
            // Pairs that recovery wrapped in an ERROR node (the one before a missing comma) are
            // still members.
            let mut pairs = Vec::new();
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                match child.kind() {
                    "pair" => pairs.push(child),
                    "ERROR" => {
                        let mut inner = child.walk();
                        pairs.extend(
                            child
                                .named_children(&mut inner)
                                .filter(|c| c.kind() == "pair"),
                        );
                    }
                    _ => {}
                }
            }
            pairs
                .into_iter()
                .filter_map(|pair| {
                    let key = pair.child_by_field_name("key")?;
                    let key_text = self.string(key)?;
                    let value = match pair.child_by_field_name("value") {
                        Some(v) => self.value(v, depth + 1),
                        None => Node::new(
                            TextRange::empty(self.range(pair).end as usize),
                            Value::Unknown,
                        ),
                    };
                    Some(Member {
                        key: key_text,
                        key_range: self.range(key),
                        value,
                    })
                })
                .collect()
        }

        fn string(&self, node: TsNode<'_>) -> Option<String> {
            if node.kind() != "string" || node.has_error() {
                return None;
            }
            let raw = &self.text[node.byte_range()];
            let body = raw.strip_prefix('"')?.strip_suffix('"')?;
            super::unescape(body)
        }
    }

    fn has_child_kind(node: TsNode<'_>, kind: &str) -> bool {
        let mut cursor = node.walk();
        node.named_children(&mut cursor).any(|c| c.kind() == kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(text: &str) -> Node {
        let parse = parse(text, 0);
        assert!(parse.errors.is_empty(), "{:?}", parse.errors);
        parse.root.unwrap()
    }

    #[test]
    fn ranges_of_keys_and_values() {
        let node = root(r#"{"model": "claude-opus-5", "max_tokens": 10}"#);
        let model = node.member("model").unwrap();
        assert_eq!(model.key_range, TextRange::new(1, 8));
        assert_eq!(model.value.range, TextRange::new(10, 25));
        assert_eq!(node.get("max_tokens").unwrap().as_u64(), Some(10));
        assert_eq!(node.range, TextRange::new(0, 44));
    }

    #[test]
    fn escapes_and_surrogates() {
        let node = root(r#"["a\n\"b\u00e9", "\ud83d\ude00", "\ud800x"]"#);
        let items = node.as_array().unwrap();
        assert_eq!(items[0].as_str(), Some("a\n\"bé"));
        assert_eq!(items[1].as_str(), Some("😀"));
        assert_eq!(items[2].as_str(), Some("\u{FFFD}x"));
    }

    #[test]
    fn comments_are_trivia() {
        let node = root("// c\n{ /* x */ \"a\": 1 // y\n}");
        assert_eq!(node.get("a").unwrap().as_u64(), Some(1));
    }

    #[test]
    fn both_parsers_agree_on_valid_text() {
        let text = r#"{"a": [1, -2.5e3, true, false, null, {"b": "c\td"}], "e": {}, "f": []}"#;
        assert_eq!(parse(text, 7).root, tolerant::parse(text, 7).root);
    }

    #[test]
    fn broken_text_keeps_intact_members() {
        let parse = parse(
            r#"{"model": "claude-opus-5", "max_tokens": 10, "stop": }"#,
            0,
        );
        assert!(!parse.errors.is_empty());
        let root = parse.root.unwrap();
        assert_eq!(root.get("model").unwrap().as_str(), Some("claude-opus-5"));
        assert_eq!(root.get("max_tokens").unwrap().as_u64(), Some(10));
    }

    #[test]
    fn missing_comma_is_reported_at_its_place() {
        let parse = parse("{\"a\": 1\n \"b\": 2}", 0);
        assert_eq!(parse.errors.len(), 1, "{:?}", parse.errors);
        assert_eq!(
            parse.errors[0].message,
            "invalid JSON: expected `,` or `}` after this member, found `\"`"
        );
        assert_eq!(parse.errors[0].range, TextRange::new(9, 10));
        assert_eq!(parse.root.unwrap().get("b").unwrap().as_u64(), Some(2));
    }

    #[test]
    fn deep_nesting_is_cut_off_without_overflow() {
        for text in [
            format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
            "[".repeat(100_000),
        ] {
            let parse = parse(&text, 0);
            assert!(
                parse
                    .errors
                    .iter()
                    .any(|e| e.message.starts_with("nesting deeper")
                        || e.message.starts_with("invalid JSON")),
                "{:?}",
                &parse.errors[..parse.errors.len().min(3)]
            );
        }
    }

    #[test]
    fn precise_messages_for_classic_mistakes() {
        let cases = [
            (
                r#"{"a": 1,}"#,
                "invalid JSON: trailing comma (JSON allows none before a closing bracket)",
                7..8,
            ),
            (
                r#"{"a": True}"#,
                "invalid JSON: expected a value, found `True` (JSON writes `true`)",
                6..10,
            ),
            (
                "{'a': 1}",
                "invalid JSON: expected a key in double quotes, found a single-quoted string (JSON strings use double quotes)",
                1..2,
            ),
            (
                "{\"a\": \"x\ny\"}",
                "invalid JSON: a line break inside a string (write it as an escape such as `\\n`)",
                8..9,
            ),
            (r#"{"a": 01}"#, "invalid JSON: malformed number", 6..8),
            (
                r#"{"a": "\q"}"#,
                "invalid JSON: this string has an invalid escape (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)",
                6..10,
            ),
            (
                r#"{"a": 1} x"#,
                "invalid JSON: unexpected text after the JSON value",
                9..10,
            ),
            (
                r#"{"a": "#,
                "invalid JSON: expected a value, found the end of the text",
                6..6,
            ),
        ];
        for (text, message, range) in cases {
            let parse = parse(text, 0);
            assert_eq!(parse.errors[0].message, message, "{text}");
            assert_eq!(parse.errors[0].range.to_range(), range, "{text}");
        }
    }

    /// Each syntax error as (message, byte range).
    fn errors(parse: &Parse) -> Vec<(&str, std::ops::Range<usize>)> {
        parse
            .errors
            .iter()
            .map(|e| (e.message.as_str(), e.range.to_range()))
            .collect()
    }

    #[test]
    fn recovers_from_common_slips_in_place() {
        let text = "{\"a\": 1\n \"b\" 2,\n \"c\": [1 2,],\n \"d\": None,}";
        let parse = parse(text, 0);
        assert_eq!(
            errors(&parse),
            [
                (
                    "invalid JSON: expected `,` or `}` after this member, found `\"`",
                    9..10
                ),
                (
                    "invalid JSON: expected `:` after the key, found `2`",
                    13..14
                ),
                (
                    "invalid JSON: expected `,` or `]` after this element, found `2`",
                    25..26
                ),
                (
                    "invalid JSON: trailing comma (JSON allows none before a closing bracket)",
                    26..27
                ),
                (
                    "invalid JSON: expected a value, found `None` (JSON writes `null`)",
                    36..40
                ),
                (
                    "invalid JSON: trailing comma (JSON allows none before a closing bracket)",
                    40..41
                ),
            ]
        );
        let root = parse.root.unwrap();
        assert_eq!(root.get("b").unwrap().as_u64(), Some(2));
        assert_eq!(root.get("c").unwrap().as_array().unwrap().len(), 2);
        assert_eq!(root.get("d").unwrap().value, Value::Null);
    }

    #[test]
    fn recovers_from_doubled_commas_and_missing_values() {
        let parse = parse("{\"a\": 1,, \"b\": , \"c\": [1,,2]}", 0);
        let doubled = "invalid JSON: doubled comma";
        let expected = [
            (doubled, 8..9),
            ("invalid JSON: expected a value, found `,`", 15..16),
            (doubled, 25..26),
        ];
        assert_eq!(errors(&parse), expected);
        let root = parse.root.unwrap();
        assert_eq!(root.get("a").unwrap().as_u64(), Some(1));
        assert!(root.get("b").unwrap().is_unknown());
        assert_eq!(root.get("c").unwrap().as_array().unwrap().len(), 2);
    }

    #[test]
    fn a_text_cut_off_keeps_what_came_before_the_cut() {
        // (text, the one error, the members kept, the last one `Unknown` when cut short)
        type Case<'a> = (
            &'a str,
            (&'a str, std::ops::Range<usize>),
            &'a [&'a str],
            bool,
        );
        let after_b = (
            "invalid JSON: expected `,` or `}` after this member, found the end of the text",
            16..16,
        );
        let cases: [Case<'_>; 8] = [
            (
                r#"{"a": 1, "b": [{"c": "hel"#,
                ("invalid JSON: this string is never closed", 21..22),
                &["a", "b"],
                false,
            ),
            (r#"{"a": 1, "b": 10"#, after_b.clone(), &["a", "b"], true),
            (r#"{"a": 1, "b": tr"#, after_b.clone(), &["a", "b"], true),
            (
                r#"{"a": 1, "b""#,
                (
                    "invalid JSON: expected a value, found the end of the text",
                    12..12,
                ),
                &["a", "b"],
                true,
            ),
            (
                r#"{"a": 1, "b"#,
                ("invalid JSON: this string is never closed", 9..10),
                &["a"],
                false,
            ),
            (
                "{\"a\": 1, \"b\": [{\"c\": \"hel\n\n",
                ("invalid JSON: this string is never closed", 21..22),
                &["a", "b"],
                false,
            ),
            (
                "{\"a\": 1,\n",
                (
                    "invalid JSON: expected `}`, found the end of the text",
                    9..9,
                ),
                &["a"],
                false,
            ),
            (
                r#"{"a": [1, 2"#,
                (
                    "invalid JSON: expected `,` or `]` after this element, found the end of the text",
                    11..11,
                ),
                &["a"],
                false,
            ),
        ];
        for (text, (message, range), keys, last_unknown) in cases {
            let parse = parse(text, 0);
            assert_eq!(errors(&parse), [(message, range)], "{text}");
            let root = parse.root.unwrap();
            let members = root.as_object().unwrap();
            let found: Vec<&str> = members.iter().map(|m| m.key.as_str()).collect();
            assert_eq!(found, keys, "{text}");
            assert_eq!(
                members.last().unwrap().value.is_unknown(),
                last_unknown,
                "{text}"
            );
            assert_eq!(root.range.to_range(), 0..text.len(), "{text}");
        }
    }

    #[test]
    fn empty_text_has_no_root() {
        let parse = parse("  \n", 0);
        assert!(parse.root.is_none());
        assert!(parse.errors.is_empty());
    }
}
