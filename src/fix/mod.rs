//! Fixes are structural (invariant 4): a rule says *what* to change in the payload tree, and the
//! host syntax that knows its commas, quotes and indentation renders it into text edits.

pub mod apply;
pub(crate) mod code;
pub(crate) mod json;
pub(crate) mod yaml;

use crate::syntax::embed::Decoded;
use crate::syntax::{Member, Node, TextRange};

/// How safe a fix is to apply without a person looking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// Keeps the request's meaning: `check --fix` applies it.
    Safe,
    /// Changes what the request asks for (drops a parameter, swaps a model): applied only with
    /// `--unsafe-fixes`, offered as a quick fix in editors.
    Unsafe,
}

impl Applicability {
    /// The name used in the JSON output and the docs.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// One structural change to a payload.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Edit {
    /// Remove a member of an object, or an element of an array.
    RemoveItem {
        /// The object's or array's range.
        container: TextRange,
        /// The member's range (key through value) or the element's range.
        item: TextRange,
    },
    /// Rename the key at `key`.
    RenameKey {
        /// The key's range.
        key: TextRange,
        /// The new key.
        to: String,
    },
    /// Replace the value at `node` with `value`.
    ReplaceValue {
        /// The value's range.
        node: TextRange,
        /// The new value.
        value: serde_json::Value,
    },
    /// Replace the characters at `range` with `text` as written, whatever the host: a model id
    /// inside a longer string (`anthropic:messages:<id>`), whose own quoting is not the id's.
    /// Only for text that needs no escaping in any host (model ids).
    ReplaceText {
        /// The characters to replace.
        range: TextRange,
        /// What to write there.
        text: String,
    },
    /// Add a member at the end of an object.
    InsertMember {
        /// The object's range.
        object: TextRange,
        /// The range of the object's last member, if it has any.
        after: Option<TextRange>,
        /// The new key.
        key: String,
        /// The new value.
        value: serde_json::Value,
    },
}

impl Edit {
    /// Removes `member` from `object`.
    pub(crate) fn remove_member(object: &Node, member: &Member) -> Self {
        Edit::RemoveItem {
            container: object.range,
            item: member.range(),
        }
    }

    /// Removes `element` from `array`.
    pub(crate) fn remove_element(array: &Node, element: &Node) -> Self {
        Edit::RemoveItem {
            container: array.range,
            item: element.range,
        }
    }

    /// Removes `run`, elements next to each other in `array`, as one item from the first's
    /// start to the last's end: each host removes that span with the separator after it, as
    /// it would each element in turn, in one edit instead of one per element (dropping 30,000
    /// turns is one edit for the editor to apply). `None` for an empty run.
    pub(crate) fn remove_elements(array: &Node, run: &[Node]) -> Option<Self> {
        let (first, last) = (run.first()?, run.last()?);
        Some(Edit::RemoveItem {
            container: array.range,
            item: TextRange::new(first.range.start as usize, last.range.end as usize),
        })
    }

    /// Replaces `node`, a string of JSON text (`"schema": "{…}"`), with the object the text
    /// holds; `None` when it does not parse to an object.
    pub(crate) fn parse_object_string(node: &Node, text: &str) -> Option<Self> {
        let object = serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .filter(serde_json::Value::is_object)?;
        Some(Edit::replace_value(node, object))
    }

    /// Renames the key of `member`.
    pub(crate) fn rename_key(member: &Member, to: impl Into<String>) -> Self {
        Edit::RenameKey {
            key: member.key_range,
            to: to.into(),
        }
    }

    /// Replaces the value `node`.
    pub(crate) fn replace_value(node: &Node, value: serde_json::Value) -> Self {
        Edit::ReplaceValue {
            node: node.range,
            value,
        }
    }

    /// The same edit with every range passed through `map`; `None` when one does not map.
    pub(crate) fn map_ranges(&self, map: impl Fn(TextRange) -> Option<TextRange>) -> Option<Self> {
        Some(match self {
            Edit::RemoveItem { container, item } => Edit::RemoveItem {
                container: map(*container)?,
                item: map(*item)?,
            },
            Edit::RenameKey { key, to } => Edit::RenameKey {
                key: map(*key)?,
                to: to.clone(),
            },
            Edit::ReplaceValue { node, value } => Edit::ReplaceValue {
                node: map(*node)?,
                value: value.clone(),
            },
            Edit::ReplaceText { range, text } => Edit::ReplaceText {
                range: map(*range)?,
                text: text.clone(),
            },
            Edit::InsertMember {
                object,
                after,
                key,
                value,
            } => Edit::InsertMember {
                object: map(*object)?,
                after: match after {
                    Some(after) => Some(map(*after)?),
                    None => None,
                },
                key: key.clone(),
                value: value.clone(),
            },
        })
    }

