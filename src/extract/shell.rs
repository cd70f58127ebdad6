//! Claude requests in shell: `curl` commands to `/v1/messages`, `/v1/messages/count_tokens`
//! or `/v1/messages/batches`, in scripts and in Markdown fences.
//!
//! The body comes from `-d`, `--data`, `--data-raw`, `--data-binary`, `--data-ascii`, `--json`,
//! or a heredoc (`-d @- <<EOF`). Its JSON is decoded from the shell's quoting with every range
//! mapped back to the file; where the shell splices a value in (`$VAR`, `$(...)`) the value is
//! `Unknown`, and a splice in the body's structure makes the whole body `Unknown`. The headers
//! (`-H 'name: value'`) travel with the payload: the API version in force comes from
//! `anthropic-version`, the betas from `anthropic-beta`.

use std::ops::Range;
use std::sync::Arc;

use tree_sitter::{Node as TsNode, Parser};

use super::PayloadKind;
use super::code::{self, Call, Header, range};
use super::files::Document;
use crate::facts::Dialect;
use crate::fix::Host;
use crate::syntax::embed::{Decoded, Quoting, SPLICE};
use crate::syntax::{Node, TextRange, Value};

/// Finds the curl requests in a shell text; `ranges` limits parsing to parts of it (the
/// commands of a Markdown fence), with positions still those of the whole text.
pub(crate) fn extract(text: &str, ranges: Option<&[tree_sitter::Range]>) -> Vec<Document> {
    let mut parser = Parser::new();
    if parser
        .set_language(&tree_sitter_bash::LANGUAGE.into())
        .is_err()
    {
        return Vec::new();
    }
    if let Some(ranges) = ranges
        && (ranges.is_empty() || parser.set_included_ranges(ranges).is_err())
    {
        return Vec::new();
    }
    let Some(tree) = parser.parse(text, None) else {
        return Vec::new();
    };
    let root = tree.root_node();
    let mut documents = Vec::new();
    let mut cursor = root.walk();
    // Each node with its parent (`Node::parent` walks down from the root on every call).
    let mut stack = vec![(root, None)];
    while let Some((node, parent)) = stack.pop() {
        if node.kind() == "command"
            && let Some(name) = node.child_by_field_name("name")
            && &text[name.byte_range()] == "curl"
        {
            documents.extend(curl(text, node, parent, name));
        }
        stack.extend(node.named_children(&mut cursor).map(|c| (c, Some(node))));
    }
    documents.sort_by_key(|d| d.range);
    documents
}

