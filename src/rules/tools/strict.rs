//! `strict: true` tools (reference §3.3): how many there may be, how many optional and union
//! parameters their schemas may have, and the subset of JSON Schema they may use.

use serde_json::json;

use super::{Kind, STRICT_SCHEMA_UNSUPPORTED, STRICT_TOOL_LIMITS, kind_of};
use crate::facts::api;
use crate::facts::tools::{STRICT_FORMATS, STRICT_UNSUPPORTED_KEYWORDS};
use crate::fix::{Edit, Fix};
use crate::rules::{Context, Severity, Sink};
use crate::syntax::{Member, Node, TextRange, Value};
use crate::words::describe;

/// Checks the strict tools of `list` (the payload's `tools`).
pub(super) fn check(ctx: &Context<'_>, list: &[Node], sink: &mut Sink<'_>) {
    let strict: Vec<(usize, &Node)> = list
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            t.get("strict")
                .is_some_and(|s| matches!(s.value, Value::Bool(true)))
        })
        .collect();
    let limits = &api::limits().tools;
    let max = limits.max_strict;
    if let Some(&(_, extra)) = strict.get(max)
        && let Some(member) = extra.member("strict")
    {
        sink.report(
            &STRICT_TOOL_LIMITS,
            member.key_range,
            format!(
                "this is strict tool number {} of {}: the API accepts at most {max} tools with `strict: true` per request and answers 400",
                max + 1,
                strict.len()
            ),
        );
    }
    let schemas: Vec<(usize, &Node)> = strict
        .iter()
        .filter(|(_, t)| matches!(kind_of(t), Kind::Custom))
        .filter_map(|&(i, t)| Some((i, t.get("input_schema")?)))
        .filter(|(_, s)| s.as_object().is_some())
        .collect();
    if schemas.is_empty() {
        return;
    }
    let mut params: Vec<Param> = Vec::new();
    for &(_, schema) in &schemas {
        collect_params(schema, &mut params);
    }
    if let Some(schema) = output_schema(ctx.payload.root) {
        collect_params(schema, &mut params);
    }
    check_count(
        &params,
        |p| p.optional,
        limits.max_strict_optional,
        "optional",
        sink,
    );
    check_count(
        &params,
        |p| p.union,
        limits.max_strict_unions,
        "union-typed",
        sink,
    );
    for &(i, schema) in &schemas {
        let path = ctx
            .payload
            .api_path(&format!("tools.{i}.custom.input_schema"));
        check_subset(&path, STRICT_TOOL, schema, sink);
    }
}

/// What the messages call a strict tool's `input_schema`.
const STRICT_TOOL: &str = "a strict tool's schema";

/// The `output_config.format.schema` of a payload asking for structured outputs.
fn output_schema(root: &Node) -> Option<&Node> {
    let format = root.get("output_config")?.get("format")?;
    (format.get("type").and_then(Node::as_str) == Some("json_schema"))
        .then(|| format.get("schema"))?
        .filter(|s| s.as_object().is_some())
}

/// Checks `output_config.format.schema` against the same JSON Schema subset as strict tools
/// (reference §3.3: structured outputs and `strict: true` compile the same way), whether or not
/// the request has tools.
pub(super) fn check_output_format(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    if let Some(schema) = output_schema(ctx.payload.root) {
        let path = ctx.payload.api_path("output_config.format.schema");
        check_subset(&path, "a structured-output schema", schema, sink);
    }
}

/// One parameter (a member of some `properties`) of a strict schema.
struct Param {
    /// Where its name is written.
    key: TextRange,
    /// True for a parameter of the schema's root object (not a nested property).
    top: bool,
    /// Not listed in its object's `required`.
    optional: bool,
    /// Typed with `anyOf` or a `type` array.
    union: bool,
}

fn collect_params(schema: &Node, out: &mut Vec<Param>) {
    for sub in subschemas(schema) {
        let Some(properties) = sub.node.get("properties").and_then(Node::as_object) else {
            continue;
        };
        // A `required` computed at run time might list every property: count none as optional.
        let required: Option<Vec<&str>> = match sub.node.get("required") {
            None => Some(Vec::new()),
            Some(r) => r
                .as_array()
                .and_then(|items| items.iter().map(Node::as_str).collect()),
        };
        for property in properties {
            let value = &property.value;
            out.push(Param {
                key: property.key_range,
                top: sub.is_root,
                optional: required
                    .as_ref()
                    .is_some_and(|r| !r.contains(&property.key.as_str())),
                union: value.get("anyOf").is_some()
                    || value
                        .get("type")
                        .is_some_and(|t| matches!(t.value, Value::Array(_))),
            });
        }
    }
}

