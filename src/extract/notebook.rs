//! Claude requests in Jupyter notebooks (`.ipynb`): the code cells of a Python notebook are
//! decoded out of their JSON strings and joined in order (a client made in one cell is used in
//! the next), the Python host's extractor finds the requests (SDK calls, LangChain models), and
//! every range is mapped back to the notebook's JSON text; fixes are rendered in Python and
//! written back as JSON string text.
//!
//! IPython's `%magic` and `!shell` lines are read as comments.

use std::sync::Arc;

use super::files::Document;
use super::hosts;
use super::siblings::Siblings;
use crate::syntax::embed::{Decoded, Quoting};
use crate::syntax::{Node, TextRange, Value, json};

/// Finds the requests in a notebook's JSON text. A text that does not start as a JSON object
/// is no notebook, whatever its name says, and is not parsed: reading megabytes of something
/// else as broken JSON cost seconds and hundreds of megabytes.
pub(crate) fn extract(text: &str, siblings: &Siblings) -> Vec<Document> {
    if !text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
    {
        return Vec::new();
    }
    let Some(notebook) = json::parse(text, 0).root else {
        return Vec::new();
    };
    if !is_python(&notebook) {
        return Vec::new();
    }
    let Some(cells) = notebook.get("cells").and_then(Node::as_array) else {
        return Vec::new();
    };
    let mut decoded = Decoded::default();
    for cell in cells {
        if cell.get("cell_type").and_then(Node::as_str) != Some("code") {
            continue;
        }
        let lines: Vec<&Node> = match cell.get("source") {
            Some(Node {
                value: Value::Array(lines),
                ..
            }) => lines.iter().collect(),
            Some(
                line @ Node {
                    value: Value::String(_),
                    ..
                },
            ) => vec![line],
            _ => continue,
        };
        decoded.piece(Quoting::JsonString);
        let mut line_start = true;
        for line in lines {
            let Some(written) = text.get(line.range.to_range()) else {
                continue;
            };
            if line.as_str().is_none() || written.len() < 2 {
                continue;
            }
            line_start = decode_string(
                written,
                line.range.start as usize + 1,
                line_start,
                &mut decoded,
            );
        }
        // Cells are joined on a line break of their own, written nowhere in the file.
        if !decoded.text.ends_with('\n') {
            let end = decoded.to_host(TextRange::empty(decoded.text.len())).end as usize;
            decoded.escape("\n", end..end);
        }
    }
    if decoded.text.is_empty() {
        return Vec::new();
    }
    let decoded = Arc::new(decoded);
    let mut documents = hosts::python_code(&decoded.text, siblings);
    for document in &mut documents {
        document.embed_in(&decoded);
    }
    documents
}

/// A notebook whose kernel runs Python or a superset of it (Coconut, xonsh), read from the
/// kernelspec's `language`, else `language_info.name` (the default when neither says).
fn is_python(notebook: &Node) -> bool {
    kernel_language(notebook).is_none_or(|l| {
        ["python", "coconut", "xonsh"]
            .iter()
            .any(|p| l.eq_ignore_ascii_case(p))
    })
}

/// The language a notebook's kernel runs, as its metadata names it.
fn kernel_language(notebook: &Node) -> Option<&str> {
    let metadata = notebook.get("metadata");
    metadata
        .and_then(|m| m.get("kernelspec"))
        .and_then(|k| k.get("language"))
        .or_else(|| {
            metadata
                .and_then(|m| m.get("language_info"))
                .and_then(|l| l.get("name"))
        })
        .and_then(Node::as_str)
}

/// Why a notebook gives no request although it names Claude: its kernel is not Python
/// (`check --explain-discovery`). `None` for a Python notebook.
pub(crate) fn not_read_because(text: &str) -> Option<String> {
    let notebook = json::parse(text, 0).root?;
    let language = kernel_language(&notebook).filter(|_| !is_python(&notebook))?;
    Some(format!(
        "a notebook whose kernel language is `{language}`: only Python notebooks' code cells are read"
    ))
}

