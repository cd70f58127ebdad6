//! LangChain chat models that name a Claude model in code: `ChatAnthropic(...)`,
//! `ChatAnthropicVertex(...)`, `ChatBedrock(...)` and `init_chat_model("anthropic:<id>", ...)`
//! (or `bedrock:`, `google_anthropic_vertex:`) in Python, `new ChatAnthropic({...})` and
//! `initChatModel("anthropic:<id>", {...})` in JavaScript and TypeScript. Each becomes a model
//! reference (`reference.rs`) with the fields LangChain sends unchanged.
//!
//! What LangChain does, read in its packages (PyPI `langchain-anthropic` 1.7.10 and `langchain`
//! 1.5.2; npm `@langchain/anthropic` 1.5.11 and `langchain` 1.5.14):
//! - Python `ChatAnthropic` (`langchain_anthropic/chat_models.py`) is a pydantic model with
//!   `model` (alias `model_name`), `max_tokens`, `temperature`, `top_k`, `top_p`;
//!   `_get_request_payload` writes them into the body as they are (dropping the sampling ones
//!   only for Fable, which does not take them). `max_tokens_to_sample` is an alias that a
//!   validator filling in the default `max_tokens` does not read, so it is not trusted here.
//! - Python `init_chat_model` (`langchain/chat_models/base.py`) splits `anthropic:<id>`, takes a
//!   bare `claude...` id as Anthropic's, and passes its other keywords to `ChatAnthropic`.
//! - JS `ChatAnthropic` (`dist/chat_models.js`) reads `model` or `modelName` and `maxTokens`
//!   into `max_tokens` unchanged; its sampling fields go through `getSamplingParams`, which
//!   adjusts them to thinking, so they are not checked. `initChatModel`
//!   (`langchain/dist/chat_models/universal.js`) splits `anthropic:<id>` the same way.
//! - Python `ChatAnthropicVertex` (PyPI `langchain-google-vertexai` 3.2.5,
//!   `model_garden.py`): `_default_params` sends `model` (field `model_name`, alias `model`),
//!   `max_tokens` (field `max_output_tokens`, alias `max_tokens`), `temperature`, `top_k`,
//!   `top_p` as they are (`None` left out) through the SDK's `AnthropicVertex`, which puts the
//!   id in the `rawPredict` URL; `model_kwargs` is spread over them, so a call writing it is not
//!   read. `init_chat_model`'s `google_anthropic_vertex` provider makes it.
//! - Python `ChatBedrock` (PyPI `langchain-aws` 1.9.1, `chat_models/bedrock.py`,
//!   `llms/bedrock.py`): `model_id` (alias `model`) is InvokeModel's `modelId`; for an id
//!   whose provider part is `anthropic` (`parse_model_provider`: the first dotted part, the
//!   second behind a geographic prefix) `LLMInputOutputAdapter.prepare_input` writes
//!   `max_tokens` (when set) and `temperature` (when not `None`) into the Messages body as they
//!   are. `beta_use_converse_api` (the Converse API, another body) or a `provider` written by
//!   hand give no reference, nor does `ChatBedrockConverse`. `init_chat_model`'s `bedrock`
//!   provider makes it, and is inferred for ids starting `anthropic.`.
//!
//! Values are read only when written as literals at the call: anything else is `Unknown`, and
//! a call with `configurable_fields` (the model chosen at run time) or another provider gives
//! no reference.

use tree_sitter::{Language, Node as TsNode, Parser};

use super::code::{self, range};
use super::files::{Document, FileKind};
use super::javascript::Flavor;
use super::reference::{self, Reference};
use crate::facts::{Dialect, Facts};
use crate::fix::Host;
use crate::syntax::{Member, Node, Value};

