//! Extended and adaptive thinking: the `thinking` types each model accepts, the manual budget
//! against `max_tokens`, thinking with sampling parameters and forced tool use, thinking blocks
//! echoed back in assistant turns, and `output_config.effort` levels (reference §5, §10 rows
//! 17, 19-21, 23 and 40).

use std::sync::LazyLock;

use serde_json::Value as Json;

use super::conversation::{Message, block_kind, messages};
use super::registry::declare_rules;
use super::sampling;
use super::{Context, Severity, Sink};
use crate::facts::api::{self, Change};
use crate::facts::api_version;
use crate::facts::models::{Effort, Sampling, ThinkingType};
use crate::facts::request_schema;
use crate::fix::{Edit, Fix};
use crate::syntax::{Node, Value};
use crate::words::list;

declare_rules! {
    family: "thinking";
    prefix: "K";
    /// ## What it does
    /// Reports a `thinking.type` the model does not accept: manual `enabled` thinking on
    /// Opus 4.7 and later, Sonnet 5, Fable 5 and Mythos 5; `adaptive` on the 4.5 generation;
    /// `disabled` on models whose thinking is always on; `between_tools` where it does not
    /// exist.
    ///
    /// ## Why
    /// The API answers 400, e.g. `"thinking.type.enabled" is not supported for this model. Use
    /// "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.` or
    /// `adaptive thinking is not supported on this model`. The accepted types come from the
    /// model table (reference §5.2).
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-opus-4-8", "max_tokens": 16000, "thinking": {"type": "enabled", "budget_tokens": 8000}, "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    ///
    /// ## Fix
    /// Switches `enabled` or `between_tools` to `adaptive` (dropping `budget_tokens`) where the
    /// model takes adaptive thinking, and removes a `disabled` the model refuses so its default
    /// applies (unsafe: the model then decides how much to think).
    UNSUPPORTED_THINKING_TYPE { code: "101", name: "unsupported-thinking-type", severity: Error, fix: Unsafe }

    /// ## What it does
    /// Reports manual thinking (`"type": "enabled"`) without `budget_tokens`, or with a budget
    /// below {api.thinking.min_budget_tokens} tokens.
    ///
    /// ## Why
    /// The API answers 400 `thinking.enabled.budget_tokens: Input should be greater than or
    /// equal to {api.thinking.min_budget_tokens|raw}` (or `Field required`).
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-sonnet-4-6", "max_tokens": 4096, "thinking": {"type": "enabled", "budget_tokens": 512}, "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    ///
    /// ## Fix
    /// Raises the budget to {api.thinking.min_budget_tokens} when `max_tokens` leaves room for it (unsafe: the model may
    /// think longer).
    INVALID_THINKING_BUDGET { code: "102", name: "invalid-thinking-budget", severity: Error, fix: Unsafe }

    /// ## What it does
    /// Reports a `thinking.budget_tokens` that is not below `max_tokens`, and manual thinking
    /// with `max_tokens: 0`. With tools defined it is a warning: interleaved thinking lets the
    /// budget exceed `max_tokens`, as it spans the whole tool-use turn.
    ///
    /// ## Why
    /// Thinking tokens count toward `max_tokens`: the API answers 400 `` `max_tokens` must be
    /// greater than `thinking.budget_tokens` ``. `max_tokens: 0` only pre-warms the prompt cache
    /// and cannot run manual thinking.
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-sonnet-4-6", "max_tokens": 8000, "thinking": {"type": "enabled", "budget_tokens": 10000}, "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    THINKING_BUDGET_OVER_MAX_TOKENS { code: "103", name: "thinking-budget-over-max-tokens", severity: Error, fix: None }

    /// ## What it does
    /// Reports `thinking.display` beside `"type": "disabled"` or `"type": "between_tools"`.
    ///
    /// ## Why
    /// Only `enabled` and `adaptive` take `display` (`summarized` or `omitted`); with the
    /// other types the API answers 400.
    ///
    /// ## Example
    /// ```json
    /// {"thinking": {"type": "disabled", "display": "omitted"}}
    /// ```
    ///
    /// ## Fix
    /// Removes `display` (safe: there is no thinking to display).
    THINKING_DISPLAY_NOT_ALLOWED { code: "104", name: "thinking-display-not-allowed", severity: Error, fix: Safe }

    /// ## What it does
    /// Reports sampling parameters that thinking does not allow on the models that still take
    /// them (before Opus 4.7): `temperature` other than 1, any `top_k`, and `top_p` outside
    /// {api.sampling.min_top_p_thinking}-1, while thinking is `enabled` or `adaptive`.
    ///
    /// ## Why
    /// The API answers 400 `` `temperature` may only be set to 1 when thinking is enabled `` or
    /// `` `top_k` must be unset when thinking is enabled `` (reference §5.3). Later models and
    /// API version {api.version.removing.sampling-parameters} refuse these parameters in any case (rules
    /// `deprecated-sampling-parameter` and `sampling-parameter-removed`).
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-sonnet-4-6", "max_tokens": 16000, "temperature": 0.2, "thinking": {"type": "enabled", "budget_tokens": 8000}, "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    ///
    /// ## Fix
    /// Removes the parameter (unsafe: it changes how the answer is sampled).
    THINKING_WITH_SAMPLING { code: "105", name: "thinking-with-sampling", severity: Error, fix: Unsafe }

    /// ## What it does
    /// Reports `tool_choice` `any` or `tool` (forced tool use) together with manual thinking
    /// (`"type": "enabled"`).
    ///
    /// ## Why
    /// The API answers 400 `Thinking may not be enabled when tool_choice forces tool use.`
    /// Only `auto` and `none` work with manual thinking; adaptive thinking allows forced tool
    /// use (reference §3.4, §5.3).
    ///
    /// ## Example
    /// ```json
    /// {"tool_choice": {"type": "any"}, "thinking": {"type": "enabled", "budget_tokens": 2048}}
    /// ```
    THINKING_WITH_FORCED_TOOL_CHOICE { code: "106", name: "thinking-with-forced-tool-choice", severity: Error, fix: None }

    /// ## What it does
    /// Reports a `thinking` block whose `signature` is empty. It is an error in the latest
    /// assistant turn, whose thinking blocks the API verifies, and a warning in earlier turns.
    ///
    /// ## Why
    /// Thinking blocks must be passed back exactly as the response gave them: the API answers
    /// 400 `` `thinking` or `redacted_thinking` blocks in the latest assistant message cannot
    /// be modified. `` An empty signature means the block was written by hand or stripped.
    ///
    /// ## Example
    /// ```json
    /// {"role": "assistant", "content": [{"type": "thinking", "thinking": "Let me see.", "signature": ""}, {"type": "text", "text": "42"}]}
    /// ```
    EMPTY_THINKING_SIGNATURE { code: "107", name: "empty-thinking-signature", severity: Error, fix: None }

    /// ## What it does
    /// Reports a `thinking` or `redacted_thinking` block that follows text or a tool call in
    /// the same assistant message (other than right after a server tool's result).
    ///
    /// ## Why
    /// A response puts its thinking first, and thinking blocks must come back in their
    /// original order; a reordered turn is likely rejected (with thinking on, the API wants
    /// the final assistant turn to start with a thinking block). A warning: where the order
    /// came from cannot be seen in the request.
    ///
    /// ## Example
    /// ```json
    /// {"role": "assistant", "content": [{"type": "text", "text": "Checking."}, {"type": "thinking", "thinking": "...", "signature": "EqQB..."}]}
    /// ```
    THINKING_BLOCK_ORDER { code: "108", name: "thinking-block-order", severity: Warning, fix: None }

    /// ## What it does
    /// With manual thinking on, reports an unfinished tool loop (the request ends with the
    /// `tool_result`s of the last assistant turn) whose assistant turn does not start with its
    /// `thinking` block.
    ///
    /// ## Why
    /// The API expects the turn being continued to keep its thinking: it has answered 400
    /// ``Expected `thinking` or `redacted_thinking`, but found `tool_use`. When thinking is
    /// enabled, a final assistant message must start with a thinking block``. An error: the
    /// reference (§5.3, "Thinking blocks in history") is sure that the last assistant turn of a
    /// tool loop must keep its thinking blocks; only the message's exact wording is unsure.
    ///
    /// ## Example
    /// ```json
    /// {"thinking": {"type": "enabled", "budget_tokens": 2048}, "messages": [{"role": "user", "content": "Weather?"}, {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {}}]}, {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "Sunny"}]}]}
    /// ```
    MISSING_THINKING_IN_TOOL_LOOP { code: "109", name: "missing-thinking-in-tool-loop", severity: Error, fix: None }

    /// ## What it does
    /// Reports an `output_config.effort` the model does not take: any effort on Haiku 4.5 and
    /// Sonnet 4.5, `xhigh` or `max` on models without them (reference §5.4).
    ///
    /// ## Why
    /// The API answers 400 for an effort level the model does not offer.
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-sonnet-4-6", "max_tokens": 1024, "output_config": {"effort": "xhigh"}, "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    ///
    /// ## Fix
    /// Lowers the level to the highest one the model offers below it, or removes `effort` on a
    /// model without effort (unsafe: the model may think less).
    UNSUPPORTED_EFFORT { code: "110", name: "unsupported-effort", severity: Error, fix: Unsafe }
}

