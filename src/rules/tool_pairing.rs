//! `tool_use` / `tool_result` pairing across the whole conversation (reference §2.4, §10 rows
//! 9-12): every call answered in the next user turn, results first and only for calls of the
//! previous turn, unique well-formed ids, and no client result for a server tool call.
//!
//! Consecutive messages with the same role are one turn to the API (it merges them), so
//! pairing is checked turn by turn; `system` entries are transparent. A message whose role or
//! content is computed at run time breaks the chain: nothing is reported across it.

use std::collections::HashMap;

use serde_json::Value as Json;

use super::conversation::{Message, block_kind, messages};
use super::registry::declare_rules;
use super::{Context, Severity, Sink};
use crate::facts::tools::{is_identifier, is_server_tool_use_id};
use crate::fix::{Edit, Fix};
use crate::syntax::{Node, Value};

declare_rules! {
    family: "pairing";
    prefix: "P";
    /// ## What it does
    /// Reports a `tool_use` block that the next user turn does not answer with a
    /// `tool_result` of the same id. A conversation that ends on an unanswered `tool_use`
    /// is a warning.
    ///
    /// ## Why
    /// The API answers 400 ``messages.N: `tool_use` ids were found without `tool_result`
    /// blocks immediately after: toolu_.... Each `tool_use` block must have a corresponding
    /// `tool_result` block in the next message.`` It happens when history is truncated or
    /// compacted between a call and its result, or when a tool call was interrupted.
    ///
    /// ## Example
    /// ```json
    /// {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_01", "name": "f", "input": {}}]},
    /// {"role": "user", "content": "Never mind"}
    /// ```
    UNPAIRED_TOOL_USE { code: "101", name: "unpaired-tool-use", severity: Error, fix: None }

    /// ## What it does
    /// Reports a `tool_result` whose `tool_use_id` names no `tool_use` of the previous
    /// assistant turn, and a server-tool result block (`web_search_tool_result`,
    /// `advisor_tool_result`...) with no `server_tool_use` of that id before it.
    ///
    /// ## Why
    /// The API answers 400 ``messages.N.content.M: unexpected `tool_use_id` found in
    /// `tool_result` blocks: toolu_.... Each `tool_result` block must have a corresponding
    /// `tool_use` block in the previous message.``
    ///
    /// ## Example
    /// ```json
    /// {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_99", "content": "42"}]}
    /// ```
    UNEXPECTED_TOOL_RESULT { code: "102", name: "unexpected-tool-result", severity: Error, fix: None }

    /// ## What it does
    /// Reports a `tool_use` or `server_tool_use` id already used by an earlier block of the
    /// same message.
    ///
    /// ## Why
    /// Results are matched to calls by id: each `tool_use` needs a `tool_result` with its id in
    /// the next message (reference §2.4), so two calls of one message cannot share an id, and
    /// the API rejects the request with a 400. Duplicates come from splicing transcripts.
    ///
    /// The same id in *different* assistant turns is not reported: a recorded exchange shows
    /// the API accepting it (200), and the reference (§2.4, §10.2, §14) states no rule across
    /// turns, so the rule stays silent where the reference is unsure.
    ///
    /// ## Example
    /// One assistant turn that calls `toolu_01` twice.
    DUPLICATE_TOOL_USE_ID { code: "103", name: "duplicate-tool-use-id", severity: Error, fix: None }

    /// ## What it does
    /// Reports a `tool_use` id that does not match `^[a-zA-Z0-9_-]+$` and a `server_tool_use`
    /// id that does not match `^srvtoolu_[a-zA-Z0-9_]+$`.
    ///
    /// ## Why
    /// The API answers 400 `messages.N.content.M.tool_use.id: String should match pattern
    /// '^[a-zA-Z0-9_-]+$'`. Ids from other providers (`functions.get_weather:0`) carry dots
    /// and colons; OpenAI's `call_...` ids pass.
    ///
    /// ## Example
    /// ```json
    /// {"type": "tool_use", "id": "functions.get_weather:0", "name": "get_weather", "input": {}}
    /// ```
    ///
    /// ## Fix
    /// Replaces each character outside the pattern with `_`, in the `tool_use` and in every
    /// `tool_result` that answers it (safe: ids only pair calls with results).
    INVALID_TOOL_USE_ID { code: "104", name: "invalid-tool-use-id", severity: Error, fix: Safe }

    /// ## What it does
    /// Reports a `tool_result` that answers a server tool call (an id starting `srvtoolu_`).
    ///
    /// ## Why
    /// Server tools (web search, web fetch, code execution...) run on Anthropic's side: their
    /// result comes back as a `*_tool_result` block in the same assistant turn, and a client
    /// `tool_result` for one is an unexpected `tool_use_id` to the API (400).
    ///
    /// ## Example
    /// ```json
    /// {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "srvtoolu_01", "content": "..."}]}
    /// ```
    SERVER_TOOL_RESULT { code: "105", name: "server-tool-result", severity: Error, fix: None }

    /// ## What it does
    /// Reports a user turn answering `tool_use` blocks whose `tool_result` blocks do not all
    /// come first (text written before them).
    ///
    /// ## Why
    /// The API answers 400 ``messages.N: Did not find 1 `tool_result` block(s) at the beginning
    /// of this message. Messages following `tool_use` blocks must begin with a matching number
    /// of `tool_result` blocks.``
    ///
    /// ## Example
    /// ```json
    /// {"role": "user", "content": [{"type": "text", "text": "Here you go"}, {"type": "tool_result", "tool_use_id": "toolu_01", "content": "42"}]}
    /// ```
    ///
    /// ## Fix
    /// Moves the `tool_result` blocks to the front, keeping the order of the others (safe).
    TOOL_RESULT_NOT_FIRST { code: "106", name: "tool-result-not-first", severity: Error, fix: Safe }
}

