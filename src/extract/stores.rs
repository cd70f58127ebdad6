//! Files holding many requests: prompt stores, request collections and test cases.
//!
//! A JSON or YAML file often keeps its requests side by side instead of being one: a top-level
//! list, a map of named requests (`summarize: {model: ..., messages: ...}`), or a list or map
//! under any key (`prompts:`, `requests:`, `cases:`). When the root value is not a request
//! itself, [`discover_nested`] looks through it for values that pass the same evidence test a
//! whole file passes (`super::discover`), so datasets of `{system, messages}` records stay
//! data. The search is bounded in depth and in count, never enters a body it recognised (a
//! Message Batches body's `params` are its own payloads) nor one it refused (an OpenAI
//! request's messages are no requests), and keeps each body's exact range.

use super::{Discovery, Hints, discover_body, files};
use crate::facts::Facts;
use crate::syntax::{Node, Value};

/// How many levels below the root are searched: `root.prompts.group.name` is 3.
pub(crate) const MAX_DEPTH: usize = 4;

/// The most request bodies taken from one file's value; a file holding more is a dataset
/// that deserves a JSON Lines batch file, and the rest are named by `--explain-discovery`.
pub(crate) const MAX_REQUESTS: usize = 10_000;

/// How many request locations `--explain-discovery` names before summing up the rest.
const NAMED: usize = 5;

/// The request bodies below `root` (a value that is not a request itself), each discovered on
/// its own, in document order. `None` when there is none: the root's own reason stands.
pub(crate) fn discover_nested<'a>(
    root: &'a Node,
    hints: &Hints,
    facts: &Facts,
) -> Option<Discovery<'a>> {
    let mut found: Vec<(String, Discovery<'a>)> = Vec::new();
    let mut skipped = 0usize;
    walk(root, &mut |steps, child| {
        // Only these keys can make an object a body (`discover_body`): the rest is data,
        // passed over without building a reason for it. Below the root, `messages` that is
        // not a list is data too (a Helm chart's `config: {model, messages: {greeting: ...}}`).
        if child.as_object().is_none()
            || hints.declared.is_none() && !BODY_KEYS.iter().any(|key| child.get(key).is_some())
            || child
                .get("messages")
                .is_some_and(|m| !matches!(m.value, Value::Array(_) | Value::Unknown))
        {
            return Flow::Descend;
        }
        let mut body = discover_body(child, 0, hints, facts);
        if body.payloads.is_empty() {
            // A body refused as a request (an OpenAI request, a conversation record) holds
            // messages, not requests.
            return match child.get("messages") {
                Some(_) => Flow::Skip,
                None => Flow::Descend,
            };
        }
        if found.len() == MAX_REQUESTS {
            skipped += 1;
            return Flow::Skip;
        }
        // Measured only once taken: a search through data sizes no value.
        let bytes = files::json_len(child);
        for payload in body
            .payloads
            .iter_mut()
            .filter(|p| p.root.range == child.range)
        {
            payload.body_bytes = bytes;
            payload.stored = true;
        }
        found.push((path(steps), body));
        Flow::Skip
    });
    if found.is_empty() {
        return None;
    }
    let mut named: Vec<String> = found
        .iter()
        .take(NAMED)
        .map(|(at, d)| format!("`{at}` ({})", d.reason))
        .collect();
    if found.len() > NAMED {
        named.push(format!("{} more", found.len() - NAMED));
    }
    let requests = found.len();
    let mut reason = format!(
        "{} holding {requests} request{}: {}",
        match &root.value {
            Value::Array(_) => "a list",
            _ => "a store",
        },
        if requests == 1 { "" } else { "s" },
        named.join(", ")
    );
    if skipped > 0 {
        reason.push_str(&format!(
            "; {skipped} more past the limit of {MAX_REQUESTS} not checked"
        ));
    }
    Some(Discovery {
        payloads: found.into_iter().flat_map(|(_, d)| d.payloads).collect(),
        reason,
    })
}

/// The keys one of which a request body, batch body or batch request has (`discover_body`).
const BODY_KEYS: &[&str] = &["messages", "prompt", "requests", "params"];

/// The first string below `root` (as deep as [`discover_nested`] looks) whose text is a JSON
/// request body passing the evidence test, as a dotted path: what `--explain-discovery` names
/// when a file holds its requests as strings (a test case's `body: '{"model": ...}'`).
pub(crate) fn string_body(root: &Node, hints: &Hints, facts: &Facts) -> Option<String> {
    let mut found = None;
    walk(root, &mut |steps, child| match child.as_str() {
        _ if found.is_some() => Flow::Skip,
        Some(text) if text.trim_start().starts_with('{') && text.contains("messages") => {
            let parsed = crate::syntax::json::parse(text, 0);
            if parsed.root.as_ref().is_some_and(|body| {
                !discover_body(body, text.len() as u64, hints, facts)
                    .payloads
                    .is_empty()
            }) {
                found = Some(path(steps));
            }
            Flow::Skip
        }
        _ => Flow::Descend,
    });
    found
}

/// One step down a tree: an object's key or an array's index.
#[derive(Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// Whether [`walk`] goes below a value.
enum Flow {
    Descend,
    Skip,
}

/// Shows every value below `root` down to [`MAX_DEPTH`] levels, in document order, with the
/// steps from the root to it; recursion is bounded by that depth.
fn walk<'a>(root: &'a Node, visit: &mut dyn FnMut(&[Step<'a>], &'a Node) -> Flow) {
    fn below<'a>(
        node: &'a Node,
        steps: &mut Vec<Step<'a>>,
        visit: &mut dyn FnMut(&[Step<'a>], &'a Node) -> Flow,
    ) {
        if steps.len() >= MAX_DEPTH {
            return;
        }
        let mut each = |step: Step<'a>, child: &'a Node| {
            steps.push(step);
            if let Flow::Descend = visit(steps, child) {
                below(child, steps, visit);
            }
            steps.pop();
        };
        match &node.value {
            Value::Object(members) => {
                for member in members {
                    each(Step::Key(&member.key), &member.value);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    each(Step::Index(i), item);
                }
            }
            _ => {}
        }
    }
    below(root, &mut Vec::new(), visit);
}

/// Steps as a dotted path: `prompts.0.request`.
fn path(steps: &[Step<'_>]) -> String {
    let parts: Vec<String> = steps
        .iter()
        .map(|step| match step {
            Step::Key(key) => (*key).to_owned(),
            Step::Index(i) => i.to_string(),
        })
        .collect();
    parts.join(".")
}

/// The dotted path from `root` down to `target` (a node inside it, found by its range), e.g.
/// `prompts.summarize` or `3`; empty when `target` is the root. What `count` shows beside a
/// request found in a store.
pub(crate) fn location(root: &Node, target: &Node) -> String {
    let mut steps = Vec::new();
    let mut node = root;
    while node.range != target.range {
        // Members and items are in source order: the one holding the target is found by
        // bisection, so labelling every request of a long list stays linear.
        let next = match &node.value {
            Value::Object(members) => {
                let i = members.partition_point(|m| m.value.range.end < target.range.end);
                members
                    .get(i)
                    .filter(|m| m.value.range.contains_range(target.range))
                    .map(|m| (m.key.clone(), &m.value))
            }
            Value::Array(items) => {
                let i = items.partition_point(|item| item.range.end < target.range.end);
                items
                    .get(i)
                    .filter(|item| item.range.contains_range(target.range))
                    .map(|item| (i.to_string(), item))
            }
            _ => None,
        };
        let Some((step, child)) = next else { break };
        steps.push(step);
        node = child;
    }
    steps.join(".")
}
