//! Only the crate's API is `pub` (ARCHITECTURE.md, "Public API"): `src/lib.rs` declares `pub`
//! exactly the modules listed here, and every other module private, except for what the fuzz
//! targets reach under `#[cfg(fuzzing)]`.

use std::path::Path;

/// The public modules: the checks, their settings and findings, the rule registry, token
/// counts, error explanations and the front ends; `bench_support` is hidden and not API.
const API: &[&str] = &[
    "analyze",
    "bench_support",
    "cli",
    "count",
    "explain_error",
    "fix",
    "lsp",
    "mcp",
    "rules",
    "settings",
];

/// The modules `lib` declares `pub` outside `#[cfg(fuzzing)]`.
fn public_modules(lib: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fuzzing_only = false;
    for line in lib.lines().map(str::trim) {
        if line == "#[cfg(fuzzing)]" {
            fuzzing_only = true;
            continue;
        }
        if line.starts_with("#[") {
            continue;
        }
        if let Some(rest) = line.strip_prefix("pub mod ") {
            let name = rest.trim_end_matches(['{', ';', ' ']);
            if !fuzzing_only {
                out.push(name.to_owned());
            }
        }
        fuzzing_only = false;
    }
    out
}

#[test]
fn only_the_api_modules_are_public() {
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    assert_eq!(public_modules(&lib), API);
}

#[test]
fn the_reader_skips_fuzzing_modules_and_private_ones() {
    let lib = "pub mod analyze;\nmod config;\n#[cfg(fuzzing)]\npub mod syntax;\n\
               #[cfg(not(fuzzing))]\nmod syntax;\n#[doc(hidden)]\npub mod bench_support;\n\
               #[cfg(fuzzing)]\npub mod fuzzing {\n}\npub(crate) mod words;\n";
    assert_eq!(public_modules(lib), ["analyze", "bench_support"]);
}
