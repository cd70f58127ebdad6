//! What a message body must be before the server sees it.
//!
//! Every body is checked here in full: UTF-8, JSON syntax, nesting depth, the JSON-RPC shape
//! (`jsonrpc` is `"2.0"`, `method` a string, `id` an integer or a string and null only in an
//! error response) and, last, the deserialization into tower-lsp-server's request or response
//! type, whose result is what the server is handed ([`super::dispatch`]): one parse per body.
//! A lone UTF-16 surrogate escape (`"\ud800"`, which no Rust string can hold) is replaced by
//! `\uFFFD` in place, so a document holding one still opens, with U+FFFD where the surrogate
//! was.

use std::borrow::Cow;

use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use serde_json::error::Category;
use tower_lsp_server::jsonrpc::{Request, Response};

/// The deepest nesting accepted: LSP messages nest a dozen levels, and serde_json stops at
/// 128 (ending the server's stream), so this leaves room for what the server adds.
pub(crate) const MAX_DEPTH: usize = 100;

/// Why a body is refused, and the answer's `id` when the body has a usable one.
#[derive(Debug, PartialEq)]
pub struct Rejection {
    /// `-32700` (not JSON) or `-32600` (JSON, but not a message the server can take).
    pub code: i64,
    /// The error message, starting with "Parse error" or "Invalid request".
    pub message: String,
    /// The request's id, so that the client's pending request is answered.
    pub id: Value,
}

impl Rejection {
    fn parse(problem: impl std::fmt::Display) -> Self {
        Self {
            code: -32700,
            message: format!("Parse error: {problem}"),
            id: Value::Null,
        }
    }

    fn invalid(problem: impl std::fmt::Display, id: Value) -> Self {
        Self {
            code: -32600,
            message: format!("Invalid request: {problem}"),
            id,
        }
    }

    /// The JSON-RPC error response, unframed.
    pub fn answer(&self) -> Vec<u8> {
        let answer = serde_json::json!({
            "jsonrpc": "2.0",
            "error": {"code": self.code, "message": self.message},
            "id": self.id,
        });
        answer.to_string().into_bytes()
    }
}

/// A message the server takes: a request (or notification) for the service, or a client's
/// answer to a request the server sent.
#[derive(Debug)]
pub enum Message {
    /// A request or a notification: it has a `method`.
    Request(Request),
    /// An answer: it has no `method`, and an `id` with a `result` or an `error`.
    Response(Response),
}

/// The message a body holds (with lone surrogates replaced), or why it is refused.
pub fn check(body: &[u8]) -> Result<Message, Rejection> {
    let (text, probe) = checked(body)?;
    let message = match probe.method {
        Some(_) => serde_json::from_str(&text).map(Message::Request),
        None => serde_json::from_str(&text).map(Message::Response),
    };
    message.map_err(|error| Rejection::invalid(error, probe.id()))
}

/// The body's text with lone surrogates replaced, and its top level, when it is a JSON-RPC
/// message that nests no deeper than [`MAX_DEPTH`].
fn checked(body: &[u8]) -> Result<(Cow<'_, str>, Probe), Rejection> {
    let text = std::str::from_utf8(body)
        .map_err(|error| Rejection::parse(format!("the message is not UTF-8 ({error})")))?;
    let (text, depth) = scan(text);
    // One pass reads the top level and checks the syntax of the rest without building it.
    let probe = serde_json::from_str::<Probe>(&text);
    if let Err(error) = &probe
        && error.classify() != Category::Data
    {
        return Err(Rejection::parse(error));
    }
    if !text.trim_start().starts_with('{') {
        return Err(Rejection::invalid(
            "the message is not a JSON object",
            Value::Null,
        ));
    }
    let probe = probe.map_err(|error| Rejection::invalid(error, Value::Null))?;
    if let Some(problem) = probe.problem() {
        return Err(Rejection::invalid(problem, probe.id()));
    }
    if depth > MAX_DEPTH {
        let problem = format!("the message nests deeper than {MAX_DEPTH} levels");
        return Err(Rejection::invalid(problem, probe.id()));
    }
    Ok((text, probe))
}

