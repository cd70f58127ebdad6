//! tree-sitter-yaml trees into the payload tree: scalars decoded and resolved, tags applied,
//! anchors remembered, aliases copied, merge keys applied.

use std::collections::{HashMap, HashSet};

use tree_sitter::{Node as TsNode, Tree};

use super::scalar::{self, CoreType};
use super::skeleton::Skeleton;
use crate::syntax::tree::{MAX_DEPTH, Member, Node, SyntaxError, TextRange, Value};

/// Text that tree-sitter parsed: a piece of the file that starts at byte `base` of it. Its
/// bytes are the file's, except that a prefix of its first line may have been blanked out with
/// spaces (the `- ` of a list item whose content is parsed on its own).
#[derive(Clone, Copy)]
pub(super) struct Piece<'p> {
    /// The piece's text: what tree-sitter saw, unless it saw `skeleton`.
    pub text: &'p str,
    /// Where it starts in the file.
    pub base: usize,
    /// The skeleton of `text` tree-sitter saw instead, whose offsets are mapped back here:
    /// the one place tree offsets become ranges and text.
    pub skeleton: Option<&'p Skeleton>,
}

impl Piece<'_> {
    /// Where `node` is in `text`.
    fn span(&self, node: TsNode<'_>) -> std::ops::Range<usize> {
        match self.skeleton {
            Some(skeleton) => {
                skeleton.to_piece(node.start_byte())..skeleton.to_piece(node.end_byte())
            }
            None => node.byte_range(),
        }
    }

    fn range(&self, node: TsNode<'_>) -> TextRange {
        let span = self.span(node);
        TextRange::new(self.base + span.start, self.base + span.end)
    }

    fn text(&self, node: TsNode<'_>) -> &str {
        &self.text[self.span(node)]
    }
}

/// The most values aliases may copy in one document: a YAML "billion laughs" would otherwise
/// expand exponentially.
const ALIAS_BUDGET: usize = 200_000;

/// One entry of a mapping before merge keys are applied.
pub(super) enum Pair {
    /// `key: value`.
    Member(Member),
    /// `<<: *base`: the members it brings in (explicit keys win over them).
    Merge(Vec<Member>),
}

/// What a tag asks of a scalar.
enum Tag {
    /// `!!str` or the non-specific `!`: a string whatever it looks like.
    Str,
    /// `!!null`, `!!bool`, `!!int`, `!!float`.
    Core(CoreType),
    /// Any other tag: the value is kept as it resolves without one.
    Other,
}

fn tag_of(text: &str) -> Tag {
    let name = if text == "!" {
        return Tag::Str;
    } else if let Some(verbatim) = text
        .strip_prefix("!<tag:yaml.org,2002:")
        .and_then(|s| s.strip_suffix('>'))
    {
        verbatim
    } else if let Some(short) = text.strip_prefix("!!") {
        short
    } else {
        return Tag::Other;
    };
    match name {
        "str" => Tag::Str,
        "null" => Tag::Core(CoreType::Null),
        "bool" => Tag::Core(CoreType::Bool),
        "int" => Tag::Core(CoreType::Int),
        "float" => Tag::Core(CoreType::Float),
        _ => Tag::Other,
    }
}

/// The key a scalar value stands for once the document is sent as JSON (`1: x` becomes
/// `"1"`); `None` for values that cannot be keys here.
pub(super) fn key_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some("null".to_owned()),
        _ => None,
    }
}

/// Lowers the pieces of one document, in source order (anchors must come before their aliases).
pub(super) struct Lowerer<'t> {
    /// The whole file: a `|+` block scalar looks past its end for trailing empty lines.
    file: &'t str,
    /// Syntax errors found so far.
    pub errors: Vec<SyntaxError>,
    anchors: HashMap<String, Node>,
    alias_budget: usize,
}

impl<'t> Lowerer<'t> {
    /// A lowerer for one document of `file`.
    pub(super) fn new(file: &'t str) -> Self {
        Self {
            file,
            errors: Vec::new(),
            anchors: HashMap::new(),
            alias_budget: ALIAS_BUDGET,
        }
    }

    /// Remembers `node` under an anchor name for later aliases.
    pub(super) fn anchor(&mut self, name: String, node: &Node) {
        self.anchors.insert(name, node.clone());
    }