/// Appends one JSON string's content (`written`, quotes included, its content starting at
/// host byte `start`) to `decoded`; returns whether the text now ends at a line start.
fn decode_string(written: &str, start: usize, mut line_start: bool, decoded: &mut Decoded) -> bool {
    let body = &written[1..written.len() - 1];
    let bytes = body.as_bytes();
    let mut at = 0;
    let mut run = 0;
    let flush = |decoded: &mut Decoded, from: usize, to: usize| {
        if from < to {
            decoded.verbatim(&body[from..to], start + from);
        }
    };
    while at < bytes.len() {
        if line_start && matches!(bytes[at], b'%' | b'!') {
            // A magic or shell line: a comment to Python.
            flush(decoded, run, at);
            decoded.escape("#", start + at..start + at + 1);
            at += 1;
            run = at;
            line_start = false;
            continue;
        }
        if bytes[at] != b'\\' {
            line_start = bytes[at] == b'\n';
            at += 1;
            continue;
        }
        let len = json::escape_len(&bytes[at..]);
        let Some(value) = body.get(at..at + len).and_then(json::unescape) else {
            // Malformed: keep the text as written; the notebook would not load anyway.
            at += len;
            continue;
        };
        flush(decoded, run, at);
        decoded.escape(&value, start + at..start + at + len);
        line_start = value.ends_with('\n');
        at += len;
        run = at;
    }
    flush(decoded, run, bytes.len());
    line_start
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_joined_and_ranges_mapped_back() {
        let text = r##"{"cells": [
 {"cell_type": "code", "source": ["import anthropic\n", "client = anthropic.Anthropic()"]},
 {"cell_type": "markdown", "source": ["# Title"]},
 {"cell_type": "code", "source": ["%pip install anthropic\n", "msg = client.messages.create(model=\"claude-opus-5\", max_tokens=5, messages=[{\"role\": \"user\", \"content\": \"caf\u00e9\\n\"}])"]}
], "metadata": {"kernelspec": {"language": "python"}}, "nbformat": 4, "nbformat_minor": 5}"##;
        let docs = extract(text, &Siblings::none());
        assert_eq!(docs.len(), 1);
        let root = docs[0].root.as_ref().unwrap();
        let model = root.get("model").unwrap();
        assert_eq!(&text[model.range.to_range()], r#"\"claude-opus-5\""#);
        let content = root.get("messages").unwrap().as_array().unwrap()[0]
            .get("content")
            .unwrap();
        assert_eq!(content.as_str(), Some("café\n"));
        assert!(docs[0].call.as_ref().unwrap().known_client);
    }

    #[test]
    fn python_supersets_and_language_info_are_python() {
        let notebook = |metadata: &str| {
            format!(
                r#"{{"cells": [{{"cell_type": "code", "source": ["import anthropic\n", "anthropic.Anthropic().messages.create(model=\"claude-opus-5\", max_tokens=5, messages=[])"]}}], "metadata": {metadata}}}"#
            )
        };
        let found = |metadata: &str| extract(&notebook(metadata), &Siblings::none()).len();
        assert_eq!(found(r#"{"kernelspec": {"language": "coconut"}}"#), 1);
        assert_eq!(
            found(r#"{"kernelspec": {"name": "xonsh", "language": "xonsh"}}"#),
            1
        );
        assert_eq!(found(r#"{"language_info": {"name": "python"}}"#), 1);
        assert_eq!(
            found(r#"{"kernelspec": {"name": "xpython"}, "language_info": {"name": "Python"}}"#),
            1
        );
        assert_eq!(found("{}"), 1);
        // Other kernels' cells are not Python, whatever they look like.
        assert_eq!(found(r#"{"kernelspec": {"language": "R"}}"#), 0);
        assert_eq!(found(r#"{"language_info": {"name": "julia"}}"#), 0);
    }
}
