//! The findings a validation error gives: the range and the message in the API's own
//! pydantic-style wording, with the path it would name. One function per kind of error.

use jsonschema::ValidationError;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::types::JsonType;
use serde_json::Value as Json;

use super::instance::to_value;
use super::load::Compiled;
use super::locate::{Located, Step, locate_error};
use crate::extract::Payload;
use crate::syntax::{Node, TextRange, Value};
use crate::words::{article, noun_for, or_list};

/// Findings as `(range, message)` pairs.
pub(super) type Findings = Vec<(TextRange, String)>;

/// The findings one validation error gives, with the range of the value the error is about
/// (`None` for the payload root).
pub(super) fn describe(
    payload: &Payload<'_>,
    compiled: &Compiled,
    error: &ValidationError<'_>,
) -> (Option<TextRange>, Findings) {
    let Some(at) = locate_error(payload.root, compiled, error) else {
        return (None, Vec::new());
    };
    let about = (!at.steps.is_empty()).then_some(at.node().range);
    let subject = Subject { payload, at };
    (about, findings(&subject, error))
}

/// A located error in its payload: what each message is written from.
struct Subject<'a> {
    payload: &'a Payload<'a>,
    at: Located<'a>,
}

impl Subject<'_> {
    /// "the API answers 400 `path: problem`", at the API path `api`.
    fn answer(&self, api: &[String], problem: &str) -> String {
        let path = self.payload.api_path(&api.join("."));
        format!("the API answers 400 `{path}: {problem}`")
    }

    /// The answer at the error's own API path.
    fn answer_here(&self, problem: &str) -> String {
        self.answer(&self.at.place.api, problem)
    }

    /// The innermost schema title at the error's instance.
    fn title(&self) -> Option<&'static str> {
        self.at.place.titles.last().copied().flatten()
    }

    /// The innermost schema title at the instance's parent.
    fn parent_title(&self) -> Option<&'static str> {
        let titles = &self.at.place.titles;
        titles.len().checked_sub(2).and_then(|i| titles[i])
    }

    /// How messages name the value.
    fn name(&self) -> String {
        display_name(&self.at.steps)
    }

    /// One finding on the value the error is about.
    fn on_node(&self, message: String) -> Findings {
        vec![(self.at.node().range, message)]
    }

    /// The finding for a value outside the accepted set, which the API describes as `problem`.
    fn not_accepted(&self, problem: &str) -> Findings {
        let node = self.at.node();
        self.on_node(not_accepted(node, &self.name(), &self.answer_here(problem)))
    }
}

/// Dispatches on the kind of error.
fn findings(s: &Subject<'_>, error: &ValidationError<'_>) -> Findings {
    match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => extra_keys(s, unexpected),
        ValidationErrorKind::FalseSchema => forbidden_key(s),
        ValidationErrorKind::Required { property } => {
            missing_field(s, property.as_str().unwrap_or_default())
        }
        ValidationErrorKind::Enum { options } => match &s.at.place.discriminator {
            Some((noun, union_api)) => unknown_tag(s, noun, union_api, options),
            None => s.not_accepted(&should_be(&literals(options))),
        },
        ValidationErrorKind::Constant { expected_value } => {
            let expected = literals(&Json::Array(vec![(**expected_value).clone()]));
            s.not_accepted(&should_be(&expected))
        }
        ValidationErrorKind::Type { kind } => wrong_type(s, kind),
        ValidationErrorKind::Minimum { limit } => {
            out_of_range(s, "greater than or equal to", limit)
        }
        ValidationErrorKind::Maximum { limit } => out_of_range(s, "less than or equal to", limit),
        ValidationErrorKind::ExclusiveMinimum { limit } => out_of_range(s, "greater than", limit),
        ValidationErrorKind::ExclusiveMaximum { limit } => out_of_range(s, "less than", limit),
        ValidationErrorKind::MinLength { limit } => length(s, "least", *limit),
        ValidationErrorKind::MaxLength { limit } => length(s, "most", *limit),
        ValidationErrorKind::MinItems { limit } => item_count(s, "least", *limit),
        ValidationErrorKind::MaxItems { limit } => item_count(s, "most", *limit),
        ValidationErrorKind::Pattern { pattern } => {
            s.not_accepted(&format!("String should match pattern '{pattern}'"))
        }
        _ => s.on_node(format!(
            "{} is not accepted: {}",
            s.name(),
            s.answer_here(&error.to_string())
        )),
    }
}

