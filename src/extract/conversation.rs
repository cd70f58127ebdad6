//! A read-only view of a payload's conversation, shared by the rule families that walk
//! `messages` (roles, content, and later pairing, thinking, caching).

use crate::syntax::Node;

/// One entry of `messages`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Message<'a> {
    /// Index in `messages`.
    pub index: usize,
    /// The message object (or whatever the entry is).
    pub node: &'a Node,
    /// `role`, when written as a literal string.
    pub role: Option<&'a str>,
    /// `content`, when present.
    pub content: Option<&'a Node>,
}

impl<'a> Message<'a> {
    /// The content blocks: a string `content` is one text block (it has no block node, so it
    /// is not listed); an array gives its elements.
    pub(crate) fn blocks(&self) -> &'a [Node] {
        self.content.and_then(Node::as_array).unwrap_or(&[])
    }

    /// True when the content holds a block of this `type`.
    pub(crate) fn has_block(&self, kind: &str) -> bool {
        self.blocks().iter().any(|b| block_kind(b) == Some(kind))
    }
}

/// The entries of the payload's `messages` array (none when it is absent or not an array).
pub(crate) fn messages(
    root: &Node,
) -> impl DoubleEndedIterator<Item = Message<'_>> + ExactSizeIterator {
    root.get("messages")
        .and_then(Node::as_array)
        .unwrap_or(&[])
        .iter()
        .enumerate()
        .map(|(index, node)| Message {
            index,
            node,
            role: node.get("role").and_then(Node::as_str),
            content: node.get("content"),
        })
}

/// A block's `type`, when written as a literal string.
pub(crate) fn block_kind(block: &Node) -> Option<&str> {
    block.get("type")?.as_str()
}

/// A content block anywhere in the request: in the top-level `system`, in a message, or nested
/// in a `tool_result`'s content, a `search_result`'s content or a document's `content` source.
#[derive(Debug, Clone)]
pub(crate) struct Block<'a> {
    /// The block.
    pub node: &'a Node,
    /// The array that holds it (for fixes that remove it).
    pub array: &'a Node,
    /// Whether the API names the block's `type` in the paths of its errors: content arrays
    /// are unions tagged by type, the text-only arrays (`system`, a `search_result`'s content)
    /// are not.
    pub tagged: bool,
    /// The message it is in (`None` in the top-level `system`).
    pub message: Option<Message<'a>>,
    /// The `type` of the block it is nested in, if it is nested.
    pub parent: Option<&'a str>,
    /// Where it sits, kept as indices: most blocks never need their path spelt out.
    location: Location,
}

/// A block's place: its index in the top-level array, then the path segment and index of each
/// level of nesting.
#[derive(Debug, Clone, Copy)]
struct Location {
    index: usize,
    nested: [(&'static str, usize); MAX_NESTING - 1],
    depth: usize,
}

impl<'a> Block<'a> {
    /// The block's `type`, when written as a literal string.
    pub(crate) fn kind(&self) -> Option<&'a str> {
        block_kind(self.node)
    }

    /// The role of the message it is in (`None` in the top-level `system`, or when unknown).
    pub(crate) fn role(&self) -> Option<&'a str> {
        self.message.and_then(|m| m.role)
    }

    /// Its dotted API path, e.g. `system.1`, `messages.2.content.0` or
    /// `messages.2.content.0.tool_result.content.1`.
    pub(crate) fn path(&self) -> String {
        let mut path = match self.message {
            Some(m) => format!("messages.{}.content.{}", m.index, self.location.index),
            None => format!("system.{}", self.location.index),
        };
        for (below, index) in &self.location.nested[..self.location.depth] {
            path.push_str(&format!(".{below}.{index}"));
        }
        path
    }

    /// The path the API's validation errors use for the block's own fields: its path followed
    /// by its `type` in a tagged union (`messages.0.content.1.image`), its path alone
    /// otherwise (`system.1`).
    pub(crate) fn schema_path(&self) -> String {
        match self.kind().filter(|_| self.tagged) {
            Some(kind) => format!("{}.{kind}", self.path()),
            None => self.path(),
        }
    }
}

