//! Credentials written into a request: Anthropic API keys, admin keys and OAuth tokens, and
//! other providers' keys, anywhere in a payload (a key pasted into a prompt leaks too).
//!
//! Besides the rule, this module finds keys for redaction: [`scan`] (the decoded strings of a
//! tree) and [`scan_text`] (the text as written: object keys, comments, unquoted text, headers)
//! find every key whether or not the rule is on, and [`crate::redact::Redactor`] keeps them out
//! of every output.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};

use super::registry::declare_rules;
use super::{Context, Sink};
use crate::extract::PayloadKind;
use crate::extract::files::Document;
use crate::syntax::{Node, TextRange, Value, walk};

declare_rules! {
    family: "secrets";
    prefix: "Y";
    /// ## What it does
    /// Reports an API key written in a request: an Anthropic API key (`sk-ant-api03-…`), Admin
    /// API key (`sk-ant-admin01-…`) or OAuth token (`sk-ant-oat01-…`), and other providers'
    /// keys (OpenAI `sk-proj-…` and legacy `sk-…`, AWS access key ids `AKIA…`, Google API keys
    /// `AIza…`, GitHub tokens `ghp_…`, Stripe secret keys `sk_live_…`), in any string: a
    /// parameter, a system prompt, a message.
    ///
    /// ## Why
    /// Request files end up in repositories, logs, CI artifacts and bug reports; anyone who
    /// reads one can spend on the key. A key pasted into a prompt is sent to the model and kept
    /// wherever the conversation is logged. Keys belong in the environment
    /// (`ANTHROPIC_API_KEY`) and in the `x-api-key` header, never in the body. Every output of
    /// claude-preflight shows the key redacted (`sk-ant-api03…XyZ9`), and no fix ever writes
    /// one. Placeholders (`sk-ant-api03-xxxx…`, AWS's `AKIAIOSFODNN7EXAMPLE`) are not reported.
    ///
    /// ## Example
    /// ```json
    /// {"model": "claude-opus-5", "max_tokens": 1024, "messages": [{"role": "user", "content": "Use the key sk-ant-api03-Xq…"}]}
    /// ```
    ///
    /// ## Fix
    /// None: remove the key by hand, then revoke it, since it has been exposed.
    API_KEY_IN_PAYLOAD { code: "101", aliases: ["X101"], name: "api-key-in-payload", severity: Error, fix: None }
}

/// How the characters after a key's marker are checked.
#[derive(Debug, Clone, Copy)]
enum Body {
    /// At least this many of `[A-Za-z0-9_-]`.
    Token(usize),
    /// At least this many ASCII letters and digits.
    Alnum(usize),
    /// Exactly this many of `[A-Za-z0-9_-]`.
    TokenExactly(usize),
    /// Exactly this many upper-case ASCII letters and digits.
    UpperExactly(usize),
    /// `<letters><digits>-` (the key's kind and version, e.g. `api03-`) and then at least this
    /// many of `[A-Za-z0-9_-]`: Anthropic's format.
    Versioned(usize),
}

/// One kind of credential.
#[derive(Debug)]
struct KeyKind {
    /// The text every key of this kind starts with.
    marker: &'static str,
    /// What the key is, for messages ("an OpenAI API key").
    what: &'static str,
    /// What to do about it.
    advice: &'static str,
    /// What follows the marker.
    body: Body,
}

/// Advice for every non-Anthropic key.
const REVOKE: &str = "remove it and revoke it with its provider";

