//! `explain-error`: from an API error, as pasted from a log or an SDK exception, back to the
//! place in the source that caused it.
//!
//! An error's pydantic-style path (`messages.3.content.0.tool_use.id`) says where in the body
//! the API stopped, but nothing about where that is in a JSON file, a YAML prompt store or
//! the keyword arguments of a Python call. [`explain`] reads the error (`parse`), walks the
//! path down the same payload tree the rules see (`resolve`), and picks the finding of the
//! normal analysis that predicts the error, with its fix. Without a request it classifies the
//! error and says what its status means (`advice`). The command line (`claude-preflight
//! explain-error`), the language server (`claude-preflight.locateError`) and other front ends
//! call [`explain`].

pub(crate) mod advice;
pub(crate) mod parse;
pub(crate) mod resolve;

use std::path::Path;

use serde::Serialize;

use crate::analyze::{self, Diagnostic};
use crate::extract::files::{self, FileKind};
use crate::rules::Severity;
use crate::settings::Settings;
use crate::syntax::{ColumnUnit, LineIndex, TextRange};
use parse::ApiError;

/// The request an error is about.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// Its file's path: the extension picks the syntax (JSON, YAML, JSON Lines, Python,
    /// TypeScript, JavaScript, shell, Markdown, notebook); other names are sniffed as JSON or
    /// YAML.
    pub path: &'a str,
    /// The file's text.
    pub text: &'a str,
    /// For a file with several requests (calls in code, YAML documents, JSON Lines), the
    /// 1-based line of the one the error is about; without it the request the path fits best.
    pub line: Option<usize>,
    /// Its syntax when the caller knows it better than the path does (an editor's language
    /// id for an untitled document, an MCP call's `language`); `None` goes by `path`.
    pub kind: Option<FileKind>,
}

/// What an error means and, with a request, where it comes from. Serialized as
/// `explain-error --format json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The HTTP status.
    pub status: Option<u16>,
    /// `error.type`.
    #[serde(rename = "type")]
    pub error_type: Option<String>,
    /// `error.details.error_code`.
    pub error_code: Option<String>,
    /// `request_id`.
    pub request_id: Option<String>,
    /// The SDK exception class the text names.
    pub exception: Option<String>,
    /// The error's message.
    pub message: Option<String>,
    /// The body path the message starts with.
    pub path: Option<String>,
    /// Where the path is in the request file (1-based, columns in characters, like `check`).
    pub range: Option<Span>,
    /// The path's segments that are not written in the request (a missing field, or a value
    /// built at run time).
    pub missing: Vec<String>,
    /// The rule whose finding predicts the error.
    pub rule: Option<RuleMatch>,
    /// That finding's fix.
    pub fix: Option<Fix>,
    /// What the status means.
    pub meaning: String,
    /// What to do.
    pub advice: Vec<String>,
    /// Byte ranges for front ends that draw the source themselves.
    #[serde(skip)]
    pub source: Option<Source>,
}

/// The byte-level result behind [`Report::range`] and [`Report::rule`].
#[derive(Debug, Clone)]
pub struct Source {
    /// The range the error's path names (or, without a path, the matching finding's).
    pub range: TextRange,
    /// The matching finding, as `check` reports it.
    pub diagnostic: Option<Diagnostic>,
    /// The file's keys: its text is masked through it before it is shown.
    pub redactor: crate::redact::Redactor,
}

/// A 1-based range, as `check --format json` writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    /// Where it starts.
    pub start: Point,
    /// Where it ends.
    pub end: Point,
}

/// A 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Point {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// The finding that predicts the error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleMatch {
    /// The rule's name.
    pub name: &'static str,
    /// Its code.
    pub code: &'static str,
    /// The finding's message.
    pub message: String,
    /// Where the finding is.
    pub range: Span,
}

/// A fix, as `check --format json` writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What it does.
    pub title: String,
    /// `safe` or `unsafe`.
    pub applicability: &'static str,
    /// The text edits.
    pub edits: Vec<Edit>,
}

/// One text edit of a [`Fix`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    /// The range replaced.
    pub range: Span,
    /// The new text.
    pub new_text: String,
}

