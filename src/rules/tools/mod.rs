//! Tool definitions and `tool_choice` (reference §3): names, `input_schema`, duplicate names,
//! tool types and their versions, strict-tool limits, and the `tool_choice` forms the API
//! accepts.

mod strict;

use serde_json::{Map, Value as Json, json};

use super::conversation::messages;
use super::registry::declare_rules;
use super::{Context, Severity, Sink};
use crate::facts::tools::{self, TOOL_CHOICE_TYPES, TOOL_TYPES, ToolType};
use crate::fix::{Edit, Fix};
use crate::syntax::{Member, Node, Value};
use crate::words::did_you_mean;
use crate::words::{and_list, article, capitalized, describe};

declare_rules! {
    family: "tools";
    prefix: "T";
    /// ## What it does
    /// Reports a custom tool whose `name` is missing, does not match `^[a-zA-Z0-9_-]+$`
    /// (spaces, dots, non-ASCII letters), or is longer than 128 characters; a name longer than
    /// 64 characters is a warning.
    ///
    /// ## Why
    /// The API answers 400 `tools.N.custom.name: String should match pattern
    /// '^[a-zA-Z0-9_-]{1,128}$'`. The documentation gives 64 as the limit and older API
    /// deployments quoted `{1,64}`, so a name between 65 and 128 characters may still be
    /// refused.
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

fn kind_of(tool: &Node) -> Kind {
    match tool.get("type").map(|t| &t.value) {
        None | Some(Value::Null) => Kind::Custom,
        Some(Value::String(t)) if t == "custom" => Kind::Custom,
        Some(Value::String(t)) => tools::tool_type(t).map_or(Kind::Unknown, Kind::Anthropic),
        Some(_) => Kind::Unreadable,
    }
}

/// Checks one payload.
pub fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
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

fn check_custom_name(ctx: &Context<'_>, i: usize, tool: &Node, sink: &mut Sink<'_>) {
    let path = ctx.payload.api_path(&format!("tools.{i}.custom.name"));
    let Some(node) = tool.get("name") else {
        sink.report(
            &INVALID_TOOL_NAME,
            tool.range.head(1),
            format!("this tool has no `name`: the API answers 400 `{path}: Field required`"),
        );
        return;
    };
    let Some(name) = node.as_str() else {
        return;
    };
    let limits = &crate::facts::api::limits().tools;
    let (sure, max) = (limits.sure_name_chars, limits.max_name_chars);
    let pattern = format!(
        "the API answers 400 `{path}: String should match pattern '^[a-zA-Z0-9_-]{{1,{max}}}$'`"
    );
    if !tools::is_identifier(name) {
        let what = if name.is_empty() {
            "a tool name cannot be empty".to_owned()
        } else {
            format!("tool name `{name}` may hold only ASCII letters, digits, `_` and `-`")
        };
        sink.report(&INVALID_TOOL_NAME, node.range, format!("{what}: {pattern}"));
    } else if name.len() > max {
        sink.report(
            &INVALID_TOOL_NAME,
            node.range,
            format!(
                "this tool name is {} characters long, over the limit of {max}: {pattern}",
                name.len()
            ),
        );
    } else if name.len() > sure {
        sink.report_at(
            Severity::Warning,
            &INVALID_TOOL_NAME,
            node.range,
            format!(
                "this tool name is {} characters long: the documented limit is {sure} and API deployments that enforce it answer 400 `{path}: String should match pattern '^[a-zA-Z0-9_-]{{1,{sure}}}$'` (newer ones accept up to {max})",
                name.len()
            ),
            None,
        );
    }
}

/// Schema members written under another API's name: OpenAI's `parameters`, MCP's `inputSchema`.
const SCHEMA_ALIASES: &[(&str, &str)] = &[("parameters", "OpenAI"), ("inputSchema", "MCP")];

fn check_input_schema(ctx: &Context<'_>, i: usize, tool: &Node, sink: &mut Sink<'_>) {
    let path = ctx
        .payload
        .api_path(&format!("tools.{i}.custom.input_schema"));
    let Some(schema) = tool.get("input_schema") else {
        let alias = SCHEMA_ALIASES
            .iter()
            .find_map(|&(key, who)| Some((tool.member(key)?, who)));
        let mut message = format!(
            "this tool has no `input_schema`: the API answers 400 `{path}: Field required`"
        );
        let (range, fix) = match alias {
            Some((member, who)) => {
                message.push_str(&format!(
                    "; {who}'s `{}` is Claude's `input_schema`",
                    member.key
                ));
                let fix = Fix::safe(
                    format!("Rename `{}` to `input_schema`", member.key),
                    vec![Edit::rename_key(member, "input_schema")],
                );
                (member.key_range, Some(fix))
            }
            None => (tool.range.head(1), None),
        };
        sink.report_fix(&INVALID_INPUT_SCHEMA, range, message, fix);
        return;
    };
    match &schema.value {
        Value::Unknown => {}
        Value::Object(_) => check_schema_object(&path, schema, sink),
        _ => sink.report(
            &INVALID_INPUT_SCHEMA,
            schema.range,
            format!(
                "`input_schema` must be a JSON Schema object, found {}: the API answers 400 `{path}: Input should be a valid dictionary`",
                describe(schema)
            ),
        ),
    }
}

fn check_schema_object(path: &str, schema: &Node, sink: &mut Sink<'_>) {
    match schema.get("type") {
        None => {
            let fix = Fix::safe(
                "Add `\"type\": \"object\"`",
                vec![Edit::insert_member(schema, "type", json!("object"))],
            );
            sink.report_fix(
                &INVALID_INPUT_SCHEMA,
                schema.range.head(1),
                format!("`input_schema` has no `type`: the API requires `\"type\": \"object\"` (400 `{path}.type: Field required`)"),
                Some(fix),
            );
        }
        Some(t) if t.is_unknown() || t.as_str() == Some("object") => {}
        Some(t) => {
            let found = match t.as_str() {
                Some(s) => format!("`\"{s}\"`"),
                None => describe(t),
            };
            sink.report(
                &INVALID_INPUT_SCHEMA,
                t.range,
                format!("`input_schema.type` must be `\"object\"`, found {found}: the API answers 400 `{path}.type: Input should be 'object'` (a tool's input is always a JSON object)"),
            );
            return;
        }
    }
    check_meta_schema(path, schema, sink);
}

/// Validates a schema against its JSON Schema meta-schema (2020-12 unless its `$schema` names
/// another draft) and reports the first violation at the value it concerns.
fn check_meta_schema(path: &str, schema: &Node, sink: &mut Sink<'_>) {
    let Some(json) = schema.to_json() else {
        return;
    };
    if jsonschema::Draft::default().detect(&json) == jsonschema::Draft::Unknown {
        return;
    }
    let Err(error) = jsonschema::meta::validate(&json) else {
        return;
    };
    let pointer = error.instance_path();
    let at = node_at(schema, pointer.segments());
    let place = if pointer.is_empty() {
        String::new()
    } else {
        format!(" at `{}`", pointer.as_str())
    };
    sink.report(
        &INVALID_INPUT_SCHEMA,
        at.range,
        format!("`input_schema` is not a valid JSON Schema{place} ({error}): the API rejects the tool with a 400 (`{path}` must follow JSON Schema draft 2020-12)"),
    );
}

/// The node a JSON pointer names under `root`, or the deepest one it reaches.
fn node_at<'a, 's>(
    root: &'a Node,
    segments: impl Iterator<Item = jsonschema::paths::LocationSegment<'s>>,
) -> &'a Node {
    use jsonschema::paths::LocationSegment;
    let mut node = root;
    for segment in segments {
        let next = match segment {
            LocationSegment::Property(key) => node.get(&key),
            LocationSegment::Index(i) => match &node.value {
                Value::Array(items) => items.get(i),
                _ => node.get(&i.to_string()),
            },
        };
        match next {
            Some(n) => node = n,
            None => break,
        }
    }
    node
}

