//! The request against the JSON Schemas that ship in `schemas/`: every field's type, every
//! block's shape, closed objects. The family runs last and reports only what no dedicated rule
//! reported at the same place, so one mistake gives one finding.
//!
//! Errors are mapped back through the schema's evaluation path, so each finding sits on the exact
//! key or value and quotes the API's own pydantic-style message, with the union tags the API puts
//! in its paths (`tools.0.custom.input_schema`, `messages.1.content.0.thinking.cache_control`).
//! Two annotations in the schema drive this: `x-api-tag` on a union member (the tag the API adds
//! to the path) and `x-api-discriminator` on a union keyed on `type` (its noun in messages).
//!
//! Cost: the validator reads the payload tree in place (the `instance` module), and decides validity with
//! a `oneOf` form of the schema that it dispatches on `type`; only an invalid payload pays for
//! the `if`/`then` form that lists errors.

use std::collections::HashSet;
use std::sync::{LazyLock, OnceLock};

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::paths::LocationSegment;
use jsonschema::types::JsonType;
use jsonschema::{PatternOptions, Registry, ValidationError, Validator};
use serde_json::Value as Json;

mod instance;

use instance::{Tree, is_spread, to_value};

use super::registry::declare_rules;
use super::{Context, Sink};
use crate::extract::{Payload, PayloadKind};
use crate::syntax::{Node, TextRange, Value};
use crate::words::{article, noun_for, or_list};

declare_rules! {
    family: "schema";
    prefix: "V";
    /// ## What it does
    /// Checks a request against the JSON Schema of the Messages API that ships with
    /// claude-preflight (`schemas/messages-request.schema.json`, and its count_tokens and
    /// Message Batches companions): the type of every field; the shape of every message,
    /// content block, image and document source, tool, `tool_choice`, `thinking`,
    /// `output_config` and `cache_control` object; allowed values; and keys the API does not
    /// know. It reports only what no dedicated rule already reported at the same place.
    ///
    /// ## Why
    /// The API validates the whole body before anything else and rejects a wrong type or an
    /// unknown key with 400 `invalid_request_error` and a pydantic-style message such as
    /// `stream: Input should be a valid boolean` or
    /// `messages.0.content.0.text.cache: Extra inputs are not permitted`. Each finding quotes
    /// the message the API would answer, with the path it would name.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "model": "claude-opus-5",
    ///   "max_tokens": 1024,
    ///   "stream": "yes",
    ///   "cache_control": {"type": "persistent"},
    ///   "messages": [{"role": "user", "content": "Hello"}]
    /// }
    /// ```
    /// reports `stream: Input should be a valid boolean` on `"yes"`, and
    /// `cache_control: Input tag 'persistent' found using 'type' does not match any of the
    /// expected tags: 'ephemeral'` on `"persistent"`.
    SCHEMA_VIOLATION { code: "101", name: "schema-violation", severity: Error, fix: None }
}

/// Where the schemas are published; their `$id`s start with it.
pub const SCHEMA_BASE: &str =
    "https://raw.githubusercontent.com/claude-preflight/claude-preflight/main/schemas/";

/// File name of the Messages request schema.
const MESSAGES_FILE: &str = "messages-request.schema.json";
/// File name of the count_tokens request schema.
const COUNT_TOKENS_FILE: &str = "count-tokens-request.schema.json";
/// File name of the Message Batches request schema.
const BATCH_FILE: &str = "batch-request.schema.json";

/// Parses a schema document that ships inside the binary.
fn document(file: &str, text: &str) -> Json {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("schemas/{file} is not JSON: {e}"))
}

static MESSAGES_DOC: LazyLock<Json> = LazyLock::new(|| {
    document(
        MESSAGES_FILE,
        include_str!("../../schemas/messages-request.schema.json"),
    )
});
static COUNT_TOKENS_DOC: LazyLock<Json> = LazyLock::new(|| {
    document(
        COUNT_TOKENS_FILE,
        include_str!("../../schemas/count-tokens-request.schema.json"),
    )
});
static BATCH_DOC: LazyLock<Json> = LazyLock::new(|| {
    document(
        BATCH_FILE,
        include_str!("../../schemas/batch-request.schema.json"),
    )
});
/// Stands in for the Messages schema under a batch's `params`: each `params` object is its own
/// payload and is checked with the full schema there, next to the dedicated rules' findings.
static PARAMS_STUB: LazyLock<Json> =
    LazyLock::new(|| serde_json::json!({"title": "a Messages request", "type": "object"}));

/// A compiled schema, with the documents its `$ref`s reach (to map errors back).
struct Compiled {
    /// Decides validity: the schema with each tagged union as a `oneOf`, which the validator
    /// dispatches on `type` in one lookup (the `if`/`then` form evaluates every member).
    fast: Validator<Tree>,
    /// Lists the errors: the published schema, whose `if`/`then` unions report inside the
    /// member that applies. Compiled on the first invalid payload.
    full: OnceLock<Validator<Tree>>,
    /// `(file name, document)`, the root first.
    documents: Vec<(&'static str, &'static Json)>,
}

