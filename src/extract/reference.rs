//! Model references: a Claude model id and the few request fields that a configuration file or
//! a framework's constructor sets for it, where no request body is written out (a promptfoo
//! provider, a LiteLLM `model_list` entry, a LangChain `ChatAnthropic`).
//!
//! A reference becomes a document whose root is a small payload tree: `model` (a string node
//! whose range covers exactly the id's characters, even inside `anthropic:messages:<id>`) and
//! the fields whose values the tool sends unchanged (`max_tokens`, and the sampling parameters
//! where that holds), each node at its place in the host file. Its kind,
//! [`PayloadKind::ModelReference`], makes the rules run only the model and parameter checks;
//! a fix that swaps the model replaces only the id's characters ([`crate::fix::Edit::ReplaceText`]).

use super::PayloadKind;
use super::code::Call;
use super::files::Document;
use crate::facts::{Dialect, Facts, IdForm};
use crate::fix::Host;
use crate::syntax::{Member, Node, TextRange, Value};

/// One model reference found in a file.
#[derive(Debug, Clone)]
pub(crate) struct Reference {
    /// The model id as the API receives it: a string node over exactly its characters.
    pub model: Node,
    /// The platform the id is sent to.
    pub dialect: Dialect,
    /// The request fields the source sets, under their API names (`max_tokens`, even when
    /// written `maxTokens`), each with its key's and value's ranges in the host file.
    pub fields: Vec<Member>,
    /// Where the whole reference is written (the provider entry, the constructor call).
    pub range: TextRange,
    /// What the discovery note calls it, e.g. "the promptfoo provider `anthropic:messages:x`".
    pub what: String,
}

impl Reference {
    /// The document the analysis checks: the reference's payload tree, sent to Claude.
    pub(crate) fn into_document(self, host: Host) -> Document {
        let mut members = vec![Member {
            key: "model".into(),
            key_range: self.model.range,
            value: self.model,
        }];
        members.extend(self.fields);
        let call = Call {
            kind: PayloadKind::ModelReference,
            dialect: self.dialect,
            known_client: true,
            sdk: false,
            api_version: None,
            betas: None,
            headers: None,
            range: members[0].key_range,
            what: self.what,
            runtime: None,
            raw_http: None,
        };
        let root = Node::new(self.range, Value::Object(members));
        let mut document = Document::credentials(Vec::new(), host);
        document.range = self.range;
        document.root = Some(root);
        document.call = Some(Box::new(call));
        document
    }
}

/// The node of the characters `start..end` of the string `node` holds, when the string is
/// written without escapes (plainly, or between one pair of quotes): the exact place of an id
/// inside `anthropic:messages:<id>`, or of a whole quoted id without its quotes. `None` when
/// the written text is not the value byte for byte.
pub(crate) fn substring(node: &Node, text: &str, start: usize, end: usize) -> Option<Node> {
    let value = node.as_str()?;
    let written = text.get(node.range.to_range())?;
    let offset = if written == value {
        0
    } else if written.len() == value.len() + 2
        && written.starts_with(['"', '\''])
        && written.get(1..written.len() - 1) == Some(value)
    {
        1
    } else {
        return None;
    };
    let at = node.range.start as usize + offset;
    Some(Node::new(
        TextRange::new(at + start, at + end),
        Value::String(value.get(start..end)?.to_owned()),
    ))
}

/// True when `id` is a first-party id of the built-in model table: what a tool that resolves
/// bare or shorthand names from its own model list (promptfoo's `anthropic:<id>`, LiteLLM's
/// `model: <id>`) sends to the Claude API. Unknown ids there fail in the tool, not the API.
pub(crate) fn is_known_first_party(id: &str) -> bool {
    matches!(Facts::builtin().resolve(id), Some((_, IdForm::FirstParty)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substrings_map_only_unescaped_strings() {
        let text = r#"a: "anthropic:messages:claude-x""#;
        let node = Node::new(
            TextRange::new(3, text.len()),
            Value::String("anthropic:messages:claude-x".into()),
        );
        let id = substring(&node, text, 19, 27).unwrap();
        assert_eq!(&text[id.range.to_range()], "claude-x");
        assert_eq!(id.as_str(), Some("claude-x"));
        let escaped = r#"a: "claude\x2dx""#;
        let node = Node::new(
            TextRange::new(3, escaped.len()),
            Value::String("claude-x".into()),
        );
        assert!(substring(&node, escaped, 0, 8).is_none());
    }
}
