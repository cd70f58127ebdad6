//! Reading an API error in whatever form it was pasted: the JSON error body, a log line that
//! holds one, the Python SDK's exception text (the body as a Python `repr`, single quotes and
//! `None`), the TypeScript SDK's `400 {...}`, or the bare message.

use serde_json::{Map, Value};

/// What an error text says, as far as it says it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ApiError {
    /// The HTTP status, from the text or, failing that, from `error.type` or the SDK exception.
    pub status: Option<u16>,
    /// `error.type`, e.g. `invalid_request_error`.
    pub error_type: Option<String>,
    /// `error.message`, or the message of an exception raised before anything was sent.
    pub message: Option<String>,
    /// `error.details.error_code`, the API's stable machine code.
    pub error_code: Option<String>,
    /// `request_id` (`req_...`), what Anthropic support asks for.
    pub request_id: Option<String>,
    /// The SDK exception class named in the text, e.g. `BadRequestError` or `ValueError`.
    pub exception: Option<String>,
}

/// The SDK exception classes (Python `_exceptions.py`, TypeScript `core/error`) and the status
/// each stands for; `None` for those raised before a response exists.
const EXCEPTIONS: &[(&str, Option<u16>)] = &[
    ("BadRequestError", Some(400)),
    ("AuthenticationError", Some(401)),
    ("PaymentRequiredError", Some(402)),
    ("PermissionDeniedError", Some(403)),
    ("NotFoundError", Some(404)),
    ("ConflictError", Some(409)),
    ("ContentTooLargeError", Some(413)),
    ("RequestTooLargeError", Some(413)),
    ("UnprocessableEntityError", Some(422)),
    ("RateLimitError", Some(429)),
    ("ServiceUnavailableError", Some(503)),
    ("GatewayTimeoutError", Some(504)),
    ("OverloadedError", Some(529)),
    ("InternalServerError", Some(500)),
    ("APITimeoutError", None),
    ("APIConnectionTimeoutError", None),
    ("APIConnectionError", None),
    ("ValueError", None),
    ("TypeError", None),
    ("AnthropicError", None),
];

/// The HTTP status each `error.type` comes with (reference §10.1).
pub(crate) const TYPES: &[(&str, u16)] = &[
    ("invalid_request_error", 400),
    ("authentication_error", 401),
    ("billing_error", 402),
    ("permission_error", 403),
    ("not_found_error", 404),
    ("conflict_error", 409),
    ("request_too_large", 413),
    ("rate_limit_error", 429),
    ("api_error", 500),
    ("timeout_error", 504),
    ("overloaded_error", 529),
];

impl ApiError {
    /// Reads an error text; never fails (an unrecognised text is kept as the message).
    pub(crate) fn parse(text: &str) -> Self {
        let text = text.trim();
        let mut error = ApiError {
            exception: exception(text).map(str::to_owned),
            ..ApiError::default()
        };
        if let Some(body) = error_body(text) {
            let inner = body
                .get("error")
                .and_then(Value::as_object)
                .unwrap_or(&body);
            let string = |map: &Map<String, Value>, key: &str| {
                map.get(key).and_then(Value::as_str).map(str::to_owned)
            };
            error.error_type = string(inner, "type").filter(|t| t != "error");
            error.message = string(inner, "message");
            error.error_code = inner
                .get("details")
                .and_then(|d| d.get("error_code"))
                .and_then(Value::as_str)
                .map(str::to_owned);
            error.request_id = string(&body, "request_id").or_else(|| string(inner, "request_id"));
        } else {
            error.message = bare_message(text, error.exception.as_deref());
        }
        error.request_id = error.request_id.or_else(|| request_id(text));
        error.status = status_in(text)
            .or_else(|| {
                let t = error.error_type.as_deref()?;
                TYPES.iter().find(|(name, _)| *name == t).map(|(_, s)| *s)
            })
            .or_else(|| {
                let e = error.exception.as_deref()?;
                EXCEPTIONS.iter().find(|(name, _)| *name == e)?.1
            });
        if error.error_type.is_none() {
            error.error_type = error
                .status
                .and_then(|s| TYPES.iter().find(|(_, status)| *status == s))
                .map(|(name, _)| (*name).to_owned());
        }
        error
    }

