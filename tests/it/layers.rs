//! The crate's layers point one way (ARCHITECTURE.md, "Layers"): a module may use its own
//! layer and the layers below it, never one above. This test reads every source file, drops
//! comments and test-only code, and reports each `crate::` (or `super::` out of a top-level
//! module) path that climbs.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The layers, lowest first. Modules in one layer may use each other.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "text: parsers, positions, edits, wording",
        &["syntax", "words", "small_file", "fix", "exit"],
    ),
    (
        "facts about the API and the bytes inside a payload",
        &["facts", "media", "sdk_pin"],
    ),
    (
        "payloads found in files, and their conversation view",
        &["extract"],
    ),
    ("token estimates", &["tokens"]),
    (
        "rules, and keeping their keys out of outputs",
        &["rules", "redact"],
    ),
    (
        "settings and the per-file jobs",
        &[
            "settings",
            "config",
            "suppress",
            "analyze",
            "count",
            "json_report",
            "explain_error",
        ],
    ),
    (
        "front ends, and the benches' door",
        &["cli", "lsp", "mcp", "bench_support"],
    ),
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS
        .iter()
        .position(|(_, modules)| modules.contains(&module))
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file below `src/` (`rules/tools/strict.rs` → rules, tools, strict;
/// `rules/mod.rs` → rules).
fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|last| last == "mod") {
        parts.pop();
    }
    parts
}

/// The directory that a file's child modules live in.
fn child_dir(file: &Path) -> PathBuf {
    if file.file_name().is_some_and(|n| n == "mod.rs") {
        file.parent().unwrap().to_path_buf()
    } else {
        file.with_extension("")
    }
}

/// The code of `text` that is compiled outside tests, line by line: comments dropped, each
/// inline `#[cfg(test)]` module cut up to its closing brace at column 0; and the files that
/// `#[cfg(test)] mod name;` declarations bring in only for tests.
fn production_lines(file: &Path, text: &str) -> (Vec<(usize, String)>, Vec<PathBuf>) {
    let lines: Vec<&str> = text.lines().collect();
    let mut kept = Vec::new();
    let mut test_files = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        if line == "#[cfg(test)]" {
            let next = lines.get(i + 1).map_or("", |l| l.trim());
            if let Some(declared) = next
                .trim_start_matches("pub(crate) ")
                .strip_prefix("mod ")
                .and_then(|rest| rest.strip_suffix(';'))
            {
                test_files.push(child_dir(file).join(format!("{declared}.rs")));
                i += 2;
                continue;
            }
            if next.ends_with('{') {
                i += 2;
                while i < lines.len() && lines[i] != "}" {
                    i += 1;
                }
                i += 1;
                continue;
            }
        }
        if !line.starts_with("//") {
            let code = lines[i].split(" // ").next().unwrap_or_default();
            kept.push((i + 1, code.to_owned()));
        }
        i += 1;
    }
    (kept, test_files)
}

/// The top-level modules a line names: `crate::x`, and `super::` chains that leave the
/// file's top-level module.
fn named_modules(line: &str, depth: usize) -> Vec<String> {
    let ident = |rest: &str| -> String {
        rest.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut found = Vec::new();
    for (at, _) in line.match_indices("crate::") {
        let before = line[..at].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue; // `my_crate::` or `$crate::`
        }
        if line[..at].ends_with('$') {
            continue;
        }
        found.push(ident(&line[at + "crate::".len()..]));
    }
    let mut rest = line;
    while let Some(at) = rest.find("super::") {
        let mut ups = 0;
        let mut tail = &rest[at..];
        while let Some(after) = tail.strip_prefix("super::") {
            ups += 1;
            tail = after;
        }
        if ups >= depth {
            found.push(ident(tail));
        }
        rest = tail;
    }
    found.retain(|m| !m.is_empty());
    found
}

#[test]
fn lower_layers_never_use_higher_ones() {
    let root = src();
    let mut all = Vec::new();
    files(&root, &mut all);
    all.sort();
    let mut test_only = BTreeSet::new();
    let mut sources = Vec::new();
    for file in &all {
        let text = std::fs::read_to_string(file).unwrap();
        let (lines, tests) = production_lines(file, &text);
        test_only.extend(tests);
        sources.push((file.clone(), lines));
    }
    let mut climbs = Vec::new();
    let mut unplaced = BTreeSet::new();
    for (file, lines) in &sources {
        let relative = file.strip_prefix(&root).unwrap();
        if test_only.contains(file) || ["lib.rs", "main.rs"].contains(&relative.to_str().unwrap()) {
            continue;
        }
        let path = module_path(relative);
        let Some(from) = layer_of(&path[0]) else {
            unplaced.insert(path[0].clone());
            continue;
        };
        for (number, line) in lines {
            for module in named_modules(line, path.len()) {
                match layer_of(&module) {
                    Some(to) if to > from => climbs.push(format!(
                        "src/{}:{number}: `{}` ({}) uses `{module}` ({})",
                        relative.display(),
                        path[0],
                        LAYERS[from].0,
                        LAYERS[to].0
                    )),
                    Some(_) => {}
                    None => {
                        unplaced.insert(module);
                    }
                }
            }
        }
    }
    assert!(
        unplaced.is_empty(),
        "modules missing from LAYERS: {unplaced:?}"
    );
    assert!(
        climbs.is_empty(),
        "a lower layer uses a higher one:\n{}",
        climbs.join("\n")
    );
}

#[test]
fn the_reader_sees_climbs_and_skips_tests_and_comments() {
    let file = Path::new("src/tokens/estimate.rs");
    let text = "//! Uses [`crate::analyze`] in a doc.\nuse crate::rules::x;\nuse super::super::cli;\n\
                #[cfg(test)]\nmod tests {\n    use crate::analyze::analyze;\n}\nfn after() { crate::lsp::run() } // crate::mcp\n";
    let (lines, tests) = production_lines(file, text);
    let named: Vec<(usize, Vec<String>)> = lines
        .iter()
        .map(|(n, l)| (*n, named_modules(l, 2)))
        .filter(|(_, m)| !m.is_empty())
        .collect();
    assert_eq!(
        named,
        [
            (2, vec!["rules".to_owned()]),
            (3, vec!["cli".to_owned()]),
            (8, vec!["lsp".to_owned()]),
        ]
    );
    assert!(tests.is_empty());
    let (_, tests) = production_lines(
        Path::new("src/rules/mod.rs"),
        "#[cfg(test)]\npub(crate) mod testing;\n",
    );
    assert_eq!(tests, [PathBuf::from("src/rules/testing.rs")]);
}
