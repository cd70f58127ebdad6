//! What the code around a request body says about it: which SDK method or endpoint it goes to,
//! on which platform, with which headers and betas. Shared by the Python, JavaScript and shell
//! extractors; the body itself is lowered into the payload tree by each of them.

use crate::facts::Dialect;
use crate::facts::api::ApiVersion;
pub(crate) use crate::facts::sdk::Sdk;
use crate::syntax::embed::{Decoded, SPLICE};
use crate::syntax::{Member, Node, SyntaxError, TextRange, Value};

use super::PayloadKind;

/// A request found in code: an SDK call or a curl command.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Call {
    /// The endpoint the method or URL names.
    pub kind: PayloadKind,
    /// The platform the client or URL is for.
    pub dialect: Dialect,
    /// The receiver is known to be an Anthropic client (or the URL the Claude API's): that is
    /// Claude evidence by itself. Otherwise the body must carry its own, as a file must.
    pub known_client: bool,
    /// Written as an SDK call: the SDK builds the body from the arguments, so for Bedrock and
    /// Vertex clients it moves `model` into the URL and picks the streaming endpoint itself.
    pub sdk: bool,
    /// The `anthropic-version` the request is sent with, when the host says (a curl header).
    pub api_version: Option<ApiVersion>,
    /// The betas the request is sent with, when all of them are known (an SDK `betas` list, a
    /// curl `anthropic-beta` header); `None` when some may come from elsewhere.
    pub betas: Option<Vec<String>>,
    /// The HTTP headers written beside the body (curl); `None` for SDK calls, whose client sends
    /// the required ones.
    pub headers: Option<Vec<Header>>,
    /// Where the call or command is written: the method name of an SDK call, the `curl` word.
    pub range: TextRange,
    /// The call as the discovery note names it, e.g. "`client.messages.create(...)`".
    pub what: String,
    /// For an SDK call: what its SDK does around it at run time.
    pub runtime: Option<Runtime>,
    /// For a raw HTTP request (not an SDK call, not curl): what surrounds it.
    pub raw_http: Option<RawHttp>,
}

/// What an SDK call's client does around it at run time: the options the SDK reads from the
/// call, from `with_options`/`withOptions` and from the client's constructor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Runtime {
    /// The SDK that builds the call.
    pub sdk: Sdk,
    /// The method streams (`messages.stream`): never refused for its length.
    pub streams: bool,
    /// The timeout in force, in seconds: the call's, else `with_options`', else the client's.
    pub timeout: Setting,
    /// The retries in force, found the same way.
    pub max_retries: Setting,
}

/// A client or request option as the code sets it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Setting {
    /// Set nowhere: the SDK's default.
    Default,
    /// Written at `range`; `value` when it is a number (seconds for a timeout), `None` for
    /// anything else (Python's `None`, an `httpx.Timeout`, a value computed at run time).
    Set {
        /// Where the value is written.
        range: TextRange,
        /// The number, when known.
        value: Option<f64>,
    },
    /// Not known: the client is made elsewhere, or a spread may set it.
    Unknown,
}

impl Setting {
    /// This setting where it is set, else `outer` (the option a call inherits).
    pub(crate) fn or(self, outer: Setting) -> Setting {
        match self {
            Setting::Default => outer,
            set => set,
        }
    }
}

/// A request sent with a plain HTTP library to a Claude endpoint.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawHttp {
    /// The library or function, e.g. `requests`, `fetch`.
    pub library: &'static str,
    /// The file shows some retry around it (a loop, a retry library, an adapter with
    /// retries); it may then be retried, so nothing is said.
    pub retried: bool,
}

/// One HTTP header written beside a body (`-H 'name: value'`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Header {
    /// The name, lower-cased (HTTP header names are case-insensitive).
    pub name: String,
    /// Where the whole header argument is written.
    pub range: TextRange,
    /// The value: a string with its range, or `Unknown` when the shell splices it.
    pub value: Node,
}

impl Call {
    /// The header named `name` (lower case), the last one when repeated.
    pub(crate) fn header(&self, name: &str) -> Option<&Header> {
        self.headers.as_ref()?.iter().rev().find(|h| h.name == name)
    }
}

