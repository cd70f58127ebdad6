//! Content block types (reference §2.2, §2.3): their fields and where they may appear.

/// Which message roles a block may appear in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Placement {
    /// User messages only (`tool_result`).
    User,
    /// Assistant messages only (model output echoed back: `tool_use`, `thinking`, server results).
    Assistant,
    /// Any message (text, images, documents...).
    Any,
}

/// One content block type.
#[derive(Debug)]
pub(crate) struct BlockType {
    /// The `type` tag.
    pub name: &'static str,
    /// Fields the API requires.
    pub required: &'static [&'static str],
    /// Other fields it accepts (including those of response blocks echoed back verbatim).
    pub optional: &'static [&'static str],
    /// Where it may appear.
    pub placement: Placement,
    /// The beta that introduces it; its fields are not checked.
    pub beta: Option<&'static str>,
}

const fn ga(
    name: &'static str,
    required: &'static [&'static str],
    optional: &'static [&'static str],
    placement: Placement,
) -> BlockType {
    BlockType {
        name,
        required,
        optional,
        placement,
        beta: None,
    }
}

const fn beta(name: &'static str, beta: &'static str, placement: Placement) -> BlockType {
    BlockType {
        name,
        required: &[],
        optional: &[],
        placement,
        beta: Some(beta),
    }
}

use Placement::*;

const SERVER_RESULT: &[&str] = &["tool_use_id", "content"];
/// Web search and fetch results take a `caller`; the code execution and tool search results
/// take only `cache_control` (reference §2.2).
const SERVER_RESULT_OPTIONAL: &[&str] = &["cache_control", "caller"];
const CACHE_CONTROL: &[&str] = &["cache_control"];

/// Every request content block type.
pub(crate) static BLOCK_TYPES: &[BlockType] = &[
    ga("text", &["text"], &["cache_control", "citations"], Any),
    ga(
        "image",
        &["source"],
        &["cache_control", "transformations"],
        Any,
    ),
    ga(
        "document",
        &["source"],
        &["cache_control", "citations", "context", "title"],
        Any,
    ),
    ga(
        "search_result",
        &["content", "source", "title"],
        &["cache_control", "citations"],
        Any,
    ),
    ga("thinking", &["thinking", "signature"], &[], Assistant),
    ga("redacted_thinking", &["data"], &[], Assistant),
    ga(
        "tool_use",
        &["id", "name", "input"],
        &["cache_control", "caller", "toolset_name"],
        Assistant,
    ),
    ga(
        "tool_result",
        &["tool_use_id"],
        &["content", "is_error", "cache_control", "toolset_name"],
        User,
    ),
    ga(
        "server_tool_use",
        &["id", "name", "input"],
        &["cache_control", "caller"],
        Assistant,
    ),
    ga(
        "web_search_tool_result",
        SERVER_RESULT,
        SERVER_RESULT_OPTIONAL,
        Assistant,
    ),
    ga(
        "web_fetch_tool_result",
        SERVER_RESULT,
        SERVER_RESULT_OPTIONAL,
        Assistant,
    ),
    ga(
        "code_execution_tool_result",
        SERVER_RESULT,
        CACHE_CONTROL,
        Assistant,
    ),
    ga(
        "bash_code_execution_tool_result",
        SERVER_RESULT,
        CACHE_CONTROL,
        Assistant,
    ),
    ga(
        "text_editor_code_execution_tool_result",
        SERVER_RESULT,
        CACHE_CONTROL,
        Assistant,
    ),
    ga(
        "tool_search_tool_result",
        SERVER_RESULT,
        CACHE_CONTROL,
        Assistant,
    ),
    ga("container_upload", &["file_id"], &["cache_control"], Any),
    ga("tool_reference", &["tool_name"], &["cache_control"], Any),
    ga(
        "browser_state",
        &["tabs"],
        &["state_changes", "cache_control"],
        Any,
    ),
    beta("advisor_tool_result", "advisor-tool-2026-03-01", Assistant),
    beta("mcp_tool_use", "mcp-client-2025-11-20", Assistant),
    beta("mcp_tool_result", "mcp-client-2025-11-20", Any),
    beta("compaction", "compact-2026-09-04", Any),
    beta(
        "tool_addition",
        "mid-conversation-tool-changes-2026-07-01",
        Any,
    ),
    beta(
        "tool_removal",
        "mid-conversation-tool-changes-2026-07-01",
        Any,
    ),
    beta("mcp_tool_listing", "mcp-client-2026-09-15", Any),
    beta("fallback", "server-side-fallback-2026-07-01", Any),
];

/// The block types a `tool_result`'s `content` array may hold.
pub(crate) const TOOL_RESULT_CONTENT: &[&str] = &[
    "text",
    "image",
    "search_result",
    "document",
    "tool_reference",
    "browser_state",
];

/// The block types a `role: "system"` message or the top-level `system` array may hold.
pub(crate) const SYSTEM_CONTENT: &[&str] = &["text", "tool_addition", "tool_removal"];

/// Looks up a block type by its tag.
pub(crate) fn block_type(name: &str) -> Option<&'static BlockType> {
    BLOCK_TYPES.iter().find(|b| b.name == name)
}
