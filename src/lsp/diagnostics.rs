//! The library's diagnostics as LSP diagnostics: same ranges, messages and severities as the
//! command line, with the rule's code and a link to its documentation.

use std::str::FromStr;

use tower_lsp_server::ls_types::{
    CodeDescription, Diagnostic, DiagnosticSeverity, NumberOrString, Position, Range, Uri,
};

use super::convert::Converter;
use super::documents::Snapshot;
use crate::analyze;
use crate::rules::Severity;

/// The `source` of every diagnostic, and the name editors show for the server.
pub(crate) const SOURCE: &str = "claude-preflight";

/// The LSP diagnostics of a snapshot: one per finding, or, when the configuration cannot be
/// used, one at the top of the file that says why it was not checked (as `check` refuses to
/// check with settings other than the ones written).
pub(crate) fn of_snapshot(snapshot: &Snapshot, converter: &Converter<'_>) -> Vec<Diagnostic> {
    if let Err(problem) = &snapshot.settings {
        return vec![Diagnostic {
            range: Range::new(Position::new(0, 0), Position::new(0, 0)),
            severity: Some(DiagnosticSeverity::ERROR),
            source: Some(SOURCE.into()),
            message: format!(
                "this file is not checked: the configuration cannot be used: {problem}"
            ),
            ..Diagnostic::default()
        }];
    }
    snapshot
        .analysis
        .diagnostics
        .iter()
        .map(|d| to_lsp(d, converter))
        .collect()
}

/// One diagnostic: the rule's code, its documentation page, the message as the command line
/// prints it.
pub(crate) fn to_lsp(diagnostic: &analyze::Diagnostic, converter: &Converter<'_>) -> Diagnostic {
    let rule = diagnostic.rule;
    Diagnostic {
        range: converter.range(diagnostic.range),
        severity: Some(severity(diagnostic.severity)),
        code: Some(NumberOrString::String(rule.code.into())),
        code_description: Uri::from_str(&rule.url())
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some(SOURCE.into()),
        message: diagnostic.message.clone(),
        ..Diagnostic::default()
    }
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}