    /// The pydantic-style path the message starts with (`messages.3.content.0.tool_use.id`)
    /// and the problem after it.
    pub(crate) fn path(&self) -> Option<(&str, &str)> {
        split_path(self.message.as_deref()?)
    }

    /// True when an SDK raised it before any request was sent (no status, a client exception).
    pub(crate) fn is_client_side(&self) -> bool {
        self.status.is_none() && self.exception.is_some()
    }
}

/// `messages.0.role: Input should be ...` → (`messages.0.role`, `Input should be ...`).
pub(crate) fn split_path(message: &str) -> Option<(&str, &str)> {
    let (path, problem) = message.split_once(": ")?;
    let segments_ok = path
        .split('.')
        .all(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    let first_ok = path
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    (segments_ok && first_ok).then_some((path, problem))
}

/// The SDK exception class named in the text: `anthropic.BadRequestError: ...`,
/// `BadRequestError: 400 ...`, `ValueError: ...`.
fn exception(text: &str) -> Option<&'static str> {
    EXCEPTIONS.iter().map(|(name, _)| *name).find(|name| {
        text.match_indices(name).any(|(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + name.len()..].chars().next();
            before.is_none_or(|c| !c.is_ascii_alphanumeric())
                && after.is_none_or(|c| !c.is_ascii_alphanumeric())
        })
    })
}

/// The HTTP status written in the text: `Error code: 400`, `400 {...}`, `HTTP/1.1 529`,
/// `status=429`, `status_code: 413`, `"status": 500`.
fn status_in(text: &str) -> Option<u16> {
    let three_digits = |s: &str| -> Option<u16> {
        let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
        (digits.len() == 3 && s[3..].chars().next().is_none_or(|c| !c.is_ascii_digit()))
            .then(|| digits.parse().ok())
            .flatten()
            .filter(|s| (100..600).contains(s))
    };
    let lower = text.to_ascii_lowercase();
    for marker in [
        "error code:",
        "http/1.1",
        "http/2",
        "http/1.0",
        "status_code",
        "status code",
        "status",
    ] {
        for (at, _) in lower.match_indices(marker) {
            let rest = text[at + marker.len()..].trim_start_matches([' ', '=', ':', '"', '\'']);
            if let Some(status) = three_digits(rest) {
                return Some(status);
            }
        }
    }
    // The TypeScript SDK: `400 {"type":"error",...}`, maybe after `BadRequestError: `.
    let typescript = text.match_indices('{').find_map(|(at, _)| {
        let before = text[..at].trim_end();
        let start = before.len().checked_sub(3)?;
        let word_start = before
            .get(..start)?
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_ascii_alphanumeric());
        word_start.then(|| three_digits(&before[start..]))?
    });
    // A status line's code and reason phrase, as a proxy's HTML page has it:
    // `413 Request Entity Too Large`, `529 Overloaded`.
    typescript.or_else(|| {
        text.char_indices().find_map(|(at, _)| {
            let word_start = text[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_ascii_alphanumeric());
            let status = three_digits(text.get(at..)?).filter(|s| *s >= 400)?;
            let reason = text.get(at + 3..)?.strip_prefix(' ')?;
            (word_start && reason.starts_with(|c: char| c.is_ascii_uppercase())).then_some(status)
        })
    })
}