/// Reports the parameter that passes `limit`: an error when the schemas' top-level parameters
/// alone pass it, a warning when only nested properties take the count over (the documentation
/// does not say whether they count).
fn check_count(
    params: &[Param],
    pick: impl Fn(&Param) -> bool,
    limit: usize,
    what: &str,
    sink: &mut Sink<'_>,
) {
    let all: Vec<&Param> = params.iter().filter(|p| pick(p)).collect();
    if all.len() <= limit {
        return;
    }
    let top: Vec<&&Param> = all.iter().filter(|p| p.top).collect();
    if let Some(over) = top.get(limit) {
        sink.report(
            &STRICT_TOOL_LIMITS,
            over.key,
            format!(
                "this is {what} parameter number {} of {} in the strict tool schemas and `output_config.format`: the API accepts at most {limit} per request and answers 400",
                limit + 1,
                top.len()
            ),
        );
    } else {
        sink.report_at(
            Severity::Warning,
            &STRICT_TOOL_LIMITS,
            all[limit].key,
            format!(
                "counting nested properties, this is {what} parameter number {} of {} in the strict tool schemas and `output_config.format`: the API accepts at most {limit} per request and answers 400 if nested properties count (the documentation does not say)",
                limit + 1,
                all.len()
            ),
            None,
        );
    }
}

/// One object subschema, and whether it is the schema's root.
struct Sub<'a> {
    /// The subschema.
    node: &'a Node,
    /// True for the root schema itself.
    is_root: bool,
    /// The root-level `$defs` / `definitions` entry it lies in, if any.
    def: Option<&'a str>,
}

/// Keywords whose value is an object of subschemas.
const SCHEMA_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

/// Keywords whose value is an array of subschemas.
const SCHEMA_LISTS: &[&str] = &["prefixItems", "anyOf", "allOf", "oneOf"];

/// Keywords whose value is one subschema (`items` may also be a draft-07 array).
const SCHEMA_SINGLES: &[&str] = &[
    "items",
    "additionalItems",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "propertyNames",
    "contains",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
];

/// Every object subschema of `root` (itself included), in document order, without recursion.
fn subschemas(root: &Node) -> Vec<Sub<'_>> {
    let mut out = Vec::new();
    let mut stack = vec![Sub {
        node: root,
        is_root: true,
        def: None,
    }];
    while let Some(sub) = stack.pop() {
        let Some(members) = sub.node.as_object() else {
            continue;
        };
        let mut children = Vec::new();
        for member in members {
            let key = member.key.as_str();
            let value = &member.value;
            if SCHEMA_MAPS.contains(&key) {
                let defines = sub.is_root && (key == "$defs" || key == "definitions");
                for entry in value.as_object().unwrap_or(&[]) {
                    children.push(Sub {
                        node: &entry.value,
                        is_root: false,
                        def: if defines { Some(&entry.key) } else { sub.def },
                    });
                }
            } else if SCHEMA_LISTS.contains(&key) || SCHEMA_SINGLES.contains(&key) {
                let items = match &value.value {
                    Value::Array(items) => items.as_slice(),
                    _ => std::slice::from_ref(value),
                };
                children.extend(items.iter().map(|node| Sub {
                    node,
                    is_root: false,
                    def: sub.def,
                }));
            }
        }
        out.push(sub);
        stack.extend(children.into_iter().rev());
    }
    out
}

