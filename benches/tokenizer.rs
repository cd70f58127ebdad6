//! tiktoken-rs against bpe-openai: the same o200k counts, which one is faster?
//!
//! The estimator needs one thing from a tokenizer: the number of o200k tokens in a text. Both
//! crates bundle the o200k_base ranks in the crate itself (no download at run time). The corpus
//! is this repository's own text (Rust sources, Markdown rule pages, the TOML model table),
//! a multilingual sample, and a pathological megabyte of one repeated character, which makes
//! naive BPE merging quadratic. The setup asserts that both crates give the same count for
//! every input before anything is timed. The numbers are recorded in README.md ("Token
//! estimates").

use std::path::Path;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

/// Every text file under `dir` with one of `extensions`, concatenated in path order.
fn read_tree(dir: &Path, extensions: &[&str], out: &mut String) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            read_tree(&path, extensions, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| extensions.contains(&e))
            && let Ok(text) = std::fs::read_to_string(&path)
        {
            out.push_str(&text);
        }
    }
}

fn corpora() -> Vec<(&'static str, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut code = String::new();
    read_tree(&root.join("src"), &["rs"], &mut code);
    let mut prose = String::new();
    read_tree(&root.join("docs"), &["md"], &mut prose);
    read_tree(root, &["md"], &mut prose);
    read_tree(&root.join("data"), &["toml"], &mut prose);
    let multilingual = "Ceci est une phrase en français. これは日本語の文です。 Это предложение на русском языке. هذه جملة باللغة العربية. 这是一个中文句子。 "
        .repeat(2000);
    vec![
        ("rust-sources", code),
        ("markdown-and-toml", prose),
        ("multilingual", multilingual),
        ("1MB-of-one-character", "a".repeat(1 << 20)),
    ]
}

fn bench(c: &mut Criterion) {
    let tiktoken = tiktoken_rs::o200k_base().expect("tiktoken-rs bundles o200k_base");
    let bpe = bpe_openai::o200k_base();
    let mut group = c.benchmark_group("o200k-count");
    group.sample_size(10);
    for (name, text) in corpora() {
        let expected = tiktoken.encode_ordinary(&text).len();
        assert_eq!(bpe.count(text.as_str()), expected, "{name}: counts differ");
        eprintln!("{name}: {} bytes, {expected} o200k tokens", text.len());
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::new("tiktoken-rs", name), &text, |b, t| {
            b.iter(|| tiktoken.encode_ordinary(t).len())
        });
        group.bench_with_input(BenchmarkId::new("bpe-openai", name), &text, |b, t| {
            b.iter(|| bpe.count(t.as_str()))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