/// One curl request, if the command (a child of `parent`) sends a body to a Messages endpoint.
fn curl(
    text: &str,
    command: TsNode<'_>,
    parent: Option<TsNode<'_>>,
    name: TsNode<'_>,
) -> Option<Document> {
    let mut cursor = command.walk();
    let args: Vec<(TsNode<'_>, Decoded)> = command
        .children_by_field_name("argument", &mut cursor)
        .map(|arg| (arg, decode_word(text, arg)))
        .collect();
    let mut url = None;
    let mut body: Option<Decoded> = None;
    let mut bodies = 0;
    let mut headers = Vec::new();
    let mut credentials = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let (arg, word) = &args[i];
        let value = args.get(i + 1);
        let option = word.text.as_str();
        match option {
            "-H" | "--header" => {
                if let Some((at, header)) = value {
                    let header = header_of(header, range(*at));
                    if let Value::String(_) = header.value.value {
                        credentials.push(header.value.clone());
                    }
                    headers.push(header);
                }
                i += 2;
            }
            "-d" | "--data" | "--data-raw" | "--data-binary" | "--data-ascii" | "--json" => {
                if option == "--json" {
                    headers.push(Header {
                        name: "content-type".into(),
                        range: range(*arg),
                        value: Node::new(range(*arg), Value::String("application/json".into())),
                    });
                }
                bodies += 1;
                body = value.map(|(_, data)| data.clone());
                if body.as_ref().is_some_and(|b| b.text == "@-") {
                    body = parent.and_then(|p| heredoc(text, p));
                } else if body.as_ref().is_some_and(|b| b.text.starts_with('@')) {
                    // A body read from a file is not in this text.
                    return None;
                }
                i += 2;
            }
            "--url" => {
                url = value.map(|(_, u)| u.text.clone());
                i += 2;
            }
            "-F" | "--form" | "--data-urlencode" | "-T" | "--upload-file" => return None,
            "-K" | "--config" => {
                headers.push(unknown_headers(range(*arg)));
                i += 2;
            }
            "--oauth2-bearer" => {
                headers.push(Header {
                    name: "authorization".into(),
                    range: range(*arg),
                    value: Node::new(range(*arg), Value::Unknown),
                });
                i += 2;
            }
            "-X" | "--request" | "-o" | "--output" | "-u" | "--user" | "-A" | "--user-agent"
            | "-e" | "--referer" | "-m" | "--max-time" | "-w" | "--write-out"
            | "--connect-timeout" | "-x" | "--proxy" | "--retry" | "-b" | "--cookie" | "-c"
            | "--cookie-jar" | "--cacert" | "--cert" | "--key" => i += 2,
            _ if option.starts_with('-') => i += 1,
            _ => {
                if option.contains("/v1/messages") {
                    url = Some(option.to_owned());
                }
                i += 1;
            }
        }
    }
    let url = url?;
    let kind = endpoint(&url)?;
    // Several `-d` are joined with `&`: that is no JSON body anyone meant to send.
    let decoded = body.filter(|_| bodies == 1)?;
    let (root, errors) = code::embedded_json(&decoded);
    let root = root?;
    let betas = code::header_betas(&headers);
    let api_version = code::header_api_version(&headers);
    let host = url
        .trim_start_matches("https://")
        .trim_start_matches("http://");
    let known = host.starts_with("api.anthropic.com/");
    Some(Document {
        range: range(command),
        body_bytes: decoded.text.len() as u64,
        root: Some(root),
        errors,
        host: Host::Json,
        call: Some(Box::new(Call {
            kind,
            dialect: Dialect::FirstParty,
            known_client: known,
            sdk: false,
            api_version,
            betas,
            headers: Some(headers),
            range: range(name),
            what: format!("`curl` to `{}`", path_of(&url)),
            runtime: None,
            raw_http: None,
        })),
        credentials,
        embedding: Some(Arc::new(decoded)),
        imported: Vec::new(),
    })
}

/// The path of a URL, without scheme, host and query.
fn path_of(url: &str) -> &str {
    let path = url.find("/v1/").map_or(url, |at| &url[at..]);
    path.split(['?', '#']).next().unwrap_or(path)
}

/// The endpoint a URL names, if it is one whose body this tool checks.
fn endpoint(url: &str) -> Option<PayloadKind> {
    Some(match path_of(url).trim_end_matches('/') {
        "/v1/messages" => PayloadKind::Messages,
        "/v1/messages/count_tokens" => PayloadKind::CountTokens,
        "/v1/messages/batches" => PayloadKind::Batch,
        _ => return None,
    })
}

/// A `name: value` header argument.
fn header_of(word: &Decoded, at: TextRange) -> Header {
    let text = &word.text;
    if text.starts_with('@') {
        // Headers read from a file: any of them may be there.
        return unknown_headers(at);
    }
    let (name, value_at) = match text.find(':') {
        Some(colon) => (text[..colon].trim().to_ascii_lowercase(), colon + 1),
        None => (text.trim().to_ascii_lowercase(), text.len()),
    };
    let raw = &text[value_at..];
    let start = value_at + (raw.len() - raw.trim_start().len());
    let end = value_at + raw.trim_end().len();
    let value_range = word.to_host(TextRange::new(start, end.max(start)));
    let value = &text[start..end.max(start)];
    Header {
        name,
        range: at,
        value: if value.contains(SPLICE) {
            Node::new(value_range, Value::Unknown)
        } else {
            Node::new(value_range, Value::String(value.to_owned()))
        },
    }
}

