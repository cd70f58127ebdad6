//! The request shape as `schemas/messages-request.schema.json` describes it, parsed once: the
//! single description of which fields a Messages body has, the values its enumerations take
//! and what each top-level field means. Rules read their value lists here, the language
//! server its hovers, and tests check the hand-written tables of [`super::params`],
//! [`super::blocks`] and [`super::tools`] against it both ways, so the schema, the rules and
//! the editor never describe two different requests.

use std::sync::LazyLock;

use serde_json::Value as Json;

/// The schema as published; `rules::schema` validates against the same file.
const TEXT: &str = include_str!("../../schemas/messages-request.schema.json");

static SCHEMA: LazyLock<Json> = LazyLock::new(|| {
    serde_json::from_str(TEXT).expect("schemas/messages-request.schema.json is checked by a test")
});

/// The parsed schema document.
pub(crate) fn document() -> &'static Json {
    &SCHEMA
}

/// The node at `pointer` (a JSON pointer, `/$defs/container/...`), following a `$ref` that
/// the node holds instead of its own keywords.
///
/// Panics when the schema has no such node: every pointer the crate uses is a constant that
/// the tests exercise, so a schema edit that breaks one fails the tests, not a user's run.
pub(crate) fn at(pointer: &str) -> &'static Json {
    let node = SCHEMA
        .pointer(pointer)
        .unwrap_or_else(|| panic!("schemas/messages-request.schema.json has no `{pointer}`"));
    resolve(node)
}

/// `node`, or the definition its `$ref` names.
fn resolve(node: &'static Json) -> &'static Json {
    match node.get("$ref").and_then(Json::as_str) {
        Some(target) => at(target.trim_start_matches('#')),
        None => node,
    }
}

/// A top-level field of a Messages body, as written (a `$ref` not followed, so its own
/// `description` stays in view).
fn top_level(name: &str) -> Option<&'static Json> {
    SCHEMA.pointer("/$defs/requestBody/properties")?.get(name)
}

/// The schema of the top-level field `name`, a `$ref` followed.
pub(crate) fn field(name: &str) -> Option<&'static Json> {
    top_level(name).map(resolve)
}

/// What the top-level field `name` means: its `description`, which editors that read the
/// schema show too.
pub(crate) fn description(name: &str) -> Option<&'static str> {
    top_level(name)?.get("description")?.as_str()
}

/// The string members of `node`'s `enum` (or its `const`), leaving out `null`; for an open
/// set of values, its `examples`.
fn strings(node: &'static Json) -> Vec<&'static str> {
    if let Some(one) = node.get("const").and_then(Json::as_str) {
        return vec![one];
    }
    node.get("enum")
        .or_else(|| node.get("examples"))
        .and_then(Json::as_array)
        .map(|values| values.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default()
}

/// The values of the top-level field `name`: its `enum`, or the documented `examples` of a
/// field whose set is open (`inference_geo`).
pub(crate) fn values(name: &str) -> Vec<&'static str> {
    field(name).map(strings).unwrap_or_default()
}

/// The values of the node at `pointer` (see [`values`]).
pub(crate) fn values_at(pointer: &str) -> Vec<&'static str> {
    strings(at(pointer))
}

/// The `default` of the top-level field `name`, when the schema names one.
pub(crate) fn default(name: &str) -> Option<&'static str> {
    top_level(name)?.get("default")?.as_str()
}

/// The `required` members of the object at `pointer`.
pub(crate) fn required_at(pointer: &str) -> Vec<&'static str> {
    at(pointer)
        .get("required")
        .and_then(Json::as_array)
        .map(|names| names.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
