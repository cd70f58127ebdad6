//! Renders structural edits as YAML text: block entries by whole lines at their own
//! indentation, flow collections (`{a: 1, b: 2}`) with their commas, and scalars quoted only
//! when a plain one would mean something else.
//!
//! Anything the renderer is not sure about gets no fix (`None`): a target written as an alias
//! (the edit would land on the alias, not on the value it copies), an anchored value (other
//! aliases would lose it), a `|+` block scalar that owns the blank lines after it, a compact
//! nested list (`- - x`).

use serde_json::Value as Json;

use super::{Edit, TextEdit};
use crate::syntax::TextRange;
use crate::syntax::Value;
use crate::syntax::yaml::scalar::resolve_plain;

/// Renders one edit; `None` when the text around it is not what the edit expects.
pub(crate) fn render(edit: &Edit, text: &str) -> Option<Vec<TextEdit>> {
    let edit = match edit {
        Edit::RemoveItem { container, item } => remove_item(text, *container, *item)?,
        Edit::RenameKey { key, to } => {
            // A quoted key stays quoted: `"key":value` without a space is only a key when
            // the key is quoted, as in YAML written the JSON way.
            let quoted = target(text, *key)?.starts_with(['"', '\'']);
            TextEdit {
                range: *key,
                new_text: if quoted {
                    serde_json::to_string(to).ok()?
                } else {
                    scalar(to)
                },
            }
        }
        Edit::ReplaceValue { node, value } => {
            target(text, *node)?;
            TextEdit {
                range: *node,
                new_text: flow(value),
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

/// The text at `range` when an edit may touch it: not an alias and not an anchored value.
fn target(text: &str, range: TextRange) -> Option<&str> {
    let slice = text.get(range.to_range())?;
    (!slice.starts_with(['*', '&'])).then_some(slice)
}

/// A string as a YAML scalar: plain when that reads back as the same string, else
/// double-quoted (a JSON string is a valid YAML double-quoted scalar).
pub(crate) fn scalar(s: &str) -> String {
    if plain_is_safe(s) {
        s.to_owned()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
    }
}

/// True when `s` written plain reads back as the string `s`, in block and in flow context.
fn plain_is_safe(s: &str) -> bool {
    const INDICATORS: [char; 19] = [
        '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@',
        '`',
    ];
    !s.is_empty()
        && matches!(resolve_plain(s), Value::String(_))
        && !s.starts_with(INDICATORS)
        && !s.starts_with([' ', '\t'])
        && !s.ends_with([' ', '\t', ':'])
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.chars().any(|c| {
            c.is_control()
                || matches!(
                    c,
                    ',' | '[' | ']' | '{' | '}' | '\u{feff}' | '\u{2028}' | '\u{2029}'
                )
        })
}

/// A value on one line, in flow style (objects `{a: 1}`, arrays `[a, b]`).
pub(crate) fn flow(value: &Json) -> String {
    match value {
        Json::Null => "null".to_owned(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.to_string(),
        Json::String(s) => scalar(s),
        Json::Array(items) => {
            let items: Vec<String> = items.iter().map(flow).collect();
            format!("[{}]", items.join(", "))
        }
        Json::Object(members) => {
            let members: Vec<String> = members
                .iter()
                .map(|(k, v)| format!("{}: {}", scalar(k), flow(v)))
                .collect();
            format!("{{{}}}", members.join(", "))
        }
    }
}

/// What follows `key:` for a new member in block context: a nested object in block style on
/// the lines below (indented `indent`), anything else on the same line.
fn block(value: &Json, indent: usize, newline: &str) -> String {
    let pad = " ".repeat(indent);
    match value {
        Json::Object(members) if !members.is_empty() => members
            .iter()
            .map(|(k, v)| {
                format!(
                    "{newline}{pad}{}:{}",
                    scalar(k),
                    block(v, indent + 2, newline)
                )
            })
            .collect(),
        Json::Array(items) if !items.is_empty() => items
            .iter()
            .map(|item| format!("{newline}{pad}- {}", flow(item)))
            .collect(),
        _ => format!(" {}", flow(value)),
    }
}

/// The start of the line holding `offset`.
fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1)
}

/// The end of the line holding `offset`, before its line break.
fn line_end(text: &str, offset: usize) -> usize {
    text[offset..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| offset + i)
}

/// Past the line break at `offset` (a line's end), if there is one.
fn after_break(text: &str, offset: usize) -> usize {
    if text[offset..].starts_with("\r\n") {
        offset + 2
    } else if text[offset..].starts_with(['\n', '\r']) {
        offset + 1
    } else {
        offset
    }
}

fn edit(start: usize, end: usize, new_text: impl Into<String>) -> TextEdit {
    TextEdit {
        range: TextRange::new(start, end),
        new_text: new_text.into(),
    }
}

fn remove_item(text: &str, container: TextRange, item: TextRange) -> Option<TextEdit> {
    let whole = text.get(container.to_range())?;
    target(text, item)?;
    match whole.as_bytes().first()? {
        b'{' | b'[' => remove_flow_item(text, container, item),
        b'-' => remove_list_item(text, container, item),
        b'&' | b'!' | b'*' | b'?' => None,
        _ => remove_member(text, container, item),
    }
}

/// Removes a member of a block mapping: its lines, or on a `- key: value` line the member
/// and the indentation that the next member then takes over.
fn remove_member(text: &str, container: TextRange, item: TextRange) -> Option<TextEdit> {
    let (start, end) = (item.start as usize, item.end as usize);
    if item == container {
        // The only member: the mapping becomes empty, not null.
        return Some(edit(start, end, "{}"));
    }
    let first = line_start(text, start);
    let next = after_break(text, line_end(text, end));
    let prefix = &text[first..start];
    if prefix.trim().is_empty() {
        return Some(edit(first, next, ""));
    }
    // `- key: value` with more members on the lines below at the key's column.
    let column = prefix.chars().count();
    let is_item = prefix.trim() == "-";
    let below = &text[next..line_end(text, next)];
    let indent = below.len() - below.trim_start_matches(' ').len();
    let has_next =
        indent == column && !below[indent..].is_empty() && !below[indent..].starts_with('#');
    (is_item && has_next).then(|| edit(start, next + indent, ""))
}

/// Removes an item of a block sequence with its `- ` line.
fn remove_list_item(text: &str, container: TextRange, item: TextRange) -> Option<TextEdit> {
    let (start, end) = (item.start as usize, item.end as usize);
    let first = line_start(text, start);
    let prefix = &text[first..start];
    let dash = first + prefix.find('-')?;
    if !text[first..dash].trim().is_empty() || !text[dash + 1..start].trim().is_empty() {
        // A compact nested list (`- - x`): not on a line of its own.
        return None;
    }
    if dash == container.start as usize && end == container.end as usize {
        // The only item: the list becomes empty, not null. A flow `[]` may not sit at its
        // key's column, so it goes after the colon.
        let before = text[..dash].trim_end();
        return if before.ends_with(':') {
            Some(edit(before.len(), end, " []"))
        } else if before.is_empty() || before.ends_with('-') {
            Some(edit(dash, end, "[]"))
        } else {
            None
        };
    }
    Some(edit(first, after_break(text, line_end(text, end)), ""))
}

/// Removes a member or element of a flow collection with its comma, as in JSON.
fn remove_flow_item(text: &str, container: TextRange, item: TextRange) -> Option<TextEdit> {
    let (start, end) = (item.start as usize, item.end as usize);
    let after = end + (text[end..].len() - text[end..].trim_start().len());
    if text[end..after].contains('#') || text.as_bytes().get(after) == Some(&b'#') {
        return None;
    }
    if text.as_bytes().get(after) == Some(&b',') {
        let stop = after + 1;
        let rest = &text[stop..];
        let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        let first = line_start(text, start);
        let own_line = text[first..start].trim().is_empty();
        if own_line && rest[spaces..].starts_with(['\n', '\r']) {
            return Some(edit(first, after_break(text, stop + spaces), ""));
        }
        return Some(edit(start, stop + spaces, ""));
    }
    let before = text[..start].trim_end().len();
    if before > 0 && text.as_bytes()[before - 1] == b',' {
        return Some(edit(before - 1, end, ""));
    }
    // The only item: empty the collection.
    let inner = container.start as usize + 1..container.end as usize - 1;
    (text.get(inner.clone())?.trim() == &text[start..end]).then(|| edit(inner.start, inner.end, ""))
}

fn insert_member(
    text: &str,
    object: TextRange,
    after: Option<TextRange>,
    key: &str,
    value: &Json,
) -> Option<TextEdit> {
    let whole = text.get(object.to_range())?;
    let key = scalar(key);
    match (whole.as_bytes().first()?, after) {
        (b'{', None) => Some(edit(
            object.start as usize + 1,
            object.start as usize + 1,
            format!("{key}: {}", flow(value)),
        )),
        (b'{', Some(last)) => {
            let end = last.end as usize;
            let multiline = text[object.start as usize..last.start as usize].contains('\n');
            let first = line_start(text, last.start as usize);
            let indent = &text[first..last.start as usize];
            let new_text = if multiline && indent.trim().is_empty() {
                format!(",\n{indent}{key}: {}", flow(value))
            } else {
                format!(", {key}: {}", flow(value))
            };
            Some(edit(end, end, new_text))
        }
        (b'[' | b'&' | b'!' | b'*' | b'?' | b'-', _) | (_, None) => None,
        (_, Some(last)) => {
            let last_text = target(text, last)?;
            // A `|+` scalar keeps the blank lines after it; a member inserted there would
            // take them away.
            let value_text = last_text
                .split_once(':')
                .map_or("", |(_, v)| v.trim_start());
            if value_text.starts_with(['|', '>'])
                && value_text.lines().next().is_some_and(|h| h.contains('+'))
            {
                return None;
            }
            let first = line_start(text, last.start as usize);
            let column = text[first..last.start as usize].chars().count();
            let at = line_end(text, last.end as usize);
            let newline = if text[at..].starts_with("\r\n") {
                "\r\n"
            } else {
                "\n"
            };
            let new_text = format!(
                "{newline}{}{key}:{}",
                " ".repeat(column),
                block(value, column + 2, newline)
            );
            Some(edit(at, at, new_text))
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::fix::apply::apply_edits;
    use crate::syntax::yaml::parse;
    use crate::syntax::{Member, Node};

    fn root(text: &str) -> Node {
        let mut docs = parse(text);
        let doc = docs.remove(0);
        assert!(doc.errors.is_empty(), "{text}\n{:?}", doc.errors);
        doc.root.unwrap()
    }

    /// Applies `edit` and checks that the result still parses without errors.
    fn apply(text: &str, edit: &Edit) -> String {
        let edits = render(edit, text).expect("the edit renders");
        let out = apply_edits(text, &edits);
        root(&out);
        out
    }

    fn path<'a>(node: &'a Node, path: &[&str]) -> &'a Node {
        path.iter().fold(node, |n, k| match k.parse::<usize>() {
            Ok(i) => &n.as_array().unwrap()[i],
            Err(_) => n.get(k).unwrap(),
        })
    }

    /// Removes the member at `path` (its last part is the key).
    fn removing(text: &str, at: &[&str]) -> String {
        let doc = root(text);
        let (key, parent) = at.split_last().unwrap();
        let object = path(&doc, parent);
        let member: &Member = object.member(key).unwrap();
        apply(text, &Edit::remove_member(object, member))
    }

    fn removing_element(text: &str, at: &[&str], index: usize) -> String {
        let doc = root(text);
        let array = path(&doc, at);
        apply(
            text,
            &Edit::remove_element(array, &array.as_array().unwrap()[index]),
        )
    }

    #[test]
    fn scalars_are_quoted_only_when_needed() {
        let cases = [
            ("claude-opus-5", "claude-opus-5"),
            ("Hello, world", "\"Hello, world\""),
            ("END", "END"),
            ("true", "\"true\""),
            ("1024", "\"1024\""),
            ("null", "\"null\""),
            ("", "\"\""),
            ("a: b", "\"a: b\""),
            ("a #b", "\"a #b\""),
            ("- x", "\"- x\""),
            ("@x", "\"@x\""),
            ("two\nlines", "\"two\\nlines\""),
            (" padded", "\" padded\""),
            ("key:", "\"key:\""),
            ("it's", "it's"),
            ("user_id", "user_id"),
            ("0x1F", "\"0x1F\""),
            ("https://example.com/a?b=c", "https://example.com/a?b=c"),
        ];
        for (s, expected) in cases {
            assert_eq!(scalar(s), expected, "{s:?}");
            let doc = root(&format!("k: {expected}\nf: [{expected}]\n"));
            assert_eq!(doc.get("k").unwrap().as_str(), Some(s), "{expected}");
            assert_eq!(path(&doc, &["f", "0"]).as_str(), Some(s), "{expected}");
        }
        assert_eq!(
            flow(&json!({"a": [1, "x, y", null, true, {}], "b c": []})),
            "{a: [1, \"x, y\", null, true, {}], b c: []}"
        );
    }

    #[test]
    fn removes_block_members_with_their_nested_values() {
        let text =
            "# request\nmodel: claude-opus-5  # newest\nstop:\n  - END\n  - STOP\nmax_tokens: 5\n";
        assert_eq!(
            removing(text, &["stop"]),
            "# request\nmodel: claude-opus-5  # newest\nmax_tokens: 5\n"
        );
        assert_eq!(
            removing(text, &["max_tokens"]),
            "# request\nmodel: claude-opus-5  # newest\nstop:\n  - END\n  - STOP\n"
        );
        assert_eq!(
            removing(text, &["model"]),
            "# request\nstop:\n  - END\n  - STOP\nmax_tokens: 5\n"
        );
        assert_eq!(removing("a: 1\r\nb: 2\r\n", &["a"]), "b: 2\r\n");
        assert_eq!(removing("a: 1\nb: |\n  text\n", &["b"]), "a: 1\n");
        assert_eq!(
            removing("a:\n  only: 1\nb: 2\n", &["a", "only"]),
            "a:\n  {}\nb: 2\n"
        );
        let text = "messages:\n  - role: user\n    content: Hi\n";
        assert_eq!(
            removing(text, &["messages", "0", "role"]),
            "messages:\n  - content: Hi\n"
        );
        assert_eq!(
            removing(text, &["messages", "0", "content"]),
            "messages:\n  - role: user\n"
        );
    }

    #[test]
    fn removes_list_items_with_their_dash() {
        let text = "stop:\n  - END # first\n  - STOP\nn: 1\n";
        assert_eq!(
            removing_element(text, &["stop"], 0),
            "stop:\n  - STOP\nn: 1\n"
        );
        assert_eq!(
            removing_element(text, &["stop"], 1),
            "stop:\n  - END # first\nn: 1\n"
        );
        assert_eq!(
            removing_element("stop:\n- END\n", &["stop"], 0),
            "stop: []\n"
        );
        assert_eq!(
            removing_element("stop:\n  - END\n", &["stop"], 0),
            "stop: []\n"
        );
        assert_eq!(removing_element("- END\n", &[], 0), "[]\n");
        let text = "m:\n  - role: user\n    content: Hi\n  - role: assistant\n";
        assert_eq!(
            removing_element(text, &["m"], 0),
            "m:\n  - role: assistant\n"
        );
    }

    #[test]
    fn removes_flow_items_with_their_commas() {
        assert_eq!(removing("r: {a: 1, b: 2}\n", &["r", "a"]), "r: {b: 2}\n");
        assert_eq!(removing("r: {a: 1, b: 2}\n", &["r", "b"]), "r: {a: 1}\n");
        assert_eq!(removing("r: { a: 1 }\n", &["r", "a"]), "r: {}\n");
        assert_eq!(removing_element("s: [x, y, z]\n", &["s"], 1), "s: [x, z]\n");
        assert_eq!(
            removing("{\n  \"a\": 1,\n  \"b\": 2\n}\n", &["a"]),
            "{\n  \"b\": 2\n}\n"
        );
        // YAML written the JSON way keeps its quotes.
        let text = "{\"stop\":\"END\"}\n";
        let doc = root(text);
        assert_eq!(
            apply(
                text,
                &Edit::rename_key(doc.member("stop").unwrap(), "stop_sequences")
            ),
            "{\"stop_sequences\":\"END\"}\n"
        );
    }

    #[test]
    fn renames_keys_and_replaces_values() {
        let text = "model: claude-opus-5\nstop: END  # the marker\nuser: 'u-1'\n";
        let doc = root(text);
        let stop = doc.member("stop").unwrap();
        let user = doc.member("user").unwrap();
        let edits = [
            Edit::rename_key(stop, "stop_sequences"),
            Edit::replace_value(&stop.value, json!(["END"])),
            Edit::rename_key(user, "metadata"),
            Edit::replace_value(&user.value, json!({"user_id": "u-1"})),
        ];
        let mut rendered: Vec<TextEdit> = edits
            .iter()
            .flat_map(|e| render(e, text).unwrap())
            .collect();
        rendered.sort();
        let out = apply_edits(text, &rendered);
        assert_eq!(
            out,
            "model: claude-opus-5\nstop_sequences: [END]  # the marker\nmetadata: {user_id: u-1}\n"
        );
        let doc = root(&out);
        assert_eq!(path(&doc, &["stop_sequences", "0"]).as_str(), Some("END"));
        assert_eq!(path(&doc, &["metadata", "user_id"]).as_str(), Some("u-1"));
        let text = "a: |\n  long\n  text\nb: 1\n";
        let doc = root(text);
        assert_eq!(
            apply(
                text,
                &Edit::replace_value(doc.get("a").unwrap(), json!("short: yes"))
            ),
            "a: \"short: yes\"\nb: 1\n"
        );
        assert_eq!(
            apply(text, &Edit::rename_key(doc.member("b").unwrap(), "true")),
            "a: |\n  long\n  text\n\"true\": 1\n"
        );
    }

    #[test]
    fn inserts_members_at_the_mapping_indentation() {
        let insert = |text: &str, at: &[&str], key: &str, value: Json| {
            let doc = root(text);
            apply(text, &Edit::insert_member(path(&doc, at), key, value))
        };
        let text = "model: claude-opus-5\nmessages:\n  - role: user\n    content: Hi\n# end\n";
        assert_eq!(
            insert(text, &[], "max_tokens", json!(1024)),
            "model: claude-opus-5\nmessages:\n  - role: user\n    content: Hi\nmax_tokens: 1024\n# end\n"
        );
        assert_eq!(
            insert(text, &["messages", "0"], "name", json!("x: y")),
            "model: claude-opus-5\nmessages:\n  - role: user\n    content: Hi\n    name: \"x: y\"\n# end\n"
        );
        assert_eq!(
            insert(
                "a: 1 # c\r\n",
                &[],
                "metadata",
                json!({"user_id": "u", "tags": ["a", "b"]})
            ),
            "a: 1 # c\r\nmetadata:\r\n  user_id: u\r\n  tags:\r\n    - a\r\n    - b\r\n"
        );
        assert_eq!(
            insert("r: {a: 1}\n", &["r"], "b", json!([1])),
            "r: {a: 1, b: [1]}\n"
        );
        assert_eq!(
            insert("r: {}\n", &["r"], "b", json!(null)),
            "r: {b: null}\n"
        );
        let doc = root("a: 1\nb: |+\n  keep\n\n");
        assert_eq!(
            render(
                &Edit::insert_member(&doc, "c", json!(1)),
                "a: 1\nb: |+\n  keep\n\n"
            ),
            None
        );
    }

    #[test]
    fn aliases_and_anchors_get_no_fix() {
        let text = "base: &b {stop: END}\nreq:\n  <<: *b\n  model: claude-opus-5\ncopy: *b\n";
        let doc = root(text);
        let merged = path(&doc, &["req"]).member("stop").unwrap();
        assert_eq!(
            render(&Edit::rename_key(merged, "stop_sequences"), text),
            None
        );
        assert_eq!(
            render(&Edit::remove_member(path(&doc, &["req"]), merged), text),
            None
        );
        let copied = path(&doc, &["copy", "stop"]);
        assert_eq!(
            render(&Edit::replace_value(copied, json!(["END"])), text),
            None
        );
        assert_eq!(
            render(
                &Edit::replace_value(doc.get("base").unwrap(), json!({})),
                text
            ),
            None
        );
        let text = "- - a\n  - b\n";
        let doc = root(text);
        let inner = path(&doc, &["0"]);
        assert_eq!(
            render(
                &Edit::remove_element(inner, &inner.as_array().unwrap()[0]),
                text
            ),
            None
        );
    }
}