fn check_anthropic_tool(
    ctx: &Context<'_>,
    i: usize,
    tool: &Node,
    t: &'static ToolType,
    sink: &mut Sink<'_>,
) {
    let path = |field: &str| {
        ctx.payload
            .api_path(&format!("tools.{i}.{}.{field}", t.name))
    };
    let brace = tool.range.head(1);
    if let Some(fixed) = t.fixed_name {
        match tool.get("name") {
            None => sink.report_fix(
                &INVALID_SERVER_TOOL,
                brace,
                format!(
                    "{} `{}` tool needs `\"name\": \"{fixed}\"`: the API answers 400 `{}: Field required`",
                    capitalized(article(t.name)),
                    t.name,
                    path("name")
                ),
                Some(Fix::safe(
                    format!("Add `\"name\": \"{fixed}\"`"),
                    vec![Edit::insert_member(tool, "name", json!(fixed))],
                )),
            ),
            Some(name) => match name.as_str() {
                Some(written) if written != fixed => sink.report_fix(
                    &INVALID_SERVER_TOOL,
                    name.range,
                    format!(
                        "{} `{}` tool must be named `{fixed}`: the API answers 400 `{}: Input should be '{fixed}'`",
                        capitalized(article(t.name)),
                        t.name,
                        path("name")
                    ),
                    Some(Fix::safe(
                        format!("Name it `{fixed}`"),
                        vec![Edit::replace_value(name, json!(fixed))],
                    )),
                ),
                _ => {}
            },
        }
    }
    for &field in t.required {
        match tool.get(field) {
            None => sink.report(
                &INVALID_SERVER_TOOL,
                brace,
                format!(
                    "{} `{}` tool needs `{field}`: the API answers 400 `{}: Field required`",
                    capitalized(article(t.name)),
                    t.name,
                    path(field)
                ),
            ),
            Some(value) if field.starts_with("display_") => {
                // The API's integer fields take `1280.0` too; strings are left to the schema.
                let problem = match value.as_f64() {
                    Some(n) if n.fract() != 0.0 => {
                        "Input should be a valid integer, got a number with a fractional part"
                    }
                    Some(n) if n < 1.0 => "Input should be greater than or equal to 1",
                    _ => continue,
                };
                sink.report(
                    &INVALID_SERVER_TOOL,
                    value.range,
                    format!(
                        "`{field}` must be a whole number of pixels, at least 1: the API answers 400 `{}: {problem}`",
                        path(field)
                    ),
                );
            }
            Some(_) => {}
        }
    }
    let is_web = t.name.starts_with("web_search_") || t.name.starts_with("web_fetch_");
    let set = |key| {
        tool.member(key)
            .filter(|m| !matches!(m.value.value, Value::Null))
    };
    if is_web && let (Some(_), Some(blocked)) = (set("allowed_domains"), set("blocked_domains")) {
        sink.report(
            &INVALID_SERVER_TOOL,
            blocked.key_range,
            format!(
                "`allowed_domains` and `blocked_domains` cannot both be set on a `{}` tool: the API answers 400; keep one of them",
                t.name
            ),
        );
    }
    let type_range = tool.get("type").map_or(brace, |n| n.range);
    if let Some(model) = ctx.model
        && model.unsupported_tools.iter().any(|u| u == t.name)
    {
        sink.report(
            &TOOL_TYPE_UNSUPPORTED,
            type_range,
            format!(
                "{} does not support the `{}` tool type: the API answers 400 (reported as `'{}' does not support tool types: {}.`)",
                model.id, t.name, model.id, t.name
            ),
        );
    }
    if let Some(beta) = t.beta
        && !beta_sent(ctx, beta)
    {
        sink.report(
            &BETA_TOOL_TYPE,
            type_range,
            format!(
                "`{}` is a beta tool type: send the request with the `{beta}` beta (the `anthropic-beta` header, or `client.beta.messages.create(betas=[\"{beta}\"])`); without it the API answers 400 `{}: Input tag '{}' found using 'type' does not match any of the expected tags`",
                t.name,
                ctx.payload.api_path(&format!("tools.{i}")),
                t.name
            ),
        );
    }
}

