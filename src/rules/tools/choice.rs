//! `tool_choice`: its form (an object tagged by `type`, not OpenAI's strings), the tool it
//! forces, and whether the model allows forcing one.

use serde_json::json;

use super::names::tool_names;
use super::{
    FORCED_TOOL_CHOICE_UNSUPPORTED, INVALID_TOOL_CHOICE, Kind, TOOL_CHOICE_WITHOUT_TOOLS,
    UNDEFINED_TOOL_CHOICE, kind_of,
};
use crate::facts::tools::TOOL_CHOICE_TYPES;
use crate::fix::{Edit, Fix};
use crate::rules::conversation::messages;
use crate::rules::{Context, Sink};
use crate::syntax::{Member, Node, Value};
use crate::words::{describe, did_you_mean};

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

/// Checks `tool_choice`: its form and type, and what a forcing type needs.
pub(super) fn check_tool_choice(ctx: &Context<'_>, member: &Member, sink: &mut Sink<'_>) {
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

/// Reports a forcing `tool_choice` on a model that does not allow forcing.
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
