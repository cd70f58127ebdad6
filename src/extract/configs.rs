//! Configuration files that name Claude models: promptfoo's `providers` (on the Claude API,
//! Bedrock and Vertex) and LiteLLM's `model_list`. Each Claude entry becomes a model reference
//! (`reference.rs`) with the fields its tool sends unchanged.
//!
//! What the tools do, read in their packages (promptfoo 0.121.20 from npm, LiteLLM 1.110.2
//! from PyPI):
//! - promptfoo (`dist/src/providers-*.cjs`, the `anthropic:` entry of the provider registry):
//!   `anthropic:messages:<id>` sends `<id>` (the path split at `:`); `anthropic:<id>` is taken
//!   only for ids in promptfoo's own model list; `anthropic:completion:` is the legacy Text
//!   Completions API. `AnthropicMessagesProvider.callApiInternal` (`dist/src/messages-*.cjs`)
//!   sends `max_tokens: config.max_tokens ?? ...` unchanged, but drops `temperature` when
//!   `top_p` or thinking (which a prompt file can turn on) is set and clamps `top_p` under
//!   thinking: its sampling fields do not map one to one, so only `max_tokens` is checked.
//!   Entries are strings, `{id, config}` objects, or one-key maps `{<id>: {config}}`.
//! - promptfoo on Bedrock (`dist/src/aws-*.cjs`, `awsProviderFactories` and
//!   `AwsBedrockCompletionProvider`): `bedrock:<id>` and `bedrock:completion:<id>` call
//!   InvokeModel with `modelId: <id>` (the rest of the path, `:0` included), and every id
//!   holding `anthropic.claude` (inference-profile prefixes too) gets the `CLAUDE_MESSAGES`
//!   body, whose `max_tokens` is `config.max_tokens` as written; its `temperature` is dropped
//!   on the models promptfoo's own table marks, so it is not checked. Not read:
//!   `bedrock:converse:` (the Converse API, another body), `bedrock:messages:` and Mythos ids
//!   (Bedrock's Anthropic-compatible endpoint, or promptfoo's own error), and the retired ids
//!   `getHandlerForModel` refuses itself.
//! - promptfoo on Vertex (`dist/src/google-*.cjs`, `vertex-*.cjs`):
//!   `vertex:[chat:]<id>` with an id holding `claude` posts to
//!   `.../publishers/anthropic/models/<id>:rawPredict`; `max_tokens` is
//!   `config.max_tokens || config.maxOutputTokens` (raised above a thinking budget it is under,
//!   so a value over the model's limit stays over it); sampling fields are dropped on some
//!   models, so they are not checked.
//! - LiteLLM (`litellm/llms/anthropic/chat/transformation.py`, `common_utils.py`,
//!   `proxy/example_config_yaml/`): `model_list: [{model_name, litellm_params: {model, ...}}]`;
//!   `anthropic/<id>` sends `<id>`, a bare id is routed to Anthropic only when LiteLLM knows it,
//!   `bedrock/[converse/|invoke/]<id>` and `vertex_ai/<id>` go to those platforms.
//!   `max_tokens` is sent as written; `temperature`, `top_p` and `top_k` are sent as written on
//!   models that take sampling parameters (on the others LiteLLM drops them or raises its own
//!   error, which the sampling check leaves alone).
//!
//! Ids written through the tools' indirections (`{{ env.MODEL }}`, `os.environ/MODEL`,
//! `anthropic/*`) do not look like Claude ids and give no reference.

use super::reference::{self, Reference};
use crate::facts::{Dialect, Facts};
use crate::syntax::{Member, Node};

/// The model references a configuration file's root value holds; empty for anything that is
/// not a promptfoo or LiteLLM configuration naming a Claude model.
pub(crate) fn references(root: &Node, text: &str) -> Vec<Reference> {
    let mut found = Vec::new();
    for key in ["providers", "targets"] {
        if let Some(providers) = root.get(key) {
            promptfoo(providers, text, &mut found);
        }
    }
    if let Some(models) = root.get("model_list").and_then(Node::as_array) {
        for entry in models {
            found.extend(litellm(entry, text));
        }
    }
    found
}

/// promptfoo's `providers`: one entry, or a list of them.
fn promptfoo(providers: &Node, text: &str, found: &mut Vec<Reference>) {
    let entries = match providers.as_array() {
        Some(entries) => entries,
        None => std::slice::from_ref(providers),
    };
    for entry in entries {
        let (id, config) = match entry.as_object() {
            // `{<id>: {config: ...}}`: a map of one provider id to its options.
            Some([only]) if only.key.contains(':') => {
                let id = Node::new(
                    only.key_range,
                    crate::syntax::Value::String(only.key.clone()),
                );
                let config = only.value.get("config");
                match promptfoo_reference(&id, text, entry) {
                    Some(reference) => (reference, config),
                    None => continue,
                }
            }
            Some(_) => match entry
                .get("id")
                .and_then(|id| promptfoo_reference(id, text, entry))
            {
                Some(reference) => (reference, entry.get("config")),
                None => continue,
            },
            None => match promptfoo_reference(entry, text, entry) {
                Some(reference) => (reference, None),
                None => continue,
            },
        };
        let mut reference = id;
        if let Some(config) = config {
            // Only the first field set is sent (`max_tokens || maxOutputTokens`).
            let sent = fields(config, promptfoo_max_tokens(reference.dialect));
            reference.fields.extend(sent.into_iter().take(1));
        }
        found.push(reference);
    }
}

