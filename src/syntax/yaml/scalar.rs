//! YAML scalars: line folding, quoted-string escapes, block scalars, and what a plain scalar
//! means under the YAML 1.2 core schema.
//!
//! These are pure functions of the scalar's source text, shared by the parser (to lower values)
//! and by the fix renderer (to decide when a string must be quoted).

use serde_json::Number;

use crate::syntax::Value;

/// Splits text at YAML line breaks (`\r\n`, `\r`, `\n`).
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        match current.bytes().position(|b| b == b'\r' || b == b'\n') {
            Some(i) => {
                let skip = if current[i..].starts_with("\r\n") {
                    2
                } else {
                    1
                };
                rest = Some(&current[i + skip..]);
                Some(&current[..i])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

const WHITE: [char; 2] = [' ', '\t'];

/// Joins the lines of a multi-line flow scalar (plain or single-quoted): leading and trailing
/// white space of each line goes, a single line break becomes a space, and each empty line
/// between two lines becomes a line feed. `unescape` appends a line's value to the output, so
/// that a long scalar is built in one buffer.
fn fold_lines(text: &str, unescape: impl Fn(&str, &mut String)) -> String {
    let mut out = String::with_capacity(text.len());
    let mut parts = lines(text).peekable();
    let Some(first) = parts.next() else {
        return out;
    };
    if parts.peek().is_none() {
        unescape(first, &mut out);
        return out;
    }
    unescape(first.trim_end_matches(WHITE), &mut out);
    let mut empty = 0;
    while let Some(line) = parts.next() {
        let last = parts.peek().is_none();
        let line = line.trim_start_matches(WHITE);
        let line = if last {
            line
        } else {
            line.trim_end_matches(WHITE)
        };
        if line.is_empty() && !last {
            empty += 1;
            continue;
        }
        if empty == 0 {
            out.push(' ');
        } else {
            out.extend(std::iter::repeat_n('\n', empty));
        }
        empty = 0;
        unescape(line, &mut out);
    }
    out
}

/// The value of a plain scalar's text (as written, possibly over several lines).
pub(crate) fn fold_plain(text: &str) -> String {
    fold_lines(text.trim_matches(WHITE), |line, out| out.push_str(line))
}

/// The value of a single-quoted scalar; `inner` is the text between the quotes.
pub(crate) fn decode_single(inner: &str) -> String {
    fold_lines(inner, |line, out| {
        let mut parts = line.split("''");
        out.push_str(parts.next().unwrap_or_default());
        for part in parts {
            out.push('\'');
            out.push_str(part);
        }
    })
}

/// An escape in a double-quoted scalar that YAML does not define.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadEscape {
    /// Byte offset of the backslash in the text given to [`decode_double`].
    pub offset: usize,
    /// Length of the bad escape in bytes.
    pub len: usize,
}

/// The value of a double-quoted scalar; `inner` is the text between the quotes.
pub(crate) fn decode_double(inner: &str) -> Result<String, BadEscape> {
    let mut out = String::with_capacity(inner.len());
    // Literal white space is held back: it is dropped when a line break follows.
    let mut pending = String::new();
    let mut chars = inner.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            ' ' | '\t' => pending.push(c),
            '\r' | '\n' => {
                pending.clear();
                if c == '\r' && chars.peek().is_some_and(|&(_, n)| n == '\n') {
                    chars.next();
                }
                let empty = skip_empty_lines(&mut chars);
                if empty == 0 {
                    out.push(' ');
                } else {
                    out.extend(std::iter::repeat_n('\n', empty));
                }
            }
            '\\' => {
                out.push_str(&pending);
                pending.clear();
                let bad = |len: usize| BadEscape { offset: at, len };
                let Some((_, e)) = chars.next() else {
                    return Err(bad(1));
                };
                let simple = match e {
                    '0' => Some('\0'),
                    'a' => Some('\u{7}'),
                    'b' => Some('\u{8}'),
                    't' | '\t' => Some('\t'),
                    'n' => Some('\n'),
                    'v' => Some('\u{b}'),
                    'f' => Some('\u{c}'),
                    'r' => Some('\r'),
                    'e' => Some('\u{1b}'),
                    ' ' => Some(' '),
                    '"' => Some('"'),
                    '/' => Some('/'),
                    '\\' => Some('\\'),
                    'N' => Some('\u{85}'),
                    '_' => Some('\u{a0}'),
                    'L' => Some('\u{2028}'),
                    'P' => Some('\u{2029}'),
                    _ => None,
                };
                if let Some(decoded) = simple {
                    out.push(decoded);
                    continue;
                }
                match e {
                    '\r' | '\n' => {
                        // An escaped line break joins the lines without a space.
                        if e == '\r' && chars.peek().is_some_and(|&(_, n)| n == '\n') {
                            chars.next();
                        }
                        let empty = skip_empty_lines(&mut chars);
                        out.extend(std::iter::repeat_n('\n', empty));
                    }
                    'x' | 'u' | 'U' => {
                        let digits = match e {
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        // A bad escape is its backslash, letter and digits, counted in
                        // characters (a "digit" may be any character) and cut by the text's end.
                        let escape = || {
                            let end = inner[at..]
                                .char_indices()
                                .nth(2 + digits)
                                .map_or(inner.len(), |(i, _)| at + i);
                            bad(end - at)
                        };
                        let mut code = 0u32;
                        for _ in 0..digits {
                            let digit = chars.next().and_then(|(_, d)| d.to_digit(16));
                            code = code * 16 + digit.ok_or_else(escape)?;
                        }
                        out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                    }
                    _ => return Err(bad(1 + e.len_utf8())),
                }
            }
            _ => {
                out.push_str(&pending);
                pending.clear();
                out.push(c);
            }
        }
    }
    out.push_str(&pending);
    Ok(out)
}

