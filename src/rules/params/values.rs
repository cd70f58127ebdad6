//! The enumerated top-level values, `service_tier`, `inference_geo` and `speed`, against
//! the values the schema lists, and `inference_geo` on models that do not take it.

use std::sync::LazyLock;

use serde_json::json;

use super::{
    INFERENCE_GEO_UNSUPPORTED, INVALID_INFERENCE_GEO, INVALID_SERVICE_TIER, INVALID_SPEED, choices,
    field,
};
use crate::facts::request_schema;
use crate::fix::{Edit, Fix};
use crate::rules::{Context, Sink};
use crate::syntax::{Node, Value};
use crate::words::and_list;
use crate::words::did_you_mean;

/// The values of `service_tier`, from the schema.
static SERVICE_TIERS: LazyLock<Vec<&str>> =
    LazyLock::new(|| request_schema::values("service_tier"));
/// OpenAI's service tiers and the Claude value closest in meaning: OpenAI's default and
/// priority processing is Claude's `auto` (the default), flex processing has no Claude
/// counterpart beyond never using priority capacity.
const OPENAI_SERVICE_TIERS: &[(&str, &str)] = &[
    ("default", "auto"),
    ("priority", "auto"),
    ("scale", "auto"),
    ("flex", "standard_only"),
];
/// The documented values of `inference_geo` (the schema's `examples`: the set is open).
static INFERENCE_GEOS: LazyLock<Vec<&str>> =
    LazyLock::new(|| request_schema::values("inference_geo"));
/// "`global` (the default) and `us`": the documented values of `inference_geo`.
fn documented_geos() -> String {
    let list = and_list(&INFERENCE_GEOS);
    match request_schema::default("inference_geo") {
        Some(default) => {
            let quoted = format!("`{default}`");
            list.replacen(&quoted, &format!("{quoted} (the default)"), 1)
        }
        None => list,
    }
}
/// The values of `speed`, from the schema.
static SPEEDS: LazyLock<Vec<&str>> = LazyLock::new(|| request_schema::values("speed"));

pub(super) fn check_service_tier(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(member) = field(ctx, "service_tier") else {
        return;
    };
    let node = &member.value;
    let Some(tier) = node.as_str().filter(|t| !SERVICE_TIERS.contains(t)) else {
        return;
    };
    let answer = format!(
        "the API answers 400 `{}: Input should be {}`",
        ctx.payload.api_path("service_tier"),
        choices(&SERVICE_TIERS)
    );
    let (message, fix) = match OPENAI_SERVICE_TIERS.iter().find(|(o, _)| *o == tier) {
        Some(&(_, claude)) => (
            format!(
                "`{tier}` is an OpenAI service tier: {answer}; the closest Claude value is `{claude}`"
            ),
            Some(replace_with(node, claude)),
        ),
        None => match did_you_mean(tier, SERVICE_TIERS.iter().copied()) {
            Some(meant) => (
                format!("`{tier}` is not a service tier: {answer}; did you mean `{meant}`?"),
                Some(replace_with(node, meant)),
            ),
            None => (format!("`{tier}` is not a service tier: {answer}"), None),
        },
    };
    sink.report_fix(&INVALID_SERVICE_TIER, node.range, message, fix);
}

pub(super) fn check_inference_geo(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(member) = field(ctx, "inference_geo") else {
        return;
    };
    let node = &member.value;
    if matches!(node.value, Value::Null) {
        return;
    }
    if let Some(model) = ctx.model
        && !model.inference_geo
    {
        sink.report_fix(
            &INFERENCE_GEO_UNSUPPORTED,
            member.key_range,
            format!(
                "{} does not take `inference_geo`: only Claude Opus 4.6 and later models do, and the API answers 400 on older ones",
                model.name
            ),
            Some(Fix::unsafe_(
                "Remove `inference_geo`",
                vec![Edit::remove_member(ctx.payload.root, member)],
            )),
        );
        return;
    }
    let Some(geo) = node.as_str().filter(|g| !INFERENCE_GEOS.contains(g)) else {
        return;
    };
    let lower = geo.to_lowercase();
    let documented = format!("the documented values are {}", documented_geos());
    let (message, fix) = if INFERENCE_GEOS.contains(&lower.as_str()) {
        (
            format!("`{geo}` is not a documented `inference_geo`: {documented}, in lower case"),
            Some(replace_with(node, &lower)),
        )
    } else {
        (
            format!(
                "`{geo}` is not a documented `inference_geo`: {documented}; the API may answer 400, and a workspace's allowed inference geographies may refuse it"
            ),
            None,
        )
    };
    sink.report_fix(&INVALID_INFERENCE_GEO, node.range, message, fix);
}

pub(super) fn check_speed(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(member) = field(ctx, "speed") else {
        return;
    };
    let node = &member.value;
    let Some(speed) = node.as_str().filter(|s| !SPEEDS.contains(s)) else {
        return;
    };
    let mut message = format!(
        "`{speed}` is not a speed: the API answers 400 `{}: Input should be {}`",
        ctx.payload.api_path("speed"),
        choices(&SPEEDS)
    );
    let lower = speed.to_lowercase();
    let meant = SPEEDS
        .iter()
        .copied()
        .find(|s| *s == lower)
        .or_else(|| did_you_mean(speed, SPEEDS.iter().copied()));
    let fix = meant.map(|meant| {
        message.push_str(&format!("; did you mean `{meant}`?"));
        replace_with(node, meant)
    });
    sink.report_fix(&INVALID_SPEED, node.range, message, fix);
}

/// A fix that replaces `node` with the string `to`.
fn replace_with(node: &Node, to: &str) -> Fix {
    Fix::unsafe_(
        format!("Replace with `{to}`"),
        vec![Edit::replace_value(node, json!(to))],
    )
}