/// Checks one payload.
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    if !ctx.payload.kind.is_request() {
        return;
    }
    let conversation: Vec<Message<'_>> = messages(ctx.payload.root).collect();
    check_ids(ctx, &conversation, sink);
    check_turns(ctx, &turns(&conversation), sink);
    check_server_results(ctx, &conversation, sink);
}

/// Which side of the conversation a turn is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    User,
    Assistant,
}

/// The conversation as the API pairs it: turns, and the places where a message computed at
/// run time hides what lies there.
enum Step<'a> {
    /// Consecutive messages of one side, merged by the API into one turn.
    Turn(Side, Vec<Message<'a>>),
    /// A message whose role or content is not known here.
    Barrier,
}

fn turns<'a>(conversation: &[Message<'a>]) -> Vec<Step<'a>> {
    let mut steps: Vec<Step<'a>> = Vec::new();
    for message in conversation {
        let readable = message
            .content
            .is_some_and(|c| matches!(c.value, Value::String(_) | Value::Array(_)));
        let side = match message.role {
            Some("system") => continue,
            Some("user") if readable => Side::User,
            Some("assistant") if readable => Side::Assistant,
            _ => {
                steps.push(Step::Barrier);
                continue;
            }
        };
        match steps.last_mut() {
            Some(Step::Turn(last, messages)) if *last == side => messages.push(*message),
            _ => steps.push(Step::Turn(side, vec![*message])),
        }
    }
    steps
}

/// One id-carrying block of a turn.
struct IdRef<'a> {
    /// Index of its message in `messages`.
    message: usize,
    /// Index of the block in the message's content.
    block: usize,
    /// The id's value node.
    node: &'a Node,
    /// The id.
    id: &'a str,
}

