//! `claude-preflight/summary`: the estimated input tokens of each request in a document
//! against its model's context window, for an editor's status bar. A custom request because no
//! standard one carries a number for the whole document; it uses the estimate the inlay hints
//! use (tool definitions included), so the status bar and the last hint's running total agree.

use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types::{Range, TextDocumentIdentifier};

use super::convert::Converter;
use super::documents::{Snapshot, model_id_of, model_of};

/// The method name.
pub(crate) const METHOD: &str = "claude-preflight/summary";

/// The request's parameters: the document to summarise.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SummaryParams {
    /// An open document.
    pub text_document: TextDocumentIdentifier,
}

/// Every request payload in the document, in order.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub(crate) struct Summary {
    /// One entry per request payload.
    pub payloads: Vec<PayloadSize>,
}

/// One request's size against its model's window.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub(crate) struct PayloadSize {
    /// The model the request is for, as written in it (or the configured default), `None`
    /// when it names none and none is configured.
    pub model: Option<String>,
    /// The model's context window in tokens, `None` when the model is not known.
    pub window: Option<u64>,
    /// The request's estimated input tokens (the middle of the estimate's band).
    pub estimate: u64,
    /// What `estimate` counts: `tokens`.
    pub unit: &'static str,
    /// Where the request is, so an editor can pick the one under the cursor.
    pub range: Range,
}

/// The summary of `snapshot`.
pub(crate) fn summary(snapshot: &Snapshot, converter: &Converter<'_>) -> Summary {
    let Ok(settings) = &snapshot.settings else {
        return Summary {
            payloads: Vec::new(),
        };
    };
    let payloads = snapshot
        .payloads()
        .iter()
        .zip(snapshot.estimates())
        .map(|(payload, estimate)| {
            let id = model_id_of(payload, settings);
            PayloadSize {
                model: id.map(str::to_owned),
                window: model_of(payload, settings).map(|model| model.context_window),
                estimate: estimate.input().mid,
                unit: "tokens",
                range: converter.range(payload.root.range),
            }
        })
        .collect();
    Summary { payloads }
}