    /// The value of a parsed piece's only document, or `None` when the document is empty.
    pub(super) fn document_value(
        &mut self,
        p: Piece<'_>,
        tree: &Tree,
        parent_indent: i64,
        depth: usize,
    ) -> Option<Node> {
        let value = document_node(tree)?;
        Some(self.value(p, value, parent_indent, depth))
    }

    /// The entries of a parsed piece that is one block mapping, written without properties.
    pub(super) fn document_pairs(
        &mut self,
        p: Piece<'_>,
        tree: &Tree,
        depth: usize,
    ) -> Option<Vec<Pair>> {
        let mapping = bare_block_content(tree, "block_mapping")?;
        Some(self.block_pairs(p, mapping, depth))
    }

    /// The items of a parsed piece that is one block sequence, written without properties.
    pub(super) fn document_items(
        &mut self,
        p: Piece<'_>,
        tree: &Tree,
        depth: usize,
    ) -> Option<Vec<Node>> {
        let sequence = bare_block_content(tree, "block_sequence")?;
        Some(self.block_items(p, sequence, depth))
    }

    /// A lowered node, with its anchor and tag applied.
    fn value(&mut self, p: Piece<'_>, node: TsNode<'_>, parent_indent: i64, depth: usize) -> Node {
        if !matches!(node.kind(), "block_node" | "flow_node") {
            return self.content(p, node, None, parent_indent, depth);
        }
        let mut anchor = None;
        let mut tag = None;
        let mut content = None;
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            match child.kind() {
                "anchor" => anchor = Some(child),
                "tag" => tag = Some(child),
                "comment" => {}
                _ => content = Some(child),
            }
        }
        let start = p.range(node).start;
        let tag_text = tag.map(|t| p.text(t));
        let lowered = match content {
            Some(content) => {
                let inner = self.content(p, content, tag_text, parent_indent, depth);
                Node::new(
                    TextRange {
                        start,
                        end: inner.range.end,
                    },
                    inner.value,
                )
            }
            None => {
                // Only properties: an empty scalar.
                let end = [anchor, tag]
                    .into_iter()
                    .flatten()
                    .map(|n| p.range(n).end)
                    .max()
                    .unwrap_or(start);
                let range = TextRange { start, end };
                let value = match tag_text.map(tag_of) {
                    Some(Tag::Str) => Value::String(String::new()),
                    Some(Tag::Core(ty)) => self.tagged(ty, "", range),
                    _ => Value::Null,
                };
                Node::new(range, value)
            }
        };
        if let Some(anchor) = anchor {
            let name = p.text(anchor).trim_start_matches('&').to_owned();
            self.anchor(name, &lowered);
        }
        lowered
    }

    fn content(
        &mut self,
        p: Piece<'_>,
        node: TsNode<'_>,
        tag: Option<&str>,
        parent_indent: i64,
        depth: usize,
    ) -> Node {
        let range = p.range(node);
        let kind = node.kind();
        let container = matches!(
            kind,
            "block_mapping" | "block_sequence" | "flow_mapping" | "flow_sequence"
        );
        if container && depth >= MAX_DEPTH {
            self.errors.push(SyntaxError::too_deep(range.head(1)));
            return Node::new(range, Value::Unknown);
        }
        match kind {
            "block_mapping" => {
                let pairs = self.block_pairs(p, node, depth);
                self.mapping_node(range, pairs)
            }
            "flow_mapping" => {
                let mut pairs = Vec::new();
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    let pair = match child.kind() {
                        "flow_pair" => self.pair(p, child, depth),
                        "flow_node" => self.pair_of(p, Some(child), None, child, depth),
                        _ => None,
                    };
                    pairs.extend(pair);
                }
                Node::new(range, Value::Object(finish(pairs)))
            }
            "block_sequence" => {
                let items = self.block_items(p, node, depth);
                let end = items.last().map_or(range.end, |i| i.range.end);
                Node::new(
                    TextRange {
                        start: range.start,
                        end,
                    },
                    Value::Array(items),
                )
            }
            "flow_sequence" => {
                let mut items = Vec::new();
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    match child.kind() {
                        "flow_node" => items.push(self.value(p, child, -1, depth + 1)),
                        "flow_pair" => {
                            // `[a: 1]`: a mapping with one entry.
                            let pair_range = p.range(child);
                            if depth + 1 >= MAX_DEPTH {
                                self.errors.push(SyntaxError::too_deep(pair_range.head(1)));
                                items.push(Node::new(pair_range, Value::Unknown));
                            } else {
                                let pairs = self.pair(p, child, depth + 1).into_iter().collect();
                                items.push(Node::new(pair_range, Value::Object(finish(pairs))));
                            }
                        }
                        _ => {}
                    }
                }
                Node::new(range, Value::Array(items))
            }
            "plain_scalar" | "single_quote_scalar" | "double_quote_scalar" | "block_scalar" => {
                let value = self.scalar(p, node, tag, parent_indent);
                Node::new(range, value)
            }
            "alias" => self.alias(p, node, depth),
            _ => Node::new(range, Value::Unknown),
        }
    }

    /// A mapping node whose range ends with its last entry (tree-sitter's block mappings also
    /// cover the comments and blank lines after it).
    fn mapping_node(&mut self, range: TextRange, pairs: Vec<Pair>) -> Node {
        let members = finish(pairs);
        let end = members
            .iter()
            .map(|m| m.range().end)
            .max()
            .unwrap_or(range.end);
        Node::new(
            TextRange {
                start: range.start,
                end,
            },
            Value::Object(members),
        )
    }

    fn block_pairs(&mut self, p: Piece<'_>, mapping: TsNode<'_>, depth: usize) -> Vec<Pair> {
        let mut pairs = Vec::new();
        let mut cursor = mapping.walk();
        for child in mapping.named_children(&mut cursor) {
            if child.kind() == "block_mapping_pair" {
                pairs.extend(self.pair(p, child, depth));
            }
        }
        pairs
    }

    fn block_items(&mut self, p: Piece<'_>, sequence: TsNode<'_>, depth: usize) -> Vec<Node> {
        let column = sequence.start_position().column as i64;
        let mut items = Vec::new();
        let mut cursor = sequence.walk();
        for item in sequence.named_children(&mut cursor) {
            if item.kind() != "block_sequence_item" {
                continue;
            }
            let mut inner = item.walk();
            let value = item
                .named_children(&mut inner)
                .find(|c| matches!(c.kind(), "block_node" | "flow_node"));
            items.push(match value {
                Some(value) => self.value(p, value, column, depth + 1),
                // `-` alone is a null item.
                None => Node::new(
                    TextRange::empty(p.range(item).start as usize + 1),
                    Value::Null,
                ),
            });
        }
        items
    }

    /// One `block_mapping_pair` or `flow_pair`.
    fn pair(&mut self, p: Piece<'_>, pair: TsNode<'_>, depth: usize) -> Option<Pair> {
        let key = pair.child_by_field_name("key");
        let value = pair.child_by_field_name("value");
        self.pair_of(p, key, value, pair, depth)
    }

    fn pair_of(
        &mut self,
        p: Piece<'_>,
        key: Option<TsNode<'_>>,
        value: Option<TsNode<'_>>,
        pair: TsNode<'_>,
        depth: usize,
    ) -> Option<Pair> {
        let column = if pair.kind() == "block_mapping_pair" {
            pair.start_position().column as i64
        } else {
            -1
        };
        // A key that is a collection has no JSON equivalent: the entry is skipped.
        let key = key.filter(|k| {
            !matches!(
                content_kind(*k),
                Some("block_mapping" | "block_sequence" | "flow_mapping" | "flow_sequence")
            )
        })?;
        let plain_key = content_kind(key) == Some("plain_scalar") && !has_child(key, "tag");
        let key_node = self.value(p, key, column, depth + 1);
        let key_string = key_text(&key_node.value)?;
        let value = match value {
            Some(value) => self.value(p, value, column, depth + 1),
            None => {
                // `key:` with nothing after it: null, just after the colon.
                let mut cursor = pair.walk();
                let colon = pair.children(&mut cursor).find(|c| c.kind() == ":");
                let at = colon.map_or(key_node.range.end, |c| p.range(c).end);
                Node::new(TextRange::empty(at as usize), Value::Null)
            }
        };
        if plain_key && key_string == "<<" {
            return Some(self.merge(key_node.range, value));
        }
        Some(Pair::Member(Member {
            key: key_string,
            key_range: key_node.range,
            value,
        }))
    }

    /// A `<<` merge key: its value is a mapping (usually an alias) or a list of them; earlier
    /// ones win over later ones, and the mapping's own keys over all of them.
    pub(super) fn merge(&mut self, key_range: TextRange, value: Node) -> Pair {
        let sources = match value.value {
            Value::Object(members) => vec![members],
            Value::Array(items) => items
                .into_iter()
                .filter_map(|item| match item.value {
                    Value::Object(members) => Some(members),
                    Value::Unknown => None,
                    other => {
                        self.not_mergeable(item.range, &other);
                        None
                    }
                })
                .collect(),
            // An alias to nothing: already reported.
            Value::Unknown => Vec::new(),
            other => {
                self.not_mergeable(key_range, &other);
                Vec::new()
            }
        };
        Pair::Merge(sources.into_iter().flatten().collect())
    }

    fn not_mergeable(&mut self, range: TextRange, value: &Value) {
        self.errors.push(SyntaxError::new(
            range,
            format!(
                "invalid YAML: the merge key `<<` takes a mapping or a list of mappings, not {} {}",
                if value.kind_name().starts_with(['a', 'o']) {
                    "an"
                } else {
                    "a"
                },
                value.kind_name()
            ),
        ));
    }

    fn scalar(
        &mut self,
        p: Piece<'_>,
        node: TsNode<'_>,
        tag: Option<&str>,
        parent_indent: i64,
    ) -> Value {
        let raw = p.text(node);
        let range = p.range(node);
        let (text, plain) = match node.kind() {
            // A plain scalar that runs to the very end of the text, with no line break after
            // it, is where the cursor is: it may be cut while typing (`model: claude-son`), so
            // it is not judged, as a JSON string cut off is not.
            "plain_scalar" if range.end as usize == self.file.len() => return Value::Unknown,
            "plain_scalar" => (scalar::fold_plain(raw), true),
            "single_quote_scalar" => (scalar::decode_single(strip_quotes(raw)), false),
            "double_quote_scalar" => match scalar::decode_double(strip_quotes(raw)) {
                Ok(text) => (text, false),
                Err(bad) => {
                    let at = range.start as usize + 1 + bad.offset;
                    let escape = self.file.get(at..at + bad.len).unwrap_or("\\");
                    self.errors
                        .push(bad_escape(TextRange::new(at, at + bad.len), escape));
                    return Value::Unknown;
                }
            },
            _ => {
                let after = self.file.get(range.end as usize..).unwrap_or("");
                (scalar::decode_block(raw, after, parent_indent), false)
            }
        };
        match tag.map(tag_of) {
            Some(Tag::Str) => Value::String(text),
            Some(Tag::Core(ty)) => self.tagged(ty, &text, range),
            None | Some(Tag::Other) if plain => scalar::resolve_plain(&text),
            None | Some(Tag::Other) => Value::String(text),
        }
    }

    /// A scalar with `!!int` and the like: its value as that type, or an error.
    fn tagged(&mut self, ty: CoreType, text: &str, range: TextRange) -> Value {
        scalar::resolve_as(ty, text).unwrap_or_else(|| {
            self.errors.push(SyntaxError::new(
                range,
                format!("invalid YAML: `{text}` is not a valid `!!{}`", ty.name()),
            ));
            Value::Unknown
        })
    }

    fn alias(&mut self, p: Piece<'_>, node: TsNode<'_>, depth: usize) -> Node {
        let range = p.range(node);
        let name = p.text(node).trim_start_matches('*');
        let Some(target) = self.anchors.remove(name) else {
            self.errors.push(SyntaxError::new(
                range,
                format!(
                    "invalid YAML: the alias `*{name}` refers to no anchor `&{name}` before it"
                ),
            ));
            return Node::new(range, Value::Unknown);
        };
        let before = self.alias_budget;
        let copy = relocate(
            &target,
            range,
            depth,
            &mut self.alias_budget,
            &mut self.errors,
        );
        self.anchors.insert(name.to_owned(), target);
        if self.alias_budget == 0 && before > 0 {
            self.errors.push(SyntaxError::new(
                range,
                format!("aliases in this document expand to more than {ALIAS_BUDGET} values: the rest is not checked"),
            ));
        }
        copy
    }

    /// Reports every error and missing node of a tree that did not parse cleanly, at the place
    /// tree-sitter stopped understanding the text.
    pub(super) fn tree_errors(&mut self, p: Piece<'_>, tree: &Tree) {
        debug_assert!(
            p.skeleton.is_none(),
            "a skeleton is only lowered when it parsed cleanly"
        );
        let before = self.errors.len();
        let root = tree.root_node();
        let mut cursor = root.walk();
        loop {
            let node = cursor.node();
            let mut descend = node.has_error();
            if node.is_missing() {
                let what = match node.kind() {
                    kind if kind.len() <= 3 => format!("`{kind}`"),
                    kind => kind.replace('_', " "),
                };
                self.errors.push(SyntaxError::new(
                    p.range(node),
                    format!("invalid YAML: expected {what}"),
                ));
                descend = false;
            } else if node.is_error() {
                self.error_node(p, node);
                descend = false;
            }
            if descend && cursor.goto_first_child() {
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    if self.errors.len() == before {
                        // tree-sitter read the text as two documents, or stopped early.
                        let end = document_node(tree).map_or(0, |n| n.end_byte());
                        self.unexpected_at(p, end);
                    }
                    return;
                }
            }
        }
    }

    /// Explains one `ERROR` node: an unclosed quote or bracket inside it, or else the first
    /// token after it, where the parser gave up.
    fn error_node(&mut self, p: Piece<'_>, node: TsNode<'_>) {
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            let at = child.start_byte();
            let found = match child.kind() {
                "\"" | "'" => self.quote_error(p, at),
                "[" | "{" => bracket_error(p, at),
                _ => None,
            };
            if let Some(error) = found {
                self.errors.push(error);
                return;
            }
        }
        self.unexpected_at(p, node.end_byte());
    }

    /// The problem with the quoted string that opens at `at`, if it has one.
    fn quote_error(&self, p: Piece<'_>, at: usize) -> Option<SyntaxError> {
        let quote = p.text.as_bytes()[at];
        let body = &p.text[at + 1..];
        let close = if quote == b'"' {
            let mut escaped = false;
            body.bytes().position(|b| {
                let closes = b == b'"' && !escaped;
                escaped = b == b'\\' && !escaped;
                closes
            })
        } else {
            let bytes = body.as_bytes();
            let mut i = 0;
            loop {
                match bytes.get(i) {
                    Some(b'\'') if bytes.get(i + 1) == Some(&b'\'') => i += 2,
                    Some(b'\'') => break Some(i),
                    Some(_) => i += 1,
                    None => break None,
                }
            }
        };
        let Some(close) = close else {
            return Some(SyntaxError::new(
                TextRange::new(p.base + at, p.base + at + 1),
                "invalid YAML: this string is never closed",
            ));
        };
        if quote == b'"'
            && let Err(bad) = scalar::decode_double(&body[..close])
        {
            let start = p.base + at + 1 + bad.offset;
            let escape = &body[bad.offset..bad.offset + bad.len];
            return Some(bad_escape(TextRange::new(start, start + bad.len), escape));
        }
        None
    }

    /// An error on the token at or after byte `at` of the piece (where tree-sitter gave up).
    fn unexpected_at(&mut self, p: Piece<'_>, at: usize) {
        let at = at.min(p.text.len());
        let rest = &p.text[at..];
        let skipped = rest.len() - rest.trim_start_matches([' ', '\r', '\n']).len();
        let start = at + skipped;
        let line_start = p.text[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let leading =
            p.text[line_start..].len() - p.text[line_start..].trim_start_matches([' ', '\t']).len();
        let (range, message) = if let Some(tab) =
            p.text[line_start..line_start + leading].find('\t')
        {
            // A tab in the indentation of the line where parsing stopped is the likely cause.
            let tab = p.base + line_start + tab;
            (TextRange::new(tab, tab + 1), TAB_MESSAGE.to_owned())
        } else {
            let token: String = p.text[start..]
                .chars()
                .take_while(|c| !c.is_whitespace())
                .take(24)
                .collect();
            let range = TextRange::new(p.base + start, p.base + start + token.len());
            let message = match token.chars().next() {
                None => "invalid YAML: unexpected end of text".to_owned(),
                Some(':') => "invalid YAML: unexpected `:` (a plain value cannot contain `: `; put the value in quotes)".to_owned(),
                Some('@') => "invalid YAML: `@` is reserved and cannot start a plain value; put the value in quotes".to_owned(),
                Some('`') => "invalid YAML: the backtick is reserved and cannot start a plain value; put the value in quotes".to_owned(),
                Some(_) => format!("invalid YAML: unexpected `{token}`"),
            };
            (range, message)
        };
        self.errors.push(SyntaxError::new(range, message));
    }
}