/// The blocks of `kind` in `messages` with their literal `field`, and whether some block may be
/// one of them without showing it (computed at run time, untyped, or with a computed id).
fn ids<'a>(messages: &[Message<'a>], kind: &str, field: &str) -> (Vec<IdRef<'a>>, bool) {
    let mut found = Vec::new();
    let mut hidden = false;
    for message in messages {
        for (b, block) in message.blocks().iter().enumerate() {
            match block_kind(block) {
                Some(k) if k == kind => match block.get(field) {
                    Some(node) => match node.as_str() {
                        Some(id) => found.push(IdRef {
                            message: message.index,
                            block: b,
                            node,
                            id,
                        }),
                        None => hidden = true,
                    },
                    None => hidden = true,
                },
                Some(_) => {}
                None => hidden = true,
            }
        }
    }
    (found, hidden)
}

fn check_turns(ctx: &Context<'_>, steps: &[Step<'_>], sink: &mut Sink<'_>) {
    for (k, step) in steps.iter().enumerate() {
        let Step::Turn(side, turn) = step else {
            continue;
        };
        match side {
            Side::Assistant => {
                let (uses, _) = ids(turn, "tool_use", "id");
                match steps.get(k + 1) {
                    None => report_unanswered_at_end(ctx, &uses, sink),
                    Some(Step::Turn(Side::User, next)) => report_unanswered(ctx, &uses, next, sink),
                    Some(_) => {}
                }
            }
            Side::User => {
                let previous = match k.checked_sub(1).map(|p| &steps[p]) {
                    None => (Vec::new(), false),
                    Some(Step::Turn(Side::Assistant, prior)) => ids(prior, "tool_use", "id"),
                    Some(_) => continue,
                };
                check_results(ctx, &previous, turn, sink);
            }
        }
    }
}

fn unanswered_message(ctx: &Context<'_>, u: &IdRef<'_>) -> String {
    format!(
        "``{}: `tool_use` ids were found without `tool_result` blocks immediately after: {}. Each `tool_use` block must have a corresponding `tool_result` block in the next message.``",
        ctx.payload.api_path(&format!("messages.{}", u.message)),
        u.id
    )
}