/// Keys a closed object does not know, each on its key.
fn extra_keys(s: &Subject<'_>, unexpected: &[String]) -> Findings {
    s.at.node()
        .as_object()
        .unwrap_or_default()
        .iter()
        .filter(|m| unexpected.contains(&m.key))
        .map(|m| {
            let mut api = s.at.place.api.clone();
            api.push(m.key.clone());
            (
                m.key_range,
                extra_key(&m.key, s.title(), &s.answer(&api, EXTRA)),
            )
        })
        .collect()
}

/// A key the schema forbids (`false`), on the key in its parent object.
fn forbidden_key(s: &Subject<'_>) -> Findings {
    let chain = &s.at.chain;
    let (Some(Step::Key(key)), Some(parent)) = (
        s.at.steps.last(),
        chain.len().checked_sub(2).map(|i| chain[i]),
    ) else {
        return Vec::new();
    };
    parent
        .as_object()
        .unwrap_or_default()
        .iter()
        .filter(|m| m.key == *key)
        .map(|m| {
            (
                m.key_range,
                extra_key(key, s.parent_title(), &s.answer_here(EXTRA)),
            )
        })
        .collect()
}

/// A required field that is missing, on the object's opening brace; a tagged union's missing
/// `type` in the API's discriminator wording.
fn missing_field(s: &Subject<'_>, field: &str) -> Findings {
    let brace = s.at.node().range.head(1);
    let what = s.title().unwrap_or("this object");
    if field == "type" && s.at.place.schema.get("x-api-discriminator").is_some() {
        let message = format!(
            "{what} has no `type`: {}",
            s.answer_here("Unable to extract tag using discriminator 'type'")
        );
        return vec![(brace, message)];
    }
    let mut api = s.at.place.api.clone();
    api.push(field.to_owned());
    vec![(
        brace,
        format!(
            "`{field}` is missing from {what}: {}",
            s.answer(&api, "Field required")
        ),
    )]
}

/// A tagged union's `type` that names no member (`noun`: the union's noun in messages), at the
/// union object's API path.
fn unknown_tag(s: &Subject<'_>, noun: &str, union_api: &[String], options: &Json) -> Findings {
    let node = s.at.node();
    let tag = match &node.value {
        Value::String(s) => s.clone(),
        _ => to_value(node).to_string(),
    };
    let expected = literals(options).join(", ");
    let problem = format!(
        "Input tag '{tag}' found using 'type' does not match any of the expected tags: {expected}"
    );
    s.on_node(format!(
        "`{}` is not a {noun} type: {}",
        short(&tag),
        s.answer(union_api, &problem)
    ))
}

/// A value of the wrong JSON type.
fn wrong_type(s: &Subject<'_>, kind: &TypeKind) -> Findings {
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
    let found = s.at.node().kind_name();
    let found = if found == "null" {
        "null".to_owned()
    } else {
        format!("{} {found}", article(found))
    };
    s.on_node(format!(
        "{} should be {}, not {found}: {}",
        s.name(),
        or_list(&with_articles),
        s.answer_here(&problem)
    ))
}

/// A number past a bound (`relation`: "greater than or equal to" and the like).
fn out_of_range(s: &Subject<'_>, relation: &str, limit: &Json) -> Findings {
    let problem = format!("Input should be {relation} {limit}");
    s.on_node(format!(
        "{} is {}: {}",
        s.name(),
        to_value(s.at.node()),
        s.answer_here(&problem)
    ))
}

/// A string too short or too long (`bound`: "least" or "most").
fn length(s: &Subject<'_>, bound: &str, limit: u64) -> Findings {
    let length = s.at.node().as_str().map_or(0, |t| t.chars().count());
    let problem = format!(
        "String should have at {bound} {limit} {}",
        noun_for(limit, "character")
    );
    s.on_node(format!(
        "{} has {length} {}: {}",
        s.name(),
        noun_for(length as u64, "character"),
        s.answer_here(&problem)
    ))
}

/// An array with too few or too many items (`bound`: "least" or "most").
fn item_count(s: &Subject<'_>, bound: &str, limit: u64) -> Findings {
    let count = s.at.node().as_array().map_or(0, <[Node]>::len);
    let problem = format!(
        "List should have at {bound} {limit} {} after validation, not {count}",
        noun_for(limit, "item")
    );
    s.on_node(format!(
        "{} has {count} {}: {}",
        s.name(),
        noun_for(count as u64, "item"),
        s.answer_here(&problem)
    ))
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
