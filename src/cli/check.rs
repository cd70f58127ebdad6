//! `check PATH...`: walk, analyse in parallel, report, and optionally fix.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Args;
use rayon::prelude::*;

use super::output::{self, FileReport, Format, Report};
use super::{EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK};
use crate::analyze::{self, Analysis};
use crate::config::{ConfigError, Flags, Resolver};
use crate::extract::files::FileKind;
use crate::fix::Applicability;
use crate::rules::ApiVersion;
use crate::settings::{Selector, Settings};
use crate::syntax::LineIndex;

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check (directories are walked honouring .gitignore); `-` reads
    /// standard input.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Only run these rules (names, codes, code prefixes or families, comma-separated);
    /// replaces the configuration's `select`. A rule the configuration sets to "off" stays off.
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Never run these rules (added to the configuration's `ignore`).
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Use this configuration file for every file instead of the nearest
    /// claude-preflight.toml, .claude-preflight.toml or pyproject.toml above each one.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The model assumed for bodies that name none (over the configuration's `model`).
    #[arg(long)]
    pub model: Option<String>,
    /// The `anthropic-version` requests are sent with: 2023-06-01 or 2026-10-21 (over the
    /// configuration's `api-version`).
    #[arg(long, value_parser = parse_api_version)]
    pub api_version: Option<ApiVersion>,
    /// The name standard input is checked under: its extension picks the format, its directory
    /// the configuration.
    #[arg(long)]
    pub stdin_filename: Option<String>,
    /// Apply safe fixes in place (with `-`, print the fixed text and report on stderr).
    #[arg(long)]
    pub fix: bool,
    /// With `--fix`, apply unsafe fixes too.
    #[arg(long, requires = "fix")]
    pub unsafe_fixes: bool,
    /// Say for each file why it was or was not taken as a Claude request.
    #[arg(long)]
    pub explain_discovery: bool,
    /// Never show a progress bar.
    #[arg(long)]
    pub no_progress: bool,
    /// Exit 0 even when errors are found.
    #[arg(long)]
    pub exit_zero: bool,
    /// The date lifecycle rules compare against (YYYY-MM-DD; default: today).
    #[arg(long, hide = true)]
    pub today: Option<jiff::civil::Date>,
}

/// A file to check.
struct Input {
    /// The path shown in reports.
    display: String,
    /// Where to read it from (`None`: standard input).
    path: Option<PathBuf>,
    /// Its format (`None`: its extension does not say; decided from its first bytes).
    kind: Option<FileKind>,
    /// Named on the command line (so a skip is worth saying).
    explicit: bool,
    /// The settings its configuration resolves to.
    settings: Arc<Settings>,
}

/// What checking one file gave.
struct Checked {
    file: FileReport,
    analysis: Analysis,
    /// Fixes applied.
    fixed: usize,
    /// With `--fix` on standard input: the text to print (fixed or not).
    stdin_text: Option<String>,
}

