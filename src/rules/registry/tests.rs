//! The rules' pages name `data/api.toml`'s versions and limits through placeholders, never
//! through copies that a changed limit would leave behind.

use std::path::{Path, PathBuf};

use crate::facts::api;
use crate::rules;
use crate::words::thousands;

#[test]
fn every_placeholder_in_the_docs_names_the_table() {
    let mut with_placeholders = 0;
    for rule in rules::all() {
        with_placeholders += usize::from(rule.docs.contains("{api."));
        let page = rule.markdown();
        assert!(!page.contains("{api."), "{}: {page}", rule.name);
    }
    assert!(with_placeholders >= 10, "{with_placeholders}");
    let page = rules::find("too-many-messages").unwrap().markdown();
    assert!(
        page.contains("at most 100,000 messages per request"),
        "{page}"
    );
    let page = rules::find("invalid-custom-id").unwrap().markdown();
    assert!(page.contains("'^[a-zA-Z0-9_-]{1,64}$'"), "{page}");
}

/// What no rule source may spell out: every version and body version the table knows, and
/// its limits in the forms prose writes them.
fn copies() -> Vec<String> {
    let t = api::limits();
    let p = &t.platform;
    let mut out: Vec<String> = api::versions().iter().map(|v| v.name.clone()).collect();
    out.extend(
        [&p.bedrock, &p.vertex]
            .iter()
            .filter_map(|p| p.body_version.clone()),
    );
    for mb in [
        p.first_party.max_body_mb,
        p.bedrock.max_body_mb,
        p.vertex.max_body_mb,
        t.batches.max_body_mb,
        p.first_party.max_image_mb,
        p.bedrock.max_image_mb,
        p.vertex.max_image_mb,
    ] {
        out.push(format!("{mb} MB"));
    }
    for px in [t.images.max_side_px, t.images.max_side_px_many] {
        out.push(format!("{px} px"));
    }
    out.push(format!("{} images", t.images.max_per_request));
    out.push(format!("{} pages", t.pdfs.max_pages));
    out.push(format!("{} strict tools", t.tools.max_strict));
    for n in [t.messages.max_messages, t.batches.max_requests] {
        out.extend([thousands(n as u64), n.to_string()]);
    }
    for n in [
        t.batches.max_custom_id_chars,
        t.messages.max_user_id_chars,
        t.tools.sure_name_chars,
        t.tools.max_name_chars,
    ] {
        out.push(format!("{n} characters"));
    }
    out.push(format!("{} skills", t.messages.max_skills));
    out.push(format!("{} servers", t.messages.max_mcp_servers));
    out.push(format!(
        "{} tokens",
        thousands(t.thinking.min_budget_tokens)
    ));
    out.push(t.sampling.min_top_p_default_only.to_string());
    out.push(t.sampling.min_top_p_thinking.to_string());
    out
}

/// Where `needle` stands alone in `line` (not inside a longer number or name).
fn stands_alone(line: &str, needle: &str) -> bool {
    let part = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == ',';
    line.match_indices(needle)
        .any(|(at, _)| !line[..at].ends_with(part) && !line[at + needle.len()..].starts_with(part))
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_api_version_or_limit_is_copied_into_the_rules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let mut files = Vec::new();
    sources(&root, &mut files);
    let copies = copies();
    let mut found = Vec::new();
    for file in files {
        let name = file
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if name.ends_with("tests.rs") || name == "testing.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        // Tests pin their own values.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (i, line) in code.lines().enumerate() {
            for copy in copies.iter().filter(|c| stands_alone(line, c)) {
                found.push(format!(
                    "src/rules/{name}:{}: `{copy}` in {}",
                    i + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(
        found.is_empty(),
        "write a placeholder or read `facts::api`:\n{}",
        found.join("\n")
    );
    assert!(stands_alone("at most 100,000 messages", "100,000"));
    assert!(!stands_alone("`bedrock-2023-06-01`", "2023-06-01"));
    assert!(!stands_alone("1,100,000", "100,000"));
}