/// The request's `thinking` setting, when written as an object with a known literal `type`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ThinkingConfig<'a> {
    /// The `thinking` object.
    pub object: &'a Node,
    /// Its `type`.
    pub kind: ThinkingType,
    /// The `type` value, where findings about it point.
    pub type_node: &'a Node,
}

impl ThinkingConfig<'_> {
    /// True when the model thinks (manual or adaptive): sampling limits and the prefill ban
    /// apply. `between_tools` is left out: what it shares with them is not documented.
    pub(crate) fn is_on(&self) -> bool {
        matches!(self.kind, ThinkingType::Enabled | ThinkingType::Adaptive)
    }
}

/// Reads the request's `thinking`; `None` when absent, computed, or of an unknown type.
pub(crate) fn config(root: &Node) -> Option<ThinkingConfig<'_>> {
    let object = root.get("thinking")?;
    let type_node = object.get("type")?;
    let kind = ThinkingType::parse(type_node.as_str()?)?;
    Some(ThinkingConfig {
        object,
        kind,
        type_node,
    })
}

/// Checks one payload.
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    if !ctx.payload.kind.is_request() {
        return;
    }
    let root = ctx.payload.root;
    let conversation: Vec<Message<'_>> = messages(root).collect();
    check_history(&conversation, sink);
    check_effort(ctx, sink);
    let Some(thinking) = config(root) else {
        return;
    };
    let type_accepted = check_type(ctx, &thinking, sink);
    if thinking.kind == ThinkingType::Enabled {
        check_budget(ctx, &thinking, type_accepted, sink);
        check_tool_choice(ctx, sink);
        check_tool_loop(&conversation, sink);
    }
    check_display(ctx, &thinking, sink);
    for key in sampling::PARAMETERS {
        if let Some(member) = root.member(key)
            && let Some(problem) = sampling_conflict(ctx, key, &member.value)
        {
            sink.report_fix(
                &THINKING_WITH_SAMPLING,
                member.key_range,
                format!("`{key}` is set while thinking is on: the API answers 400 {problem}"),
                Some(Fix::unsafe_(
                    format!("Remove `{key}`"),
                    vec![Edit::remove_member(root, member)],
                )),
            );
        }
    }
}

