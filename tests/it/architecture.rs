//! ARCHITECTURE.md's code map names every file it must (every `.rs` file under `src/`, every
//! file under `data/` and `schemas/`, every top-level directory) and no path that is gone.
//!
//! The naming rule, as the code map states it: a file is named by its path from the
//! repository root in backticks anywhere in the document, or, inside a `###` section whose
//! heading names a directory in backticks (`` ### `src/cli/` ``), by its path relative to
//! that directory in backticks (`` `output/human.rs` ``). A top-level directory is named by
//! `` `name/` ``. Every "invariant N" the sources and the README cite is written out there.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What a backticked word ends with when it names a file.
const FILE_EXTENSIONS: &[&str] = &[
    "rs", "toml", "json", "md", "py", "sh", "lua", "el", "yml", "yaml", "ts", "js", "lock",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One `###` section of the document: the directory its heading names (if any) and the
/// backticked words of the heading and body.
struct Section {
    dir: Option<String>,
    words: Vec<String>,
    in_code_map: bool,
}

/// The words written between single backticks on a line.
fn backticked(line: &str) -> impl Iterator<Item = &str> {
    line.split('`').skip(1).step_by(2).filter(|w| !w.is_empty())
}

fn sections(doc: &str) -> Vec<Section> {
    let mut out = vec![Section {
        dir: None,
        words: Vec::new(),
        in_code_map: false,
    }];
    let mut in_code_map = false;
    let mut in_fence = false;
    for line in doc.lines() {
        if line.starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        if let Some(title) = line.strip_prefix("## ") {
            in_code_map = title.trim() == "Code map";
            out.push(Section {
                dir: None,
                words: Vec::new(),
                in_code_map,
            });
        } else if line.starts_with("### ") {
            let dir = backticked(line)
                .find(|w| w.ends_with('/'))
                .map(str::to_owned);
            out.push(Section {
                dir,
                words: Vec::new(),
                in_code_map,
            });
        }
        let section = out.last_mut().unwrap();
        section.words.extend(backticked(line).map(str::to_owned));
    }
    out
}

/// Whether `path` (relative to the root, `/`-separated) is named under the naming rule.
fn is_named(path: &str, sections: &[Section]) -> bool {
    sections.iter().any(|s| {
        s.words.iter().any(|w| w == path)
            || s.dir.as_deref().is_some_and(|dir| {
                path.strip_prefix(dir)
                    .is_some_and(|rest| s.words.iter().any(|w| w == rest))
            })
    })
}

/// Every file under `dir`, relative to the root.
fn files(dir: &Path, out: &mut Vec<String>, keep: &dyn Fn(&Path) -> bool) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out, keep);
        } else if keep(&path) {
            let relative = path.strip_prefix(root()).unwrap();
            out.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// The top-level directories of the repository, without `.git` and the directories
/// `.gitignore` names from the root (`/target`): what a checkout holds.
fn top_level_dirs() -> Vec<String> {
    let ignore = std::fs::read_to_string(root().join(".gitignore")).unwrap_or_default();
    let ignored: BTreeSet<&str> = ignore
        .lines()
        .filter_map(|l| l.trim().strip_prefix('/'))
        .filter(|l| !l.trim_end_matches('/').contains('/'))
        .map(|l| l.trim_end_matches('/'))
        .collect();
    let mut dirs: Vec<String> = std::fs::read_dir(root())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .filter(|name| name != ".git" && !ignored.contains(name.as_str()))
        .map(|name| format!("{name}/"))
        .collect();
    dirs.sort();
    dirs
}

/// The paths the document must name.
fn required() -> Vec<String> {
    let mut out = Vec::new();
    files(&root().join("src"), &mut out, &|p| {
        p.extension().is_some_and(|e| e == "rs")
    });
    for dir in ["data", "schemas"] {
        files(&root().join(dir), &mut out, &|_| true);
    }
    out.extend(top_level_dirs());
    out.sort();
    out
}

fn missing(doc: &str) -> Vec<String> {
    let sections = sections(doc);
    required()
        .into_iter()
        .filter(|path| !is_named(path, &sections))
        .collect()
}

/// Whether a backticked word reads as a path: no spaces or patterns, and a directory (a
/// trailing `/`) or a file with a known extension; a bare file name only inside a directory's
/// section, where it is relative to that directory.
fn looks_like_path(word: &str, in_dir_section: bool) -> bool {
    if word.starts_with(['/', '.', '-'])
        || word.contains(|c: char| c.is_whitespace() || "<>*{}()[]:=,\"'$".contains(c))
    {
        return false;
    }
    let has_extension = word
        .rsplit_once('.')
        .is_some_and(|(_, ext)| FILE_EXTENSIONS.contains(&ext));
    word.ends_with('/') || (has_extension && (in_dir_section || word.contains('/')))
}

/// Paths the code map names in backticks that exist neither from the root nor from their
/// section's directory.
fn stale(doc: &str) -> Vec<String> {
    let mut out = BTreeSet::new();
    for section in sections(doc).iter().filter(|s| s.in_code_map) {
        for word in &section.words {
            if !looks_like_path(word, section.dir.is_some()) {
                continue;
            }
            let exists = |base: &Path| base.join(word.trim_end_matches('/')).exists();
            let found = exists(&root())
                || section
                    .dir
                    .as_deref()
                    .is_some_and(|d| exists(&root().join(d)));
            if !found {
                out.insert(match &section.dir {
                    Some(dir) if !word.contains('/') => format!("{word} (in the section of {dir})"),
                    _ => word.clone(),
                });
            }
        }
    }
    out.into_iter().collect()
}

fn document() -> String {
    std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap()
}

/// Fails listing `found`, one per line, after `what`.
fn assert_none(found: &[String], what: &str) {
    assert!(found.is_empty(), "{what}:\n  {}", found.join("\n  "));
}

#[test]
fn the_code_map_names_every_file() {
    assert_none(
        &missing(&document()),
        "ARCHITECTURE.md does not name these paths (see the naming rule at the top of its code map)",
    );
}

#[test]
fn the_code_map_names_no_stale_path() {
    assert_none(
        &stale(&document()),
        "ARCHITECTURE.md's code map names paths that do not exist",
    );
}

#[test]
fn the_rule_reads_sections_and_full_paths() {
    let doc = "## Code map\n\n### `src/cli/`\n\n- `output/human.rs`: text.\n- `gone.rs`\n\n\
               ### Other\n\n- `check.rs` and `src/cli/mod.rs`, `tests/nowhere/`\n";
    let sections = sections(doc);
    assert!(is_named("src/cli/output/human.rs", &sections));
    assert!(is_named("src/cli/mod.rs", &sections));
    // A bare file name outside its directory's section names nothing.
    assert!(!is_named("src/cli/check.rs", &sections));
    assert_eq!(
        stale(doc),
        ["gone.rs (in the section of src/cli/)", "tests/nowhere/"]
    );
}

/// The invariant numbers cited as "invariant N" in `text`.
fn cited_invariants(text: &str) -> Vec<u32> {
    let lower = text.to_lowercase();
    lower
        .match_indices("invariant ")
        .filter_map(|(at, word)| {
            let digits: String = lower[at + word.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse().ok()
        })
        .collect()
}

#[test]
fn every_cited_invariant_is_written_out() {
    let doc = document();
    let mut texts = Vec::new();
    files(&root().join("src"), &mut texts, &|p| {
        p.extension().is_some_and(|e| e == "rs")
    });
    texts.push("README.md".to_owned());
    let mut unknown = BTreeSet::new();
    for path in texts {
        let text = std::fs::read_to_string(root().join(&path)).unwrap();
        for n in cited_invariants(&text) {
            if !doc.contains(&format!("**Invariant {n}:")) {
                unknown.insert(format!("{path}: invariant {n}"));
            }
        }
    }
    let unknown: Vec<String> = unknown.into_iter().collect();
    assert_none(
        &unknown,
        "cited invariants ARCHITECTURE.md does not write out as `**Invariant N: ...**`",
    );
    assert_eq!(cited_invariants("see Invariant 12, and invariant x"), [12]);
}