/// A stand-in for headers this text does not show (`-H @file`, `-K config`): a header with no
/// name, so that no header is taken to be missing.
fn unknown_headers(at: TextRange) -> Header {
    Header {
        name: String::new(),
        range: at,
        value: Node::new(at, Value::Unknown),
    }
}

/// The heredoc a command reads its body from (`-d @- <<EOF`), from the command's parent.
fn heredoc(text: &str, parent: TsNode<'_>) -> Option<Decoded> {
    let statement = Some(parent).filter(|p| p.kind() == "redirected_statement")?;
    let mut cursor = statement.walk();
    let redirect = statement
        .children_by_field_name("redirect", &mut cursor)
        .find(|r| r.kind() == "heredoc_redirect")?;
    let mut c = redirect.walk();
    let children: Vec<TsNode<'_>> = redirect.named_children(&mut c).collect();
    let start = children.iter().find(|n| n.kind() == "heredoc_start")?;
    let body = children.iter().find(|n| n.kind() == "heredoc_body")?;
    let quoted = text[start.byte_range()].starts_with(['\'', '"']);
    let mut decoded = Decoded::default();
    if quoted {
        decoded.piece(Quoting::Verbatim);
        decoded.verbatim(&text[body.byte_range()], body.start_byte());
    } else {
        decoded.piece(Quoting::Heredoc);
        quoted_content(
            text,
            *body,
            body.byte_range(),
            &['\\', '$', '`'],
            &mut decoded,
        );
    }
    Some(decoded)
}

/// Decodes one shell word: quotes removed, escapes decoded, splices marked.
fn decode_word(text: &str, word: TsNode<'_>) -> Decoded {
    let mut decoded = Decoded::default();
    append_word(text, word, &mut decoded);
    decoded
}

fn append_word(text: &str, word: TsNode<'_>, decoded: &mut Decoded) {
    let r = word.byte_range();
    match word.kind() {
        "raw_string" => {
            decoded.piece(Quoting::ShellSingle);
            let inner = between_quotes(text, r, b'\'');
            decoded.verbatim(&text[inner.clone()], inner.start);
        }
        "string" => {
            decoded.piece(Quoting::ShellDouble);
            let inner = between_quotes(text, r, b'"');
            quoted_content(text, word, inner, &['\\', '$', '`', '"'], decoded);
        }
        "concatenation" => {
            let mut cursor = word.walk();
            for part in word.named_children(&mut cursor) {
                append_word(text, part, decoded);
            }
        }
        "word" | "number" => {
            decoded.piece(Quoting::ShellWord);
            unquoted(text, r, decoded);
        }
        _ => {
            decoded.piece(Quoting::ShellWord);
            decoded.splice(r);
        }
    }
}

/// An unquoted word: a backslash escapes any character, and before a newline joins lines.
fn unquoted(text: &str, r: Range<usize>, decoded: &mut Decoded) {
    let mut at = r.start;
    let slice = &text[r.clone()];
    let mut chars = slice.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let here = r.start + i;
        if c == '\\'
            && let Some(&(j, next)) = chars.peek()
        {
            decoded.verbatim(&text[at..here], at);
            let end = r.start + j + next.len_utf8();
            let stands_for = if next == '\n' {
                String::new()
            } else {
                next.to_string()
            };
            decoded.escape(&stands_for, here..end);
            chars.next();
            at = end;
        }
    }
    decoded.verbatim(&text[at..r.end], at);
}

/// The text inside a quoted word at `r`. A word cut off by the end of the file has no closing
/// quote, so its last character is content (and may be several bytes long).
fn between_quotes(text: &str, r: Range<usize>, quote: u8) -> Range<usize> {
    let start = r.start + 1;
    let closed = r.end > start && text.as_bytes()[r.end - 1] == quote;
    start..if closed { r.end - 1 } else { r.end.max(start) }
}

