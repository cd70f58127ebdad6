//! `temperature`, `top_p` and `top_k`: their ranges, the models that refuse them or refuse two
//! together, and the API version that removed them (reference §1.2, §1.3, §5.3, §10
//! rows 22, 24 and 25).

use serde_json::Value as Json;

use super::registry::declare_rules;
use super::{Context, Severity, Sink};
use crate::extract::PayloadKind;
use crate::facts::api::{self, Change};
use crate::facts::api_version;
use crate::facts::models::Sampling;
use crate::facts::request_schema;
use crate::fix::{Edit, Fix};
use crate::rules::thinking;
use crate::syntax::{Member, Node, Value};

declare_rules! {
    family: "sampling";
    prefix: "A";
    /// ## What it does
    /// Reports a `temperature` or `top_p` outside 0-1, and a `top_k` that is negative or not a
    /// whole number. OpenAI's `temperature` range, 0-2, is the classic cause.
    ///
    /// ## Why
    /// The API answers 400, e.g. `temperature: Input should be less than or equal to 1`.
    /// (Anthropic's OpenAI-compatible endpoint caps values above 1 instead; the native
    /// Messages API refuses them.)
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-haiku-4-5", "max_tokens": 1024, "temperature": 1.5, "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    ///
    /// ## Fix
    /// Clamps `temperature` or `top_p` to the nearest bound (unsafe: it changes how the answer
    /// is sampled).
    SAMPLING_OUT_OF_RANGE { code: "101", name: "sampling-out-of-range", severity: Error, fix: Unsafe }

    /// ## What it does
    /// Reports `temperature` and `top_p` together on the models that take only one of them:
    /// the Claude 4.5 generation (Haiku, Sonnet and Opus 4.5) and Sonnet 4.6.
    ///
    /// ## Why
    /// The API answers 400 `` `temperature` and `top_p` cannot both be specified for this
    /// model. Please use only one. ``
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-sonnet-4-6", "max_tokens": 1024, "temperature": 0.7, "top_p": 0.9, "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    ///
    /// ## Fix
    /// Removes `top_p` (unsafe: it changes how the answer is sampled).
    TEMPERATURE_WITH_TOP_P { code: "102", name: "temperature-with-top-p", severity: Error, fix: Unsafe }

    /// ## What it does
    /// Reports non-default sampling parameters on the models that deprecated them (Opus 4.7
    /// and later, Sonnet 5 and later, Fable, Mythos): `temperature` other than 1, `top_p` below
    /// {api.sampling.min_top_p_default_only}, and `top_k` at any value.
    ///
    /// ## Why
    /// On these models the API "returns a 400 error when set to a non-default value" (model
    /// deprecations page); a reported message is `` `temperature` is deprecated for this
    /// model. ``
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-opus-5", "max_tokens": 1024, "temperature": 0.2, "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    ///
    /// ## Fix
    /// Removes the parameter (unsafe: it changes how the answer is sampled).
    DEPRECATED_SAMPLING_PARAMETER { code: "103", name: "deprecated-sampling-parameter", severity: Error, fix: Unsafe }

    /// ## What it does
    /// Reports `temperature`, `top_p` and `top_k` under API version {api.version.removing.sampling-parameters}, which removed
    /// them. When the version in force is not known (no `api-version` in the configuration, no
    /// SDK pinned in the workspace) it is a warning that names both versions.
    ///
    /// ## Why
    /// Under `anthropic-version: {api.version.removing.sampling-parameters}`, the default of Python SDK 2.x and TypeScript SDK
    /// 1.x, the API answers 400 even at the default values (reported as `temperature: Extra
    /// inputs are not permitted`). Under {api.version.accepting.sampling-parameters} they are accepted.
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-haiku-4-5", "max_tokens": 1024, "temperature": 0.5, "messages": [{"role": "user", "content": "Hi"}]}
    /// ```
    ///
    /// ## Fix
    /// Removes the parameter (unsafe: it changes how the answer is sampled under {api.version.accepting.sampling-parameters}).
    SAMPLING_PARAMETER_REMOVED { code: "104", name: "sampling-parameter-removed", severity: Error, fix: Unsafe }
}

/// The sampling parameters, in the order they are checked.
pub(crate) const PARAMETERS: [&str; 3] = ["temperature", "top_p", "top_k"];

/// A value outside a parameter's range.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RangeProblem {
    /// The API's answer, without the path.
    pub answer: String,
    /// The nearest bound (0 or 1), when clamping to it keeps the intent.
    pub clamp: Option<i64>,
}

/// Why `value` is outside the range of sampling parameter `key`; `None` when it is inside (or
/// not a number: a wrong type is another rule's).
pub(crate) fn range_problem(key: &str, value: &Node) -> Option<RangeProblem> {
    let Value::Number(number) = &value.value else {
        return None;
    };
    let n = number.as_f64()?;
    // The ranges are the schema's `minimum` and `maximum`.
    let schema = request_schema::field(key).filter(|_| PARAMETERS.contains(&key))?;
    let bound = |keyword: &str| schema.get(keyword).and_then(Json::as_i64);
    let integer = schema["type"]
        .as_array()
        .is_some_and(|types| types.iter().any(|t| t == "integer"));
    let problem = |answer: String, clamp| Some(RangeProblem { answer, clamp });
    if let Some(max) = bound("maximum").filter(|&max| n > max as f64) {
        return problem(
            format!("Input should be less than or equal to {max}"),
            Some(max),
        );
    }
    if let Some(min) = bound("minimum").filter(|&min| n < min as f64) {
        return problem(
            format!("Input should be greater than or equal to {min}"),
            (!integer).then_some(min),
        );
    }
    if integer && n.fract() != 0.0 {
        return problem(
            "Input should be a valid integer, got a number with a fractional part".into(),
            None,
        );
    }
    None
}

