//! Message roles and message objects: valid roles, message keys, and `system` entries.

use serde_json::Value as Json;

use super::conversation::{Message, messages};
use super::registry::declare_rules;
use super::{Context, Sink};
use crate::fix::{Edit, Fix};
use crate::syntax::{Node, Value};

declare_rules! {
    family: "roles";
    prefix: "M";
    /// ## What it does
    /// Reports a message `role` other than `user`, `assistant` or `system`: OpenAI's `tool`,
    /// `developer` and `function`, and chat-log names such as `human`, `ai` or `model`.
    ///
    /// ## Why
    /// The API answers 400 `messages.N.role: Input should be 'user' or 'assistant'`. Tool
    /// output goes in a `tool_result` block of a `user` message; instructions go in the
    /// top-level `system` parameter.
    ///
    /// ## Example
    /// ```json
    /// {"role": "tool", "tool_call_id": "call_1", "content": "42"}
    /// ```
    ///
    /// ## Fix
    /// Renames `human` to `user` and `ai`, `bot`, `model` to `assistant` (safe).
    INVALID_ROLE { code: "101", name: "invalid-role", severity: Error, fix: Safe }

    /// ## What it does
    /// Reports keys other than `role` and `content` on a message: OpenAI's `name`,
    /// `tool_calls`, `tool_call_id`, `function_call`, or `cache_control` put on the message
    /// instead of a block.
    ///
    /// ## Why
    /// Messages are closed objects: the API answers 400 `messages.N.<key>: Extra inputs are
    /// not permitted`.
    ///
    /// ## Example
    /// ```json
    /// {"role": "user", "name": "alice", "content": "Hi"}
    /// ```
    ///
    /// ## Fix
    /// Removes `name` (unsafe: the name is lost; put it in the text if it matters).
    UNKNOWN_MESSAGE_KEY { code: "102", name: "unknown-message-key", severity: Error, fix: Unsafe }

    /// ## What it does
    /// Reports `role: "system"` entries in `messages` where the API refuses them: as the first
    /// entry (the OpenAI habit), on models without mid-conversation system messages, and in the
    /// wrong place (not after a user turn, before a user turn, or between a `tool_use` and its
    /// `tool_result`).
    ///
    /// ## Why
    /// The system prompt is the top-level `system` parameter. Only some models (Fable 5,
    /// Mythos 5, Opus 4.8, Opus 5 and later) accept extra `system` entries mid-conversation, and
    /// never as the first entry. Older models answer 400 ``messages: Unexpected role "system".
    /// The Messages API accepts a top-level `system` parameter, not "system" as an input message
    /// role.``
    ///
    /// ## Example
    /// ```json
    /// {"messages": [{"role": "system", "content": "Be terse."}, {"role": "user", "content": "Hi"}]}
    /// ```
    ///
    /// ## Fix
    /// Moves a leading system message into the top-level `system` parameter (safe: same
    /// meaning), appending to one that exists. On a model without mid-conversation system
    /// messages, moves the text there too (unsafe: the instruction then applies from the start).
    SYSTEM_MESSAGE { code: "103", name: "system-message", severity: Error, fix: Safe }
}

/// Role names from other chat formats that mean `user` or `assistant`.
const SYNONYMS: &[(&str, &str)] = &[
    ("human", "user"),
    ("Human", "user"),
    ("User", "user"),
    ("ai", "assistant"),
    ("AI", "assistant"),
    ("bot", "assistant"),
    ("model", "assistant"),
    ("Assistant", "assistant"),
];

/// Checks one payload.
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    if !ctx.payload.kind.is_request() {
        return;
    }
    let conversation: Vec<Message<'_>> = messages(ctx.payload.root).collect();
    for message in &conversation {
        check_role(ctx, message, sink);
        check_keys(ctx, message, sink);
    }
    check_system_entries(ctx, &conversation, sink);
}

fn check_role(ctx: &Context<'_>, message: &Message<'_>, sink: &mut Sink<'_>) {
    let Some(role_node) = message.node.get("role") else {
        return;
    };
    let Some(role) = message.role else {
        return;
    };
    if matches!(role, "user" | "assistant" | "system") {
        return;
    }
    let answer = format!(
        "the API answers 400 `{}: Input should be 'user' or 'assistant'`",
        ctx.payload
            .api_path(&format!("messages.{}.role", message.index))
    );
    let synonym = SYNONYMS
        .iter()
        .find(|(from, _)| *from == role)
        .map(|&(_, to)| to);
    let advice = match (role, synonym) {
        (_, Some(to)) => format!("; this role means `{to}`"),
        ("tool" | "function", _) => {
            "; send tool output as a `tool_result` block (with `tool_use_id`) in a `user` message"
                .into()
        }
        ("developer", _) => "; put instructions in the top-level `system` parameter".into(),
        _ => String::new(),
    };
    let fix = synonym.map(|to| {
        Fix::safe(
            format!("Change the role to `{to}`"),
            vec![Edit::replace_value(role_node, Json::from(to))],
        )
    });
    sink.report_fix(
        &INVALID_ROLE,
        role_node.range,
        format!("role `{role}` is not a Messages API role: {answer}{advice}"),
        fix,
    );
}

