//! The HTTP headers written beside a body (a curl command): authentication,
//! `anthropic-version`, `content-type` and `anthropic-beta` (reference §1.1, §1.5). SDK calls
//! carry no headers here: their client sends the required ones.

use super::registry::declare_rules;
use super::{Context, Sink};
use crate::extract::code::{Call, Header};
use crate::facts::api::{self, ApiVersion};
use crate::facts::betas;
use crate::syntax::Value;
use crate::words::list;

declare_rules! {
    family: "http";
    prefix: "W";
    /// ## What it does
    /// Reports a request sent without an `x-api-key` header and without an `Authorization`
    /// header.
    ///
    /// ## Why
    /// Every request must say who sends it: the API answers 401 `authentication_error`
    /// (`x-api-key header is required`) before it reads the body.
    ///
    /// ## Example
    /// ```sh
    /// curl https://api.anthropic.com/v1/messages -H 'anthropic-version: {api.version.oldest}' -H 'content-type: application/json' -d '{...}'
    /// ```
    MISSING_API_KEY { code: "101", name: "missing-api-key", severity: Error, fix: None }

    /// ## What it does
    /// Reports a request sent without an `anthropic-version` header.
    ///
    /// ## Why
    /// The header is required on every request: the API answers 400
    /// `anthropic-version: header is required`.
    ///
    /// ## Example
    /// ```sh
    /// curl https://api.anthropic.com/v1/messages -H "x-api-key: $ANTHROPIC_API_KEY" -H 'content-type: application/json' -d '{...}'
    /// ```
    MISSING_ANTHROPIC_VERSION { code: "102", name: "missing-anthropic-version", severity: Error, fix: None }

    /// ## What it does
    /// Reports an `anthropic-version` header with a value the API does not know (it knows
    /// {api.version.all}).
    ///
    /// ## Why
    /// The API answers 400 `invalid_request_error` for a version it does not know. A date in
    /// another format (`2023-6-1`) or a Bedrock or Vertex body version (`{api.platform.bedrock.body_version}`)
    /// is a common slip.
    ///
    /// ## Example
    /// ```sh
    /// curl https://api.anthropic.com/v1/messages -H 'anthropic-version: 2024-01-01' ...
    /// ```
    UNKNOWN_ANTHROPIC_VERSION { code: "103", name: "unknown-anthropic-version", severity: Error, fix: None }

    /// ## What it does
    /// Reports a JSON body sent without `content-type: application/json`, or with another
    /// content type.
    ///
    /// ## Why
    /// `curl -d` sends `application/x-www-form-urlencoded` unless told otherwise; the API reads
    /// the body as JSON only when the content type says so (a charset other than UTF-8 is
    /// rejected with `unsupported_charset`). `--json` sets the header itself.
    ///
    /// ## Example
    /// ```sh
    /// curl https://api.anthropic.com/v1/messages -H "x-api-key: $ANTHROPIC_API_KEY" -H 'anthropic-version: {api.version.oldest}' -d '{...}'
    /// ```
    CONTENT_TYPE { code: "104", name: "content-type", severity: Warning, fix: None }

    /// ## What it does
    /// Reports deprecated values in an `anthropic-beta` header: `prompt-caching-2024-07-31`,
    /// `pdfs-2024-09-25`, `token-counting-2024-11-01` and the others the SDKs deprecate, and
    /// betas of retired models.
    ///
    /// ## Why
    /// Their features are generally available (or their models retired): the API still
    /// accepts the values, but they do nothing and the SDKs are removing them.
    ///
    /// ## Example
    /// ```sh
    /// curl https://api.anthropic.com/v1/messages -H 'anthropic-beta: prompt-caching-2024-07-31' ...
    /// ```
    DEPRECATED_BETA_HEADER { code: "105", name: "deprecated-beta-header", severity: Warning, fix: None }
}