impl Compiled {
    /// Compiles `documents[0]` for validity checks; the error-listing form waits until needed.
    fn new(documents: Vec<(&'static str, &'static Json)>) -> Self {
        let dispatching: Vec<(&str, Json)> = documents
            .iter()
            .map(|&(file, doc)| (file, dispatching(doc)))
            .collect();
        Self {
            fast: build(&dispatching),
            full: OnceLock::new(),
            documents,
        }
    }

    /// The validator that lists errors with precise places.
    fn full(&self) -> &Validator<Tree> {
        self.full.get_or_init(|| {
            let documents: Vec<(&str, Json)> = self
                .documents
                .iter()
                .map(|&(file, doc)| (file, doc.clone()))
                .collect();
            build(&documents)
        })
    }

    /// The schema a `$ref` names, and the document it is in.
    fn resolve(
        &self,
        reference: &str,
        current: &'static Json,
    ) -> Option<(&'static Json, &'static Json)> {
        let (file, pointer) = reference.split_once('#').unwrap_or((reference, ""));
        let doc = if file.is_empty() {
            current
        } else {
            let file = file.rsplit('/').next().unwrap_or(file);
            self.documents.iter().find(|(f, _)| *f == file)?.1
        };
        Some((doc.pointer(pointer)?, doc))
    }
}

/// Compiles `documents[0]` with the others registered under their published addresses. The
/// schemas ship inside the binary and a test compiles each, so a failure here is a build defect.
fn build(documents: &[(&str, Json)]) -> Validator<Tree> {
    let (root_file, root) = &documents[0];
    let registry = documents[1..]
        .iter()
        .try_fold(Registry::new(), |registry, (file, doc)| {
            registry.add(format!("{SCHEMA_BASE}{file}"), doc)
        })
        .and_then(|registry| registry.prepare())
        .unwrap_or_else(|e| panic!("schemas/{root_file}: bad reference: {e}"));
    jsonschema::options_for::<Tree>()
        .with_registry(&registry)
        .with_pattern_options(PatternOptions::regex())
        .build(root)
        .unwrap_or_else(|e| panic!("schemas/{root_file} does not compile: {e}"))
}

/// The schema with each union keyed on `type` (marked `x-api-discriminator`) turned from
/// `allOf: [{if, then}]` into `oneOf: [then]`: the same verdicts, since the union's members fix
/// distinct `type` values, but the validator picks the member from `type` in one lookup.
fn dispatching(doc: &Json) -> Json {
    let mut doc = doc.clone();
    let defs = doc.get_mut("$defs").and_then(Json::as_object_mut);
    for def in defs.into_iter().flat_map(|defs| defs.values_mut()) {
        let Some(def) = def
            .as_object_mut()
            .filter(|d| d.contains_key("x-api-discriminator"))
        else {
            continue;
        };
        let Some(Json::Array(branches)) = def.remove("allOf") else {
            continue;
        };
        let mut members: Vec<Json> = branches
            .into_iter()
            .filter_map(|mut branch| branch.get_mut("then").map(Json::take))
            .collect();
        let nullable = def
            .get("type")
            .and_then(Json::as_array)
            .is_some_and(|types| types.iter().any(|t| t == "null"));
        if nullable {
            members.push(serde_json::json!({"type": "null"}));
        }
        def.insert("oneOf".into(), Json::Array(members));
    }
    doc
}

static MESSAGES: LazyLock<Compiled> =
    LazyLock::new(|| Compiled::new(vec![(MESSAGES_FILE, &*MESSAGES_DOC)]));
static COUNT_TOKENS: LazyLock<Compiled> = LazyLock::new(|| {
    Compiled::new(vec![
        (COUNT_TOKENS_FILE, &*COUNT_TOKENS_DOC),
        (MESSAGES_FILE, &*MESSAGES_DOC),
    ])
});
static BATCH_ENVELOPE: LazyLock<Compiled> = LazyLock::new(|| {
    Compiled::new(vec![
        (BATCH_FILE, &*BATCH_DOC),
        (MESSAGES_FILE, &*PARAMS_STUB),
    ])
});

/// Checks one payload.
pub fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    if !sink.enabled(&SCHEMA_VIOLATION) {
        return;
    }
    let payload = ctx.payload;
    // A Text Completions body gets one finding (`text-completions-body`), not one per field.
    if crate::extract::text_completions_prompt(payload.root).is_some() {
        return;
    }
    let schema: &Compiled = match payload.kind {
        PayloadKind::Messages | PayloadKind::BatchItem => &MESSAGES,
        PayloadKind::CountTokens => &COUNT_TOKENS,
        PayloadKind::Batch => &BATCH_ENVELOPE,
        // Not a body: `rules::check` runs only the model checks on it.
        PayloadKind::ModelReference => return,
    };
    if schema.fast.is_valid(payload.root) {
        return;
    }
    let taken: Vec<TextRange> = sink.covered().collect();
    let mut seen = HashSet::new();
    for error in schema.full().iter_errors(payload.root) {
        let (about, findings) = describe(payload, schema, &error);
        // A dedicated finding anywhere in the object the error is about already names the
        // problem (e.g. an image block in `system`: the schema would add "`text` is missing").
        if about.is_some_and(|about| taken.iter().any(|&t| about.contains_range(t))) {
            continue;
        }
        for (range, message) in findings {
            if taken.iter().any(|&t| overlaps(t, range)) || !seen.insert((range, message.clone())) {
                continue;
            }
            sink.report(&SCHEMA_VIOLATION, range, message);
        }
    }
}

