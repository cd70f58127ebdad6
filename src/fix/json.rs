//! Renders structural edits as JSON text: commas, quotes and the file's own indentation.

use super::{Edit, TextEdit};
use crate::syntax::TextRange;

/// Renders one edit; `None` when the text around it is not what the edit expects.
pub(crate) fn render(edit: &Edit, text: &str) -> Option<Vec<TextEdit>> {
    let edit = match edit {
        Edit::RemoveItem { container, item } => remove_item(text, *container, *item)?,
        Edit::RenameKey { key, to } => TextEdit {
            range: *key,
            new_text: serde_json::to_string(to).ok()?,
        },
        Edit::ReplaceValue { node, value } => {
            // Only a value written over several lines asks for its line's indentation: on a
            // one-line file, finding the line's start is a scan of the text before the value.
            let inline = !text[node.to_range()].contains('\n');
            TextEdit {
                range: *node,
                new_text: if inline {
                    one_line(value)
                } else {
                    render_value(value, indent_of_line(text, node.start as usize))
                },
            }
        }
        Edit::ReplaceText { range, text: new } => super::verbatim(text, *range, new)?,
        Edit::InsertMember {
            object,
            after,
            key,
            value,
        } => insert_member(text, *object, *after, key, value)?,
    };
    Some(vec![edit])
}

/// Serializes `value`: short values on one line, longer objects and arrays indented like the
/// line they start on.
pub(crate) fn render_value(value: &serde_json::Value, indent: &str) -> String {
    let line = one_line(value);
    if line.len() <= 80 || !(value.is_object() || value.is_array()) {
        return line;
    }
    let pretty = serde_json::to_string_pretty(value).unwrap_or(line);
    pretty.replace('\n', &format!("\n{indent}"))
}

/// Serializes `value` on one line the way people write JSON by hand: `{"a": 1, "b": [2, 3]}`.
pub(crate) fn one_line(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let members: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", Value::from(k.as_str()), one_line(v)))
                .collect();
            format!("{{{}}}", members.join(", "))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(one_line).collect();
            format!("[{}]", items.join(", "))
        }
        scalar => scalar.to_string(),
    }
}

/// The whitespace that starts the line holding `offset`.
pub(super) fn indent_of_line(text: &str, offset: usize) -> &str {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// Skips whitespace and comments forward from `pos`.
fn skip_trivia(text: &str, mut pos: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        match bytes.get(pos) {
            Some(b' ' | b'\t' | b'\r' | b'\n') => pos += 1,
            Some(b'/') if bytes.get(pos + 1) == Some(&b'/') => {
                pos = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
            }
            Some(b'/') if bytes.get(pos + 1) == Some(&b'*') => match text[pos + 2..].find("*/") {
                Some(i) => pos += 2 + i + 2,
                None => return text.len(),
            },
            _ => return pos,
        }
    }
}

/// Skips whitespace backward from `pos` (exclusive); comments are left alone.
fn skip_space_back(text: &str, pos: usize) -> usize {
    text[..pos].trim_end_matches([' ', '\t', '\r', '\n']).len()
}

/// What removing the item `start..end` of a comma-separated list takes, given `after`, the
/// first non-trivia byte after it: the item with its comma (and its whole line when it stands
/// on its own), or the comma before the last item. `None` for the only item, which each host
/// removes its own way. Shared by every host with JSON-like lists (JSON, Python, JS).
pub(super) fn comma_item_removal(
    text: &str,
    start: usize,
    end: usize,
    after: usize,
) -> Option<std::ops::Range<usize>> {
    if text.as_bytes().get(after) == Some(&b',') {
        // Not the last item: take its comma, and its whole line when it stands on its own.
        let mut stop = after + 1;
        let rest = &text[stop..];
        let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        // Only the blanks before the item are read back: on a one-line file, looking for the
        // line's start would scan everything before the item, once per removal.
        let line_start = text[..start]
            .trim_end_matches(|c: char| c != '\n' && c.is_whitespace())
            .len();
        let own_line = line_start == 0 || text.as_bytes()[line_start - 1] == b'\n';
        if own_line && matches!(rest.as_bytes().get(spaces), Some(b'\n' | b'\r')) {
            stop += spaces
                + if rest[spaces..].starts_with("\r\n") {
                    2
                } else {
                    1
                };
            return Some(line_start..stop);
        }
        return Some(start..stop + spaces);
    }
    let before = skip_space_back(text, start);
    // The last item: take the comma before it.
    (before > 0 && text.as_bytes()[before - 1] == b',').then(|| before - 1..end)
}