/// The credentials looked for. Markers are matched leftmost-longest, so `sk-ant-` wins over
/// OpenAI's legacy `sk-` at the same place.
static KINDS: &[KeyKind] = &[
    KeyKind {
        marker: "sk-ant-",
        what: "an Anthropic key",
        advice: "remove it, revoke it in the Claude Console, and send the key in the `x-api-key` header from the environment (`ANTHROPIC_API_KEY`)",
        body: Body::Versioned(20),
    },
    KeyKind {
        marker: "sk-proj-",
        what: "an OpenAI API key",
        advice: REVOKE,
        body: Body::Token(20),
    },
    KeyKind {
        marker: "sk-svcacct-",
        what: "an OpenAI API key",
        advice: REVOKE,
        body: Body::Token(20),
    },
    KeyKind {
        marker: "sk-admin-",
        what: "an OpenAI admin key",
        advice: REVOKE,
        body: Body::Token(20),
    },
    KeyKind {
        marker: "sk-",
        what: "an OpenAI API key",
        advice: REVOKE,
        body: Body::Alnum(48),
    },
    KeyKind {
        marker: "AKIA",
        what: "an AWS access key id",
        advice: REVOKE,
        body: Body::UpperExactly(16),
    },
    KeyKind {
        marker: "ASIA",
        what: "an AWS temporary access key id",
        advice: REVOKE,
        body: Body::UpperExactly(16),
    },
    KeyKind {
        marker: "AIza",
        what: "a Google API key",
        advice: REVOKE,
        body: Body::TokenExactly(35),
    },
    KeyKind {
        marker: "ghp_",
        what: "a GitHub token",
        advice: REVOKE,
        body: Body::Alnum(36),
    },
    KeyKind {
        marker: "gho_",
        what: "a GitHub token",
        advice: REVOKE,
        body: Body::Alnum(36),
    },
    KeyKind {
        marker: "ghu_",
        what: "a GitHub token",
        advice: REVOKE,
        body: Body::Alnum(36),
    },
    KeyKind {
        marker: "ghs_",
        what: "a GitHub token",
        advice: REVOKE,
        body: Body::Alnum(36),
    },
    KeyKind {
        marker: "ghr_",
        what: "a GitHub token",
        advice: REVOKE,
        body: Body::Alnum(36),
    },
    KeyKind {
        marker: "github_pat_",
        what: "a GitHub token",
        advice: REVOKE,
        body: Body::Token(22),
    },
    KeyKind {
        marker: "sk_live_",
        what: "a Stripe secret key",
        advice: REVOKE,
        body: Body::Alnum(24),
    },
    KeyKind {
        marker: "rk_live_",
        what: "a Stripe restricted key",
        advice: REVOKE,
        body: Body::Alnum(24),
    },
];

static MARKERS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(KINDS.iter().map(|k| k.marker))
        .expect("the markers are plain strings")
});

/// The most leading characters of a key that are ever shown: enough for its kind and
/// version (`sk-ant-api03`), never its secret part.
const MAX_VISIBLE: usize = 12;
/// The trailing characters shown, as the Console shows keys (`…XyZ9`).
const VISIBLE_TAIL: usize = 4;
/// A key shows its last characters only when at least this many stay hidden.
const MIN_HIDDEN: usize = 12;

/// A key found in a payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    /// The key's bytes in the host file when its string has no escapes; otherwise the whole
    /// string (the key cannot be placed exactly inside it from the decoded value).
    pub range: TextRange,
    /// The key itself.
    pub key: String,
    /// What it is, e.g. "an Anthropic API key".
    pub what: &'static str,
    /// What to do about it.
    advice: &'static str,
    /// How many leading bytes may be shown (the key's kind and version).
    visible: usize,
}

impl Secret {
    /// The key as every output shows it: its kind prefix, `…`, and its last four characters
    /// when the key is long enough to keep them (`sk-ant-api03…XyZ9`).
    pub fn redacted(&self) -> String {
        let len = self.key.len();
        let tail = visible_tail(len, self.visible);
        format!("{}…{}", &self.key[..self.visible], &self.key[len - tail..])
    }

    /// How many leading and trailing characters of the key every output may show: its kind
    /// prefix, and its last four when enough stay hidden.
    pub fn shown(&self) -> (usize, usize) {
        (self.visible, visible_tail(self.key.len(), self.visible))
    }

    /// The key's exact bytes in `text` (the host file): its range when the rule knew it, or
    /// the place inside its string where the key is written verbatim.
    pub fn locate(&self, text: &str) -> TextRange {
        let written = text.get(self.range.to_range()).unwrap_or_default();
        if written == self.key {
            return self.range;
        }
        match written.find(&self.key) {
            Some(at) => {
                let start = self.range.start as usize + at;
                TextRange::new(start, start + self.key.len())
            }
            None => self.range,
        }
    }
}

/// Every key in the strings under `root`, in document order.
pub(crate) fn scan(root: &Node) -> Vec<Secret> {
    scan_strings(root, |_, _| true)
}

