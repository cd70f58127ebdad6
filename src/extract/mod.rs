//! Which payloads a file holds, and why (design: "Which payloads are found").
//!
//! A `messages` array alone is not enough: a payload needs Claude evidence, so that running the
//! tool over a whole repository reports nothing on files that are not Claude requests.

pub(crate) mod code;
pub(crate) mod configs;
pub(crate) mod conversation;
pub(crate) mod files;
pub(crate) mod hosts;
pub(crate) mod javascript;
pub(crate) mod langchain;
pub(crate) mod markdown;
pub(crate) mod names;
mod node_kinds;
pub(crate) mod notebook;
pub(crate) mod python;
pub(crate) mod records;
pub(crate) mod reference;
pub(crate) mod sdk_calls;
pub(crate) mod shell;
pub(crate) mod siblings;
pub(crate) mod stores;
pub(crate) mod traffic;

use crate::facts::{Dialect, Facts};
use crate::syntax::Node;
use crate::words::article;

/// What kind of body a payload is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum PayloadKind {
    /// A `POST /v1/messages` body.
    Messages,
    /// A `POST /v1/messages/count_tokens` body (no `max_tokens`, `stream`, ...).
    CountTokens,
    /// A `POST /v1/messages/batches` body (`requests: [{custom_id, params}]`).
    Batch,
    /// The `params` of one batch request: checked as a Messages body.
    BatchItem,
    /// A model id and the few request fields a configuration or framework sets for it (a
    /// promptfoo provider, a LiteLLM model, a LangChain `ChatAnthropic`): not a body, so only
    /// the model and parameter checks run (`reference.rs`).
    ModelReference,
}

impl PayloadKind {
    /// True for the kinds checked as a request (everything but the batch envelope).
    pub(crate) fn is_request(self) -> bool {
        !matches!(self, PayloadKind::Batch | PayloadKind::ModelReference)
    }

    /// The name used in messages and in configuration.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            PayloadKind::Messages => "messages",
            PayloadKind::CountTokens => "count_tokens",
            PayloadKind::Batch => "batch",
            PayloadKind::BatchItem => "batch item",
            PayloadKind::ModelReference => "model reference",
        }
    }
}

/// One request body found in a file.
#[derive(Debug, Clone)]
pub(crate) struct Payload<'a> {
    /// The body's root object.
    pub root: &'a Node,
    /// What kind of body it is.
    pub kind: PayloadKind,
    /// Which platform it is written for.
    pub dialect: Dialect,
    /// The root's path in the API's dotted error notation, e.g. `requests.3.params` (empty
    /// for a whole body).
    pub path: String,
    /// The size of the body as sent, in bytes.
    pub body_bytes: u64,
    /// For a body found in code: the SDK call or curl command that sends it, with what it says
    /// about headers, betas and the API version.
    pub call: Option<&'a code::Call>,
    /// True for a request kept in a store beside others (`stores.rs`): a store's entries often
    /// carry the store's own fields (an id, a name, tags) that the code loading them drops
    /// before sending, so an unknown key there is reported only when it is a near-miss of a
    /// real parameter.
    pub stored: bool,
}

impl Payload<'_> {
    /// The API's dotted path of a member under the root, e.g. `requests.3.params.messages.0`.
    pub(crate) fn api_path(&self, rest: &str) -> String {
        match (self.path.is_empty(), rest.is_empty()) {
            (true, _) => rest.to_owned(),
            (false, true) => self.path.clone(),
            (false, false) => format!("{}.{rest}", self.path),
        }
    }

    /// The model id the payload names, when written as a literal string.
    pub(crate) fn model_id(&self) -> Option<&str> {
        self.root.get("model")?.as_str()
    }
}

/// What the file name or configuration says about the payloads in a file.
#[derive(Debug, Clone, Default)]
pub(crate) struct Hints {
    /// The configuration declares every payload in the file to be of this kind.
    pub declared: Option<PayloadKind>,
    /// The file name mentions count_tokens.
    pub count_tokens_name: bool,
}

impl Hints {
    /// Hints from a file path.
    pub(crate) fn from_path(path: &str) -> Self {
        let lower = path.to_ascii_lowercase();
        Self {
            declared: None,
            count_tokens_name: ["count_tokens", "count-tokens", "counttokens", "token_count"]
                .iter()
                .any(|w| lower.contains(w)),
        }
    }
}