/// What is known about an Anthropic client where a request is sent with it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Client {
    /// Its platform.
    pub dialect: Dialect,
    /// No base URL: a client aimed elsewhere (a proxy, a gateway) is no Claude evidence.
    pub direct: bool,
    /// No default headers: every beta the client sends is in the call.
    pub plain: bool,
    /// The timeout it is made with (seconds).
    pub timeout: Setting,
    /// The retries it is made with.
    pub max_retries: Setting,
}

impl Client {
    /// A client made here with no options.
    pub(crate) fn new(dialect: Dialect) -> Self {
        Self {
            dialect,
            direct: true,
            plain: true,
            timeout: Setting::Default,
            max_retries: Setting::Default,
        }
    }

    /// A client made elsewhere, known only by its type (`client: Anthropic`): nothing is known
    /// about its base URL, headers or options.
    pub(crate) fn made_elsewhere(dialect: Dialect) -> Self {
        Self {
            plain: false,
            timeout: Setting::Unknown,
            max_retries: Setting::Unknown,
            ..Self::new(dialect)
        }
    }

    /// Forgets what its options say: a spread or a computed object may set any.
    pub(crate) fn forget(&mut self) {
        self.direct = false;
        self.plain = false;
        self.timeout = Setting::Unknown;
        self.max_retries = Setting::Unknown;
    }

    /// The client `name` holds, from `targets` (every value assigned to each name in the
    /// file): `None` unless all are the same client; its options are known only when all
    /// agree on them too and no assignment to the option follows (`client.timeout = ...`).
    pub(crate) fn bound_to(
        targets: &std::collections::HashMap<&str, Vec<Option<Client>>>,
        name: &str,
        retries_option: &str,
    ) -> Option<Client> {
        let bound = targets.get(name)?;
        let changed = |option: &str| targets.contains_key(format!("{name}.{option}").as_str());
        let first = (*bound.first()?)?;
        let same = |c: &Option<Client>| {
            c.is_some_and(|c| {
                (c.dialect, c.direct, c.plain) == (first.dialect, first.direct, first.plain)
            })
        };
        if !bound.iter().all(same) {
            return None;
        }
        let agreed = bound.iter().all(|c| *c == Some(first));
        let keep = |option: &str, setting: Setting| {
            if agreed && !changed(option) {
                setting
            } else {
                Setting::Unknown
            }
        };
        Some(Client {
            timeout: keep("timeout", first.timeout),
            max_retries: keep(retries_option, first.max_retries),
            ..first
        })
    }
}

/// True when `node` is inside one of the loop kinds `loops` (a loop may be one that retries).
pub(crate) fn in_loop(node: tree_sitter::Node<'_>, loops: &[&str]) -> bool {
    let mut current = node.parent();
    while let Some(n) = current {
        if loops.contains(&n.kind()) {
            return true;
        }
        current = n.parent();
    }
    false
}

/// Builds an object from the members a host writes and the ones it spreads in.
///
/// A spread of a literal (`**defaults`, `...defaults`) brings its members; when a later member
/// sets one of their keys again, or a later spread does, only the last one is kept: overriding
/// a default is what a spread is for, not a duplicate key. A spread of a run-time value may
/// supply any key: in the payload's root object it becomes a [`Member::spread`], and anywhere
/// deeper the whole object is `Unknown` (rules never see a spread below the root).
#[derive(Debug, Default)]
pub(crate) struct ObjectBuilder {
    members: Vec<Member>,
    /// For each member, whether it came from a spread.
    spread_in: Vec<bool>,
    /// A spread of a run-time value was written.
    open: bool,
}

impl ObjectBuilder {
    /// Adds a member written in the object itself.
    pub(crate) fn push(&mut self, member: Member) {
        self.members.push(member);
        self.spread_in.push(false);
    }

    /// Adds the members of a spread literal.
    pub(crate) fn splice(&mut self, members: impl IntoIterator<Item = Member>) {
        for member in members {
            self.members.push(member);
            self.spread_in.push(true);
        }
    }

