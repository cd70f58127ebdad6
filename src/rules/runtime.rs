//! What happens to a request at run time, before and after the API sees it: the SDK refusing a
//! long non-streaming request, retries turned off, raw HTTP calls that retry nothing, and
//! timeouts shorter than the response they wait for. The numbers come from `data/sdk.toml`
//! (the SDKs' own source, cited there); the facts about the call (streaming method, timeout
//! and retry options, the HTTP library) from the extractors. Only requests found in code have
//! them, so these rules never speak about JSON or YAML files.

use super::registry::declare_rules;
use super::{Context, Sink};
use crate::extract::PayloadKind;
use crate::extract::code::{Runtime, Sdk, Setting};
use crate::facts::sdk;
use crate::fix::{Edit, Fix};
use crate::syntax::{Node, Value};
use crate::words::thousands;

declare_rules! {
    family: "runtime";
    prefix: "E";
    /// ## What it does
    /// Reports a non-streaming `messages.create` (or Python's `messages.parse`) that the SDK
    /// refuses before sending: its `max_tokens` implies more than 10 minutes, by the SDK's own
    /// estimate of 3,600 seconds per 128,000 tokens (so more than 21,333 tokens), or is above
    /// the SDK's per-model ceiling for non-streaming requests (`MODEL_NONSTREAMING_TOKENS`:
    /// 8,192 for the Claude Opus 4 and 4.1 ids listed there). Calls with `stream=True`,
    /// `messages.stream(...)` and calls with a `timeout` (on the call, on the client or through
    /// `with_options`/`withOptions`) are not refused, and neither is a call whose client is
    /// made elsewhere (its timeout is not known here).
    ///
    /// ## Why
    /// The request never reaches the API: the Python SDK raises `ValueError("Streaming is
    /// required for operations that may take longer than 10 minutes. ...")` and the TypeScript
    /// SDK throws `AnthropicError` with the same words. Sources: `anthropic` 2.16.0
    /// `_base_client.py` `_calculate_nonstreaming_timeout`, `resources/messages/messages.py`
    /// `Messages.create` and `Messages.parse`, `_constants.py` `MODEL_NONSTREAMING_TOKENS`;
    /// `@anthropic-ai/sdk` 1.16.0 `src/client.ts` `calculateNonstreamingTimeout`,
    /// `src/resources/messages/messages.ts` `Messages.create`, `src/internal/constants.ts`.
    ///
    /// ## Example
    /// ```python
    /// client = anthropic.Anthropic()
    /// message = client.messages.create(model="claude-opus-5", max_tokens=64000, messages=[...])
    /// ```
    ///
    /// ## Fix
    /// Stream long requests (`with client.messages.stream(...) as stream:` and
    /// `stream.get_final_message()`; `client.messages.stream({...}).finalMessage()` in
    /// TypeScript), which returns the same message. In Python, the fix offered (unsafe) instead
    /// gives the call an explicit `timeout` of the SDK's own estimate for its `max_tokens` (at
    /// least 600 seconds): the SDK then sends it, and waits that long for a response.
    STREAMING_REQUIRED { code: "101", name: "streaming-required", severity: Error, fix: Unsafe }

    /// ## What it does
    /// Reports `max_retries=0` (Python) or `maxRetries: 0` (TypeScript) on the client, in
    /// `with_options`/`withOptions` or in a call's request options, when it is the setting in
    /// force for a request in the file.
    ///
    /// ## Why
    /// The SDKs retry twice by default, with exponential backoff from 0.5 s to 8 s that honours
    /// the `retry-after-ms` and `retry-after` headers, on 408, 409, 429 (`rate_limit_error`)
    /// and every 5xx, including 500 (`api_error`) and 529 (`overloaded_error`). With retries
    /// off, each of those transient failures surfaces to the user. Sources: `anthropic`
    /// 2.16.0 `_constants.py` (`DEFAULT_MAX_RETRIES`, `INITIAL_RETRY_DELAY`,
    /// `MAX_RETRY_DELAY`), `_base_client.py` `_calculate_retry_timeout` and `_should_retry`;
    /// `@anthropic-ai/sdk` 1.16.0 `src/client.ts` `shouldRetry` and `retryRequest`.
    ///
    /// ## Example
    /// ```python
    /// client = anthropic.Anthropic(max_retries=0)
    /// ```
    RETRIES_DISABLED { code: "102", name: "retries-disabled", severity: Warning, fix: None }

    /// ## What it does
    /// Reports a request to the Claude API (`https://api.anthropic.com/v1/messages`), to
    /// Bedrock's `invoke` or to Vertex AI's `rawPredict` sent with a plain HTTP library
    /// (Python `requests`, `httpx`, `aiohttp`, `urllib`; JavaScript `fetch`, `axios`) when
    /// the file shows no retry around it: no loop around the call, and no retry library or
    /// option anywhere in the file (tenacity, backoff, urllib3's `Retry`, an `HTTPAdapter` with
    /// `max_retries`, httpx transport `retries`, axios-retry, p-retry, interceptors, a sleep
    /// between attempts). The URL must be written as a literal; when in doubt it says nothing.
    ///
    /// ## Why
    /// Plain HTTP libraries retry nothing, so 429 (`rate_limit_error`), 500 (`api_error`) and
    /// 529 (`overloaded_error`) fail outright, where the SDKs would have retried them twice
    /// with backoff, waiting as the `retry-after` header asks (`anthropic` 2.16.0
    /// `_base_client.py` `_should_retry`, `_calculate_retry_timeout`).
    ///
    /// ## Example
    /// ```python
    /// response = requests.post("https://api.anthropic.com/v1/messages", headers=headers, json=body)
    /// ```
    RAW_HTTP_WITHOUT_RETRY { code: "103", name: "raw-http-without-retry", severity: Warning, fix: None }

    /// ## What it does
    /// Reports a `timeout` (on the call, through `with_options`/`withOptions` or on the
    /// client) shorter than the time the SDK itself expects a non-streaming response of
    /// `max_tokens` tokens to take: 3,600 seconds per 128,000 tokens.
    ///
    /// ## Why
    /// A response that uses most of `max_tokens` may still be generating when the timeout
    /// fires; the SDK then retries it (a timeout is retried) and the time and tokens are spent
    /// again. The estimate is the SDK's worst case, not a measurement, so this is advice.
    /// Source: `anthropic` 2.16.0 `_base_client.py` `_calculate_nonstreaming_timeout`.
    ///
    /// ## Example
    /// ```python
    /// client.messages.create(model="claude-opus-5", max_tokens=8192, messages=[...], timeout=30)
    /// ```
    TIMEOUT_TOO_SHORT { code: "104", name: "timeout-too-short", severity: Info, fix: None }
}

