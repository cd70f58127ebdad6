//! Completion inside a JSON string: parameter names at the top level of a request, model ids
//! for `model` (current ones first, deprecated ones after, retired ones never), roles, content
//! block types and `tool_choice` types.
//!
//! The string under the cursor is found in the text (a half-typed string often does not make it
//! into the tree intact), and where it sits (which object, which key) comes from the tree. Each
//! item replaces the whole string, quotes included, so accepting one never leaves a stray
//! quote. YAML documents get no completion yet: the library does not analyse YAML.

use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, MarkupContent,
    MarkupKind, Position, TextEdit,
};

use super::convert::Converter;
use super::documents::Snapshot;
use super::hover;
use super::locate::{self, Located, Step};
use crate::analyze::model_of;
use crate::extract::files::FileKind;
use crate::extract::{Payload, PayloadKind};
use crate::facts::blocks::{self, Placement};
use crate::facts::params::{PARAMS, ParamKind};
use crate::facts::{Dialect, Lifecycle};
use crate::settings::Settings;
use crate::syntax::{Node, TextRange, Value};

/// What the string under the cursor can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// A top-level parameter name.
    Parameter,
    /// The value of `model`.
    Model,
    /// A message's `role`.
    Role,
    /// A content block's `type`, among these.
    BlockType(&'static [&'static str]),
    /// `tool_choice.type`.
    ToolChoice,
}

/// The completion items at `position`.
pub(crate) fn complete(
    snapshot: &Snapshot,
    converter: &Converter<'_>,
    position: Position,
) -> Vec<CompletionItem> {
    if !matches!(snapshot.kind, Some(FileKind::Json | FileKind::JsonLines)) {
        return Vec::new();
    }
    let Ok(settings) = &snapshot.settings else {
        return Vec::new();
    };
    let text = snapshot.text.as_str();
    let offset = converter.offset(position);
    let Some(token) = string_at(text, offset) else {
        return Vec::new();
    };
    let payloads = payloads(snapshot, settings);
    let Some(located) = locate::locate(&payloads, offset) else {
        return Vec::new();
    };
    let Some(slot) = slot(text, &token, &located) else {
        return Vec::new();
    };
    let range = converter.range(token.range);
    candidates(slot, &located, settings)
        .into_iter()
        .enumerate()
        .map(|(rank, candidate)| CompletionItem {
            label: candidate.label.clone(),
            kind: Some(candidate.kind),
            detail: candidate.detail,
            documentation: candidate.documentation.map(|value| {
                Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value,
                })
            }),
            sort_text: Some(format!("{rank:04}")),
            filter_text: Some(format!("\"{}", candidate.label)),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                range,
                format!("\"{}\"", candidate.label),
            ))),
            ..CompletionItem::default()
        })
        .collect()
}

/// The payloads of the file, and the requests being written that are not payloads yet: a
/// root object whose `model` is a Claude model (before `messages` is written), or is being
/// typed (empty, a prefix of `claude`, or half-written) beside `messages` or `max_tokens`.
/// An OpenAI request (`"model": "gpt-4o"`) or a `package.json` is neither.
fn payloads<'s>(snapshot: &'s Snapshot, settings: &Settings) -> Vec<Payload<'s>> {
    let mut payloads = snapshot.payloads();
    for document in snapshot.documents() {
        let Some(root) = &document.root else {
            continue;
        };
        let taken = payloads
            .iter()
            .any(|p| root.range.contains_range(p.root.range));
        let request_like = root.get("messages").is_some() || root.get("max_tokens").is_some();
        let being_written = match root.get("model").map(|m| &m.value) {
            Some(Value::String(id)) if settings.facts.looks_like_claude(id) => true,
            Some(Value::String(id)) => request_like && "claude".starts_with(id.as_str()),
            Some(Value::Unknown) => request_like,
            _ => false,
        };
        if !taken && being_written {
            payloads.push(Payload {
                root,
                kind: PayloadKind::Messages,
                dialect: Dialect::FirstParty,
                path: String::new(),
                body_bytes: document.body_bytes,
                call: None,
                stored: false,
            });
        }
    }
    payloads
}

/// A JSON string the cursor is inside.
#[derive(Debug)]
struct Token {
    /// From the opening quote to the closing one (included), or to the cursor when the string
    /// is not closed on its line.
    range: TextRange,
}

/// The string around `offset`: the line is scanned from its start, so quotes inside other
/// strings and escaped quotes are told apart.
fn string_at(text: &str, offset: usize) -> Option<Token> {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text.as_bytes()[line_start..line_end];
    let cursor = offset - line_start;
    let mut open: Option<usize> = None;
    let mut i = 0;
    while i < line.len() {
        match (line[i], open) {
            (b'\\', Some(_)) => i += 1,
            (b'"', None) => open = Some(i),
            (b'"', Some(start)) => {
                if start < cursor && cursor <= i {
                    return Some(Token {
                        range: TextRange::new(line_start + start, line_start + i + 1),
                    });
                }
                open = None;
            }
            _ => {}
        }
        i += 1;
    }
    match open {
        Some(start) if start < cursor => Some(Token {
            range: TextRange::new(line_start + start, offset),
        }),
        _ => None,
    }
}

