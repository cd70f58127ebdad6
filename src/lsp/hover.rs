//! Hovers: on a finding, its rule's documentation; on a message or content block, its size
//! and share of the request; on a top-level parameter, what it means and its valid values for
//! the payload's model.

use tower_lsp_server::ls_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

use super::convert::Converter;
use super::documents::{Snapshot, model_of};
use super::inlay;
use super::locate::{self, Located, Step};
use crate::extract::Payload;
use crate::extract::files::json_len;
use crate::facts::models::BATCH_OUTPUT_BETA;
use crate::facts::models::{Effort, Sampling, ThinkingType};
use crate::facts::params::{self, ParamKind};
use crate::facts::request_schema;
use crate::facts::{Lifecycle, Model};
use crate::settings::Settings;
use crate::syntax::{Node, TextRange};
use crate::words;

/// The hover at `position`, if anything there has one.
pub(crate) fn hover(
    snapshot: &Snapshot,
    converter: &Converter<'_>,
    position: Position,
) -> Option<Hover> {
    let offset = converter.offset(position);
    let mut sections = Vec::new();
    let mut range: Option<TextRange> = None;
    for diagnostic in &snapshot.analysis.diagnostics {
        let r = diagnostic.range;
        if r.start as usize <= offset && offset <= r.end as usize {
            let rule = diagnostic.rule;
            sections.push(format!(
                "**{}** `{}` ({})\n\n{}\n\n{}",
                rule.code,
                rule.name,
                diagnostic.severity,
                diagnostic.message,
                rule.markdown().trim()
            ));
            range = Some(r);
        }
    }
    if let Ok(settings) = &snapshot.settings {
        let payloads = snapshot.payloads();
        if let Some(located) = locate::locate(&payloads, offset)
            && let Some((text, node_range)) = element(snapshot, &located, settings, offset)
        {
            sections.insert(0, text);
            range = Some(node_range);
        }
    }
    if sections.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: sections.join("\n\n---\n\n"),
        }),
        range: range.map(|r| converter.range(r)),
    })
}

/// The hover of the block, message or parameter at `offset`, and the range it covers.
fn element(
    snapshot: &Snapshot,
    located: &Located<'_>,
    settings: &Settings,
    offset: usize,
) -> Option<(String, TextRange)> {
    let payload = &located.payload;
    let size = |payload: &Payload<'_>, node: &Node| {
        let tokens = tokens(snapshot, payload, node, settings);
        format!("{}{tokens}", size(payload, node))
    };
    if let Some((index, block)) = located.block() {
        let title = match located.message() {
            Some((message, _)) => format!("Block {index} of message {message}"),
            None => format!("System block {index}"),
        };
        let kind = block.get("type").and_then(Node::as_str).unwrap_or("?");
        return Some((
            format!("**{title}** · `{kind}`\n\n{}", size(payload, block)),
            block.range,
        ));
    }
    if let Some((index, message)) = located.message() {
        let role = message.get("role").and_then(Node::as_str).unwrap_or("?");
        return Some((
            format!(
                "**Message {index}** · `{role}`\n\n{}",
                size(payload, message)
            ),
            message.range,
        ));
    }
    let member = located.parameter()?;
    if member.key == "system" && !located.on_key && located.steps.len() == 1 {
        return Some((
            format!("**System prompt**\n\n{}", size(payload, &member.value)),
            member.value.range,
        ));
    }
    // On the key, or on a value that is not a container (the whole `messages` array is not
    // worth a parameter hover when the cursor is between two messages).
    let on_member = located.on_key
        || (located.steps.len() == 1
            && member.value.as_object().is_none()
            && member.value.as_array().is_none())
        || (member.value.range.start as usize == offset);
    if !on_member || !matches!(located.steps.first(), Some(Step::Member(_))) {
        return None;
    }
    let model = model_of(payload, settings);
    let text = parameter(&member.key, model, settings)?;
    Some((
        text,
        if located.on_key {
            member.key_range
        } else {
            member.value.range
        },
    ))
}

/// "123 chars · 456 bytes as sent (12% of the request body)".
fn size(payload: &Payload<'_>, node: &Node) -> String {
    let bytes = json_len(node);
    let body = json_len(payload.root).max(1);
    let percent = bytes as f64 * 100.0 / body as f64;
    let share = if percent < 1.0 && bytes > 0 {
        "under 1%".to_owned()
    } else {
        format!("{percent:.0}%")
    };
    format!(
        "{} · {} bytes as sent ({share} of the request body)",
        inlay::label(inlay::measure(node)),
        words::thousands(bytes)
    )
}

/// "\n\n~1,234 tokens (1,000-1,500), 0.1% of Claude Opus 5's 1,000,000-token window": the
/// estimate of a message, block or system prompt; empty when it has none.
fn tokens(snapshot: &Snapshot, payload: &Payload<'_>, node: &Node, settings: &Settings) -> String {
    let payloads = snapshot.payloads();
    let Some(estimate) = payloads
        .iter()
        .position(|p| p.root.range == payload.root.range)
        .and_then(|i| snapshot.estimates().get(i))
    else {
        return String::new();
    };
    let band = if payload
        .root
        .get("system")
        .is_some_and(|s| s.range == node.range)
    {
        Some(estimate.system.total())
    } else {
        estimate.messages.iter().find_map(|m| {
            if m.range == node.range {
                Some(m.tokens.total())
            } else {
                m.blocks
                    .iter()
                    .find(|b| b.range == node.range)
                    .map(|b| b.tokens)
            }
        })
    };
    let Some(band) = band else {
        return String::new();
    };
    let window = model_of(payload, settings)
        .map(|m| {
            format!(
                ", {}",
                inlay::share_of_window(band.mid, &m.name, m.context_window)
            )
        })
        .unwrap_or_default();
    format!(
        "\n\n~{} tokens ({}-{}){window}",
        words::thousands(band.mid),
        words::thousands(band.low),
        words::thousands(band.high)
    )
}