/// The API's answer when sampling parameter `key` (set to `value`) clashes with the request's
/// thinking on a model that still takes sampling parameters; `None` when it does not clash.
/// Models that refuse non-default sampling altogether, the API versions that removed them, and values out
/// of range are left to the sampling rules: one finding per parameter.
pub(crate) fn sampling_conflict(
    ctx: &Context<'_>,
    key: &str,
    value: &Node,
) -> Option<&'static str> {
    if !config(ctx.payload.root).is_some_and(|t| t.is_on())
        || ctx
            .model
            .is_some_and(|m| m.sampling == Sampling::DefaultOnly)
        || api_version::in_force(ctx.payload.root, ctx.options.api_version)
            .accepts(Change::SamplingParameters)
            == Some(false)
        || sampling::range_problem(key, value).is_some()
    {
        return None;
    }
    match (key, &value.value) {
        ("temperature", Value::Number(n)) if n.as_f64() != Some(1.0) => {
            Some("`` `temperature` may only be set to 1 when thinking is enabled ``")
        }
        ("top_k", Value::Number(_)) => Some("`` `top_k` must be unset when thinking is enabled ``"),
        ("top_p", Value::Number(n)) if n.as_f64().is_some_and(|p| p < min_top_p()) => {
            Some(TOP_P_WITH_THINKING.as_str())
        }
        _ => None,
    }
}

/// The smallest `top_p` while thinking is on.
fn min_top_p() -> f64 {
    api::limits().sampling.min_top_p_thinking
}

