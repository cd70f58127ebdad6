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
use crate::facts::api::ApiVersion;
use crate::fix::Applicability;
use crate::redact::Redactor;
use crate::settings::{Selector, Settings};
use crate::syntax::LineIndex;

/// Arguments of `check`.
#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
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
    #[arg(long, group = "fixing")]
    pub fix: bool,
    /// With `--fix` or `--diff`, apply unsafe fixes too.
    #[arg(long, requires = "fixing")]
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
    /// The date lifecycle rules compare against (YYYY-MM-DD; default: today): pinned, a run
    /// reports the same whatever the day (deprecations, retirements).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<jiff::civil::Date>,
    /// Show only the findings: no summary and no notes.
    #[arg(long, short)]
    pub quiet: bool,
    /// Instead of the findings, count them per rule: count, code, fixability (`[*]` `--fix`
    /// fixes it, `[-]` only with `--unsafe-fixes`) and name; with `--format json`, a JSON array.
    #[arg(long)]
    pub statistics: bool,
    /// When to colour the human report: `auto` on a terminal (not with NO_COLOR set).
    #[arg(long, value_enum, default_value_t = clap::ColorChoice::Auto, value_name = "WHEN")]
    pub color: clap::ColorChoice,
    /// Write the report to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// Print what `--fix` would change as a unified diff and write nothing; exits 1 when
    /// there would be changes.
    #[arg(long, group = "fixing", conflicts_with = "fix")]
    pub diff: bool,
    /// Check again whenever a request or configuration file under the paths changes, until
    /// interrupted.
    #[arg(long, conflicts_with_all = ["fix", "diff", "add_suppressions"])]
    pub watch: bool,
    /// Insert a `preflight: ignore[...]` comment above each line with findings, followed by
    /// REASON (default: "added by --add-suppressions"). JSON has no comments: its findings
    /// are reported as not suppressible.
    #[arg(
        long,
        value_name = "REASON",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "added by --add-suppressions",
        conflicts_with_all = ["fix", "diff"]
    )]
    pub add_suppressions: Option<String>,
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
    /// With `--fix` or `--add-suppressions` on standard input: the bytes to print (changed, or
    /// the input's own).
    stdin_text: Option<Vec<u8>>,
    /// With `--diff`: what the fixes would change.
    diff: String,
    /// With `--add-suppressions`: what was added, or why nothing could be.
    suppressions: Option<Result<super::suppressions::Added, String>>,
    /// Findings that fixes revealed, left unfixed because they were never shown.
    revealed: usize,
    /// The keys of the file before and after any fixes: everything printed about it goes
    /// through it.
    redactor: Redactor,
}

/// Runs `check`, once or (`--watch`) on every change.
pub(crate) fn run(args: CheckArgs) -> u8 {
    if args.watch {
        if args.paths.iter().any(|p| p.as_os_str() == "-") {
            eprintln!("error: `--watch` cannot watch standard input");
            return EXIT_FAILURE;
        }
        return super::watch::run(&args.paths, || check_once(&args));
    }
    check_once(&args)
}

