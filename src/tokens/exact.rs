//! The opt-in exact count: `POST /v1/messages/count_tokens` with the user's
//! `ANTHROPIC_API_KEY` (reference §9.1). Only `count --exact` calls it: nothing is ever sent
//! otherwise, and the key is never printed.
//!
//! The endpoint is free but rate-limited: 429, 5xx and 529 (overloaded) answers are retried
//! after about 1 s, 3 s and 10 s, or after the `retry-after` the server asks for, then the
//! last answer is reported.

use std::time::Duration;

use serde_json::{Map, Value as Json};

use crate::syntax::Node;

/// The API's address when `ANTHROPIC_BASE_URL` does not name another (as in the SDKs).
pub(crate) const DEFAULT_BASE_URL: &str = "https://api.anthropic.com";

/// The `anthropic-version` header sent: the oldest version whose changes are recorded, under
/// which every field a later version removed is still counted rather than refused.
fn api_version() -> &'static str {
    crate::facts::api::ApiVersion::names()
        .first()
        .copied()
        .unwrap_or_default()
}

/// The waits before the second, third and fourth attempts.
pub(crate) const BACKOFF: [Duration; 3] = [
    Duration::from_secs(1),
    Duration::from_secs(3),
    Duration::from_secs(10),
];

/// The longest `retry-after` honoured; a longer one is cut to it.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// The request fields count_tokens accepts; the others (`max_tokens`, `stream`,
/// `stop_sequences`, `metadata`, sampling parameters...) are dropped from the body.
pub(crate) const COUNT_TOKENS_FIELDS: &[&str] = &[
    "model",
    "messages",
    "system",
    "tools",
    "tool_choice",
    "thinking",
    "output_config",
    "cache_control",
    "speed",
];

/// Why a count failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExactError {
    /// `ANTHROPIC_API_KEY` is not set.
    NoKey,
    /// The body has a value computed at run time, so it cannot be sent.
    Dynamic,
    /// Neither the body nor `--model` names the model.
    NoModel,
    /// The API refused the key (401).
    Unauthorized(String),
    /// The API refused the body (400 and other 4xx).
    Rejected(u16, String),
    /// Still rate-limited, overloaded or failing after every retry.
    GaveUp(u16, String, usize),
    /// The API could not be reached.
    Network(String),
    /// The answer had no `input_tokens`.
    BadAnswer(String),
}

impl std::fmt::Display for ExactError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExactError::NoKey => write!(f, "`--exact` needs ANTHROPIC_API_KEY in the environment"),
            ExactError::Dynamic => write!(
                f,
                "the body has values computed at run time, so it cannot be sent"
            ),
            ExactError::NoModel => write!(
                f,
                "count_tokens needs a model: the body names none, pass `--model`"
            ),
            ExactError::Unauthorized(message) => {
                write!(f, "401: {message} (check ANTHROPIC_API_KEY)")
            }
            ExactError::Rejected(status, message) => write!(f, "{status}: {message}"),
            ExactError::GaveUp(status, message, attempts) => {
                write!(f, "{status}: {message} (gave up after {attempts} attempts)")
            }
            ExactError::Network(message) => write!(f, "cannot reach the API: {message}"),
            ExactError::BadAnswer(body) => write!(f, "unexpected answer: {body}"),
        }
    }
}

/// The count_tokens body for the request `root`: the accepted fields only, with `model`
/// replaced by `model` when given.
pub(crate) fn count_tokens_body(root: &Node, model: Option<&str>) -> Result<Json, ExactError> {
    let Some(Json::Object(fields)) = root.to_json() else {
        return Err(ExactError::Dynamic);
    };
    let mut body: Map<String, Json> = fields
        .into_iter()
        .filter(|(k, _)| COUNT_TOKENS_FIELDS.contains(&k.as_str()))
        .collect();
    if let Some(model) = model {
        body.insert("model".into(), Json::String(model.to_owned()));
    }
    if !body.get("model").is_some_and(Json::is_string) {
        return Err(ExactError::NoModel);
    }
    Ok(Json::Object(body))
}

/// A count_tokens client.
#[derive(Debug, Clone)]
pub struct Client {
    base_url: String,
    api_key: String,
    backoff: Vec<Duration>,
    agent: ureq::Agent,
}

