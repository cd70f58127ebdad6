//! Recorded HTTP traffic: the requests a test suite recorded to Claude endpoints, in VCR
//! cassettes (vcrpy and pytest-recording, YAML or JSON: `interactions`; Ruby VCR:
//! `http_interactions`), HAR files and Polly.js recordings (`log.entries`), and nock
//! recordings (a JSON array of `{scope, method, path, body}`).
//!
//! A file is a recording when it has one of these shapes and one of its requests is a `POST`
//! to a Claude endpoint (the Claude API's Messages, count_tokens and Message Batches, Bedrock's
//! `invoke`, Vertex AI's `rawPredict`); then each such request is a document of its own, and
//! requests to other hosts are not read. A body stored as a string (a JSON string, a YAML
//! quoted or literal block scalar) is decoded with its ranges mapped back, so findings point
//! into the string and fixes are written back in its quoting; a body stored parsed (`body` as
//! a mapping, `parsed_body`) is checked where it is. A body the recorder encoded (base64,
//! gzip, `!!binary`) is not read, and the discovery note says so.
//!
//! The recorded headers travel with the body as curl's do: `anthropic-version` sets the API
//! version in force, `anthropic-beta` the betas, and every value is scanned for keys. Recorders
//! drop headers (`filter_headers`), so no header is taken to be missing.

use std::sync::Arc;

use super::PayloadKind;
use super::code::{self, Call, Header};
use super::files::{Document, json_len};
use crate::facts::Dialect;
use crate::fix::Host;
use crate::syntax::embed::Decoded;
use crate::syntax::{Node, Value, quoted};

/// The note for a body the recorder stored in a form this tool does not read.
const UNDECODED: &str = "body stored as a string it could not decode";

/// The recorders whose files are read.
#[derive(Debug, Clone, Copy)]
enum Format {
    /// vcrpy and pytest-recording: `interactions`.
    Vcr,
    /// Ruby's VCR: `http_interactions`.
    RubyVcr,
    /// An HTTP Archive: `log.entries`.
    Har,
    /// A Polly.js recording: a HAR with `log._recordingName`.
    Polly,
    /// nock's recorder: an array of `{scope, method, path, body}`.
    Nock,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Vcr | Format::RubyVcr => "VCR cassette",
            Format::Har => "HAR file",
            Format::Polly => "Polly.js recording",
            Format::Nock => "nock recording",
        }
    }
}

/// One recorded request, as the recording writes it.
struct Recorded<'a> {
    method: Option<&'a str>,
    url: String,
    /// Where the URL (or its path) is written.
    url_node: &'a Node,
    body: Option<&'a Node>,
    /// The recorder says the body is encoded (Ruby VCR's `base64_string`, a HAR's `encoding`).
    encoded: bool,
    headers: Vec<Header>,
}

/// The documents of a recording whose root value is `root`: `None` when the value is not a
/// recording with a request to a Claude endpoint, so that the file is read as any other.
pub(crate) fn extract(text: &str, root: &Node, host: Host) -> Option<Vec<Document>> {
    let (format, requests) = recorded(root)?;
    let mut claude = requests
        .into_iter()
        .enumerate()
        .filter(|(_, r)| {
            r.method
                .is_none_or(|m| m.trim().eq_ignore_ascii_case("post"))
        })
        .filter_map(|(i, r)| Some((i, endpoint(&r.url)?, r)))
        .peekable();
    claude.peek()?;
    Some(
        claude
            .map(|(i, endpoint, r)| document(text, host, format, i, endpoint, r))
            .collect(),
    )
}

/// The recording's format and its requests, when `root` has a recording's shape.
fn recorded(root: &Node) -> Option<(Format, Vec<Recorded<'_>>)> {
    if let Some(items) = root.as_array() {
        let first = items.first()?;
        first.get("scope")?.as_str()?;
        return Some((Format::Nock, items.iter().filter_map(nock).collect()));
    }
    if let Some(interactions) = root.get("interactions").and_then(Node::as_array) {
        let requests = interactions.iter().filter_map(|i| vcr(i.get("request")?));
        return Some((Format::Vcr, requests.collect()));
    }
    if let Some(interactions) = root.get("http_interactions").and_then(Node::as_array) {
        let requests = interactions.iter().filter_map(|i| vcr(i.get("request")?));
        return Some((Format::RubyVcr, requests.collect()));
    }
    let log = root.get("log")?;
    let entries = log.get("entries")?.as_array()?;
    let format = if log.get("_recordingName").is_some() {
        Format::Polly
    } else {
        Format::Har
    };
    Some((format, entries.iter().filter_map(har).collect()))
}

