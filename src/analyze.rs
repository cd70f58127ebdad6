//! The pipeline for one file: parse → discover payloads → run the rules → diagnostics with
//! rendered fixes. The CLI and the language server both call [`analyze`].

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};

use crate::extract::files::{self, FileKind};
use crate::extract::siblings::{Imported, Siblings};
use crate::extract::{self, Hints, Payload};
use crate::facts::Model;
use crate::fix::apply::apply_fixes;
use crate::fix::{Applicability, Host, RenderedFix, Renderer};
use crate::redact::Redactor;
use crate::rules::secrets::{self, Secret};
use crate::rules::{self, Context, Finding, Options, Rule, Severity, Sink};
use crate::settings::Settings;
use crate::suppress;
use crate::syntax::TextRange;
use crate::tokens::estimate::TokenCache;

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
    /// Of `payloads`, how many were model references (`extract::reference`), not bodies.
    pub model_references: usize,
    /// Why each document was or was not taken as a Claude request.
    pub discovery: Vec<(TextRange, String)>,
    /// Set when the file was not analysed at all (binary, not UTF-8...), with the reason.
    pub skipped: Option<String>,
    /// Every API key in the file, whether or not `api-key-in-payload` is on: messages, fix
    /// titles and discovery notes went through it, and every front end passes what it prints
    /// through it (invariant 8).
    pub redactor: Redactor,
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

/// Analyses one file's text; the constants its code imports from modules beside it are read
/// from the directory `path` names.
pub fn analyze(text: &str, kind: FileKind, path: &str, settings: &Settings) -> Analysis {
    let documents = files::parse_in(text, kind, &Siblings::of(path));
    analyze_parsed(text, kind, path, settings, &documents, &Mutex::default())
}

