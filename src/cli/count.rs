//! `count FILE...`: where a request's tokens go, per message and per kind, against the model's
//! window; `--exact` also asks the count_tokens endpoint (and only then is anything sent).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, ValueEnum};

use super::{EXIT_FAILURE, EXIT_OK};
use crate::config::{Flags, Resolver};
use crate::count::{self, Counted, ExactCounter};
use crate::extract::files::FileKind;
use crate::redact::Redactor;
use crate::settings::Settings;
use crate::syntax::Node;
use crate::tokens::exact::{self, Client};
use crate::tokens::{Band, Breakdown, Estimate, Kind};
use crate::words::thousands;

/// Arguments of `count`.
#[derive(Debug, Args)]
pub(crate) struct CountArgs {
    /// Files with requests: any kind `check --help` lists.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CountFormat::Human)]
    pub format: CountFormat,
    /// Estimate for this model instead of the one each body names.
    #[arg(long)]
    pub model: Option<String>,
    /// Also send each request (as a count_tokens body) to `/v1/messages/count_tokens` with
    /// ANTHROPIC_API_KEY (base URL from ANTHROPIC_BASE_URL) and show the exact count beside
    /// the estimate.
    #[arg(long)]
    pub exact: bool,
    /// Use this configuration file instead of the nearest one above each file.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// How `count` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum CountFormat {
    /// A table per request.
    Human,
    /// One JSON object.
    Json,
}

/// The environment variable that shortens the retry waits of `--exact` to this many
/// milliseconds each; only tests set it.
pub(crate) const TEST_BACKOFF_ENV: &str = "CLAUDE_PREFLIGHT_TEST_BACKOFF_MS";

/// Width of the window bar, in characters.
const BAR: usize = 40;

/// Runs `count`.
pub(crate) fn run(args: CountArgs) -> u8 {
    let today = jiff::Zoned::now().date();
    let mut flags = Flags::new(today);
    flags.model = args.model.clone();
    let resolver = match Resolver::new(flags, args.config.as_deref()) {
        Ok(resolver) => resolver,
        Err(error) => {
            eprintln!("error: {error}");
            return EXIT_FAILURE;
        }
    };
    if let Some(id) = &args.model {
        let configured: Vec<_> = args
            .files
            .iter()
            .filter_map(|path| resolver.settings_for(path).ok())
            .collect();
        let facts = configured.iter().map(|s| s.facts.as_ref());
        if let Err(message) = super::model_arg::validate(id, facts, today) {
            eprintln!("error: {message}");
            return EXIT_FAILURE;
        }
    }
    let client = if args.exact {
        match Client::from_env() {
            Ok(client) => Some(with_test_backoff(client)),
            Err(error) => {
                eprintln!("error: {error}");
                return EXIT_FAILURE;
            }
        }
    } else {
        None
    };
    let mut failed = false;
    let mut reports = Vec::new();
    let mut redactor = Redactor::default();
    for path in &args.files {
        let settings = match resolver.settings_for(path) {
            Ok(settings) => settings,
            Err(error) => {
                eprintln!("error: {error}");
                return EXIT_FAILURE;
            }
        };
        match count_file(path, &settings, &args, client.as_ref(), &mut redactor) {
            Ok(counted) => {
                failed |= counted.iter().any(|c| matches!(c.exact, Some(Err(_))));
                reports.push((path.display().to_string(), counted));
            }
            Err(error) => {
                eprintln!("error: {}: {error}", path.display());
                failed = true;
            }
        }
    }
    let mut out = Vec::new();
    let written = match args.format {
        CountFormat::Human => reports
            .iter()
            .try_for_each(|(path, counted)| write_human(&mut out, path, counted)),
        CountFormat::Json => writeln!(out, "{}", count::to_json(&reports)),
    };
    // Labels show what the file says (a model, a role): they go out through its keys.
    let out = String::from_utf8_lossy(&out);
    let mut stdout = std::io::stdout().lock();
    if written
        .and_then(|()| stdout.write_all(redactor.mask(&out).as_bytes()))
        .is_err()
    {
        return EXIT_FAILURE;
    }
    if failed { EXIT_FAILURE } else { EXIT_OK }
}

fn with_test_backoff(client: Client) -> Client {
    match std::env::var(TEST_BACKOFF_ENV)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        Some(ms) => client.with_backoff(vec![Duration::from_millis(ms); exact::BACKOFF.len()]),
        None => client,
    }
}

