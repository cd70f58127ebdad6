//! Where a validation error is: the nodes along its instance path, whether an `Unknown` value
//! could change it, and the walk along its evaluation path through the schema documents that
//! learns the API's path (union tags included) and the titles of the schemas on the way.

use jsonschema::ValidationError;
use jsonschema::error::ValidationErrorKind;
use jsonschema::paths::LocationSegment;
use serde_json::Value as Json;

use super::instance::is_spread;
use super::load::Compiled;
use crate::syntax::{Node, Value};

/// A validation error that can be reported, and where it is.
pub(super) struct Located<'a> {
    /// The error's instance path.
    pub steps: Vec<Step>,
    /// The nodes along it, the root first.
    pub chain: Vec<&'a Node>,
    /// What the walk through the schema learnt.
    pub place: Place,
}

impl Located<'_> {
    /// The node the error is about.
    pub(super) fn node(&self) -> &Node {
        self.chain[self.chain.len() - 1]
    }
}

/// Where `error` is in the payload under `root`; `None` when it is not to be reported: its path
/// leaves the tree, an `Unknown` value could change it, it is about the root's required fields,
/// or its evaluation path leaves what the walk follows.
pub(super) fn locate_error<'a>(
    root: &'a Node,
    compiled: &Compiled,
    error: &ValidationError<'_>,
) -> Option<Located<'a>> {
    let steps: Vec<Step> = error
        .instance_path()
        .segments()
        .map(|s| match s {
            LocationSegment::Property(p) => Step::Key(p.into_owned()),
            LocationSegment::Index(i) => Step::Index(i),
        })
        .collect();
    let kind = error.kind();
    let chain = locate(root, &steps)?;
    if depends_on_unknown(&chain, kind) {
        return None;
    }
    // The root's own required fields belong to the `request` family, which knows the dialects
    // (Bedrock and Vertex bodies carry no `model`) and OpenAI aliases of `max_tokens`.
    if steps.is_empty() && matches!(kind, ValidationErrorKind::Required { .. }) {
        return None;
    }
    let place = walk(compiled, error, &steps, &chain)?;
    Some(Located {
        steps,
        chain,
        place,
    })
}

/// Keys whose value selects which shape applies to their object (`type` for tagged unions,
/// `role` for messages). When the value is `Unknown`, no finding about that object can be sure.
const SELECTORS: [&str; 2] = ["type", "role"];

/// One step of an instance path.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Step {
    Key(String),
    Index(usize),
}

impl Step {
    /// The step as the API writes it in a path.
    pub(super) fn text(&self) -> String {
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
pub(super) struct Place {
    /// The API's path to the error's instance, union tags included.
    pub api: Vec<String>,
    /// For each instance depth, the innermost schema title seen there.
    pub titles: Vec<Option<&'static str>>,
    /// When the error is about the `type` of a tagged union: the union's noun and the API path
    /// of the union's object.
    pub discriminator: Option<(&'static str, Vec<String>)>,
    /// The schema that holds the failing keyword.
    pub schema: &'static Json,
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
