//! Where each request of a file spends its tokens, and the JSON that says so: what `count`
//! prints (as a table or with `--format json`) and what the MCP server's `count_tokens` tool
//! answers with, computed once here for both.

use serde_json::{Value as Json, json};

use crate::extract::files::{self, FileKind};
use crate::extract::{self, Hints};
use crate::facts::Model;
use crate::settings::Settings;
use crate::syntax::Node;
use crate::tokens::{Band, Breakdown, Estimate, Kind, Profile, TokenCache};

/// The opt-in exact count: a client of `/v1/messages/count_tokens` (what `count --exact`
/// asks), and why it may fail.
pub use crate::tokens::exact::{Client, ExactError};

/// Why a file has nothing to count.
pub const NO_REQUEST: &str = "no Claude request found in it";

/// One request's count.
#[derive(Debug)]
pub struct Counted {
    /// The request's dotted path in its file (empty for a whole body).
    pub path: String,
    /// The line its document starts on, in a JSON Lines file.
    pub line: Option<usize>,
    /// The model estimated for, when known.
    pub model: Option<Model>,
    /// The model id as written or given.
    pub model_id: Option<String>,
    /// The estimate.
    pub estimate: Estimate,
    /// The count_tokens endpoint's answer, when it was asked.
    pub exact: Option<Result<u64, String>>,
}

/// Asks the count_tokens endpoint for a request: given the request's tree and the model to
/// send instead of (or for want of) the one it names. Only `count --exact` passes one.
pub type ExactCounter<'a> = &'a dyn Fn(&Node, Option<&str>) -> Result<u64, String>;

/// Counts every request in `text` (a file of `kind`, shown as `path`): for `model` when one is
/// given, else for the model each body names, else the configured default. Fails with
/// [`NO_REQUEST`] when the file holds no Claude request.
pub fn count(
    text: &str,
    kind: FileKind,
    path: &str,
    settings: &Settings,
    model: Option<&str>,
    exact: Option<ExactCounter<'_>>,
) -> Result<Vec<Counted>, String> {
    let hints = Hints::from_path(path);
    let mut counted = Vec::new();
    let mut cache = TokenCache::new();
    for document in files::parse(text, kind) {
        let Some(root) = &document.root else {
            continue;
        };
        let discovery = extract::discover(root, document.body_bytes, &hints, &settings.facts);
        for payload in discovery.payloads.iter().filter(|p| p.kind.is_request()) {
            let model_id = model
                .map(str::to_owned)
                .or_else(|| payload.model_id().map(str::to_owned))
                .or_else(|| settings.options.default_model.clone());
            let resolved = model_id
                .as_deref()
                .and_then(|id| settings.facts.resolve(id))
                .map(|(m, _)| m.clone());
            let estimate = cache.estimate(payload.root, &Profile::for_model(resolved.as_ref()));
            let exact = exact.map(|send| {
                send(
                    payload.root,
                    model.or(
                        // A body that names no model (Bedrock, Vertex) is sent with the default.
                        payload
                            .model_id()
                            .is_none()
                            .then_some(model_id.as_deref())
                            .flatten(),
                    ),
                )
            });
            counted.push(Counted {
                path: extract::stores::location(root, payload.root),
                line: (kind == FileKind::JsonLines)
                    .then(|| text[..document.range.start as usize].matches('\n').count() + 1),
                model: resolved,
                model_id,
                estimate,
                exact,
            });
        }
    }
    if counted.is_empty() {
        return Err(NO_REQUEST.into());
    }
    Ok(counted)
}

/// True when everything in the request is built at run time: an estimate of ~0 would be a
/// wrong answer, not a small one.
pub(crate) fn nothing_counted(est: &Estimate) -> bool {
    est.unknown_values > 0 && est.input().high == 0
}

fn band_json(band: Band) -> Json {
    json!({"low": band.low, "mid": band.mid, "high": band.high})
}

fn breakdown_json(tokens: &Breakdown) -> Json {
    let mut by_kind = serde_json::Map::new();
    for kind in Kind::ALL {
        by_kind.insert(kind.as_str().into(), band_json(tokens.get(kind)));
    }
    json!({"total": band_json(tokens.total()), "by_kind": by_kind})
}

/// The counts of each file (its path as shown, its requests) as one JSON object:
/// `{"version": 1, "files": [{"path", "payloads": [...]}]}`, every figure a `{low, mid, high}`
/// band (README, "`count`").
pub fn to_json(reports: &[(String, Vec<Counted>)]) -> Json {
    let files: Vec<Json> = reports
        .iter()
        .map(|(path, counted)| {
            let payloads: Vec<Json> = counted
                .iter()
                .map(|c| {
                    let est = &c.estimate;
                    let messages: Vec<Json> = est
                        .messages
                        .iter()
                        .map(|m| {
                            let blocks: Vec<Json> = m
                                .blocks
                                .iter()
                                .map(|b| json!({"index": b.index, "type": b.block_type, "tokens": band_json(b.tokens)}))
                                .collect();
                            json!({"index": m.index, "role": m.role, "tokens": breakdown_json(&m.tokens), "blocks": blocks})
                        })
                        .collect();
                    let (exact, exact_error) = match &c.exact {
                        Some(Ok(n)) => (json!(n), Json::Null),
                        Some(Err(e)) => (Json::Null, json!(e)),
                        None => (Json::Null, Json::Null),
                    };
                    json!({
                        "path": c.path,
                        "line": c.line,
                        "model": c.model_id,
                        "context_window": c.model.as_ref().map(|m| m.context_window),
                        "input": (!nothing_counted(est)).then(|| band_json(est.input())),
                        "not_counted": est.unknown_values,
                        "tokens": breakdown_json(&est.total),
                        "system": breakdown_json(&est.system),
                        "tools": breakdown_json(&est.tools),
                        "messages": messages,
                        "images": est.images,
                        "pdf_pages": est.pdf_pages,
                        "exact": exact,
                        "exact_error": exact_error,
                    })
                })
                .collect();
            json!({"path": path, "payloads": payloads})
        })
        .collect();
    json!({"version": 1, "files": files})
}