/// Analyses one file's text from its parse, `documents`, which must be exactly
/// `files::parse_in(text, kind, &Siblings::of(path))`: the language server keeps the parse of
/// an open document and patches it for an edit inside one string, instead of parsing 32 MB
/// again. `tokens` holds token counts of texts seen before (the server keeps one per open
/// document, so an edit recounts only the texts it changed); counts are by content, so the
/// result is the same with any cache. Entries this analysis did not use are dropped once they
/// outnumber the used ones (none when it used none).
pub(crate) fn analyze_parsed(
    text: &str,
    kind: FileKind,
    path: &str,
    settings: &Settings,
    documents: &[files::Document],
    tokens: &Mutex<TokenCache>,
) -> Analysis {
    let pass = |step: fn(&mut TokenCache)| {
        step(&mut tokens.lock().unwrap_or_else(PoisonError::into_inner))
    };
    pass(TokenCache::begin);
    let mut hints = Hints::from_path(path);
    hints.declared = settings.declared_kind;
    // Betas an `anthropic-beta:` comment in a data file declares, on top of the configuration's;
    // and the keys written in the text. Two searches of the whole text: side by side when it
    // is large.
    let declared = || match kind {
        FileKind::Json | FileKind::JsonLines | FileKind::Yaml => files::declared_betas(text),
        _ => Vec::new(),
    };
    let (declared, written) = if text.len() as u64 >= rules::SIDE_BY_SIDE_FROM {
        rayon::join(declared, || secrets::Written::of(text))
    } else {
        (declared(), secrets::Written::of(text))
    };
    let with_declared;
    let base_options = if declared.is_empty() {
        &settings.options
    } else {
        let mut options = settings.options.clone();
        options.betas.extend(declared);
        with_declared = options;
        &with_declared
    };
    let mut analysis = Analysis::default();
    // Each finding keeps the syntax of the document it is in: a Markdown file holds JSON, YAML
    // and shell, a notebook Python.
    let mut findings: Vec<(Renderer<'_>, Finding)> = Vec::new();
    // Keys in decoded strings (written with escapes or not), of every document, request or not.
    let mut decoded = Vec::new();
    for document in documents {
        let root_keys = document
            .root
            .as_ref()
            .map(|root| (root, written.scan(root, document.strict_json())));
        decoded.extend(root_keys.iter().flat_map(|(_, keys)| keys.iter().cloned()));
        decoded.extend(
            document
                .credentials
                .iter()
                .flat_map(|s| written.scan(s, false)),
        );
        let mut sink = Sink::new(&settings.rules);
        for check in rules::FAMILIES.iter().filter_map(|f| f.scope.document) {
            check(document, &mut sink);
        }
        findings.extend(
            sink.into_findings()
                .into_iter()
                .map(|f| (document.renderer(), of_document(f, document))),
        );
        let Some(root) = &document.root else {
            if let Some(call) = &document.call {
                analysis.discovery.push((document.range, call.what.clone()));
            } else if document.credentials.is_empty() {
                analysis
                    .discovery
                    .push((document.range, "no value found".into()));
            }
            continue;
        };
        let discovery = match &document.call {
            Some(call) => extract::discover_call(root, call, document.body_bytes, &settings.facts),
            None => extract::discover(root, document.body_bytes, &hints, &settings.facts),
        };
        analysis.discovery.push((document.range, discovery.reason));
        if discovery.payloads.is_empty() {
            continue;
        }
        let mut sink = Sink::new(&settings.rules);
        for check in rules::FAMILIES
            .iter()
            .filter_map(|f| f.scope.request_document)
        {
            check(document, &mut sink);
        }
        for payload in &discovery.payloads {
            let model = model_of(payload, settings);
            // The version the host sends (a curl `anthropic-version` header) wins.
            let header_options;
            let options = match payload.call.and_then(|c| c.api_version) {
                Some(version) if version != base_options.api_version => {
                    header_options = Options {
                        api_version: version,
                        ..base_options.clone()
                    };
                    &header_options
                }
                _ => base_options,
            };
            let ctx = Context {
                payload,
                facts: &settings.facts,
                model,
                options,
                tokens,
                written: &written,
                root_keys: root_keys
                    .as_ref()
                    .map(|(root, keys)| (*root, keys.as_slice())),
            };
            rules::check(&ctx, &mut sink);
        }
        analysis.payloads += discovery.payloads.len();
        analysis.model_references += discovery
            .payloads
            .iter()
            .filter(|p| p.kind == extract::PayloadKind::ModelReference)
            .count();
        findings.extend(
            sink.into_findings()
                .into_iter()
                .map(|f| (document.renderer(), of_document(f, document))),
        );
    }
    if documents.is_empty()
        && kind == FileKind::Notebook
        && extract::code::may_hold_request(text)
        && let Some(reason) = extract::notebook::not_read_because(text)
    {
        analysis.discovery.push((TextRange::empty(0), reason));
    }
    if analysis.payloads == 0
        && matches!(kind, FileKind::JsonLines | FileKind::Json | FileKind::Yaml)
        && let (Some(conversations), Some(first)) =
            (extract::dataset_size(documents), documents.first())
    {
        analysis.discovery = vec![(
            first.range,
            format!(
                "a dataset of {conversations} conversations, not requests (no record has `model`, `max_tokens` or `anthropic_version`)"
            ),
        )];
    }
    if kind == FileKind::JsonLines {
        let lines = extract::batch_lines(text, documents);
        if !lines.is_empty() {
            let mut sink = Sink::new(&settings.rules);
            for check in rules::FAMILIES.iter().filter_map(|f| f.scope.file_lines) {
                check(&lines, &mut sink);
            }
            let json = Renderer {
                host: Host::Json,
                embedding: None,
            };
            findings.extend(sink.into_findings().into_iter().map(|f| (json, f)));
        }
    }
    if analysis.payloads > 0 || documents.iter().any(|d| !d.credentials.is_empty()) {
        report_written_keys(&written.keys, &mut findings, settings);
    }
    analysis.redactor = Redactor::new(text, written.keys.into_iter().chain(decoded));
    analysis.diagnostics = findings
        .into_iter()
        .filter_map(|(renderer, finding)| {
            let found = finding.severity.unwrap_or(finding.rule.severity);
            let severity = settings.rules.severity_of(finding.rule, found)?;
            Some(Diagnostic {
                rule: finding.rule,
                severity,
                range: whole_chars(text, finding.range),
                fix: finding
                    .fix
                    .as_ref()
                    .and_then(|fix| renderer.render(fix, text)),
                message: finding.message,
            })
        })
        .collect();
    if analysis.payloads > 0
        && let Some(prefix) = suppress::comment_prefix(kind)
    {
        apply_suppressions(text, prefix, &mut analysis.diagnostics, settings);
    }
    analysis
        .diagnostics
        .sort_by(|a, b| (a.range, a.rule.code).cmp(&(b.range, b.rule.code)));
    analysis
        .diagnostics
        .dedup_by(|a, b| a.range == b.range && a.rule == b.rule && a.message == b.message);
    if !analysis.redactor.is_empty() {
        for diagnostic in &mut analysis.diagnostics {
            redact(diagnostic, &analysis.redactor);
        }
        for (_, reason) in &mut analysis.discovery {
            if let Cow::Owned(redacted) = analysis.redactor.redact(reason) {
                *reason = redacted;
            }
        }
    }
    pass(TokenCache::sweep);
    analysis
}

/// A finding as the document it is in allows: reported at the name that imports its value
/// ([`set_elsewhere`]), and without a fix when the document has syntax errors. The tree of a
/// broken document is a recovery: sure of what it holds, not of where each object ends. A fix
/// inserting at the end of one can land in another (a fuzzed request with a broken `tools`
/// array got the same member appended to another object on every run of `--fix`), and a key
/// "set again" may be two objects the recovery ran together. As ruff does, a broken document
/// is reported, not fixed.
fn of_document(finding: Finding, document: &files::Document) -> Finding {
    let mut finding = set_elsewhere(finding, &document.imported);
    if !document.errors.is_empty() {
        finding.fix = None;
    }
    finding
}

/// A finding about a value the file imports from a module beside it (`extract::siblings`)
/// is reported at the name that imports it, and says where the value is set; its fix would
/// belong in that module, so it has none.
fn set_elsewhere(mut finding: Finding, imported: &[Imported]) -> Finding {
    if let Some(value) = imported
        .iter()
        .find(|i| i.range.contains_range(finding.range))
    {
        finding.message = format!(
            "{} (`{}` is set in {})",
            finding.message, value.name, value.origin
        );
        finding.fix = None;
    }
    finding
}

/// The most fix rounds on one file: each round re-analyses, so fixes that touch the same spot
/// land one after the other.
const MAX_FIX_ROUNDS: usize = 16;

/// The findings a user has been shown, known by rule and message (their ranges move as
/// fixes apply).
pub(crate) struct ShownFindings(HashSet<(&'static str, String)>);

impl ShownFindings {
    /// The findings in `diagnostics`.
    pub(crate) fn of(diagnostics: &[Diagnostic]) -> Self {
        Self(diagnostics.iter().map(Self::key).collect())
    }

    fn key(diagnostic: &Diagnostic) -> (&'static str, String) {
        (diagnostic.rule.code, diagnostic.message.clone())
    }

    /// True when `diagnostic` is one of them.
    pub(crate) fn contains(&self, diagnostic: &Diagnostic) -> bool {
        self.0.contains(&Self::key(diagnostic))
    }
}

/// Applies fixes up to `allowed` (`Safe`: safe ones only; `Unsafe`: both) until none is left
/// or a round applies nothing; returns the new text, its analysis and how many fixes were
/// applied. What `check --fix` and the editor's "fix all" do.
///
/// Only the findings of `analysis` (the ones shown) are fixed. Each round re-analyses, and a
/// finding that a fix revealed (the final assistant turn a new model rejects as a prefill,
/// the whitespace-only stop sequence a rename exposed) was never shown: it is left in the
/// returned analysis, for the report, and not applied silently.
pub fn fix_until_stable(
    mut text: String,
    mut analysis: Analysis,
    kind: FileKind,
    path: &str,
    settings: &Settings,
    allowed: Applicability,
) -> (String, Analysis, usize) {
    let shown = ShownFindings::of(&analysis.diagnostics);
    let mut fixed = 0;
    for _ in 0..MAX_FIX_ROUNDS {
        let fixes = analysis
            .diagnostics
            .iter()
            .filter(|d| shown.contains(d))
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| f.applicability <= allowed);
        let (new_text, applied) = apply_fixes(&text, fixes);
        if applied == 0 {
            break;
        }
        fixed += applied;
        text = new_text;
        analysis = analyze(&text, kind, path, settings);
    }
    (text, analysis, fixed)
}

/// Keeps the keys found in the file out of a diagnostic: its message and fix title show them
/// redacted, and a fix whose new text would write key material (moving or copying a string
/// that holds a key) is dropped, so that no fix ever puts a key somewhere new.
fn redact(diagnostic: &mut Diagnostic, redactor: &Redactor) {
    if let Cow::Owned(message) = redactor.redact(&diagnostic.message) {
        diagnostic.message = message;
    }
    let writes_a_key = diagnostic.fix.as_ref().is_some_and(|fix| {
        fix.edits
            .iter()
            .any(|e| matches!(redactor.mask(&e.new_text), Cow::Owned(_)))
    });
    if writes_a_key {
        diagnostic.fix = None;
    }
    if let Some(fix) = &mut diagnostic.fix
        && let Cow::Owned(title) = redactor.redact(&fix.title)
    {
        fix.title = title;
    }
}

/// Reports `api-key-in-payload` for the keys written in a checked file that no finding of the
/// rule covers yet: an object key, a comment, unquoted text, a header, any host.
fn report_written_keys<'r>(
    written: &[Secret],
    findings: &mut Vec<(Renderer<'r>, Finding)>,
    settings: &Settings,
) {
    let reported: Vec<TextRange> = findings
        .iter()
        .filter(|(_, f)| f.rule == &secrets::API_KEY_IN_PAYLOAD)
        .map(|(_, f)| f.range)
        .collect();
    let uncovered = written.iter().filter(|s| {
        !reported
            .iter()
            .any(|r| r.start <= s.range.start && s.range.end <= r.end)
    });
    let mut sink = Sink::new(&settings.rules);
    secrets::check_source(uncovered.cloned(), &mut sink);
    // No fix: any renderer does.
    let renderer = Renderer {
        host: Host::Json,
        embedding: None,
    };
    findings.extend(sink.into_findings().into_iter().map(|f| (renderer, f)));
}

/// Drops the diagnostics that `preflight: ignore[...]` comments cover, and reports the
/// comments that cover nothing.
fn apply_suppressions(
    text: &str,
    prefix: &str,
    diagnostics: &mut Vec<Diagnostic>,
    settings: &Settings,
) {
    let suppressions = suppress::find(text, prefix);
    if suppressions.is_empty() {
        return;
    }
    let index = crate::syntax::LineIndex::new(text);
    let mut used = vec![false; suppressions.len()];
    diagnostics.retain(|d| {
        let line = index.line_of(d.range.start as usize);
        let covering = suppressions
            .iter()
            .position(|s| s.line == line && s.covers(d.rule));
        if let Some(i) = covering {
            used[i] = true;
        }
        covering.is_none()
    });
    let rule = &rules::syntax::UNUSED_SUPPRESSION;
    let Some(severity) = settings.rules.severity(rule) else {
        return;
    };
    for (suppression, used) in suppressions.iter().zip(used) {
        if used {
            continue;
        }
        let unknown: Vec<&str> = suppression
            .rules
            .iter()
            .map(String::as_str)
            .filter(|r| rules::find(r).is_none())
            .collect();
        let message = if unknown.is_empty() {
            format!(
                "this suppression covers no finding: nothing from {} starts on the line it covers",
                crate::words::list(
                    &suppression
                        .rules
                        .iter()
                        .map(String::as_str)
                        .collect::<Vec<_>>()
                )
            )
        } else {
            format!(
                "this suppression names no rule: {} (`claude-preflight rules` lists them)",
                crate::words::list(&unknown)
            )
        };
        // The whole comment line when it stands alone, else the comment after the code.
        let start = suppression.range.start as usize;
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let alone = text[line_start..start].trim().is_empty();
        let removal = if alone {
            let end = text[start..]
                .find('\n')
                .map_or(text.len(), |i| start + i + 1);
            TextRange::new(line_start, end)
        } else {
            let code_end = text[..start].trim_end_matches([' ', '\t']).len();
            TextRange::new(code_end, suppression.range.end as usize)
        };
        diagnostics.push(Diagnostic {
            rule,
            severity,
            range: suppression.range,
            message,
            fix: Some(RenderedFix {
                title: "Remove the suppression".into(),
                applicability: Applicability::Safe,
                edits: vec![crate::fix::TextEdit {
                    range: removal,
                    new_text: String::new(),
                }],
            }),
        });
    }
}

/// The id of the model a payload is for: the one it names, or the configured default when it
/// names none. A body that names its model at run time is not assumed to use the default.
pub(crate) fn model_id_of<'a>(payload: &'a Payload<'_>, settings: &'a Settings) -> Option<&'a str> {
    match payload.root.get("model") {
        Some(_) => payload.model_id(),
        None => settings.options.default_model.as_deref(),
    }
}

/// The model a payload is for, as the analysis decides it (see [`model_id_of`]).
pub(crate) fn model_of<'s>(payload: &Payload<'_>, settings: &'s Settings) -> Option<&'s Model> {
    let id = model_id_of(payload, settings)?;
    settings.facts.resolve(id).map(|(model, _)| model)
}

/// `range` widened to whole characters: a rule that marks the first byte of a node
/// (`TextRange::head`) would otherwise split a value that starts with a multibyte character,
/// and no editor or report can show half a character.
fn whole_chars(text: &str, range: TextRange) -> TextRange {
    let mut start = (range.start as usize).min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (range.end as usize).clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    TextRange::new(start, end)
}

#[cfg(test)]
mod truncation;
