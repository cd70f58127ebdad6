//! What is under the cursor: the chain of members and elements from a payload's root down to
//! the deepest value at an offset, for hovers and completion.

use crate::extract::Payload;
use crate::syntax::{Member, Node, TextRange, Value};

/// One step down the tree.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Step<'a> {
    /// Into a member of an object.
    Member(&'a Member),
    /// Into an element of an array, with its index.
    Element(usize, &'a Node),
}

/// Where an offset is in a payload.
#[derive(Debug, Clone)]
pub(crate) struct Located<'a> {
    /// The payload.
    pub payload: Payload<'a>,
    /// From the payload's root down to the deepest value at the offset.
    pub steps: Vec<Step<'a>>,
    /// True when the offset is on the key of the last step's member rather than its value.
    pub on_key: bool,
}

/// Finds the payload at `offset` and the path down to it; `None` when no payload is there.
pub(crate) fn locate<'a>(payloads: &[Payload<'a>], offset: usize) -> Option<Located<'a>> {
    let payload = payloads
        .iter()
        .filter(|p| touches(p.root.range, offset))
        .min_by_key(|p| p.root.range.len())?
        .clone();
    let mut steps = Vec::new();
    let mut node = payload.root;
    let mut on_key = false;
    loop {
        match &node.value {
            Value::Object(members) => {
                let Some(member) = members
                    .iter()
                    .rev()
                    .find(|m| touches(m.key_range, offset) || touches(m.value.range, offset))
                else {
                    break;
                };
                steps.push(Step::Member(member));
                if touches(member.key_range, offset) {
                    on_key = true;
                    break;
                }
                node = &member.value;
            }
            Value::Array(items) => {
                let Some((index, item)) = items
                    .iter()
                    .enumerate()
                    .find(|(_, item)| touches(item.range, offset))
                else {
                    break;
                };
                steps.push(Step::Element(index, item));
                node = item;
            }
            _ => break,
        }
    }
    Some(Located {
        payload,
        steps,
        on_key,
    })
}

/// True when `offset` is in `range` or at either end of it (a cursor right after a value is
/// still on it).
fn touches(range: TextRange, offset: usize) -> bool {
    range.start as usize <= offset && offset <= range.end as usize
}

impl<'a> Located<'a> {
    /// The keys and indices of the steps, e.g. `["messages", "2", "content"]`.
    pub(crate) fn path(&self) -> Vec<String> {
        self.steps
            .iter()
            .map(|step| match step {
                Step::Member(member) => member.key.clone(),
                Step::Element(index, _) => index.to_string(),
            })
            .collect()
    }

    /// The message under the offset: its index and node.
    pub(crate) fn message(&self) -> Option<(usize, &'a Node)> {
        match self.steps.as_slice() {
            [Step::Member(m), Step::Element(index, message), ..] if m.key == "messages" => {
                Some((*index, message))
            }
            _ => None,
        }
    }

    /// The content block under the offset (in a message's or in the top-level `system`'s
    /// array): its index and node.
    pub(crate) fn block(&self) -> Option<(usize, &'a Node)> {
        match self.steps.as_slice() {
            [
                Step::Member(m),
                Step::Element(_, _),
                Step::Member(c),
                Step::Element(index, block),
                ..,
            ] if m.key == "messages" && c.key == "content" => Some((*index, block)),
            [Step::Member(s), Step::Element(index, block), ..] if s.key == "system" => {
                Some((*index, block))
            }
            _ => None,
        }
    }

    /// The top-level member under the offset.
    pub(crate) fn parameter(&self) -> Option<&'a Member> {
        match self.steps.first() {
            Some(Step::Member(member)) => Some(member),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{self, Hints};
    use crate::facts::Facts;
    use crate::syntax::json;

    const TEXT: &str = r#"{"model": "claude-opus-5", "max_tokens": 5,
 "messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}]}"#;

    #[test]
    fn paths_down_to_the_offset() {
        let root = json::parse(TEXT, 0).root.unwrap();
        let payloads = extract::discover(
            &root,
            TEXT.len() as u64,
            &Hints::default(),
            Facts::builtin(),
        )
        .payloads;
        let at = |needle: &str| {
            let offset = TEXT.find(needle).unwrap() + 1;
            locate(&payloads, offset).unwrap()
        };
        let text = at("\"hi\"");
        assert_eq!(text.path(), ["messages", "0", "content", "0", "text"]);
        assert!(!text.on_key);
        assert_eq!(text.message().map(|(i, _)| i), Some(0));
        assert_eq!(text.block().map(|(i, _)| i), Some(0));
        let key = at("\"max_tokens\"");
        assert_eq!(key.path(), ["max_tokens"]);
        assert!(key.on_key);
        assert_eq!(key.parameter().map(|m| m.key.as_str()), Some("max_tokens"));
        assert!(locate(&payloads, TEXT.len() + 5).is_none());
    }
}