/// The payloads found under one root value, and why it was or was not taken.
#[derive(Debug, Clone)]
pub(crate) struct Discovery<'a> {
    /// The payloads (a batch body gives the envelope and one per request).
    pub payloads: Vec<Payload<'a>>,
    /// Why the value was or was not taken as a Claude request (`check --explain-discovery`).
    pub reason: String,
}

/// Decides whether `root` is a Claude request body, or a value holding request bodies (a list,
/// a prompt store: `stores`), and lists its payloads. `body_bytes` is the size of the text it
/// was parsed from.
pub(crate) fn discover<'a>(
    root: &'a Node,
    body_bytes: u64,
    hints: &Hints,
    facts: &Facts,
) -> Discovery<'a> {
    let found = discover_body(root, body_bytes, hints, facts);
    if !found.payloads.is_empty() || root.get("messages").is_some() {
        return found;
    }
    stores::discover_nested(root, hints, facts).unwrap_or_else(|| Discovery {
        reason: match stores::string_body(root, hints, facts) {
            Some(at) => format!(
                "{}, and `{at}` is a request stored as a string: JSON text inside a string is not decoded",
                found.reason
            ),
            None => found.reason,
        },
        payloads: found.payloads,
    })
}

/// Decides whether `root` itself is a Claude request body and lists its payloads.
fn discover_body<'a>(
    root: &'a Node,
    body_bytes: u64,
    hints: &Hints,
    facts: &Facts,
) -> Discovery<'a> {
    let none = |reason: String| Discovery {
        payloads: Vec::new(),
        reason,
    };
    let Some(_) = root.as_object() else {
        return none(format!(
            "the root is {} {}, not an object",
            article(root.kind_name()),
            root.kind_name()
        ));
    };
    let payload = |root: &'a Node, kind, dialect, path: String, body_bytes| Payload {
        root,
        kind,
        dialect,
        path,
        body_bytes,
        call: None,
        stored: false,
    };
    if let Some(batch) = batch_requests(root) {
        let mut payloads = vec![payload(
            root,
            PayloadKind::Batch,
            Dialect::FirstParty,
            String::new(),
            body_bytes,
        )];
        for (i, params) in batch
            .iter()
            .enumerate()
            .filter_map(|(i, r)| Some((i, r.get("params")?)))
        {
            if params.as_object().is_some() {
                payloads.push(payload(
                    params,
                    PayloadKind::BatchItem,
                    Dialect::FirstParty,
                    format!("requests.{i}.params"),
                    params.range.len() as u64,
                ));
            }
        }
        return Discovery {
            reason: format!("a Message Batches body with {} requests", batch.len()),
            payloads,
        };
    }
    if let (Some(_), Some(params)) = (root.get("custom_id"), root.get("params"))
        && params.as_object().is_some()
    {
        return Discovery {
            payloads: vec![payload(
                params,
                PayloadKind::BatchItem,
                Dialect::FirstParty,
                "params".into(),
                params.range.len() as u64,
            )],
            reason: "a batch request (`custom_id` and `params`)".into(),
        };
    }
    let schema_says = root.get("$schema").and_then(Node::as_str).is_some_and(|s| {
        s.contains("claude-preflight") || s.contains("messages-request.schema.json")
    });
    let dialect = dialect_of(root);
    let evidence = if let Some(kind) = hints.declared {
        format!("the configuration declares it a {} body", kind.as_str())
    } else if schema_says {
        "its `$schema` names the Messages request schema".into()
    } else {
        if root.get("messages").is_none() {
            return match (
                root.get("model").and_then(Node::as_str),
                text_completions_prompt(root),
            ) {
                (Some(id), Some(_)) if facts.looks_like_claude(id) => {
                    let kind = PayloadKind::Messages;
                    Discovery {
                        payloads: vec![payload(root, kind, dialect, String::new(), body_bytes)],
                        reason: format!(
                            "a Text Completions body (`prompt`) for the Claude model `{id}`"
                        ),
                    }
                }
                _ => none("it has no `messages`".into()),
            };
        }
        match root.get("model").map(|m| &m.value) {
            Some(crate::syntax::Value::String(id)) if facts.looks_like_claude(id) => {
                format!("`model` is the Claude model `{id}`")
            }
            Some(crate::syntax::Value::String(id)) if dialect == Dialect::FirstParty => {
                return none(format!("`model` is `{id}`, not a Claude model"));
            }
            Some(crate::syntax::Value::Unknown) if dialect == Dialect::FirstParty => {
                return none(
                    "`model` is computed at run time, so nothing shows it is a Claude model"
                        .into(),
                );
            }
            _ if dialect != Dialect::FirstParty => "it has `anthropic_version`".into(),
            None if root.get("max_tokens").is_some() => "`messages` beside `max_tokens`".into(),
            _ if is_conversation_record(root) => return none(
                "a conversation record (`messages` without `model`, `max_tokens` or `anthropic_version`): data, not a request".into(),
            ),
            _ => return none("`messages` without Claude evidence (a Claude `model`, `max_tokens` or `anthropic_version`)".into()),
        }
    };
    let kind = hints.declared.unwrap_or(
        if hints.count_tokens_name && root.get("max_tokens").is_none() {
            PayloadKind::CountTokens
        } else {
            PayloadKind::Messages
        },
    );
    Discovery {
        payloads: vec![payload(root, kind, dialect, String::new(), body_bytes)],
        reason: format!("a {} body: {evidence}", kind.as_str()),
    }
}