    /// Adds a spread of a run-time value written at `range`.
    pub(crate) fn spread(&mut self, range: TextRange) {
        self.open = true;
        self.members.push(Member::spread(range));
        self.spread_in.push(false);
    }

    /// The object written at `range`; `root` says whether it is a payload's root object.
    pub(crate) fn finish(self, range: TextRange, root: bool) -> Node {
        if self.open && !root {
            return Node::new(range, Value::Unknown);
        }
        let mut last: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (i, m) in self.members.iter().enumerate() {
            if !m.is_spread() {
                last.insert(&m.key, i);
            }
        }
        let keep: Vec<bool> = self
            .members
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let later = last.get(m.key.as_str()).copied().unwrap_or(i);
                m.is_spread() || later == i || !(self.spread_in[i] || self.spread_in[later])
            })
            .collect();
        let members = self
            .members
            .into_iter()
            .zip(keep)
            .filter_map(|(m, keep)| keep.then_some(m))
            .collect();
        Node::new(range, Value::Object(members))
    }
}

/// The betas an `extra_headers` object adds: `None` when it adds none, `Some(None)` when it
/// may add some that are not known here.
pub(crate) fn beta_header(headers: &Node) -> Option<Option<Vec<String>>> {
    let Some(members) = headers.as_object() else {
        return Some(None);
    };
    let mut found = None;
    for member in members {
        if member.is_spread() {
            return Some(None);
        }
        if member.key.eq_ignore_ascii_case("anthropic-beta") {
            found = Some(member.value.as_str().map(beta_list));
        }
    }
    found
}

/// The betas an `anthropic-beta` header value names (comma-separated).
pub(crate) fn beta_list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|b| b.trim().to_owned())
        .filter(|b| !b.is_empty())
        .collect()
}

/// The betas a request's HTTP headers send: none without an `anthropic-beta` header; `None`
/// when some may be sent that are not known here (a header whose name or value is spliced in
/// or read from elsewhere).
pub(crate) fn header_betas(headers: &[Header]) -> Option<Vec<String>> {
    if headers
        .iter()
        .any(|h| h.name.is_empty() || h.name.contains(SPLICE))
    {
        return None;
    }
    match headers.iter().rev().find(|h| h.name == "anthropic-beta") {
        None => Some(Vec::new()),
        Some(header) => header.value.as_str().map(beta_list),
    }
}

/// The API version a request's `anthropic-version` header asks for, when it names one.
pub(crate) fn header_api_version(headers: &[Header]) -> Option<ApiVersion> {
    let header = headers
        .iter()
        .rev()
        .find(|h| h.name == "anthropic-version")?;
    ApiVersion::parse(header.value.as_str()?.trim())
}

/// The strings of an array of string literals; `None` when any is not one.
pub(crate) fn string_list(node: &Node) -> Option<Vec<String>> {
    node.as_array()?
        .iter()
        .map(|n| n.as_str().map(str::to_owned))
        .collect()
}

/// The byte range of a tree-sitter node.
pub(crate) fn range(node: tree_sitter::Node<'_>) -> TextRange {
    TextRange::new(node.start_byte(), node.end_byte())
}

/// The Anthropic client classes: Python names and the JS packages' default exports share them.
pub(crate) fn client_class(name: &str) -> Option<Dialect> {
    Some(match name {
        "Anthropic" | "AsyncAnthropic" | "AnthropicFoundry" | "AsyncAnthropicFoundry" => {
            Dialect::FirstParty
        }
        "AnthropicBedrock" | "AsyncAnthropicBedrock" => Dialect::Bedrock,
        "AnthropicVertex" | "AsyncAnthropicVertex" => Dialect::Vertex,
        _ => return None,
    })
}