/// Checks every path once and reports.
fn check_once(args: &CheckArgs) -> u8 {
    let (select, ignore) = match (selectors(&args.select), selectors(&args.ignore)) {
        (Ok(select), Ok(ignore)) => (select, ignore),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    let day = args.today.unwrap_or_else(today);
    let mut flags = Flags::new(day);
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
    let (inputs, mut failed) = match collect_inputs(args, &resolver) {
        Ok(collected) => collected,
        Err(error) => return config_failure(error),
    };
    if failed && inputs.is_empty() {
        // Every path was missing: its error says it all.
        return EXIT_FAILURE;
    }
    if let Some(id) = &args.model
        && let Err(message) =
            super::model_arg::validate(id, inputs.iter().map(|i| i.settings.facts.as_ref()), day)
    {
        eprintln!("error: {message}");
        return EXIT_FAILURE;
    }
    warn_skipped_manifests(&resolver);
    let progress = progress_bar(args, inputs.len());
    let results: Vec<Result<Checked, String>> = inputs
        .par_iter()
        .map(|input| {
            let result = check_input(input, args);
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
    let mut diffs = String::new();
    let mut suppressed = 0;
    let mut redactor = Redactor::default();
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
        redactor.merge(&checked.redactor);
        let keys = &checked.redactor;
        stdin_text = stdin_text.or(checked.stdin_text);
        diffs.push_str(&checked.diff);
        if let Some(outcome) = &checked.suppressions {
            suppressed += outcome.as_ref().map_or(0, |added| added.suppressed);
            if let Some(added) = super::suppressions::note(outcome, file.diagnostics.len())
                && !args.quiet
            {
                note(
                    &mut stderr,
                    keys,
                    format_args!("{}: {added}", input.display),
                );
            }
        }
        note_revealed(&mut stderr, &input.display, checked.revealed);
        report.summary.files += 1;
        report.summary.payloads += analysis.payloads;
        report.summary.model_references += analysis.model_references;
        report.summary.fixed += fixed;
        if let Some(reason) = &analysis.skipped
            && (input.explicit || args.explain_discovery)
            && !args.quiet
        {
            note(
                &mut stderr,
                keys,
                format_args!("{}: skipped: {reason}", input.display),
            );
        }
        if args.explain_discovery {
            for (range, reason) in &analysis.discovery {
                let (start, _) = file.span(*range);
                let at = format_args!("{}:{}: {reason}", input.display, start.line);
                note(&mut stderr, keys, at);
            }
            if analysis.discovery.is_empty() && analysis.skipped.is_none() {
                note(
                    &mut stderr,
                    keys,
                    format_args!("{}: no document in it", input.display),
                );
            }
        }
        for d in &file.diagnostics {
            report.summary.count(d.severity);
        }
        if !file.diagnostics.is_empty() {
            report.files.push(file);
        }
    }
    report.quiet = args.quiet;
    if args.add_suppressions.is_some() && !args.quiet {
        let _ = writeln!(
            stderr,
            "Added {}.",
            crate::words::plural(suppressed, "suppression")
        );
    }
    let written = write_report(args, &report, &diffs, stdin_text.as_deref(), &redactor);
    if let Err(error) = written {
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            let _ = writeln!(stderr, "error: cannot write the report: {error}");
        }
        return EXIT_FAILURE;
    }
    if failed {
        EXIT_FAILURE
    } else if args.diff {
        if diffs.is_empty() {
            EXIT_OK
        } else {
            EXIT_FINDINGS
        }
    } else if report.summary.errors > 0 && !args.exit_zero {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Writes a note about a file to standard error, through the file's redactor.
fn note(stderr: &mut impl Write, redactor: &Redactor, text: std::fmt::Arguments<'_>) {
    let _ = writeln!(stderr, "note: {}", redactor.mask(&text.to_string()));
}

/// Writes what the run produced: the fixed standard input (then the report goes to standard
/// error), the diffs of `--diff` (with a count on standard error), the statistics, or the
/// report, to `--output-file` or standard output. Everything but the fixed input (the user's
/// own text) is written through `redactor`, which holds every key of every file checked.
fn write_report(
    args: &CheckArgs,
    report: &Report,
    diffs: &str,
    stdin_text: Option<&[u8]>,
    redactor: &Redactor,
) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    if let Some(text) = stdin_text {
        stdout.write_all(text)?;
        stdout.flush()?;
    }
    let mut sink: Box<dyn Write> = match (&args.output_file, stdin_text) {
        (Some(path), _) => Box::new(
            std::fs::File::create(path)
                .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?,
        ),
        (None, Some(_)) => Box::new(std::io::stderr()),
        (None, None) => Box::new(stdout),
    };
    let mut out = Vec::new();
    if args.diff {
        out.write_all(diffs.as_bytes())?;
        if !args.quiet {
            eprintln!("{}", would_fix(report));
        }
    } else if args.statistics {
        super::statistics::write(report, args.format, &mut out)?;
    } else {
        let color = args.format == Format::Human
            && match args.color {
                clap::ColorChoice::Always => true,
                clap::ColorChoice::Never => false,
                clap::ColorChoice::Auto => {
                    args.output_file.is_none() && stdin_text.is_none() && output::stdout_color()
                }
            };
        output::write(args.format, report, &mut out, color)?;
    }
    let out = String::from_utf8_lossy(&out);
    sink.write_all(redactor.mask(&out).as_bytes())?;
    sink.flush()
}

/// "Would fix 2 problems." after `--diff`: the fixes counted by `--fix` (findings gone).
fn would_fix(report: &Report) -> String {
    match report.summary.fixed {
        0 => "No fixes to apply.".into(),
        n => format!("Would fix {}.", crate::words::plural(n, "problem")),
    }
}

/// Today's date in the local time zone.
fn today() -> jiff::civil::Date {
    jiff::Zoned::now().date()
}

fn parse_api_version(text: &str) -> Result<ApiVersion, String> {
    ApiVersion::parse(text).ok_or_else(ApiVersion::known)
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
        } else if path.is_dir() && readable_dir(path) {
            let mut found = walk(path, resolver)?;
            found.sort_by(|a, b| a.display.cmp(&b.display));
            inputs.extend(found);
        } else {
            eprintln!("error: {}: {}", path.display(), unusable_path(path));
            failed = true;
        }
    }
    Ok((inputs, failed))
}