/// The reference a promptfoo provider id makes, when it sends a Claude id to the Messages API
/// (first-party, Bedrock InvokeModel or Vertex `rawPredict`).
fn promptfoo_reference(id: &Node, text: &str, entry: &Node) -> Option<Reference> {
    let path = id.as_str()?;
    let (dialect, model) = promptfoo_route(path)?;
    if !Facts::builtin().looks_like_claude(model) {
        return None;
    }
    Some(Reference {
        model: reference::substring(id, text, path.len() - model.len(), path.len())?,
        dialect,
        fields: Vec::new(),
        range: entry.range,
        what: format!("the promptfoo provider `{path}`"),
    })
}

/// The platform a promptfoo provider path sends its model to, and the model id it sends (a
/// suffix of the path); `None` for every other provider and route.
fn promptfoo_route(path: &str) -> Option<(Dialect, &str)> {
    if let Some(rest) = path.strip_prefix("anthropic:") {
        return match rest.strip_prefix("messages:") {
            Some(model) => Some((Dialect::FirstParty, model)),
            None if !rest.contains(':') && reference::is_known_first_party(rest) => {
                Some((Dialect::FirstParty, rest))
            }
            None => None,
        };
    }
    if let Some(rest) = path.strip_prefix("bedrock:") {
        let model = rest.strip_prefix("completion:").unwrap_or(rest);
        // The route is the first segment: a Claude id there, not `converse`, `messages`, ...
        let (name, _) = model.split_once(':').unwrap_or((model, ""));
        let invoked = name.contains("anthropic.claude")
            && !name.ends_with("anthropic.claude-mythos-5")
            && !PROMPTFOO_BEDROCK_REFUSED.contains(&model);
        return invoked.then_some((Dialect::Bedrock, model));
    }
    let rest = path.strip_prefix("vertex:")?;
    let model = rest.strip_prefix("chat:").unwrap_or(rest);
    (model.contains("claude") && !model.contains(':')).then_some((Dialect::Vertex, model))
}

/// The Bedrock ids promptfoo's `getHandlerForModel` refuses with its own error ("Unknown
/// Amazon Bedrock model") before any request.
const PROMPTFOO_BEDROCK_REFUSED: &[&str] = &[
    "anthropic.claude-3-opus-20240229-v1:0",
    "us.anthropic.claude-3-opus-20240229-v1:0",
    "anthropic.claude-opus-4-20250514-v1:0",
    "us.anthropic.claude-opus-4-20250514-v1:0",
    "anthropic.claude-instant-v1",
    "anthropic.claude-v1",
    "anthropic.claude-v2",
    "anthropic.claude-v2:1",
];

/// The config fields promptfoo sends as the body's `max_tokens` on `dialect`, the first one
/// set winning: Vertex reads `max_tokens || maxOutputTokens`.
fn promptfoo_max_tokens(dialect: Dialect) -> &'static [(&'static str, &'static str)] {
    match dialect {
        Dialect::Vertex => &[
            ("max_tokens", "max_tokens"),
            ("maxOutputTokens", "max_tokens"),
        ],
        _ => &[("max_tokens", "max_tokens")],
    }
}

/// The fields of `config` named in `names` (as written, as the API names them) whose values
/// the tool sends unchanged.
fn fields(config: &Node, names: &[(&str, &str)]) -> Vec<Member> {
    names
        .iter()
        .filter_map(|&(written, api)| {
            let member = config.member(written)?;
            Some(Member {
                key: api.to_owned(),
                key_range: member.key_range,
                value: member.value.clone(),
            })
        })
        .collect()
}

/// The fields LiteLLM forwards from `litellm_params` to Claude unchanged.
const LITELLM_FIELDS: &[(&str, &str)] = &[
    ("max_tokens", "max_tokens"),
    ("temperature", "temperature"),
    ("top_p", "top_p"),
    ("top_k", "top_k"),
];

/// One `model_list` entry of a LiteLLM configuration.
fn litellm(entry: &Node, text: &str) -> Option<Reference> {
    let params = entry.get("litellm_params")?;
    let model = params.get("model")?;
    let path = model.as_str()?;
    let (dialect, id) = if let Some(id) = path.strip_prefix("anthropic/") {
        (Dialect::FirstParty, id)
    } else if let Some(rest) = path.strip_prefix("bedrock/") {
        let id = ["converse/", "invoke/"]
            .iter()
            .find_map(|route| rest.strip_prefix(route))
            .unwrap_or(rest);
        (Dialect::Bedrock, id)
    } else if let Some(id) = path.strip_prefix("vertex_ai/") {
        (Dialect::Vertex, id)
    } else if reference::is_known_first_party(path) {
        (Dialect::FirstParty, path)
    } else {
        return None;
    };
    if !Facts::builtin().looks_like_claude(id) {
        return None;
    }
    Some(Reference {
        model: reference::substring(model, text, path.len() - id.len(), path.len())?,
        dialect,
        fields: fields(params, LITELLM_FIELDS),
        range: entry.range,
        what: format!("the LiteLLM model `{path}`"),
    })
}
