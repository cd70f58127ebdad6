//! The payload tree: one model for every host (ARCHITECTURE.md, invariant 2).
//!
//! Every parser (JSON, YAML, and later Python, JavaScript, curl) lowers its own syntax into
//! this tree, so rules never see the host language. Each node keeps the byte range it came
//! from in the host file; values the host computes at run time are [`Value::Unknown`].

use std::fmt;

/// A half-open byte range `start..end` in the host file.
///
/// Stored as `u32` pairs to keep nodes small: files over 4 GiB are refused before parsing.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TextRange {
    /// First byte of the range.
    pub start: u32,
    /// One past the last byte of the range.
    pub end: u32,
}

impl TextRange {
    /// Builds a range from `usize` offsets (callers guarantee they fit in `u32`).
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "inverted range {start}..{end}");
        Self {
            start: start as u32,
            end: end as u32,
        }
    }

    /// An empty range at `offset`, for findings about something that is missing.
    pub fn empty(offset: usize) -> Self {
        Self::new(offset, offset)
    }

    /// The range as `usize` offsets, to slice the host text.
    pub fn to_range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    /// True for a zero-length range.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// True when `other` lies entirely inside `self`. An inverted `other` lies nowhere: it is
    /// the `Member::range` of a member in code whose value a name or a parameter default
    /// holds, written before the member's key, so it is not text a fix may remove or follow.
    pub fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.start <= other.end && other.end <= self.end
    }

    /// The first `len` bytes of this range (clamped), e.g. an object's opening brace.
    pub fn head(self, len: usize) -> Self {
        Self::new(
            self.start as usize,
            (self.start as usize + len).min(self.end as usize),
        )
    }
}

impl fmt::Debug for TextRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// A value in the payload tree with the range it was written at.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Where the value is written in the host file (for a string: including its quotes).
    pub range: TextRange,
    /// The value itself.
    pub value: Value,
}

/// The JSON data model plus `Unknown`, for anything the source computes at run time.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// An object; members in source order, duplicates kept (the last one wins, as in the API).
    Object(Vec<Member>),
    /// An array.
    Array(Vec<Node>),
    /// A string, with escapes decoded.
    String(String),
    /// A number, exactly as written.
    Number(serde_json::Number),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// A value that cannot be known before run time; rules skip it without a finding.
    Unknown,
}

/// One `key: value` pair of an object.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// The key, with escapes decoded.
    pub key: String,
    /// Where the key is written (for JSON: including its quotes).
    pub key_range: TextRange,
    /// The member's value.
    pub value: Node,
}

impl Member {
    /// A spread (`**params` in Python, `...params` in JavaScript) of a value known only at run
    /// time, written at `range`: it may supply any key, so it has no key and an empty key range
    /// at its start.
    pub fn spread(range: TextRange) -> Self {
        Self {
            key: String::new(),
            key_range: TextRange::empty(range.start as usize),
            value: Node::new(range, Value::Unknown),
        }
    }

    /// True for a spread (see [`Member::spread`]).
    pub fn is_spread(&self) -> bool {
        self.key_range.is_empty() && self.value.is_unknown()
    }

    /// From the start of the key to the end of the value.
    pub fn range(&self) -> TextRange {
        TextRange {
            start: self.key_range.start,
            end: self.value.range.end,
        }
    }
}

impl Node {
    /// Creates a node.
    pub fn new(range: TextRange, value: Value) -> Self {
        Self { range, value }
    }

    /// The members when this is an object.
    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.value {
            Value::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The elements when this is an array.
    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The text when this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value when this is a non-negative integer literal that fits in `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        match &self.value {
            Value::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    /// The value when this is any number.
    pub fn as_f64(&self) -> Option<f64> {
        match &self.value {
            Value::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    /// True when the source computes this value at run time.
    pub fn is_unknown(&self) -> bool {
        matches!(self.value, Value::Unknown)
    }

    /// The member named `key` of an object. With duplicate keys this is the last one, which is
    /// the one a JSON parser on the server keeps.
    pub fn member(&self, key: &str) -> Option<&Member> {
        self.as_object()?.iter().rev().find(|m| m.key == key)
    }

    /// The value of the member named `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.member(key).map(|m| &m.value)
    }

    /// True when this object has a spread of a run-time value (`**kwargs`, `...opts`): any key
    /// may be present, so a rule about a missing member must stay silent.
    pub fn has_spread(&self) -> bool {
        self.as_object()
            .is_some_and(|members| members.iter().any(Member::is_spread))
    }