/// Checks the headers of one payload found in a curl command.
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let payload = ctx.payload;
    let Some(call) = payload.call else {
        return;
    };
    let Some(headers) = &call.headers else {
        return;
    };
    // The envelope of a batch carries the headers; its requests do not.
    if payload.kind == crate::extract::PayloadKind::BatchItem {
        return;
    }
    // A header whose name the shell splices in, or headers read from a file, may be any.
    let complete = !headers
        .iter()
        .any(|h| h.name.is_empty() || h.name.contains(crate::syntax::embed::SPLICE));
    if complete && call.header("x-api-key").is_none() && call.header("authorization").is_none() {
        sink.report(
            &MISSING_API_KEY,
            call.range,
            "no `x-api-key` (or `Authorization`) header: the API answers 401 `authentication_error` (`x-api-key header is required`)",
        );
    }
    check_version(call, complete, sink);
    check_content_type(call, complete, sink);
    if let Some(header) = call.header("anthropic-beta") {
        check_betas(header, sink);
    }
}

fn check_version(call: &Call, complete: bool, sink: &mut Sink<'_>) {
    let Some(header) = call.header("anthropic-version") else {
        if complete {
            sink.report(
                &MISSING_ANTHROPIC_VERSION,
                call.range,
                "no `anthropic-version` header: the API answers 400 `anthropic-version: header is required`",
            );
        }
        return;
    };
    let Value::String(version) = &header.value.value else {
        return;
    };
    let version = version.trim();
    if api::versions().iter().any(|v| v.name == version) {
        return;
    }
    let hint = if version.starts_with("bedrock-") || version.starts_with("vertex-") {
        " (that is a Bedrock or Vertex body's `anthropic_version`, not the Claude API's header)"
    } else {
        ""
    };
    sink.report(
        &UNKNOWN_ANTHROPIC_VERSION,
        header.value.range,
        format!(
            "`{version}` is not an API version: the API answers 400 `invalid_request_error`; send {}{hint}",
            list(ApiVersion::names())
        ),
    );
}

fn check_content_type(call: &Call, complete: bool, sink: &mut Sink<'_>) {
    match call.header("content-type") {
        None if complete => sink.report(
            &CONTENT_TYPE,
            call.range,
            "no `content-type` header: curl sends `-d` data as `application/x-www-form-urlencoded`, and the API expects `application/json` (add `-H 'content-type: application/json'` or use `--json`)",
        ),
        Some(Header {
            value:
                crate::syntax::Node {
                    value: Value::String(kind),
                    range,
                },
            ..
        }) => {
            let lower = kind.to_ascii_lowercase();
            let media = lower.split(';').next().unwrap_or_default().trim();
            let charset = lower
                .split(';')
                .skip(1)
                .filter_map(|p| p.trim().strip_prefix("charset="))
                .next()
                .map(|c| c.trim_matches('"'));
            if media != "application/json" {
                sink.report(
                    &CONTENT_TYPE,
                    *range,
                    format!("`content-type: {kind}`: the API reads the body as JSON only with `application/json`"),
                );
            } else if let Some(charset) =
                charset.filter(|c| !matches!(*c, "utf-8" | "utf8" | "iso-8859-1" | "us-ascii"))
            {
                sink.report(
                    &CONTENT_TYPE,
                    *range,
                    format!("`charset={charset}` is not one the API reads: it answers 400 `unsupported_charset` (send UTF-8)"),
                );
            }
        }
        _ => {}
    }
}

fn check_betas(header: &Header, sink: &mut Sink<'_>) {
    let Value::String(list) = &header.value.value else {
        return;
    };
    for name in list.split(',').map(str::trim) {
        if let Some(beta) = betas::deprecated(name) {
            sink.report(
                &DEPRECATED_BETA_HEADER,
                header.value.range,
                format!(
                    "`{}` is a deprecated beta: {}; the API still accepts it, but it does nothing and the SDKs are removing it",
                    beta.name, beta.why
                ),
            );
        }
    }
}