/// Reports the JSON Schema features a strict schema may not use.
/// `what` names the schema in the messages.
fn check_subset(path: &str, what: &str, schema: &Node, sink: &mut Sink<'_>) {
    let subs = subschemas(schema);
    let mut refs: Vec<Ref<'_>> = Vec::new();
    for sub in &subs {
        let node = sub.node;
        if is_object_schema(node) {
            check_additional_properties(path, what, node, sink);
        }
        for member in node.as_object().unwrap_or(&[]) {
            let key = member.key.as_str();
            let value = &member.value;
            let unsupported = |why: String| (member.key_range, why, Some(member));
            let problem = match key {
                _ if STRICT_UNSUPPORTED_KEYWORDS.contains(&key) => Some(unsupported(format!(
                    "`{key}` is not supported in {what} ({})",
                    keyword_family(key)
                ))),
                "minItems" if value.as_u64().is_some_and(|n| n > 1) => Some(unsupported(format!(
                    "`minItems` above 1 is not supported in {what} (only 0 or 1)"
                ))),
                "format" => value
                    .as_str()
                    .filter(|f| !STRICT_FORMATS.contains(f))
                    .map(|f| {
                        unsupported(format!(
                            "string format `{f}` is not supported in {what} (supported: {})",
                            STRICT_FORMATS.join(", ")
                        ))
                    }),
                "$ref" => match value.as_str() {
                    Some(target) if !target.starts_with('#') => Some((
                        value.range,
                        format!(
                            "an external `$ref` is not supported in {what} (only local `#/$defs/...` references)"
                        ),
                        None,
                    )),
                    Some(target) => {
                        if let Some(target) = ref_target(target) {
                            refs.push(Ref {
                                owner: sub.def,
                                target,
                                node: value,
                            });
                        }
                        None
                    }
                    None => None,
                },
                "pattern" => value.as_str().and_then(unsupported_regex).map(|feature| {
                    (
                        value.range,
                        format!("this `pattern` uses {feature}, which {what} does not support"),
                        None,
                    )
                }),
                _ => None,
            };
            if let Some((range, why, removable)) = problem {
                report_unsupported(path, node, range, why, removable, sink);
            }
        }
        check_all_of(path, what, node, sink);
        check_enum(path, what, node, sink);
    }
    for r in &refs {
        if reaches(&refs, r.target, r.owner) {
            sink.report(
                &STRICT_SCHEMA_UNSUPPORTED,
                r.node.range,
                format!("this `$ref` makes the schema recursive, which {what} does not support: the API answers 400 for `{path}`"),
            );
        }
    }
}

fn report_unsupported(
    path: &str,
    object: &Node,
    range: TextRange,
    why: String,
    removable: Option<&Member>,
    sink: &mut Sink<'_>,
) {
    let fix = removable.map(|member| {
        Fix::unsafe_(
            format!("Remove `{}`", member.key),
            vec![Edit::remove_member(object, member)],
        )
    });
    sink.report_fix(
        &STRICT_SCHEMA_UNSUPPORTED,
        range,
        format!("{why}: the API answers 400 for `{path}`"),
        fix,
    );
}

/// What kind of constraint an unsupported keyword is, for the message.
fn keyword_family(key: &str) -> &'static str {
    match key {
        "minLength" | "maxLength" => "no string lengths",
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => {
            "no numeric bounds"
        }
        _ => "no array constraints other than `minItems` 0 or 1",
    }
}

/// True for a schema that describes objects.
fn is_object_schema(node: &Node) -> bool {
    node.get("properties").is_some()
        || node.get("type").is_some_and(|t| match &t.value {
            Value::String(s) => s == "object",
            Value::Array(items) => items.iter().any(|i| i.as_str() == Some("object")),
            _ => false,
        })
}

fn check_additional_properties(path: &str, what: &str, object: &Node, sink: &mut Sink<'_>) {
    match object.member("additionalProperties") {
        // Reference §3.3: `additionalProperties` must be `false` on every object, so a
        // missing one is refused like any other value.
        None => sink.report_fix(
            &STRICT_SCHEMA_UNSUPPORTED,
            object.range.head(1),
            format!("this object schema has no `additionalProperties`: {what} needs `\"additionalProperties\": false` on every object, and the API answers 400 for `{path}` without it"),
            Some(Fix::safe(
                "Add `\"additionalProperties\": false`",
                vec![Edit::insert_member(object, "additionalProperties", json!(false))],
            )),
        ),
        Some(member) if matches!(member.value.value, Value::Bool(false) | Value::Unknown) => {}
        Some(member) => sink.report_fix(
            &STRICT_SCHEMA_UNSUPPORTED,
            member.value.range,
            format!(
                "`additionalProperties` must be `false` in {what}, found {}: the API answers 400 for `{path}`",
                describe(&member.value)
            ),
            Some(Fix::unsafe_(
                "Set `additionalProperties` to `false`",
                vec![Edit::replace_value(&member.value, json!(false))],
            )),
        ),
    }
}

/// `allOf` may not combine `$ref`s.
fn check_all_of(path: &str, what: &str, node: &Node, sink: &mut Sink<'_>) {
    let parts = node.get("allOf").and_then(Node::as_array).unwrap_or(&[]);
    for part in parts {
        if let Some(member) = part.member("$ref") {
            sink.report(
                &STRICT_SCHEMA_UNSUPPORTED,
                member.key_range,
                format!("`allOf` with a `$ref` is not supported in {what}: the API answers 400 for `{path}`"),
            );
        }
    }
}

