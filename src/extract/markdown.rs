//! Claude requests in Markdown: curl commands in `bash`, `sh`, `shell`, `zsh` and `console`
//! fences, requests written out in `json` and `yaml` fences, and SDK calls in `python`,
//! `javascript` and `typescript` fences (and their extensions, `py`, `js`, `ts`...), checked as
//! files are.
//!
//! Documentation shortens examples (`"messages": [...]`, `# ...`): a fenced body that does not
//! parse is an illustration, not a request, so it is skipped rather than reported.

use std::ops::Range;
use std::sync::Arc;

use tree_sitter::{Node as TsNode, Parser, Point};

use super::code;
use super::files::{Document, FileKind, json_len};
use super::hosts::Parse;
use super::shell;
use super::siblings::Siblings;
use crate::fix::Host;
use crate::syntax::LineIndex;
use crate::syntax::embed::{Decoded, Quoting};

/// Finds the requests in a Markdown text.
pub(crate) fn extract(text: &str) -> Vec<Document> {
    let mut parser = Parser::new();
    if parser
        .set_language(&tree_sitter_md::LANGUAGE.into())
        .is_err()
    {
        return Vec::new();
    }
    let Some(tree) = parser.parse(text, None) else {
        return Vec::new();
    };
    let mut documents = Vec::new();
    let lines = LineIndex::new(text);
    let root = tree.root_node();
    let mut cursor = root.walk();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.kind() == "fenced_code_block" {
            documents.extend(fence(text, &lines, node));
        } else {
            stack.extend(node.named_children(&mut cursor));
        }
    }
    documents.sort_by_key(|d| d.range);
    documents
}