/// The `prompt` member of a Text Completions body: no `messages`, and a string `prompt` beside
/// `max_tokens_to_sample` or written in `\n\nHuman:` turns.
pub(crate) fn text_completions_prompt(root: &Node) -> Option<&crate::syntax::Member> {
    let prompt = root.member("prompt")?;
    let text = prompt.value.as_str()?;
    (root.get("messages").is_none()
        && (root.get("max_tokens_to_sample").is_some() || text.contains("Human:")))
    .then_some(prompt)
}

/// The fields that make a conversation a request: a record holding none of them is data (a
/// fine-tuning line, an eval case, a chat export), however Claude-like its `messages`.
const REQUEST_FIELDS: &[&str] = &["model", "max_tokens", "anthropic_version"];

/// True for an object holding a `messages` array but none of [`REQUEST_FIELDS`]: Bedrock
/// fine-tuning lines (`{system, messages}`), eval sets, chat exports.
fn is_conversation_record(root: &Node) -> bool {
    root.get("messages").and_then(Node::as_array).is_some()
        && REQUEST_FIELDS.iter().all(|f| root.get(f).is_none())
}

/// The number of conversations when a file's values are all conversation records (JSON Lines
/// of records, or a JSON array of them): the file is a dataset, named once by
/// `--explain-discovery` instead of once per record.
pub(crate) fn dataset_size(documents: &[files::Document]) -> Option<usize> {
    let mut records = 0;
    for root in documents.iter().filter_map(|d| d.root.as_ref()) {
        let items = match root.as_array() {
            Some(items) => items,
            None => std::slice::from_ref(root),
        };
        if !items.iter().all(is_conversation_record) {
            return None;
        }
        records += items.len();
    }
    (records > 0).then_some(records)
}

/// Decides whether the body an SDK call or curl command sends is a Claude request. A known
/// Anthropic client (or the Claude API's URL) is evidence enough, unless the body names a model
/// that is not Claude's; on an unknown receiver the body needs the evidence a file needs.
pub(crate) fn discover_call<'a>(
    root: &'a Node,
    call: &'a code::Call,
    body_bytes: u64,
    facts: &Facts,
) -> Discovery<'a> {
    let found = discover_body(root, body_bytes, &Hints::default(), facts);
    let model = root.get("model").and_then(Node::as_str);
    let claude_model = model.is_some_and(|id| facts.looks_like_claude(id));
    let (evidence, taken) = match (call.kind, found.payloads.is_empty()) {
        (PayloadKind::ModelReference, _) => ("its model and parameters".to_owned(), true),
        (PayloadKind::Batch, _) if batch_requests(root).is_some() => {
            ("a Message Batches call".to_owned(), true)
        }
        (PayloadKind::Batch, _) => (
            "a Message Batches call whose requests are not written out".to_owned(),
            false,
        ),
        _ if model.is_some() && !claude_model => (
            format!(
                "`model` is `{}`, not a Claude model",
                model.unwrap_or_default()
            ),
            false,
        ),
        _ if call.known_client && call.sdk => {
            ("it is called on an Anthropic client".to_owned(), true)
        }
        _ if call.known_client => ("it is sent to a Claude endpoint".to_owned(), true),
        (_, false) => (found.reason, true),
        (_, true) => (
            format!(
                "the receiver is not a known Anthropic client and {}",
                found.reason
            ),
            false,
        ),
    };
    let reason = format!("{}: {evidence}", call.what);
    if !taken {
        return Discovery {
            payloads: Vec::new(),
            reason,
        };
    }
    let mut payloads = found.payloads;
    if call.kind != PayloadKind::Batch {
        payloads = vec![Payload {
            root,
            kind: call.kind,
            dialect: call.dialect,
            path: String::new(),
            body_bytes,
            call: None,
            stored: false,
        }];
    }
    for payload in &mut payloads {
        payload.call = Some(call);
        if payload.kind != PayloadKind::BatchItem {
            payload.dialect = call.dialect;
        }
    }
    Discovery { payloads, reason }
}