/// True when the directory `dir` can be listed.
fn readable_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok()
}

/// Why a path named on the command line is neither a file nor a directory that can be read.
fn unusable_path(path: &Path) -> String {
    match std::fs::metadata(path).and_then(|m| {
        if m.is_dir() {
            std::fs::read_dir(path).map(|_| m)
        } else {
            Ok(m)
        }
    }) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            "no such file or directory".into()
        }
        Err(error) => format!("cannot read it: {error}"),
        Ok(_) if path == Path::new("/dev/stdin") => {
            "not a regular file or directory (`-` reads standard input)".into()
        }
        Ok(_) => "not a regular file or directory".into(),
    }
}

/// Says which manifests the SDK-version lookup skipped, and why.
fn warn_skipped_manifests(resolver: &Resolver) {
    for note in resolver.take_notes() {
        eprintln!("warning: {note}");
    }
}

/// The warning for what a walk could not read (an unreadable directory, most often).
fn walk_warning(error: &ignore::Error) -> String {
    fn parts(error: &ignore::Error) -> (Option<&Path>, String) {
        match error {
            ignore::Error::WithPath { path, err } => (Some(path), parts(err).1),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                parts(err)
            }
            other => (None, other.to_string()),
        }
    }
    match parts(error) {
        (Some(path), problem) => {
            let shown = path.strip_prefix(".").unwrap_or(path).display();
            format!("{shown}: cannot read it: {problem}")
        }
        (None, problem) => format!("cannot read part of the tree: {problem}"),
    }
}