/// Every key in the strings under `root` that `may_hold` lets through, in document order.
fn scan_strings(root: &Node, may_hold: impl Fn(&Node, &str) -> bool) -> Vec<Secret> {
    let mut found = Vec::new();
    walk(root, |node| {
        if let Value::String(text) = &node.value
            && may_hold(node, text)
        {
            for (at, len, kind) in keys_in(text, |_| ()) {
                found.push(secret_at(node, text, at, len, kind));
            }
        }
    });
    found
}

/// The keys written in a file's text, and where a key's marker is written in it. A string
/// whose value is copied byte for byte from the text, between quotes, holds a key only where
/// the text has a marker inside its quotes: [`Written::scan`] skips the others, which are
/// almost all of a large request's text, so its strings are not searched a second time.
pub(crate) struct Written<'t> {
    text: &'t str,
    /// Where each marker found in the text starts, in order.
    markers: Vec<u32>,
    /// The keys written in the text ([`scan_text`]).
    pub keys: Vec<Secret>,
}

impl<'t> Written<'t> {
    /// Searches `text` once for keys and markers.
    pub(crate) fn of(text: &'t str) -> Self {
        let mut markers = Vec::new();
        let keys = keys_in(text, |at| markers.push(at as u32))
            .into_iter()
            .map(|(at, len, kind)| secret(&text[at..at + len], TextRange::new(at, at + len), kind))
            .collect();
        Self {
            text,
            markers,
            keys,
        }
    }

    /// Every key in the strings under `root` (whose ranges are in this text), in document
    /// order: [`scan`] without searching the strings written verbatim with no marker inside.
    ///
    /// `strict_json` says `root` was read from this text by the JSON parser, with no syntax
    /// error: every JSON escape is longer than the character it stands for, so a string whose
    /// quotes hold exactly as many bytes as its value is written verbatim, and the bytes need
    /// no comparing (on the language-server benchmark's largest request, comparing them cost
    /// more than searching the text). YAML folds line breaks into spaces, and code has its own
    /// quoting: there they are compared.
    pub(crate) fn scan(&self, root: &Node, strict_json: bool) -> Vec<Secret> {
        scan_strings(root, |node, value| {
            !self.verbatim_without_marker(node, value, strict_json)
        })
    }

    /// True when `value` is written byte for byte between the quotes at `node`'s range and no
    /// marker starts there. A marker cannot span a quote, so every marker in the value is one
    /// the search of the text found inside the quotes.
    fn verbatim_without_marker(&self, node: &Node, value: &str, strict_json: bool) -> bool {
        let (start, end) = (node.range.start as usize, node.range.end as usize);
        if end - start != value.len() + 2 {
            return false;
        }
        // The cheap test first: a marker inside the quotes means the string is searched.
        let first = self.markers.partition_point(|&m| (m as usize) <= start);
        if self
            .markers
            .get(first)
            .is_some_and(|&m| (m as usize) < end - 1)
        {
            return false;
        }
        let bytes = self.text.as_bytes();
        let quoted = matches!(
            (bytes.get(start), bytes.get(end - 1)),
            (Some(b'"'), Some(b'"')) | (Some(b'\''), Some(b'\''))
        );
        quoted && (strict_json || self.text.get(start + 1..end - 1) == Some(value))
    }
}

/// The secret for the key at `at..at + len` of the string `node` holds.
fn secret_at(node: &Node, text: &str, at: usize, len: usize, kind: &'static KeyKind) -> Secret {
    // Escapes only ever make the written string longer than its value: when the lengths agree
    // the value is written byte for byte, after the opening quote if there is one.
    let written = node.range.len();
    let offset = if written == text.len() + 2 {
        Some(1)
    } else if written == text.len() {
        Some(0)
    } else {
        None
    };
    let range = offset.map_or(node.range, |o| {
        let start = node.range.start as usize + o + at;
        TextRange::new(start, start + len)
    });
    secret(&text[at..at + len], range, kind)
}

/// The secret for `key`, of `kind`, written at `range`.
fn secret(key: &str, range: TextRange, kind: &'static KeyKind) -> Secret {
    Secret {
        range,
        key: key.to_owned(),
        what: kind_name(kind, key),
        advice: kind.advice,
        visible: visible_len(key, kind),
    }
}

