//! Request files: JSON and JSONC (one body), JSON Lines (one body per line), YAML (one body
//! per document), and source files whose code sends requests (Python, JavaScript and
//! TypeScript, shell scripts, Markdown, notebooks), one document per request found.

use std::path::Path;
use std::sync::{Arc, LazyLock};

use aho_corasick::AhoCorasick;

use super::code::{self, Call};
use super::configs;
use super::hosts::{HOSTS, HostSpec, Parse};
use super::siblings::{Imported, Siblings};
use super::traffic::extract as recording;
use crate::fix::{Host, Renderer};
use crate::syntax::embed::Decoded;
use crate::syntax::{self, Node, SyntaxError, TextRange};

/// The file formats checked as request files; what each is read from and how is its row of
/// `HOSTS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `.json`, `.jsonc`, `.json5`-free JSON with comments.
    Json,
    /// `.jsonl`, `.ndjson`: one body per line.
    JsonLines,
    /// `.yaml`, `.yml`: one body per document.
    Yaml,
    /// `.py`, `.pyi`: SDK calls.
    Python,
    /// `.js`, `.mjs`, `.cjs`, `.jsx`: SDK calls.
    JavaScript,
    /// `.ts`, `.mts`, `.cts`: SDK calls.
    TypeScript,
    /// `.tsx`: SDK calls.
    Tsx,
    /// `.sh`, `.bash`, `.zsh`: curl commands.
    Shell,
    /// `.md`, `.markdown`: curl commands in shell fences, requests in JSON and YAML fences.
    Markdown,
    /// `.ipynb`: SDK calls in a Python notebook's code cells.
    Notebook,
}

impl FileKind {
    /// Every kind with its name and extensions, as `check --help` lists them: a view of
    /// `HOSTS`.
    pub const ALL: &[(FileKind, &str, &[&str])] = &names_and_extensions();

    /// This kind's row of the host table.
    pub(crate) fn spec(self) -> &'static HostSpec {
        &HOSTS[self as usize]
    }

    /// The kind a path's extension names, if it is one of ours.
    pub fn from_path(path: &Path) -> Option<Self> {
        Self::from_extension(path.extension()?.to_str()?)
    }

    /// The kind an extension (`py`, `TS`; without the dot) names, if it is one of ours.
    pub(crate) fn from_extension(extension: &str) -> Option<Self> {
        let ext = extension.to_ascii_lowercase();
        HOSTS
            .iter()
            .find(|h| h.extensions.contains(&ext.as_str()))
            .map(|h| h.kind)
    }

    /// The kind a language name means: an editor's language id (`typescriptreact`,
    /// `shellscript`), for documents whose file name does not say.
    pub fn from_language(language_id: &str) -> Option<Self> {
        HOSTS
            .iter()
            .find(|h| h.language_ids.contains(&language_id))
            .map(|h| h.kind)
    }

    /// The kind of a file whose name says nothing (standard input, an unknown extension): JSON
    /// when it starts with `{` or `[`, else YAML.
    pub fn sniff(bytes: &[u8]) -> Self {
        let text = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        match text.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{' | b'[') => FileKind::Json,
            _ => FileKind::Yaml,
        }
    }
}

