//! Renders structural edits as Python or JavaScript/TypeScript: keyword arguments
//! (`max_tokens=1024`) or dict keys (`"max_tokens": 1024`) in Python, object keys unquoted where
//! valid in JS, `True`/`None` against `true`/`null`, commas and comments of the language, so the
//! file still parses after `--fix`.

use serde_json::Value as Json;

use super::json::{self, indent_of_line};
use super::{Edit, TextEdit};
use crate::syntax::TextRange;

/// The language a fix is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    /// Python.
    Python,
    /// JavaScript and TypeScript.
    JavaScript,
}

/// Renders one edit; `None` when the text around it is not what the edit expects (a member
/// spread in from a literal elsewhere, a key that cannot be written as a keyword argument).
pub(crate) fn render(edit: &Edit, text: &str, syntax: Syntax) -> Option<Vec<TextEdit>> {
    let edit = match edit {
        Edit::RemoveItem { container, item } => remove_item(text, *container, *item, syntax)?,
        Edit::RenameKey { key, to } => TextEdit {
            range: *key,
            new_text: key_text(text.get(key.to_range())?, to, syntax)?,
        },
        Edit::ReplaceValue { node, value } => {
            let indent = indent_of_line(text, node.start as usize);
            // A string keeps the quotes it was written with.
            let single = text.get(node.to_range())?.starts_with('\'');
            TextEdit {
                range: *node,
                new_text: match value {
                    Json::String(s) if single => quoted(s, '\''),
                    _ => render_value(value, syntax, indent),
                },
            }
        }
        Edit::ReplaceText { range, text: new } => super::verbatim(text, *range, new)?,
        Edit::InsertMember {
            object,
            after,
            key,
            value,
        } => insert_member(text, *object, *after, key, value, syntax)?,
    };
    Some(vec![edit])
}

/// The key `to` written the way the old key `old` is: a quoted key keeps its quotes, a keyword
/// argument or bare key stays bare when `to` is a valid name.
fn key_text(old: &str, to: &str, syntax: Syntax) -> Option<String> {
    let first = old.chars().next()?;
    if matches!(first, '"' | '\'') {
        return Some(quoted(to, first));
    }
    if is_name(to, syntax) {
        return Some(to.to_owned());
    }
    // A keyword argument must be a name; a JS key may be quoted instead.
    (syntax == Syntax::JavaScript).then(|| quoted(to, '"'))
}

/// `s` as a string literal in `quote`s. A JSON string literal means the same in Python and JS.
fn quoted(s: &str, quote: char) -> String {
    let json = serde_json::to_string(s).unwrap_or_default();
    if quote == '"' {
        return json;
    }
    let inner = &json[1..json.len() - 1];
    format!("'{}'", inner.replace("\\\"", "\"").replace('\'', "\\'"))
}

/// True when `name` can be written bare: a keyword argument in Python, an object key in JS.
fn is_name(name: &str, syntax: Syntax) -> bool {
    const PYTHON_KEYWORDS: &[&str] = &[
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
        "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
        "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
        "try", "while", "with", "yield",
    ];
    let mut chars = name.chars();
    let extra = |c: char| syntax == Syntax::JavaScript && c == '$';
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || extra(c))
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || extra(c))
        && !(syntax == Syntax::Python && PYTHON_KEYWORDS.contains(&name))
}

/// A value as a literal of the language, on one line when short, else indented from `indent`.
pub(crate) fn render_value(value: &Json, syntax: Syntax, indent: &str) -> String {
    let line = one_line(value, syntax);
    if line.len() <= 80 || !(value.is_object() || value.is_array()) {
        return line;
    }
    let step = match syntax {
        Syntax::Python => "    ",
        Syntax::JavaScript => "  ",
    };
    pretty(value, syntax, indent, step)
}

fn scalar(value: &Json, syntax: Syntax) -> String {
    match (value, syntax) {
        (Json::Null, Syntax::Python) => "None".into(),
        (Json::Bool(true), Syntax::Python) => "True".into(),
        (Json::Bool(false), Syntax::Python) => "False".into(),
        _ => value.to_string(),
    }
}