/// After a line break: skips the white space that starts the next lines and counts the lines
/// that hold nothing else.
fn skip_empty_lines(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) -> usize {
    let mut empty = 0;
    loop {
        while chars.peek().is_some_and(|&(_, c)| c == ' ' || c == '\t') {
            chars.next();
        }
        match chars.peek() {
            Some(&(_, '\r')) => {
                chars.next();
                if chars.peek().is_some_and(|&(_, c)| c == '\n') {
                    chars.next();
                }
                empty += 1;
            }
            Some(&(_, '\n')) => {
                chars.next();
                empty += 1;
            }
            _ => return empty,
        }
    }
}

/// How a block scalar treats its final line breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Chomp {
    /// `-`: none kept.
    Strip,
    /// Default: the last one kept.
    Clip,
    /// `+`: all kept.
    Keep,
}

/// The value of a block scalar (`|` literal or `>` folded).
///
/// `text` runs from the indicator to the end of the scalar's last content line; `after` is the
/// text that follows it (its trailing empty lines matter with `+`); `parent_indent` is the
/// column of the block collection the scalar sits in (-1 at the document's top), which an
/// explicit indentation indicator counts from.
pub(crate) fn decode_block(text: &str, after: &str, parent_indent: i64) -> String {
    let header_end = text.find(['\r', '\n']).unwrap_or(text.len());
    let header = &text[..header_end];
    let folded = header.starts_with('>');
    let mut chomp = Chomp::Clip;
    let mut explicit = None;
    for c in header.chars().skip(1) {
        match c {
            '-' => chomp = Chomp::Strip,
            '+' => chomp = Chomp::Keep,
            '1'..='9' => explicit = c.to_digit(10).map(i64::from),
            _ => break,
        }
    }
    let body = text[header_end..]
        .strip_prefix("\r\n")
        .or_else(|| text[header_end..].strip_prefix(['\r', '\n']))
        .unwrap_or("");
    let content: Vec<&str> = if text.len() == header_end {
        Vec::new()
    } else {
        lines(body).collect()
    };
    let indent = match explicit {
        Some(m) => (parent_indent + m).max(0) as usize,
        None => content
            .iter()
            .find(|l| !l.trim_matches(WHITE).is_empty())
            .map_or(0, |l| l.len() - l.trim_start_matches(' ').len()),
    };
    // A line is empty when it holds nothing but indentation.
    let text_of = |line: &'_ str| -> Option<String> {
        if line.len() <= indent && line.trim_start_matches(' ').is_empty() {
            None
        } else {
            Some(line.get(indent..).unwrap_or("").to_owned())
        }
    };
    let mut out = String::new();
    let mut empty = 0usize;
    // For folding: whether the previous text line was a "more indented" one.
    let mut previous: Option<bool> = None;
    for line in &content {
        let Some(line_text) = text_of(line) else {
            empty += 1;
            continue;
        };
        let spaced = line_text.starts_with([' ', '\t']);
        match previous {
            None => out.extend(std::iter::repeat_n('\n', empty)),
            Some(false) if folded && !spaced => {
                if empty == 0 {
                    out.push(' ');
                } else {
                    out.extend(std::iter::repeat_n('\n', empty));
                }
            }
            Some(_) => out.extend(std::iter::repeat_n('\n', empty + 1)),
        }
        out.push_str(&line_text);
        previous = Some(spaced);
        empty = 0;
    }
    // Whether the last content line ends with a line break of its own.
    let has_break = !content.is_empty()
        && (empty > 0 || body.ends_with(['\r', '\n']) || after.starts_with(['\r', '\n']));
    let trailing = if chomp == Chomp::Keep {
        empty + count_empty_lines(after)
    } else {
        0
    };
    match (chomp, previous.is_some()) {
        (Chomp::Strip, _) => {}
        (Chomp::Clip, true) if has_break => out.push('\n'),
        (Chomp::Clip, _) => {}
        (Chomp::Keep, true) => {
            out.extend(std::iter::repeat_n('\n', usize::from(has_break) + trailing))
        }
        (Chomp::Keep, false) => out.extend(std::iter::repeat_n('\n', trailing)),
    }
    out
}