/// One request line of a JSON Lines batch file (`{"custom_id": ..., "params": {...}}`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct BatchLine<'a> {
    /// The 1-based line of the file it is written on.
    pub line: usize,
    /// The line's object.
    pub root: &'a Node,
}

/// The request lines of a JSON Lines file that is a Message Batches file, in file order.
///
/// Each line is also discovered on its own (its `params` is a payload), but `custom_id` must be
/// unique across the whole batch, so the batch rules see the lines together. A file is a batch
/// file when one of its lines has a `custom_id` beside an object `params` (OpenAI's batch lines
/// have `body` instead); then every object line with a `custom_id` or a `params` is one of its
/// requests. Any other file gives no lines.
pub(crate) fn batch_lines<'a>(text: &str, documents: &'a [files::Document]) -> Vec<BatchLine<'a>> {
    let is_batch = documents
        .iter()
        .filter_map(|d| d.root.as_ref())
        .any(|root| {
            root.get("custom_id").is_some()
                && root.get("params").is_some_and(|p| p.as_object().is_some())
        });
    if !is_batch {
        return Vec::new();
    }
    let (mut line, mut counted) = (1, 0);
    let mut lines = Vec::new();
    for document in documents {
        let start = document.range.start as usize;
        line += text
            .as_bytes()
            .get(counted..start)
            .map_or(0, |between| between.iter().filter(|&&b| b == b'\n').count());
        counted = start;
        if let Some(root) = &document.root
            && root.as_object().is_some()
            && (root.get("custom_id").is_some() || root.get("params").is_some())
        {
            lines.push(BatchLine { line, root });
        }
    }
    lines
}

/// The `requests` of a Message Batches body: an array whose entries carry `params`.
fn batch_requests(root: &Node) -> Option<&[Node]> {
    let requests = root.get("requests")?.as_array()?;
    let is_batch = !requests.is_empty()
        && requests
            .iter()
            .all(|r| r.is_unknown() || r.get("params").is_some() || r.get("custom_id").is_some())
        && root.get("messages").is_none();
    is_batch.then_some(requests)
}

/// The platform a body is written for, from its `anthropic_version` and `anthropic_beta`.
fn dialect_of(root: &Node) -> Dialect {
    let Some(version) = root.get("anthropic_version") else {
        return Dialect::FirstParty;
    };
    match version.as_str() {
        Some(v) if v.starts_with("bedrock") => Dialect::Bedrock,
        Some(v) if v.starts_with("vertex") => Dialect::Vertex,
        _ if root.get("anthropic_beta").is_some() => Dialect::Bedrock,
        _ => Dialect::Cloud,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use files::FileKind;

    fn size(text: &str, kind: FileKind) -> Option<usize> {
        dataset_size(&files::parse(text, kind))
    }

    #[test]
    fn conversation_records_make_a_dataset_not_requests() {
        let tuning = "{\"system\": \"S\", \"messages\": [{\"role\": \"user\", \"content\": \"a\"}]}\n{\"system\": \"S\", \"messages\": []}\n";
        assert_eq!(size(tuning, FileKind::JsonLines), Some(2));
        let export = r#"[{"title": "t", "messages": []}, {"messages": []}, {"messages": []}]"#;
        assert_eq!(size(export, FileKind::Json), Some(3));
        // One line that is a request makes the file a set of requests, not a dataset.
        let mixed = "{\"messages\": []}\n{\"model\": \"claude-opus-5\", \"messages\": []}\n";
        assert_eq!(size(mixed, FileKind::JsonLines), None);
        assert_eq!(size(r#"{"name": "x"}"#, FileKind::Json), None);
        assert_eq!(size("[]", FileKind::Json), None);

        let facts = Facts::builtin();
        let docs = files::parse(tuning, FileKind::JsonLines);
        let found = discover(docs[0].root.as_ref().unwrap(), 10, &Hints::default(), facts);
        assert!(found.payloads.is_empty());
        assert!(found.reason.starts_with("a conversation record"));
        let declared = Hints {
            declared: Some(PayloadKind::Messages),
            ..Hints::default()
        };
        let root = docs[0].root.as_ref().unwrap();
        assert_eq!(discover(root, 10, &declared, facts).payloads.len(), 1);
    }
}