/// The entries of a walk that are files to consider; unreadable entries, and special files
/// whose name says they would be checked, are reported as warnings.
fn walked_files(
    entries: impl Iterator<Item = Result<ignore::DirEntry, ignore::Error>>,
) -> impl Iterator<Item = ignore::DirEntry> {
    entries.filter_map(|entry| match entry {
        Err(error) => {
            eprintln!("warning: {}", walk_warning(&error));
            None
        }
        Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => Some(entry),
        Ok(entry) => {
            let special = entry
                .file_type()
                .is_some_and(|t| !t.is_dir() && !t.is_symlink());
            if special && FileKind::from_path(entry.path()).is_some() {
                let path = entry.path();
                let shown = path.strip_prefix(".").unwrap_or(path).display();
                eprintln!("warning: {shown}: skipped: not a regular file");
            }
            None
        }
    })
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
        .build();
    for entry in walked_files(entries) {
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

/// What `check - --fix` prints: the fixed text, or when nothing was fixed the input byte for
/// byte (text that is not UTF-8 was decoded with U+FFFD for the analysis only).
fn stdin_output(input: &[u8], text: &str, fixed: usize) -> Vec<u8> {
    if fixed == 0 {
        input.to_vec()
    } else {
        text.as_bytes().to_vec()
    }
}

/// Says that fixes revealed findings that were never shown, so were not fixed.
fn note_revealed(stderr: &mut impl Write, display: &str, revealed: usize) {
    if revealed > 0 {
        let findings = if revealed == 1 { "finding" } else { "findings" };
        let _ = writeln!(
            stderr,
            "note: {display}: the fixes revealed {revealed} new {findings}, reported and not fixed: review, then run `--fix` again"
        );
    }
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
    let mut redactor = analysis.redactor.clone();
    let mut fixed = 0;
    let before_fixes = args.diff.then(|| text.clone());
    let mut revealed = 0;
    if (args.fix || args.diff) && analysis.payloads > 0 && analysis.skipped.is_none() {
        let shown = analyze::ShownFindings::of(&analysis.diagnostics);
        let allowed = if args.unsafe_fixes {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        };
        (text, analysis, fixed) =
            analyze::fix_until_stable(text, analysis, kind, &input.display, settings, allowed);
        revealed = analysis
            .diagnostics
            .iter()
            .filter(|d| !shown.contains(d))
            .count();
        if let (Some(path), true, true) = (&input.path, fixed > 0, args.fix) {
            write_atomically(path, &text).map_err(|e| format!("cannot write the fixes: {e}"))?;
        }
    }
    let diff = before_fixes.map_or_else(String::new, |before| {
        super::diff::unified(&input.display, &before, &text)
    });
    let suppressions = match &args.add_suppressions {
        Some(reason) if !analysis.diagnostics.is_empty() && analysis.skipped.is_none() => {
            let added = super::suppressions::add(&text, kind, &analysis.diagnostics, reason);
            if let Ok(added) = &added
                && added.suppressed > 0
            {
                if let Some(path) = &input.path {
                    write_atomically(path, &added.text)
                        .map_err(|e| format!("cannot write the suppressions: {e}"))?;
                }
                // The report shows what is left.
                text.clone_from(&added.text);
                analysis = analyze::analyze(&text, kind, &input.display, settings);
            }
            Some(added)
        }
        _ => None,
    };
    let changed = fixed
        + suppressions
            .as_ref()
            .and_then(|added| added.as_ref().ok())
            .map_or(0, |added| added.suppressed);
    let stdin_text = ((args.fix || args.add_suppressions.is_some()) && input.path.is_none())
        .then(|| stdin_output(&bytes, &text, changed));
    redactor.merge(&analysis.redactor);
    let keep_text = !analysis.diagnostics.is_empty() || args.explain_discovery;
    let index = LineIndex::new(if keep_text { &text } else { "" });
    let file = FileReport {
        path: input.display.clone(),
        // Every format that prints source text prints it from here: keys are masked once.
        text: if keep_text {
            analysis.redactor.mask_source(&text).into_owned()
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
        diff,
        suppressions,
        revealed,
        redactor,
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

/// The files `check` reads, for `check --help`: every kind and extension of
/// [`HOSTS`](crate::extract::hosts::HOSTS).
pub(crate) fn files_read() -> String {
    let kinds: Vec<String> = crate::extract::hosts::HOSTS
        .iter()
        .map(|host| {
            let exts: Vec<String> = host.extensions.iter().map(|e| format!(".{e}")).collect();
            format!("  {:<18} {}", host.name, exts.join(" "))
        })
        .collect();
    format!(
        "Files read (a directory's by extension; others when the configuration's `include` names them):\n{}",
        kinds.join("\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the walk reports for a directory it cannot list: the same path the integration
    /// test `an_unreadable_directory_is_reported` takes, which root cannot reach (root lists
    /// any directory).
    #[test]
    fn walk_errors_become_warnings() {
        let denied = || std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let error = ignore::Error::WithDepth {
            depth: 1,
            err: Box::new(ignore::Error::WithPath {
                path: PathBuf::from("./tree/closed"),
                err: Box::new(ignore::Error::Io(denied())),
            }),
        };
        assert_eq!(
            walk_warning(&error),
            format!("tree/closed: cannot read it: {}", denied())
        );
        assert_eq!(
            walk_warning(&ignore::Error::Io(denied())),
            format!("cannot read part of the tree: {}", denied())
        );
        let entries = vec![Err(error)].into_iter();
        assert_eq!(walked_files(entries).count(), 0);
    }
}
