//! Structured outputs: `output_config.format` and its deprecated beta name `output_format`.

use serde_json::json;

use super::{DEPRECATED_OUTPUT_FORMAT, INVALID_OUTPUT_FORMAT, field};
use crate::facts::params::STRUCTURED_OUTPUTS_BETA;
use crate::fix::{Edit, Fix};
use crate::rules::{Context, Sink};
use crate::syntax::{Member, Node, Value};
use crate::words::describe;

pub(super) fn check_output_format(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(config) = field(ctx, "output_config") else {
        return;
    };
    let config = &config.value;
    let Some(member) = config.member("format") else {
        return;
    };
    let format = &member.value;
    let Some(members) = format.as_object() else {
        return;
    };
    let api = |rest: &str| ctx.payload.api_path(&format!("output_config.format{rest}"));
    if let Some(wrapper) = format.member("json_schema") {
        let inner = wrapper
            .value
            .get("schema")
            .filter(|s| s.as_object().is_some());
        let fix = inner.and_then(Node::to_json).map(|schema| {
            Fix::safe(
                "Unwrap OpenAI's `json_schema` into `{\"type\": \"json_schema\", \"schema\": ...}`",
                vec![Edit::replace_value(
                    format,
                    json!({"type": "json_schema", "schema": schema}),
                )],
            )
        });
        sink.report_fix(
            &INVALID_OUTPUT_FORMAT,
            wrapper.key_range,
            format!(
                "this is OpenAI's `response_format` shape: the API answers 400 `{}: Extra inputs are not permitted`; Claude takes the schema directly: `{{\"type\": \"json_schema\", \"schema\": {{...}}}}`",
                api(".json_schema")
            ),
            fix,
        );
        return;
    }
    match format.get("type").map(|t| (t, &t.value)) {
        None => {
            let fix = format
                .get("schema")
                .filter(|s| s.as_object().is_some())
                .map(|_| {
                    Fix::safe(
                        "Add `\"type\": \"json_schema\"`",
                        vec![Edit::insert_member(format, "type", json!("json_schema"))],
                    )
                });
            sink.report_fix(
                &INVALID_OUTPUT_FORMAT,
                format.range.head(1),
                format!(
                    "`output_config.format` has no `type`: the API answers 400 `{}: Field required`; the only type is `json_schema`",
                    api(".type")
                ),
                fix,
            );
        }
        Some((type_node, Value::String(kind))) if kind != "json_schema" => {
            report_format_type(ctx, sink, config, member, type_node, kind);
            return;
        }
        Some(_) => {}
    }
    check_format_schema(ctx, sink, format);
    for extra in members
        .iter()
        .filter(|m| m.key != "type" && m.key != "schema")
    {
        sink.report_fix(
            &INVALID_OUTPUT_FORMAT,
            extra.key_range,
            format!(
                "`{}` is not a field of the `json_schema` format: the API answers 400 `{}: Extra inputs are not permitted`",
                extra.key,
                api(&format!(".{}", extra.key))
            ),
            Some(Fix::unsafe_(
                format!("Remove `{}`", extra.key),
                vec![Edit::remove_member(format, extra)],
            )),
        );
    }
}

/// A format `type` other than `json_schema`.
fn report_format_type(
    ctx: &Context<'_>,
    sink: &mut Sink<'_>,
    config: &Node,
    member: &Member,
    type_node: &Node,
    kind: &str,
) {
    let answer = format!(
        "the API answers 400 `{}: Input tag '{kind}' found using 'type' does not match any of the expected tags: 'json_schema'`",
        ctx.payload.api_path("output_config.format")
    );
    let (message, fix) = match kind {
        "text" => (
            format!(
                "`text` is OpenAI's default format: {answer}; plain text is Claude's default, so `format` can go"
            ),
            Some(Fix::safe(
                "Remove the `text` format",
                vec![Edit::remove_member(config, member)],
            )),
        ),
        "json_object" => (
            format!(
                "`json_object` is OpenAI's JSON mode: {answer}; Claude needs the schema: `{{\"type\": \"json_schema\", \"schema\": {{...}}}}`"
            ),
            None,
        ),
        _ => (format!("`{kind}` is not a format type: {answer}"), None),
    };
    sink.report_fix(&INVALID_OUTPUT_FORMAT, type_node.range, message, fix);
}

/// The `schema` of a `json_schema` format: present, and a JSON Schema object.
pub(super) fn check_format_schema(ctx: &Context<'_>, sink: &mut Sink<'_>, format: &Node) {
    let api = ctx.payload.api_path("output_config.format.schema");
    let Some(schema) = format.get("schema") else {
        sink.report(
            &INVALID_OUTPUT_FORMAT,
            format.range.head(1),
            format!("the `json_schema` format has no `schema`: the API answers 400 `{api}: Field required`"),
        );
        return;
    };
    match &schema.value {
        Value::Object(_) | Value::Unknown => {}
        Value::String(text) => {
            let fix = Edit::parse_object_string(schema, text).map(|edit| {
                Fix::safe("Parse the string into the schema object it holds", vec![edit])
            });
            sink.report_fix(
                &INVALID_OUTPUT_FORMAT,
                schema.range,
                format!("`schema` is a string: it must be a JSON Schema object, not JSON text; the API answers 400 `{api}: Input should be a valid dictionary`"),
                fix,
            );
        }
        _ => sink.report(
            &INVALID_OUTPUT_FORMAT,
            schema.range,
            format!(
                "`schema` is {}: it must be a JSON Schema object; the API answers 400 `{api}: Input should be a valid dictionary`",
                describe(schema)
            ),
        ),
    }
}

pub(super) fn check_deprecated_output_format(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(member) = field(ctx, "output_format") else {
        return;
    };
    let root = ctx.payload.root;
    let config = root.get("output_config");
    let format = config.and_then(|c| c.member("format"));
    if format.is_some_and(|f| !matches!(f.value.value, Value::Null)) {
        sink.report_fix(
            &DEPRECATED_OUTPUT_FORMAT,
            member.key_range,
            "`output_format` is the deprecated beta name of `output_config.format`, and both are set: keep one",
            Some(Fix::unsafe_(
                "Remove `output_format`",
                vec![Edit::remove_member(root, member)],
            )),
        );
        return;
    }
    let value = member.value.to_json();
    let edits = match (config, format, value) {
        (None, _, Some(value)) => Some(vec![
            Edit::rename_key(member, "output_config"),
            Edit::replace_value(&member.value, json!({ "format": value })),
        ]),
        (Some(_), Some(null), Some(value)) => Some(vec![
            Edit::replace_value(&null.value, value),
            Edit::remove_member(root, member),
        ]),
        (Some(config), None, Some(value)) if config.as_object().is_some() => Some(vec![
            Edit::insert_member(config, "format", value),
            Edit::remove_member(root, member),
        ]),
        _ => None,
    };
    sink.report_fix(
        &DEPRECATED_OUTPUT_FORMAT,
        member.key_range,
        format!(
            "`output_format` is the deprecated beta name of `output_config.format`: the API takes it only with the `{STRUCTURED_OUTPUTS_BETA}` beta, for a transition period, and otherwise answers 400 `{}: Extra inputs are not permitted`",
            ctx.payload.api_path("output_format")
        ),
        edits.map(|edits| Fix::safe("Move it to `output_config.format`", edits)),
    );
}