/// The requests in one fenced code block (`lines` indexes `text`).
fn fence(text: &str, lines: &LineIndex, block: TsNode<'_>) -> Vec<Document> {
    let mut cursor = block.walk();
    let children: Vec<TsNode<'_>> = block.named_children(&mut cursor).collect();
    let language = children
        .iter()
        .find(|n| n.kind() == "info_string")
        .map(|info| {
            text[info.byte_range()]
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .trim_start_matches('{')
                .trim_start_matches('.')
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    let Some(content) = children.iter().find(|n| n.kind() == "code_fence_content") else {
        return Vec::new();
    };
    // The content without the prefixes a list or a block quote puts in front of its lines.
    let mut pieces = Vec::new();
    let mut at = content.start_byte();
    let mut c = content.walk();
    for continuation in content
        .named_children(&mut c)
        .filter(|n| n.kind() == "block_continuation")
    {
        pieces.push(at..continuation.start_byte().max(at));
        at = continuation.end_byte().max(at);
    }
    pieces.push(at..content.end_byte().max(at));
    pieces.retain(|p| !p.is_empty());
    // A JSON or YAML body is read from the start of its first line, indentation included, so
    // that every line keeps the same indentation and fixes write it too. A fence in a block
    // quote (`> `) is not read.
    let body = || {
        let mut c = content.walk();
        let indented_only = content
            .named_children(&mut c)
            .filter(|n| n.kind() == "block_continuation")
            .all(|n| text[n.byte_range()].trim().is_empty());
        let start = text[..content.start_byte()]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let lead = &text[start..content.start_byte()];
        let mut decoded = Decoded::default();
        decoded.piece(Quoting::Verbatim);
        decoded.verbatim(&text[start..content.end_byte()], start);
        (indented_only && lead.trim().is_empty()).then_some(decoded)
    };
    match language.as_str() {
        "bash" | "sh" | "shell" | "zsh" => commands(text, lines, &pieces),
        "console" | "shell-session" | "terminal" => commands(text, lines, &prompted(text, &pieces)),
        "json" | "jsonc" => body().and_then(json).into_iter().collect(),
        "yaml" | "yml" => body().map(yaml).unwrap_or_default(),
        other => match code_extractor(other) {
            Some(extract) => body().map(|d| code(d, extract)).unwrap_or_default(),
            None => Vec::new(),
        },
    }
}

/// The curl requests in shell lines; a body that does not parse is an illustration.
fn commands(text: &str, lines: &LineIndex, pieces: &[Range<usize>]) -> Vec<Document> {
    if pieces.is_empty() {
        return Vec::new();
    }
    // The rows and columns tree-sitter wants, from the file's line index: counting them from
    // the file's start for every fence made a file of many fences quadratic.
    let point = |at: usize| {
        let row = lines.line_of(at);
        Point::new(row, at - lines.line_start(row).unwrap_or(0))
    };
    let included: Vec<tree_sitter::Range> = pieces
        .iter()
        .map(|r| tree_sitter::Range {
            start_byte: r.start,
            end_byte: r.end,
            start_point: point(r.start),
            end_point: point(r.end),
        })
        .collect();
    let mut documents = shell::extract(text, Some(&included));
    documents.retain(|d| d.errors.is_empty());
    documents
}

/// The commands of a console session: lines after a `$ ` or `% ` prompt, and the lines a
/// trailing backslash continues them onto. Output lines are left out.
fn prompted(text: &str, pieces: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut commands = Vec::new();
    let mut continued = false;
    for piece in pieces {
        let mut at = piece.start;
        for line in text[piece.clone()].split_inclusive('\n') {
            let start = at;
            at += line.len();
            let body = line.trim_end_matches(['\n', '\r']);
            let command = if continued {
                Some(start)
            } else {
                let trimmed = body.trim_start();
                let indent = body.len() - trimmed.len();
                ["$ ", "% "]
                    .iter()
                    .find(|p| trimmed.starts_with(**p))
                    .map(|p| start + indent + p.len())
            };
            continued = false;
            if let Some(from) = command {
                commands.push(from..at);
                continued = body.ends_with('\\');
            }
        }
    }
    commands
}

/// The extractor of a fence in Python, JavaScript or TypeScript, named by a language id
/// (`python`, `typescript`) or an extension (`py`, `ts`) of the host table.
fn code_extractor(language: &str) -> Option<fn(&str, &Siblings) -> Vec<Document>> {
    let kind = FileKind::from_language(language).or_else(|| FileKind::from_extension(language))?;
    match (kind, kind.spec().parse) {
        (
            FileKind::Python | FileKind::JavaScript | FileKind::TypeScript | FileKind::Tsx,
            Parse::Code(extract),
        ) => Some(extract),
        _ => None,
    }
}

/// A code fence: the requests its code sends, found as in a source file. Only a complete
/// example, which makes the client it calls, is checked: a call on a `client` the fence does not
/// make is an illustration (`client.messages.create(model=..., messages=[{"role": ...}])`).
fn code(decoded: Decoded, extract: fn(&str, &Siblings) -> Vec<Document>) -> Vec<Document> {
    let decoded = Arc::new(decoded);
    // An example in prose imports nothing from the files beside it.
    let mut documents = extract(&decoded.text, &Siblings::none());
    documents.retain(|d| d.call.as_ref().is_none_or(|c| c.known_client));
    for document in &mut documents {
        document.embed_in(&decoded);
    }
    documents
}

/// A JSON fence: one document, checked as a JSON file is.
fn json(decoded: Decoded) -> Option<Document> {
    let (root, errors) = code::embedded_json(&decoded);
    if !errors.is_empty() {
        return None;
    }
    let root = root?;
    let range = root.range;
    let body_bytes = decoded.text.trim().len() as u64;
    let mut document = Document::embedded(range, root, Host::Json, Arc::new(decoded));
    document.body_bytes = body_bytes;
    Some(document)
}

/// A YAML fence: one document per YAML document, checked as a YAML file is.
fn yaml(decoded: Decoded) -> Vec<Document> {
    let decoded = Arc::new(decoded);
    crate::syntax::yaml::parse(&decoded.text)
        .into_iter()
        .filter(|doc| doc.errors.is_empty())
        .filter_map(|doc| {
            let mut root = doc.root?;
            root.map_ranges(&mut |r| decoded.to_host(r));
            let range = decoded.to_host(doc.range);
            let mut document = Document::embedded(range, root, Host::Yaml, Arc::clone(&decoded));
            document.body_bytes = document.root.as_ref().map_or(0, json_len);
            Some(document)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_fences_of_each_kind() {
        let text = "# Use\n\n```bash\ncurl https://api.anthropic.com/v1/messages -d '{\"model\": \"claude-opus-5\"}'\n```\n\n- step\n\n  ```json\n  {\"model\": \"claude-opus-5\",\n   \"max_tokens\": 5}\n  ```\n\n```console\n$ curl https://api.anthropic.com/v1/messages \\\n    -d '{\"model\": \"claude-opus-5\"}'\n{\"id\": \"msg_1\"}\n```\n\n```json\n{\"model\": \"claude-opus-5\", \"messages\": [...]}\n```\n\n```yaml\nmodel: claude-opus-5\nmax_tokens: 5\n```\n";
        let docs = extract(text);
        let hosts: Vec<Host> = docs.iter().map(|d| d.host).collect();
        assert_eq!(hosts, [Host::Json, Host::Json, Host::Json, Host::Yaml]);
        assert!(docs[0].call.is_some() && docs[2].call.is_some());
        let root = docs[1].root.as_ref().unwrap();
        let tokens = root.get("max_tokens").unwrap();
        assert_eq!(&text[tokens.range.to_range()], "5");
        let model = docs[3].root.as_ref().unwrap().get("model").unwrap();
        assert_eq!(&text[model.range.to_range()], "claude-opus-5");
    }

    #[test]
    fn finds_sdk_calls_in_code_fences() {
        let text = "# Ask\n\n```python\nimport anthropic\nclient = anthropic.Anthropic()\nclient.messages.create(model=\"claude-3-opus-20240229\", max_tokens=1024, messages=[{\"role\": \"user\", \"content\": \"Hi\"}])\n```\n\n```ts\nimport Anthropic from \"@anthropic-ai/sdk\";\nconst client = new Anthropic();\nawait client.messages.create({ model: \"claude-opus-5\", max_tokens: 5, messages: [] });\n```\n\n```py\nclient.messages.create(model=\"claude-opus-5\", ...)\n```\n\n```ruby\nclient.messages.create(model: \"claude-opus-5\")\n```\n\n> ```python\n> anthropic.Anthropic().messages.create(model=\"claude-opus-5\")\n> ```\n";
        let docs = extract(text);
        let hosts: Vec<Host> = docs.iter().map(|d| d.host).collect();
        // The `py` fence calls a client it does not make: an illustration.
        assert_eq!(hosts, [Host::Python, Host::JavaScript]);
        let model = docs[0].root.as_ref().unwrap().get("model").unwrap();
        assert_eq!(&text[model.range.to_range()], "\"claude-3-opus-20240229\"");
        assert!(docs[0].call.as_ref().unwrap().known_client);
        let call = docs[1].call.as_ref().unwrap();
        assert_eq!(&text[call.range.to_range()], "create");
    }

    #[test]
    fn code_fences_are_checked_with_exact_ranges() {
        use crate::analyze::analyze;
        use crate::settings::Settings;
        let text = "Old example:\n\n```python\nimport anthropic\nclient = anthropic.Anthropic()\nclient.messages.create(\n    model=\"claude-3-opus-20240229\",\n    messages=[{\"role\": \"user\", \"content\": \"Hi\"}],\n    ...\n)\n```\n";
        let settings = Settings::new(jiff::civil::date(2026, 12, 3));
        let found: Vec<(&str, String)> = analyze(text, FileKind::Markdown, "README.md", &settings)
            .diagnostics
            .iter()
            .map(|d| (d.rule.code, text[d.range.to_range()].to_owned()))
            .collect();
        // Retired at the model's range; nothing missing beside the `...`.
        assert_eq!(found, [("L102", "\"claude-3-opus-20240229\"".to_owned())]);
    }
}
