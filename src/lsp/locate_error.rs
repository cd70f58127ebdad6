//! `workspace/executeCommand` `claude-preflight.locateError` with arguments `[uri, errorText]`:
//! the range in the open document that an API error's path names (or that the rule
//! predicting the error reports), as a `Location` the client reveals ("Locate API error…" in
//! VS Code). `null` when the error cannot be placed in the document.

use tower_lsp_server::ls_types::{Location, Uri};

use super::convert::Converter;
use super::documents::Snapshot;
use crate::explain_error::{self, Request};

/// The command's name, as advertised in the server's capabilities.
pub(crate) const COMMAND: &str = "claude-preflight.locateError";

/// Where `error` points in the snapshot of `uri`.
pub(crate) fn locate_error(
    uri: &Uri,
    snapshot: &Snapshot,
    converter: &Converter<'_>,
    error: &str,
) -> Option<Location> {
    let settings = snapshot.settings.as_ref().ok()?;
    let request = Request {
        path: &snapshot.path,
        text: &snapshot.text,
        line: None,
        kind: snapshot.kind,
    };
    let report = explain_error::explain(error, Some(&request), settings);
    Some(Location {
        uri: uri.clone(),
        range: converter.range(report.source?.range),
    })
}
