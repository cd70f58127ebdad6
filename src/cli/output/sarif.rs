//! `--format sarif`: a SARIF 2.1.0 log, for code-scanning uploads (GitHub, Azure DevOps, IDE
//! viewers).
//!
//! One run; the driver lists every rule (so `ruleIndex` is stable across runs), each result
//! points at a file relative to `%SRCROOT%` and carries its fix as replacements. The run sets
//! `columnKind: unicodeCodePoints`: SARIF's default unit is UTF-16 code units, ours are
//! characters, and with that declared the columns are exact as they are.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{FileReport, Report};
use crate::fix::RenderedFix;
use crate::rules::registry::DOCS_URL;
use crate::rules::{self, Rule, Severity};
use crate::syntax::TextRange;

/// Where the log says the schema lives (the OASIS standard's own address).
const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The base every relative artifact URI is resolved against: the directory `check` ran in.
const SRCROOT: &str = "%SRCROOT%";

/// Writes the log as one JSON document.
pub(crate) fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let rules: Vec<&'static Rule> = rules::all().collect();
    let results: Vec<Value> = report
        .files
        .iter()
        .flat_map(|file| file.diagnostics.iter().map(move |d| (file, d)))
        .map(|(file, d)| {
            let location = artifact_location(&file.path);
            let mut result = json!({
                "ruleId": d.rule.code,
                "level": level(d.severity),
                "message": {"text": d.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": location,
                        "region": region(file, d.range),
                    },
                }],
            });
            if let Some(index) = rules.iter().position(|r| *r == d.rule) {
                result["ruleIndex"] = json!(index);
            }
            if let Some(fix) = &d.fix {
                result["fixes"] = json!([sarif_fix(file, fix)]);
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": env!("CARGO_PKG_NAME"),
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": home_page(),
                    "rules": rules.iter().map(|r| descriptor(r)).collect::<Vec<_>>(),
                },
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// The project's home page: the repository the rule pages live in.
fn home_page() -> &'static str {
    DOCS_URL
        .split_once("/blob/")
        .map_or(DOCS_URL, |(repo, _)| repo)
}

/// A rule as a SARIF `reportingDescriptor`.
fn descriptor(rule: &Rule) -> Value {
    let markdown = rule.markdown();
    let summary = rule.summary();
    let what = section(&markdown, "## What it does").unwrap_or(&summary);
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": what, "markdown": what},
        "help": {"text": markdown, "markdown": markdown},
        "helpUri": rule.url(),
        "defaultConfiguration": {"level": level(rule.severity)},
        "properties": {"tags": [rule.family], "fix": rule.fix.as_str()},
    })
}

/// The body of the Markdown section headed `heading`, up to the next `## ` heading.
fn section<'m>(markdown: &'m str, heading: &str) -> Option<&'m str> {
    let start = markdown.find(heading)? + heading.len();
    let body = &markdown[start..];
    let end = body.find("\n## ").unwrap_or(body.len());
    Some(body[..end].trim()).filter(|s| !s.is_empty())
}

/// SARIF has no `info` or `hint`: both are `note`.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// A 1-based region; `endColumn` is the column after the range's last character.
fn region(file: &FileReport, range: TextRange) -> Value {
    let (start, end) = file.span(range);
    json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
    })
}

/// A fix as one artifact change of replacements (an empty insertion is a deletion).
fn sarif_fix(file: &FileReport, fix: &RenderedFix) -> Value {
    let replacements: Vec<Value> = fix
        .edits
        .iter()
        .map(|edit| {
            let mut replacement = json!({"deletedRegion": region(file, edit.range)});
            if !edit.new_text.is_empty() {
                replacement["insertedContent"] = json!({"text": edit.new_text});
            }
            replacement
        })
        .collect();
    json!({
        "description": {"text": format!("{} ({} fix)", fix.title, fix.applicability.as_str())},
        "artifactChanges": [{
            "artifactLocation": artifact_location(&file.path),
            "replacements": replacements,
        }],
        "properties": {"applicability": fix.applicability.as_str()},
    })
}

/// The file as an `artifactLocation`: a relative path becomes a URI reference (forward
/// slashes, percent-encoded) against `%SRCROOT%`; an absolute one a `file:` URI.
fn artifact_location(path: &str) -> Value {
    let path = path.replace(std::path::MAIN_SEPARATOR, "/");
    let mut relative = path.as_str();
    while let Some(rest) = relative.strip_prefix("./") {
        relative = rest;
    }
    let has_drive =
        matches!(relative.as_bytes(), [letter, b':', b'/', ..] if letter.is_ascii_alphabetic());
    if relative.starts_with('/') || has_drive {
        let slash = if has_drive { "/" } else { "" };
        json!({"uri": format!("file://{slash}{}", percent_encode(relative, true))})
    } else {
        json!({"uri": percent_encode(relative, false), "uriBaseId": SRCROOT})
    }
}

/// Percent-encodes every byte a URI path may not hold as is. `:` is encoded too unless
/// `keep_colon` (in a relative reference it would read as a scheme).
fn percent_encode(path: &str, keep_colon: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for &byte in path.as_bytes() {
        let plain = byte.is_ascii_alphanumeric()
            || b"-._~/!$&'()*+,;=@".contains(&byte)
            || (keep_colon && byte == b':');
        if plain {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            artifact_location("./requests/a b#1.json"),
            json!({"uri": "requests/a%20b%231.json", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            artifact_location("x:y/é.json"),
            json!({"uri": "x%3Ay/%C3%A9.json", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            artifact_location("/srv/app/req.json"),
            json!({"uri": "file:///srv/app/req.json"})
        );
    }

    #[test]
    fn sections_are_cut_at_the_next_heading() {
        let md = "## What it does\nFinds a thing.\n\nTwice.\n## Why\nBecause.";
        assert_eq!(
            section(md, "## What it does"),
            Some("Finds a thing.\n\nTwice.")
        );
        assert_eq!(section(md, "## Why"), Some("Because."));
        assert_eq!(section(md, "## Fix"), None);
    }
}