/// Reads an SDK method path, without its receiver: `messages.create`,
/// `beta.messages.with_raw_response.stream`, `messages.batches.create`. `count_tokens` is the
/// Python spelling, `countTokens` the JavaScript one. Returns the endpoint and how many
/// leading segments of `path` are the receiver.
pub(crate) fn sdk_method(path: &[&str]) -> Option<(PayloadKind, usize)> {
    let (&method, rest) = path.split_last()?;
    let rest = match rest.split_last() {
        Some((&("with_raw_response" | "with_streaming_response"), before)) => before,
        _ => rest,
    };
    let (kind, rest) = match (method, rest.split_last()) {
        ("create", Some((&"batches", before))) => match before.split_last() {
            Some((&"messages", before)) => (PayloadKind::Batch, before),
            _ => return None,
        },
        ("create" | "stream" | "parse", Some((&"messages", before))) => {
            (PayloadKind::Messages, before)
        }
        ("count_tokens" | "countTokens", Some((&"messages", before))) => {
            (PayloadKind::CountTokens, before)
        }
        _ => return None,
    };
    let rest = match rest.split_last() {
        Some((&"beta", before)) => before,
        _ => rest,
    };
    Some((kind, rest.len()))
}

/// A number literal of Python or JavaScript as a JSON number: digit separators (`1_000`) and
/// radix prefixes (`0x400`) are read; `None` for literals JSON cannot hold (complex, BigInt,
/// infinite).
pub(crate) fn number_literal(text: &str) -> Option<serde_json::Number> {
    let clean = text.replace('_', "").to_ascii_lowercase();
    let radix = match clean.get(..2) {
        Some("0x") => 16,
        Some("0o") => 8,
        Some("0b") => 2,
        _ => 10,
    };
    if radix != 10 {
        return u64::from_str_radix(&clean[2..], radix)
            .ok()
            .map(serde_json::Number::from);
    }
    clean.parse::<serde_json::Number>().ok().or_else(|| {
        clean
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .and_then(serde_json::Number::from_f64)
    })
}

/// `left op right` for the arithmetic a timeout is written with (`10 * 60`, `20 * 1000`).
pub(crate) fn arithmetic(left: f64, op: &str, right: f64) -> Option<f64> {
    let value = match op {
        "*" => left * right,
        "+" => left + right,
        "-" => left - right,
        "/" if right != 0.0 => left / right,
        _ => return None,
    };
    value.is_finite().then_some(value)
}

/// How a language writes numbers, for [`constant_number`].
pub(crate) struct NumberSyntax {
    /// The node kinds of number literals.
    pub literals: &'static [&'static str],
    /// The node kind of `a * b`.
    pub binary: &'static str,
    /// Looks through parentheses (and the like) around an expression.
    pub unwrap: for<'a> fn(tree_sitter::Node<'a>) -> tree_sitter::Node<'a>,
}

/// A number an expression always evaluates to: a literal, or arithmetic on literals and on
/// variables bound once to them (`10 * 60`, `20 * 1000`).
pub(crate) fn constant_number(
    expr: tree_sitter::Node<'_>,
    text: &str,
    names: &super::names::Names<'_>,
    syntax: &NumberSyntax,
    depth: usize,
) -> Option<f64> {
    if depth > crate::syntax::MAX_DEPTH {
        return None;
    }
    let expr = (syntax.unwrap)(expr);
    let src = |n: tree_sitter::Node<'_>| &text[n.byte_range()];
    let kind = expr.kind();
    if syntax.literals.contains(&kind) {
        return number_literal(src(expr))?.as_f64();
    }
    let inner = |n| constant_number(n, text, names, syntax, depth + 1);
    if kind == syntax.binary {
        return arithmetic(
            inner(expr.child_by_field_name("left")?)?,
            src(expr.child_by_field_name("operator")?),
            inner(expr.child_by_field_name("right")?)?,
        );
    }
    if kind == "identifier" {
        return inner(names.resolve_immutable(src(expr), expr)?);
    }
    None
}