/// The number of white-space-only lines at the start of `after` (the text following a block
/// scalar), counting the line break that ends the scalar's own last line as the first.
fn count_empty_lines(after: &str) -> usize {
    let mut count = 0;
    let mut parts = lines(after);
    // The first part is the rest of the scalar's last line (empty).
    parts.next();
    let rest: Vec<&str> = parts.collect();
    for (i, line) in rest.iter().enumerate() {
        if !line.trim_matches(WHITE).is_empty() {
            break;
        }
        // The text after the last line break is not a line of its own.
        if i + 1 == rest.len() {
            break;
        }
        count += 1;
    }
    count
}

/// A YAML 1.2 core schema type a tag can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CoreType {
    /// `!!null`.
    Null,
    /// `!!bool`.
    Bool,
    /// `!!int`.
    Int,
    /// `!!float`.
    Float,
}

impl CoreType {
    /// The tag's short name, as written after `!!`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            CoreType::Null => "null",
            CoreType::Bool => "bool",
            CoreType::Int => "int",
            CoreType::Float => "float",
        }
    }
}

/// `null`, `Null`, `NULL`, `~` or nothing.
fn core_null(s: &str) -> bool {
    matches!(s, "" | "~" | "null" | "Null" | "NULL")
}

fn core_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// Digits in `radix` to a number; beyond `u64` it becomes a float, as JSON parsers do.
fn radix_number(digits: &str, radix: u32) -> Option<Number> {
    if let Ok(n) = u64::from_str_radix(digits, radix) {
        return Some(n.into());
    }
    let mut value = 0f64;
    for d in digits.chars() {
        value = value * f64::from(radix) + f64::from(d.to_digit(radix)?);
    }
    Number::from_f64(value)
}

fn core_int(s: &str) -> Option<Number> {
    if let Some(hex) = s.strip_prefix("0x") {
        return (!hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| radix_number(hex, 16))
            .flatten();
    }
    if let Some(oct) = s.strip_prefix("0o") {
        return (!oct.is_empty() && oct.bytes().all(|b| (b'0'..=b'7').contains(&b)))
            .then(|| radix_number(oct, 8))
            .flatten();
    }
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let trimmed = digits.trim_start_matches('0');
    let trimmed = if trimmed.is_empty() { "0" } else { trimmed };
    if negative {
        if let Ok(n) = format!("-{trimmed}").parse::<i64>() {
            return Some(n.into());
        }
        return format!("-{trimmed}")
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64);
    }
    if let Ok(n) = trimmed.parse::<u64>() {
        return Some(n.into());
    }
    // Beyond `u64`: parsed whole, since adding digit by digit rounds at each step.
    trimmed.parse::<f64>().ok().and_then(Number::from_f64)
}