/// The last significant character before `offset` (white space and line breaks skipped).
fn previous_char(text: &str, offset: usize) -> Option<char> {
    text[..offset].chars().rev().find(|c| !c.is_whitespace())
}

/// The key of a member whose value is being typed, read back from the text before the colon
/// (for a value the tree lost while it is half-typed).
fn key_before(text: &str, token_start: usize) -> Option<&str> {
    let before = text[..token_start].trim_end().strip_suffix(':')?.trim_end();
    let body = before.strip_suffix('"')?;
    let open = body.rfind('"')?;
    Some(&body[open + 1..])
}

/// What the string at `token` can be, from where it sits in the tree.
fn slot(text: &str, token: &Token, located: &Located<'_>) -> Option<Slot> {
    let start = token.range.start as usize;
    let path = located.path();
    let deepest: &Node = match located.steps.last() {
        Some(Step::Member(member)) => &member.value,
        Some(Step::Element(_, node)) => node,
        None => located.payload.root,
    };
    let (container, key): (Vec<String>, Option<String>) = if located.on_key {
        (path[..path.len() - 1].to_vec(), None)
    } else {
        match previous_char(text, start)? {
            '{' | ',' if deepest.as_object().is_some() => (path, None),
            ':' => match located.steps.last() {
                Some(Step::Member(member))
                    if member.value.range.start as usize == start
                        && matches!(member.value.value, Value::String(_) | Value::Unknown) =>
                {
                    (path[..path.len() - 1].to_vec(), Some(member.key.clone()))
                }
                _ if deepest.as_object().is_some() => {
                    (path, Some(key_before(text, start)?.to_owned()))
                }
                _ => return None,
            },
            _ => return None,
        }
    };
    let container: Vec<&str> = container.iter().map(String::as_str).collect();
    let numeric = |s: &str| s.parse::<usize>().is_ok();
    Some(match (container.as_slice(), key.as_deref()) {
        ([], None) => Slot::Parameter,
        ([], Some("model")) => Slot::Model,
        (["messages", n], Some("role")) if numeric(n) => Slot::Role,
        (["messages", n, "content", m], Some("type")) if numeric(n) && numeric(m) => {
            Slot::BlockType(&[])
        }
        (["messages", n, "content", m, "content", k], Some("type"))
            if numeric(n) && numeric(m) && numeric(k) =>
        {
            Slot::BlockType(blocks::TOOL_RESULT_CONTENT)
        }
        (["system", m], Some("type")) if numeric(m) => Slot::BlockType(blocks::SYSTEM_CONTENT),
        (["tool_choice"], Some("type")) => Slot::ToolChoice,
        _ => return None,
    })
}

/// One item before it is placed.
struct Candidate {
    label: String,
    kind: CompletionItemKind,
    detail: Option<String>,
    documentation: Option<String>,
}

impl Candidate {
    fn new(label: &str, kind: CompletionItemKind, detail: impl Into<String>) -> Self {
        Self {
            label: label.to_owned(),
            kind,
            detail: Some(detail.into()),
            documentation: None,
        }
    }
}

/// The candidates for a slot, best first.
fn candidates(slot: Slot, located: &Located<'_>, settings: &Settings) -> Vec<Candidate> {
    let payload = &located.payload;
    let model = model_of(payload, settings);
    match slot {
        Slot::Parameter => parameters(payload, located),
        Slot::Model => models(settings),
        Slot::Role => [
            ("user", "a user turn", true),
            ("assistant", "a model turn (last, it is a prefill)", true),
            (
                "system",
                "a mid-conversation system turn (some models only)",
                model.is_none_or(|m| m.mid_conversation_system),
            ),
        ]
        .into_iter()
        .filter(|&(_, _, offered)| offered)
        .map(|(role, detail, _)| Candidate::new(role, CompletionItemKind::ENUM_MEMBER, detail))
        .collect(),
        Slot::BlockType(allowed) => {
            let role = located
                .message()
                .and_then(|(_, m)| m.get("role"))
                .and_then(Node::as_str);
            let mut ga = Vec::new();
            let mut beta = Vec::new();
            for block in blocks::BLOCK_TYPES {
                let misplaced = matches!(
                    (block.placement, role),
                    (Placement::User, Some("assistant")) | (Placement::Assistant, Some("user"))
                );
                if misplaced || !(allowed.is_empty() || allowed.contains(&block.name)) {
                    continue;
                }
                match block.beta {
                    None => ga.push(Candidate::new(
                        block.name,
                        CompletionItemKind::ENUM_MEMBER,
                        match block.required {
                            [] => "content block".to_owned(),
                            fields => format!("content block: needs `{}`", fields.join("`, `")),
                        },
                    )),
                    Some(name) => beta.push(Candidate::new(
                        block.name,
                        CompletionItemKind::ENUM_MEMBER,
                        format!("beta content block (`{name}`)"),
                    )),
                }
            }
            ga.extend(beta);
            ga
        }
        Slot::ToolChoice => {
            let forced = model.is_none_or(|m| m.forced_tool_choice);
            [
                ("auto", "the model decides (the default)", true),
                ("any", "the model must use one of the tools", forced),
                (
                    "tool",
                    "the model must use the tool named in `name`",
                    forced,
                ),
                ("none", "the model may not use tools", true),
            ]
            .into_iter()
            .filter(|&(_, _, offered)| offered)
            .map(|(kind, detail, _)| Candidate::new(kind, CompletionItemKind::ENUM_MEMBER, detail))
            .collect()
        }
    }
}