/// True when `beta` is sent, as for beta fields (`missing-beta`): the betas the code sends (an
/// SDK `betas` list, a curl `anthropic-beta` header), the declared betas, or the body's list.
fn beta_sent(ctx: &Context<'_>, beta: &str) -> bool {
    let sent = ctx.payload.call.and_then(|c| c.betas.as_deref());
    sent.into_iter()
        .flatten()
        .chain(&ctx.options.betas)
        .any(|b| b == beta)
        || beta_in_body(ctx.payload.root, beta)
}

/// True when the body itself lists `beta`: Bedrock's `anthropic_beta`, or the SDKs' `betas`
/// keyword argument.
fn beta_in_body(root: &Node, beta: &str) -> bool {
    ["anthropic_beta", "betas"].iter().any(|key| {
        root.get(key)
            .and_then(Node::as_array)
            .is_some_and(|list| list.iter().any(|b| b.as_str() == Some(beta)))
    })
}

fn report_unknown_type(ctx: &Context<'_>, i: usize, tool: &Node, sink: &mut Sink<'_>) {
    let Some(type_node) = tool.get("type") else {
        return;
    };
    let Some(kind) = type_node.as_str() else {
        return;
    };
    let answer = format!(
        "the API answers 400 `{}: Input tag '{kind}' found using 'type' does not match any of the expected tags`",
        ctx.payload.api_path(&format!("tools.{i}"))
    );
    let (message, fix) = if kind == "function" {
        (
            format!(
                "this is OpenAI's function-tool format: {answer}; a Claude tool is `{{\"name\", \"description\", \"input_schema\"}}`"
            ),
            openai_function_fix(tool),
        )
    } else {
        let known = TOOL_TYPES
            .iter()
            .map(|t| t.name)
            .chain(std::iter::once("custom"));
        let hint = did_you_mean(kind, known)
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        (format!("`{kind}` is not a tool type: {answer}{hint}"), None)
    };
    sink.report_fix(&UNKNOWN_TOOL_TYPE, type_node.range, message, fix);
}