/// The kinds, names and extensions of `HOSTS`, in a constant.
const fn names_and_extensions() -> [(FileKind, &'static str, &'static [&'static str]); HOSTS.len()]
{
    let mut all = [(FileKind::Json, "", &[] as &[&str]); HOSTS.len()];
    let mut at = 0;
    while at < HOSTS.len() {
        all[at] = (HOSTS[at].kind, HOSTS[at].name, HOSTS[at].extensions);
        at += 1;
    }
    all
}

/// One top-level value of a file: the whole JSON text, a JSONL line, a YAML document.
#[derive(Debug)]
pub(crate) struct Document {
    /// Where the document is in the file.
    pub range: TextRange,
    /// Its value, when one was found.
    pub root: Option<Node>,
    /// Its syntax errors.
    pub errors: Vec<SyntaxError>,
    /// The size of the body it stands for, as sent.
    pub body_bytes: u64,
    /// The syntax its text is written in, which renders its fixes.
    pub host: Host,
    /// For a request found in code: the SDK call or curl command that sends it. For a
    /// recorded request whose body cannot be read, with no value: its `what` says why.
    pub call: Option<Box<Call>>,
    /// Strings written beside requests that the secrets scan reads too: a client constructor's
    /// arguments (`api_key="..."`), curl header values.
    pub credentials: Vec<Node>,
    /// The decoded text the document was parsed from, when it is embedded in the host's
    /// quoting (a shell-quoted body, a notebook cell): fixes are rendered there and quoted back.
    pub embedding: Option<Arc<Decoded>>,
    /// The values of the request read from modules beside the file, at the names that import
    /// them: findings there say where the value is set, and have no fix.
    pub imported: Vec<Imported>,
}

impl Document {
    /// True for a document read by the JSON parser from the file's text as written, with no
    /// syntax error and nothing from a host language (no SDK call, no credentials beside it, no
    /// quoting around it): its strings' ranges hold their values written in JSON, and edits
    /// inside one string can patch it ([`crate::lsp`]).
    pub(crate) fn strict_json(&self) -> bool {
        self.host == Host::Json
            && self.errors.is_empty()
            && self.call.is_none()
            && self.credentials.is_empty()
            && self.embedding.is_none()
    }

    /// A document for a whole value of a request file.
    fn file(
        range: TextRange,
        root: Option<Node>,
        errors: Vec<SyntaxError>,
        body_bytes: u64,
        host: Host,
    ) -> Self {
        Self {
            range,
            root,
            errors,
            body_bytes,
            host,
            call: None,
            credentials: Vec::new(),
            embedding: None,
            imported: Vec::new(),
        }
    }

    /// How this document's fixes are rendered.
    pub(crate) fn renderer(&self) -> Renderer<'_> {
        Renderer {
            host: self.host,
            embedding: self.embedding.as_deref(),
        }
    }

    /// A request file's value embedded in another file (a JSON or YAML Markdown fence).
    pub(crate) fn embedded(
        range: TextRange,
        root: Node,
        host: Host,
        decoded: Arc<Decoded>,
    ) -> Self {
        Self {
            embedding: Some(decoded),
            ..Self::file(range, Some(root), Vec::new(), 0, host)
        }
    }

    /// Moves a document found in the decoded text of `decoded` (a notebook's cells, a Markdown
    /// code fence) into the host file: its ranges mapped back, its fixes rendered inside the
    /// embedding.
    pub(crate) fn embed_in(&mut self, decoded: &Arc<Decoded>) {
        let map = |r: TextRange| decoded.to_host(r);
        self.range = map(self.range);
        if let Some(root) = &mut self.root {
            root.map_ranges(&mut |r| map(r));
        }
        for credential in &mut self.credentials {
            credential.map_ranges(&mut |r| map(r));
        }
        if let Some(call) = &mut self.call {
            call.range = map(call.range);
        }
        for imported in &mut self.imported {
            imported.range = map(imported.range);
        }
        self.embedding = Some(Arc::clone(decoded));
    }

    /// A document that holds no request, only strings to scan for keys.
    pub(crate) fn credentials(strings: Vec<Node>, host: Host) -> Self {
        let range = match (strings.first(), strings.last()) {
            (Some(first), Some(last)) => TextRange {
                start: first.range.start,
                end: last.range.end,
            },
            _ => TextRange::default(),
        };
        Self {
            credentials: strings,
            ..Self::file(range, None, Vec::new(), 0, host)
        }
    }
}

/// Parses a text into its documents, as if it were a file with nothing beside it. Never
/// fails.
pub(crate) fn parse(text: &str, kind: FileKind) -> Vec<Document> {
    parse_in(text, kind, &Siblings::none())
}

/// Parses a file into its documents, reading the constants its code imports from `siblings`.
/// Never fails.
pub(crate) fn parse_in(text: &str, kind: FileKind, siblings: &Siblings) -> Vec<Document> {
    match kind.spec().parse {
        Parse::Json => {
            let (base, body) = strip_bom(text);
            let parse = syntax::json::parse(body, base);
            // A recording is read only from a file that parses: its documents are the
            // requests inside it, which would carry none of the file's syntax errors.
            if let Some(recorded) = parse
                .root
                .as_ref()
                .filter(|_| parse.errors.is_empty())
                .and_then(|root| recording(text, root, Host::Json))
            {
                return recorded;
            }
            with_references(
                Document::file(
                    TextRange::new(0, text.len()),
                    parse.root,
                    parse.errors,
                    body.len() as u64,
                    Host::Json,
                ),
                text,
            )
        }
        Parse::JsonLines => {
            let mut documents = Vec::new();
            let mut start = 0;
            for line in text.split_inclusive('\n') {
                let body = line.trim_end_matches(['\n', '\r']);
                if !body.trim().is_empty() {
                    let parse = syntax::json::parse(body, start);
                    documents.push(Document::file(
                        TextRange::new(start, start + body.len()),
                        parse.root,
                        parse.errors,
                        body.len() as u64,
                        Host::Json,
                    ));
                }
                start += line.len();
            }
            documents
        }
        Parse::Yaml => syntax::yaml::parse(text)
            .into_iter()
            .flat_map(|doc| {
                if let Some(recorded) = doc
                    .root
                    .as_ref()
                    .filter(|_| doc.errors.is_empty())
                    .and_then(|root| recording(text, root, Host::Yaml))
                {
                    return recorded;
                }
                let bytes = doc.root.as_ref().map_or(0, json_len);
                vec![Document::file(
                    doc.range,
                    doc.root,
                    doc.errors,
                    bytes,
                    Host::Yaml,
                )]
            })
            .flat_map(|doc| with_references(doc, text))
            .collect(),
        // Most source files send no request: one scan for a Claude word skips them unparsed.
        Parse::Code(_) if !code::may_hold_request(text) => Vec::new(),
        Parse::Code(extract) => extract(text, siblings),
    }
}

/// A configuration file's value as the model references it holds (promptfoo providers, a
/// LiteLLM `model_list`), beside one document of its strings for the key scan; any other value
/// as itself.
fn with_references(document: Document, text: &str) -> Vec<Document> {
    let references = match &document.root {
        Some(root) => configs::references(root, text),
        None => Vec::new(),
    };
    if references.is_empty() {
        return vec![document];
    }
    let host = document.host;
    let mut documents = vec![Document::credentials(
        document.root.into_iter().collect(),
        host,
    )];
    documents.extend(references.into_iter().map(|r| r.into_document(host)));
    documents
}

fn strip_bom(text: &str) -> (usize, &str) {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => (3, rest),
        None => (0, text),
    }
}

/// The length of `node` serialized as compact JSON: the size of a body written in YAML once a
/// client sends it.
pub(crate) fn json_len(node: &Node) -> u64 {
    use crate::syntax::Value;
    let mut total = 0u64;
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        total += match &node.value {
            Value::Object(members) => {
                stack.extend(members.iter().map(|m| &m.value));
                let keys: u64 = members.iter().map(|m| string_len(&m.key) + 1).sum();
                2 + keys + members.len().saturating_sub(1) as u64
            }
            Value::Array(items) => {
                stack.extend(items);
                2 + items.len().saturating_sub(1) as u64
            }
            Value::String(s) => string_len(s),
            Value::Number(n) => n.to_string().len() as u64,
            Value::Bool(true) | Value::Null => 4,
            Value::Bool(false) => 5,
            Value::Unknown => 0,
        };
    }
    total
}