/// A VCR request: `{method, uri, body, headers}`, the body a string, `{string}` (Ruby),
/// `{base64_string}`, or stored parsed (a mapping, or `parsed_body`).
fn vcr(request: &Node) -> Option<Recorded<'_>> {
    let url_node = request.get("uri")?;
    let mut body = request.get("parsed_body").or_else(|| request.get("body"));
    let mut encoded = false;
    if let Some(stored) = body.filter(|b| b.get("string").is_some() || b.get("encoding").is_some())
    {
        body = stored.get("string");
        if let Some(base64) = stored.get("base64_string") {
            (body, encoded) = (Some(base64), true);
        }
    }
    Some(Recorded {
        method: request.get("method").and_then(Node::as_str),
        url: url_node.as_str()?.to_owned(),
        url_node,
        body,
        encoded,
        headers: named_headers(request.get("headers")),
    })
}

/// A HAR entry's request: `{method, url, headers: [{name, value}], postData: {text}}`.
fn har(entry: &Node) -> Option<Recorded<'_>> {
    let request = entry.get("request")?;
    let url_node = request.get("url")?;
    let data = request.get("postData");
    let headers = request
        .get("headers")
        .and_then(Node::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(|h| {
            Some(Header {
                name: h.get("name")?.as_str()?.to_ascii_lowercase(),
                range: h.range,
                value: h.get("value")?.clone(),
            })
        })
        .collect();
    Some(Recorded {
        method: request.get("method").and_then(Node::as_str),
        url: url_node.as_str()?.to_owned(),
        url_node,
        body: data.and_then(|d| d.get("text")),
        encoded: data.is_some_and(|d| d.get("encoding").is_some()),
        headers,
    })
}

/// A nock definition: `{scope, method, path, body, reqheaders}`.
fn nock(definition: &Node) -> Option<Recorded<'_>> {
    let scope = definition.get("scope")?.as_str()?;
    let url_node = definition.get("path")?;
    let scope = scope.trim_end_matches('/').trim_end_matches(":443");
    Some(Recorded {
        method: definition.get("method").and_then(Node::as_str),
        url: format!("{scope}{}", url_node.as_str()?),
        url_node,
        body: definition.get("body"),
        encoded: false,
        headers: named_headers(definition.get("reqheaders")),
    })
}

/// Headers written as a mapping from name to a value or a list of values (the last counts).
fn named_headers(headers: Option<&Node>) -> Vec<Header> {
    let members = headers.and_then(Node::as_object).unwrap_or_default();
    members
        .iter()
        .filter_map(|m| {
            let value = match &m.value.value {
                Value::Array(values) => values.last()?,
                _ => &m.value,
            };
            Some(Header {
                name: m.key.to_ascii_lowercase(),
                range: m.range(),
                value: value.clone(),
            })
        })
        .collect()
}

/// The endpoint a recorded URL names, its platform, and whether the URL itself says the
/// request is for Claude (a Bedrock model id may name another vendor's model).
fn endpoint(url: &str) -> Option<(PayloadKind, Dialect, bool)> {
    let url = url.replacen(".com:443/", ".com/", 1);
    let path = url.split(['?', '#']).next().unwrap_or_default();
    if path.trim_end_matches('/') == "https://api.anthropic.com/v1/messages/batches" {
        return Some((PayloadKind::Batch, Dialect::FirstParty, true));
    }
    let (kind, dialect) = code::claude_endpoint(&url)?;
    let claude = dialect != Dialect::Bedrock || {
        let model = path.split("/model/").nth(1).unwrap_or_default();
        let model = model
            .replace("%3A", ":")
            .replace("%3a", ":")
            .to_ascii_lowercase();
        model.contains("anthropic") || model.contains("claude")
    };
    Some((kind, dialect, claude))
}

/// The document of one recorded request to a Claude endpoint (the `index`th of the file).
fn document(
    text: &str,
    host: Host,
    format: Format,
    index: usize,
    (kind, dialect, claude): (PayloadKind, Dialect, bool),
    recorded: Recorded<'_>,
) -> Document {
    let Recorded {
        url,
        url_node,
        body,
        encoded,
        mut headers,
        ..
    } = recorded;
    let credentials = headers
        .iter()
        .filter(|h| h.value.as_str().is_some())
        .map(|h| h.value.clone())
        .collect();
    let recorded_headers = !headers.is_empty();
    let betas = code::header_betas(&headers).filter(|_| recorded_headers);
    let api_version = code::header_api_version(&headers);
    // Recorders drop headers: a nameless one stands for any of them.
    headers.push(Header {
        name: String::new(),
        range: url_node.range,
        value: Node::new(url_node.range, Value::Unknown),
    });
    let what = format!("{} request {} to `{url}`", format.name(), index + 1);
    let mut call = Call {
        kind,
        dialect,
        known_client: claude,
        sdk: false,
        api_version,
        betas,
        headers: Some(headers),
        range: url_node.range,
        what,
        runtime: None,
        raw_http: None,
    };
    let range = body.map_or(url_node.range, |b| b.range);
    let mut document = Document {
        range,
        root: None,
        errors: Vec::new(),
        body_bytes: 0,
        host,
        call: None,
        credentials,
        embedding: None,
        imported: Vec::new(),
    };
    match read_body(text, host, body, encoded) {
        Ok(Body::Parsed(root)) => {
            document.body_bytes = json_len(root);
            document.root = Some(root.clone());
        }
        Ok(Body::Decoded(root, decoded)) => {
            document.body_bytes = decoded.text.len() as u64;
            document.root = Some(root);
            document.host = Host::Json;
            document.embedding = Some(Arc::new(decoded));
        }
        Err(note) => call.what = format!("{}: {note}", call.what),
    }
    document.call = Some(Box::new(call));
    document
}