/// Every key written in `text` as it stands, wherever it sits: a value, an object key, a
/// comment, unquoted text, a header. Ranges are exact; a key written with escapes is only
/// found in its decoded string ([`scan`]).
pub(crate) fn scan_text(text: &str) -> Vec<Secret> {
    Written::of(text).keys
}

/// How many leading bytes of `key` may be shown: its marker, and for Anthropic keys their
/// kind and version (`sk-ant-api03`), at most [`MAX_VISIBLE`].
fn visible_len(key: &str, kind: &KeyKind) -> usize {
    let marker = kind.marker.len();
    let version = match kind.body {
        Body::Versioned(_) => key.as_bytes()[marker..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count(),
        _ => 0,
    };
    (marker + version).min(MAX_VISIBLE)
}

/// How many trailing characters of a key `len` bytes long may be shown.
fn visible_tail(len: usize, visible: usize) -> usize {
    if len >= visible + VISIBLE_TAIL + MIN_HIDDEN {
        VISIBLE_TAIL
    } else {
        0
    }
}

/// The name of an Anthropic key from its kind word (`api`, `admin`, `oat`).
fn kind_name(kind: &'static KeyKind, key: &str) -> &'static str {
    if !matches!(kind.body, Body::Versioned(_)) {
        return kind.what;
    }
    let word = key["sk-ant-".len()..]
        .split(|c: char| c.is_ascii_digit())
        .next()
        .unwrap_or_default();
    match word {
        "api" => "an Anthropic API key",
        "admin" => "an Anthropic Admin API key",
        "oat" => "an Anthropic OAuth token",
        _ => kind.what,
    }
}

/// A character keys are made of.
pub(crate) fn is_key_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// The keys in `text`: (byte offset, length, kind). `marker` is told where every marker
/// starts, key or not.
fn keys_in(text: &str, mut marker: impl FnMut(usize)) -> Vec<(usize, usize, &'static KeyKind)> {
    let bytes = text.as_bytes();
    let mut keys = Vec::new();
    for found in MARKERS.find_iter(text) {
        let kind = &KINDS[found.pattern().as_usize()];
        let start = found.start();
        marker(start);
        if start > 0 && is_key_char(bytes[start - 1]) {
            continue;
        }
        let Some(body_len) = body_len(&bytes[found.end()..], kind.body) else {
            continue;
        };
        let end = found.end() + body_len;
        if bytes.get(end).copied().is_some_and(is_key_char) {
            continue;
        }
        let body = &text[found.end()..end];
        // An Anthropic key's secret part follows its kind and version (`api03-`).
        let secret = match kind.body {
            Body::Versioned(_) => body.split_once('-').map_or(body, |(_, s)| s),
            _ => body,
        };
        if !looks_random(secret) {
            continue;
        }
        keys.push((start, end - start, kind));
    }
    keys
}

/// The length of a key body at the start of `rest`, when it has the shape `body` says.
fn body_len(rest: &[u8], body: Body) -> Option<usize> {
    let run =
        |pred: fn(u8) -> bool, from: usize| rest[from..].iter().take_while(|&&b| pred(b)).count();
    let (len, ok) = match body {
        Body::Token(min) => {
            let len = run(is_key_char, 0);
            (len, len >= min)
        }
        Body::Alnum(min) => {
            let len = run(|b| b.is_ascii_alphanumeric(), 0);
            (len, len >= min)
        }
        Body::TokenExactly(n) => (n, run(is_key_char, 0) == n),
        Body::UpperExactly(n) => (
            n,
            run(|b| b.is_ascii_uppercase() || b.is_ascii_digit(), 0) == n,
        ),
        Body::Versioned(min) => {
            let letters = run(|b| b.is_ascii_lowercase(), 0);
            let digits = run(|b| b.is_ascii_digit(), letters);
            let dash = letters + digits;
            let versioned = letters > 0 && digits > 0 && rest.get(dash) == Some(&b'-');
            let tail = if versioned {
                run(is_key_char, dash + 1)
            } else {
                0
            };
            (dash + 1 + tail, versioned && tail >= min)
        }
    };
    ok.then_some(len)
}

/// Placeholders are not keys: a real key mixes letters and digits and many distinct
/// characters, and is not a documentation example.
fn looks_random(body: &str) -> bool {
    let mut distinct = [false; 128];
    for b in body.bytes() {
        distinct[usize::from(b & 0x7f)] = true;
    }
    body.bytes().any(|b| b.is_ascii_digit())
        && body.bytes().any(|b| b.is_ascii_alphabetic())
        && distinct.iter().filter(|&&d| d).count() >= 8
        && !body.to_ascii_lowercase().contains("example")
}

/// Checks one payload. Batch items inside a batch body are covered by the batch itself.
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let payload = ctx.payload;
    if payload.kind == PayloadKind::BatchItem && payload.path.starts_with("requests.") {
        return;
    }
    if !sink.enabled(&API_KEY_IN_PAYLOAD) {
        return;
    }
    let keys = match ctx.root_keys {
        Some((root, keys)) if std::ptr::eq(root, payload.root) => keys.to_vec(),
        _ => ctx.written.scan(payload.root, false),
    };
    for secret in keys {
        sink.report(
            &API_KEY_IN_PAYLOAD,
            secret.range,
            format!(
                "{} is written in this request (`{}`): anyone who can read the file can use it; {}",
                secret.what,
                secret.redacted(),
                secret.advice
            ),
        );
    }
}

/// The document scope, for every document, request or not: [`check_credentials`] over the
/// strings written beside its requests.
pub(crate) fn check_document(document: &Document, sink: &mut Sink<'_>) {
    check_credentials(&document.credentials, sink);
}

/// Reports the keys in strings written beside requests in code: a client constructor's
/// arguments (`Anthropic(api_key="sk-ant-...")`), a curl command's headers.
pub(crate) fn check_credentials(strings: &[Node], sink: &mut Sink<'_>) {
    check_source(strings.iter().flat_map(scan), sink);
}

/// Reports keys written in a checked file's source outside any request's strings: an object
/// key, a comment, unquoted text, a header ([`scan_text`]).
pub(crate) fn check_source(secrets: impl IntoIterator<Item = Secret>, sink: &mut Sink<'_>) {
    if !sink.enabled(&API_KEY_IN_PAYLOAD) {
        return;
    }
    for secret in secrets {
        sink.report(
            &API_KEY_IN_PAYLOAD,
            secret.range,
            format!(
                "{} is written in the source (`{}`): anyone who can read the file can use it; {}",
                secret.what,
                secret.redacted(),
                secret.advice
            ),
        );
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A made-up key of the Anthropic format (95 characters after `sk-ant-api03-`).
    pub(crate) fn anthropic_key() -> String {
        let body: String = "Xq7Rt2Lp9Vb4Nc8Zw1Ks5Hd3Fg6Jm0"
            .chars()
            .cycle()
            .take(91)
            .collect();
        format!("sk-ant-api03-{body}XyZ9")
    }

    #[test]
    fn the_written_scan_finds_what_the_whole_scan_finds() {
        let key = anthropic_key();
        let escaped = key.replacen('-', "\\u002d", 1);
        let cut = &key[..key.len() - 20];
        let text = format!(
            r#"{{"a": "{key}", "b": "x {key} y", "c": "{escaped}", "d": ["plain", "{cut}"], "{key}": 1, "e": "sk-ant- and AKIA"}}"#
        );
        let root = crate::syntax::json::parse(&text, 0).root.unwrap();
        let written = Written::of(&text);
        let found = |secrets: Vec<Secret>| -> Vec<(TextRange, String)> {
            secrets.into_iter().map(|s| (s.range, s.key)).collect()
        };
        let whole = found(scan(&root));
        assert_eq!(found(written.scan(&root, false)), whole);
        assert_eq!(found(written.scan(&root, true)), whole);
        // The verbatim one at its place in the text, the one in the middle of a text, the one
        // written with an escape (at its string), and the one cut short (still a key).
        let at = text.find(&key).unwrap();
        assert_eq!(whole[0], (TextRange::new(at, at + key.len()), key.clone()));
        assert_eq!(whole.len(), 4, "{whole:?}");
        let c = text.find(&escaped).unwrap() - 1;
        assert_eq!(
            whole[2],
            (TextRange::new(c, c + escaped.len() + 2), key.clone())
        );
        assert_eq!(whole[3].1, cut);
        // In an empty text nothing is verbatim, and every string is searched.
        assert_eq!(found(Written::of("").scan(&root, false)), whole);
        assert_eq!(found(Written::of("").scan(&root, true)), whole);
    }

    fn kinds(text: &str) -> Vec<(&str, &str)> {
        keys_in(text, |_| ())
            .into_iter()
            .map(|(at, len, kind)| (&text[at..at + len], kind.marker))
            .collect()
    }

    #[test]
    fn finds_keys_with_their_exact_extent() {
        let key = anthropic_key();
        let text = format!("my key is {key}, keep it safe");
        assert_eq!(kinds(&text), vec![(key.as_str(), "sk-ant-")]);
        let aws = "id=AKIAZ7Q2M4N8P3R6T1W9 region";
        assert_eq!(kinds(aws), vec![("AKIAZ7Q2M4N8P3R6T1W9", "AKIA")]);
        let google = "AIzaSyD4x9Q2m7N1p8R3t6W0v5Y2z4B7c9E1f3G";
        assert_eq!(kinds(google), vec![(google, "AIza")]);
        let github = format!("ghp_{}", "a1B2c3D4e5F6g7H8i9J0".repeat(2));
        assert_eq!(kinds(&github), vec![(github.as_str(), "ghp_")]);
        let openai = format!("sk-{}", "T3BlbkFJ9x2Lq8Rv".repeat(3));
        assert_eq!(kinds(&openai), vec![(openai.as_str(), "sk-")]);
    }

    #[test]
    fn placeholders_and_look_alikes_are_not_keys() {
        for text in [
            "sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "sk-ant-api03-your-key-here",
            "AKIAIOSFODNN7EXAMPLE",
            "task-1234567890abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN",
            "AKIAZ7Q2M4N8P3R6T1W9X",
            "QUJDAIzaSyD4x9Q2m7N1p8R3t6W0v5Y2z4B7c9E1f3GQUJD",
            "sk-ant-",
            "ghp_short1",
        ] {
            assert_eq!(kinds(text), vec![], "{text}");
        }
    }

    #[test]
    fn anthropic_kinds_are_named_and_redacted() {
        let key = anthropic_key();
        let node = Node::new(
            TextRange::new(10, 10 + key.len() + 2),
            Value::String(key.clone()),
        );
        let secrets = scan(&node);
        assert_eq!(secrets.len(), 1);
        let secret = &secrets[0];
        assert_eq!(secret.what, "an Anthropic API key");
        assert_eq!(secret.range, TextRange::new(11, 11 + key.len()));
        assert_eq!(secret.redacted(), "sk-ant-api03…XyZ9");
        let admin = format!("sk-ant-admin01-{}", &key[13..]);
        let found = scan(&Node::new(
            TextRange::new(0, admin.len() + 2),
            Value::String(admin),
        ));
        assert_eq!(found[0].what, "an Anthropic Admin API key");
        assert_eq!(found[0].redacted(), "sk-ant-admin…XyZ9");
    }

    #[test]
    fn keys_are_found_wherever_the_text_holds_them() {
        let key = anthropic_key();
        let text = format!("{{\"{key}\": 1}} // {key}\nx: {key}");
        let found: Vec<TextRange> = scan_text(&text).iter().map(|s| s.range).collect();
        let at = |n: usize| {
            let start = text.match_indices(&key).nth(n).unwrap().0;
            TextRange::new(start, start + key.len())
        };
        assert_eq!(found, vec![at(0), at(1), at(2)]);
        assert_eq!(
            scan_text("sk-ant-... $ANTHROPIC_API_KEY os.environ[\"ANTHROPIC_API_KEY\"]"),
            vec![]
        );
    }

    #[test]
    fn an_escaped_string_gives_the_whole_string_until_located() {
        let key = anthropic_key();
        let value = format!("line\n{key}");
        let written = format!("\"line\\n{key}\"");
        let node = Node::new(TextRange::new(0, written.len()), Value::String(value));
        let secret = &scan(&node)[0];
        assert_eq!(secret.range, TextRange::new(0, written.len()));
        assert_eq!(secret.locate(&written), TextRange::new(7, 7 + key.len()));
    }
}