/// What a `top_p` below [`min_top_p`] is told; above the schema's maximum, the range rule
/// speaks first.
static TOP_P_WITH_THINKING: LazyLock<String> = LazyLock::new(|| {
    format!(
        "(with thinking on, `top_p` must be between {} and {})",
        min_top_p(),
        request_schema::at("/$defs/requestBody/properties/top_p/maximum")
    )
});

/// Reports a `thinking.type` the model refuses; true when the model accepts it (or is not
/// known).
fn check_type(ctx: &Context<'_>, thinking: &ThinkingConfig<'_>, sink: &mut Sink<'_>) -> bool {
    let Some(model) = ctx.model else {
        return true;
    };
    if model.thinking.contains(&thinking.kind) {
        return true;
    }
    let root = ctx.payload.root;
    let name = &model.name;
    let takes_adaptive = model.thinking.contains(&ThinkingType::Adaptive);
    // The title names the removal of `budget_tokens` exactly when the fix makes it.
    let to_adaptive = || {
        let mut edits = vec![Edit::replace_value(
            thinking.type_node,
            Json::from("adaptive"),
        )];
        let budget = thinking.object.member("budget_tokens");
        edits.extend(budget.map(|budget| Edit::remove_member(thinking.object, budget)));
        let title = if budget.is_some() {
            "Switch to adaptive thinking (drop `budget_tokens`)"
        } else {
            "Switch to adaptive thinking"
        };
        Fix::unsafe_(title, edits)
    };
    let (message, fix) = match thinking.kind {
        _ if model.thinking.is_empty() => {
            if thinking.kind == ThinkingType::Disabled {
                return true;
            }
            (
                format!("{name} has no extended thinking: the API answers 400"),
                None,
            )
        }
        ThinkingType::Enabled => (
            format!(
                "{name} does not take manual thinking with `budget_tokens`: the API answers 400 `\"thinking.type.enabled\" is not supported for this model. Use \"thinking.type.adaptive\" and \"output_config.effort\" to control thinking behavior.`"
            ),
            takes_adaptive.then(to_adaptive),
        ),
        ThinkingType::Disabled => (
            format!(
                "{name} cannot switch thinking off: the API answers 400 `\"thinking.type.disabled\" is not supported for this model. Thinking defaults to adaptive mode when not specified; use \"thinking.type.enabled\" with \"budget_tokens\" for extended thinking.`"
            ),
            root.member("thinking").map(|member| {
                Fix::unsafe_(
                    "Remove `thinking` (the model's default applies)",
                    vec![Edit::remove_member(root, member)],
                )
            }),
        ),
        ThinkingType::Adaptive => (
            format!(
                "{name} takes only manual thinking (`\"type\": \"enabled\"` with `budget_tokens`): the API answers 400 `adaptive thinking is not supported on this model`"
            ),
            None,
        ),
        ThinkingType::BetweenTools => (
            format!(
                "{name} does not take `\"type\": \"between_tools\"` (it takes {}): the API answers 400",
                list(
                    &model
                        .thinking
                        .iter()
                        .map(|t| t.as_str())
                        .collect::<Vec<_>>()
                )
            ),
            takes_adaptive.then(to_adaptive),
        ),
    };
    sink.report_fix(
        &UNSUPPORTED_THINKING_TYPE,
        thinking.type_node.range,
        message,
        fix,
    );
    false
}