/// Explains `error_text` (any form: JSON body, log line, SDK exception, bare message). With
/// `request`, resolves the error's path in it and names the rule that predicts the error;
/// `settings` are the ones `check` would use for that file (they also date the model facts).
pub fn explain(error_text: &str, request: Option<&Request<'_>>, settings: &Settings) -> Report {
    let error = ApiError::parse(error_text);
    let mut report = Report {
        status: error.status,
        error_type: error.error_type.clone(),
        error_code: error.error_code.clone(),
        request_id: error.request_id.clone(),
        exception: error.exception.clone(),
        message: error.message.clone(),
        path: error.path().map(|(path, _)| path.to_owned()),
        range: None,
        missing: Vec::new(),
        rule: None,
        fix: None,
        meaning: advice::meaning(&error),
        advice: Vec::new(),
        source: None,
    };
    if let Some(request) = request {
        locate(&error, request, settings, &mut report);
    }
    if report.rule.is_none()
        && let Some(model) = missing_model(&error)
    {
        report.advice.extend(model_advice(model, settings));
    }
    report
        .advice
        .extend(advice::advice(&error, request.is_some()));
    report
}

/// Resolves the error in the request and fills in the range, the rule and the fix.
fn locate(error: &ApiError, request: &Request<'_>, settings: &Settings, report: &mut Report) {
    let text = request.text;
    let kind = request
        .kind
        .or_else(|| FileKind::from_path(Path::new(request.path)))
        .unwrap_or_else(|| FileKind::sniff(text.as_bytes()));
    let analysis = analyze::analyze(text, kind, request.path, settings);
    let documents = files::parse(text, kind);
    let index = LineIndex::new(text);
    let span = |range: TextRange| {
        let point = |offset: usize| {
            let p = index.position(text, offset, ColumnUnit::Char);
            Point {
                line: p.line as usize + 1,
                column: p.column as usize + 1,
            }
        };
        Span {
            start: point(range.start as usize),
            end: point(range.end as usize),
        }
    };
    let candidates: Vec<resolve::Resolved> = match error.path() {
        Some((path, problem)) => {
            let key_only = problem.contains("Extra inputs are not permitted");
            let found = resolve::resolve(
                text,
                &documents,
                kind,
                path,
                request.line,
                key_only,
                settings,
            );
            // Nothing of the path is written: only a missing field is placed by that.
            let segments = path.split('.').count();
            let field_required = problem.contains("Field required");
            found
                .into_iter()
                .filter(|r| r.missing.len() < segments || field_required)
                .collect()
        }
        None => Vec::new(),
    };
    // Among the requests that hold as much of the path, the first with a finding that
    // predicts the error.
    let fewest = candidates.first().map(|r| r.missing.len());
    let predicted = candidates
        .iter()
        .take_while(|r| Some(r.missing.len()) == fewest)
        .find_map(|r| {
            best_match(&analysis.diagnostics, error, Some(r), Some(r.document)).map(|d| (r, d))
        });
    let (resolved, diagnostic) = match predicted {
        Some((resolved, diagnostic)) => (Some(resolved), Some(diagnostic)),
        None => {
            let resolved = candidates.first();
            let scope = match (resolved, request.line) {
                (Some(resolved), _) => Some(resolved.document),
                (None, Some(line)) => {
                    let wanted = line.saturating_sub(1);
                    documents
                        .iter()
                        .filter(|d| d.root.is_some())
                        .min_by_key(|d| index.line_of(d.range.start as usize).abs_diff(wanted))
                        .map(|d| d.range)
                }
                (None, None) => None,
            };
            let diagnostic = best_match(&analysis.diagnostics, error, resolved, scope);
            (resolved, diagnostic)
        }
    };
    if let Some(resolved) = &resolved {
        report.missing.clone_from(&resolved.missing);
    }
    let range = resolved
        .as_ref()
        .map(|r| r.range)
        .or(diagnostic.map(|d| d.range));
    report.range = range.map(span);
    if let Some(d) = diagnostic {
        report.rule = Some(RuleMatch {
            name: d.rule.name,
            code: d.rule.code,
            message: d.message.clone(),
            range: span(d.range),
        });
        report.fix = d.fix.as_ref().map(|fix| Fix {
            title: fix.title.clone(),
            applicability: fix.applicability.as_str(),
            edits: fix
                .edits
                .iter()
                .map(|e| Edit {
                    range: span(e.range),
                    new_text: e.new_text.clone(),
                })
                .collect(),
        });
        report.advice.push(format!(
            "`claude-preflight check` predicts this error: rule `{}` ({}){}.",
            d.rule.name,
            d.rule.code,
            if d.fix.is_some() {
                ", which offers a fix"
            } else {
                ""
            }
        ));
    } else if let Some(resolved) = &resolved {
        let what = match (resolved.is_complete(), error.path()) {
            (true, _) => "No rule predicts this error; the path names the range shown.".to_owned(),
            (false, Some((_, problem))) if problem.contains("Field required") => format!(
                "`{}` is missing from the object shown.",
                resolved.missing.join(".")
            ),
            (false, _) => format!(
                "`{}` is not written in this request: the value is built at run time, or the error is about another request (`--line N` picks the call).",
                resolved.missing.join(".")
            ),
        };
        report.advice.push(what);
    } else if error.path().is_some() {
        report
            .advice
            .push("No request in the file holds this path.".into());
    }
    if error.status == Some(413) {
        let largest = documents.iter().map(|d| d.body_bytes).max().unwrap_or(0);
        report.advice.push(format!(
            "The largest request in {} is {} bytes as sent.",
            request.path,
            crate::words::thousands(largest)
        ));
    }
    if let Some(range) = range {
        report.source = Some(Source {
            range,
            diagnostic: diagnostic.cloned(),
            redactor: analysis.redactor.clone(),
        });
    }
}

