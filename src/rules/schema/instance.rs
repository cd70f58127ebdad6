//! The payload tree as the validator's instance, read in place: copying a request into a
//! `serde_json::Value` first would cost more than validating it.
//!
//! The view follows the API's reading of the body: with a key written twice the last value wins
//! (the earlier ones are not seen), `Unknown` reads as `null` (the rule drops every error it
//! could cause), and a spread supplies no key.

use std::borrow::Cow;
use std::collections::HashMap;

use jsonschema::json::{Array, Json, Node as JsonNode, NodeIdentity, Object};
use jsonschema::types::JsonType;
use serde_json::{Map, Number, Value as JsonValue};

use crate::syntax::{Member, Node, TextRange, Value};

/// The payload tree as a JSON representation for `jsonschema`.
pub struct Tree;

impl Json for Tree {
    type Node<'a> = &'a Node;
    type PreparedKey = String;
    type StringBuffer = NameNode;

    /// A lookup scans the members, so one pass over them is never dearer than a lookup.
    const KEYS_PER_LOOKUP: usize = usize::MAX / 64;
    const ACYCLIC: bool = true;

    fn prepare_key(key: &str) -> String {
        key.to_owned()
    }

    fn with_string_node<T>(buffer: &mut NameNode, string: &str, f: impl FnOnce(&Node) -> T) -> T {
        buffer.0.value = Value::String(string.to_owned());
        f(&buffer.0)
    }
}

/// Holds a property name while `propertyNames` validates it as a string.
pub struct NameNode(Node);

impl Default for NameNode {
    fn default() -> Self {
        Self(Node::new(TextRange::default(), Value::Null))
    }
}

/// A spread (`**params` in Python, `...params` in JavaScript): a member with no key written and
/// a value known only at run time. It may supply any key.
pub(super) fn is_spread(member: &Member) -> bool {
    member.is_spread()
}

/// The members the API sees: no spreads, and for a repeated key only its last occurrence.
pub struct Visible<'a> {
    members: &'a [Member],
    next: usize,
    /// The last index of each key, for objects too large to scan for repeats.
    last: Option<HashMap<&'a str, usize>>,
}

impl<'a> Visible<'a> {
    /// Objects up to this size look ahead for a repeated key instead of building an index.
    const SCAN: usize = 32;

    fn new(members: &'a [Member]) -> Self {
        let last = (members.len() > Self::SCAN).then(|| {
            members
                .iter()
                .enumerate()
                .map(|(i, m)| (m.key.as_str(), i))
                .collect()
        });
        Self {
            members,
            next: 0,
            last,
        }
    }
}

impl<'a> Iterator for Visible<'a> {
    type Item = &'a Member;

    fn next(&mut self) -> Option<&'a Member> {
        while let Some(member) = self.members.get(self.next) {
            let i = self.next;
            self.next += 1;
            let repeated = match &self.last {
                Some(last) => last.get(member.key.as_str()) != Some(&i),
                None => self.members[i + 1..]
                    .iter()
                    .any(|later| later.key == member.key),
            };
            if !repeated && !is_spread(member) {
                return Some(member);
            }
        }
        None
    }
}

/// The largest object or array, in bytes written, a validation error carries a copy of
/// (`JsonNode::to_value` below).
pub(super) const COPIED_UP_TO: usize = 64 * 1024;

/// The subtree as a `serde_json::Value`, read as the validator reads it. For messages and
/// error reports only.
pub(super) fn to_value(node: &Node) -> JsonValue {
    match &node.value {
        Value::Object(members) => JsonValue::Object(
            Visible::new(members)
                .map(|m| (m.key.clone(), to_value(&m.value)))
                .collect::<Map<_, _>>(),
        ),
        Value::Array(items) => JsonValue::Array(items.iter().map(to_value).collect()),
        Value::String(s) => JsonValue::String(s.clone()),
        Value::Number(n) => JsonValue::Number(n.clone()),
        Value::Bool(b) => JsonValue::Bool(*b),
        Value::Null | Value::Unknown => JsonValue::Null,
    }
}

