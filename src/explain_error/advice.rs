//! What each status means and what to do about it. The retry facts are the SDKs' own
//! (reference §14, checked in the `anthropic` 2.16.0 wheel: `_constants.py` has
//! `DEFAULT_MAX_RETRIES = 2`, `INITIAL_RETRY_DELAY = 0.5`, `MAX_RETRY_DELAY = 8.0`, and
//! `_base_client.py` retries 408, 409, 429 and every 5xx, honouring `retry-after-ms`, then
//! `retry-after`).

use super::parse::ApiError;

/// How the SDKs retry, said once for every status they retry.
pub(crate) const SDK_RETRIES: &str = "The Python and TypeScript SDKs retry this status by themselves: 2 retries by default (`max_retries` / `maxRetries`), waiting as the `retry-after-ms` or `retry-after` header asks, else backing off exponentially from 0.5 s to at most 8 s (with up to 25% jitter); the exception reaches your code only after the last retry. Raw HTTP clients (curl, requests, fetch) retry nothing.";

/// One sentence on what the status or the client-side exception means.
pub(crate) fn meaning(error: &ApiError) -> String {
    if error.is_client_side() {
        return match error.exception.as_deref() {
            Some("APITimeoutError" | "APIConnectionTimeoutError") => {
                "The SDK gave up waiting for an answer (its timeout, 10 minutes by default): no HTTP status came back.".into()
            }
            Some("APIConnectionError") => {
                "The SDK could not reach the API (DNS, proxy, TLS or network): no HTTP status came back.".into()
            }
            _ => "The SDK raised this before sending anything: no request reached the API.".into(),
        };
    }
    let text = match error.status {
        Some(400) => {
            "400 invalid_request_error: the API refused the request's format or content. The message names the field, by its path in the body as sent."
        }
        Some(401) => {
            "401 authentication_error: the API key is missing, malformed or revoked. Nothing in the body is at fault."
        }
        Some(402) => {
            "402 billing_error: a billing problem with the account (credit balance, payment method)."
        }
        Some(403) => {
            "403 permission_error: the key is valid but may not use this resource (a model, a beta, a workspace, a file)."
        }
        Some(404) => {
            "404 not_found_error: the resource does not exist. For a Messages request that is nearly always the model id: retired, misspelt or not available to this account; otherwise the URL path or a file or batch id."
        }
        Some(409) => {
            "409 conflict_error: the request conflicts with the current state of a resource."
        }
        Some(413) => {
            "413 request_too_large: the body is over the endpoint's size limit (32 MB for Messages and count_tokens, 256 MB for Message Batches, 20 MB on Amazon Bedrock, 30 MB on Vertex AI). On the Claude API it may be answered before the API sees the request, as plain text or HTML rather than the JSON error shape."
        }
        Some(429) => {
            "429 rate_limit_error: the organization went over a rate limit (requests, input tokens or output tokens per minute for the model) or an acceleration limit for sudden increases in usage."
        }
        Some(500) => "500 api_error: an unexpected error inside the API.",
        Some(503) => "503: the service is unavailable for a moment.",
        Some(504) => "504 timeout_error: the request took too long to process and was cut off.",
        Some(529) => {
            "529 overloaded_error: the API is temporarily overloaded by traffic across all users."
        }
        Some(status) => {
            return format!(
                "HTTP {status}{}.",
                error
                    .error_type
                    .as_deref()
                    .map(|t| format!(" {t}"))
                    .unwrap_or_default()
            );
        }
        None if error.path().is_some() => {
            "No HTTP status in the text; a message that starts with a body path is a validation error, which the API answers with 400 invalid_request_error (404 for `model: <id>`)."
        }
        None => "No HTTP status in the text.",
    };
    text.into()
}

/// Concrete steps for the status, beyond what the source and the rule say.
pub(crate) fn advice(error: &ApiError, with_request: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut say = |s: &str| out.push(s.to_owned());
    if error.is_client_side() {
        let message = error.message.as_deref().unwrap_or_default();
        if message.contains("Streaming is required") {
            say(
                "The SDK refuses a non-streaming request that may take longer than 10 minutes: `max_tokens` over 21,333 (3600 s x max_tokens / 128,000 > 600 s), or over 8,192 on Claude Opus 4 and 4.1. Use `client.messages.stream(...)` (or `stream=True`), pass an explicit `timeout`, or lower `max_tokens`.",
            );
        } else if matches!(
            error.exception.as_deref(),
            Some("APITimeoutError" | "APIConnectionTimeoutError" | "APIConnectionError")
        ) {
            say(
                "The SDK retries connection errors and timeouts too (2 retries by default). For long generations, stream the response so bytes keep flowing.",
            );
        } else {
            say(
                "Fix the call where the exception was raised: the body was never sent, so the API has not judged it.",
            );
        }
        return out;
    }
    match error.status {
        Some(400) if with_request => {}
        Some(400) => say(
            "Retrying sends the same request and gets the same answer: the SDKs do not retry a 400. Run `claude-preflight explain-error REQUEST_FILE` with the file that holds the request to see the exact place (add `--line N` for the call in a code file), or `claude-preflight check REQUEST_FILE` for everything else the API would refuse.",
        ),
        Some(401) => say(
            "Check the `x-api-key` header (`ANTHROPIC_API_KEY` for the SDKs): the whole key, from the right workspace, not revoked; the SDKs do not retry a 401.",
        ),
        Some(403) => say(
            "Check that the key's workspace and organization may use the model or beta the request asks for; an `error_code` of `organization_not_enrolled_in_beta` names a beta the organization has not joined.",
        ),
        Some(404) => say(
            "Use a model id the API serves (`claude-preflight check` on the request names the closest one and a retired model's successor); check the URL path (`/v1/messages`).",
        ),
        Some(413) => {
            say(
                "Shrink the body: base64 images and PDFs cost many bytes but few tokens, so send them through the Files API or as URLs, or downscale images; split a batch into several.",
            );
            say(
                "`claude-preflight count REQUEST_FILE` shows where the tokens go, message by message, and `check` reports a body over the limit (`request-too-large`) and near it (`request-size-near-limit`).",
            );
        }
        Some(429) => {
            say(SDK_RETRIES);
            say(
                "The `anthropic-ratelimit-*` response headers say which limit ran out and when it resets. Spread requests out, or move bulk work to Message Batches; an `error_code` of `ramp_limit_exceeded` means usage grew too fast: ramp up gradually.",
            );
        }
        Some(500 | 503 | 529) => {
            say(
                "The request itself is probably fine: this is the API's side, and the same request usually succeeds when sent again.",
            );
            say(SDK_RETRIES);
            say(
                "If it keeps happening, retry later with backoff, check the status page (status.anthropic.com), and quote the `request_id` to support.",
            );
        }
        Some(504) => {
            say(
                "The request is probably fine, but it ran long: stream the response (`stream: true` or the SDKs' `stream` helpers) so the connection carries data while the model writes, or lower `max_tokens`.",
            );
            say(SDK_RETRIES);
        }
        _ => {}
    }
    out
}