/// Rewrites an OpenAI function tool (Chat Completions' nested `function` or the Responses
/// API's flat form) as a Claude custom tool. The title names every field the rewrite leaves
/// behind besides `type`, so an unsafe fix never drops a field it does not mention.
fn openai_function_fix(tool: &Node) -> Option<Fix> {
    /// The function's fields the rewrite carries over (`parameters` as `input_schema`).
    const CARRIED: [&str; 4] = ["name", "description", "parameters", "strict"];
    let nested = tool.get("function");
    let function = nested.unwrap_or(tool);
    let name = function.get("name")?.as_str()?;
    let mut out = Map::new();
    out.insert("name".into(), Json::from(name));
    if let Some(description) = function.get("description") {
        out.insert("description".into(), description.to_json()?);
    }
    let schema = match function.get("parameters") {
        Some(p) if !matches!(p.value, Value::Null) => p.to_json()?,
        _ => json!({"type": "object", "properties": {}}),
    };
    out.insert("input_schema".into(), schema);
    for (holder, key) in [(function, "strict"), (tool, "cache_control")] {
        if let Some(value) = holder.get(key) {
            out.insert(key.into(), value.to_json()?);
        }
    }
    let mut dropped = Vec::new();
    for member in tool.as_object()? {
        let key = member.key.as_str();
        let kept = match nested {
            Some(_) => matches!(key, "type" | "function" | "cache_control"),
            None => matches!(key, "type" | "cache_control") || CARRIED.contains(&key),
        };
        if !kept {
            dropped.push(key.to_owned());
        }
    }
    if nested.is_some() {
        for member in function.as_object()? {
            if !CARRIED.contains(&member.key.as_str()) {
                dropped.push(format!("function.{}", member.key));
            }
        }
    }
    // A spread may hold any field: the rewrite could not say what it drops.
    if dropped
        .iter()
        .any(|key| key.is_empty() || key.ends_with('.'))
    {
        return None;
    }
    let mut title = "Rewrite as a Claude tool (`name`, `description`, `input_schema`)".to_owned();
    if !dropped.is_empty() {
        let dropped: Vec<&str> = dropped.iter().map(String::as_str).collect();
        title = format!("{title}, dropping {}", and_list(&dropped));
    }
    Some(Fix::unsafe_(
        title,
        vec![Edit::replace_value(tool, Json::Object(out))],
    ))
}

/// The `name` each tool is called by, when written as a literal: custom tools and
/// Anthropic-defined tools with a fixed name (toolsets have none).
fn tool_names(list: &[Node]) -> impl Iterator<Item = (usize, &Node, &str)> {
    list.iter().enumerate().filter_map(|(i, tool)| {
        let named = match kind_of(tool) {
            Kind::Custom => true,
            Kind::Anthropic(t) => t.fixed_name.is_some(),
            Kind::Unknown | Kind::Unreadable => false,
        };
        let node = tool.get("name").filter(|_| named)?;
        Some((i, node, node.as_str()?))
    })
}

fn check_duplicate_names(ctx: &Context<'_>, list: &[Node], sink: &mut Sink<'_>) {
    let named: Vec<(usize, &Node, &str)> = tool_names(list).collect();
    for (k, &(i, node, name)) in named.iter().enumerate() {
        if let Some(&(first, _, _)) = named[..k].iter().find(|(_, _, n)| *n == name) {
            sink.report(
                &DUPLICATE_TOOL_NAME,
                node.range,
                format!(
                    "`{name}` is already the name of `{}`: tool names must be unique, and the API rejects `{}` with a 400",
                    ctx.payload.api_path(&format!("tools.{first}")),
                    ctx.payload.api_path(&format!("tools.{i}"))
                ),
            );
        }
    }
}