    /// Adds `key: value` at the end of `object`.
    pub(crate) fn insert_member(
        object: &Node,
        key: impl Into<String>,
        value: serde_json::Value,
    ) -> Self {
        Edit::InsertMember {
            object: object.range,
            after: object.as_object().and_then(|m| m.last()).map(Member::range),
            key: key.into(),
            value,
        }
    }
}

/// A structural fix attached to a finding.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fix {
    /// What the fix does, shown in editors ("Rename `stop` to `stop_sequences`").
    pub title: String,
    /// Whether `--fix` may apply it alone.
    pub applicability: Applicability,
    /// The changes, applied together.
    pub edits: Vec<Edit>,
}

impl Fix {
    /// A fix that keeps the request's meaning.
    pub(crate) fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self {
            title: title.into(),
            applicability: Applicability::Safe,
            edits,
        }
    }

    /// A fix that changes what the request asks for.
    pub(crate) fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self {
            title: title.into(),
            applicability: Applicability::Unsafe,
            edits,
        }
    }
}

/// A replacement of a byte range of the host text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TextEdit {
    /// The bytes to replace.
    pub range: TextRange,
    /// What to put there.
    pub new_text: String,
}

/// A fix rendered for one host file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedFix {
    /// What the fix does.
    pub title: String,
    /// Whether `--fix` may apply it alone.
    pub applicability: Applicability,
    /// The text edits, sorted and non-overlapping.
    pub edits: Vec<TextEdit>,
}

/// The host syntax a payload is written in; it renders structural edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Host {
    /// JSON, JSONC and JSON Lines.
    Json,
    /// YAML.
    Yaml,
    /// Python: keyword arguments and dict literals.
    Python,
    /// JavaScript and TypeScript object literals.
    JavaScript,
}

impl Host {
    /// Renders `fix` into text edits on `text`; `None` when the edits cannot be rendered safely
    /// (the finding is then reported without a fix).
    pub(crate) fn render(self, fix: &Fix, text: &str) -> Option<RenderedFix> {
        let mut edits = Vec::new();
        for edit in &fix.edits {
            match self {
                Host::Json => edits.extend(json::render(edit, text)?),
                Host::Yaml => edits.extend(yaml::render(edit, text)?),
                Host::Python => edits.extend(code::render(edit, text, code::Syntax::Python)?),
                Host::JavaScript => {
                    edits.extend(code::render(edit, text, code::Syntax::JavaScript)?)
                }
            }
        }
        edits.sort();
        edits.dedup();
        if edits.windows(2).any(|w| w[0].range.end > w[1].range.start) {
            return None;
        }
        // Only a fix that writes a line break asks how the file's lines end: on a one-line
        // file, looking for the first line break is a scan of the whole text per fix.
        if edits.iter().any(|e| e.new_text.contains('\n')) && uses_crlf(text) {
            for edit in &mut edits {
                edit.new_text = edit.new_text.replace("\r\n", "\n").replace('\n', "\r\n");
            }
        }
        Some(RenderedFix {
            title: fix.title.clone(),
            applicability: fix.applicability,
            edits,
        })
    }
}

/// The text edit of [`Edit::ReplaceText`], the same in every host; `None` when `range` is not
/// in `text`.
fn verbatim(text: &str, range: TextRange, new: &str) -> Option<TextEdit> {
    text.get(range.to_range())?;
    Some(TextEdit {
        range,
        new_text: new.to_owned(),
    })
}

/// True when `text`'s first line ends in CR LF: the renderers write bare line feeds, and the
/// lines a fix inserts must end as the file's own lines do.
fn uses_crlf(text: &str) -> bool {
    text.find('\n').is_some_and(|i| text[..i].ends_with('\r'))
}

/// How the fixes of one document are rendered: in its host syntax, inside the quoting the
/// document is embedded in (a JSON body in shell quotes, a notebook cell in a JSON string).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Renderer<'a> {
    /// The syntax the payload is written in.
    pub host: Host,
    /// The decoded text the payload was parsed from, when it is embedded.
    pub embedding: Option<&'a Decoded>,
}

