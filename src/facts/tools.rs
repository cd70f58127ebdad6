//! Tool definitions (reference §3): the Anthropic-defined (server and client) tool types with
//! their fixed names and required fields, the betas that gate some of them, the `tool_choice`
//! types, and the limits on names and strict tools.

/// One Anthropic-defined tool `type`.
#[derive(Debug)]
pub(crate) struct ToolType {
    /// The `type` tag, e.g. `web_search_20250305`.
    pub name: &'static str,
    /// The `name` the API requires for it (`None` for toolsets, which have no `name`).
    pub fixed_name: Option<&'static str>,
    /// Fields the API requires besides `type` and `name`.
    pub required: &'static [&'static str],
    /// The beta that introduces it (it is not in the GA union), if any.
    pub beta: Option<&'static str>,
}

const fn ga(name: &'static str, fixed_name: &'static str) -> ToolType {
    ToolType {
        name,
        fixed_name: Some(fixed_name),
        required: &[],
        beta: None,
    }
}

const fn beta(
    name: &'static str,
    fixed_name: Option<&'static str>,
    required: &'static [&'static str],
    beta: &'static str,
) -> ToolType {
    ToolType {
        name,
        fixed_name,
        required,
        beta: Some(beta),
    }
}

const COMPUTER: &[&str] = &["display_width_px", "display_height_px"];

/// Every Anthropic-defined tool type: the GA union (reference §3.2, `[PY]` 2.14
/// `types/tool_union_param.py`) and the beta-only ones (`[PY]` `types/beta/`).
pub(crate) static TOOL_TYPES: &[ToolType] = &[
    ga("bash_20250124", "bash"),
    ga("code_execution_20250522", "code_execution"),
    ga("code_execution_20250825", "code_execution"),
    ga("code_execution_20260120", "code_execution"),
    ga("code_execution_20260521", "code_execution"),
    ga("memory_20250818", "memory"),
    ga("text_editor_20250124", "str_replace_editor"),
    ga("text_editor_20250429", "str_replace_based_edit_tool"),
    ga("text_editor_20250728", "str_replace_based_edit_tool"),
    ga("web_search_20250305", "web_search"),
    ga("web_search_20260209", "web_search"),
    ga("web_search_20260318", "web_search"),
    ga("web_fetch_20250910", "web_fetch"),
    ga("web_fetch_20260209", "web_fetch"),
    ga("web_fetch_20260309", "web_fetch"),
    ga("web_fetch_20260318", "web_fetch"),
    ga("tool_search_tool_regex_20251119", "tool_search_tool_regex"),
    ga("tool_search_tool_regex", "tool_search_tool_regex"),
    ga("tool_search_tool_bm25_20251119", "tool_search_tool_bm25"),
    ga("tool_search_tool_bm25", "tool_search_tool_bm25"),
    ToolType {
        name: "computer_toolset_20260801",
        fixed_name: None,
        required: &[],
        beta: None,
    },
    ToolType {
        name: "browser_toolset_20260801",
        fixed_name: None,
        required: &[],
        beta: None,
    },
    beta(
        "bash_20241022",
        Some("bash"),
        &[],
        "computer-use-2024-10-22",
    ),
    beta(
        "text_editor_20241022",
        Some("str_replace_editor"),
        &[],
        "computer-use-2024-10-22",
    ),
    beta(
        "computer_20241022",
        Some("computer"),
        COMPUTER,
        "computer-use-2024-10-22",
    ),
    beta(
        "computer_20250124",
        Some("computer"),
        COMPUTER,
        "computer-use-2025-01-24",
    ),
    beta(
        "computer_20251124",
        Some("computer"),
        COMPUTER,
        "computer-use-2025-11-24",
    ),
    beta(
        "advisor_20260301",
        Some("advisor"),
        &["model"],
        "advisor-tool-2026-03-01",
    ),
    beta(
        "mcp_toolset",
        None,
        &["mcp_server_name"],
        "mcp-client-2025-11-20",
    ),
];

/// Looks up an Anthropic-defined tool type by its tag.
pub(crate) fn tool_type(name: &str) -> Option<&'static ToolType> {
    TOOL_TYPES.iter().find(|t| t.name == name)
}

/// The `tool_choice` types (reference §3.4).
pub(crate) const TOOL_CHOICE_TYPES: &[&str] = &["auto", "any", "tool", "none"];

/// JSON Schema keywords strict schemas reject (reference §3.3: numeric bounds, string lengths
/// and array constraints other than `minItems`).
pub(crate) const STRICT_UNSUPPORTED_KEYWORDS: &[&str] = &[
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "maxItems",
    "uniqueItems",
    "contains",
    "minContains",
    "maxContains",
];

/// The string `format`s strict schemas accept (reference §3.3).
pub(crate) const STRICT_FORMATS: &[&str] = &[
    "date-time",
    "time",
    "date",
    "duration",
    "email",
    "hostname",
    "uri",
    "ipv4",
    "ipv6",
    "uuid",
];

/// True when `name` matches `^[a-zA-Z0-9_-]+$`, the pattern of tool names and `tool_use` ids.
pub(crate) fn is_identifier(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// True when `id` matches `^srvtoolu_[a-zA-Z0-9_]+$`, the pattern of `server_tool_use` ids.
pub(crate) fn is_server_tool_use_id(id: &str) -> bool {
    id.strip_prefix("srvtoolu_").is_some_and(|rest| {
        !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_follow_the_api_patterns() {
        assert!(is_identifier("get_weather-2"));
        assert!(is_identifier("call_abc123"));
        assert!(!is_identifier(""));
        assert!(!is_identifier("functions.get_weather:0"));
        assert!(!is_identifier("météo"));
        assert!(is_server_tool_use_id("srvtoolu_01ABC_x"));
        assert!(!is_server_tool_use_id("srvtoolu_"));
        assert!(!is_server_tool_use_id("srvtoolu_a-b"));
        assert!(!is_server_tool_use_id("toolu_01"));
    }

    #[test]
    fn tool_types_are_unique_and_carry_their_facts() {
        for (i, t) in TOOL_TYPES.iter().enumerate() {
            assert!(
                TOOL_TYPES[..i].iter().all(|u| u.name != t.name),
                "{} twice",
                t.name
            );
        }
        assert_eq!(
            tool_type("computer_20251124").and_then(|t| t.beta),
            Some("computer-use-2025-11-24")
        );
        assert_eq!(
            tool_type("text_editor_20250728").and_then(|t| t.fixed_name),
            Some("str_replace_based_edit_tool")
        );
    }
}