impl<'a> JsonNode<'a, Tree> for &'a Node {
    type Object = Members<'a>;
    type Array = &'a [Node];
    type Number = &'a Number;

    fn as_object(&self) -> Option<Members<'a>> {
        match &self.value {
            Value::Object(members) => Some(Members(members)),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<&'a [Node]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        match &self.value {
            Value::String(s) => Some(Cow::Borrowed(s)),
            _ => None,
        }
    }

    fn as_number(&self) -> Option<&'a Number> {
        match &self.value {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    fn as_boolean(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(self.value, Value::Null | Value::Unknown)
    }

    fn json_type(&self) -> JsonType {
        match self.value {
            Value::Null | Value::Unknown => JsonType::Null,
            Value::Bool(_) => JsonType::Boolean,
            Value::Number(_) => JsonType::Number,
            Value::String(_) => JsonType::String,
            Value::Array(_) => JsonType::Array,
            Value::Object(_) => JsonType::Object,
        }
    }

    /// `const` and `enum` compare every tag this way: scalars without building a `Value`.
    fn equals_value(&self, expected: &JsonValue) -> bool {
        match (&self.value, expected) {
            (Value::String(s), JsonValue::String(e)) => s == e,
            (Value::Bool(b), JsonValue::Bool(e)) => b == e,
            (Value::Null | Value::Unknown, JsonValue::Null) => true,
            (Value::Number(n), JsonValue::Number(e)) => jsonschema::json::cmp::equal_numbers(&n, e),
            (Value::Object(_) | Value::Array(_), JsonValue::Object(_) | JsonValue::Array(_)) => {
                jsonschema::json::cmp::equal(&to_value(self), expected)
            }
            _ => false,
        }
    }

    /// The instance a validation error carries. No finding reads it (messages are written from
    /// the tree), except the catch-all message of an error kind the shipped schemas do not
    /// produce on objects and arrays: so an object or array written over more than
    /// [`COPIED_UP_TO`] bytes is `null` there instead of a copy. An unknown key at the top of a
    /// request of many megabytes copied all of it into a `serde_json::Value` on every analysis.
    fn to_value(&self) -> Cow<'a, JsonValue> {
        let container = matches!(self.value, Value::Object(_) | Value::Array(_));
        let written = self.range.end.saturating_sub(self.range.start) as usize;
        if container && written > COPIED_UP_TO {
            return Cow::Owned(JsonValue::Null);
        }
        Cow::Owned(to_value(self))
    }

    fn identity(&self) -> Option<NodeIdentity> {
        Some(NodeIdentity::new(std::ptr::from_ref::<Node>(*self) as usize))
    }
}

/// An object's members, as the validator sees them.
#[derive(Clone, Copy)]
pub struct Members<'a>(&'a [Member]);

impl<'a> Object<'a, Tree> for Members<'a> {
    type Node = &'a Node;
    type MemberName = &'a str;
    type MembersIter = std::iter::Map<Visible<'a>, fn(&'a Member) -> (&'a str, &'a Node)>;

    fn len(&self) -> usize {
        Visible::new(self.0).count()
    }

    fn get(&self, key: &String) -> Option<&'a Node> {
        self.0
            .iter()
            .rev()
            .find(|m| m.key == *key && !is_spread(m))
            .map(|m| &m.value)
    }

    fn members(&self) -> Self::MembersIter {
        Visible::new(self.0).map(|m| (m.key.as_str(), &m.value))
    }
}

