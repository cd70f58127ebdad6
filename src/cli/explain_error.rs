//! `explain-error [REQUEST_FILE]`: the front end of [`crate::explain_error`]. Reads the error
//! from `--error`, `--error-file` or standard input, and prints what it means and, with a
//! request file, where it comes from.

use std::io::{Read, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::output::{FileReport, human};
use super::{EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK};
use crate::config::{Flags, Resolver};
use crate::explain_error::{self, Report, Request};
use crate::syntax::LineIndex;

/// Arguments of `explain-error`.
#[derive(Debug, Args)]
pub(crate) struct ExplainErrorArgs {
    /// The file that holds the request the error answered.
    pub request_file: Option<PathBuf>,
    /// The error text (JSON body, log line or SDK exception); default: standard input.
    #[arg(long, value_name = "TEXT", conflicts_with = "error_file")]
    pub error: Option<String>,
    /// Read the error text from this file.
    #[arg(long, value_name = "F")]
    pub error_file: Option<PathBuf>,
    /// The line of the request (the SDK call, curl command, YAML document or JSON Lines line)
    /// in a file with several.
    #[arg(long, value_name = "N")]
    pub line: Option<usize>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Human)]
    pub format: ExplainFormat,
    /// Use this configuration file instead of the nearest one above the request file.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The date lifecycle rules compare against (YYYY-MM-DD; default: today).
    #[arg(long, hide = true)]
    pub today: Option<jiff::civil::Date>,
}

/// How `explain-error` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExplainFormat {
    /// The explanation with the source excerpt.
    Human,
    /// One JSON object.
    Json,
}

/// Runs `explain-error`: exit 0 when explained, 1 when a request file was given but the error
/// could not be placed in it, 2 on a usage or I/O failure.
pub(crate) fn run(args: ExplainErrorArgs) -> u8 {
    match explain(&args) {
        Ok(status) => status,
        Err(error) => {
            eprintln!("error: {error}");
            EXIT_FAILURE
        }
    }
}

fn explain(args: &ExplainErrorArgs) -> Result<u8, String> {
    let error_text = match (&args.error, &args.error_file) {
        (Some(text), _) => text.clone(),
        (None, Some(path)) => {
            std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?
        }
        (None, None) => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| format!("standard input: {e}"))?;
            text
        }
    };
    if error_text.trim().is_empty() {
        return Err("no error text: pass --error TEXT, --error-file F, or pipe it in".into());
    }
    let flags = Flags::new(args.today.unwrap_or_else(|| jiff::Zoned::now().date()));
    let resolver = Resolver::new(flags, args.config.as_deref()).map_err(|e| e.to_string())?;
    let request = match &args.request_file {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let text = String::from_utf8(bytes)
                .map_err(|_| format!("{}: not valid UTF-8", path.display()))?;
            let settings = resolver.settings_for(path).map_err(|e| e.to_string())?;
            Some((path.display().to_string(), text, settings))
        }
        None => None,
    };
    let settings = match &request {
        Some((_, _, settings)) => settings.clone(),
        None => resolver
            .settings_for(std::path::Path::new("request.json"))
            .map_err(|e| e.to_string())?,
    };
    let wanted = request.as_ref().map(|(path, text, _)| Request {
        path,
        text,
        line: args.line,
        kind: None,
    });
    let report = explain_error::explain(&error_text, wanted.as_ref(), &settings);
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        ExplainFormat::Json => serde_json::to_writer(&mut out, &report)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out)),
        ExplainFormat::Human => {
            let file = request
                .as_ref()
                .map(|(path, text, _)| (path.as_str(), text.as_str()));
            write_human(&report, file, &mut out, super::output::stdout_color())
        }
    };
    written.map_err(|e| format!("cannot write the report: {e}"))?;
    let placed = report.range.is_some() || report.rule.is_some();
    Ok(if request.is_some() && !placed {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// The human report: the classification, the source excerpt (keys masked as `check` masks
/// them), the rule's finding with its fix, and the advice.
pub(crate) fn write_human(
    report: &Report,
    file: Option<(&str, &str)>,
    out: &mut dyn Write,
    color: bool,
) -> std::io::Result<()> {
    let heading = match (report.status, &report.error_type, &report.exception) {
        (Some(status), Some(kind), _) => format!("{status} {kind}"),
        (Some(status), None, _) => format!("HTTP {status}"),
        (None, _, Some(exception)) => format!("{exception} (no HTTP status)"),
        (None, _, None) => "API error (no HTTP status)".to_owned(),
    };
    writeln!(out, "{heading}")?;
    if let Some(message) = &report.message {
        writeln!(out, "  message:    {message}")?;
    }
    for (label, value) in [
        ("error_code", &report.error_code),
        ("request_id", &report.request_id),
    ] {
        if let Some(value) = value {
            writeln!(out, "  {label}: {value}")?;
        }
    }
    writeln!(out, "\n{}\n", report.meaning)?;
    if let (Some((path, text)), Some(source)) = (file, &report.source) {
        let masked = source.redactor.mask_source(text).into_owned();
        let file = FileReport {
            path: path.to_owned(),
            index: LineIndex::new(&masked),
            text: masked,
            diagnostics: Vec::new(),
        };
        let renderer = if color {
            annotate_snippets::Renderer::styled()
        } else {
            annotate_snippets::Renderer::plain()
        };
        let same_place = source
            .diagnostic
            .as_ref()
            .is_some_and(|d| d.range == source.range);
        if let (Some(path), false) = (&report.path, same_place) {
            let title = if report.missing.is_empty() {
                format!("`{path}` is here")
            } else {
                format!(
                    "`{path}`: `{}` is not in this object",
                    report.missing.join(".")
                )
            };
            writeln!(
                out,
                "{}\n",
                human::render_note(&renderer, &file, source.range, &title)
            )?;
        }
        if let Some(diagnostic) = &source.diagnostic {
            writeln!(out, "{}\n", human::render(&renderer, &file, diagnostic))?;
        }
    }
    for line in &report.advice {
        writeln!(out, "- {line}")?;
    }
    Ok(())
}