/// `budget_tokens` of manual thinking: present, at least the API's minimum, below `max_tokens`.
fn check_budget(
    ctx: &Context<'_>,
    thinking: &ThinkingConfig<'_>,
    type_accepted: bool,
    sink: &mut Sink<'_>,
) {
    let root = ctx.payload.root;
    let max_tokens = root.get("max_tokens");
    let Some(budget) = thinking.object.get("budget_tokens") else {
        sink.report(
            &INVALID_THINKING_BUDGET,
            thinking.type_node.range,
            format!(
                "manual thinking needs `budget_tokens`: the API answers 400 `{}: Field required`",
                ctx.payload.api_path("thinking.enabled.budget_tokens")
            ),
        );
        return;
    };
    let Value::Number(written) = &budget.value else {
        return;
    };
    let min = api::limits().thinking.min_budget_tokens;
    if written.as_f64().is_some_and(|b| b < min as f64) {
        let room = max_tokens.and_then(Node::as_u64).is_some_and(|m| m > min);
        sink.report_fix(
            &INVALID_THINKING_BUDGET,
            budget.range,
            format!(
                "`budget_tokens` is {written}: the API answers 400 `{}: Input should be greater than or equal to {min}`",
                ctx.payload.api_path("thinking.enabled.budget_tokens")
            ),
            room.then(|| {
                Fix::unsafe_(
                    format!("Raise `budget_tokens` to {min}"),
                    vec![Edit::replace_value(budget, Json::from(min))],
                )
            }),
        );
        return;
    }
    let (Some(budget_value), Some(max_node)) = (budget.as_u64(), max_tokens) else {
        return;
    };
    let Some(max_value) = max_node.as_u64() else {
        return;
    };
    if !type_accepted || budget_value < max_value {
        return;
    }
    let refusal = "`` `max_tokens` must be greater than `thinking.budget_tokens` ``";
    if max_value == 0 {
        sink.report(
            &THINKING_BUDGET_OVER_MAX_TOKENS,
            max_node.range,
            format!(
                "`max_tokens: 0` only pre-warms the prompt cache and cannot run manual thinking: the API answers 400 {refusal}; drop `thinking` from the pre-warm request"
            ),
        );
        return;
    }
    let tools = root
        .get("tools")
        .is_some_and(|t| t.is_unknown() || t.as_array().is_some_and(|a| !a.is_empty()));
    if tools {
        sink.report_at(
            Severity::Warning,
            &THINKING_BUDGET_OVER_MAX_TOKENS,
            budget.range,
            format!(
                "`budget_tokens` ({budget_value}) is not below `max_tokens` ({max_value}): allowed only with interleaved thinking (tools with the `interleaved-thinking-2025-05-14` beta, or a model that interleaves by default), where the budget spans the whole turn; otherwise the API answers 400 {refusal}"
            ),
            None,
        );
    } else {
        sink.report(
            &THINKING_BUDGET_OVER_MAX_TOKENS,
            budget.range,
            format!(
                "`budget_tokens` ({budget_value}) must be below `max_tokens` ({max_value}), which counts thinking too: the API answers 400 {refusal}"
            ),
        );
    }
}

/// `display` only goes with `enabled` and `adaptive`.
fn check_display(ctx: &Context<'_>, thinking: &ThinkingConfig<'_>, sink: &mut Sink<'_>) {
    if thinking.is_on() {
        return;
    }
    let Some(display) = thinking.object.member("display") else {
        return;
    };
    let kind = thinking.kind.as_str();
    sink.report_fix(
        &THINKING_DISPLAY_NOT_ALLOWED,
        display.key_range,
        format!(
            "`{}` goes only with `enabled` or `adaptive` thinking, not `{kind}`: the API answers 400",
            ctx.payload.api_path("thinking.display")
        ),
        Some(Fix::safe(
            "Remove `display`",
            vec![Edit::remove_member(thinking.object, display)],
        )),
    );
}

/// Forced tool use with manual thinking.
fn check_tool_choice(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(type_node) = ctx
        .payload
        .root
        .get("tool_choice")
        .and_then(|c| c.get("type"))
    else {
        return;
    };
    let Some(kind @ ("any" | "tool")) = type_node.as_str() else {
        return;
    };
    sink.report(
        &THINKING_WITH_FORCED_TOOL_CHOICE,
        type_node.range,
        format!(
            "`tool_choice` `{kind}` forces tool use, which manual thinking does not allow: the API answers 400 `Thinking may not be enabled when tool_choice forces tool use.`; use `{{\"type\": \"auto\"}}`, or adaptive thinking where the model offers it"
        ),
    );
}