impl Client {
    /// A client for `base_url` (no trailing `/v1`) with `api_key`.
    pub fn new(base_url: &str, api_key: &str) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            api_key: api_key.to_owned(),
            backoff: BACKOFF.to_vec(),
            agent,
        }
    }

    /// A client configured from `ANTHROPIC_API_KEY` and `ANTHROPIC_BASE_URL`.
    pub(crate) fn from_env() -> Result<Self, ExactError> {
        let key = std::env::var("ANTHROPIC_API_KEY")
            .ok()
            .filter(|k| !k.is_empty())
            .ok_or(ExactError::NoKey)?;
        let base = std::env::var("ANTHROPIC_BASE_URL")
            .ok()
            .filter(|b| !b.is_empty())
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        Ok(Self::new(&base, &key))
    }

    /// The same client waiting `backoff` between attempts (tests shorten it).
    pub fn with_backoff(mut self, backoff: Vec<Duration>) -> Self {
        self.backoff = backoff;
        self
    }

    /// Counts the input tokens of `body` (a count_tokens body).
    pub fn count(&self, body: &Json) -> Result<u64, ExactError> {
        let url = format!("{}/v1/messages/count_tokens", self.base_url);
        let payload = body.to_string();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let (status, retry_after, text) = self.post(&url, &payload)?;
            if status == 200 {
                return serde_json::from_str::<Json>(&text)
                    .ok()
                    .and_then(|j| j.get("input_tokens")?.as_u64())
                    .ok_or_else(|| ExactError::BadAnswer(shorten(&text)));
            }
            let message = error_message(&text);
            let retryable = status == 429 || status == 529 || (500..600).contains(&status);
            match self.backoff.get(attempt - 1) {
                Some(&wait) if retryable => {
                    std::thread::sleep(retry_after.map_or(wait, |r| r.min(MAX_RETRY_AFTER)));
                }
                _ if retryable => return Err(ExactError::GaveUp(status, message, attempt)),
                _ if status == 401 => return Err(ExactError::Unauthorized(message)),
                _ => return Err(ExactError::Rejected(status, message)),
            }
        }
    }

    /// One POST: the status, the `retry-after` asked for and the body.
    fn post(
        &self,
        url: &str,
        payload: &str,
    ) -> Result<(u16, Option<Duration>, String), ExactError> {
        let mut response = self
            .agent
            .post(url)
            .header("x-api-key", &self.api_key)
            .header("anthropic-version", api_version())
            .header("content-type", "application/json")
            .send(payload)
            .map_err(|e| ExactError::Network(e.to_string()))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(Duration::from_secs_f64);
        let text = response
            .body_mut()
            .read_to_string()
            .map_err(|e| ExactError::Network(e.to_string()))?;
        Ok((status, retry_after, text))
    }
}

/// The API's `error.type: error.message`, or the raw body when it is not the usual envelope.
fn error_message(body: &str) -> String {
    let parsed: Option<Json> = serde_json::from_str(body).ok();
    let error = parsed.as_ref().and_then(|j| j.get("error"));
    match (
        error.and_then(|e| e.get("type")).and_then(Json::as_str),
        error.and_then(|e| e.get("message")).and_then(Json::as_str),
    ) {
        (Some(kind), Some(message)) => format!("{kind}: {message}"),
        _ => shorten(body),
    }
}

fn shorten(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(300) {
        Some((at, _)) => format!("{}...", &text[..at]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::json::parse;

    #[test]
    fn the_body_keeps_only_what_count_tokens_accepts() {
        let root = parse(
            r#"{"model": "claude-opus-5", "max_tokens": 1024, "stream": true, "temperature": 1, "metadata": {"user_id": "u"}, "system": "Be brief.", "messages": [{"role": "user", "content": "Hi"}]}"#,
            0,
        )
        .root
        .unwrap();
        assert_eq!(
            count_tokens_body(&root, None).unwrap(),
            serde_json::json!({"model": "claude-opus-5", "system": "Be brief.", "messages": [{"role": "user", "content": "Hi"}]})
        );
        let bedrock = parse(
            r#"{"anthropic_version": "bedrock-2023-05-31", "max_tokens": 5, "messages": []}"#,
            0,
        )
        .root
        .unwrap();
        assert_eq!(count_tokens_body(&bedrock, None), Err(ExactError::NoModel));
        assert_eq!(
            count_tokens_body(&bedrock, Some("claude-haiku-4-5")).unwrap(),
            serde_json::json!({"model": "claude-haiku-4-5", "messages": []})
        );
    }

    #[test]
    fn error_bodies_are_read_as_type_and_message() {
        assert_eq!(
            error_message(
                r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#
            ),
            "overloaded_error: Overloaded"
        );
        assert_eq!(
            error_message("<html>bad gateway</html>"),
            "<html>bad gateway</html>"
        );
        assert_eq!(shorten(&"x".repeat(400)).len(), 303);
    }
}