/// The message for a tab where YAML expects indentation.
pub(super) const TAB_MESSAGE: &str =
    "invalid YAML: a tab in indentation (YAML indents with spaces only)";

fn bad_escape(range: TextRange, escape: &str) -> SyntaxError {
    SyntaxError::new(
        range,
        format!("invalid YAML: `{escape}` is not an escape YAML knows in a double-quoted string"),
    )
}

/// An unclosed `[` or `{` opening at `at`, if it is one.
fn bracket_error(p: Piece<'_>, at: usize) -> Option<SyntaxError> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut escaped = false;
    for &b in &p.text.as_bytes()[at..] {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if q == b'"' && b == b'\\' {
                escaped = true;
            } else if b == q {
                quote = None;
            }
            continue;
        }
        match b {
            b'"' | b'\'' => quote = Some(b),
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return None;
                }
            }
            _ => {}
        }
    }
    let bracket = p.text.as_bytes()[at] as char;
    Some(SyntaxError::new(
        TextRange::new(p.base + at, p.base + at + 1),
        format!("invalid YAML: this `{bracket}` is never closed"),
    ))
}

/// The body of a quoted scalar (tree-sitter includes both quotes in the node).
fn strip_quotes(raw: &str) -> &str {
    raw.get(1..raw.len().saturating_sub(1)).unwrap_or("")
}