/// The model references of LangChain calls in a Python, JavaScript or TypeScript source text.
pub(crate) fn extract(text: &str, kind: FileKind) -> Vec<Document> {
    if !text.contains("ChatAnthropic")
        && !text.contains("ChatBedrock")
        && !text.contains("init_chat_model")
        && !text.contains("initChatModel")
    {
        return Vec::new();
    }
    let (language, syntax, host): (Language, &Syntax, Host) = match kind {
        FileKind::Python => (tree_sitter_python::LANGUAGE.into(), &PYTHON, Host::Python),
        FileKind::JavaScript => (Flavor::JavaScript.language(), &JAVASCRIPT, Host::JavaScript),
        FileKind::TypeScript => (Flavor::TypeScript.language(), &JAVASCRIPT, Host::JavaScript),
        FileKind::Tsx => (Flavor::Tsx.language(), &JAVASCRIPT, Host::JavaScript),
        _ => return Vec::new(),
    };
    let mut parser = Parser::new();
    if parser.set_language(&language).is_err() {
        return Vec::new();
    }
    let Some(tree) = parser.parse(text, None) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut cursor = tree.walk();
    // An iterative pre-order walk: no recursion, however deep the code nests.
    'walk: loop {
        let node = cursor.node();
        if let Some(reference) = syntax.reference(node, text) {
            found.push(reference.into_document(host));
        }
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    found
}

/// A LangChain chat model class that sends a Claude id, and which of its arguments it sends
/// unchanged.
struct Class {
    /// The class name, as called.
    name: &'static str,
    /// The `init_chat_model` provider that makes it (`anthropic:<id>`, `model_provider=`).
    provider: &'static str,
    /// The platform it sends the id to.
    dialect: Dialect,
    /// The names of its model field.
    model_fields: &'static [&'static str],
    /// Its fields as written, with the API name of the ones sent unchanged.
    fields: &'static [(&'static str, &'static str)],
    /// Keywords that, written at all, make it send another body or fields not read here.
    refused: &'static [&'static str],
}

impl Class {
    /// True when the class sends `id` as a Claude id on its platform.
    fn takes(&self, id: &str) -> bool {
        Facts::builtin().looks_like_claude(id)
            && (self.dialect != Dialect::Bedrock || bedrock_provider(id) == "anthropic")
    }
}

/// The provider a Bedrock model id names, as langchain-aws reads it (`parse_model_provider`):
/// the first dotted part, or the second behind a geographic prefix.
fn bedrock_provider(id: &str) -> &str {
    const GEO: &[&str] = &[
        "eu", "us", "us-gov", "apac", "sa", "amer", "global", "jp", "au",
    ];
    let mut parts = id.splitn(3, '.');
    let first = parts.next().unwrap_or_default();
    match parts.next() {
        Some(second) if GEO.contains(&first.to_ascii_lowercase().as_str()) => second,
        _ => first,
    }
}

/// How one language writes the calls and their arguments.
struct Syntax {
    /// The node kind of a call (`call`, `call_expression`) and of a `new` expression.
    calls: &'static [&'static str],
    /// The field holding the callee (`function`, `constructor`).
    callee: &'static [&'static str],
    /// The chat model classes read in this language.
    classes: &'static [Class],
    /// `init_chat_model` / `initChatModel`.
    init: &'static str,
    /// The keyword naming the provider.
    provider: &'static str,
    /// The providers `init_chat_model` infers from the start of a bare id.
    inferred: &'static [(&'static str, &'static str)],
    /// The keyword that lets the model be chosen at run time.
    configurable: &'static str,
    /// The node kinds of number literals.
    numbers: &'static [&'static str],
    /// The node kind of a unary minus.
    unary: &'static str,
}

const PYTHON: Syntax = Syntax {
    calls: &["call"],
    callee: &["function"],
    classes: &[
        Class {
            name: "ChatAnthropic",
            provider: "anthropic",
            dialect: Dialect::FirstParty,
            model_fields: &["model", "model_name"],
            fields: &[
                ("max_tokens", "max_tokens"),
                ("temperature", "temperature"),
                ("top_p", "top_p"),
                ("top_k", "top_k"),
            ],
            refused: &[],
        },
        Class {
            name: "ChatAnthropicVertex",
            provider: "google_anthropic_vertex",
            dialect: Dialect::Vertex,
            model_fields: &["model", "model_name"],
            fields: &[
                ("max_tokens", "max_tokens"),
                ("max_output_tokens", "max_tokens"),
                ("temperature", "temperature"),
                ("top_p", "top_p"),
                ("top_k", "top_k"),
            ],
            // `model_kwargs` is spread over the fields, and may replace any of them.
            refused: &["model_kwargs"],
        },
        Class {
            name: "ChatBedrock",
            provider: "bedrock",
            dialect: Dialect::Bedrock,
            model_fields: &["model_id", "model"],
            fields: &[("max_tokens", "max_tokens"), ("temperature", "temperature")],
            // The Converse API (another body), a provider named by hand.
            refused: &["beta_use_converse_api", "provider"],
        },
    ],
    init: "init_chat_model",
    provider: "model_provider",
    inferred: &[("claude", "anthropic"), ("anthropic.", "bedrock")],
    configurable: "configurable_fields",
    numbers: &["integer", "float"],
    unary: "unary_operator",
};