/// True when two ranges share a byte, or one lies inside the other (an empty range included).
fn overlaps(a: TextRange, b: TextRange) -> bool {
    (a.start < b.end && b.start < a.end) || a.contains_range(b) || b.contains_range(a)
}

/// Keys whose value selects which shape applies to their object (`type` for tagged unions,
/// `role` for messages). When the value is `Unknown`, no finding about that object can be sure.
const SELECTORS: [&str; 2] = ["type", "role"];

/// One step of an instance path.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

impl Step {
    fn text(&self) -> String {
        match self {
            Step::Key(k) => k.clone(),
            Step::Index(i) => i.to_string(),
        }
    }
}

/// The nodes along an instance path, the root first; `None` when the path leaves the tree.
fn locate<'a>(root: &'a Node, steps: &[Step]) -> Option<Vec<&'a Node>> {
    let mut chain = Vec::with_capacity(steps.len() + 1);
    chain.push(root);
    let mut node = root;
    for step in steps {
        node = match (&node.value, step) {
            (Value::Object(_), step) => node.get(&step.text())?,
            (Value::Array(items), Step::Index(i)) => items.get(*i)?,
            _ => return None,
        };
        chain.push(node);
    }
    Some(chain)
}

/// True when an `Unknown` value makes the error unreliable: it is at or above the error's
/// place, it selects the shape of an object on the way, a spread may supply a missing key, or
/// an array of unknown length is counted.
fn depends_on_unknown(chain: &[&Node], kind: &ValidationErrorKind) -> bool {
    let Some(last) = chain.last() else {
        return true;
    };
    if chain.iter().any(|n| n.is_unknown()) {
        return true;
    }
    let selector_unknown = chain.iter().any(|n| {
        SELECTORS
            .iter()
            .any(|key| n.get(key).is_some_and(Node::is_unknown))
    });
    selector_unknown
        || match kind {
            ValidationErrorKind::Required { .. } => last
                .as_object()
                .is_some_and(|members| members.iter().any(is_spread)),
            ValidationErrorKind::MinItems { .. } | ValidationErrorKind::MaxItems { .. } => last
                .as_array()
                .is_some_and(|items| items.iter().any(Node::is_unknown)),
            _ => false,
        }
}