/// Counts every request in one file; its keys join `redactor`.
fn count_file(
    path: &Path,
    settings: &Settings,
    args: &CountArgs,
    client: Option<&Client>,
    redactor: &mut Redactor,
) -> Result<Vec<Counted>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    redactor.merge(&Redactor::of_text(&text));
    let kind = FileKind::from_path(path).unwrap_or(FileKind::Json);
    let send = client.map(|client| {
        move |root: &Node, model: Option<&str>| {
            exact::count_tokens_body(root, model)
                .and_then(|body| client.count(&body))
                .map_err(|e| e.to_string())
        }
    });
    count::count(
        &text,
        kind,
        &path.display().to_string(),
        settings,
        args.model.as_deref(),
        send.as_ref().map(|send| send as ExactCounter<'_>),
    )
}

fn cell(band: Band) -> String {
    if band.mid == 0 {
        "-".into()
    } else {
        thousands(band.mid)
    }
}

fn row(out: &mut impl Write, label: &str, tokens: &Breakdown) -> std::io::Result<()> {
    write!(out, "  {label:<16}")?;
    for kind in Kind::ALL {
        write!(out, " {:>10}", cell(tokens.get(kind)))?;
    }
    writeln!(out, " {:>11}", cell(tokens.total()))
}

fn write_human(out: &mut impl Write, path: &str, counted: &[Counted]) -> std::io::Result<()> {
    for c in counted {
        let mut at = match c.line {
            Some(line) => format!("{path}:{line}"),
            None => path.to_owned(),
        };
        if !c.path.is_empty() {
            at.push_str(&format!(" ({})", c.path));
        }
        let est = &c.estimate;
        let input = est.input();
        match (&c.model, &c.model_id) {
            (Some(model), Some(id)) => writeln!(
                out,
                "{at}: {id}, context window {} tokens",
                thousands(model.context_window)
            )?,
            (None, Some(id)) => writeln!(
                out,
                "{at}: {id} (not a known model: estimated with the newest tokenizer)"
            )?,
            (_, None) => writeln!(
                out,
                "{at}: no model named (estimated with the newest tokenizer; pass --model)"
            )?,
        }
        write!(out, "  {:<16}", "")?;
        for kind in Kind::ALL {
            write!(out, " {:>10}", kind.as_str())?;
        }
        writeln!(out, " {:>11}", "total")?;
        if !est.system.total().is_zero() {
            row(out, "system", &est.system)?;
        }
        if !est.tools.total().is_zero() {
            row(out, "tools", &est.tools)?;
        }
        for m in &est.messages {
            let label = format!("{} {}", m.index, m.role.as_deref().unwrap_or("?"));
            row(out, &label, &m.tokens)?;
        }
        row(out, "total", &est.total)?;
        let run_time = not_counted(est);
        if count::nothing_counted(est) {
            writeln!(out, "  {}", run_time.unwrap_or_default())?;
            writeln!(out)?;
            continue;
        }
        writeln!(
            out,
            "  estimate ~{} tokens (range {}-{}){}",
            thousands(input.mid),
            thousands(input.low),
            thousands(input.high),
            run_time.map(|r| format!("; {r}")).unwrap_or_default()
        )?;
        if let Some(model) = &c.model {
            let window = model.context_window;
            let share = input.mid as f64 / window as f64;
            let filled = ((share * BAR as f64).round() as usize).min(BAR);
            writeln!(
                out,
                "  [{}{}] {:.1}% of {}{}",
                "#".repeat(filled),
                ".".repeat(BAR - filled),
                share * 100.0,
                thousands(window),
                if input.low > window {
                    " (over the window)"
                } else {
                    ""
                }
            )?;
        }
        match &c.exact {
            Some(Ok(exact)) => {
                let diff = (input.mid as f64 - *exact as f64) / (*exact).max(1) as f64 * 100.0;
                writeln!(
                    out,
                    "  exact (count_tokens): {} tokens; estimate ~{} ({diff:+.0}%)",
                    thousands(*exact),
                    thousands(input.mid)
                )?;
            }
            Some(Err(error)) => writeln!(out, "  exact (count_tokens): failed: {error}")?,
            None => {}
        }
        writeln!(out)?;
    }
    Ok(())
}

/// "not counted: built at run time (2 values)" when the source computes parts of the request
/// at run time: those parts have no size here, so no estimate includes them.
fn not_counted(est: &Estimate) -> Option<String> {
    (est.unknown_values > 0).then(|| {
        format!(
            "not counted: built at run time ({})",
            crate::words::plural(est.unknown_values as usize, "value")
        )
    })
}
