//! `check PATH...`: walk, analyse in parallel, report, and optionally fix.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use clap::Args;
use rayon::prelude::*;

use super::output::{self, FileReport, Format, Report};
use super::{EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK};
use crate::analyze::{self, Analysis};
use crate::extract::files::FileKind;
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
    /// Only run these rules (names, codes, code prefixes or families, comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Never run these rules.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// The name standard input is checked under (its extension picks the format).
    #[arg(long)]
    pub stdin_filename: Option<String>,
    /// Apply safe fixes in place.
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
    kind: FileKind,
    /// Named on the command line (so a skip is worth saying).
    explicit: bool,
}

/// Runs `check`.
pub fn run(args: CheckArgs) -> u8 {
    let mut settings = Settings::new(args.today.unwrap_or_else(today));
    match selectors(&args.select) {
        Ok(select) if !select.is_empty() => settings.rules.select = Some(select),
        Ok(_) => {}
        Err(code) => return code,
    }
    match selectors(&args.ignore) {
        Ok(ignore) => settings.rules.ignore = ignore,
        Err(code) => return code,
    }
    let (inputs, mut failed) = collect_inputs(&args);
    let progress = progress_bar(&args, inputs.len());
    let results: Vec<Checked> = inputs
        .par_iter()
        .map(|input| {
            let result = check_input(input, &settings, &args);
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
    for (input, result) in inputs.iter().zip(results) {
        match result {
            Err(message) => {
                let _ = writeln!(stderr, "error: {}: {message}", input.display);
                failed = true;
            }
            Ok(None) => {}
            Ok(Some((file, analysis, fixed))) => {
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
                        let _ =
                            writeln!(stderr, "note: {}:{}: {reason}", input.display, start.line);
                    }
                }
                for d in &file.diagnostics {
                    report.summary.count(d.severity);
                }
                if !file.diagnostics.is_empty() {
                    report.files.push(file);
                }
            }
        }
    }
    let color = args.format == Format::Human && output::stdout_color();
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = output::write(args.format, &report, &mut stdout, color) {
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            let _ = writeln!(stderr, "error: cannot write the report: {error}");
        }
        return EXIT_FAILURE;
    }
    let _ = stdout.flush();
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

/// Expands the command line's paths into files; a path that does not exist is reported.
fn collect_inputs(args: &CheckArgs) -> (Vec<Input>, bool) {
    let mut inputs = Vec::new();
    let mut failed = false;
    for path in &args.paths {
        if path.as_os_str() == "-" {
            let name = args.stdin_filename.clone().unwrap_or_else(|| "-".into());
            inputs.push(Input {
                kind: FileKind::from_path(Path::new(&name)).unwrap_or(FileKind::Json),
                display: name,
                path: None,
                explicit: true,
            });
        } else if path.is_file() {
            inputs.push(Input {
                display: path.display().to_string(),
                kind: FileKind::from_path(path).unwrap_or(FileKind::Json),
                path: Some(path.clone()),
                explicit: true,
            });
        } else if path.is_dir() {
            let mut found: Vec<Input> = ignore::WalkBuilder::new(path)
                .build()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
                .filter_map(|e| {
                    let kind = FileKind::from_path(e.path())?;
                    Some(Input {
                        display: e.path().display().to_string(),
                        path: Some(e.into_path()),
                        kind,
                        explicit: false,
                    })
                })
                .collect();
            found.sort_by(|a, b| a.display.cmp(&b.display));
            inputs.extend(found);
        } else {
            eprintln!("error: {}: no such file or directory", path.display());
            failed = true;
        }
    }
    (inputs, failed)
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

/// One file's outcome: its report, its analysis and how many fixes were applied, or why it
/// could not be read. `Ok(None)` for nothing to report.
type Checked = Result<Option<(FileReport, Analysis, usize)>, String>;

/// Reads, analyses and (with `--fix`) fixes one file.
fn check_input(input: &Input, settings: &Settings, args: &CheckArgs) -> Checked {
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
    let (text, mut analysis) = analyze::analyze_bytes(&bytes, input.kind, &input.display, settings);
    let mut text = text.into_owned();
    let mut fixed = 0;
    if args.fix && analysis.payloads > 0 && analysis.skipped.is_none() {
        (text, analysis, fixed) =
            fix_until_stable(text, analysis, input, settings, args.unsafe_fixes);
        if fixed > 0 {
            match &input.path {
                Some(path) => write_atomically(path, &text)
                    .map_err(|e| format!("cannot write the fixes: {e}"))?,
                None => print!("{text}"),
            }
        }
    }
    let keep_text = !analysis.diagnostics.is_empty() || args.explain_discovery;
    let index = LineIndex::new(if keep_text { &text } else { "" });
    let report = FileReport {
        path: input.display.clone(),
        text: if keep_text { text } else { String::new() },
        index,
        diagnostics: std::mem::take(&mut analysis.diagnostics),
    };
    Ok(Some((report, analysis, fixed)))
}

/// The most fix rounds on one file: each round re-analyses, so fixes that touch the same
/// spot land one after the other.
const MAX_FIX_ROUNDS: usize = 16;

fn fix_until_stable(
    mut text: String,
    mut analysis: Analysis,
    input: &Input,
    settings: &Settings,
    unsafe_fixes: bool,
) -> (String, Analysis, usize) {
    let mut fixed = 0;
    for _ in 0..MAX_FIX_ROUNDS {
        let fixes = analysis
            .diagnostics
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| unsafe_fixes || f.applicability == crate::fix::Applicability::Safe);
        let (new_text, applied) = crate::fix::apply::apply_fixes(&text, fixes);
        if applied == 0 {
            break;
        }
        fixed += applied;
        text = new_text;
        analysis = analyze::analyze(&text, input.kind, &input.display, settings);
    }
    (text, analysis, fixed)
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