fn remove_item(text: &str, container: TextRange, item: TextRange) -> Option<TextEdit> {
    let (start, end) = (item.start as usize, item.end as usize);
    let removal = match comma_item_removal(text, start, end, skip_trivia(text, end)) {
        Some(removal) => removal,
        None => {
            // The only item: empty the container. (A container that error recovery left
            // unclosed has no bracket to keep: no fix.)
            let inner = container.start as usize + 1..(container.end as usize).saturating_sub(1);
            let closed = matches!(text.as_bytes().get(inner.end), Some(b'}' | b']'));
            if !closed
                || !text
                    .get(inner.clone())?
                    .trim_start()
                    .starts_with(&text[start..end])
            {
                return None;
            }
            inner
        }
    };
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
    value: &serde_json::Value,
) -> Option<TextEdit> {
    let key = serde_json::to_string(key).ok()?;
    let Some(last) = after else {
        let open = object.start as usize + 1;
        let rendered = if text[object.to_range()].contains('\n') {
            render_value(value, indent_of_line(text, object.start as usize))
        } else {
            // An object written on one line (every object of a JSON Lines record) stays on one.
            one_line(value)
        };
        return Some(TextEdit {
            range: TextRange::empty(open),
            new_text: format!("{key}: {rendered}"),
        });
    };
    let end = last.end as usize;
    let multiline = text[object.start as usize..last.start as usize].contains('\n');
    let new_text = if multiline {
        let indent = indent_of_line(text, last.start as usize);
        format!(",\n{indent}{key}: {}", render_value(value, indent))
    } else {
        format!(", {key}: {}", one_line(value))
    };
    Some(TextEdit {
        range: TextRange::empty(end),
        new_text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply::apply_edits;
    use crate::syntax::json::parse;

    fn removing(text: &str, key: &str) -> String {
        let root = parse(text, 0).root.unwrap();
        let member = root.member(key).unwrap();
        let edits = render(&Edit::remove_member(&root, member), text).unwrap();
        apply_edits(text, &edits)
    }

    #[test]
    fn removes_members_keeping_layout() {
        let text = "{\n  \"model\": \"x\",\n  \"stop\": [\"a\"],\n  \"max_tokens\": 5\n}\n";
        assert_eq!(
            removing(text, "stop"),
            "{\n  \"model\": \"x\",\n  \"max_tokens\": 5\n}\n"
        );
        assert_eq!(
            removing(text, "max_tokens"),
            "{\n  \"model\": \"x\",\n  \"stop\": [\"a\"]\n}\n"
        );
        assert_eq!(removing(r#"{"a": 1, "b": 2}"#, "a"), r#"{"b": 2}"#);
        assert_eq!(removing(r#"{"a": 1, "b": 2}"#, "b"), r#"{"a": 1}"#);
        assert_eq!(removing(r#"{ "a": 1 }"#, "a"), "{}");
        assert_eq!(
            removing("{\r\n  \"a\": 1,\r\n  \"b\": 2\r\n}", "a"),
            "{\r\n  \"b\": 2\r\n}"
        );
    }

    #[test]
    fn inserts_members_in_the_file_style() {
        let text = "{\n  \"model\": \"x\"\n}";
        let root = parse(text, 0).root.unwrap();
        let edit = Edit::insert_member(&root, "max_tokens", serde_json::json!(1024));
        let out = apply_edits(text, &render(&edit, text).unwrap());
        assert_eq!(out, "{\n  \"model\": \"x\",\n  \"max_tokens\": 1024\n}");
        let text = "{}";
        let root = parse(text, 0).root.unwrap();
        let edit = Edit::insert_member(&root, "a", serde_json::json!("b"));
        assert_eq!(
            apply_edits(text, &render(&edit, text).unwrap()),
            r#"{"a": "b"}"#
        );
    }

    #[test]
    fn renames_keys_and_replaces_values() {
        let text = r#"{"stop": "x"}"#;
        let root = parse(text, 0).root.unwrap();
        let member = root.member("stop").unwrap();
        let edits = [
            render(&Edit::rename_key(member, "stop_sequences"), text).unwrap(),
            render(
                &Edit::replace_value(&member.value, serde_json::json!(["x"])),
                text,
            )
            .unwrap(),
        ]
        .concat();
        assert_eq!(apply_edits(text, &edits), r#"{"stop_sequences": ["x"]}"#);
    }
}