/// The endpoint and platform a URL names, when it is a Claude endpoint: the Claude API's
/// `/v1/messages` (and `/count_tokens`), Bedrock's `invoke` (and
/// `invoke-with-response-stream`) and Vertex AI's `rawPredict` (and `streamRawPredict`).
pub(crate) fn claude_endpoint(url: &str) -> Option<(PayloadKind, Dialect)> {
    let rest = url.strip_prefix("https://")?;
    let (host, path) = rest.split_once('/')?;
    let path = path.split(['?', '#']).next().unwrap_or_default();
    if host == "api.anthropic.com" {
        return match path {
            "v1/messages" => Some((PayloadKind::Messages, Dialect::FirstParty)),
            "v1/messages/count_tokens" => Some((PayloadKind::CountTokens, Dialect::FirstParty)),
            _ => None,
        };
    }
    let bedrock = host.starts_with("bedrock-runtime.") && host.ends_with(".amazonaws.com");
    if bedrock
        && path.starts_with("model/")
        && (path.ends_with("/invoke") || path.ends_with("/invoke-with-response-stream"))
    {
        return Some((PayloadKind::Messages, Dialect::Bedrock));
    }
    let vertex =
        host == "aiplatform.googleapis.com" || host.ends_with("-aiplatform.googleapis.com");
    let anthropic_model = path.contains("/publishers/anthropic/models/");
    if vertex
        && anthropic_model
        && (path.ends_with(":rawPredict") || path.ends_with(":streamRawPredict"))
    {
        return Some((PayloadKind::Messages, Dialect::Vertex));
    }
    None
}

/// True when a source text shows any sign of retrying: a retry library or option (tenacity,
/// backoff, urllib3's `Retry`, `max_retries`, axios-retry, p-retry), an attempt counter, a
/// sleep between tries, or axios interceptors (which may retry). A raw HTTP request in such a
/// file may well be retried, so nothing is said about it.
pub(crate) fn mentions_retry(text: &str) -> bool {
    use std::sync::LazyLock;
    static WORDS: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build([
                "retry",
                "retries",
                "backoff",
                "tenacity",
                "stamina",
                "attempt",
                "sleep",
                "settimeout",
                "interceptors",
            ])
            .expect("the words are plain strings")
    });
    WORDS.is_match(text)
}

/// The document of a raw HTTP request to a Claude endpoint, `call` sending it to `url` with
/// `library`: its body is not read (it stays `Unknown`, so no other rule speaks about it), only
/// what surrounds the call: whether the file retries it (any sign of retrying in `text`, or a
/// loop of the kinds `loops` around the call).
pub(crate) fn raw_http_document(
    text: &str,
    call: tree_sitter::Node<'_>,
    url: &str,
    library: &'static str,
    loops: &[&str],
    host: crate::fix::Host,
) -> Option<super::files::Document> {
    let function = range(call.child_by_field_name("function")?);
    let args = range(call.child_by_field_name("arguments")?);
    let retried = mentions_retry(text) || in_loop(call, loops);
    let call = range(call);
    let (kind, dialect) = claude_endpoint(url)?;
    Some(super::files::Document {
        range: call,
        body_bytes: 0,
        root: Some(Node::new(args, Value::Object(vec![Member::spread(args)]))),
        errors: Vec::new(),
        host,
        call: Some(Box::new(Call {
            kind,
            dialect,
            known_client: true,
            sdk: false,
            api_version: None,
            betas: None,
            headers: None,
            range: function,
            what: format!("a `{library}` request to `{url}`"),
            runtime: None,
            raw_http: Some(RawHttp { library, retried }),
        })),
        credentials: Vec::new(),
        embedding: None,
        imported: Vec::new(),
    })
}

/// A JSON body embedded in the host's quoting, parsed from its decoded text with every range
/// mapped back to the host. A string a splice (`$VAR`) was written into is `Unknown`; so is an
/// object with a spliced key, and the whole body when a splice breaks its structure (syntax
/// errors are then the shell's doing, not the body's, and are not reported).
pub(crate) fn embedded_json(decoded: &Decoded) -> (Option<Node>, Vec<SyntaxError>) {
    let parse = crate::syntax::json::parse(&decoded.text, 0);
    let whole = decoded.to_host(TextRange::new(0, decoded.text.len()));
    if decoded.spliced && !parse.errors.is_empty() {
        return (Some(Node::new(whole, Value::Unknown)), Vec::new());
    }
    let mut root = parse.root;
    if let Some(root) = &mut root {
        // Only a text that holds a splice's character has strings to look through: one search
        // of the text instead of one per string of every body.
        let mut stack = if decoded.spliced || decoded.text.contains(SPLICE) {
            vec![&mut *root]
        } else {
            Vec::new()
        };
        while let Some(node) = stack.pop() {
            let spliced = match &node.value {
                Value::String(s) => s.contains(SPLICE),
                Value::Object(members) => members.iter().any(|m| m.key.contains(SPLICE)),
                _ => false,
            };
            if spliced {
                node.value = Value::Unknown;
            }
            match &mut node.value {
                Value::Object(members) => stack.extend(members.iter_mut().map(|m| &mut m.value)),
                Value::Array(items) => stack.extend(items.iter_mut()),
                _ => {}
            }
        }
        root.map_ranges(&mut |r| decoded.to_host(r));
    }
    let errors = parse
        .errors
        .into_iter()
        .map(|mut e| {
            e.range = decoded.to_host(e.range);
            e
        })
        .collect();
    (root, errors)
}

