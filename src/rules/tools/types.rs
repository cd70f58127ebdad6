//! Tool `type`s: the fields an Anthropic-defined tool needs, the models and betas its type
//! requires, and types the API does not know (OpenAI's `function` rewritten).

use serde_json::{Map, Value as Json, json};

use super::{BETA_TOOL_TYPE, INVALID_SERVER_TOOL, TOOL_TYPE_UNSUPPORTED, UNKNOWN_TOOL_TYPE};
use crate::facts::tools::{TOOL_TYPES, ToolType};
use crate::fix::{Edit, Fix};
use crate::rules::{Context, Sink};
use crate::syntax::{Node, Value};
use crate::words::{and_list, article, capitalized, did_you_mean};

/// Checks an Anthropic-defined tool: its fixed name, required fields, web tools' domain
/// lists, the model's support for its type and the beta the type needs.
pub(super) fn check_anthropic_tool(
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

/// Reports a `type` the API does not know, with OpenAI's function tool rewritten.
pub(super) fn report_unknown_type(ctx: &Context<'_>, i: usize, tool: &Node, sink: &mut Sink<'_>) {
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