/// The names `tools` defines, when every one of them is known here: `None` when a tool is
/// computed at run time, unreadable, a toolset (its members are named by the server), or when
/// tools are added mid-conversation.
fn defined_names<'a>(root: &'a Node, list: &'a [Node]) -> Option<Vec<&'a str>> {
    let all_known = list.iter().all(|tool| match kind_of(tool) {
        Kind::Custom => tool.get("name").and_then(Node::as_str).is_some(),
        Kind::Anthropic(t) => {
            t.fixed_name.is_some() && tool.get("name").is_some_and(|n| n.as_str().is_some())
        }
        Kind::Unknown | Kind::Unreadable => false,
    });
    (all_known && !has_tool_changes(root)).then(|| tool_names(list).map(|(_, _, n)| n).collect())
}

/// True when tools may come from somewhere other than `tools`: the MCP connector's
/// `mcp_servers`, or `tool_addition` blocks (mid-conversation tool changes, beta).
fn has_tool_changes(root: &Node) -> bool {
    root.get("mcp_servers").is_some() || messages(root).any(|m| m.has_block("tool_addition"))
}

fn check_tool_choice(ctx: &Context<'_>, member: &Member, sink: &mut Sink<'_>) {
    let root = ctx.payload.root;
    let choice = &member.value;
    let path = ctx.payload.api_path("tool_choice");
    match &choice.value {
        Value::Unknown | Value::Null => return,
        Value::String(s) => {
            bare_string_choice(&path, choice, s, sink);
            return;
        }
        Value::Object(_) => {}
        _ => {
            sink.report(
                &INVALID_TOOL_CHOICE,
                choice.range,
                format!("`tool_choice` must be an object such as `{{\"type\": \"auto\"}}`, found {}: the API answers 400", describe(choice)),
            );
            return;
        }
    }
    let tools = root.get("tools");
    let Some(type_node) = choice.get("type") else {
        sink.report(
            &INVALID_TOOL_CHOICE,
            choice.range.head(1),
            format!("`tool_choice` has no `type`: the API answers 400 (`{path}` is tagged by `type`: `auto`, `any`, `tool` or `none`)"),
        );
        return;
    };
    let Some(kind) = type_node.as_str() else {
        return;
    };
    match kind {
        "function" => openai_choice(&path, choice, type_node, sink),
        "none" => {
            if let Some(m) = choice.member("disable_parallel_tool_use") {
                sink.report_fix(
                    &INVALID_TOOL_CHOICE,
                    m.key_range,
                    format!("`disable_parallel_tool_use` does not apply to `{{\"type\": \"none\"}}`: the API answers 400 `{path}.none.disable_parallel_tool_use: Extra inputs are not permitted`"),
                    Some(Fix::safe(
                        "Remove `disable_parallel_tool_use`",
                        vec![Edit::remove_member(choice, m)],
                    )),
                );
            }
        }
        "auto" => {}
        "any" | "tool" => {
            let no_tools = tools.is_none_or(|t| t.as_array().is_some_and(<[Node]>::is_empty));
            if no_tools && !has_tool_changes(root) {
                sink.report(
                    &TOOL_CHOICE_WITHOUT_TOOLS,
                    member.key_range,
                    format!("`tool_choice` type `{kind}` forces a tool call, but the request defines no `tools`: there is nothing to call; add the tools or remove `tool_choice`"),
                );
            } else if kind == "tool" {
                forced_tool_name(ctx, &path, choice, tools, sink);
            }
            check_forced_supported(ctx, choice, type_node, kind, sink);
        }
        other => {
            let suggestion = if other == "required" {
                Some("any")
            } else {
                did_you_mean(other, TOOL_CHOICE_TYPES.iter().copied())
            };
            let hint = match suggestion {
                Some("any") if other == "required" => {
                    "; OpenAI's `required` is Claude's `any`".to_owned()
                }
                Some(s) => format!("; did you mean `{s}`?"),
                None => String::new(),
            };
            let fix = (other == "required").then(|| {
                Fix::safe(
                    "Use `\"any\"`",
                    vec![Edit::replace_value(type_node, json!("any"))],
                )
            });
            sink.report_fix(
                &INVALID_TOOL_CHOICE,
                type_node.range,
                format!("`{other}` is not a `tool_choice` type: the API answers 400 `{path}: Input tag '{other}' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'`{hint}"),
                fix,
            );
        }
    }
}