fn object_key(key: &str, syntax: Syntax) -> String {
    if syntax == Syntax::JavaScript && is_name(key, syntax) {
        key.to_owned()
    } else {
        quoted(key, '"')
    }
}

fn one_line(value: &Json, syntax: Syntax) -> String {
    match value {
        Json::Object(map) => {
            let members: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", object_key(k, syntax), one_line(v, syntax)))
                .collect();
            format!("{{{}}}", members.join(", "))
        }
        Json::Array(items) => {
            let items: Vec<String> = items.iter().map(|v| one_line(v, syntax)).collect();
            format!("[{}]", items.join(", "))
        }
        scalar_value => scalar(scalar_value, syntax),
    }
}

/// Nesting is bounded: the values fixes write are built by rules from payload trees, which
/// parsers keep under `MAX_DEPTH`.
fn pretty(value: &Json, syntax: Syntax, indent: &str, step: &str) -> String {
    let inner = format!("{indent}{step}");
    let (open, close, items): (char, char, Vec<String>) = match value {
        Json::Object(map) if !map.is_empty() => (
            '{',
            '}',
            map.iter()
                .map(|(k, v)| {
                    format!(
                        "{}: {}",
                        object_key(k, syntax),
                        pretty(v, syntax, &inner, step)
                    )
                })
                .collect(),
        ),
        Json::Array(items) if !items.is_empty() => (
            '[',
            ']',
            items
                .iter()
                .map(|v| pretty(v, syntax, &inner, step))
                .collect(),
        ),
        other => return one_line(other, syntax),
    };
    let body: String = items.iter().map(|i| format!("\n{inner}{i},")).collect();
    format!("{open}{body}\n{indent}{close}")
}

/// Skips white space and comments forward from `pos`.
fn skip_trivia(text: &str, mut pos: usize, syntax: Syntax) -> usize {
    let bytes = text.as_bytes();
    loop {
        match (bytes.get(pos), bytes.get(pos + 1), syntax) {
            (Some(b' ' | b'\t' | b'\r' | b'\n'), _, _) => pos += 1,
            (Some(b'#'), _, Syntax::Python) | (Some(b'/'), Some(b'/'), Syntax::JavaScript) => {
                pos = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
            }
            (Some(b'/'), Some(b'*'), Syntax::JavaScript) => match text[pos + 2..].find("*/") {
                Some(i) => pos += 2 + i + 2,
                None => return text.len(),
            },
            (Some(b'\\'), Some(b'\n'), Syntax::Python) => pos += 2,
            _ => return pos,
        }
    }
}

fn remove_item(
    text: &str,
    container: TextRange,
    item: TextRange,
    syntax: Syntax,
) -> Option<TextEdit> {
    if !container.contains_range(item) || item.is_empty() {
        return None;
    }
    let (start, end) = (item.start as usize, item.end as usize);
    let after = skip_trivia(text, end, syntax);
    // The only item goes alone: Python and JS brackets may stay empty as written.
    let removal = json::comma_item_removal(text, start, end, after).unwrap_or(start..end);
    Some(TextEdit {
        range: TextRange::new(removal.start, removal.end),
        new_text: String::new(),
    })
}

