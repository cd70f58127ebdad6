//! Growth: each case timed on an input of size n and of size 4n, printing
//! `time(4n) / (4 * time(n))`, which is 1 for linear work and 4 for quadratic. Each case is an
//! input that once cost quadratic (or worse) work; every ratio must stay within 1.5 of linear.
//! The last row compares a run of `-` with a run of letters of the same length, which the BPE
//! once took sixteen times longer over.
//!
//! The inputs are generated here, deterministically. Each time is the fastest of several runs
//! (at least three, and at least half a second in all), so a loaded machine disturbs the
//! ratios little. Exits with status 1 when a ratio is over the limit.
//!
//! usage: cargo bench --bench growth

use std::hint::black_box;
use std::time::{Duration, Instant};

use claude_preflight::FileKind;
use claude_preflight::analyze::analyze;
use claude_preflight::bench_support::Cache;
use claude_preflight::settings::Settings;
use claude_preflight::{ColumnUnit, LineIndex};

#[path = "growth/inputs.rs"]
mod inputs;
use inputs::*;

/// The largest `time(4n) / (4 * time(n))` (and dashes over letters) that passes.
const LIMIT: f64 = 1.5;

/// The fastest of at least three runs of `f` that take at least half a second together.
fn fastest(mut f: impl FnMut()) -> Duration {
    let mut best = Duration::MAX;
    let (mut runs, mut total) = (0, Duration::ZERO);
    while runs < 3 || total < Duration::from_millis(500) {
        let start = Instant::now();
        f();
        let took = start.elapsed();
        best = best.min(took);
        total += took;
        runs += 1;
    }
    best
}

fn settings() -> Settings {
    Settings::new(jiff::civil::date(2026, 12, 3))
}

/// Analyses `text` as a file of `kind` and turns every finding's range into a line and a
/// column in characters (as the command line reports them) and in UTF-16 (as the language
/// server sends them), and back into an offset (as an editor's position comes in).
fn check(text: &str, kind: FileKind, path: &str) -> usize {
    let analysis = analyze(text, kind, path, &settings());
    let index = LineIndex::new(text);
    let mut sum = 0;
    for d in &analysis.diagnostics {
        for offset in [d.range.start as usize, d.range.end as usize] {
            sum += index.position(text, offset, ColumnUnit::Char).column as usize;
            let p = index.position(text, offset, ColumnUnit::Utf16);
            sum += index.offset(text, p, ColumnUnit::Utf16);
        }
    }
    sum + analysis.diagnostics.len()
}

/// Counts `text` with the estimator's token counter, as a cold cache does.
fn tokens(text: &str) -> u64 {
    Cache::default().count(text)
}

/// What a case times.
#[derive(Clone, Copy)]
enum Run {
    /// [`check`] on a file of this kind and path.
    Check(FileKind, &'static str),
    /// [`tokens`].
    Tokens,
}

impl Run {
    fn run(self, text: &str) -> usize {
        match self {
            Run::Check(kind, path) => check(text, kind, path),
            Run::Tokens => tokens(text) as usize,
        }
    }
}

/// A case: its name, its input of size `n` (argument 1) or `4n` (argument 4), what it times.
type Case = (&'static str, fn(usize) -> String, Run);

fn main() {
    use FileKind::*;
    let cases: [Case; 9] = [
        (
            "JSON nesting, closed",
            |s| nested_json(100_000 * s, true),
            Run::Check(Json, "a.json"),
        ),
        (
            "JSON nesting, unclosed",
            |s| nested_json(25_000 * s, false),
            Run::Check(Json, "a.json"),
        ),
        (
            "one-line JSON, findings along it",
            |s| one_line_request(10_000 * s),
            Run::Check(Json, "a.json"),
        ),
        (
            "Python, nested calls",
            |s| nested_python(4_000 * s),
            Run::Check(Python, "a.py"),
        ),
        (
            "TypeScript, nested calls",
            |s| nested_typescript(4_000 * s),
            Run::Check(TypeScript, "a.ts"),
        ),
        (
            "notebook of log junk",
            |s| log_junk((1 << 20) * s),
            Run::Check(Notebook, "a.ipynb"),
        ),
        (
            "JSON of log junk",
            |s| log_junk((1 << 20) * s),
            Run::Check(Json, "a.json"),
        ),
        (
            "Markdown, console fences",
            |s| markdown_fences(2_000 * s),
            Run::Check(Markdown, "a.md"),
        ),
        (
            "tokens, a run of `-`",
            |s| "-".repeat(256 * 1024 * s),
            Run::Tokens,
        ),
    ];
    println!(
        "{:<42} {:>10} {:>12} {:>12} {:>7}",
        "case", "4n bytes", "time(n)", "time(4n)", "ratio"
    );
    let mut over = false;
    let mut row = |name: &str, bytes: usize, small: Duration, large: Duration, ratio: f64| {
        let verdict = if ratio > LIMIT { "  OVER" } else { "" };
        over |= ratio > LIMIT;
        println!("{name:<42} {bytes:>10} {small:>12.2?} {large:>12.2?} {ratio:>7.2}{verdict}");
    };
    for (name, input, run) in cases {
        let (small, large) = (input(1), input(4));
        let t_small = fastest(|| {
            black_box(run.run(black_box(&small)));
        });
        let t_large = fastest(|| {
            black_box(run.run(black_box(&large)));
        });
        let ratio = t_large.as_secs_f64() / (4.0 * t_small.as_secs_f64());
        row(name, large.len(), t_small, t_large, ratio);
    }
    // The same length of letters: the column "time(n)" is the letters', "time(4n)" the dashes'.
    let (letters, dashes) = ("a".repeat(1 << 20), "-".repeat(1 << 20));
    let t_letters = fastest(|| {
        black_box(tokens(black_box(&letters)));
    });
    let t_dashes = fastest(|| {
        black_box(tokens(black_box(&dashes)));
    });
    let ratio = t_dashes.as_secs_f64() / t_letters.as_secs_f64();
    row(
        "tokens, 1 MB of `-` over 1 MB of letters",
        dashes.len(),
        t_letters,
        t_dashes,
        ratio,
    );
    if over {
        println!("a ratio is over {LIMIT}");
        std::process::exit(1);
    }
}
