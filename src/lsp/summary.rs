//! `claude-preflight/summary`: the size of each request in a document against its model's
//! context window, for an editor's status bar. A custom request because no standard one
//! carries a number for the whole document; it measures what the inlay hints measure, so
//! the status bar and the last hint's running total agree.

use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types::{Range, TextDocumentIdentifier};

use super::convert::Converter;
use super::documents::Snapshot;
use super::{hover, inlay};
use crate::extract::Payload;
use crate::syntax::Node;

/// The method name.
pub const METHOD: &str = "claude-preflight/summary";

/// The request's parameters: the document to summarise.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SummaryParams {
    /// An open document.
    pub text_document: TextDocumentIdentifier,
}

/// Every request payload in the document, in order.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Summary {
    /// One entry per request payload.
    pub payloads: Vec<PayloadSize>,
}

/// One request's size against its model's window.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct PayloadSize {
    /// The model the request is for, as written in it (or the configured default), `None`
    /// when it names none and none is configured.
    pub model: Option<String>,
    /// The model's context window in tokens, `None` when the model is not known.
    pub window: Option<u64>,
    /// The request's size: the system prompt and every message, as the inlay hints total it.
    pub estimate: u64,
    /// What `estimate` counts (`chars` until the token estimator lands).
    pub unit: &'static str,
    /// Where the request is, so an editor can pick the one under the cursor.
    pub range: Range,
}

/// The summary of `snapshot`.
pub fn summary(snapshot: &Snapshot, converter: &Converter<'_>) -> Summary {
    let Ok(settings) = &snapshot.settings else {
        return Summary {
            payloads: Vec::new(),
        };
    };
    let payloads = snapshot
        .payloads()
        .iter()
        .map(|payload| {
            let id = hover::model_id_of(payload, settings);
            PayloadSize {
                model: id.map(str::to_owned),
                window: id
                    .and_then(|id| settings.facts.resolve(id))
                    .map(|(model, _)| model.context_window),
                estimate: size(payload),
                unit: inlay::UNIT,
                range: converter.range(payload.root.range),
            }
        })
        .collect();
    Summary { payloads }
}

/// The system prompt and every message, measured as the inlay hints measure them.
fn size(payload: &Payload<'_>) -> u64 {
    let system = payload.root.get("system").map_or(0, inlay::measure);
    let messages = payload
        .root
        .get("messages")
        .and_then(Node::as_array)
        .unwrap_or_default()
        .iter()
        .map(inlay::measure)
        .sum::<u64>();
    system + messages
}
