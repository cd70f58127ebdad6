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

/// The examples of the README's "What is read": each fence named `LANGUAGE FILE` is read as
/// a file of that name would be. Before "**Silent" each holds a request and gives no error or
/// warning but syntax errors (the half-typed example's); after it, none holds a request and
/// none gives a finding.
#[test]
fn every_shape_the_readme_lists_is_read() {
    use claude_preflight::FileKind;
    use claude_preflight::analyze::analyze;
    use claude_preflight::rules::Severity;

    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme.find("\n## What is read\n").expect("the section");
    let section = &readme[start + 1..];
    let section = &section[..section[1..].find("\n## ").map_or(section.len(), |i| i + 1)];
    let settings = claude_preflight::settings::Settings::new(jiff::civil::date(2026, 12, 3));
    let (mut examples, mut silent) = (0, false);
    let mut lines = section.lines();
    while let Some(line) = lines.next() {
        silent |= line.starts_with("**Silent");
        let fence: String = line.chars().take_while(|&c| c == '`').collect();
        let Some((_, name)) = line[fence.len()..]
            .split_once(' ')
            .filter(|_| fence.len() >= 3)
        else {
            continue;
        };
        let text: String = lines
            .by_ref()
            .take_while(|l| *l != fence)
            .map(|l| format!("{l}\n"))
            .collect();
        let kind = FileKind::from_path(Path::new(name)).expect(name);
        let analysis = analyze(&text, kind, name, &settings);
        let serious: Vec<&str> = analysis
            .diagnostics
            .iter()
            .filter(|d| matches!(d.severity, Severity::Error | Severity::Warning))
            .map(|d| d.rule.name)
            .filter(|&rule| rule != "syntax-error")
            .collect();
        if silent {
            assert_eq!(
                (analysis.payloads, analysis.diagnostics.len()),
                (0, 0),
                "{name}"
            );
        } else {
            assert!(analysis.payloads > 0, "{name}: no request found");
            assert_eq!(serious, Vec::<&str>::new(), "{name}");
        }
        examples += 1;
    }
    assert!(examples >= 30, "{examples} examples");
    assert!(silent, "the silent examples");
}