/// The value node of a tree's only document.
fn document_node(tree: &Tree) -> Option<TsNode<'_>> {
    let root = tree.root_node();
    let mut cursor = root.walk();
    let document = root
        .named_children(&mut cursor)
        .find(|n| n.kind() == "document")?;
    let mut cursor = document.walk();
    document
        .named_children(&mut cursor)
        .find(|n| matches!(n.kind(), "block_node" | "flow_node"))
}

/// The document's content when it is a block collection of `kind` without anchor or tag.
fn bare_block_content<'t>(tree: &'t Tree, kind: &str) -> Option<TsNode<'t>> {
    let node = document_node(tree)?;
    let mut cursor = node.walk();
    let children: Vec<_> = node
        .named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .collect();
    match children.as_slice() {
        [only] if only.kind() == kind => Some(*only),
        _ => None,
    }
}

/// The kind of the content under a `block_node`/`flow_node` (past its anchor and tag).
fn content_kind<'t>(node: TsNode<'t>) -> Option<&'t str> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .map(|c| c.kind())
        .find(|k| !matches!(*k, "anchor" | "tag" | "comment"))
}

fn has_child(node: TsNode<'_>, kind: &str) -> bool {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).any(|c| c.kind() == kind)
}

/// Applies merge keys: merged members come in where the `<<` was, unless the mapping sets the
/// key itself or an earlier merge already brought it.
pub(super) fn finish(pairs: Vec<Pair>) -> Vec<Member> {
    if !pairs.iter().any(|p| matches!(p, Pair::Merge(_))) {
        return pairs
            .into_iter()
            .filter_map(|p| match p {
                Pair::Member(m) => Some(m),
                Pair::Merge(_) => None,
            })
            .collect();
    }
    let explicit: HashSet<String> = pairs
        .iter()
        .filter_map(|p| match p {
            Pair::Member(m) => Some(m.key.clone()),
            Pair::Merge(_) => None,
        })
        .collect();
    let mut merged = HashSet::new();
    let mut members = Vec::new();
    for pair in pairs {
        match pair {
            Pair::Member(m) => members.push(m),
            Pair::Merge(brought) => members.extend(
                brought
                    .into_iter()
                    .filter(|m| !explicit.contains(&m.key) && merged.insert(m.key.clone())),
            ),
        }
    }
    members
}

/// A copy of `node` for an alias: every range becomes the alias's, so findings inside the copy
/// point at the alias. Stops at [`MAX_DEPTH`] and when the alias budget runs out.
fn relocate(
    node: &Node,
    range: TextRange,
    depth: usize,
    budget: &mut usize,
    errors: &mut Vec<SyntaxError>,
) -> Node {
    if *budget == 0 {
        return Node::new(range, Value::Unknown);
    }
    *budget -= 1;
    let container = matches!(node.value, Value::Object(_) | Value::Array(_));
    if container && depth >= MAX_DEPTH {
        errors.push(SyntaxError::too_deep(range.head(1)));
        return Node::new(range, Value::Unknown);
    }
    let value = match &node.value {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|m| Member {
                    key: m.key.clone(),
                    key_range: range,
                    value: relocate(&m.value, range, depth + 1, budget, errors),
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| relocate(item, range, depth + 1, budget, errors))
                .collect(),
        ),
        other => other.clone(),
    };
    Node::new(range, value)
}
