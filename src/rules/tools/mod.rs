//! Tool definitions and `tool_choice` (reference §3): names, `input_schema`, duplicate names,
//! tool types and their versions, strict-tool limits, and the `tool_choice` forms the API
//! accepts.

mod choice;
mod input_schema;
mod names;
mod strict;
mod types;

use choice::check_tool_choice;
use input_schema::check_input_schema;
use names::{check_custom_name, check_duplicate_names};
use types::{check_anthropic_tool, report_unknown_type};

use super::registry::declare_rules;
use super::{Context, Sink};
use crate::facts::tools::{self, ToolType};
use crate::syntax::{Node, Value};

declare_rules! {
    family: "tools";
    prefix: "T";
    /// ## What it does
    /// Reports a custom tool whose `name` is missing, does not match `^[a-zA-Z0-9_-]+$`
    /// (spaces, dots, non-ASCII letters), or is longer than {api.tools.max_name_chars}
    /// characters; a name longer than {api.tools.sure_name_chars} characters is a warning.
    ///
    /// ## Why
    /// The API answers 400 `tools.N.custom.name: String should match pattern
    /// '^[a-zA-Z0-9_-]{1,128}$'`. The documentation gives {api.tools.sure_name_chars} as the
    /// limit and older API deployments quoted `{1,64}`, so a name longer than
    /// {api.tools.sure_name_chars} characters may still be refused.
    ///
    /// ## Example
    /// ```json
    /// {"name": "get weather", "input_schema": {"type": "object"}}
    /// ```
    INVALID_TOOL_NAME { code: "101", name: "invalid-tool-name", severity: Error, fix: None }

    /// ## What it does
    /// Reports a custom tool without `input_schema` (including one that carries OpenAI's
    /// `parameters` or MCP's `inputSchema` instead), an `input_schema` that is not an object or
    /// whose `type` is not `"object"`, and one that is not a valid JSON Schema.
    ///
    /// ## Why
    /// The API answers 400 `tools.N.custom.input_schema: Field required` when it is missing,
    /// and rejects a schema whose `type` is not `"object"` or that does not follow JSON Schema
    /// (draft 2020-12): the tool's input is always a JSON object.
    ///
    /// ## Example
    /// ```json
    /// {"name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}
    /// ```
    ///
    /// ## Fix
    /// Renames `parameters` / `inputSchema` to `input_schema`, and adds `"type": "object"` to a
    /// schema without a `type` (safe: same meaning).
    INVALID_INPUT_SCHEMA { code: "102", name: "invalid-input-schema", severity: Error, fix: Safe }

    /// ## What it does
    /// Reports a tool whose `name` an earlier entry of `tools` already uses, server tools
    /// included (two `web_search` versions clash too).
    ///
    /// ## Why
    /// Tool names must be unique across `tools`: the model calls a tool by its name. The API
    /// rejects the request with a 400.
    ///
    /// ## Example
    /// ```json
    /// "tools": [{"name": "search", "input_schema": {"type": "object"}}, {"name": "search", "input_schema": {"type": "object"}}]
    /// ```
    DUPLICATE_TOOL_NAME { code: "103", name: "duplicate-tool-name", severity: Error, fix: None }

    /// ## What it does
    /// Reports a tool `type` the API does not know: OpenAI's `{"type": "function", "function":
    /// {...}}` (Chat Completions) and `{"type": "function", "name", "parameters"}` (Responses
    /// API) forms, and misspelt Anthropic tool types, with the closest known one.
    ///
    /// ## Why
    /// `tools` is a tagged union: the API answers 400 `tools.N: Input tag 'function' found using
    /// 'type' does not match any of the expected tags: ...`. A Claude custom tool has no `type`
    /// (or `"custom"`) and writes its schema in `input_schema`.
    ///
    /// ## Example
    /// ```json
    /// {"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}
    /// ```
    ///
    /// ## Fix
    /// Rewrites an OpenAI function tool as `{"name", "description", "input_schema"}`, keeping
    /// `strict` and `cache_control` (unsafe: OpenAI's strict mode and Claude's accept different
    /// schemas); its title names any other field the rewrite drops.
    UNKNOWN_TOOL_TYPE { code: "104", name: "unknown-tool-type", severity: Error, fix: Unsafe }

    /// ## What it does
    /// Reports an Anthropic-defined tool written wrongly: a `name` other than the fixed one its
    /// type requires (`web_search`, `bash`, `str_replace_based_edit_tool`...), a missing
    /// required field (`display_width_px` and `display_height_px` on computer tools, `model` on
    /// the advisor tool, `mcp_server_name` on an MCP toolset), a display size below 1 pixel,
    /// and both `allowed_domains` and `blocked_domains` on web search or web fetch.
    ///
    /// ## Why
    /// The API answers 400, e.g. `tools.N.web_search_20250305.name: Input should be
    /// 'web_search'` or `tools.N.computer_20251124.display_width_px: Field required`.
    ///
    /// ## Example
    /// ```json
    /// {"type": "web_search_20250305", "name": "search", "allowed_domains": ["a.com"], "blocked_domains": ["b.com"]}
    /// ```
    ///
    /// ## Fix
    /// Writes the fixed `name` (safe: the API accepts no other).
    INVALID_SERVER_TOOL { code: "105", name: "invalid-server-tool", severity: Error, fix: Safe }

    /// ## What it does
    /// Reports a tool type the request's model does not support, where the reference is sure
    /// of it (e.g. `computer_20251124` on Claude Opus 5.5).
    ///
    /// ## Why
    /// Tool versions are tied to models; the API answers 400 (reported as `'claude-opus-5-5'
    /// does not support tool types: computer_20251124.`).
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-opus-5-5", "tools": [{"type": "computer_20251124", "name": "computer", "display_width_px": 1280, "display_height_px": 800}]}
    /// ```
    TOOL_TYPE_UNSUPPORTED { code: "106", name: "tool-type-unsupported", severity: Error, fix: None }

    /// ## What it does
    /// Reports a beta-only tool type (`computer_20251124`, `bash_20241022`, `advisor_20260301`,
    /// `mcp_toolset`...) and names the beta it needs, unless the body lists that beta in
    /// `anthropic_beta` (Bedrock) or `betas` (SDK keyword arguments).
    ///
    /// ## Why
    /// These types are not in the GA `tools` union: without the `anthropic-beta` header
    /// (`client.beta.messages.create(betas=[...])` in the SDKs) the API answers 400 `tools.N:
    /// Input tag '<type>' found using 'type' does not match any of the expected tags`. The
    /// header is not part of the body, so this is a warning.
    ///
    /// Betas declared in the configuration (`betas = [...]`) or in the file (an
    /// `# anthropic-beta: ...` or `// anthropic-beta: ...` comment) count as sent.
    ///
    /// ## Example
    /// ```json
    /// {"type": "computer_20251124", "name": "computer", "display_width_px": 1280, "display_height_px": 800}
    /// ```
    BETA_TOOL_TYPE { code: "107", name: "beta-tool-type", severity: Warning, fix: None }

    /// ## What it does
    /// Reports requests over the structured-output limits for `strict: true` tools: more than
    /// 20 strict tools, more than 24 optional parameters across all strict schemas and
    /// `output_config.format`, more than 16 parameters with union types (`anyOf` or a `type`
    /// array).
    ///
    /// ## Why
    /// Strict schemas are compiled into a grammar, and the API refuses requests over these
    /// limits with a 400. The limits count parameters; whether nested properties count is not
    /// documented, so a count that passes the limit only with nested properties is a warning.
    ///
    /// ## Example
    /// Twenty-one tools with `"strict": true`.
    STRICT_TOOL_LIMITS { code: "108", name: "strict-tool-limits", severity: Error, fix: None }

    /// ## What it does
    /// Reports JSON Schema features a `strict: true` tool's `input_schema`, or the
    /// structured-output schema in `output_config.format.schema`, may not use (the same subset,
    /// reference §3.3): `additionalProperties` other than `false` (a missing one too), numeric bounds
    /// (`minimum`, `maximum`, `multipleOf`...), string lengths, array constraints other than
    /// `minItems` 0 or 1, string `format`s outside the supported list, external `$ref`s,
    /// `allOf` with `$ref`, `enum` values that are not primitives, recursive schemas, and
    /// `pattern`s with lookaround, backreferences or word boundaries.
    ///
    /// ## Why
    /// Structured outputs support a subset of JSON Schema; the API answers 400 for anything
    /// outside it.
    ///
    /// ## Example
    /// ```json
    /// {"name": "f", "strict": true, "input_schema": {"type": "object", "properties": {"n": {"type": "integer", "minimum": 1}}, "additionalProperties": false}}
    /// ```
    ///
    /// ## Fix
    /// Adds a missing `"additionalProperties": false` (safe: a strict tool's input has no other
    /// properties); sets another value to `false` or removes an unsupported keyword (unsafe: the
    /// schema then says less).
    STRICT_SCHEMA_UNSUPPORTED { code: "109", name: "strict-schema-unsupported", severity: Error, fix: Mixed }

    /// ## What it does
    /// Reports a `tool_choice` the API cannot parse: a bare string (`"auto"`, OpenAI's
    /// `"required"`), OpenAI's `{"type": "function", "function": {"name"}}`, an unknown
    /// `type`, `{"type": "tool"}` without `name`, and `disable_parallel_tool_use` on
    /// `{"type": "none"}`.
    ///
    /// ## Why
    /// `tool_choice` is an object tagged by `type` (`auto`, `any`, `tool`, `none`): the API
    /// answers 400, e.g. `tool_choice: Input tag 'function' found using 'type' does not match
    /// any of the expected tags`.
    ///
    /// ## Example
    /// ```json
    /// {"tool_choice": "required"}
    /// ```
    ///
    /// ## Fix
    /// Rewrites `"auto"`, `"none"`, `"any"` and `"required"` into `{"type": "auto"}`,
    /// `{"type": "none"}` and `{"type": "any"}`, OpenAI's function form into `{"type": "tool",
    /// "name": ...}`, and removes `disable_parallel_tool_use` from `none` (safe: same meaning).
    INVALID_TOOL_CHOICE { code: "110", name: "invalid-tool-choice", severity: Error, fix: Safe }

    /// ## What it does
    /// Reports `{"type": "tool", "name": ...}` naming a tool that `tools` does not define, with
    /// the closest defined name.
    ///
    /// ## Why
    /// The model cannot be forced to call a tool it was not given: the API answers 400.
    ///
    /// ## Example
    /// ```json
    /// {"tools": [{"name": "get_weather", "input_schema": {"type": "object"}}], "tool_choice": {"type": "tool", "name": "get_wether"}}
    /// ```
    ///
    /// ## Fix
    /// Uses the closest defined name (unsafe: check it is the tool you meant).
    UNDEFINED_TOOL_CHOICE { code: "111", name: "undefined-tool-choice", severity: Error, fix: Unsafe }

    /// ## What it does
    /// Reports forced tool use (`tool_choice` type `any` or `tool`) on models that refuse it:
    /// Claude Opus 5.5, Sonnet 5.5, Fable 5.1 and Mythos 5.1.
    ///
    /// ## Why
    /// The API answers 400 `tool_choice: type "tool" and "any" are not supported for this
    /// model.`, on count_tokens too.
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-sonnet-5-5", "tool_choice": {"type": "any"}}
    /// ```
    ///
    /// ## Fix
    /// Uses `{"type": "auto"}` (unsafe: the model may then answer without a tool).
    FORCED_TOOL_CHOICE_UNSUPPORTED { code: "112", name: "forced-tool-choice-unsupported", severity: Error, fix: Unsafe }

    /// ## What it does
    /// Reports a `tool_choice` that forces a tool call (`any` or `tool`) in a request that
    /// defines no tools (no `tools`, or an empty array), unless tools come from `mcp_servers`
    /// or mid-conversation tool changes. `auto` and `none` without tools ask for nothing and
    /// are left alone.
    ///
    /// ## Why
    /// A forced call cannot be satisfied without tools. The API's answer is not documented, so
    /// this is a warning; it usually means the tools were dropped by mistake.
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-opus-5", "max_tokens": 1024, "tool_choice": {"type": "any"}, "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    TOOL_CHOICE_WITHOUT_TOOLS { code: "113", name: "tool-choice-without-tools", severity: Warning, fix: None }
}