/// The top-level members of a message, each `Some` when present (even when null); the large
/// ones (`params`, `result`, `error`) are skipped without being built.
#[derive(Deserialize)]
struct Probe {
    #[serde(default, deserialize_with = "present")]
    jsonrpc: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    method: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    id: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    #[expect(dead_code, reason = "read only to reject it twice")]
    params: Option<IgnoredAny>,
    #[serde(default, deserialize_with = "present")]
    result: Option<IgnoredAny>,
    #[serde(default, deserialize_with = "present")]
    error: Option<IgnoredAny>,
}

fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

impl Probe {
    /// The id to answer a refusal with: the message's, when it is one an answer can carry.
    fn id(&self) -> Value {
        match &self.id {
            Some(Value::Number(n)) if n.is_i64() => Value::Number(n.clone()),
            Some(id @ Value::String(_)) => id.clone(),
            _ => Value::Null,
        }
    }

    /// What makes this message one JSON-RPC does not allow.
    fn problem(&self) -> Option<&'static str> {
        if self.jsonrpc != Some(Value::from("2.0")) {
            return Some("`jsonrpc` must be \"2.0\"");
        }
        if self.method.as_ref().is_some_and(|m| !m.is_string()) {
            return Some("`method` must be a string");
        }
        let error_response = self.method.is_none() && self.error.is_some();
        let id_ok = match &self.id {
            None => true,
            Some(Value::Number(n)) => n.is_i64(),
            Some(Value::String(_)) => true,
            Some(Value::Null) => error_response,
            Some(_) => false,
        };
        if !id_ok {
            return Some("`id` must be a number or a string (null only in an error response)");
        }
        let response = self.id.is_some() && (self.result.is_some() != self.error.is_some());
        if self.method.is_none() && !response {
            return Some("a message needs a `method`, or an `id` with a `result` or an `error`");
        }
        None
    }
}

