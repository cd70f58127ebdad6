//! Extraction and checking over 5,000 source files, as `check` meets them in a repository:
//! most have no Claude call and must be skipped cheaply; one in ten sends requests.
//!
//! The files are generated in memory, deterministically: ordinary Python, TypeScript,
//! JavaScript, shell and Markdown sources of a few kilobytes each, and, for the files that call
//! Claude, the files of `tests/corpus/valid` with the same ordinary code around them.

use std::path::Path;

use claude_preflight::FileKind;
use claude_preflight::analyze::analyze;
use claude_preflight::settings::Settings;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rayon::prelude::*;

/// How many files the benchmark checks.
const FILES: usize = 5_000;
/// One file in this many calls Claude.
const CLAUDE_EVERY: usize = 10;

/// A deterministic pseudo-random sequence (a 64-bit LCG), so every run checks the same files.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % below
    }
}

/// Ordinary code in the language of `kind`, about `lines` lines long, with no Claude word.
fn filler(kind: FileKind, lines: usize, rng: &mut Lcg) -> String {
    let mut out = String::new();
    for i in 0..lines / 6 {
        let n = rng.next(1000);
        out.push_str(&match kind {
            FileKind::Python => format!(
                "def handler_{i}(request, limit={n}):\n    items = [x for x in request.items if x.size < limit]\n    total = sum(item.price for item in items)\n    log.info(\"processed %d items\", len(items))\n    return {{\"total\": total, \"count\": len(items), \"page\": {n}}}\n\n"
            ),
            FileKind::Shell => format!(
                "build_{i}() {{\n  local out=\"dist/part-{n}\"\n  mkdir -p \"$out\"\n  cp -r src/* \"$out\" && echo \"built $out\"\n  curl -fsSL https://example.com/status/{n} -o /dev/null\n}}\n"
            ),
            FileKind::Markdown => format!(
                "## Section {i}\n\nSee the [guide](https://example.com/{n}) for details.\n\n```bash\nnpm run build -- --page {n}\n```\n\n"
            ),
            _ => format!(
                "export function handler{i}(req: Request, limit = {n}) {{\n  const items = req.items.filter((x) => x.size < limit);\n  const total = items.reduce((sum, item) => sum + item.price, 0);\n  console.log(`processed ${{items.length}} items`);\n  return {{ total, count: items.length, page: {n} }};\n}}\n"
            ),
        });
    }
    out
}

/// The benchmark's files: (kind, text).
fn generate() -> Vec<(FileKind, String)> {
    let corpus_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/valid");
    let mut claude: Vec<(FileKind, String)> = Vec::new();
    let mut stack = vec![corpus_dir];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).expect("the corpus") {
            let path = entry.expect("a corpus entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if let Some(kind) = FileKind::from_path(&path) {
                claude.push((kind, std::fs::read_to_string(&path).expect("a corpus file")));
            }
        }
    }
    claude.sort_by(|a, b| a.1.cmp(&b.1));
    let kinds = [
        FileKind::Python,
        FileKind::TypeScript,
        FileKind::JavaScript,
        FileKind::Shell,
        FileKind::Markdown,
    ];
    let mut rng = Lcg(7);
    (0..FILES)
        .map(|i| {
            if i % CLAUDE_EVERY == 0 {
                let (kind, text) = &claude[(i / CLAUDE_EVERY) % claude.len()];
                let around = match kind {
                    // A notebook is JSON: code around it would break it.
                    FileKind::Notebook => String::new(),
                    _ => filler(*kind, 60, &mut rng),
                };
                (*kind, format!("{text}\n{around}"))
            } else {
                let kind = kinds[rng.next(kinds.len())];
                let lines = 60 + rng.next(200);
                (kind, filler(kind, lines, &mut rng))
            }
        })
        .collect()
}

fn check_all(files: &[(FileKind, String)], settings: &Settings) -> usize {
    files
        .par_iter()
        .map(|(kind, text)| analyze(text, *kind, "bench", settings).payloads)
        .sum()
}

fn bench(c: &mut Criterion) {
    let files = generate();
    let settings = Settings::new(jiff::civil::date(2026, 11, 25));
    let bytes: u64 = files.iter().map(|(_, t)| t.len() as u64).sum();
    let payloads = check_all(&files, &settings);
    eprintln!(
        "{} files, {:.1} MB, {payloads} payloads in {} files that call Claude",
        files.len(),
        bytes as f64 / 1e6,
        files.len() / CLAUDE_EVERY
    );
    let mut group = c.benchmark_group("code-5000-files");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("check", |b| b.iter(|| check_all(&files, &settings)));
    let quiet: Vec<(FileKind, String)> = files
        .iter()
        .enumerate()
        .filter(|(i, _)| i % CLAUDE_EVERY != 0)
        .map(|(_, f)| f.clone())
        .collect();
    group.bench_function("skip-4500-without-claude", |b| {
        b.iter(|| check_all(&quiet, &settings))
    });
    let calls: Vec<(FileKind, String)> = files.iter().step_by(CLAUDE_EVERY).cloned().collect();
    group.bench_function("extract-and-check-500-with-claude", |b| {
        b.iter(|| check_all(&calls, &settings))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