/// What one entry of `tools` is, from its `type`.
#[derive(Clone, Copy)]
enum Kind {
    /// A custom tool: no `type`, `null` or `"custom"`.
    Custom,
    /// An Anthropic-defined tool type.
    Anthropic(&'static ToolType),
    /// A `type` the API does not know (reported).
    Unknown,
    /// A `type` computed at run time or not a string: nothing to say.
    Unreadable,
}

/// What `tool` is, from its `type`.
fn kind_of(tool: &Node) -> Kind {
    match tool.get("type").map(|t| &t.value) {
        None | Some(Value::Null) => Kind::Custom,
        Some(Value::String(t)) if t == "custom" => Kind::Custom,
        Some(Value::String(t)) => tools::tool_type(t).map_or(Kind::Unknown, Kind::Anthropic),
        Some(_) => Kind::Unreadable,
    }
}

/// Checks one payload.
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    if !ctx.payload.kind.is_request() {
        return;
    }
    strict::check_output_format(ctx, sink);
    let root = ctx.payload.root;
    let list = root.get("tools").and_then(Node::as_array).unwrap_or(&[]);
    for (i, tool) in list.iter().enumerate() {
        if tool.as_object().is_none() {
            continue;
        }
        match kind_of(tool) {
            Kind::Custom => {
                check_custom_name(ctx, i, tool, sink);
                check_input_schema(ctx, i, tool, sink);
            }
            Kind::Anthropic(t) => check_anthropic_tool(ctx, i, tool, t, sink),
            Kind::Unknown => report_unknown_type(ctx, i, tool, sink),
            Kind::Unreadable => {}
        }
    }
    check_duplicate_names(ctx, list, sink);
    strict::check(ctx, list, sink);
    if let Some(member) = root.member("tool_choice") {
        check_tool_choice(ctx, member, sink);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{apply_rule_fixes, check_with_unknowns, diagnostics};

    fn request(fields: &str) -> String {
        format!(
            "{{\n  \"model\": \"claude-opus-5\",\n  \"max_tokens\": 1024,\n{fields},\n  \"messages\": [{{\"role\": \"user\", \"content\": \"Weather in Paris?\"}}]\n}}\n"
        )
    }

    fn codes(text: &str) -> Vec<&'static str> {
        check_with_unknowns(text, check)
            .into_iter()
            .map(|(code, _)| code)
            .collect()
    }