/// Checks one payload found in code.
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(call) = ctx.payload.call else {
        return;
    };
    if let Some(raw) = &call.raw_http {
        if !raw.retried {
            let retries = &sdk::facts(Sdk::Python).retries;
            sink.report(
                &RAW_HTTP_WITHOUT_RETRY,
                call.range,
                format!(
                    "this `{}` request is not retried: 429 (`rate_limit_error`), 500 (`api_error`) and 529 (`overloaded_error`) fail outright; retry them with backoff, waiting as the `retry-after` header asks (the SDKs retry {} times, backing off from {} s to {} s)",
                    raw.library, retries.max_retries, retries.initial_delay, retries.max_delay
                ),
            );
        }
        return;
    }
    let Some(runtime) = &call.runtime else {
        return;
    };
    if let Setting::Set {
        range,
        value: Some(retries),
    } = runtime.max_retries
        && retries == 0.0
    {
        sink.report(
            &RETRIES_DISABLED,
            range,
            format!(
                "retries are off: 429 (`rate_limit_error`), 500 (`api_error`) and 529 (`overloaded_error`) reach the caller at once, where the SDK would retry them {} times with backoff, as `retry-after` asks",
                sdk::facts(runtime.sdk).retries.max_retries
            ),
        );
    }
    if ctx.payload.kind != PayloadKind::Messages || runtime.streams || ctx.payload.root.has_spread()
    {
        return;
    }
    let root = ctx.payload.root;
    let not_streamed = match root.get("stream").map(|s| &s.value) {
        None | Some(Value::Bool(false)) => true,
        Some(_) => false,
    };
    let Some(max_tokens) = root.get("max_tokens").and_then(Node::as_u64) else {
        return;
    };
    if !not_streamed {
        return;
    }
    let rule = &sdk::facts(runtime.sdk).nonstreaming;
    let expected = rule.expected_seconds(max_tokens);
    match runtime.timeout {
        Setting::Default => refused(ctx, runtime, max_tokens, sink),
        Setting::Set {
            range,
            value: Some(seconds),
        } if seconds > 0.0 && seconds < expected => sink.report(
            &TIMEOUT_TOO_SHORT,
            range,
            format!(
                "a timeout of {} s may cut off a response of up to {} tokens: the SDK expects up to {} s for it ({} s per {} tokens); a timed-out request is retried, and its time spent again",
                seconds_text(seconds),
                thousands(max_tokens),
                seconds_text(expected.ceil()),
                thousands(rule.max_seconds),
                thousands(rule.per_tokens),
            ),
        ),
        _ => {}
    }
}