/// What the walk through the schema found out about an error's place.
struct Place {
    /// The API's path to the error's instance, union tags included.
    api: Vec<String>,
    /// For each instance depth, the innermost schema title seen there.
    titles: Vec<Option<&'static str>>,
    /// When the error is about the `type` of a tagged union: the union's noun and the API path
    /// of the union's object.
    discriminator: Option<(&'static str, Vec<String>)>,
    /// The schema that holds the failing keyword.
    schema: &'static Json,
}

/// Follows an error's evaluation path through the schema documents, consuming instance steps
/// as it goes, to learn the API path (with union tags) and the titles of the schemas involved.
fn walk(
    compiled: &Compiled,
    error: &ValidationError<'_>,
    steps: &[Step],
    chain: &[&Node],
) -> Option<Place> {
    let segments: Vec<String> = error
        .evaluation_path()
        .segments()
        .map(|s| match s {
            LocationSegment::Property(p) => p.into_owned(),
            LocationSegment::Index(i) => i.to_string(),
        })
        .collect();
    let (_, root) = compiled.documents[0];
    let mut doc = root;
    let mut schema = root;
    let mut place = Place {
        api: Vec::new(),
        titles: vec![None],
        discriminator: None,
        schema: root,
    };
    let mut consumed = 0;
    enter(&mut place, schema, chain, consumed);
    let keyword_at = segments.len().checked_sub(1)?;
    let mut i = 0;
    while i < keyword_at {
        let segment = segments[i].as_str();
        let mut union = None;
        match segment {
            "$ref" => {
                let reference = schema.get("$ref")?.as_str()?;
                (schema, doc) = compiled.resolve(reference, doc)?;
            }
            "properties" => {
                i += 1;
                union = schema
                    .get("x-api-discriminator")
                    .and_then(Json::as_str)
                    .map(|noun| (noun, place.api.clone()));
                schema = schema.get(segment)?.get(segments.get(i)?)?;
            }
            "items" | "additionalProperties" => schema = schema.get(segment)?,
            "allOf" => {
                i += 1;
                schema = schema
                    .get(segment)?
                    .get(segments.get(i)?.parse::<usize>().ok()?)?;
            }
            "then" | "else" => schema = schema.get(segment)?,
            _ => return None,
        }
        if matches!(segment, "properties" | "items" | "additionalProperties") {
            let step = steps.get(consumed)?;
            place.api.push(step.text());
            consumed += 1;
            place.titles.push(None);
            place.discriminator = union.filter(|_| *step == Step::Key("type".into()));
        }
        enter(&mut place, schema, chain, consumed);
        i += 1;
    }
    place.schema = schema;
    (consumed == steps.len()).then_some(place)
}

/// Notes what a schema node says about the place: its title, and the union tag it adds to the
/// API path (`true` means the instance's own `type`).
fn enter(place: &mut Place, schema: &'static Json, chain: &[&Node], depth: usize) {
    if let Some(title) = schema.get("title").and_then(Json::as_str)
        && let Some(slot) = place.titles.last_mut()
    {
        *slot = Some(title);
    }
    let tag = match schema.get("x-api-tag") {
        Some(Json::String(tag)) => Some(tag.clone()),
        Some(Json::Bool(true)) => chain
            .get(depth)
            .and_then(|n| n.get("type"))
            .and_then(Node::as_str)
            .map(str::to_owned),
        _ => None,
    };
    place.api.extend(tag);
}

/// The findings one validation error gives, as `(range, message)` pairs, with the range of the
/// value the error is about (`None` for the payload root).
fn describe(
    payload: &Payload<'_>,
    compiled: &Compiled,
    error: &ValidationError<'_>,
) -> (Option<TextRange>, Vec<(TextRange, String)>) {
    let steps: Vec<Step> = error
        .instance_path()
        .segments()
        .map(|s| match s {
            LocationSegment::Property(p) => Step::Key(p.into_owned()),
            LocationSegment::Index(i) => Step::Index(i),
        })
        .collect();
    let kind = error.kind();
    let Some(chain) = locate(payload.root, &steps) else {
        return (None, Vec::new());
    };
    if depends_on_unknown(&chain, kind) {
        return (None, Vec::new());
    }
    // The root's own required fields belong to the `request` family, which knows the dialects
    // (Bedrock and Vertex bodies carry no `model`) and OpenAI aliases of `max_tokens`.
    if steps.is_empty() && matches!(kind, ValidationErrorKind::Required { .. }) {
        return (None, Vec::new());
    }
    let Some(place) = walk(compiled, error, &steps, &chain) else {
        return (None, Vec::new());
    };
    let node = chain[chain.len() - 1];
    let path = |api: &[String]| payload.api_path(&api.join("."));
    let answer =
        |api: &[String], problem: &str| format!("the API answers 400 `{}: {problem}`", path(api));
    let title = place.titles.last().copied().flatten();
    let parent_title = place
        .titles
        .len()
        .checked_sub(2)
        .and_then(|i| place.titles[i]);
    let name = display_name(&steps);
    let about = (!steps.is_empty()).then_some(node.range);
    let findings = match kind {
        ValidationErrorKind::AdditionalProperties { unexpected } => node
            .as_object()
            .unwrap_or_default()
            .iter()
            .filter(|m| unexpected.contains(&m.key))
            .map(|m| {
                let mut api = place.api.clone();
                api.push(m.key.clone());
                (m.key_range, extra_key(&m.key, title, &answer(&api, EXTRA)))
            })
            .collect(),
        ValidationErrorKind::FalseSchema => {
            let (Some(Step::Key(key)), Some(parent)) =
                (steps.last(), chain.len().checked_sub(2).map(|i| chain[i]))
            else {
                return (None, Vec::new());
            };
            parent
                .as_object()
                .unwrap_or_default()
                .iter()
                .filter(|m| m.key == *key)
                .map(|m| {
                    (
                        m.key_range,
                        extra_key(key, parent_title, &answer(&place.api, EXTRA)),
                    )
                })
                .collect()
        }
        ValidationErrorKind::Required { property } => {
            let field = property.as_str().unwrap_or_default();
            let brace = node.range.head(1);
            let what = title.unwrap_or("this object");
            if field == "type" && place.schema.get("x-api-discriminator").is_some() {
                let message = format!(
                    "{what} has no `type`: {}",
                    answer(
                        &place.api,
                        "Unable to extract tag using discriminator 'type'"
                    )
                );
                return (about, vec![(brace, message)]);
            }
            let mut api = place.api.clone();
            api.push(field.to_owned());
            vec![(
                brace,
                format!(
                    "`{field}` is missing from {what}: {}",
                    answer(&api, "Field required")
                ),
            )]
        }
        ValidationErrorKind::Enum { options } if place.discriminator.is_some() => {
            let Some((noun, union_api)) = &place.discriminator else {
                return (None, Vec::new());
            };
            let tag = match &node.value {
                Value::String(s) => s.clone(),
                _ => to_value(node).to_string(),
            };
            let expected = literals(options).join(", ");
            let problem = format!(
                "Input tag '{tag}' found using 'type' does not match any of the expected tags: {expected}"
            );
            vec![(
                node.range,
                format!(
                    "`{}` is not a {noun} type: {}",
                    short(&tag),
                    answer(union_api, &problem)
                ),
            )]
        }
        ValidationErrorKind::Enum { options } => {
            vec![(
                node.range,
                not_accepted(
                    node,
                    &name,
                    &answer(&place.api, &should_be(&literals(options))),
                ),
            )]
        }
        ValidationErrorKind::Constant { expected_value } => {
            let expected = literals(&Json::Array(vec![(**expected_value).clone()]));
            vec![(
                node.range,
                not_accepted(node, &name, &answer(&place.api, &should_be(&expected))),
            )]
        }
        ValidationErrorKind::Type { kind } => {
            let types: Vec<JsonType> = match kind {
                TypeKind::Single(t) => vec![*t],
                TypeKind::Multiple(set) => set.iter().collect(),
            };
            let names: Vec<&str> = types
                .iter()
                .filter(|t| **t != JsonType::Null)
                .map(|t| t.as_str())
                .collect();
            let problem = format!("Input should be a valid {}", or_list(&names));
            let with_articles: Vec<String> = names
                .iter()
                .map(|n| format!("{} {n}", article(n)))
                .collect();
            let found = node.kind_name();
            let found = if found == "null" {
                "null".to_owned()
            } else {
                format!("{} {found}", article(found))
            };
            let message = format!(
                "{name} should be {}, not {found}: {}",
                or_list(&with_articles),
                answer(&place.api, &problem)
            );
            vec![(node.range, message)]
        }
        ValidationErrorKind::Minimum { limit }
        | ValidationErrorKind::Maximum { limit }
        | ValidationErrorKind::ExclusiveMinimum { limit }
        | ValidationErrorKind::ExclusiveMaximum { limit } => {
            let relation = match kind {
                ValidationErrorKind::Minimum { .. } => "greater than or equal to",
                ValidationErrorKind::Maximum { .. } => "less than or equal to",
                ValidationErrorKind::ExclusiveMinimum { .. } => "greater than",
                _ => "less than",
            };
            let problem = format!("Input should be {relation} {limit}");
            vec![(
                node.range,
                format!(
                    "{name} is {}: {}",
                    to_value(node),
                    answer(&place.api, &problem)
                ),
            )]
        }
        ValidationErrorKind::MinLength { limit } | ValidationErrorKind::MaxLength { limit } => {
            let length = node.as_str().map_or(0, |s| s.chars().count());
            let problem = match kind {
                ValidationErrorKind::MinLength { .. } => format!(
                    "String should have at least {limit} {}",
                    noun_for(*limit, "character")
                ),
                _ => format!(
                    "String should have at most {limit} {}",
                    noun_for(*limit, "character")
                ),
            };
            vec![(
                node.range,
                format!(
                    "{name} has {length} {}: {}",
                    noun_for(length as u64, "character"),
                    answer(&place.api, &problem)
                ),
            )]
        }
        ValidationErrorKind::MinItems { limit } | ValidationErrorKind::MaxItems { limit } => {
            let count = node.as_array().map_or(0, <[Node]>::len);
            let bound = if matches!(kind, ValidationErrorKind::MinItems { .. }) {
                "least"
            } else {
                "most"
            };
            let problem = format!(
                "List should have at {bound} {limit} {} after validation, not {count}",
                noun_for(*limit, "item")
            );
            vec![(
                node.range,
                format!(
                    "{name} has {count} {}: {}",
                    noun_for(count as u64, "item"),
                    answer(&place.api, &problem)
                ),
            )]
        }
        ValidationErrorKind::Pattern { pattern } => {
            let problem = format!("String should match pattern '{pattern}'");
            vec![(
                node.range,
                not_accepted(node, &name, &answer(&place.api, &problem)),
            )]
        }
        _ => vec![(
            node.range,
            format!(
                "{name} is not accepted: {}",
                answer(&place.api, &error.to_string())
            ),
        )],
    };
    (about, findings)
}

/// The API's message for a key a closed object does not know.
const EXTRA: &str = "Extra inputs are not permitted";

/// The finding for a key that `title` (an object's description) does not have.
fn extra_key(key: &str, title: Option<&str>, answer: &str) -> String {
    match title {
        Some(title) => format!("`{key}` is not a field of {title}: {answer}"),
        None => format!("`{key}` is not accepted here: {answer}"),
    }
}

/// The finding for a value outside the accepted set.
fn not_accepted(node: &Node, name: &str, answer: &str) -> String {
    let value = match &node.value {
        Value::String(s) => s.clone(),
        _ => to_value(node).to_string(),
    };
    format!("`{}` is not a valid {name}: {answer}", short(&value))
}

/// How a finding names the value it is about: `` `stream` ``, or `` item 2 of `stop_sequences` ``.
fn display_name(steps: &[Step]) -> String {
    match steps {
        [] => "the body".to_owned(),
        [.., Step::Key(key)] => format!("`{key}`"),
        [.., Step::Key(parent), Step::Index(i)] => format!("item {i} of `{parent}`"),
        [.., Step::Index(i)] => format!("item {i}"),
    }
}

/// The API's (pydantic's) rendering of accepted literal values, `null` left out.
fn literals(options: &Json) -> Vec<String> {
    options
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|v| !v.is_null())
        .map(|v| match v {
            Json::String(s) => format!("'{s}'"),
            other => other.to_string(),
        })
        .collect()
}

