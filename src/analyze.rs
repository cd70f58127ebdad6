//! The pipeline for one file: parse → discover payloads → run the rules → diagnostics with
//! rendered fixes. The CLI and the language server both call [`analyze`].

use std::borrow::Cow;

use crate::extract::files::{self, FileKind};
use crate::extract::{self, Hints};
use crate::fix::RenderedFix;
use crate::rules::{self, Context, Finding, Rule, Severity, Sink};
use crate::settings::Settings;
use crate::syntax::{SyntaxErrorKind, TextRange};

/// A finding with its configured severity and its fix rendered for the host file.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// The rule.
    pub rule: &'static Rule,
    /// The severity after configuration.
    pub severity: Severity,
    /// Where it is.
    pub range: TextRange,
    /// What the API would answer, and why.
    pub message: String,
    /// The fix, rendered as text edits.
    pub fix: Option<RenderedFix>,
}

/// The result of analysing one file.
#[derive(Debug, Default)]
pub struct Analysis {
    /// Diagnostics, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// How many payloads were checked.
    pub payloads: usize,
    /// Why each document was or was not taken as a Claude request.
    pub discovery: Vec<(TextRange, String)>,
    /// Set when the file was not analysed at all (binary, not UTF-8...), with the reason.
    pub skipped: Option<String>,
}

/// Analyses a file's raw bytes: decodes them first. Returns the text positions refer to
/// (lossily decoded when the file is not UTF-8) and the analysis.
pub fn analyze_bytes<'b>(
    bytes: &'b [u8],
    kind: FileKind,
    path: &str,
    settings: &Settings,
) -> (Cow<'b, str>, Analysis) {
    if bytes[..bytes.len().min(8000)].contains(&0) {
        let analysis = Analysis {
            skipped: Some("binary file (it contains NUL bytes)".into()),
            ..Analysis::default()
        };
        return (Cow::Borrowed(""), analysis);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let analysis = analyze(text, kind, path, settings);
            (Cow::Borrowed(text), analysis)
        }
        Err(error) => {
            let text = String::from_utf8_lossy(bytes);
            let mut analysis = analyze(&text, kind, path, settings);
            analysis.diagnostics.clear();
            if analysis.payloads > 0 {
                let at = error.valid_up_to();
                // Positions refer to the decoded text, where the bad bytes became one U+FFFD.
                let len = char::REPLACEMENT_CHARACTER.len_utf8();
                let rule = &rules::syntax::INVALID_UTF8;
                if let Some(severity) = settings.rules.severity(rule) {
                    analysis.diagnostics.push(Diagnostic {
                        rule,
                        severity,
                        range: TextRange::new(at, at + len),
                        message: format!(
                            "the file is not valid UTF-8 (byte 0x{:02x} at offset {at}): the API rejects a body that is not UTF-8 JSON, so nothing else in it was checked",
                            bytes[at]
                        ),
                        fix: None,
                    });
                }
            } else {
                analysis.skipped = Some(format!(
                    "not valid UTF-8 (at byte {}) and not recognisably a Claude request",
                    error.valid_up_to()
                ));
            }
            (Cow::Owned(text.into_owned()), analysis)
        }
    }
}

/// Analyses one file's text.
pub fn analyze(text: &str, kind: FileKind, path: &str, settings: &Settings) -> Analysis {
    let mut hints = Hints::from_path(path);
    hints.declared = settings.declared_kind;
    let documents = files::parse(text, kind);
    let mut analysis = Analysis::default();
    let mut findings: Vec<Finding> = Vec::new();
    for document in &documents {
        let Some(root) = &document.root else {
            analysis
                .discovery
                .push((document.range, "no value found".into()));
            continue;
        };
        let discovery = extract::discover(root, document.body_bytes, &hints, &settings.facts);
        analysis.discovery.push((document.range, discovery.reason));
        if discovery.payloads.is_empty() {
            continue;
        }
        let mut sink = Sink::new(&settings.rules);
        for error in &document.errors {
            let rule = match error.kind {
                SyntaxErrorKind::Invalid => &rules::syntax::SYNTAX_ERROR,
                SyntaxErrorKind::TooDeep => &rules::syntax::NESTING_TOO_DEEP,
            };
            sink.report(rule, error.range, error.message.clone());
        }
        for payload in &discovery.payloads {
            let model_id = payload
                .model_id()
                .or(settings.options.default_model.as_deref());
            let model = model_id.and_then(|id| settings.facts.resolve(id)).map(|(m, _)| m);
            let ctx = Context {
                payload,
                facts: &settings.facts,
                model,
                options: &settings.options,
            };
            rules::check(&ctx, &mut sink);
        }
        analysis.payloads += discovery.payloads.len();
        findings.extend(sink.into_findings());
    }
    let host = kind.host();
    analysis.diagnostics = findings
        .into_iter()
        .filter_map(|finding| {
            let severity = settings.rules.severity(finding.rule)?;
            Some(Diagnostic {
                rule: finding.rule,
                severity,
                range: finding.range,
                fix: finding.fix.as_ref().and_then(|fix| host.render(fix, text)),
                message: finding.message,
            })
        })
        .collect();
    analysis
        .diagnostics
        .sort_by(|a, b| (a.range, a.rule.code).cmp(&(b.range, b.rule.code)));
    analysis
        .diagnostics
        .dedup_by(|a, b| a.range == b.range && a.rule == b.rule && a.message == b.message);
    analysis
}