/// Runs `check`.
pub fn run(args: CheckArgs) -> u8 {
    let (select, ignore) = match (selectors(&args.select), selectors(&args.ignore)) {
        (Ok(select), Ok(ignore)) => (select, ignore),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    let mut flags = Flags::new(args.today.unwrap_or_else(today));
    flags.select = (!select.is_empty()).then_some(select);
    flags.ignore = ignore;
    flags.model = args.model.clone();
    flags.api_version = args.api_version;
    let config_failure = |error: ConfigError| {
        eprintln!("error: {error}");
        EXIT_FAILURE
    };
    let resolver = match Resolver::new(flags, args.config.as_deref()) {
        Ok(resolver) => Arc::new(resolver),
        Err(error) => return config_failure(error),
    };
    let (inputs, mut failed) = match collect_inputs(&args, &resolver) {
        Ok(collected) => collected,
        Err(error) => return config_failure(error),
    };
    let progress = progress_bar(&args, inputs.len());
    let results: Vec<Result<Checked, String>> = inputs
        .par_iter()
        .map(|input| {
            let result = check_input(input, &args);
            if let Some(bar) = &progress {
                bar.inc(1);
            }
            result
        })
        .collect();
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let mut report = Report::default();
    let mut stderr = std::io::stderr().lock();
    let mut stdin_text = None;
    for (input, result) in inputs.iter().zip(results) {
        let checked = match result {
            Ok(checked) => checked,
            Err(message) => {
                let _ = writeln!(stderr, "error: {}: {message}", input.display);
                failed = true;
                continue;
            }
        };
        let Checked {
            file,
            analysis,
            fixed,
            ..
        } = checked;
        stdin_text = stdin_text.or(checked.stdin_text);
        report.summary.files += 1;
        report.summary.payloads += analysis.payloads;
        report.summary.fixed += fixed;
        if let Some(reason) = &analysis.skipped
            && (input.explicit || args.explain_discovery)
        {
            let _ = writeln!(stderr, "note: {}: skipped: {reason}", input.display);
        }
        if args.explain_discovery {
            for (range, reason) in &analysis.discovery {
                let (start, _) = file.span(*range);
                let _ = writeln!(stderr, "note: {}:{}: {reason}", input.display, start.line);
            }
            if analysis.discovery.is_empty() && analysis.skipped.is_none() {
                let _ = writeln!(stderr, "note: {}: no document in it", input.display);
            }
        }
        for d in &file.diagnostics {
            report.summary.count(d.severity);
        }
        if !file.diagnostics.is_empty() {
            report.files.push(file);
        }
    }
    let mut stdout = std::io::stdout().lock();
    let written = match &stdin_text {
        Some(text) => stdout
            .write_all(text.as_bytes())
            .and_then(|()| output::write(args.format, &report, &mut stderr, false)),
        None => {
            let color = args.format == Format::Human && output::stdout_color();
            output::write(args.format, &report, &mut stdout, color)
        }
    };
    if let Err(error) = written.and_then(|()| stdout.flush()) {
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            let _ = writeln!(stderr, "error: cannot write the report: {error}");
        }
        return EXIT_FAILURE;
    }
    if failed {
        EXIT_FAILURE
    } else if report.summary.errors > 0 && !args.exit_zero {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Today's date in the local time zone.
fn today() -> jiff::civil::Date {
    jiff::Zoned::now().date()
}

fn parse_api_version(text: &str) -> Result<ApiVersion, String> {
    ApiVersion::parse(text).ok_or_else(|| "the API knows `2023-06-01` and `2026-10-21`".into())
}

fn selectors(texts: &[String]) -> Result<Vec<Selector>, u8> {
    texts
        .iter()
        .filter(|t| !t.trim().is_empty())
        .map(|t| {
            Selector::parse(t).ok_or_else(|| {
                eprintln!("error: `{t}` names no rule, code or family; `claude-preflight rules` lists them");
                EXIT_FAILURE
            })
        })
        .collect()
}

/// Expands the command line's paths into files, each with its settings. A path that does not
/// exist is reported (the `bool`); a broken configuration stops everything.
fn collect_inputs(
    args: &CheckArgs,
    resolver: &Arc<Resolver>,
) -> Result<(Vec<Input>, bool), ConfigError> {
    let mut inputs = Vec::new();
    let mut failed = false;
    for path in &args.paths {
        if path.as_os_str() == "-" {
            let name = args.stdin_filename.clone().unwrap_or_else(|| "-".into());
            inputs.push(Input {
                kind: FileKind::from_path(Path::new(&name)),
                settings: resolver.settings_for(Path::new(&name))?,
                display: name,
                path: None,
                explicit: true,
            });
        } else if path.is_file() {
            inputs.push(Input {
                display: path.display().to_string(),
                kind: FileKind::from_path(path),
                settings: resolver.settings_for(path)?,
                path: Some(path.clone()),
                explicit: true,
            });
        } else if path.is_dir() {
            let mut found = walk(path, resolver)?;
            found.sort_by(|a, b| a.display.cmp(&b.display));
            inputs.extend(found);
        } else {
            eprintln!("error: {}: no such file or directory", path.display());
            failed = true;
        }
    }
    Ok((inputs, failed))
}

/// The request files under `dir`: .gitignore'd paths and the configuration's `exclude` are
/// skipped (`dir` itself was named, so it is walked even when excluded); files with another
/// extension are taken when the configuration's `include` names them.
fn walk(dir: &Path, resolver: &Arc<Resolver>) -> Result<Vec<Input>, ConfigError> {
    let filter = Arc::clone(resolver);
    let mut found = Vec::new();
    let entries = ignore::WalkBuilder::new(dir)
        .require_git(false)
        // A broken configuration is not excluded here: reading the files below it reports it.
        .filter_entry(move |e| e.depth() == 0 || !filter.is_excluded(e.path()).unwrap_or(false))
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()));
    for entry in entries {
        let path = entry.path();
        let kind = FileKind::from_path(path);
        if kind.is_none() && !resolver.is_included(path)? {
            continue;
        }
        found.push(Input {
            // `check` walks `.` by default: show `a.json`, not `./a.json`.
            display: path.strip_prefix(".").unwrap_or(path).display().to_string(),
            settings: resolver.settings_for(path)?,
            path: Some(entry.into_path()),
            kind,
            explicit: false,
        });
    }
    Ok(found)
}

