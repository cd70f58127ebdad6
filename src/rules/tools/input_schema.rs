//! A custom tool's `input_schema`: present (not under another API's name), an object schema,
//! and valid against its JSON Schema meta-schema.

use serde_json::json;

use super::INVALID_INPUT_SCHEMA;
use crate::fix::{Edit, Fix};
use crate::rules::{Context, Sink};
use crate::syntax::{Node, Value};
use crate::words::describe;

/// Schema members written under another API's name: OpenAI's `parameters`, MCP's `inputSchema`.
const SCHEMA_ALIASES: &[(&str, &str)] = &[("parameters", "OpenAI"), ("inputSchema", "MCP")];

/// Checks a custom tool's `input_schema`: present, an object, a valid schema.
pub(super) fn check_input_schema(ctx: &Context<'_>, i: usize, tool: &Node, sink: &mut Sink<'_>) {
    let path = ctx
        .payload
        .api_path(&format!("tools.{i}.custom.input_schema"));
    let Some(schema) = tool.get("input_schema") else {
        let alias = SCHEMA_ALIASES
            .iter()
            .find_map(|&(key, who)| Some((tool.member(key)?, who)));
        let mut message = format!(
            "this tool has no `input_schema`: the API answers 400 `{path}: Field required`"
        );
        let (range, fix) = match alias {
            Some((member, who)) => {
                message.push_str(&format!(
                    "; {who}'s `{}` is Claude's `input_schema`",
                    member.key
                ));
                let fix = Fix::safe(
                    format!("Rename `{}` to `input_schema`", member.key),
                    vec![Edit::rename_key(member, "input_schema")],
                );
                (member.key_range, Some(fix))
            }
            None => (tool.range.head(1), None),
        };
        sink.report_fix(&INVALID_INPUT_SCHEMA, range, message, fix);
        return;
    };
    match &schema.value {
        Value::Unknown => {}
        Value::Object(_) => check_schema_object(&path, schema, sink),
        _ => sink.report(
            &INVALID_INPUT_SCHEMA,
            schema.range,
            format!(
                "`input_schema` must be a JSON Schema object, found {}: the API answers 400 `{path}: Input should be a valid dictionary`",
                describe(schema)
            ),
        ),
    }
}

/// Checks an object `input_schema`: `type` `"object"`, then the meta-schema.
fn check_schema_object(path: &str, schema: &Node, sink: &mut Sink<'_>) {
    match schema.get("type") {
        None => {
            let fix = Fix::safe(
                "Add `\"type\": \"object\"`",
                vec![Edit::insert_member(schema, "type", json!("object"))],
            );
            sink.report_fix(
                &INVALID_INPUT_SCHEMA,
                schema.range.head(1),
                format!("`input_schema` has no `type`: the API requires `\"type\": \"object\"` (400 `{path}.type: Field required`)"),
                Some(fix),
            );
        }
        Some(t) if t.is_unknown() || t.as_str() == Some("object") => {}
        Some(t) => {
            let found = match t.as_str() {
                Some(s) => format!("`\"{s}\"`"),
                None => describe(t),
            };
            sink.report(
                &INVALID_INPUT_SCHEMA,
                t.range,
                format!("`input_schema.type` must be `\"object\"`, found {found}: the API answers 400 `{path}.type: Input should be 'object'` (a tool's input is always a JSON object)"),
            );
            return;
        }
    }
    check_meta_schema(path, schema, sink);
}

/// Validates a schema against its JSON Schema meta-schema (2020-12 unless its `$schema` names
/// another draft) and reports the first violation at the value it concerns.
fn check_meta_schema(path: &str, schema: &Node, sink: &mut Sink<'_>) {
    let Some(json) = schema.to_json() else {
        return;
    };
    if jsonschema::Draft::default().detect(&json) == jsonschema::Draft::Unknown {
        return;
    }
    let Err(error) = jsonschema::meta::validate(&json) else {
        return;
    };
    let pointer = error.instance_path();
    let at = node_at(schema, pointer.segments());
    let place = if pointer.is_empty() {
        String::new()
    } else {
        format!(" at `{}`", pointer.as_str())
    };
    sink.report(
        &INVALID_INPUT_SCHEMA,
        at.range,
        format!("`input_schema` is not a valid JSON Schema{place} ({error}): the API rejects the tool with a 400 (`{path}` must follow JSON Schema draft 2020-12)"),
    );
}

/// The node a JSON pointer names under `root`, or the deepest one it reaches.
fn node_at<'a, 's>(
    root: &'a Node,
    segments: impl Iterator<Item = jsonschema::paths::LocationSegment<'s>>,
) -> &'a Node {
    use jsonschema::paths::LocationSegment;
    let mut node = root;
    for segment in segments {
        let next = match segment {
            LocationSegment::Property(key) => node.get(&key),
            LocationSegment::Index(i) => match &node.value {
                Value::Array(items) => items.get(i),
                _ => node.get(&i.to_string()),
            },
        };
        match next {
            Some(n) => node = n,
            None => break,
        }
    }
    node
}