const JAVASCRIPT: Syntax = Syntax {
    calls: &["call_expression", "new_expression"],
    callee: &["function", "constructor"],
    classes: &[Class {
        name: "ChatAnthropic",
        provider: "anthropic",
        dialect: Dialect::FirstParty,
        model_fields: &["model", "modelName"],
        fields: &[("maxTokens", "max_tokens")],
        refused: &[],
    }],
    init: "initChatModel",
    provider: "modelProvider",
    inferred: &[("claude", "anthropic")],
    configurable: "configurableFields",
    numbers: &["number"],
    unary: "unary_expression",
};

impl Syntax {
    /// The reference a call makes, when it is a LangChain chat model for a Claude id.
    fn reference(&self, call: TsNode<'_>, text: &str) -> Option<Reference> {
        if !self.calls.contains(&call.kind()) {
            return None;
        }
        let callee = self
            .callee
            .iter()
            .find_map(|field| call.child_by_field_name(field))?;
        // `ChatAnthropic(...)`, `langchain_anthropic.ChatAnthropic(...)`.
        let name = match callee.kind() {
            "attribute" => callee.child_by_field_name("attribute")?,
            "member_expression" => callee.child_by_field_name("property")?,
            _ => callee,
        };
        let name = &text[name.byte_range()];
        let arguments = self.arguments(call, text)?;
        let (class, model) = if let Some(class) = self.classes.iter().find(|c| c.name == name) {
            let model = class
                .model_fields
                .iter()
                .find_map(|field| arguments.keyword(field))?;
            (class, self.string(model, text)?)
        } else if name == self.init {
            self.init_chat_model(&arguments, text)?
        } else {
            return None;
        };
        if class.refused.iter().any(|k| arguments.keyword(k).is_some())
            || !class.takes(model.as_str()?)
        {
            return None;
        }
        let mut fields: Vec<Member> = class
            .fields
            .iter()
            .filter_map(|&(written, api)| {
                let (key, value) = arguments.member(written)?;
                Some(Member {
                    key: api.to_owned(),
                    key_range: range(key),
                    value: self.value(value, text),
                })
            })
            .collect();
        // A field written under both its names (`max_tokens`, `max_output_tokens`): which one
        // wins is pydantic's business, so neither is read.
        let twice: Vec<String> = fields
            .iter()
            .filter(|f| fields.iter().filter(|g| g.key == f.key).count() > 1)
            .map(|f| f.key.clone())
            .collect();
        fields.retain(|f| !twice.contains(&f.key));
        Some(Reference {
            model,
            dialect: class.dialect,
            fields,
            range: range(call),
            what: format!("LangChain's `{name}(...)`"),
        })
    }

    /// The class `init_chat_model(...)` makes and the model id it hands it, as LangChain's
    /// `_parse_model` reads them: `<provider>:<id>`, a `model_provider` keyword (the whole
    /// string is the id), or a provider inferred from the id's start.
    fn init_chat_model(&self, arguments: &Arguments<'_>, text: &str) -> Option<(&Class, Node)> {
        if arguments.keyword(self.configurable).is_some() {
            return None;
        }
        let model = arguments
            .positional
            .or_else(|| arguments.keyword("model"))?;
        let written = self.string(model, text)?;
        let path = written.as_str()?;
        let provider = match arguments.keyword(self.provider) {
            Some(provider) => Some(self.string(provider, text)?.as_str()?.to_owned()),
            None => None,
        };
        let by_provider = |p: &str| self.classes.iter().find(|c| c.provider == p);
        let (class, start) = match (provider.as_deref(), path.split_once(':')) {
            (Some(provider), _) => (by_provider(provider)?, 0),
            (None, Some((prefix, id))) if by_provider(prefix).is_some() => {
                (by_provider(prefix)?, path.len() - id.len())
            }
            // No provider written: LangChain infers one from the whole id's start.
            (None, _) => {
                let lower = path.to_ascii_lowercase();
                let (_, provider) = self
                    .inferred
                    .iter()
                    .find(|(start, _)| lower.starts_with(start))?;
                (by_provider(provider)?, 0)
            }
        };
        let id = reference::substring(&written, text, start, path.len())?;
        Some((class, id))
    }

