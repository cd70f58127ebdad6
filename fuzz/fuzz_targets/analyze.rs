//! Every path from a file to findings: the first byte picks the file kind (JSON, JSON Lines,
//! YAML, Python, JavaScript, TypeScript, TSX, shell, Markdown, notebook), the rest is the file.
//! Never panics, and every range it reports lies inside the text on character boundaries.
#![no_main]

use claude_preflight::analyze::analyze_bytes;
use claude_preflight_fuzz::{assert_ranges, settings, split_kind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((kind, path, file)) = split_kind(data) else {
        return;
    };
    let (text, analysis) = analyze_bytes(file, kind, path, &settings());
    assert_ranges(&text, &analysis);
});