/// `Input should be 'a', 'b' or 'c'`.
fn should_be(options: &[String]) -> String {
    format!("Input should be {}", or_list(options))
}

/// A value cut to a length that fits in a message.
fn short(text: &str) -> String {
    const MAX: usize = 40;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Dialect, Facts};
    use crate::rules::{AllRules, Options};
    use crate::syntax::{Member, json};

    fn parse(text: &str) -> Node {
        let parse = json::parse(text, 0);
        assert!(parse.errors.is_empty(), "{:?}", parse.errors);
        parse.root.expect("a value")
    }

    /// Runs this family alone over `root` as a payload of `kind`, after `before` (findings of
    /// earlier families); returns `(text at the range, message)` of each schema finding, in
    /// source order.
    fn run_with(
        text: &str,
        root: &Node,
        kind: PayloadKind,
        before: &[TextRange],
    ) -> Vec<(String, String)> {
        let payload = Payload {
            root,
            kind,
            dialect: Dialect::FirstParty,
            path: String::new(),
            body_bytes: text.len() as u64,
            call: None,
        };
        let options = Options::new(jiff::civil::date(2026, 11, 25));
        let ctx = Context {
            payload: &payload,
            facts: Facts::builtin(),
            model: None,
            options: &options,
            tokens: &Default::default(),
        };
        let mut sink = Sink::new(&AllRules);
        for &range in before {
            sink.report(&crate::rules::request::UNKNOWN_PARAMETER, range, "earlier");
        }
        check(&ctx, &mut sink);
        let mut findings = sink.into_findings();
        findings.sort_by_key(|f| f.range);
        findings
            .into_iter()
            .filter(|f| f.rule == &SCHEMA_VIOLATION)
            .map(|f| (text[f.range.to_range()].to_owned(), f.message))
            .collect()
    }

    fn run(text: &str) -> Vec<(String, String)> {
        run_with(text, &parse(text), PayloadKind::Messages, &[])
    }

    /// The node at a JSON pointer of the tree (objects by key, arrays by index).
    fn at<'a>(node: &'a mut Node, pointer: &str) -> &'a mut Node {
        pointer
            .split('/')
            .skip(1)
            .fold(node, |node, step| match &mut node.value {
                Value::Object(members) => {
                    &mut members
                        .iter_mut()
                        .rev()
                        .find(|m| m.key == step)
                        .expect(step)
                        .value
                }
                Value::Array(items) => &mut items[step.parse::<usize>().expect("an index")],
                _ => panic!("no {step} under a scalar"),
            })
    }

    fn make_unknown(root: &mut Node, pointer: &str) {
        at(root, pointer).value = Value::Unknown;
    }

    /// Adds a `**spread` member to the object at `pointer`.
    fn add_spread(root: &mut Node, pointer: &str) {
        let object = at(root, pointer);
        let start = object.range.start as usize + 1;
        let Value::Object(members) = &mut object.value else {
            panic!("not an object")
        };
        members.push(Member {
            key: String::new(),
            key_range: TextRange::empty(start),
            value: Node::new(TextRange::new(start, start + 1), Value::Unknown),
        });
    }

    const BASE: &str = r#""model": "claude-opus-5", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hi"}]"#;

    fn body(extra: &str) -> String {
        format!("{{{BASE}, {extra}}}")
    }

    fn one(findings: Vec<(String, String)>) -> (String, String) {
        assert_eq!(findings.len(), 1, "{findings:#?}");
        findings.into_iter().next().expect("one finding")
    }

    #[test]
    fn valid_requests_give_nothing() {
        assert_eq!(
            run(&body(r#""stream": true, "metadata": {"user_id": "u1"}"#)),
            vec![]
        );
    }

    #[test]
    fn wrong_type_is_reported_on_the_value() {
        assert_eq!(
            one(run(&body(r#""stream": "yes""#))),
            (
                r#""yes""#.into(),
                "`stream` should be a boolean, not a string: the API answers 400 `stream: Input should be a valid boolean`".into()
            )
        );
    }

    #[test]
    fn extra_key_is_reported_on_the_key_with_the_union_tag() {
        let text = body(
            r#""system": [{"type": "text", "text": "x", "cache_control": {"type": "ephemeral", "scope": "global"}}]"#,
        );
        assert_eq!(
            one(run(&text)),
            (
                r#""scope""#.into(),
                "`scope` is not a field of an `ephemeral` cache control: the API answers 400 `system.0.cache_control.ephemeral.scope: Extra inputs are not permitted`".into()
            )
        );
    }

    #[test]
    fn a_key_only_system_messages_take_is_extra_on_user_messages() {
        let text = r#"{"model": "claude-opus-5", "max_tokens": 1, "messages": [{"role": "user", "content": "Hi", "clear_at": "never"}]}"#;
        assert_eq!(
            one(run(text)),
            (
                r#""clear_at""#.into(),
                "`clear_at` is not a field of a `user` or `assistant` message: the API answers 400 `messages.0.clear_at: Extra inputs are not permitted`".into()
            )
        );
    }

    #[test]
    fn missing_field_is_reported_on_the_opening_brace() {
        let text = body(r#""tools": [{"name": "t"}]"#);
        let (range, message) = one(run(&text));
        assert_eq!(range, "{");
        assert_eq!(
            message,
            "`input_schema` is missing from a custom tool: the API answers 400 `tools.0.custom.input_schema: Field required`"
        );
    }

    #[test]
    fn unknown_and_missing_union_tags_use_the_discriminator_wording() {
        let text =
            body(r#""tool_choice": {"type": "required"}, "thinking": {"budget_tokens": 2048}"#);
        assert_eq!(
            run(&text),
            vec![
                (
                    r#""required""#.into(),
                    "`required` is not a tool choice type: the API answers 400 `tool_choice: Input tag 'required' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'`".into()
                ),
                (
                    "{".into(),
                    "a thinking config has no `type`: the API answers 400 `thinking: Unable to extract tag using discriminator 'type'`".into()
                ),
            ]
        );
    }

    #[test]
    fn limits_use_the_api_wording() {
        let long = "u".repeat(257);
        let servers = vec![r#"{"type": "url", "name": "s", "url": "https://mcp.example.com"}"#; 21]
            .join(", ");
        let text = body(&format!(
            r#""metadata": {{"user_id": "{long}"}}, "mcp_servers": [{servers}], "thinking": {{"type": "enabled", "budget_tokens": 512}}"#
        ));
        let messages: Vec<String> = run(&text).into_iter().map(|(_, m)| m).collect();
        assert_eq!(
            messages,
            vec![
                "`user_id` has 257 characters: the API answers 400 `metadata.user_id: String should have at most 256 characters`",
                "`mcp_servers` has 21 items: the API answers 400 `mcp_servers: List should have at most 20 items after validation, not 21`",
                "`budget_tokens` is 512: the API answers 400 `thinking.enabled.budget_tokens: Input should be greater than or equal to 1024`",
            ]
        );
    }

    #[test]
    fn enum_and_pattern_values_are_named() {
        let text = body(
            r#""service_tier": "flex", "messages": [{"role": "assistant", "content": [{"type": "tool_use", "id": "call:1", "name": "t", "input": {}}]}]"#,
        );
        assert_eq!(
            run(&text),
            vec![
                (
                    r#""flex""#.into(),
                    "`flex` is not a valid `service_tier`: the API answers 400 `service_tier: Input should be 'auto' or 'standard_only'`".into()
                ),
                (
                    r#""call:1""#.into(),
                    "`call:1` is not a valid `id`: the API answers 400 `messages.0.content.0.tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'`".into()
                ),
            ]
        );
    }

    #[test]
    fn root_required_fields_are_left_to_the_request_family() {
        let text = r#"{"model": "claude-opus-5", "messages": [{"role": "user", "content": "Hi"}]}"#;
        assert_eq!(run(text), vec![]);
    }

    #[test]
    fn count_tokens_bodies_need_no_max_tokens_but_are_checked() {
        let text = r#"{"model": "claude-opus-5", "speed": "turbo", "messages": [{"role": "user", "content": "Hi"}]}"#;
        let root = parse(text);
        assert_eq!(
            run_with(text, &root, PayloadKind::CountTokens, &[]),
            vec![(
                r#""turbo""#.into(),
                "`turbo` is not a valid `speed`: the API answers 400 `speed: Input should be 'standard' or 'fast'`".into()
            )]
        );
    }

    #[test]
    fn batch_envelope_checks_only_the_envelope() {
        let text = r#"{"requests": [{"custom_id": "a b", "params": {"max_tokens": "x"}}, {"custom_id": "c", "params": 5, "extra": 1}]}"#;
        let root = parse(text);
        assert_eq!(
            run_with(text, &root, PayloadKind::Batch, &[]),
            vec![
                (
                    r#""a b""#.into(),
                    "`a b` is not a valid `custom_id`: the API answers 400 `requests.0.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`".into()
                ),
                (
                    "5".into(),
                    "`params` should be an object, not a number: the API answers 400 `requests.1.params: Input should be a valid object`".into()
                ),
                (
                    r#""extra""#.into(),
                    "`extra` is not a field of a batch request: the API answers 400 `requests.1.extra: Extra inputs are not permitted`".into()
                ),
            ]
        );
    }

    #[test]
    fn findings_of_earlier_families_win() {
        let text = body(r#""stream": "yes", "top_k": -1"#);
        let root = parse(text.as_str());
        let stream = root.get("stream").expect("stream").range;
        // An earlier finding on the member (key through value) contains the schema error's range.
        let member = root.member("stream").expect("stream").range();
        let findings = run_with(&text, &root, PayloadKind::Messages, &[member]);
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert_eq!(findings[0].0, "-1");
        // A finding inside the value's range also takes it.
        let inside = TextRange::new(stream.start as usize + 1, stream.start as usize + 2);
        assert_eq!(
            run_with(&text, &root, PayloadKind::Messages, &[inside]).len(),
            1
        );
    }

    #[test]
    fn a_key_written_twice_is_checked_at_its_last_value() {
        // The API keeps the last value; the earlier one is the `duplicate-key` rule's concern.
        assert_eq!(run(&body(r#""stream": "yes", "stream": true"#)), vec![]);
        assert_eq!(
            one(run(&body(r#""stream": true, "stream": "yes""#))).0,
            r#""yes""#
        );
    }

    #[test]
    fn unknown_values_silence_what_they_could_change() {
        let text = body(
            r#""stream": "later", "tools": [{"type": "t", "name": "n"}], "system": [{"type": "text", "text": "x", "clear": 1}]"#,
        );
        let mut root = parse(&text);
        // The value itself, and an object's `type` (which selects its shape).
        make_unknown(&mut root, "/stream");
        make_unknown(&mut root, "/tools/0/type");
        make_unknown(&mut root, "/system/0/type");
        assert_eq!(run_with(&text, &root, PayloadKind::Messages, &[]), vec![]);
    }

    #[test]
    fn unknown_roles_and_spreads_silence_their_object_only() {
        let text = r#"{"model": "claude-opus-5", "max_tokens": 1, "stream": 1, "tools": [{"name": "t"}], "messages": [{"role": "user", "content": "Hi", "clear_at": "never"}]}"#;
        let mut root = parse(text);
        make_unknown(&mut root, "/messages/0/role");
        add_spread(&mut root, "/tools/0");
        assert_eq!(
            one(run_with(text, &root, PayloadKind::Messages, &[])),
            (
                "1".into(),
                "`stream` should be a boolean, not a number: the API answers 400 `stream: Input should be a valid boolean`".into()
            )
        );
    }

    #[test]
    fn unknown_elements_silence_counts() {
        let servers = vec![r#"{"type": "url", "name": "s", "url": "u"}"#; 21].join(", ");
        let text = body(&format!(r#""mcp_servers": [{servers}]"#));
        let mut root = parse(&text);
        make_unknown(&mut root, "/mcp_servers/3");
        assert_eq!(run_with(&text, &root, PayloadKind::Messages, &[]), vec![]);
    }

    /// The walk that maps errors back follows only these keywords; a schema that used another
    /// applicator would give findings without their API path.
    #[test]
    fn schemas_use_only_the_keywords_the_walk_follows() {
        const UNSUPPORTED: [&str; 11] = [
            "anyOf",
            "oneOf",
            "not",
            "prefixItems",
            "patternProperties",
            "contains",
            "unevaluatedProperties",
            "unevaluatedItems",
            "dependentSchemas",
            "propertyNames",
            "$dynamicRef",
        ];
        fn visit(value: &Json, path: &str, found: &mut Vec<String>) {
            match value {
                Json::Object(map) => {
                    for (key, child) in map {
                        // `not` inside an `if` never yields an error of its own.
                        let inside_if = path.ends_with("/if");
                        if UNSUPPORTED.contains(&key.as_str()) && !(inside_if && key == "not") {
                            found.push(format!("{path}/{key}"));
                        }
                        // Property names and `const`/`enum` values are data, not keywords.
                        if !matches!(key.as_str(), "const" | "enum" | "examples" | "default") {
                            visit(child, &format!("{path}/{key}"), found);
                        }
                    }
                }
                Json::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        visit(item, &format!("{path}/{i}"), found);
                    }
                }
                _ => {}
            }
        }
        let mut found = Vec::new();
        for (file, doc) in [
            (MESSAGES_FILE, &*MESSAGES_DOC),
            (COUNT_TOKENS_FILE, &*COUNT_TOKENS_DOC),
            (BATCH_FILE, &*BATCH_DOC),
        ] {
            visit(doc, file, &mut found);
        }
        assert_eq!(found, Vec::<String>::new());
    }

    /// The fast form must give the published schema's verdict on every request: the valid
    /// corpus, and each of its tagged objects with a bad tag, no tag, or an unknown key.
    #[test]
    fn fast_and_full_validators_agree() {
        fn tagged_objects(value: &Json, pointer: String, out: &mut Vec<String>) {
            match value {
                Json::Object(map) => {
                    if map.contains_key("type") {
                        out.push(pointer.clone());
                    }
                    for (key, child) in map {
                        tagged_objects(child, format!("{pointer}/{key}"), out);
                    }
                }
                Json::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        tagged_objects(item, format!("{pointer}/{i}"), out);
                    }
                }
                _ => {}
            }
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/valid");
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).expect("corpus") {
            let path = entry.expect("entry").path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            let compiled: &Compiled = if name.starts_with("batch-") {
                continue;
            } else if name.starts_with("count-tokens-") {
                &COUNT_TOKENS
            } else {
                &MESSAGES
            };
            let request: Json =
                serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
            let mut pointers = Vec::new();
            tagged_objects(&request, String::new(), &mut pointers);
            let mut variants = vec![request.clone()];
            for pointer in &pointers {
                for mutation in 0..3 {
                    let mut variant = request.clone();
                    let object = variant
                        .pointer_mut(pointer)
                        .and_then(Json::as_object_mut)
                        .expect("object");
                    match mutation {
                        0 => drop(object.insert("type".into(), "bogus".into())),
                        1 => drop(object.remove("type")),
                        _ => drop(object.insert("zz_unknown".into(), Json::Null)),
                    }
                    variants.push(variant);
                }
            }
            for variant in &variants {
                let root = parse(&variant.to_string());
                assert_eq!(
                    compiled.fast.is_valid(&root),
                    compiled.full().is_valid(&root),
                    "{name}: {variant}"
                );
                checked += 1;
            }
        }
        assert!(checked > 500, "only {checked} variants");
    }

    #[test]
    fn every_union_member_has_its_tag() {
        // Each `then` of a union keyed on `type` adds the API's tag to error paths.
        for (name, def) in MESSAGES_DOC["$defs"].as_object().expect("$defs") {
            if def.get("x-api-discriminator").is_none() {
                continue;
            }
            for branch in def["allOf"].as_array().expect("allOf") {
                assert!(
                    branch["then"].get("x-api-tag").is_some(),
                    "{name}: {branch}"
                );
            }
        }
    }
}
