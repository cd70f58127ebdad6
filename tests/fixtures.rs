//! Fixture tests for every rule: `tests/fixtures/<rule-name>/*`.
//!
//! Each fixture is analysed with every rule on and the date fixed at 2026-11-25, and the result
//! is compared with its snapshot: every finding's code, name, exact range and message, and each
//! fix's title, applicability and the lines it changes. A fixture named `ok-*` is a clean
//! near-miss and must give no finding at all; any other fixture must give at least one finding
//! of the rule its directory is named after. A `<fixture>.toml` beside a fixture sets
//! `api_version`, `model` and `kind` for it.

use std::fmt::Write;
use std::path::Path;

use claude_preflight::analyze::analyze;
use claude_preflight::extract::PayloadKind;
use claude_preflight::extract::files::FileKind;
use claude_preflight::facts::api::ApiVersion;
use claude_preflight::fix::apply::preview;
use claude_preflight::settings::Settings;
use claude_preflight::syntax::{ColumnUnit, LineIndex};

fn settings_for(path: &Path) -> Settings {
    let mut settings = Settings::new(jiff::civil::date(2026, 11, 25));
    let side = path.with_extension(format!(
        "{}.toml",
        path.extension().unwrap().to_str().unwrap()
    ));
    if let Ok(text) = std::fs::read_to_string(&side) {
        let table: toml::Table = toml::from_str(&text).expect("fixture settings parse");
        if let Some(v) = table.get("api_version").and_then(|v| v.as_str()) {
            settings.options.api_version = ApiVersion::parse(v).expect("known API version");
        }
        if let Some(m) = table.get("model").and_then(|v| v.as_str()) {
            settings.options.default_model = Some(m.to_owned());
        }
        if let Some(k) = table.get("kind").and_then(|v| v.as_str()) {
            settings.declared_kind = Some(match k {
                "messages" => PayloadKind::Messages,
                "count_tokens" => PayloadKind::CountTokens,
                other => panic!("unknown kind {other}"),
            });
        }
    }
    settings
}

/// Renders an analysis the way the snapshots hold it.
fn render(text: &str, path: &Path) -> (String, Vec<&'static str>) {
    let kind = FileKind::from_path(path).expect("fixture extension");
    let analysis = analyze(text, kind, &path.display().to_string(), &settings_for(path));
    let index = LineIndex::new(text);
    let at = |offset: u32| {
        let p = index.position(text, offset as usize, ColumnUnit::Char);
        format!("{}:{}", p.line + 1, p.column + 1)
    };
    let mut out = String::new();
    for d in &analysis.diagnostics {
        writeln!(
            out,
            "{} {} {} {}-{}: {}",
            d.rule.code,
            d.rule.name,
            d.severity,
            at(d.range.start),
            at(d.range.end),
            d.message
        )
        .unwrap();
        if let Some(fix) = &d.fix {
            writeln!(out, "  fix ({}): {}", fix.applicability.as_str(), fix.title).unwrap();
            let p = preview(text, fix);
            for (i, line) in p.before.iter().enumerate() {
                writeln!(out, "  - {:>3} | {line}", p.first_line + i).unwrap();
            }
            for (i, line) in p.after.iter().enumerate() {
                writeln!(out, "  + {:>3} | {line}", p.first_line + i).unwrap();
            }
        }
    }
    if analysis.diagnostics.is_empty() {
        out.push_str("(no findings)\n");
    }
    (
        out,
        analysis.diagnostics.iter().map(|d| d.rule.name).collect(),
    )
}

#[test]
fn rule_fixtures() {
    insta::glob!(
        "fixtures/*/*.{json,jsonc,jsonl,yaml,yml,py,js,mjs,cjs,ts,tsx,sh,md,ipynb}",
        |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (rendered, names) = render(&text, path);
            let file = path.file_name().unwrap().to_str().unwrap();
            let rule = path
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_str()
                .unwrap();
            if file.starts_with("ok-") {
                assert!(
                    names.is_empty(),
                    "{rule}/{file} is a clean near-miss but got:\n{rendered}"
                );
            } else {
                assert!(
                    names.contains(&rule),
                    "{rule}/{file} must give a `{rule}` finding, got:\n{rendered}"
                );
            }
            insta::assert_snapshot!(rendered);
        }
    );
}