/// Reports a call the SDK refuses, if it is one.
fn refused(ctx: &Context<'_>, runtime: &Runtime, max_tokens: u64, sink: &mut Sink<'_>) {
    let facts = sdk::facts(runtime.sdk);
    let rule = &facts.nonstreaming;
    let model = ctx.payload.model_id();
    let limit = rule.limit(model);
    if max_tokens <= limit {
        return;
    }
    let Some(node) = ctx.payload.root.get("max_tokens") else {
        return;
    };
    let by_model = rule.limit(None) > limit;
    let (sdk_name, thrown) = match runtime.sdk {
        Sdk::Python => ("Python", "raises `ValueError"),
        Sdk::TypeScript => ("TypeScript", "throws `AnthropicError"),
    };
    let sdk_name = format!("the {sdk_name} SDK (`{}` {})", facts.package, facts.version);
    let why = match model {
        Some(model) if by_model => format!(
            "{sdk_name} sends at most {} tokens to `{model}` without streaming",
            thousands(limit)
        ),
        _ => format!(
            "{sdk_name} expects {} s for it ({} s per {} tokens), over its {}-second default",
            seconds_text(rule.expected_seconds(max_tokens).ceil()),
            thousands(rule.max_seconds),
            thousands(rule.per_tokens),
            rule.default_seconds
        ),
    };
    let seconds = rule
        .expected_seconds(max_tokens)
        .ceil()
        .max(rule.default_seconds as f64);
    let fix = match runtime.sdk {
        // A keyword argument of the call: Python's `timeout` is in seconds.
        Sdk::Python => Some(Fix::unsafe_(
            format!("Add `timeout={}`", seconds_text(seconds)),
            vec![Edit::insert_member(
                ctx.payload.root,
                "timeout",
                serde_json::json!(seconds as u64),
            )],
        )),
        Sdk::TypeScript => None,
    };
    sink.report_fix(
        &STREAMING_REQUIRED,
        node.range,
        format!(
            "`max_tokens: {}` without streaming: {why}, so it {thrown}(\"Streaming is required for operations that may take longer than 10 minutes. ...\")` before sending; stream it (`messages.stream`) or give the call a `timeout`",
            thousands(max_tokens)
        ),
        fix,
    );
}

/// Seconds as written in messages: whole numbers without a fraction.
fn seconds_text(seconds: f64) -> String {
    if seconds.fract() == 0.0 {
        format!("{}", seconds as u64)
    } else {
        format!("{seconds}")
    }
}