    /// Rewrites every range in this tree (values and keys) with `map`: how a tree parsed from
    /// decoded text (a notebook cell, a shell-quoted body) gets the host file's ranges.
    pub fn map_ranges(&mut self, map: &mut impl FnMut(TextRange) -> TextRange) {
        let mut stack = vec![self];
        while let Some(node) = stack.pop() {
            node.range = map(node.range);
            match &mut node.value {
                Value::Object(members) => {
                    for member in members.iter_mut() {
                        member.key_range = map(member.key_range);
                    }
                    stack.extend(members.iter_mut().map(|m| &mut m.value));
                }
                Value::Array(items) => stack.extend(items.iter_mut()),
                _ => {}
            }
        }
    }

    /// The value's kind as the API's error messages name it ("object", "string", ...).
    pub fn kind_name(&self) -> &'static str {
        self.value.kind_name()
    }

    /// The value as JSON, for fixes that move it; `None` when anything in it is `Unknown`.
    /// Recursion is bounded: parsers never nest deeper than [`MAX_DEPTH`].
    pub fn to_json(&self) -> Option<serde_json::Value> {
        use serde_json::Value as Json;
        Some(match &self.value {
            Value::Object(members) => Json::Object(
                members
                    .iter()
                    .map(|m| Some((m.key.clone(), m.value.to_json()?)))
                    .collect::<Option<_>>()?,
            ),
            Value::Array(items) => {
                Json::Array(items.iter().map(Node::to_json).collect::<Option<_>>()?)
            }
            Value::String(s) => Json::String(s.clone()),
            Value::Number(n) => Json::Number(n.clone()),
            Value::Bool(b) => Json::Bool(*b),
            Value::Null => Json::Null,
            Value::Unknown => return None,
        })
    }
}

impl Value {
    /// The value's kind as the API's error messages name it ("object", "string", ...).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Object(_) => "object",
            Value::Array(_) => "array",
            Value::String(_) => "string",
            Value::Number(_) => "number",
            Value::Bool(_) => "boolean",
            Value::Null => "null",
            Value::Unknown => "unknown",
        }
    }
}

/// A syntax error found while parsing; it becomes a diagnostic at its range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where the error is.
    pub range: TextRange,
    /// What is wrong, in the terms of the host language.
    pub message: String,
    /// Which kind of problem it is (each kind is its own rule).
    pub kind: SyntaxErrorKind,
}

/// The kinds of problem a parser reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyntaxErrorKind {
    /// The text does not follow the host grammar.
    Invalid,
    /// A value nested past [`MAX_DEPTH`]; it was lowered to `Unknown`.
    TooDeep,
}

impl SyntaxError {
    /// Creates a grammar error.
    pub(crate) fn new(range: TextRange, message: impl Into<String>) -> Self {
        Self {
            range,
            message: message.into(),
            kind: SyntaxErrorKind::Invalid,
        }
    }

    /// Creates a nesting-limit error at a container's opening bracket.
    pub(crate) fn too_deep(range: TextRange) -> Self {
        Self {
            range,
            message: format!("nesting deeper than {MAX_DEPTH} levels: this value is not checked"),
            kind: SyntaxErrorKind::TooDeep,
        }
    }
}

/// The deepest nesting any parser lowers into the tree. Deeper values become `Unknown` with a
/// diagnostic, so no tree walk can overflow the stack (serde_json stops at 128; the API's own
/// JSON parser at a similar depth).
pub const MAX_DEPTH: usize = 256;

/// Visits `root` and every value under it, depth first, without recursion.
pub(crate) fn walk<'a>(root: &'a Node, mut visit: impl FnMut(&'a Node)) {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        visit(node);
        match &node.value {
            Value::Object(members) => stack.extend(members.iter().rev().map(|m| &m.value)),
            Value::Array(items) => stack.extend(items.iter().rev()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreads_are_keyless_unknowns_and_ranges_map() {
        let mut object = Node::new(
            TextRange::new(0, 20),
            Value::Object(vec![
                Member {
                    key: "model".into(),
                    key_range: TextRange::new(1, 6),
                    value: Node::new(TextRange::new(7, 10), Value::String("m".into())),
                },
                Member::spread(TextRange::new(12, 19)),
            ]),
        );
        assert!(object.has_spread());
        let spread = &object.as_object().unwrap()[1];
        assert!(spread.is_spread() && spread.key.is_empty());
        assert_eq!(spread.key_range, TextRange::empty(12));
        assert_eq!(object.get(""), Some(&spread.value));
        object.map_ranges(&mut |r| TextRange::new(r.start as usize + 100, r.end as usize + 100));
        assert_eq!(object.range, TextRange::new(100, 120));
        assert_eq!(
            object.member("model").unwrap().key_range,
            TextRange::new(101, 106)
        );
        assert!(!Node::new(TextRange::new(0, 2), Value::Object(vec![])).has_spread());
    }
}