/// Checks one payload.
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let payload = ctx.payload;
    if !matches!(payload.kind, PayloadKind::Messages | PayloadKind::BatchItem) {
        return;
    }
    let root = payload.root;
    let set = |key: &str| root.member(key).filter(|m| m.value.value != Value::Null);
    let version = api_version::in_force(payload.root, ctx.options.api_version);
    let pair_refused = ctx.model.is_some_and(|m| m.sampling == Sampling::Exclusive)
        && set("temperature").is_some();
    for key in PARAMETERS {
        let Some(member) = set(key) else {
            continue;
        };
        let accepted = version.accepts(Change::SamplingParameters);
        if accepted == Some(false) {
            report_removed(ctx, member, Severity::Error, sink);
            continue;
        }
        // One finding per parameter: the first reason the API refuses it under a version that
        // still takes it.
        let refused = if check_value(ctx, key, member, sink)
            || thinking::sampling_conflict(ctx, key, &member.value).is_some()
        {
            true
        } else if key == "top_p" && pair_refused {
            report_pair(member, root, sink);
            true
        } else {
            false
        };
        if accepted.is_none() && !refused {
            report_removed(ctx, member, Severity::Warning, sink);
        }
    }
}

/// The ranges of the sampling parameters of a model reference, on models that take them: the
/// tools that read such references send these values unchanged only there (`extract::configs`).
pub(crate) fn check_ranges(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    if !ctx
        .model
        .is_some_and(|m| m.sampling != Sampling::DefaultOnly)
    {
        return;
    }
    for key in PARAMETERS {
        if let Some(member) = ctx.payload.root.member(key) {
            check_range(ctx, key, &member.value, sink);
        }
    }
}

/// The range of one parameter; true when it reported.
fn check_range(ctx: &Context<'_>, key: &str, value: &Node, sink: &mut Sink<'_>) -> bool {
    let Some(problem) = range_problem(key, value) else {
        return false;
    };
    {
        let openai = if key == "temperature" && problem.clamp == Some(1) {
            " (OpenAI's `temperature` goes to 2; Claude's stops at 1)"
        } else {
            ""
        };
        let fix = problem.clamp.map(|bound| {
            Fix::unsafe_(
                format!("Set `{key}` to {bound}"),
                vec![Edit::replace_value(value, Json::from(bound))],
            )
        });
        sink.report_fix(
            &SAMPLING_OUT_OF_RANGE,
            value.range,
            format!(
                "`{key}` is out of range: the API answers 400 `{}: {}`{openai}",
                ctx.payload.api_path(key),
                problem.answer
            ),
            fix,
        );
    }
    true
}

/// Range and deprecation of one parameter under a version that takes it; true when it
/// reported.
fn check_value(ctx: &Context<'_>, key: &str, member: &Member, sink: &mut Sink<'_>) -> bool {
    let (root, value) = (ctx.payload.root, &member.value);
    if check_range(ctx, key, value, sink) {
        return true;
    }
    let Some(model) = ctx.model.filter(|m| m.sampling == Sampling::DefaultOnly) else {
        return false;
    };
    let Value::Number(number) = &value.value else {
        return false;
    };
    let n = number.as_f64().unwrap_or(0.0);
    let min_top_p = api::limits().sampling.min_top_p_default_only;
    let rule = match key {
        "temperature" if n != 1.0 => "accepts `temperature` only at its default, 1".to_owned(),
        "top_p" if n < min_top_p => format!("accepts `top_p` only at {min_top_p} or above"),
        "top_k" => "does not take `top_k` at any value".to_owned(),
        _ => return false,
    };
    sink.report_fix(
        &DEPRECATED_SAMPLING_PARAMETER,
        member.key_range,
        format!(
            "{} {rule}: sampling parameters are deprecated on it, and the API answers 400 (reported: `` `{key}` is deprecated for this model. ``)",
            model.name
        ),
        Some(remove(root, member)),
    );
    true
}

fn report_pair(top_p: &Member, root: &Node, sink: &mut Sink<'_>) {
    sink.report_fix(
        &TEMPERATURE_WITH_TOP_P,
        top_p.key_range,
        "`temperature` and `top_p` are both set: the API answers 400 `` `temperature` and `top_p` cannot both be specified for this model. Please use only one. ``",
        Some(remove(root, top_p)),
    );
}

fn report_removed(ctx: &Context<'_>, member: &Member, severity: Severity, sink: &mut Sink<'_>) {
    let key = member.key.as_str();
    let api::Removal {
        removed_in,
        accepted_in,
    } = api::removal(Change::SamplingParameters);
    let message = if severity == Severity::Error {
        format!(
            "`{key}` does not exist under anthropic-version {removed_in}: the API answers 400 even at its default value (reported as `{}: Extra inputs are not permitted`)",
            ctx.payload.api_path(key)
        )
    } else {
        format!(
            "`{key}` is rejected under anthropic-version {removed_in} (the current SDKs' default); accepted under {accepted_in}. The version in force is not known here: pass `--api-version`, set `api-version` in claude-preflight.toml, or pin the `anthropic` / `@anthropic-ai/sdk` version in the workspace"
        )
    };
    sink.report_at(
        severity,
        &SAMPLING_PARAMETER_REMOVED,
        member.key_range,
        message,
        Some(remove(ctx.payload.root, member)),
    );
}

fn remove(root: &Node, member: &Member) -> Fix {
    Fix::unsafe_(
        format!("Remove `{}`", member.key),
        vec![Edit::remove_member(root, member)],
    )
}