/// The blocks nested in `block`: the array that holds them, its path below the block, and
/// whether it is a tagged union.
pub(crate) fn nested_blocks(block: &Node) -> Option<(&Node, &'static str, bool)> {
    match block_kind(block)? {
        "tool_result" => Some((
            block.get("content").filter(|c| c.as_array().is_some())?,
            "tool_result.content",
            true,
        )),
        "search_result" => Some((
            block.get("content").filter(|c| c.as_array().is_some())?,
            "search_result.content",
            false,
        )),
        "document" => {
            let source = block.get("source")?;
            (block_kind(source)? == "content").then_some(())?;
            Some((
                source.get("content").filter(|c| c.as_array().is_some())?,
                "document.source.content.content",
                true,
            ))
        }
        _ => None,
    }
}

/// How deep [`blocks`] follows nesting: a document inside a tool result inside a message is as
/// deep as the API goes.
const MAX_NESTING: usize = 3;

/// Every content block of the request in the order the API processes them: the top-level
/// `system`, then each message's blocks; a block's nested blocks follow it.
pub(crate) fn blocks(root: &Node) -> Vec<Block<'_>> {
    let mut out = Vec::new();
    let top = Location {
        index: 0,
        nested: [("", 0); MAX_NESTING - 1],
        depth: 0,
    };
    if let Some(system) = root.get("system").filter(|s| s.as_array().is_some()) {
        push_blocks(&mut out, system, top, false, None, None);
    }
    for message in messages(root) {
        if let Some(content) = message.content.filter(|c| c.as_array().is_some()) {
            let tagged = message.role != Some("system");
            push_blocks(&mut out, content, top, tagged, Some(message), None);
        }
    }
    out
}

/// Pushes the blocks of `array`, which sits at `at` (its own index not yet set).
fn push_blocks<'a>(
    out: &mut Vec<Block<'a>>,
    array: &'a Node,
    at: Location,
    tagged: bool,
    message: Option<Message<'a>>,
    parent: Option<&'a str>,
) {
    for (i, node) in array.as_array().unwrap_or(&[]).iter().enumerate() {
        let mut location = at;
        match at.depth {
            0 => location.index = i,
            depth => location.nested[depth - 1].1 = i,
        }
        out.push(Block {
            node,
            array,
            tagged,
            message,
            parent,
            location,
        });
        if location.depth + 1 < MAX_NESTING
            && let Some((inner, below, inner_tagged)) = nested_blocks(node)
        {
            let mut inner_at = location;
            inner_at.nested[location.depth] = (below, 0);
            inner_at.depth += 1;
            push_blocks(
                out,
                inner,
                inner_at,
                inner_tagged,
                message,
                block_kind(node),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::json;

    #[test]
    fn blocks_in_processing_order_with_their_paths() {
        let root = json::parse(
            r#"{"system": [{"type": "text", "text": "s"}], "messages": [
                {"role": "user", "content": "plain"},
                {"role": "user", "content": [
                    {"type": "tool_result", "tool_use_id": "t", "content": [
                        {"type": "document", "source": {"type": "content", "content": [
                            {"type": "image", "source": {}}]}},
                        {"type": "search_result", "source": "s", "title": "t", "content": [
                            {"type": "text", "text": "x"}]}]},
                    {"type": "text", "text": "y"}]}]}"#,
            0,
        )
        .root
        .unwrap();
        let found: Vec<(String, String, Option<&str>)> = blocks(&root)
            .iter()
            .map(|b| (b.path(), b.schema_path(), b.parent))
            .collect();
        let expected = [
            ("system.0", "system.0", None),
            (
                "messages.1.content.0",
                "messages.1.content.0.tool_result",
                None,
            ),
            (
                "messages.1.content.0.tool_result.content.0",
                "messages.1.content.0.tool_result.content.0.document",
                Some("tool_result"),
            ),
            (
                "messages.1.content.0.tool_result.content.0.document.source.content.content.0",
                "messages.1.content.0.tool_result.content.0.document.source.content.content.0.image",
                Some("document"),
            ),
            (
                "messages.1.content.0.tool_result.content.1",
                "messages.1.content.0.tool_result.content.1.search_result",
                Some("tool_result"),
            ),
            (
                "messages.1.content.0.tool_result.content.1.search_result.content.0",
                "messages.1.content.0.tool_result.content.1.search_result.content.0",
                Some("search_result"),
            ),
            ("messages.1.content.1", "messages.1.content.1.text", None),
        ];
        let expected: Vec<(String, String, Option<&str>)> = expected
            .iter()
            .map(|(p, s, parent)| (p.to_string(), s.to_string(), *parent))
            .collect();
        assert_eq!(found, expected);
    }
}