impl<'a> Array<'a, Tree> for &'a [Node] {
    type Node = &'a Node;
    type ElementsIter = std::slice::Iter<'a, Node>;

    fn len(&self) -> usize {
        <[Node]>::len(self)
    }

    fn elements(&self) -> Self::ElementsIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::json;

    fn parse(text: &str) -> Node {
        json::parse(text, 0).root.expect("a value")
    }

    fn keys(node: &Node) -> Vec<String> {
        let Value::Object(members) = &node.value else {
            panic!("not an object")
        };
        Visible::new(members).map(|m| m.key.clone()).collect()
    }

    #[test]
    fn a_repeated_key_shows_only_its_last_value() {
        let small = parse(r#"{"a": 1, "b": 2, "a": 3}"#);
        assert_eq!(keys(&small), ["b", "a"]);
        assert_eq!(to_value(&small), serde_json::json!({"a": 3, "b": 2}));
        assert_eq!(
            <&Node as JsonNode<Tree>>::as_object(&&small).map(|o| o.len()),
            Some(2)
        );
        // Past the scan limit an index finds the repeats.
        let many: Vec<String> = (0..40).map(|i| format!(r#""k{i}": {i}"#)).collect();
        let large = parse(&format!(r#"{{{}, "k3": "last"}}"#, many.join(", ")));
        let seen = keys(&large);
        assert_eq!(seen.len(), 40);
        assert_eq!(seen.last().map(String::as_str), Some("k3"));
        assert_eq!(to_value(&large)["k3"], "last");
    }

    #[test]
    fn spreads_supply_no_key_and_unknown_reads_as_null() {
        let mut node = parse(r#"{"a": 1, "b": 2}"#);
        let Value::Object(members) = &mut node.value else {
            panic!("not an object")
        };
        members.push(Member {
            key: String::new(),
            key_range: TextRange::empty(1),
            value: Node::new(TextRange::new(1, 2), Value::Unknown),
        });
        members[1].value.value = Value::Unknown;
        assert_eq!(keys(&node), ["a", "b"]);
        assert_eq!(to_value(&node), serde_json::json!({"a": 1, "b": null}));
        let b = node.get("b").expect("b");
        assert!(<&Node as JsonNode<Tree>>::is_null(&b));
        assert_eq!(<&Node as JsonNode<Tree>>::json_type(&b), JsonType::Null);
    }

    #[test]
    fn errors_copy_scalars_and_small_containers_only() {
        let small = parse(r#"{"a": [1, 2]}"#);
        let copied = <&Node as JsonNode<'_, Tree>>::to_value(&&small);
        assert_eq!(copied.into_owned(), serde_json::json!({"a": [1, 2]}));
        let large = parse(&format!(r#"{{"a": "{}"}}"#, "x".repeat(COPIED_UP_TO)));
        let copied = <&Node as JsonNode<'_, Tree>>::to_value(&&large);
        assert_eq!(copied.into_owned(), JsonValue::Null);
        let text = large.get("a").unwrap();
        let copied = <&Node as JsonNode<'_, Tree>>::to_value(&text);
        assert_eq!(copied.as_str().map(str::len), Some(COPIED_UP_TO));
        // Messages are written from the tree: the free function copies whatever the size.
        assert_eq!(
            to_value(&large)["a"].as_str().map(str::len),
            Some(COPIED_UP_TO)
        );
    }

    #[test]
    fn scalars_compare_without_conversion() {
        let node = parse(r#"["text", 1.0, true, null, {"a": [1]}]"#);
        let Value::Array(items) = &node.value else {
            panic!("not an array")
        };
        let eq = |i: usize, v: JsonValue| <&Node as JsonNode<Tree>>::equals_value(&&items[i], &v);
        assert!(eq(0, "text".into()));
        assert!(!eq(0, "tex".into()));
        assert!(eq(1, serde_json::json!(1)));
        assert!(eq(2, true.into()));
        assert!(eq(3, JsonValue::Null));
        assert!(eq(4, serde_json::json!({"a": [1]})));
        assert!(!eq(4, serde_json::json!({"a": [2]})));
        assert!(!eq(0, JsonValue::Null));
    }
}