/// Replaces each lone UTF-16 surrogate escape in a string by `\uFFFD` (the same length, so
/// every other byte keeps its place) and measures how deep arrays and objects nest. Syntax
/// errors are left for the parser.
fn scan(text: &str) -> (Cow<'_, str>, usize) {
    let bytes = text.as_bytes();
    let mut lone = Vec::new();
    let (mut depth, mut deepest, mut in_string) = (0usize, 0, false);
    let mut i = 0;
    while i < bytes.len() {
        match (in_string, bytes[i]) {
            (true, b'"') => in_string = false,
            (true, b'\\') => {
                let Some(unit) = escaped_unit(bytes, i) else {
                    i += 2;
                    continue;
                };
                let low_follows = escaped_unit(bytes, i + 6).is_some_and(is_low);
                if is_high(unit) && low_follows {
                    i += 12;
                    continue;
                }
                if is_high(unit) || is_low(unit) {
                    lone.push(i + 2);
                }
                i += 6;
                continue;
            }
            (false, b'"') => in_string = true,
            (false, b'[' | b'{') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (false, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    if lone.is_empty() {
        return (Cow::Borrowed(text), deepest);
    }
    let mut fixed = text.to_owned();
    for at in lone {
        // The four hex digits are ASCII, so these are character boundaries.
        fixed.replace_range(at..at + 4, "FFFD");
    }
    (Cow::Owned(fixed), deepest)
}

/// The code unit of a `\uXXXX` escape starting at `at`.
fn escaped_unit(bytes: &[u8], at: usize) -> Option<u16> {
    let escape = bytes.get(at..at + 6)?;
    if &escape[..2] != b"\\u" {
        return None;
    }
    let hex = std::str::from_utf8(&escape[2..]).ok()?;
    u16::from_str_radix(hex, 16).ok()
}

fn is_high(unit: u16) -> bool {
    (0xD800..0xDC00).contains(&unit)
}

fn is_low(unit: u16) -> bool {
    (0xDC00..0xE000).contains(&unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text the message is read from; the message must deserialize.
    fn passed(body: &str) -> String {
        check(body.as_bytes()).unwrap();
        checked(body.as_bytes()).unwrap().0.into_owned()
    }

    fn refused(body: &str) -> (i64, String, Value) {
        let r = check(body.as_bytes()).unwrap_err();
        (r.code, r.message, r.id)
    }

    #[test]
    fn lone_surrogates_become_replacement_characters_and_pairs_stay() {
        let body = r#"{"jsonrpc": "2.0", "method": "m\ud800", "params": {"\uDC00k": "a\ud83d\ude00\ud83d\\ud800\"\udfff"}}"#;
        assert_eq!(
            passed(body),
            r#"{"jsonrpc": "2.0", "method": "m\uFFFD", "params": {"\uFFFDk": "a\ud83d\ude00\uFFFD\\ud800\"\uFFFD"}}"#
        );
        let clean = r#"{"jsonrpc": "2.0", "method": "m", "params": ["\\", "\u00e9"]}"#;
        assert!(matches!(
            checked(clean.as_bytes()),
            Ok((Cow::Borrowed(_), _))
        ));
    }

    #[test]
    fn a_message_with_a_method_is_a_request_and_one_without_an_answer() {
        let request =
            r#"{"jsonrpc": "2.0", "id": 7, "method": "textDocument/hover", "params": {}}"#;
        let Ok(Message::Request(request)) = check(request.as_bytes()) else {
            panic!("not a request");
        };
        assert_eq!(request.method(), "textDocument/hover");
        let notification = r#"{"jsonrpc": "2.0", "method": "initialized", "params": {}}"#;
        let Ok(Message::Request(notification)) = check(notification.as_bytes()) else {
            panic!("not a notification");
        };
        assert_eq!(notification.id(), None);
        let answer = r#"{"jsonrpc": "2.0", "id": 3, "result": [{"debounce": 50}]}"#;
        let Ok(Message::Response(answer)) = check(answer.as_bytes()) else {
            panic!("not an answer");
        };
        assert!(answer.is_ok());
    }

    #[test]
    fn each_kind_of_bad_message_gets_its_code_and_id() {
        let invalid = |m: &str, id: Value| (-32600, format!("Invalid request: {m}"), id);
        assert_eq!(refused(r#"{"jsonrpc": "2.0", "#).0, -32700);
        assert_eq!(refused("\u{1}").0, -32700);
        assert_eq!(
            check(b"\xff").unwrap_err().message,
            "Parse error: the message is not UTF-8 (invalid utf-8 sequence of 1 bytes from index 0)"
        );
        assert_eq!(
            refused("[1, 2]"),
            invalid("the message is not a JSON object", Value::Null)
        );
        assert_eq!(
            refused(r#"{"jsonrpc": "1.0", "id": "a", "method": "x"}"#),
            invalid("`jsonrpc` must be \"2.0\"", "a".into())
        );
        assert_eq!(
            refused(r#"{"jsonrpc": "2.0", "id": 2, "method": 5}"#),
            invalid("`method` must be a string", 2.into())
        );
        let id_problem = "`id` must be a number or a string (null only in an error response)";
        for id in ["1.5", "null", "[]", "18446744073709551615"] {
            let body = format!(r#"{{"jsonrpc": "2.0", "id": {id}, "method": "x"}}"#);
            assert_eq!(refused(&body), invalid(id_problem, Value::Null), "{id}");
        }
        let shape = "a message needs a `method`, or an `id` with a `result` or an `error`";
        for body in [
            r#"{"jsonrpc": "2.0"}"#,
            r#"{"jsonrpc": "2.0", "result": 1}"#,
            r#"{"jsonrpc": "2.0", "id": 1, "result": 1, "error": {}}"#,
        ] {
            assert_eq!(
                refused(body).1,
                format!("Invalid request: {shape}"),
                "{body}"
            );
        }
        // The message's own braces count; brackets inside strings do not.
        let nested = |levels: usize| {
            format!(
                r#"{{"jsonrpc": "2.0", "id": "d", "method": "x", "params": {}"[\"{{"{}}}"#,
                "[".repeat(levels - 1),
                "]".repeat(levels - 1)
            )
        };
        let deepest = nested(MAX_DEPTH);
        assert_eq!(passed(&deepest), deepest);
        assert_eq!(
            refused(&nested(MAX_DEPTH + 1)),
            invalid("the message nests deeper than 100 levels", "d".into())
        );
        for ok in [
            r#"{"jsonrpc": "2.0", "method": "x", "params": [1]}"#,
            r#"{"jsonrpc": "2.0", "id": 3, "result": null}"#,
            r#"{"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": "x"}}"#,
        ] {
            assert_eq!(passed(ok), ok);
        }
    }
}