/// True when `text` may hold a Claude request at all: what `check` asks of every source file
/// before parsing it, so that a repository's thousands of unrelated files cost one scan each.
pub(crate) fn may_hold_request(text: &str) -> bool {
    use std::sync::LazyLock;
    static WORDS: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(["anthropic", "claude"])
            .expect("the words are plain strings")
    });
    WORDS.is_match(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sdk_method_paths() {
        let read = |p: &str| sdk_method(&p.split('.').collect::<Vec<_>>());
        assert_eq!(
            read("client.messages.create"),
            Some((PayloadKind::Messages, 1))
        );
        assert_eq!(
            read("self.client.beta.messages.with_raw_response.stream"),
            Some((PayloadKind::Messages, 2))
        );
        assert_eq!(
            read("client.messages.batches.create"),
            Some((PayloadKind::Batch, 1))
        );
        assert_eq!(
            read("client.messages.countTokens"),
            Some((PayloadKind::CountTokens, 1))
        );
        assert_eq!(read("client.chat.completions.create"), None);
        assert_eq!(read("client.batches.create"), None);
        assert_eq!(read("messages.create"), Some((PayloadKind::Messages, 0)));
    }

    #[test]
    fn number_literals() {
        let read = |t: &str| number_literal(t).map(|n| n.to_string());
        assert_eq!(read("1_024").as_deref(), Some("1024"));
        assert_eq!(read("0x10").as_deref(), Some("16"));
        assert_eq!(read(".5").as_deref(), Some("0.5"));
        assert_eq!(read("1e3").as_deref(), Some("1000.0"));
        assert_eq!(read("10n"), None);
        assert_eq!(read("2j"), None);
    }

    #[test]
    fn claude_endpoints() {
        let read = |u: &str| claude_endpoint(u);
        assert_eq!(
            read("https://api.anthropic.com/v1/messages?beta=true"),
            Some((PayloadKind::Messages, Dialect::FirstParty))
        );
        assert_eq!(
            read("https://api.anthropic.com/v1/messages/count_tokens"),
            Some((PayloadKind::CountTokens, Dialect::FirstParty))
        );
        assert_eq!(
            read(
                "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-opus-5/invoke"
            ),
            Some((PayloadKind::Messages, Dialect::Bedrock))
        );
        assert_eq!(
            read(
                "https://aiplatform.googleapis.com/v1/projects/p/locations/global/publishers/anthropic/models/claude-opus-5:streamRawPredict"
            ),
            Some((PayloadKind::Messages, Dialect::Vertex))
        );
        assert_eq!(read("https://api.anthropic.com/v1/models"), None);
        assert_eq!(read("http://api.anthropic.com/v1/messages"), None);
        assert_eq!(
            read("https://api.anthropic.com.evil.example/v1/messages"),
            None
        );
        assert_eq!(
            read(
                "https://aiplatform.googleapis.com/v1/projects/p/locations/global/publishers/google/models/gemini:rawPredict"
            ),
            None
        );
    }

    #[test]
    fn prefilter_needs_a_claude_word() {
        assert!(may_hold_request("import anthropic\n"));
        assert!(may_hold_request("model = 'CLAUDE-opus-5'"));
        assert!(!may_hold_request(
            "import openai\nopenai.chat.completions.create()"
        ));
    }
}
