//! Fixture tests for every rule: `tests/fixtures/<rule-name>/*`, one test per rule
//! (`cargo test fixture_openai_parameter` runs one rule's fixtures).
//!
//! Each fixture is analysed with every rule on and the date fixed at 2026-11-25, and the result
//! is compared with its snapshot: every finding's code, name, exact range and message, and each
//! fix's title, applicability and the lines it changes, then the finding as `check` draws it
//! (the code frame). A fixture named `ok-*` is a clean near-miss and must give no finding at
//! all; any other fixture must give at least one finding of the rule its directory is named
//! after. A `<fixture>.toml` beside a fixture sets `api_version`, `model` and `kind` for it.

use std::fmt::Write;
use std::path::Path;

use claude_preflight::FileKind;
use claude_preflight::analyze::{Diagnostic, analyze};
use claude_preflight::cli::output::{self, FileReport, Format, Report};
use claude_preflight::fix::apply::preview;
use claude_preflight::settings::{DeclaredKind, Settings};
use claude_preflight::{ColumnUnit, LineIndex};

fn settings_for(path: &Path) -> Settings {
    let mut settings = Settings::new(jiff::civil::date(2026, 11, 25));
    let side = path.with_extension(format!(
        "{}.toml",
        path.extension().unwrap().to_str().unwrap()
    ));
    if let Ok(text) = std::fs::read_to_string(&side) {
        let table: toml::Table = toml::from_str(&text).expect("fixture settings parse");
        if let Some(v) = table.get("api_version").and_then(|v| v.as_str()) {
            settings = settings.with_api_version(v).expect("known API version");
        }
        if let Some(m) = table.get("model").and_then(|v| v.as_str()) {
            settings = settings.with_default_model(m);
        }
        if let Some(k) = table.get("kind").and_then(|v| v.as_str()) {
            settings = settings.with_declared_kind(match k {
                "messages" => DeclaredKind::Messages,
                "count_tokens" => DeclaredKind::CountTokens,
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
        out.push_str(&frame(text, path, d));
    }
    if analysis.diagnostics.is_empty() {
        out.push_str("(no findings)\n");
    }
    (
        out,
        analysis.diagnostics.iter().map(|d| d.rule.name).collect(),
    )
}

/// `d` as `check` draws it: the header, the code frame with the range underlined, the fix.
fn frame(text: &str, path: &Path, d: &Diagnostic) -> String {
    let report = Report {
        files: vec![FileReport {
            path: path
                .strip_prefix(env!("CARGO_MANIFEST_DIR"))
                .unwrap_or(path)
                .display()
                .to_string(),
            text: text.to_owned(),
            index: LineIndex::new(text),
            diagnostics: vec![d.clone()],
        }],
        quiet: true,
        ..Report::default()
    };
    let mut out = Vec::new();
    output::write(Format::Human, &report, &mut out, false).expect("writing to a Vec");
    String::from_utf8(out).expect("UTF-8 output")
}

/// The host extensions a fixture can have (its settings sidecar is `.toml`).
const EXTENSIONS: &[&str] = &[
    "json", "jsonc", "jsonl", "yaml", "yml", "py", "js", "mjs", "cjs", "ts", "tsx", "sh", "md",
    "ipynb",
];

/// Checks every fixture of `tests/fixtures/<rule>` against its snapshot.
fn check_rule(rule: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rule);
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| EXTENSIONS.contains(&e))
        })
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "{rule} has no fixtures");
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let (rendered, names) = render(&text, &path);
        let file = path.file_name().unwrap().to_str().unwrap();
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
        insta::with_settings!({input_file => &path, prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!(format!("{rule}__{file}"), rendered);
        });
    }
}

/// One `#[test]` per rule directory, named `fixture_<rule with underscores>`.
macro_rules! fixtures {
    ($($test:ident),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                let rule = stringify!($test).strip_prefix("fixture_").unwrap().replace('_', "-");
                check_rule(&rule);
            }
        )*

        /// The rule directories the tests above cover.
        const COVERED: &[&str] = &[$(stringify!($test)),*];
    };
}