/// Top-level parameters not written yet: GA fields, then the sampling fields (API version
/// 2023-06-01 only), then beta fields; cloud fields only in Bedrock and Vertex bodies; SDK
/// call options never.
fn parameters(payload: &Payload<'_>, located: &Located<'_>) -> Vec<Candidate> {
    let editing = if located.on_key {
        located.parameter().map(|m| m.key.as_str())
    } else {
        None
    };
    let present: Vec<&str> = payload
        .root
        .as_object()
        .unwrap_or_default()
        .iter()
        .map(|m| m.key.as_str())
        .filter(|&k| Some(k) != editing)
        .collect();
    let count_tokens = payload.kind == PayloadKind::CountTokens;
    let mut ranked: Vec<(u8, Candidate)> = PARAMS
        .iter()
        .filter(|p| !present.contains(&p.name) && (!count_tokens || p.count_tokens))
        .filter_map(|p| {
            let (rank, detail) = match p.kind {
                ParamKind::Ga => (0, "parameter".to_owned()),
                ParamKind::Cloud if payload.dialect != Dialect::FirstParty => {
                    (0, "Bedrock / Vertex parameter".to_owned())
                }
                ParamKind::Sampling => (1, "parameter (API version 2023-06-01 only)".to_owned()),
                ParamKind::Beta(beta) => (2, format!("beta parameter (`{beta}`)")),
                ParamKind::Cloud | ParamKind::SdkOnly(_) => return None,
            };
            let mut candidate = Candidate::new(p.name, CompletionItemKind::PROPERTY, detail);
            candidate.documentation = hover::meaning(p.name).map(str::to_owned);
            Some((rank, candidate))
        })
        .collect();
    ranked.sort_by_key(|(rank, _)| *rank);
    ranked.into_iter().map(|(_, c)| c).collect()
}

/// Every id of every model the API still serves: current models first, deprecated ones after
/// (each in the table's order, newest first); retired ones never.
fn models(settings: &Settings) -> Vec<Candidate> {
    let today = settings.options.today;
    let mut current = Vec::new();
    let mut deprecated = Vec::new();
    for model in settings.facts.models() {
        let (list, detail) = match model.lifecycle(today) {
            Lifecycle::Active => (&mut current, model.name.clone()),
            Lifecycle::Deprecated(Some(day)) => (
                &mut deprecated,
                format!("{} (deprecated: retired on {day})", model.name),
            ),
            Lifecycle::Deprecated(None) => {
                (&mut deprecated, format!("{} (deprecated)", model.name))
            }
            Lifecycle::Retired(_) => continue,
        };
        for id in model.ids() {
            list.push(Candidate::new(
                id,
                CompletionItemKind::VALUE,
                detail.clone(),
            ));
        }
    }
    current.extend(deprecated);
    current
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(text: &str) -> Option<(usize, usize)> {
        let offset = text.find('|')?;
        let text = text.replace('|', "");
        string_at(&text, offset).map(|t| (t.range.start as usize, t.range.end as usize))
    }

    #[test]
    fn the_string_under_the_cursor() {
        assert_eq!(token(r#"{"mo|del": 1}"#), Some((1, 8)));
        assert_eq!(token(r#"{"a": "x\"|y"}"#), Some((6, 12)));
        assert_eq!(token(r#"{"a": "x", "cl|"#), Some((11, 14)));
        assert_eq!(token(r#"{"a": 1|}"#), None);
        assert_eq!(token(r#"{"a"|: 1}"#), None);
    }

    #[test]
    fn keys_read_back_before_the_colon() {
        assert_eq!(key_before(r#"{"model" :  "#, 12), Some("model"));
        assert_eq!(key_before(r#"{"model" "#, 9), None);
    }
}