impl Renderer<'_> {
    /// Renders `fix` into edits of the host file's `text`; `None` when it cannot be rendered
    /// safely (an edit that would cross from one quoted piece into another).
    pub(crate) fn render(&self, fix: &Fix, text: &str) -> Option<RenderedFix> {
        let Some(decoded) = self.embedding else {
            return self.host.render(fix, text);
        };
        let edits = fix
            .edits
            .iter()
            .map(|e| e.map_ranges(|r| decoded.to_decoded(r)))
            .collect::<Option<Vec<_>>>()?;
        let inner = Fix {
            edits,
            ..fix.clone()
        };
        let rendered = self.host.render(&inner, &decoded.text)?;
        let edits = rendered
            .edits
            .into_iter()
            .map(|e| {
                let quoting = decoded.quoting(e.range)?;
                Some(TextEdit {
                    range: decoded.to_host(e.range),
                    new_text: quoting.quote(&e.new_text),
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(RenderedFix { edits, ..rendered })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::files::{self, FileKind};
    use crate::fix::apply::apply_edits;

    /// The text after removing the elements `run` of the file's `messages` array, as one edit
    /// over the run and as one edit per element.
    fn removed(
        text: &str,
        kind: FileKind,
        run: std::ops::RangeInclusive<usize>,
    ) -> (String, String) {
        let documents = files::parse(text, kind);
        let document = documents
            .iter()
            .find(|d| d.root.is_some())
            .expect("a value");
        let root = document.root.as_ref().unwrap();
        let array = root.get("messages").expect("messages");
        let items = &array.as_array().unwrap()[run];
        let apply = |edits: Vec<Edit>| {
            let fix = Fix::unsafe_("drop".to_owned(), edits);
            let rendered = document.host.render(&fix, text).expect("renders");
            apply_edits(text, &rendered.edits)
        };
        let once = apply(vec![Edit::remove_elements(array, items).unwrap()]);
        let each = apply(
            items
                .iter()
                .map(|m| Edit::remove_element(array, m))
                .collect(),
        );
        (once, each)
    }

    #[test]
    fn a_run_of_elements_is_removed_as_each_element_would_be() {
        let cases: &[(FileKind, &str, &str)] = &[
            (
                FileKind::Json,
                "{\"messages\": [\n  {\"a\": 0},\n  {\"a\": 1}, // one\n  {\"a\": 2},\n  {\"a\": 3}\n]}\n",
                "{\"messages\": [\n  {\"a\": 0},\n  {\"a\": 3}\n]}\n",
            ),
            (
                FileKind::Json,
                "{\"messages\": [{\"a\": 0}, {\"a\": 1}, {\"a\": 2}, {\"a\": 3}]}",
                "{\"messages\": [{\"a\": 0}, {\"a\": 3}]}",
            ),
            (
                FileKind::Yaml,
                "messages:\n  - a: 0\n  - a: 1\n    b: 1\n  - a: 2\n  - a: 3\n",
                "messages:\n  - a: 0\n  - a: 3\n",
            ),
            (
                FileKind::Yaml,
                "messages: [{a: 0}, {a: 1}, {a: 2}, {a: 3}]\n",
                "messages: [{a: 0}, {a: 3}]\n",
            ),
            (
                FileKind::Python,
                "client.messages.create(model=\"claude-opus-4-1\", max_tokens=9, messages=[\n    {\"a\": 0},\n    {\"a\": 1},  # one\n    {\"a\": 2},\n    {\"a\": 3},\n])\n",
                "client.messages.create(model=\"claude-opus-4-1\", max_tokens=9, messages=[\n    {\"a\": 0},\n    {\"a\": 3},\n])\n",
            ),
            (
                FileKind::TypeScript,
                "client.messages.create({model: \"claude-opus-4-1\", max_tokens: 9, messages: [{a: 0}, {a: 1}, {a: 2}, {a: 3}]});\n",
                "client.messages.create({model: \"claude-opus-4-1\", max_tokens: 9, messages: [{a: 0}, {a: 3}]});\n",
            ),
        ];
        for (kind, text, expected) in cases {
            let (once, each) = removed(text, *kind, 1..=2);
            assert_eq!(once, *expected, "{kind:?}");
            if text.contains("one") {
                // A comment after a removed element's comma goes with the run; removed one at
                // a time, the comment is left where its element was.
                assert_ne!(each, *expected, "{kind:?}");
            } else {
                assert_eq!(each, *expected, "{kind:?}");
            }
        }
    }
}
