//! The estimator on large conversations (design "Performance targets": a 1M-token
//! conversation in under 100 ms, a one-message edit re-estimated in under 5 ms).
//!
//! The trees are built before timing: this measures the estimate, not the JSON parser.
//! "cold" starts from an empty cache (every text is counted with the BPE); "edit" starts
//! from a cache warmed on the same conversation with one message's text changed.

use claude_preflight::bench_support::{Cache, Model, Tree};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

/// Deterministic prose: words drawn from a small vocabulary by a linear congruential
/// generator, with punctuation and line breaks, about 4.5 bytes per o200k token.
fn prose(seed: u64, words: usize) -> String {
    const VOCABULARY: &[&str] = &[
        "the",
        "request",
        "model",
        "returns",
        "a",
        "response",
        "with",
        "tokens",
        "window",
        "context",
        "message",
        "assistant",
        "user",
        "tool",
        "result",
        "error",
        "function",
        "value",
        "string",
        "number",
        "configuration",
        "server",
        "client",
        "because",
        "when",
        "which",
        "their",
        "would",
        "should",
        "example",
        "output",
        "input",
        "image",
        "document",
        "system",
        "prompt",
        "cache",
        "estimate",
        "limit",
        "version",
    ];
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut out = String::with_capacity(words * 7);
    for i in 0..words {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let word = VOCABULARY[(state >> 33) as usize % VOCABULARY.len()];
        out.push_str(word);
        out.push(match i % 17 {
            16 => '\n',
            7 | 13 => ',',
            _ => ' ',
        });
        if i % 11 == 10 {
            out.push_str("42 ");
        }
    }
    out
}

fn png_base64(w: u32, h: u32, padding: usize) -> String {
    use base64::Engine;
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.extend_from_slice(&w.to_be_bytes());
    bytes.extend_from_slice(&h.to_be_bytes());
    bytes.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    bytes.resize(bytes.len() + padding, 0);
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A conversation of `messages` turns of `words` words each; with `images`, the user turns
/// carry that many screenshots between them (75 KB of base64 each).
fn conversation(messages: usize, words: usize, images: usize, edited: Option<usize>) -> Tree {
    let mut body = String::from(r#"{"model": "claude-opus-5", "max_tokens": 4096, "messages": ["#);
    let image = format!(
        r#"{{"type": "image", "source": {{"type": "base64", "media_type": "image/png", "data": "{}"}}}}"#,
        png_base64(1920, 1080, 56_000)
    );
    let user_turns = messages.div_ceil(2);
    for i in 0..messages {
        let role = if i % 2 == 0 { "user" } else { "assistant" };
        let seed = if edited == Some(i) {
            1_000_000 + i as u64
        } else {
            i as u64
        };
        let text = serde_json::to_string(&prose(seed, words)).unwrap();
        let mut blocks = vec![format!(r#"{{"type": "text", "text": {text}}}"#)];
        if role == "user" {
            let here = images / user_turns + usize::from(i / 2 < images % user_turns);
            blocks.extend(std::iter::repeat_n(image.clone(), here));
        }
        if i > 0 {
            body.push(',');
        }
        body.push_str(&format!(
            r#"{{"role": "{role}", "content": [{}]}}"#,
            blocks.join(",")
        ));
    }
    body.push_str("]}");
    Tree::parse_json(&body).expect("a valid body")
}

fn bench(c: &mut Criterion) {
    let profile = Model::builtin("claude-opus-5");
    let mut group = c.benchmark_group("estimate");
    group.sample_size(10);
    for (name, images) in [("1M-tokens-text", 0), ("1M-tokens-100-images", 100)] {
        // 300 messages of ~1,650 words: ~640,000 o200k tokens, ~1,000,000 on Opus 5's tokenizer
        // (the 100 images add ~270,000 more).
        let tree = conversation(300, 1650, images, None);
        let edited = conversation(300, 1650, images, Some(150));
        let mut warm = Cache::default();
        let full = warm.estimate(&tree, &profile);
        eprintln!(
            "{name}: ~{} tokens ({}-{}), {} text bytes, {} images",
            full.input().mid,
            full.input().low,
            full.input().high,
            full.text_bytes,
            full.images
        );
        group.bench_function(format!("{name}/cold"), |b| {
            b.iter(|| Cache::default().estimate(&tree, &profile).input().mid)
        });
        group.bench_function(format!("{name}/edit-one-message"), |b| {
            b.iter_batched(
                || warm.clone(),
                |mut cache| cache.estimate(&edited, &profile).input().mid,
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