fn report_unanswered(
    ctx: &Context<'_>,
    uses: &[IdRef<'_>],
    next: &[Message<'_>],
    sink: &mut Sink<'_>,
) {
    let (results, hidden) = ids(next, "tool_result", "tool_use_id");
    if hidden {
        return;
    }
    for u in uses
        .iter()
        .filter(|u| !results.iter().any(|r| r.id == u.id))
    {
        sink.report(
            &UNPAIRED_TOOL_USE,
            u.node.range,
            format!(
                "the next user turn has no `tool_result` for `{}`: the API answers 400 {}",
                u.id,
                unanswered_message(ctx, u)
            ),
        );
    }
}

fn report_unanswered_at_end(ctx: &Context<'_>, uses: &[IdRef<'_>], sink: &mut Sink<'_>) {
    for u in uses {
        sink.report_at(
            Severity::Warning,
            &UNPAIRED_TOOL_USE,
            u.node.range,
            format!(
                "the conversation ends on `tool_use` `{}` with no `tool_result` after it: send the tool's result in a user message; the API expects one in the next message and may answer 400 {}",
                u.id,
                unanswered_message(ctx, u)
            ),
            None,
        );
    }
}

/// Checks a user turn against the tool calls of the assistant turn before it.
fn check_results(
    ctx: &Context<'_>,
    previous: &(Vec<IdRef<'_>>, bool),
    turn: &[Message<'_>],
    sink: &mut Sink<'_>,
) {
    let (uses, uses_hidden) = previous;
    let (results, _) = ids(turn, "tool_result", "tool_use_id");
    if !uses_hidden {
        for r in &results {
            if r.id.starts_with("srvtoolu_") || uses.iter().any(|u| u.id == r.id) {
                continue;
            }
            sink.report(
                &UNEXPECTED_TOOL_RESULT,
                r.node.range,
                format!(
                    "no `tool_use` in the previous assistant turn has the id `{}`: the API answers 400 ``{}: unexpected `tool_use_id` found in `tool_result` blocks: {}. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.``",
                    r.id,
                    ctx.payload
                        .api_path(&format!("messages.{}.content.{}", r.message, r.block)),
                    r.id
                ),
            );
        }
    }
    if !uses.is_empty() {
        check_order(ctx, uses.len(), turn, sink);
    }
}

/// What a content element is, for the order of a user turn.
enum Element<'a> {
    /// A `tool_result` block.
    Result,
    /// Anything else the API sees: a block, or a string `content` (one text block).
    Other(&'a Node),
    /// Not known here.
    Hidden,
}

fn elements<'a>(message: &Message<'a>) -> Vec<Element<'a>> {
    match message.content.map(|c| (c, &c.value)) {
        Some((content, Value::String(_))) => vec![Element::Other(content)],
        Some((_, Value::Array(blocks))) => blocks
            .iter()
            .map(|b| match block_kind(b) {
                Some("tool_result") => Element::Result,
                Some(_) => Element::Other(b),
                None => Element::Hidden,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Reports the first block that stands before a `tool_result` of the turn.
fn check_order(ctx: &Context<'_>, expected: usize, turn: &[Message<'_>], sink: &mut Sink<'_>) {
    let elements: Vec<(usize, Element<'_>)> = turn
        .iter()
        .enumerate()
        .flat_map(|(m, message)| elements(message).into_iter().map(move |e| (m, e)))
        .collect();
    let Some(last_result) = elements
        .iter()
        .rposition(|(_, e)| matches!(e, Element::Result))
    else {
        return;
    };
    let Some((m, intruder)) = elements[..last_result].iter().find_map(|(m, e)| match e {
        Element::Other(node) => Some((*m, *node)),
        _ => None,
    }) else {
        return;
    };
    let message = &turn[m];
    let fix = (turn.len() == 1).then(|| reorder_fix(message)).flatten();
    sink.report_fix(
        &TOOL_RESULT_NOT_FIRST,
        intruder.range,
        format!(
            "the `tool_result` blocks must come first in this user turn, before this block: the API answers 400 ``{}: Did not find {expected} `tool_result` block(s) at the beginning of this message. Messages following `tool_use` blocks must begin with a matching number of `tool_result` blocks.``",
            ctx.payload
                .api_path(&format!("messages.{}", message.index))
        ),
        fix,
    );
}

/// Puts the message's `tool_result` blocks first and the others after them, each group in its
/// original order. Each slot whose block changes is replaced by the block that moves there, so
/// the array keeps its layout (one block per line stays one block per line). No fix when a
/// block's type is computed at run time, or a moved block holds a computed value.
fn reorder_fix(message: &Message<'_>) -> Option<Fix> {
    let blocks = message.blocks();
    if blocks.iter().any(|b| block_kind(b).is_none()) {
        return None;
    }
    let is_result = |b: &&Node| block_kind(b) == Some("tool_result");
    let (mut order, others): (Vec<&Node>, Vec<&Node>) = blocks.iter().partition(is_result);
    order.extend(others);
    let mut edits = Vec::new();
    for (slot, block) in blocks.iter().zip(order) {
        if !std::ptr::eq(slot, block) {
            edits.push(Edit::replace_value(slot, block.to_json()?));
        }
    }
    Some(Fix::safe("Move the `tool_result` blocks first", edits))
}

/// Ids: unique, well formed, and never a client `tool_result` for a server tool call.
fn check_ids(ctx: &Context<'_>, conversation: &[Message<'_>], sink: &mut Sink<'_>) {
    for message in conversation {
        // Only within one message: across turns a repeated id has been accepted (a recorded
        // 200), and the reference (§2.4, §10) states no uniqueness rule across the conversation.
        let mut first: HashMap<&str, (usize, usize)> = HashMap::new();
        for (b, block) in message.blocks().iter().enumerate() {
            let kind = block_kind(block);
            let path = |rest: &str| {
                ctx.payload
                    .api_path(&format!("messages.{}.content.{b}{rest}", message.index))
            };
            match kind {
                Some(kind @ ("tool_use" | "server_tool_use")) => {
                    let Some((node, id)) = block.get("id").and_then(|n| Some((n, n.as_str()?)))
                    else {
                        continue;
                    };
                    check_id_format(
                        ctx,
                        conversation,
                        kind,
                        node,
                        id,
                        &path(&format!(".{kind}.id")),
                        sink,
                    );
                    match first.get(id) {
                        Some(&(m, earlier)) => sink.report(
                            &DUPLICATE_TOOL_USE_ID,
                            node.range,
                            format!(
                                "`{id}` is already the id of `{}` in this message: each `tool_use` needs its own `tool_result` with its id in the next message (reference §2.4), so two calls of one message cannot share an id, and the API rejects the request with a 400",
                                ctx.payload.api_path(&format!("messages.{m}.content.{earlier}"))
                            ),
                        ),
                        None => {
                            first.insert(id, (message.index, b));
                        }
                    }
                }
                Some("tool_result") => {
                    let Some(node) = block.get("tool_use_id") else {
                        continue;
                    };
                    if let Some(id) = node.as_str().filter(|id| id.starts_with("srvtoolu_")) {
                        sink.report(
                            &SERVER_TOOL_RESULT,
                            node.range,
                            format!(
                                "`{id}` is a server tool call: the server runs it and returns its result in the assistant turn, so no `tool_result` may answer it; the API answers 400 ``{}: unexpected `tool_use_id` found in `tool_result` blocks: {id}. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.``",
                                path("")
                            ),
                        );
                    }
                }
                _ => {}
            }
        }
    }
}

fn check_id_format(
    ctx: &Context<'_>,
    conversation: &[Message<'_>],
    kind: &str,
    node: &Node,
    id: &str,
    path: &str,
    sink: &mut Sink<'_>,
) {
    let (ok, pattern) = if kind == "tool_use" {
        (is_identifier(id), "^[a-zA-Z0-9_-]+$")
    } else {
        (is_server_tool_use_id(id), "^srvtoolu_[a-zA-Z0-9_]+$")
    };
    if ok {
        return;
    }
    let fix = (kind == "tool_use")
        .then(|| rename_id_fix(ctx.payload.root, conversation, id))
        .flatten();
    sink.report_fix(
        &INVALID_TOOL_USE_ID,
        node.range,
        format!("this `{kind}` id does not match `{pattern}`: the API answers 400 `{path}: String should match pattern '{pattern}'`"),
        fix,
    );
}

/// Renames a malformed `tool_use` id everywhere it is used, when the whole conversation is
/// known (a result computed at run time could name the old id) and the new id is free.
fn rename_id_fix(root: &Node, conversation: &[Message<'_>], id: &str) -> Option<Fix> {
    root.get("messages")?.to_json()?;
    let new_id: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let blocks = || conversation.iter().flat_map(|m| m.blocks());
    let taken = blocks().any(|b| b.get("id").and_then(Node::as_str) == Some(new_id.as_str()));
    if new_id.is_empty() || taken {
        return None;
    }
    let mut edits = Vec::new();
    for block in blocks() {
        let field = match block_kind(block) {
            Some("tool_use") => "id",
            Some("tool_result") => "tool_use_id",
            _ => continue,
        };
        if let Some(node) = block.get(field).filter(|n| n.as_str() == Some(id)) {
            edits.push(Edit::replace_value(node, Json::from(new_id.as_str())));
        }
    }
    Some(Fix::safe(format!("Rename the id to `{new_id}`"), edits))
}

/// Server-tool result blocks answer a `server_tool_use` earlier in the conversation.
fn check_server_results(ctx: &Context<'_>, conversation: &[Message<'_>], sink: &mut Sink<'_>) {
    let mut calls: Vec<&str> = Vec::new();
    let mut hidden = false;
    for message in conversation {
        let known = message
            .content
            .is_some_and(|c| matches!(c.value, Value::String(_) | Value::Array(_)));
        if !known || message.role.is_none() {
            hidden = true;
            continue;
        }
        for (b, block) in message.blocks().iter().enumerate() {
            match block_kind(block) {
                None => hidden = true,
                Some("server_tool_use") => match block.get("id").and_then(Node::as_str) {
                    Some(id) => calls.push(id),
                    None => hidden = true,
                },
                Some(kind) if is_server_result(kind) && message.role == Some("assistant") => {
                    let Some(node) = block.get("tool_use_id") else {
                        continue;
                    };
                    let Some(id) = node.as_str() else {
                        continue;
                    };
                    if hidden || calls.contains(&id) {
                        continue;
                    }
                    sink.report(
                        &UNEXPECTED_TOOL_RESULT,
                        node.range,
                        format!(
                            "no `server_tool_use` before this block has the id `{id}`: the API answers 400 ``{}: unexpected `tool_use_id` found in `{kind}` blocks: {id}. Each `{kind}` block must have a corresponding `server_tool_use` block before it.``",
                            ctx.payload
                                .api_path(&format!("messages.{}.content.{b}", message.index))
                        ),
                    );
                }
                Some(_) => {}
            }
        }
    }
}

/// True for the result blocks of server tools (`web_search_tool_result`, ...), which answer a
/// `server_tool_use` (MCP results answer `mcp_tool_use` instead).
fn is_server_result(kind: &str) -> bool {
    kind.ends_with("_tool_result") && kind != "mcp_tool_result"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{apply_rule_fixes, check_with_unknowns, diagnostics};

    const TOOLS: &str = r#""tools": [{"name": "get_weather", "input_schema": {"type": "object"}}]"#;

    fn request(messages: &str) -> String {
        format!(
            "{{\n  \"model\": \"claude-opus-5\",\n  \"max_tokens\": 1024,\n  {TOOLS},\n  \"messages\": [\n{messages}\n  ]\n}}\n"
        )
    }

    fn codes(text: &str) -> Vec<&'static str> {
        check_with_unknowns(text, check)
            .into_iter()
            .map(|(code, _)| code)
            .collect()
    }

    const CALL: &str = r#"    {"role": "user", "content": "Weather?"},
    {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": {}}]},"#;

    #[test]
    fn reordering_puts_results_first_and_rechecks_clean() {
        let text = request(&format!(
            "{CALL}\n    {{\"role\": \"user\", \"content\": [\n      {{\"type\": \"text\", \"text\": \"Here:\"}},\n      {{\"type\": \"tool_result\", \"tool_use_id\": \"toolu_01\", \"content\": \"Sunny\"}}\n    ]}}"
        ));
        let fixed = apply_rule_fixes(&text, &TOOL_RESULT_NOT_FIRST);
        assert_eq!(
            fixed,
            request(&format!(
                "{CALL}\n    {{\"role\": \"user\", \"content\": [\n      {{\"type\": \"tool_result\", \"tool_use_id\": \"toolu_01\", \"content\": \"Sunny\"}},\n      {{\"type\": \"text\", \"text\": \"Here:\"}}\n    ]}}"
            ))
        );
        assert_eq!(diagnostics(&fixed), []);
    }

    #[test]
    fn renaming_a_malformed_id_renames_its_result_and_rechecks_clean() {
        let text = request(
            r#"    {"role": "user", "content": "Weather?"},
    {"role": "assistant", "content": [{"type": "tool_use", "id": "functions.get_weather:0", "name": "get_weather", "input": {}}]},
    {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "functions.get_weather:0", "content": "Sunny"}]}"#,
        );
        let fixed = apply_rule_fixes(&text, &INVALID_TOOL_USE_ID);
        assert_eq!(
            fixed,
            text.replace("functions.get_weather:0", "functions_get_weather_0")
        );
        assert_eq!(diagnostics(&fixed), []);
    }

    #[test]
    fn no_rename_onto_an_id_in_use() {
        let text = request(
            r#"    {"role": "user", "content": "Weather?"},
    {"role": "assistant", "content": [{"type": "tool_use", "id": "a.b", "name": "get_weather", "input": {}}, {"type": "tool_use", "id": "a_b", "name": "get_weather", "input": {}}]},
    {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "a.b", "content": "1"}, {"type": "tool_result", "tool_use_id": "a_b", "content": "2"}]}"#,
        );
        let found: Vec<_> = diagnostics(&text)
            .into_iter()
            .map(|d| (d.rule.code, d.fix.is_some()))
            .collect();
        assert_eq!(found, [("P104", false)]);
    }

    #[test]
    fn a_result_split_from_the_text_by_a_message_has_no_fix() {
        let text = request(&format!(
            "{CALL}\n    {{\"role\": \"user\", \"content\": \"Here:\"}},\n    {{\"role\": \"user\", \"content\": [{{\"type\": \"tool_result\", \"tool_use_id\": \"toolu_01\", \"content\": \"Sunny\"}}]}}"
        ));
        let found: Vec<_> = diagnostics(&text)
            .into_iter()
            .map(|d| (d.rule.code, d.fix.is_some()))
            .collect();
        assert_eq!(found, [("P106", false)]);
    }

    #[test]
    fn computed_content_breaks_the_chain() {
        // The answer is computed: it may hold the result.
        let answer = r#"{"role": "user", "content": "$unknown"}"#;
        assert_eq!(codes(&request(&format!("{CALL}\n    {answer}"))), [""; 0]);
        // A computed message between a call and a stray result hides both.
        let stray = r#"{"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_99", "content": "x"}]}"#;
        assert_eq!(
            codes(&request(&format!("{CALL}\n    \"$unknown\",\n    {stray}"))),
            [""; 0]
        );
        // Without the computed message both are certain.
        assert_eq!(
            codes(&request(&format!("{CALL}\n    {stray}"))),
            ["P101", "P102"]
        );
    }

    #[test]
    fn computed_ids_and_blocks_are_wildcards() {
        // A result with a computed id may answer the call.
        let answer = r#"{"role": "user", "content": [{"type": "tool_result", "tool_use_id": "$unknown", "content": "x"}]}"#;
        assert_eq!(codes(&request(&format!("{CALL}\n    {answer}"))), [""; 0]);
        // A computed block of the assistant turn may be the call a result answers.
        let calls = r#"    {"role": "user", "content": "Weather?"},
    {"role": "assistant", "content": ["$unknown"]},
    {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01", "content": "x"}]}"#;
        assert_eq!(codes(&request(calls)), [""; 0]);
        // A computed call id: nothing to pair, nothing to report.
        let call = r#"    {"role": "user", "content": "Weather?"},
    {"role": "assistant", "content": [{"type": "tool_use", "id": "$unknown", "name": "get_weather", "input": {}}]},
    {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01", "content": "x"}]}"#;
        assert_eq!(codes(&request(call)), [""; 0]);
    }

    #[test]
    fn system_entries_are_transparent_and_server_results_need_a_call() {
        let text = request(
            r#"    {"role": "user", "content": "News?"},
    {"role": "system", "content": "Be brief."},
    {"role": "assistant", "content": [{"type": "web_search_tool_result", "tool_use_id": "srvtoolu_01", "content": []}]},
    {"role": "user", "content": "Thanks"}"#,
        );
        assert_eq!(codes(&text), ["P102"]);
        let hidden = text.replace(r#""content": "News?""#, r#""content": ["$unknown"]"#);
        assert_eq!(codes(&hidden), [""; 0]);
    }
}
