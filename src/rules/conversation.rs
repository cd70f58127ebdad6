//! A read-only view of a payload's conversation, shared by the rule families that walk
//! `messages` (roles, content, and later pairing, thinking, caching).

use crate::syntax::Node;

/// One entry of `messages`.
#[derive(Debug, Clone, Copy)]
pub struct Message<'a> {
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
    pub fn blocks(&self) -> &'a [Node] {
        self.content.and_then(Node::as_array).unwrap_or(&[])
    }

    /// True when the content holds a block of this `type`.
    pub fn has_block(&self, kind: &str) -> bool {
        self.blocks().iter().any(|b| block_kind(b) == Some(kind))
    }
}

/// The entries of the payload's `messages` array (none when it is absent or not an array).
pub fn messages(root: &Node) -> impl Iterator<Item = Message<'_>> {
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
pub fn block_kind(block: &Node) -> Option<&str> {
    block.get("type")?.as_str()
}
