//! `check` over the benchmark corpus, beside serde_json parsing the same bytes (the floor).
//!
//! Generate the corpus first: `python3 scripts/gen-corpus.py` (10,000 request files, about
//! 48 MB, and one 32 MB request, in `target/bench-corpus`). `scripts/bench.sh` adds the
//! end-to-end comparison with the binary and ajv-cli.

use std::path::{Path, PathBuf};

use claude_preflight::FileKind;
use claude_preflight::analyze::analyze_bytes;
use claude_preflight::settings::Settings;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rayon::prelude::*;

fn corpus() -> Option<(Vec<PathBuf>, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("files"))
        .ok()?
        .filter_map(|e| Some(e.ok()?.path()))
        .collect();
    files.sort();
    Some((files, root.join("big.json")))
}

fn check_files(files: &[PathBuf], settings: &Settings) -> usize {
    files
        .par_iter()
        .map(|path| {
            let bytes = std::fs::read(path).expect("corpus file");
            let (_, analysis) = analyze_bytes(&bytes, FileKind::Json, "bench.json", settings);
            analysis.diagnostics.len()
        })
        .sum()
}

fn parse_files(files: &[PathBuf]) -> usize {
    files
        .par_iter()
        .map(|path| {
            let bytes = std::fs::read(path).expect("corpus file");
            let value: serde_json::Value = serde_json::from_slice(&bytes).expect("valid JSON");
            usize::from(value.is_object())
        })
        .sum()
}

fn bench(c: &mut Criterion) {
    let Some((files, big)) = corpus() else {
        eprintln!("no corpus: run `python3 scripts/gen-corpus.py` first");
        return;
    };
    let settings = Settings::new(jiff::civil::date(2026, 11, 25));
    let bytes: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
        .sum();

    let mut group = c.benchmark_group("batch-10000-files");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("serde_json-floor", |b| b.iter(|| parse_files(&files)));
    group.bench_function("check", |b| b.iter(|| check_files(&files, &settings)));
    group.finish();

    let big_bytes = std::fs::read(&big).expect("big.json");
    let mut group = c.benchmark_group("one-32mb-request");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(big_bytes.len() as u64));
    group.bench_function("serde_json-floor", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(&big_bytes).expect("valid JSON"))
    });
    group.bench_function("check", |b| {
        b.iter(|| analyze_bytes(&big_bytes, FileKind::Json, "big.json", &settings).1)
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