fn insert_member(
    text: &str,
    object: TextRange,
    after: Option<TextRange>,
    key: &str,
    value: &Json,
    syntax: Syntax,
) -> Option<TextEdit> {
    let open = object.start as usize;
    let close = (object.end as usize).checked_sub(1)?;
    let keyword = match (text.as_bytes().get(open), text.as_bytes().get(close)) {
        (Some(b'('), Some(b')')) => true,
        (Some(b'{'), Some(b'}')) => false,
        _ => return None,
    };
    let member = |indent: &str| {
        let rendered = render_value(value, syntax, indent);
        if keyword {
            is_name(key, syntax).then(|| format!("{key}={rendered}"))
        } else {
            Some(format!("{}: {rendered}", object_key(key, syntax)))
        }
    };
    let multiline = text[open..close].contains('\n');
    // After the last member written in the object; members spread in from elsewhere do not
    // count, so the new one goes before the closing bracket.
    let at = match after.filter(|a| object.contains_range(*a)) {
        Some(last) => last.end as usize,
        None => {
            let inner = &text[open + 1..close];
            if inner.contains('#') || inner.contains("//") || inner.contains("/*") {
                return None;
            }
            open + 1 + inner.trim_end().len()
        }
    };
    let before = text[..at].trim_end();
    let first = before.ends_with(['(', '{']);
    let comma = if first || before.ends_with(',') && at == before.len() {
        ""
    } else {
        ","
    };
    let new_text = if first && !multiline {
        member("")?
    } else if multiline {
        let indent = if first {
            format!("{}    ", indent_of_line(text, open))
        } else {
            indent_of_line(text, at).to_owned()
        };
        format!("{comma}\n{indent}{}", member(&indent)?)
    } else {
        format!("{comma} {}", member("")?)
    };
    Some(TextEdit {
        range: TextRange::empty(at),
        new_text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply::apply_edits;
    use serde_json::json;

    fn apply(text: &str, edit: Edit, syntax: Syntax) -> String {
        apply_edits(text, &render(&edit, text, syntax).unwrap())
    }

    fn span(text: &str, needle: &str) -> TextRange {
        let at = text.find(needle).unwrap();
        TextRange::new(at, at + needle.len())
    }

    #[test]
    fn python_keyword_arguments() {
        let text = "c.messages.create(\n    model=\"m\",\n    stop=[\"x\"],\n)\n";
        let object = span(
            text,
            &text[text.find('(').unwrap()..=text.rfind(')').unwrap()],
        );
        let stop = span(text, "stop=[\"x\"]");
        let removed = apply(
            text,
            Edit::RemoveItem {
                container: object,
                item: stop,
            },
            Syntax::Python,
        );
        assert_eq!(removed, "c.messages.create(\n    model=\"m\",\n)\n");
        let inserted = apply(
            text,
            Edit::InsertMember {
                object,
                after: Some(stop),
                key: "max_tokens".into(),
                value: json!(1024),
            },
            Syntax::Python,
        );
        assert_eq!(
            inserted,
            "c.messages.create(\n    model=\"m\",\n    stop=[\"x\"],\n    max_tokens=1024,\n)\n"
        );
        let renamed = apply(
            text,
            Edit::RenameKey {
                key: span(text, "stop"),
                to: "stop_sequences".into(),
            },
            Syntax::Python,
        );
        assert!(renamed.contains("stop_sequences=[\"x\"]"));
        assert_eq!(
            render_value(&json!({"a": [true, null], "b": "q\""}), Syntax::Python, ""),
            r#"{"a": [True, None], "b": "q\""}"#
        );
    }

    #[test]
    fn javascript_objects() {
        let text = "client.messages.create({ model: 'm', 'max-x': 1 });";
        let object = span(text, "{ model: 'm', 'max-x': 1 }");
        let out = apply(
            text,
            Edit::InsertMember {
                object,
                after: Some(span(text, "'max-x': 1")),
                key: "max_tokens".into(),
                value: json!({"type": "x-y"}),
            },
            Syntax::JavaScript,
        );
        assert_eq!(
            out,
            "client.messages.create({ model: 'm', 'max-x': 1, max_tokens: {type: \"x-y\"} });"
        );
        let renamed = apply(
            text,
            Edit::RenameKey {
                key: span(text, "'max-x'"),
                to: "max_tokens".into(),
            },
            Syntax::JavaScript,
        );
        assert!(renamed.contains("'max_tokens': 1"));
        let empty = "f({})";
        let out = apply(
            empty,
            Edit::InsertMember {
                object: span(empty, "{}"),
                after: None,
                key: "a-b".into(),
                value: json!(1),
            },
            Syntax::JavaScript,
        );
        assert_eq!(out, "f({\"a-b\": 1})");
    }
}