fn progress_bar(args: &CheckArgs, files: usize) -> Option<indicatif::ProgressBar> {
    let long = files >= 2000;
    (long && !args.no_progress && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(files as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    })
}

/// Reads, analyses and (with `--fix`) fixes one file.
fn check_input(input: &Input, args: &CheckArgs) -> Result<Checked, String> {
    let bytes = match &input.path {
        Some(path) => std::fs::read(path).map_err(|e| e.to_string())?,
        None => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| e.to_string())?;
            bytes
        }
    };
    let kind = input.kind.unwrap_or_else(|| FileKind::sniff(&bytes));
    let settings = &input.settings;
    let (text, mut analysis) = analyze::analyze_bytes(&bytes, kind, &input.display, settings);
    let mut text = text.into_owned();
    let mut fixed = 0;
    if args.fix && analysis.payloads > 0 && analysis.skipped.is_none() {
        let allowed = if args.unsafe_fixes {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        };
        (text, analysis, fixed) =
            analyze::fix_until_stable(text, analysis, kind, &input.display, settings, allowed);
        if let (Some(path), true) = (&input.path, fixed > 0) {
            write_atomically(path, &text).map_err(|e| format!("cannot write the fixes: {e}"))?;
        }
    }
    let stdin_text = (args.fix && input.path.is_none()).then(|| match analysis.skipped {
        // Not analysed, so nothing changed: give the input back byte for byte.
        Some(_) => String::from_utf8_lossy(&bytes).into_owned(),
        None => text.clone(),
    });
    let keep_text = !analysis.diagnostics.is_empty() || args.explain_discovery;
    let index = LineIndex::new(if keep_text { &text } else { "" });
    let file = FileReport {
        path: input.display.clone(),
        // Every format that prints source text prints it from here: keys are masked once.
        text: if keep_text {
            crate::rules::secrets::mask(&text, &analysis.secrets)
        } else {
            String::new()
        },
        index,
        diagnostics: std::mem::take(&mut analysis.diagnostics),
    };
    Ok(Checked {
        file,
        analysis,
        fixed,
        stdin_text,
    })
}

/// Writes `text` to a temporary file beside `path` and renames it over `path`, so a crash
/// never leaves a half-written file.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(text.as_bytes())?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(temp.path(), meta.permissions());
    }
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
