//! `check` over 2,000 recordings of HTTP traffic (VCR cassettes in YAML and JSON, Ruby VCR,
//! HAR, Polly.js, nock), three in four of them with requests to Claude endpoints.
//!
//! Generate the files first: `python3 scripts/gen-cassettes.py` (about 13 MB in
//! `target/bench-cassettes`).

use std::path::{Path, PathBuf};

use claude_preflight::FileKind;
use claude_preflight::analyze::analyze_bytes;
use claude_preflight::settings::Settings;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rayon::prelude::*;

/// The recordings, each with its text and kind.
fn recordings() -> Option<Vec<(PathBuf, FileKind, Vec<u8>)>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-cassettes");
    let mut files: Vec<(PathBuf, FileKind, Vec<u8>)> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| {
            let path = e.ok()?.path();
            let kind = FileKind::from_path(&path)?;
            let bytes = std::fs::read(&path).ok()?;
            Some((path, kind, bytes))
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Some(files).filter(|f| !f.is_empty())
}

fn check_all(files: &[(PathBuf, FileKind, Vec<u8>)], settings: &Settings) -> (usize, usize) {
    files
        .par_iter()
        .map(|(path, kind, bytes)| {
            let name = path.to_string_lossy();
            let (_, analysis) = analyze_bytes(bytes, *kind, &name, settings);
            (analysis.payloads, analysis.diagnostics.len())
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
}

fn bench(c: &mut Criterion) {
    let Some(files) = recordings() else {
        eprintln!("no recordings: run `python3 scripts/gen-cassettes.py` first");
        return;
    };
    let settings = Settings::new(jiff::civil::date(2026, 12, 3));
    let bytes: u64 = files.iter().map(|f| f.2.len() as u64).sum();
    let (payloads, findings) = check_all(&files, &settings);
    eprintln!(
        "{} recordings, {:.1} MB: {payloads} payloads, {findings} findings",
        files.len(),
        bytes as f64 / 1e6
    );
    let mut group = c.benchmark_group("traffic-2000-recordings");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("check", |b| b.iter(|| check_all(&files, &settings)));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
