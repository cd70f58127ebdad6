//! The README's example outputs are the binary's own, so the README cannot drift from the
//! tool: every fenced block whose first line is `$ claude-preflight check ...` or
//! `$ claude-preflight count ...` is run from the repository root (`check` with the date
//! pinned by `--today 2026-12-03`) and the block must equal the command and its output
//! (standard output, then standard error). `UPDATE_README=1 cargo test --test it readme::`
//! rewrites the blocks from the binary.

use std::path::Path;
use std::process::Command;

/// The day the README's examples are run on.
const TODAY: &str = "2026-12-03";

/// Runs one README command line (`$ claude-preflight ARGS`) and gives the block it should
/// show: the line itself, then what the binary printed.
fn run(line: &str) -> String {
    let args: Vec<&str> = line
        .strip_prefix("$ claude-preflight ")
        .unwrap()
        .split_whitespace()
        .collect();
    let mut command = Command::new(env!("CARGO_BIN_EXE_claude-preflight"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(&args)
        .env("NO_COLOR", "1");
    if args[0] == "check" {
        command.args(["--today", TODAY]);
    }
    let out = command.output().unwrap();
    let printed = String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap();
    // `count` ends each request with a blank line; a block ends at its last line.
    format!("{line}\n{}\n", printed.trim_end())
}

/// The README with every example block regenerated, and how many there are.
fn regenerated(readme: &str) -> (String, usize) {
    let mut out = String::new();
    let mut examples = 0;
    let mut lines = readme.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        out.push_str(line);
        let example = lines.peek().is_some_and(|next| {
            ["check", "count"]
                .iter()
                .any(|command| next.starts_with(&format!("$ claude-preflight {command} ")))
        });
        if !line.starts_with("```") || !example {
            continue;
        }
        examples += 1;
        let command = lines.next().unwrap().trim_end().to_owned();
        // Skip the old output up to the closing fence, which is kept.
        while lines.peek().is_some_and(|l| !l.starts_with("```")) {
            lines.next();
        }
        out.push_str(&run(&command));
    }
    (out, examples)
}

#[test]
fn the_readme_examples_are_what_the_binary_prints() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (expected, examples) = regenerated(&readme);
    assert!(
        examples >= 4,
        "the README's examples were not found ({examples})"
    );
    if std::env::var_os("UPDATE_README").is_some() {
        std::fs::write(&path, &expected).unwrap();
        return;
    }
    pretty_assertions::assert_eq!(
        readme,
        expected,
        "README.md shows output the binary does not print: run `UPDATE_README=1 cargo test --test it readme::`"
    );
}