/// `enum` may list only primitives.
fn check_enum(path: &str, what: &str, node: &Node, sink: &mut Sink<'_>) {
    let values = node.get("enum").and_then(Node::as_array).unwrap_or(&[]);
    for value in values {
        if matches!(value.value, Value::Object(_) | Value::Array(_)) {
            sink.report(
                &STRICT_SCHEMA_UNSUPPORTED,
                value.range,
                format!(
                    "`enum` may list only strings, numbers, booleans and null in {what}, found {}: the API answers 400 for `{path}`",
                    describe(value)
                ),
            );
        }
    }
}

/// A local `$ref`: from the `$defs` entry it lies in (`None`: outside any) to the one it names
/// (`None`: the root schema).
struct Ref<'a> {
    owner: Option<&'a str>,
    target: Option<&'a str>,
    node: &'a Node,
}

/// What a local `$ref` names: `Some(None)` for the root, `Some(Some(name))` for a root-level
/// `$defs` / `definitions` entry, `None` for anything else.
fn ref_target(reference: &str) -> Option<Option<&str>> {
    if reference == "#" {
        return Some(None);
    }
    let name = reference
        .strip_prefix("#/$defs/")
        .or_else(|| reference.strip_prefix("#/definitions/"))?;
    (!name.is_empty() && !name.contains('/')).then_some(Some(name))
}

/// True when the schema part `to` is reachable from `from` through `refs`: a reference from
/// `to` to `from` then closes a cycle.
fn reaches(refs: &[Ref<'_>], from: Option<&str>, to: Option<&str>) -> bool {
    let mut seen = vec![from];
    let mut next = 0;
    while let Some(&at) = seen.get(next) {
        if at == to {
            return true;
        }
        for r in refs.iter().filter(|r| r.owner == at) {
            if !seen.contains(&r.target) {
                seen.push(r.target);
            }
        }
        next += 1;
    }
    false
}

/// The regular-expression feature strict schemas cannot compile, if `pattern` uses one.
fn unsupported_regex(pattern: &str) -> Option<&'static str> {
    let bytes = pattern.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => {
                match bytes.get(i + 1) {
                    Some(b'b' | b'B') => return Some("a word boundary (`\\b` or `\\B`)"),
                    Some(b'1'..=b'9') => return Some("a backreference"),
                    Some(b'k') if bytes.get(i + 2) == Some(&b'<') => {
                        return Some("a backreference");
                    }
                    _ => {}
                }
                i += 2;
            }
            b'(' if bytes.get(i + 1) == Some(&b'?') => {
                match (bytes.get(i + 2), bytes.get(i + 3)) {
                    (Some(b'=' | b'!'), _) | (Some(b'<'), Some(b'=' | b'!')) => {
                        return Some("lookaround");
                    }
                    _ => {}
                }
                i += 2;
            }
            b'[' => i = class_end(bytes, i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The index after the `]` closing a character class whose body starts at `i` (where `\b`
/// means a backspace, not a boundary).
fn class_end(bytes: &[u8], mut i: usize) -> usize {
    if bytes.get(i) == Some(&b'^') {
        i += 1;
    }
    if bytes.get(i) == Some(&b']') {
        i += 1;
    }
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b']' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_unsupported_regex_features() {
        assert_eq!(unsupported_regex(r"^\d{3}-\w+$"), None);
        assert_eq!(unsupported_regex(r"[\b]x"), None);
        assert_eq!(unsupported_regex(r"a\\b"), None);
        assert_eq!(unsupported_regex(r"(?:ab)+"), None);
        assert_eq!(unsupported_regex(r"(?<name>x)"), None);
        assert_eq!(
            unsupported_regex(r"\bword"),
            Some("a word boundary (`\\b` or `\\B`)")
        );
        assert_eq!(unsupported_regex(r"(a)\1"), Some("a backreference"));
        assert_eq!(unsupported_regex(r"(?<n>a)\k<n>"), Some("a backreference"));
        assert_eq!(unsupported_regex(r"foo(?=bar)"), Some("lookaround"));
        assert_eq!(unsupported_regex(r"(?<!x)y"), Some("lookaround"));
        assert_eq!(unsupported_regex(r"[a-z"), None);
    }

    #[test]
    fn reads_local_refs() {
        assert_eq!(ref_target("#"), Some(None));
        assert_eq!(ref_target("#/$defs/node"), Some(Some("node")));
        assert_eq!(ref_target("#/definitions/a"), Some(Some("a")));
        assert_eq!(ref_target("#/properties/a"), None);
        assert_eq!(ref_target("#/$defs/a/properties/b"), None);
    }
}