/// The finding that best explains the error: one that quotes the error's message or path, at
/// the range the path names, with the most words in common with the message. `None` when no
/// finding is close enough.
fn best_match<'d>(
    diagnostics: &'d [Diagnostic],
    error: &ApiError,
    resolved: Option<&resolve::Resolved>,
    scope: Option<TextRange>,
) -> Option<&'d Diagnostic> {
    let message = error.message.as_deref()?;
    let (path, problem) = error.path().unwrap_or(("", message));
    let wanted = words(problem);
    let similarity = |text: &str| {
        let found = words(text);
        let shared = wanted.iter().filter(|w| found.contains(w)).count();
        shared as f64 / wanted.len().max(1) as f64
    };
    // A JSON Lines batch file's findings quote each line's own path (`params....`), the
    // API the whole batch's (`requests.N.params....`).
    let line_path = path
        .strip_prefix("requests.")
        .and_then(|rest| rest.split_once('.'))
        .filter(|(index, _)| index.parse::<usize>().is_ok())
        .map_or(path, |(_, rest)| rest);
    let quote_starts = [format!("`{path}: "), format!("`{line_path}: ")];
    let line_message = format!("{line_path}: {problem}");
    diagnostics
        .iter()
        .filter(|d| scope.is_none_or(|s| s.contains_range(d.range)))
        .filter_map(|d| {
            let verbatim = d.message.contains(message) || d.message.contains(&line_message);
            // The API answer the finding quotes for the same path.
            let quoted = (!path.is_empty())
                .then(|| quote_starts.iter().find_map(|q| d.message.split_once(q)))
                .flatten()
                .map_or(0.0, |(_, rest)| {
                    similarity(rest.split('`').next().unwrap_or(rest))
                });
            let located = resolved.is_some_and(|r| r.scope.contains_range(d.range));
            // A finding on exactly the value the whole path names needs no common words.
            let complete = resolved.is_some_and(resolve::Resolved::is_complete);
            let on_target = complete && resolved.is_some_and(|r| r.range == d.range);
            let words = similarity(&d.message);
            let close = verbatim
                // A missing field: findings elsewhere in its object share "Field required".
                || (located && (quoted >= 0.5 || on_target || (complete && words >= 0.4)))
                || (path.is_empty() && words >= 0.5);
            let score = f64::from(u8::from(verbatim)) * 8.0
                + quoted * 4.0
                + f64::from(u8::from(located)) * 2.0
                + words
                + if d.severity == Severity::Error {
                    0.1
                } else {
                    0.0
                };
            close.then_some((score, d))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, d)| d)
}

/// The significant words of a message, lower-cased: no numbers, ids or short words.
fn words(text: &str) -> Vec<String> {
    const COMMON: &[&str] = &[
        "the", "and", "for", "this", "that", "with", "must", "are", "not", "api", "answers",
        "input", "should",
    ];
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.len() >= 3 && !w.chars().any(|c| c.is_ascii_digit()))
        .map(str::to_ascii_lowercase)
        .filter(|w| !COMMON.contains(&w.as_str()))
        .collect()
}

/// The model id of a 404 `model: <id>` answer.
fn missing_model(error: &ApiError) -> Option<&str> {
    match error.path()? {
        ("model", id) if error.status == Some(404) => Some(id.trim()),
        _ => None,
    }
}

/// What the model rules say about `id`, from a minimal request that names it.
fn model_advice(id: &str, settings: &Settings) -> Vec<String> {
    let body = serde_json::json!({
        "model": id,
        "max_tokens": 1,
        "messages": [{"role": "user", "content": "hi"}],
    })
    .to_string();
    let analysis = analyze::analyze(&body, FileKind::Json, "model.json", settings);
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.rule.family == "models")
        .map(|d| format!("{} ({})", d.message, d.rule.name))
        .collect()
}