/// `tool_choice: "auto"` and friends: OpenAI's string form.
fn bare_string_choice(path: &str, choice: &Node, s: &str, sink: &mut Sink<'_>) {
    let claude = match s {
        "auto" | "none" | "any" => Some(s),
        "required" => Some("any"),
        _ => None,
    };
    let (hint, fix) = match claude {
        Some(t) => {
            let written = format!("{{\"type\": \"{t}\"}}");
            (
                format!("; write `{written}`"),
                Some(Fix::safe(
                    format!("Use `{written}`"),
                    vec![Edit::replace_value(choice, json!({ "type": t }))],
                )),
            )
        }
        None => (
            format!("; to force a tool write `{{\"type\": \"tool\", \"name\": \"{s}\"}}`"),
            None,
        ),
    };
    sink.report_fix(
        &INVALID_TOOL_CHOICE,
        choice.range,
        format!("`tool_choice` must be an object, not a string (OpenAI's form): the API answers 400 (`{path}` is tagged by `type`){hint}"),
        fix,
    );
}

/// `{"type": "function", "function": {"name": ...}}`: OpenAI's forced-function form.
fn openai_choice(path: &str, choice: &Node, type_node: &Node, sink: &mut Sink<'_>) {
    let name = choice
        .get("function")
        .and_then(|f| f.get("name"))
        .or_else(|| choice.get("name"))
        .and_then(Node::as_str);
    let fix = name.map(|name| {
        Fix::safe(
            format!("Use `{{\"type\": \"tool\", \"name\": \"{name}\"}}`"),
            vec![Edit::replace_value(
                choice,
                json!({"type": "tool", "name": name}),
            )],
        )
    });
    sink.report_fix(
        &INVALID_TOOL_CHOICE,
        type_node.range,
        format!("this is OpenAI's forced-function form: the API answers 400 `{path}: Input tag 'function' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'`; Claude's is `{{\"type\": \"tool\", \"name\": ...}}`"),
        fix,
    );
}

/// `{"type": "tool"}`: it needs a `name`, and the name must be a defined tool.
fn forced_tool_name(
    ctx: &Context<'_>,
    path: &str,
    choice: &Node,
    tools: Option<&Node>,
    sink: &mut Sink<'_>,
) {
    let Some(name_node) = choice.get("name") else {
        sink.report(
            &INVALID_TOOL_CHOICE,
            choice.range.head(1),
            format!("`{{\"type\": \"tool\"}}` needs the `name` of the tool to force: the API answers 400 `{path}.tool.name: Field required`"),
        );
        return;
    };
    let (Some(name), Some(list)) = (name_node.as_str(), tools.and_then(Node::as_array)) else {
        return;
    };
    if list.is_empty() {
        return;
    }
    let Some(defined) = defined_names(ctx.payload.root, list) else {
        return;
    };
    if defined.contains(&name) {
        return;
    }
    let suggestion = did_you_mean(name, defined.iter().copied());
    let hint = suggestion
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default();
    let fix = suggestion.map(|s| {
        Fix::unsafe_(
            format!("Force `{s}` instead"),
            vec![Edit::replace_value(name_node, json!(s))],
        )
    });
    sink.report_fix(
        &UNDEFINED_TOOL_CHOICE,
        name_node.range,
        format!("`tool_choice` forces `{name}`, which `tools` does not define: the API answers 400{hint}"),
        fix,
    );
}

fn check_forced_supported(
    ctx: &Context<'_>,
    choice: &Node,
    type_node: &Node,
    kind: &str,
    sink: &mut Sink<'_>,
) {
    let Some(model) = ctx.model.filter(|m| !m.forced_tool_choice) else {
        return;
    };
    let fix = choice.to_json().map(|mut object| {
        // The title names the removal of `name` exactly when the fix makes it.
        let mut title = "Let the model choose (`\"type\": \"auto\"`)";
        if let Some(map) = object.as_object_mut() {
            map.insert("type".into(), json!("auto"));
            if map.remove("name").is_some() {
                title = "Let the model choose (`\"type\": \"auto\"`, drop `name`)";
            }
        }
        Fix::unsafe_(title, vec![Edit::replace_value(choice, object)])
    });
    sink.report_fix(
        &FORCED_TOOL_CHOICE_UNSUPPORTED,
        type_node.range,
        format!("`tool_choice` type `{kind}` forces tool use, which {} does not allow: the API answers 400 `{}: type \"tool\" and \"any\" are not supported for this model.`", model.id, ctx.payload.api_path("tool_choice")),
        fix,
    );
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
