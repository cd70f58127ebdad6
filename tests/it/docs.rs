//! `docs/rules/` is generated from the rules' doc comments; this test keeps it current.
//! `UPDATE_DOCS=1 cargo test --test it docs::` rewrites it.

use std::path::Path;

use claude_preflight::rules::{self, docs};

#[test]
fn rule_pages_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let mut expected = vec![("README.md".to_owned(), docs::index(rules::all()))];
    expected.extend(rules::all().map(|r| (format!("{}.md", r.name), docs::page(r))));
    if std::env::var_os("UPDATE_DOCS").is_some() {
        if dir.exists() {
            std::fs::remove_dir_all(&dir).unwrap();
        }
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in &expected {
            std::fs::write(dir.join(name), text).unwrap();
        }
    }
    let mut stale = Vec::new();
    for (name, text) in &expected {
        if std::fs::read_to_string(dir.join(name)).ok().as_deref() != Some(text.as_str()) {
            stale.push(name.clone());
        }
    }
    let on_disk = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
    assert!(
        stale.is_empty() && on_disk == expected.len(),
        "docs/rules is stale ({stale:?}; {on_disk} files on disk, {} expected): run `UPDATE_DOCS=1 cargo test --test it docs::`",
        expected.len()
    );
}

#[test]
fn the_rule_command_prints_the_page() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_claude-preflight"))
        .args(["rule", "O101"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rule = rules::find("openai-parameter").unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), docs::page(rule));
}