fixtures! {
    fixture_api_key_in_payload,
    fixture_assistant_document,
    fixture_beta_tool_type,
    fixture_block_not_allowed,
    fixture_cache_control_on_empty_text,
    fixture_cache_prefix_too_short,
    fixture_cache_ttl_order,
    fixture_citations_with_structured_output,
    fixture_content_type,
    fixture_context_window_exceeded,
    fixture_context_window_near,
    fixture_count_tokens_parameter,
    fixture_deprecated_beta,
    fixture_deprecated_beta_header,
    fixture_deprecated_model,
    fixture_deprecated_output_format,
    fixture_deprecated_sampling_parameter,
    fixture_duplicate_custom_id,
    fixture_duplicate_key,
    fixture_duplicate_tool_name,
    fixture_duplicate_tool_use_id,
    fixture_empty_content,
    fixture_empty_text,
    fixture_empty_thinking_signature,
    fixture_forced_tool_choice_unsupported,
    fixture_image_dimensions_too_large,
    fixture_image_type_mismatch,
    fixture_inference_geo_unsupported,
    fixture_input_plus_max_tokens,
    fixture_invalid_anthropic_beta,
    fixture_invalid_anthropic_version,
    fixture_invalid_base64,
    fixture_invalid_batch_params,
    fixture_invalid_cache_control,
    fixture_invalid_container,
    fixture_invalid_custom_id,
    fixture_invalid_field_type,
    fixture_invalid_inference_geo,
    fixture_invalid_input_schema,
    fixture_invalid_mcp_server,
    fixture_invalid_metadata,
    fixture_invalid_output_format,
    fixture_invalid_role,
    fixture_invalid_server_tool,
    fixture_invalid_service_tier,
    fixture_invalid_speed,
    fixture_invalid_stop_sequence,
    fixture_invalid_thinking_budget,
    fixture_invalid_tool_choice,
    fixture_invalid_tool_name,
    fixture_invalid_tool_use_id,
    fixture_max_tokens_over_limit,
    fixture_missing_anthropic_version,
    fixture_missing_api_key,
    fixture_missing_beta,
    fixture_missing_field,
    fixture_missing_max_tokens,
    fixture_missing_messages,
    fixture_missing_model,
    fixture_missing_thinking_in_tool_loop,
    fixture_model_in_cloud_body,
    fixture_old_images,
    fixture_openai_parameter,
    fixture_output_room_short,
    fixture_oversized_block,
    fixture_personal_user_id,
    fixture_prefill_not_supported,
    fixture_prefill_with_structured_output,
    fixture_prefill_with_thinking,
    fixture_raw_http_without_retry,
    fixture_retired_model,
    fixture_retries_disabled,
    fixture_sampling_out_of_range,
    fixture_sampling_parameter_removed,
    fixture_schema_violation,
    fixture_server_tool_result,
    fixture_stream_in_batch,
    fixture_stream_in_bedrock_body,
    fixture_streaming_required,
    fixture_strict_schema_unsupported,
    fixture_strict_tool_limits,
    fixture_syntax_error,
    fixture_system_message,
    fixture_temperature_with_top_p,
    fixture_text_completions_body,
    fixture_thinking_block_order,
    fixture_thinking_budget_over_max_tokens,
    fixture_thinking_display_not_allowed,
    fixture_thinking_with_forced_tool_choice,
    fixture_thinking_with_sampling,
    fixture_timeout_too_short,
    fixture_too_many_cache_breakpoints,
    fixture_too_many_images,
    fixture_too_many_pdf_pages,
    fixture_tool_choice_without_tools,
    fixture_tool_result_not_first,
    fixture_tool_type_unsupported,
    fixture_trailing_whitespace,
    fixture_uncached_prefix,
    fixture_undefined_tool_choice,
    fixture_unexpected_tool_result,
    fixture_unknown_anthropic_version,
    fixture_unknown_batch_field,
    fixture_unknown_block_field,
    fixture_unknown_block_type,
    fixture_unknown_message_key,
    fixture_unknown_model,
    fixture_unknown_parameter,
    fixture_unknown_tool_type,
    fixture_unpaired_tool_use,
    fixture_unsupported_document_type,
    fixture_unsupported_effort,
    fixture_unsupported_image_type,
    fixture_unsupported_media_source,
    fixture_unsupported_thinking_type,
    fixture_unused_suppression,
    fixture_user_text_citations,
    fixture_whitespace_text,
}

/// Every directory under `tests/fixtures` has its test above, and every test its directory.
#[test]
fn every_fixture_directory_has_a_test() {
    let mut dirs: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"))
            .unwrap()
            .map(|entry| {
                format!(
                    "fixture_{}",
                    entry
                        .unwrap()
                        .file_name()
                        .to_str()
                        .unwrap()
                        .replace('-', "_")
                )
            })
            .collect();
    dirs.sort();
    assert_eq!(dirs, COVERED, "add the new directory to `fixtures!`");
}