    /// A string literal's node over just its characters, when written without escapes,
    /// prefixes or interpolation.
    fn string(&self, node: TsNode<'_>, text: &str) -> Option<Node> {
        if node.kind() != "string" {
            return None;
        }
        let written = &text[node.byte_range()];
        let quote = written.chars().next().filter(|q| matches!(q, '"' | '\''))?;
        let inner = written.strip_prefix(quote)?.strip_suffix(quote)?;
        if inner.contains(['\\', '"', '\'', '{']) || inner.is_empty() {
            return None;
        }
        let whole = Node::new(range(node), Value::String(inner.to_owned()));
        reference::substring(&whole, text, 0, inner.len())
    }

    /// A field's value: a number or string literal, else `Unknown`.
    fn value(&self, node: TsNode<'_>, text: &str) -> Node {
        let written = &text[node.byte_range()];
        let number = if self.numbers.contains(&node.kind()) {
            code::number_literal(written)
        } else if node.kind() == self.unary
            && written.starts_with('-')
            && node
                .named_child(0)
                .is_some_and(|n| self.numbers.contains(&n.kind()))
        {
            code::number_literal(written[1..].trim())
                .and_then(|n| serde_json::Number::from_f64(-n.as_f64()?))
        } else {
            None
        };
        Node::new(range(node), number.map_or(Value::Unknown, Value::Number))
    }

    /// The arguments of a call: its first positional argument and its keywords (Python
    /// keyword arguments; the properties of a JS object literal passed first or second).
    fn arguments<'t>(&self, call: TsNode<'t>, text: &str) -> Option<Arguments<'t>> {
        let list = call.child_by_field_name("arguments")?;
        let mut arguments = Arguments::default();
        let mut cursor = list.walk();
        for (i, arg) in list.named_children(&mut cursor).enumerate() {
            match arg.kind() {
                "keyword_argument" => arguments.push(arg, "name", text),
                "object" => {
                    let mut members = arg.walk();
                    for member in arg.named_children(&mut members) {
                        match member.kind() {
                            "pair" => arguments.push(member, "key", text),
                            // A spread may set any field: nothing in this object is sure.
                            "spread_element" => return None,
                            _ => {}
                        }
                    }
                }
                "comment" => {}
                _ if i == 0 => arguments.positional = Some(arg),
                _ => {}
            }
        }
        Some(arguments)
    }
}

/// A call's arguments as `Syntax::arguments` reads them.
#[derive(Default)]
struct Arguments<'t> {
    positional: Option<TsNode<'t>>,
    keywords: Vec<(String, TsNode<'t>, TsNode<'t>)>,
}

impl<'t> Arguments<'t> {
    /// Adds the keyword that `node` (a keyword argument, an object's pair) binds: its key in
    /// the field `key_field`, its value in `value`.
    fn push(&mut self, node: TsNode<'t>, key_field: &str, text: &str) {
        if let (Some(key), Some(value)) = (
            node.child_by_field_name(key_field),
            node.child_by_field_name("value"),
        ) {
            let name = text[key.byte_range()].trim_matches(['"', '\'']).to_owned();
            self.keywords.push((name, key, value));
        }
    }

    /// The key and value of the keyword `name`.
    fn member(&self, name: &str) -> Option<(TsNode<'t>, TsNode<'t>)> {
        self.keywords
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|&(_, key, value)| (key, value))
    }

    /// The value of the keyword `name`.
    fn keyword(&self, name: &str) -> Option<TsNode<'t>> {
        self.member(name).map(|(_, value)| value)
    }
}