/// The content of a double-quoted string or an unquoted heredoc: expansions are splices, a
/// backslash escapes only the characters in `escapable` (and a newline).
fn quoted_content(
    text: &str,
    node: TsNode<'_>,
    inner: Range<usize>,
    escapable: &[char],
    decoded: &mut Decoded,
) {
    let mut cursor = node.walk();
    let splices: Vec<Range<usize>> = node
        .named_children(&mut cursor)
        .filter(|n| {
            matches!(
                n.kind(),
                "simple_expansion"
                    | "expansion"
                    | "command_substitution"
                    | "arithmetic_expansion"
                    | "process_substitution"
            )
        })
        .map(|n| n.byte_range())
        .collect();
    let mut at = inner.start;
    for splice in splices {
        // A half-typed string may end before its last expansion does.
        let start = splice.start.clamp(at, inner.end.max(at));
        let end = splice.end.clamp(start, inner.end.max(start));
        escaped(text, at..start, escapable, decoded);
        if start < end {
            decoded.splice(start..end);
        }
        at = end;
    }
    escaped(text, at..inner.end.max(at), escapable, decoded);
}

/// Text where a backslash escapes the characters in `escapable` and a newline.
fn escaped(text: &str, r: Range<usize>, escapable: &[char], decoded: &mut Decoded) {
    let slice = &text[r.clone()];
    let mut at = r.start;
    let mut chars = slice.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            continue;
        }
        let Some(&(j, next)) = chars.peek() else {
            break;
        };
        if next == '\n' || escapable.contains(&next) {
            let here = r.start + i;
            decoded.verbatim(&text[at..here], at);
            let end = r.start + j + next.len_utf8();
            let stands_for = if next == '\n' {
                String::new()
            } else {
                next.to_string()
            };
            decoded.escape(&stands_for, here..end);
            at = end;
            chars.next();
        }
    }
    decoded.verbatim(&text[at..r.end], at);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_bodies_headers_and_splices() {
        let text = r#"curl https://api.anthropic.com/v1/messages \
     --header "x-api-key: $ANTHROPIC_API_KEY" \
     -H 'anthropic-version: 2023-06-01' \
     -H "anthropic-beta: a-1,b-2" \
     --data "{\"model\": \"claude-opus-5\", \"system\": \"$SYSTEM\", \"max_tokens\": 10}"
curl -s "$URL/v1/messages/count_tokens" -d @- <<EOF
{"model": "claude-opus-5", "messages": [{"role": "user", "content": "I'm \$5"}]}
EOF
curl https://example.com/other -d '{}'
"#;
        let docs = extract(text, None);
        assert_eq!(docs.len(), 2);
        let call = docs[0].call.as_ref().unwrap();
        assert_eq!(call.kind, PayloadKind::Messages);
        assert!(call.known_client);
        assert_eq!(
            call.api_version,
            crate::facts::api::ApiVersion::parse("2023-06-01")
        );
        assert_eq!(call.betas, Some(vec!["a-1".into(), "b-2".into()]));
        let root = docs[0].root.as_ref().unwrap();
        let model = root.get("model").unwrap();
        assert_eq!(&text[model.range.to_range()], r#"\"claude-opus-5\""#);
        assert!(root.get("system").unwrap().is_unknown());
        // The key is spliced in; the version and beta headers are scanned too.
        assert_eq!(docs[0].credentials.len(), 2);
        let count = docs[1].call.as_ref().unwrap();
        assert_eq!(count.kind, PayloadKind::CountTokens);
        assert!(!count.known_client);
        let content = docs[1]
            .root
            .as_ref()
            .unwrap()
            .get("messages")
            .unwrap()
            .as_array()
            .unwrap()[0]
            .get("content")
            .unwrap();
        assert_eq!(content.as_str(), Some("I'm $5"));
    }

    #[test]
    fn a_splice_in_structure_makes_the_body_unknown() {
        let text =
            "curl https://api.anthropic.com/v1/messages -d \"{\\\"model\\\": $MODEL_JSON}\"\n";
        let docs = extract(text, None);
        assert!(docs[0].root.as_ref().unwrap().is_unknown());
        assert!(docs[0].errors.is_empty());
    }
}