/// What a top-level parameter means, with its limits for `model`; `None` for a key the API
/// does not know (its finding says what is wrong).
fn parameter(name: &str, model: Option<&Model>, settings: &Settings) -> Option<String> {
    let param = params::param(name)?;
    let meaning = match param.kind {
        ParamKind::Beta(beta) => format!(
            "A beta field: the API accepts it only on the beta endpoint, with the `{beta}` beta."
        ),
        ParamKind::Cloud => "A field of Amazon Bedrock and Google Cloud Vertex AI bodies; the Claude API does not take it.".into(),
        ParamKind::SdkOnly(why) => format!("Not a body field: {why}."),
        ParamKind::Ga | ParamKind::Sampling => meaning(name)?.to_owned(),
    };
    let mut text = format!("**`{name}`**\n\n{meaning}");
    if let Some(model) = model
        && let Some(detail) = for_model(name, model, settings)
    {
        text.push_str("\n\n");
        text.push_str(&detail);
    }
    Some(text)
}

/// What a GA body field is: the schema's `description` of it, which editors validating with
/// the schema show too; completion shows it as well.
pub(crate) fn meaning(name: &str) -> Option<&'static str> {
    match params::param(name)?.kind {
        ParamKind::Ga | ParamKind::Sampling => request_schema::description(name),
        ParamKind::Beta(_) | ParamKind::Cloud | ParamKind::SdkOnly(_) => None,
    }
}

/// The parameter's limits for one model, from the model table.
fn for_model(name: &str, model: &Model, settings: &Settings) -> Option<String> {
    let who = format!("For **{}** (`{}`)", model.name, model.id);
    Some(match name {
        "model" => {
            let lifecycle = match model.lifecycle(settings.options.today) {
                Lifecycle::Active => "served".to_owned(),
                Lifecycle::Deprecated(Some(day)) => format!("deprecated: retired on {day}"),
                Lifecycle::Deprecated(None) => "deprecated".to_owned(),
                Lifecycle::Retired(day) => format!("retired since {day}: the API answers 404"),
            };
            let replacement = model
                .replacement
                .as_deref()
                .map(|r| format!("; move to `{r}`"))
                .unwrap_or_default();
            format!(
                "**{}** (`{}`): a context window of {} tokens, up to {} output tokens; {lifecycle}{replacement}.",
                model.name,
                model.id,
                words::thousands(model.context_window),
                words::thousands(model.max_output)
            )
        }
        "max_tokens" => {
            let batch = model
                .batch_max_output
                .map(|b| format!(" (up to {} in a Message Batches request with the `{BATCH_OUTPUT_BETA}` beta)", words::thousands(b)))
                .unwrap_or_default();
            format!("{who}: 0 to {}{batch}.", words::thousands(model.max_output))
        }
        "thinking" => match model.thinking.as_slice() {
            [] => format!("{who}: no `thinking` configuration."),
            types => format!(
                "{who}: `type` {}.",
                listed(types.iter().map(|&t| thinking_name(t)))
            ),
        },
        "output_config" => match model.effort.as_slice() {
            [] => format!("{who}: no `effort`."),
            levels => format!(
                "{who}: `effort` {}.",
                listed(levels.iter().map(|&e| effort_name(e)))
            ),
        },
        "tool_choice" if !model.forced_tool_choice => {
            format!("{who}: `any` and `tool` are rejected; use `auto` or `none`.")
        }
        "messages" if model.mid_conversation_system => {
            format!("{who}: `system` turns are accepted after the first message.")
        }
        "messages" => format!("{who}: no `system` turns; use the top-level `system`."),
        "temperature" | "top_p" | "top_k" => match model.sampling {
            Sampling::DefaultOnly => format!("{who}: any value but the default is rejected."),
            Sampling::Exclusive if name != "top_k" => {
                format!("{who}: `temperature` and `top_p` may not both be set.")
            }
            _ => return None,
        },
        _ => return None,
    })
}

/// `` `a`, `b` or `c` ``.
fn listed<'n>(names: impl Iterator<Item = &'n str>) -> String {
    let names: Vec<String> = names.map(|n| format!("`{n}`")).collect();
    match names.as_slice() {
        [rest @ .., last] if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

/// A `thinking.type` as the API spells it.
fn thinking_name(kind: ThinkingType) -> &'static str {
    match kind {
        ThinkingType::Enabled => "enabled",
        ThinkingType::Adaptive => "adaptive",
        ThinkingType::Disabled => "disabled",
        ThinkingType::BetweenTools => "between_tools",
    }
}

/// An `output_config.effort` as the API spells it.
fn effort_name(effort: Effort) -> &'static str {
    match effort {
        Effort::Low => "low",
        Effort::Medium => "medium",
        Effort::High => "high",
        Effort::Xhigh => "xhigh",
        Effort::Max => "max",
    }
}