fn string_len(s: &str) -> u64 {
    let escapes: usize = s
        .bytes()
        .map(|b| match b {
            b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 1,
            0..0x20 => 5,
            _ => 0,
        })
        .sum();
    (s.len() + escapes + 2) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_len_matches_serde() {
        let text = r#"{"a": [1, true, null, "x\ny\u0001"], "b": {"c": false}, "d": 1.5}"#;
        let root = syntax::json::parse(text, 0).root.unwrap();
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(json_len(&root), value.to_string().len() as u64);
    }

    #[test]
    fn jsonl_lines_keep_file_offsets() {
        let text = "{\"a\": 1}\r\n\n{\"b\": 2}\n";
        let docs = parse(text, FileKind::JsonLines);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].range, TextRange::new(11, 19));
        let root = docs[1].root.as_ref().unwrap();
        assert_eq!(root.member("b").unwrap().key_range, TextRange::new(12, 15));
    }

    #[test]
    fn a_log_named_as_a_notebook_or_as_json_is_not_recovered_as_either() {
        // 32 MB of log lines: tree-sitter-json's recovery took 4.7 s and 574 MB for 5 MB of it
        // (`tests/it/growth.rs` checks the analysis of the same input).
        let junk = growth_inputs::log_junk(32 << 20);
        assert!(parse(&junk, FileKind::Notebook).is_empty());
        let documents = parse(&junk, FileKind::Json);
        assert_eq!(documents.len(), 1);
        assert!(documents[0].root.is_none());
        let messages: Vec<&str> = documents[0]
            .errors
            .iter()
            .map(|e| e.message.as_str())
            .collect();
        assert_eq!(
            messages,
            ["invalid JSON: unexpected text after the JSON value"]
        );
    }
}