/// A core schema float: `Some(None)` for infinity and NaN, which JSON cannot hold.
fn core_float(s: &str) -> Option<Option<Number>> {
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(s, ".nan" | ".NaN" | ".NAN") {
        return Some(None);
    }
    let b = unsigned.as_bytes();
    let mut i = 0;
    let int_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    } else if int_digits == 0 {
        return None;
    }
    if int_digits == 0 && frac_digits == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp_digits == 0 {
            return None;
        }
        i += exp_digits;
    }
    if i != b.len() {
        return None;
    }
    let value: f64 = s.parse().ok()?;
    Some(Number::from_f64(value))
}

/// What a plain (unquoted, untagged) scalar means under the YAML 1.2 core schema. Infinity and
/// NaN are `Unknown`: a JSON body cannot hold them.
pub(crate) fn resolve_plain(s: &str) -> Value {
    if core_null(s) {
        Value::Null
    } else if let Some(b) = core_bool(s) {
        Value::Bool(b)
    } else if let Some(n) = core_int(s) {
        Value::Number(n)
    } else if let Some(f) = core_float(s) {
        f.map_or(Value::Unknown, Value::Number)
    } else {
        Value::String(s.to_owned())
    }
}

/// The value of `s` as the core type a tag asks for; `None` when it is not one.
pub(crate) fn resolve_as(ty: CoreType, s: &str) -> Option<Value> {
    match ty {
        CoreType::Null => core_null(s).then_some(Value::Null),
        CoreType::Bool => core_bool(s).map(Value::Bool),
        CoreType::Int => core_int(s).map(Value::Number),
        CoreType::Float => core_int(s)
            .and_then(|n| n.as_f64())
            .and_then(Number::from_f64)
            .map(Some)
            .or_else(|| core_float(s))
            .map(|f| f.map_or(Value::Unknown, Value::Number)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars_resolve_by_the_core_schema() {
        let cases: &[(&str, Value)] = &[
            ("", Value::Null),
            ("~", Value::Null),
            ("null", Value::Null),
            ("NULL", Value::Null),
            ("nULL", Value::String("nULL".into())),
            ("true", Value::Bool(true)),
            ("True", Value::Bool(true)),
            ("FALSE", Value::Bool(false)),
            ("yes", Value::String("yes".into())),
            ("on", Value::String("on".into())),
            ("42", Value::Number(42.into())),
            ("-7", Value::Number((-7).into())),
            ("+12", Value::Number(12.into())),
            ("007", Value::Number(7.into())),
            ("0x1F", Value::Number(31.into())),
            ("0o17", Value::Number(15.into())),
            ("0o19", Value::String("0o19".into())),
            ("0x", Value::String("0x".into())),
            ("1.5", Value::Number(Number::from_f64(1.5).unwrap())),
            (".5", Value::Number(Number::from_f64(0.5).unwrap())),
            ("1.", Value::Number(Number::from_f64(1.0).unwrap())),
            ("-2.5e3", Value::Number(Number::from_f64(-2500.0).unwrap())),
            ("1e3", Value::Number(Number::from_f64(1000.0).unwrap())),
            (".inf", Value::Unknown),
            ("-.Inf", Value::Unknown),
            (".NaN", Value::Unknown),
            ("1e999", Value::Unknown),
            ("1_000", Value::String("1_000".into())),
            ("2026-01-01", Value::String("2026-01-01".into())),
            (".", Value::String(".".into())),
            ("e3", Value::String("e3".into())),
            ("claude-opus-5", Value::String("claude-opus-5".into())),
        ];
        for (text, value) in cases {
            assert_eq!(&resolve_plain(text), value, "{text:?}");
        }
        assert_eq!(
            resolve_plain("18446744073709551616"),
            Value::Number(Number::from_f64(18446744073709551616.0).unwrap())
        );
        // Found by `cargo fuzz run yaml`: summed digit by digit it was one unit in the last
        // place low (4.444444444444444e63), unlike serde_json's reading of the same JSON.
        let digits = "4".repeat(64);
        assert_eq!(
            resolve_plain(&digits),
            Value::Number(Number::from_f64(4.444444444444445e63).unwrap())
        );
    }

    #[test]
    fn tags_resolve_to_their_type_or_refuse() {
        assert_eq!(
            resolve_as(CoreType::Int, "12"),
            Some(Value::Number(12.into()))
        );
        assert_eq!(resolve_as(CoreType::Int, "1.5"), None);
        assert_eq!(
            resolve_as(CoreType::Float, "3"),
            Some(Value::Number(Number::from_f64(3.0).unwrap()))
        );
        assert_eq!(resolve_as(CoreType::Bool, "true"), Some(Value::Bool(true)));
        assert_eq!(resolve_as(CoreType::Bool, "yes"), None);
        assert_eq!(resolve_as(CoreType::Null, "~"), Some(Value::Null));
    }

    #[test]
    fn plain_and_single_quoted_scalars_fold() {
        assert_eq!(fold_plain("a\n  b  \n\n   c"), "a b\nc");
        assert_eq!(fold_plain("a \r\n b\r\n\r\n\r\n c"), "a b\n\nc");
        assert_eq!(decode_single("it''s"), "it's");
        assert_eq!(decode_single("  a  "), "  a  ");
        assert_eq!(decode_single(" a \n  b \n\n c "), " a b\nc ");
    }

    #[test]
    fn double_quoted_escapes_and_folding() {
        assert_eq!(
            decode_double(r#"a\tb\n\"\\\/\x41\u00e9\U0001F600\N\_\L\P\0\e\ "#).unwrap(),
            "a\tb\n\"\\/Aé😀\u{85}\u{a0}\u{2028}\u{2029}\0\u{1b} "
        );
        assert_eq!(decode_double("a  \n   b").unwrap(), "a b");
        assert_eq!(decode_double("a \n\n  b").unwrap(), "a\nb");
        assert_eq!(decode_double("a  \\\n   b").unwrap(), "a  b");
        assert_eq!(decode_double("a\\\n\n b").unwrap(), "a\nb");
        assert_eq!(decode_double("a\\ \n b").unwrap(), "a  b");
        assert_eq!(decode_double("\\ud800").unwrap(), "\u{FFFD}");
        assert_eq!(decode_double("ab\\q"), Err(BadEscape { offset: 2, len: 2 }));
        // A bad escape ends where the text does, and takes whole characters (found by the
        // `fix` fuzz target: `\xEã` was cut inside the `ã`).
        assert_eq!(decode_double("\\x4"), Err(BadEscape { offset: 0, len: 3 }));
        assert_eq!(
            decode_double("\\xZZ."),
            Err(BadEscape { offset: 0, len: 4 })
        );
        assert_eq!(
            decode_double("a \\xE\u{e3}b"),
            Err(BadEscape { offset: 2, len: 5 })
        );
    }

    #[test]
    fn literal_block_scalars_chomp() {
        let body = "|\n  one\n\n   two\n";
        assert_eq!(decode_block(body.trim_end(), "\n", -1), "one\n\n two\n");
        assert_eq!(decode_block("|-\n  one\n  two", "\n\n", 0), "one\ntwo");
        assert_eq!(
            decode_block("|+\n  one\n  two", "\n\n\nb: 1", 0),
            "one\ntwo\n\n\n"
        );
        assert_eq!(decode_block("|\n  one", "", 0), "one");
        assert_eq!(decode_block("|", "\n", 0), "");
        assert_eq!(decode_block("|+", "\n\n\n", 0), "\n\n");
        assert_eq!(
            decode_block("|2\n    one\n   two", "\n", 0),
            "  one\n two\n"
        );
        assert_eq!(decode_block("|1-\n   x", "\n", 2), "x");
        assert_eq!(decode_block("| # comment\n  x", "\n", 0), "x\n");
    }

    #[test]
    fn folded_block_scalars_fold_only_normal_lines() {
        let text = ">\n  one\n  two\n\n  three\n    more\n    indented\n  back";
        assert_eq!(
            decode_block(text, "\n", 0),
            "one two\nthree\n  more\n  indented\nback\n"
        );
        assert_eq!(decode_block(">-\n\n  a\n  b", "\n", 0), "\na b");
        assert_eq!(decode_block(">\r\n  a\r\n  b", "\r\n", 0), "a b\n");
    }
}