fn check_keys(ctx: &Context<'_>, message: &Message<'_>, sink: &mut Sink<'_>) {
    let Some(members) = message.node.as_object() else {
        return;
    };
    for member in members {
        let key = member.key.as_str();
        if key == "role" || key == "content" {
            continue;
        }
        // Beta fields of mid-conversation system messages (reference §1.4): the betas a raw
        // body is sent with are not known here, so they are not reported.
        if message.role == Some("system") && matches!(key, "clear_at" | "output_config") {
            continue;
        }
        let answer = format!(
            "the API answers 400 `{}: Extra inputs are not permitted`",
            ctx.payload
                .api_path(&format!("messages.{}.{key}", message.index))
        );
        let advice = match key {
            "name" => "; Claude messages carry no author name (put it in the text if it matters)",
            "tool_calls" | "function_call" => {
                "; tool calls are `tool_use` blocks in the assistant message's `content` (`{\"type\": \"tool_use\", \"id\", \"name\", \"input\": {...}}`)"
            }
            "tool_call_id" => {
                "; tool output is a `tool_result` block with `tool_use_id` in a `user` message"
            }
            "cache_control" => "; put `cache_control` on a content block instead",
            _ => "; a message has only `role` and `content`",
        };
        let fix = (key == "name").then(|| {
            Fix::unsafe_(
                "Remove `name`",
                vec![Edit::remove_member(message.node, member)],
            )
        });
        sink.report_fix(
            &UNKNOWN_MESSAGE_KEY,
            member.key_range,
            format!("`{key}` is not a message field: {answer}{advice}"),
            fix,
        );
    }
}

fn check_system_entries(ctx: &Context<'_>, conversation: &[Message<'_>], sink: &mut Sink<'_>) {
    for (i, message) in conversation.iter().enumerate() {
        if message.role != Some("system") {
            continue;
        }
        let Some(role_node) = message.node.get("role") else {
            continue;
        };
        if i == 0 {
            let fix = move_into_system(ctx.payload.root, message, true);
            sink.report_fix(
                &SYSTEM_MESSAGE,
                role_node.range,
                "a `system` message cannot be the first entry of `messages`: the API answers 400; the system prompt is the top-level `system` parameter".to_owned(),
                fix,
            );
            continue;
        }
        let Some(model) = ctx.model else {
            continue;
        };
        if !model.mid_conversation_system {
            sink.report_fix(
                &SYSTEM_MESSAGE,
                role_node.range,
                format!(
                    "{} does not accept `system` entries in `messages`: the API answers 400 ``messages: Unexpected role \"system\"``; put the text in the top-level `system` parameter",
                    model.id
                ),
                move_into_system(ctx.payload.root, message, false),
            );
            continue;
        }
        if let Some(problem) = placement_problem(conversation, i) {
            sink.report(
                &SYSTEM_MESSAGE,
                role_node.range,
                format!("a mid-conversation `system` message {problem}: the API answers 400"),
            );
        }
    }
}

/// Why a `system` entry at `i` (not the first) is misplaced, if it is.
fn placement_problem(conversation: &[Message<'_>], i: usize) -> Option<&'static str> {
    let previous = conversation[..i]
        .iter()
        .rev()
        .find(|m| m.role != Some("system"))?;
    let next = conversation[i + 1..]
        .iter()
        .find(|m| m.role != Some("system"));
    match previous.role {
        Some("assistant") if previous.has_block("tool_use") => {
            return Some("may not sit between a `tool_use` and its `tool_result`");
        }
        Some("assistant") if !ends_in_server_tool_result(previous) => {
            return Some(
                "must follow a user turn (or an assistant turn that ends in a server-tool result)",
            );
        }
        _ => {}
    }
    match next.and_then(|m| m.role) {
        Some("user") => Some("must come before an assistant turn or be the last entry"),
        _ => None,
    }
}

fn ends_in_server_tool_result(message: &Message<'_>) -> bool {
    message
        .blocks()
        .last()
        .and_then(|b| b.get("type"))
        .and_then(Node::as_str)
        .is_some_and(|t| t.ends_with("_tool_result"))
}

/// Moves a `system` message's text into the top-level `system` parameter: as the parameter
/// when there is none, appended to it when there is one (a string joined with a blank line, an
/// array extended with text blocks). `None` when either side is not a literal of those shapes.
fn move_into_system(root: &Node, message: &Message<'_>, safe: bool) -> Option<Fix> {
    let messages = root.get("messages")?;
    let content = message.content?;
    let moved = match (&content.value, root.get("system")) {
        (Value::String(text), None) => {
            Edit::insert_member(root, "system", Json::from(text.as_str()))
        }
        (Value::Array(_), None) => Edit::insert_member(root, "system", content.to_json()?),
        (Value::String(text), Some(system)) => match &system.value {
            Value::String(old) => {
                Edit::replace_value(system, Json::from(format!("{old}\n\n{text}")))
            }
            Value::Array(_) => {
                let mut blocks = system.to_json()?;
                blocks
                    .as_array_mut()?
                    .push(serde_json::json!({"type": "text", "text": text}));
                Edit::replace_value(system, blocks)
            }
            _ => return None,
        },
        (Value::Array(_), Some(system)) => {
            let mut blocks = match &system.value {
                Value::String(old) => vec![serde_json::json!({"type": "text", "text": old})],
                Value::Array(_) => system.to_json()?.as_array()?.clone(),
                _ => return None,
            };
            blocks.extend(content.to_json()?.as_array()?.iter().cloned());
            Edit::replace_value(system, Json::Array(blocks))
        }
        _ => return None,
    };
    let edits = vec![Edit::remove_element(messages, message.node), moved];
    let title = if root.get("system").is_some() {
        "Move the text into the top-level `system` parameter"
    } else {
        "Move it into the top-level `system` parameter"
    };
    Some(if safe {
        Fix::safe(title, edits)
    } else {
        Fix::unsafe_(title, edits)
    })
}