/// The inputs `benches/growth.rs` times, for the tests above.
#[cfg(test)]
#[path = "../../benches/growth/inputs.rs"]
#[allow(dead_code)] // The benchmark's other inputs have their tests elsewhere.
mod growth_inputs;

/// The betas a data file declares in comments, `# anthropic-beta: a, b` (YAML) or
/// `// anthropic-beta: a` (JSONC): a file cannot show the header its request is sent with.
///
/// Only the lines that hold the words are read: a search for them runs at memory speed, where
/// splitting a 32 MB request into lines cost the language server 4 ms on every edit.
pub(crate) fn declared_betas(text: &str) -> Vec<String> {
    static WORDS: LazyLock<AhoCorasick> = LazyLock::new(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(["anthropic-beta"])
            .expect("one literal pattern")
    });
    let mut betas = Vec::new();
    let mut read_to = 0;
    for found in WORDS.find_iter(text) {
        if found.start() < read_to {
            continue; // On a line already read.
        }
        let start = memchr::memrchr(b'\n', &text.as_bytes()[..found.start()]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &text.as_bytes()[found.end()..])
            .map_or(text.len(), |i| found.end() + i);
        read_to = end;
        if let Some(list) = declared_in(&text[start..end]) {
            betas.extend(
                list.split(',')
                    .map(str::trim)
                    .filter(|b| !b.is_empty())
                    .map(str::to_owned),
            );
        }
    }
    betas
}

/// The list of an `anthropic-beta:` comment line.
fn declared_in(line: &str) -> Option<&str> {
    let line = line.trim_start();
    let comment = line
        .strip_prefix('#')
        .or_else(|| line.strip_prefix("//"))?
        .trim_start();
    let (name, list) = comment.split_once(':')?;
    name.trim()
        .eq_ignore_ascii_case("anthropic-beta")
        .then_some(list)
}

#[cfg(test)]
mod declared_tests {
    use super::declared_betas;

    #[test]
    fn reads_anthropic_beta_comments() {
        let yaml = "# anthropic-beta: code-execution-2025-08-25, files-api-2025-04-14\nmodel: x\n  # Anthropic-Beta:mcp-client-2025-11-20\n# not-a-beta: y\nprompt: \"# anthropic-beta: z\"\n";
        assert_eq!(
            declared_betas(yaml),
            [
                "code-execution-2025-08-25",
                "files-api-2025-04-14",
                "mcp-client-2025-11-20"
            ]
        );
        assert_eq!(declared_betas("{\n  // anthropic-beta: a-1\n}"), ["a-1"]);
        assert!(declared_betas("{\"anthropic-beta\": \"a\"}").is_empty());
    }

    /// Lines found by searching for the words read as lines split one by one did: CRLF line
    /// ends, the words twice on one line, on the first and the last line with no line end.
    #[test]
    fn only_the_lines_with_the_words_are_read_and_read_whole() {
        let text = "# ANTHROPIC-BETA: a, anthropic-beta-2\r\nx: 1\r\n#anthropic-beta:b\r\n  // anthropic-beta :c ,";
        assert_eq!(declared_betas(text), ["a", "anthropic-beta-2", "b", "c"]);
        assert!(declared_betas("anthropic-beta").is_empty());
        assert!(declared_betas("").is_empty());
    }
}