/// The first `req_...` id in the text.
fn request_id(text: &str) -> Option<String> {
    let at = text.find("req_")?;
    let id: String = text[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (id.len() > 4).then_some(id)
}

/// The message of a text without an error body: what follows the exception name (minus an
/// `Error code: N - ` prefix), or the line that starts with a request path, or the whole text.
fn bare_message(text: &str, exception: Option<&str>) -> Option<String> {
    let mut message = text;
    if let Some(name) = exception
        && let Some(at) = text.find(name)
    {
        message = text[at + name.len()..].trim_start_matches([':', ' ']);
    }
    let path_start = message.char_indices().find_map(|(at, c)| {
        let starts_word = at == 0 || message[..at].ends_with([' ', '\t', '"', '\'', '\n']);
        (starts_word && c.is_ascii_alphabetic())
            .then(|| split_path(&message[at..]))
            .flatten()
            .filter(|(path, _)| {
                let first = path.split('.').next().unwrap_or_default();
                crate::facts::params::param(first).is_some()
                    || first == "requests"
                    || first == "params"
            })
            .map(|_| at)
    });
    if let Some(at) = path_start {
        // A message quoted in a log line loses its closing quote.
        let quote = message[..at]
            .chars()
            .next_back()
            .filter(|c| *c == '"' || *c == '\'');
        message = &message[at..];
        message = message.lines().next().unwrap_or(message);
        if let Some(quote) = quote {
            message = message.strip_suffix(quote).unwrap_or(message);
        }
    }
    let message = message.trim();
    (!message.is_empty()).then(|| message.to_owned())
}

/// The first object in the text that is an API error body (`{"type": "error", "error": {...}}`)
/// or an error object (`{"type": ..., "message": ...}`), in JSON or Python literal syntax.
fn error_body(text: &str) -> Option<Map<String, Value>> {
    text.match_indices('{').find_map(|(at, _)| {
        let Value::Object(map) = Literal::new(&text[at..]).value(0)? else {
            return None;
        };
        let is_error = map.get("error").is_some_and(Value::is_object)
            || (map.contains_key("message") && map.contains_key("type"));
        is_error.then_some(map)
    })
}

/// The deepest nesting read in an error body; deeper text is not an error body.
const MAX_DEPTH: usize = 32;

/// A reader for JSON and Python literals (`'single'` and `"double"` strings, `None`, `True`,
/// `False`): the two ways an error body is printed.
struct Literal<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Literal<'a> {
    fn new(text: &'a str) -> Self {
        Self { text, at: 0 }
    }

    fn skip_space(&mut self) {
        let rest = &self.text[self.at..];
        self.at += rest.len() - rest.trim_start().len();
    }

    fn eat(&mut self, token: &str) -> bool {
        self.skip_space();
        let found = self.text[self.at..].starts_with(token);
        if found {
            self.at += token.len();
        }
        found
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_space();
        let rest = &self.text[self.at..];
        let first = rest.chars().next()?;
        match first {
            '{' => {
                self.at += 1;
                let mut map = Map::new();
                if self.eat("}") {
                    return Some(Value::Object(map));
                }
                loop {
                    self.skip_space();
                    let Some(Value::String(key)) = self.value(depth + 1) else {
                        return None;
                    };
                    if !self.eat(":") {
                        return None;
                    }
                    map.insert(key, self.value(depth + 1)?);
                    if self.eat("}") {
                        return Some(Value::Object(map));
                    }
                    if !self.eat(",") {
                        return None;
                    }
                    if self.eat("}") {
                        return Some(Value::Object(map));
                    }
                }
            }
            '[' => {
                self.at += 1;
                let mut items = Vec::new();
                if self.eat("]") {
                    return Some(Value::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    if self.eat("]") {
                        return Some(Value::Array(items));
                    }
                    if !self.eat(",") {
                        return None;
                    }
                }
            }
            '"' | '\'' => self.string(first).map(Value::String),
            _ => {
                let word: &str = &rest[..rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || "+-.".contains(c)))
                    .unwrap_or(rest.len())];
                self.at += word.len();
                match word {
                    "null" | "None" => Some(Value::Null),
                    "true" | "True" => Some(Value::Bool(true)),
                    "false" | "False" => Some(Value::Bool(false)),
                    _ => serde_json::from_str::<serde_json::Number>(word)
                        .ok()
                        .map(Value::Number),
                }
            }
        }
    }

    /// A string quoted with `quote`, with JSON's and Python's escapes decoded.
    fn string(&mut self, quote: char) -> Option<String> {
        let mut out = String::new();
        let mut chars = self.text[self.at + 1..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                c if c == quote => {
                    self.at += 1 + i + 1;
                    return Some(out);
                }
                '\\' => {
                    let (_, escaped) = chars.next()?;
                    match escaped {
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        'u' | 'x' => {
                            let len = if escaped == 'u' { 4 } else { 2 };
                            let hex: String = (0..len)
                                .filter_map(|_| chars.next().map(|(_, c)| c))
                                .collect();
                            let code = u32::from_str_radix(&hex, 16).ok()?;
                            out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
                        }
                        other => out.push(other),
                    }
                }
                c => out.push(c),
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_sdk_exception_text() {
        let text = r#"anthropic.BadRequestError: Error code: 400 - {'type': 'error', 'error': {'type': 'invalid_request_error', 'message': "messages.0.role: Input should be 'user' or 'assistant'"}, 'request_id': 'req_011CabcDEF'}"#;
        let error = ApiError::parse(text);
        assert_eq!(error.status, Some(400));
        assert_eq!(error.error_type.as_deref(), Some("invalid_request_error"));
        assert_eq!(error.request_id.as_deref(), Some("req_011CabcDEF"));
        assert_eq!(error.exception.as_deref(), Some("BadRequestError"));
        assert_eq!(
            error.path(),
            Some(("messages.0.role", "Input should be 'user' or 'assistant'"))
        );
    }

    #[test]
    fn typescript_sdk_and_json_bodies() {
        let text = r#"BadRequestError: 400 {"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: Field required","details":{"error_code":"x_code"}},"request_id":"req_1"}"#;
        let error = ApiError::parse(text);
        assert_eq!(error.status, Some(400));
        assert_eq!(error.error_code.as_deref(), Some("x_code"));
        assert_eq!(error.path(), Some(("max_tokens", "Field required")));
        let overloaded = ApiError::parse(
            r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
        );
        assert_eq!(overloaded.status, Some(529));
        assert!(!overloaded.is_client_side());
    }

    #[test]
    fn bare_messages_log_lines_and_client_side_errors() {
        let log = ApiError::parse(
            "2026-12-03 12:00:01 ERROR request failed: messages.2.content.0.tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'\nmore",
        );
        assert_eq!(
            log.path().map(|p| p.0),
            Some("messages.2.content.0.tool_use.id")
        );
        let client = ApiError::parse(
            "ValueError: Streaming is required for operations that may take longer than 10 minutes.",
        );
        assert!(client.is_client_side());
        assert_eq!(client.status, None);
        assert_eq!(
            client.message.as_deref(),
            Some("Streaming is required for operations that may take longer than 10 minutes.")
        );
        let http = ApiError::parse("HTTP/1.1 429 Too Many Requests");
        assert_eq!(
            (http.status, http.error_type.as_deref()),
            (Some(429), Some("rate_limit_error"))
        );
        assert_eq!(
            split_path("prompt is too long: 200049 tokens > 200000 maximum"),
            None
        );
    }

    #[test]
    fn any_text_is_read_without_panicking() {
        let deep = "{".repeat(100);
        for text in [
            "",
            "é{ 400 ü {",
            "😀{'a': '\\",
            "{'message': 'x\\u12'}",
            deep.as_str(),
            "status: 4é0 HTTP/1.1 9",
            "messages.: x",
        ] {
            let error = ApiError::parse(text);
            assert_eq!(error.status, None, "{text}");
        }
        let none = ApiError::parse(
            "Error code: 400 - {'type': 'error', 'error': {'type': 'invalid_request_error', 'message': None}}",
        );
        assert_eq!((none.status, none.message), (Some(400), None));
    }
}