/// A recorded body that can be checked.
enum Body<'a> {
    /// Stored parsed, where it is written.
    Parsed(&'a Node),
    /// Stored as a string: its JSON, parsed from the decoded text.
    Decoded(Node, Decoded),
}

/// Reads a recorded body, or says why it cannot be checked.
fn read_body<'a>(
    text: &str,
    host: Host,
    body: Option<&'a Node>,
    encoded: bool,
) -> Result<Body<'a>, &'static str> {
    let Some(body) = body.filter(|b| !matches!(b.value, Value::Null)) else {
        return Err("no body was recorded");
    };
    let string = match &body.value {
        Value::Object(_) => return Ok(Body::Parsed(body)),
        Value::String(s) if !encoded => s,
        _ => return Err(UNDECODED),
    };
    let decoded = match host {
        Host::Yaml => quoted::yaml_scalar(text, body.range, string),
        _ => quoted::json_string(text, body.range, string),
    };
    let decoded = decoded
        .filter(|d| d.text.trim_start().starts_with('{'))
        .ok_or(UNDECODED)?;
    match code::embedded_json(&decoded) {
        (Some(root), errors) if errors.is_empty() => Ok(Body::Decoded(root, decoded)),
        _ => Err("the recorded body is not valid JSON"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::files::{FileKind, parse};

    #[test]
    fn endpoints_from_recorded_urls() {
        let read = endpoint;
        assert_eq!(
            read("https://api.anthropic.com:443/v1/messages/batches"),
            Some((PayloadKind::Batch, Dialect::FirstParty, true))
        );
        assert_eq!(
            read("https://api.anthropic.com/v1/messages?beta=true"),
            Some((PayloadKind::Messages, Dialect::FirstParty, true))
        );
        assert_eq!(
            read(
                "https://bedrock-runtime.us-west-2.amazonaws.com/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke"
            ),
            Some((PayloadKind::Messages, Dialect::Bedrock, true))
        );
        assert_eq!(
            read(
                "https://bedrock-runtime.us-west-2.amazonaws.com/model/amazon.titan-text-express-v1/invoke"
            ),
            Some((PayloadKind::Messages, Dialect::Bedrock, false))
        );
        assert_eq!(
            read(
                "https://bedrock-runtime.us-west-2.amazonaws.com/model/anthropic.claude-opus-4-1-20250805-v1:0/converse"
            ),
            None
        );
        assert_eq!(read("https://api.openai.com/v1/chat/completions"), None);
    }

    #[test]
    fn a_recording_without_claude_requests_is_read_as_any_file() {
        let text = "interactions:\n- request:\n    body: '{\"model\": \"gpt-4o\"}'\n    method: POST\n    uri: https://api.openai.com/v1/chat/completions\n";
        let docs = parse(text, FileKind::Yaml);
        assert_eq!(docs.len(), 1);
        assert!(docs[0].call.is_none());
        assert!(extract(text, docs[0].root.as_ref().unwrap(), Host::Yaml).is_none());
    }

    #[test]
    fn nock_string_and_object_bodies() {
        let text = r#"[{"scope": "https://api.anthropic.com:443", "method": "POST", "path": "/v1/messages", "body": "{\"model\": \"claude-opus-5\"}", "reqheaders": {"anthropic-beta": "a-1, b-2"}},
 {"scope": "https://api.anthropic.com:443", "method": "POST", "path": "/v1/messages/count_tokens", "body": {"model": "claude-opus-5"}}]"#;
        let docs = parse(text, FileKind::Json);
        assert_eq!(docs.len(), 2);
        let call = docs[0].call.as_ref().unwrap();
        assert_eq!(call.betas, Some(vec!["a-1".into(), "b-2".into()]));
        assert_eq!(&text[call.range.to_range()], "\"/v1/messages\"");
        let model = docs[0].root.as_ref().unwrap().get("model").unwrap();
        assert_eq!(&text[model.range.to_range()], r#"\"claude-opus-5\""#);
        assert!(docs[0].embedding.is_some());
        let count = docs[1].call.as_ref().unwrap();
        assert_eq!(count.kind, PayloadKind::CountTokens);
        assert_eq!(count.betas, None);
        assert!(docs[1].embedding.is_none());
    }
}