/// Thinking blocks in assistant turns: signatures and order.
fn check_history(conversation: &[Message<'_>], sink: &mut Sink<'_>) {
    let latest_assistant = conversation
        .iter()
        .rposition(|m| m.role == Some("assistant"));
    for (i, message) in conversation.iter().enumerate() {
        if message.role != Some("assistant") {
            continue;
        }
        let latest = Some(i) == latest_assistant;
        // The kind of the first text or tool call since the start or the last server result.
        let mut output_before: Option<&str> = None;
        for block in message.blocks() {
            let Some(kind) = block_kind(block) else {
                continue;
            };
            match kind {
                "thinking" | "redacted_thinking" => {
                    if kind == "thinking" {
                        check_signature(block, latest, sink);
                    }
                    if let (Some(before), Some(type_node)) = (output_before, block.get("type")) {
                        sink.report(
                            &THINKING_BLOCK_ORDER,
                            type_node.range,
                            format!(
                                "a `{kind}` block after a `{before}` block in the same turn: a response puts its thinking first, and thinking blocks must come back in their original order; a reordered turn is likely rejected"
                            ),
                        );
                    }
                }
                "text" | "tool_use" | "server_tool_use" | "mcp_tool_use" => {
                    output_before.get_or_insert(kind);
                }
                _ if kind.ends_with("_tool_result") => output_before = None,
                _ => {}
            }
        }
    }
}

fn check_signature(block: &Node, latest: bool, sink: &mut Sink<'_>) {
    let Some(signature) = block
        .get("signature")
        .filter(|s| s.as_str().is_some_and(|s| s.trim().is_empty()))
    else {
        return;
    };
    if latest {
        sink.report(
            &EMPTY_THINKING_SIGNATURE,
            signature.range,
            "this `thinking` block's `signature` is empty: the API verifies the thinking blocks of the latest assistant turn and answers 400 `` `thinking` or `redacted_thinking` blocks in the latest assistant message cannot be modified. ``; pass the block back exactly as the response gave it",
        );
    } else {
        sink.report_at(
            Severity::Warning,
            &EMPTY_THINKING_SIGNATURE,
            signature.range,
            "this `thinking` block's `signature` is empty, so it was written by hand or stripped: the API drops the thinking of earlier turns before the model reads it, but may still reject a block whose signature does not verify; pass thinking blocks back exactly as the response gave them",
            None,
        );
    }
}

/// With manual thinking, the assistant turn an unfinished tool loop continues starts with its
/// thinking.
fn check_tool_loop(conversation: &[Message<'_>], sink: &mut Sink<'_>) {
    let [.., turn, results] = conversation else {
        return;
    };
    if results.role != Some("user")
        || !results.has_block("tool_result")
        || turn.role != Some("assistant")
        || !turn.has_block("tool_use")
    {
        return;
    }
    let Some(first) = turn.blocks().first() else {
        return;
    };
    let Some(kind) = block_kind(first) else {
        return;
    };
    if matches!(kind, "thinking" | "redacted_thinking") {
        return;
    }
    let range = first.get("type").map_or(first.range, |t| t.range);
    sink.report(
        &MISSING_THINKING_IN_TOOL_LOOP,
        range,
        format!(
            "manual thinking is on, but the assistant turn whose `tool_use` is being answered does not start with its thinking: the API has answered 400 ``Expected `thinking` or `redacted_thinking`, but found `{kind}`. When thinking is enabled, a final assistant message must start with a thinking block``; pass the turn's thinking blocks back unmodified, or turn thinking off"
        ),
    );
}

/// `output_config.effort` against the model's levels.
fn check_effort(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(model) = ctx.model else {
        return;
    };
    let Some(output_config) = ctx.payload.root.get("output_config") else {
        return;
    };
    let Some(member) = output_config.member("effort") else {
        return;
    };
    let Some(level) = member.value.as_str().and_then(Effort::parse) else {
        return;
    };
    if model.effort.contains(&level) {
        return;
    }
    let name = &model.name;
    let path = ctx.payload.api_path("output_config.effort");
    let (message, fix) = if model.effort.is_empty() {
        (
            format!("{name} does not take `{path}`: the API answers 400"),
            Fix::unsafe_(
                "Remove `effort`",
                vec![Edit::remove_member(output_config, member)],
            ),
        )
    } else {
        let offered: Vec<&str> = model.effort.iter().map(|e| e.as_str()).collect();
        let message = format!(
            "{name} does not offer effort `{}` (it takes {}): the API answers 400",
            level.as_str(),
            list(&offered)
        );
        match model.effort.iter().filter(|&&e| e < level).max() {
            Some(lower) => (
                message,
                Fix::unsafe_(
                    format!("Use effort `{}`", lower.as_str()),
                    vec![Edit::replace_value(
                        &member.value,
                        Json::from(lower.as_str()),
                    )],
                ),
            ),
            None => (
                message,
                Fix::unsafe_(
                    "Remove `effort`",
                    vec![Edit::remove_member(output_config, member)],
                ),
            ),
        }
    };
    sink.report_fix(&UNSUPPORTED_EFFORT, member.value.range, message, Some(fix));
}
