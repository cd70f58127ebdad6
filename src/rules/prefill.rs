//! Prefill: a final assistant message, which the response continues. Refused by Claude 4.6 and
//! later models, and by every model together with structured outputs or thinking (reference
//! §2.1, §3.3, §5.3, §10 row 8).

use super::conversation::{Message, block_kind, messages};
use super::registry::declare_rules;
use super::thinking;
use super::{Context, Sink};
use crate::fix::{Edit, Fix};
use crate::syntax::{Node, Value};

declare_rules! {
    family: "prefill";
    prefix: "F";
    /// ## What it does
    /// Reports a request that ends with an assistant message (a prefill) on a model that
    /// refuses prefill: Claude Opus and Sonnet 4.6 and every later model. A final assistant
    /// turn that continues a server tool (`pause_turn`) is not a prefill and is not reported.
    ///
    /// ## Why
    /// The API answers 400 `This model does not support assistant message prefill. The
    /// conversation must end with a user message.` Claude 4.5 models still accept prefill.
    /// To shape the answer's start, say so in the prompt or use structured outputs.
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-opus-5", "max_tokens": 1024, "messages": [{"role": "user", "content": "List three colours as JSON."}, {"role": "assistant", "content": "["}]}
    /// ```
    ///
    /// ## Fix
    /// Removes the final assistant message (unsafe: the answer no longer continues it).
    PREFILL_NOT_SUPPORTED { code: "101", name: "prefill-not-supported", severity: Error, fix: Unsafe }

    /// ## What it does
    /// Reports a prefill together with structured outputs (`output_config.format`, or the
    /// beta `output_format`).
    ///
    /// ## Why
    /// Structured outputs are incompatible with prefill: the API answers 400. The schema
    /// already fixes how the answer starts.
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-haiku-4-5", "max_tokens": 1024, "output_config": {"format": {"type": "json_schema", "schema": {"type": "object", "properties": {}, "additionalProperties": false}}}, "messages": [{"role": "user", "content": "Answer as JSON."}, {"role": "assistant", "content": "{"}]}
    /// ```
    ///
    /// ## Fix
    /// Removes the final assistant message (unsafe: the answer no longer continues it).
    PREFILL_WITH_STRUCTURED_OUTPUT { code: "102", name: "prefill-with-structured-output", severity: Error, fix: Unsafe }

    /// ## What it does
    /// Reports a prefill while thinking is on (`enabled` or `adaptive`), unless the final
    /// assistant message starts with a thinking block (a turn being continued).
    ///
    /// ## Why
    /// Prefill is not allowed with thinking: the API answers 400, as a final assistant
    /// message must start with a thinking block when thinking is on (reference §5.3).
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-haiku-4-5", "max_tokens": 8000, "thinking": {"type": "enabled", "budget_tokens": 4000}, "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}
    /// ```
    ///
    /// ## Fix
    /// Removes the final assistant message (unsafe: the answer no longer continues it).
    PREFILL_WITH_THINKING { code: "103", name: "prefill-with-thinking", severity: Error, fix: Unsafe }
}

/// Checks one payload.
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    if !ctx.payload.kind.is_request() {
        return;
    }
    let root = ctx.payload.root;
    let Some(list) = root.get("messages") else {
        return;
    };
    let mut conversation = messages(root);
    let turns = conversation.len();
    let Some(final_turn) = conversation.next_back() else {
        return;
    };
    let last = &final_turn;
    if last.role != Some("assistant") || continues_server_tool(last) {
        return;
    }
    let Some(role) = last.node.get("role") else {
        return;
    };
    // Removing the only message would leave `messages` empty: no fix then.
    let fix = || {
        (turns > 1).then(|| {
            Fix::unsafe_(
                "Remove the final assistant message",
                vec![Edit::remove_element(list, last.node)],
            )
        })
    };
    if let Some(model) = ctx.model.filter(|m| !m.prefill) {
        sink.report_fix(
            &PREFILL_NOT_SUPPORTED,
            role.range,
            format!(
                "the request ends with an assistant message (a prefill), which {} does not accept: the API answers 400 `This model does not support assistant message prefill. The conversation must end with a user message.`",
                model.name
            ),
            fix(),
        );
        return;
    }
    if let Some(path) = structured_output(ctx) {
        sink.report_fix(
            &PREFILL_WITH_STRUCTURED_OUTPUT,
            role.range,
            format!(
                "the request ends with an assistant message (a prefill) and asks for structured outputs (`{path}`): the two are incompatible and the API answers 400; the schema already fixes how the answer starts"
            ),
            fix(),
        );
    }
    if let Some(config) = thinking::config(root).filter(|t| t.is_on())
        && !starts_with_thinking(last)
    {
        sink.report_fix(
            &PREFILL_WITH_THINKING,
            role.range,
            format!(
                "the request ends with an assistant message (a prefill) while thinking is `{}`: prefill is not allowed with thinking, and the API answers 400 (with thinking on, a final assistant message must start with a thinking block)",
                config.kind.as_str()
            ),
            fix(),
        );
    }
}

/// The dotted path of the structured-output format the request asks for, if any.
fn structured_output(ctx: &Context<'_>) -> Option<String> {
    let root = ctx.payload.root;
    let asked = |node: Option<&Node>| node.is_some_and(|n| n.value != Value::Null);
    if asked(root.get("output_config").and_then(|c| c.get("format"))) {
        Some(ctx.payload.api_path("output_config.format"))
    } else if asked(root.get("output_format")) {
        Some(ctx.payload.api_path("output_format"))
    } else {
        None
    }
}

/// True when a final assistant message carries a server tool's call or result: the turn
/// paused (`stop_reason: "pause_turn"`) and is sent back to be continued, which is no prefill.
fn continues_server_tool(message: &Message<'_>) -> bool {
    message.blocks().iter().filter_map(block_kind).any(|kind| {
        kind == "server_tool_use" || kind == "mcp_tool_use" || kind.ends_with("_tool_result")
    })
}

fn starts_with_thinking(message: &Message<'_>) -> bool {
    message
        .blocks()
        .first()
        .and_then(block_kind)
        .is_some_and(|kind| matches!(kind, "thinking" | "redacted_thinking"))
}
