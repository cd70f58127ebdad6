//! Beta fields against the betas a body or its code sends, and deprecated betas in a
//! Bedrock body's `anthropic_beta`.

use serde_json::{Value as Json, json};

use super::{DEPRECATED_BETA, MISSING_BETA, field};
use crate::facts::Dialect;
use crate::facts::betas;
use crate::facts::params::{self, ParamKind, STRUCTURED_OUTPUTS_BETA};
use crate::fix::{Edit, Fix};
use crate::rules::{Context, Sink};
use crate::syntax::Node;

/// `anthropic_beta` in a Bedrock body: deprecated values, and beta fields it does not enable.
pub(super) fn check_betas(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let payload = ctx.payload;
    // Code that sends the request may say every beta it sends (an SDK `betas` list, a curl
    // `anthropic-beta` header).
    if let Some(sent) = payload.call.and_then(|c| c.betas.as_deref()) {
        let sent: Vec<&str> = sent.iter().map(String::as_str).collect();
        check_beta_fields(ctx, sink, &sent, None);
        return;
    }
    // Otherwise only Bedrock bodies carry their betas (a body with `anthropic_beta` and an
    // `anthropic_version` that names no platform is taken as Bedrock's); Vertex AI and the
    // Claude API take them in a header this file does not show.
    if payload.dialect != Dialect::Bedrock {
        return;
    }
    let root = payload.root;
    let Some(list) = root.get("anthropic_beta") else {
        return;
    };
    let Some(items) = list.as_array() else {
        return;
    };
    let uses_output_format = root.get("output_format").is_some();
    for item in items {
        let Some(beta) = item.as_str().and_then(betas::deprecated) else {
            continue;
        };
        if beta.name == STRUCTURED_OUTPUTS_BETA && uses_output_format {
            continue;
        }
        sink.report_fix(
            &DEPRECATED_BETA,
            item.range,
            format!(
                "`{}` is a deprecated beta: {}; the API still accepts it, but it does nothing and the SDKs are removing it",
                beta.name, beta.why
            ),
            Some(Fix::safe(
                format!("Remove `{}`", beta.name),
                vec![Edit::remove_element(list, item)],
            )),
        );
    }
    let Some(sent) = items
        .iter()
        .map(Node::as_str)
        .collect::<Option<Vec<&str>>>()
    else {
        return;
    };
    check_beta_fields(ctx, sink, &sent, Some(list));
}

/// Beta fields whose beta is not among `sent`: the body's `anthropic_beta` list (`list`, which
/// the fix extends) or the betas the code sends.
pub(super) fn check_beta_fields(
    ctx: &Context<'_>,
    sink: &mut Sink<'_>,
    sent: &[&str],
    list: Option<&Node>,
) {
    let payload = ctx.payload;
    let source = match list {
        Some(_) => "`anthropic_beta` does not list",
        None => "the request's betas (`betas`, `anthropic-beta`) do not include",
    };
    for member in payload.root.as_object().unwrap_or_default() {
        let key = member.key.as_str();
        let Some(ParamKind::Beta(needed)) = params::param(key).map(|p| p.kind) else {
            continue;
        };
        // `output_format` has its own rule, which names the beta.
        if key == "output_format" || field(ctx, key).is_none() {
            continue;
        }
        // Betas the configuration or the file declares count as sent; the fix extends only
        // the body's own list.
        let declared = ctx.options.betas.iter().map(String::as_str);
        if sent
            .iter()
            .copied()
            .chain(declared)
            .any(|s| betas::enables(key, needed, s))
        {
            continue;
        }
        let fix = list.map(|list| {
            let mut with_beta: Vec<Json> = sent.iter().map(|s| json!(s)).collect();
            with_beta.push(json!(needed));
            Fix::unsafe_(
                format!("Add `{needed}` to `anthropic_beta`"),
                vec![Edit::replace_value(list, Json::Array(with_beta))],
            )
        });
        sink.report_fix(
            &MISSING_BETA,
            member.key_range,
            format!(
                "`{key}` is a beta field and {source} its beta (`{needed}`): without it the API answers 400 `{}: Extra inputs are not permitted`",
                payload.api_path(key)
            ),
            fix,
        );
    }
}