    #[test]
    fn openai_tools_are_rewritten_and_recheck_clean() {
        let text = request(
            r#"  "tools": [
    {"type": "function", "function": {"name": "get_weather", "description": "Weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}, "strict": false}},
    {"type": "function", "name": "ping", "parameters": null, "cache_control": {"type": "ephemeral"}}
  ]"#,
        );
        let fixed = apply_rule_fixes(&text, &UNKNOWN_TOOL_TYPE);
        assert_eq!(
            fixed,
            request(
                r#"  "tools": [
    {"name": "get_weather", "description": "Weather", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}, "strict": false},
    {"name": "ping", "input_schema": {"type": "object", "properties": {}}, "cache_control": {"type": "ephemeral"}}
  ]"#
            )
        );
        assert_eq!(diagnostics(&fixed), []);
    }

    #[test]
    fn openai_tool_choice_is_rewritten_and_rechecks_clean() {
        let tools = r#"  "tools": [{"name": "get_weather", "input_schema": {"type": "object"}}],"#;
        for (choice, claude) in [
            (r#""required""#, r#"{"type": "any"}"#),
            (r#""auto""#, r#"{"type": "auto"}"#),
            (
                r#"{"type": "function", "function": {"name": "get_weather"}}"#,
                r#"{"type": "tool", "name": "get_weather"}"#,
            ),
        ] {
            let text = request(&format!("{tools}\n  \"tool_choice\": {choice}"));
            let fixed = apply_rule_fixes(&text, &INVALID_TOOL_CHOICE);
            assert_eq!(
                fixed,
                request(&format!("{tools}\n  \"tool_choice\": {claude}"))
            );
            assert_eq!(diagnostics(&fixed), []);
        }
    }

    #[test]
    fn missing_additional_properties_is_added_and_rechecks_clean() {
        let text = request(
            r#"  "tools": [{"name": "f", "strict": true, "input_schema": {"type": "object", "properties": {"a": {"type": "string"}}}}]"#,
        );
        let fixed = apply_rule_fixes(&text, &STRICT_SCHEMA_UNSUPPORTED);
        assert!(fixed.contains(r#"{"a": {"type": "string"}}, "additionalProperties": false}"#));
        assert_eq!(diagnostics(&fixed), []);
    }

    #[test]
    fn computed_values_give_no_findings() {
        // A computed tool may be the one `tool_choice` names.
        let tools = r#"  "tools": [{"name": "get_weather", "input_schema": {"type": "object"}}, "$unknown"],
  "tool_choice": {"type": "tool", "name": "lookup"}"#;
        assert_eq!(codes(&request(tools)), [""; 0]);
        // So may a tool whose name is computed.
        let tools = r#"  "tools": [{"name": "$unknown", "input_schema": {"type": "object"}}],
  "tool_choice": {"type": "tool", "name": "lookup"}"#;
        assert_eq!(codes(&request(tools)), [""; 0]);
        // Computed schemas, types, strictness and choices say nothing.
        let tools = r#"  "tools": [
    {"name": "a", "input_schema": "$unknown"},
    {"name": "b", "input_schema": {"type": "$unknown"}},
    {"name": "c", "input_schema": {"type": "object", "properties": {"x": {"type": "$unknown"}}}},
    {"name": "d", "strict": "$unknown", "input_schema": {"type": "object", "properties": {"n": {"minimum": 1}}}},
    {"type": "$unknown", "name": "e"}
  ],
  "tool_choice": "$unknown""#;
        assert_eq!(codes(&request(tools)), [""; 0]);
        // With every value known, the same undefined name is reported.
        let tools = r#"  "tools": [{"name": "get_weather", "input_schema": {"type": "object"}}],
  "tool_choice": {"type": "tool", "name": "lookup"}"#;
        assert_eq!(codes(&request(tools)), ["T111"]);
    }

    #[test]
    fn a_computed_required_list_counts_no_optional_parameter() {
        let properties: Vec<String> = (0..30)
            .map(|i| format!("\"p{i}\": {{\"type\": \"string\"}}"))
            .collect();
        let tool = |required: &str| {
            request(&format!(
                "  \"tools\": [{{\"name\": \"f\", \"strict\": true, \"input_schema\": {{\"type\": \"object\", \"properties\": {{{}}}, \"required\": {required}, \"additionalProperties\": false}}}}]",
                properties.join(", ")
            ))
        };
        assert_eq!(codes(&tool(r#""$unknown""#)), [""; 0]);
        assert_eq!(codes(&tool(r#"["p0", "$unknown"]"#)), [""; 0]);
        assert_eq!(codes(&tool("[]")), ["T108"]);
    }
}
