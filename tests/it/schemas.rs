//! The published JSON Schemas (`schemas/*.schema.json`) against a corpus of valid requests
//! (`tests/schemas/valid/`): every content block, tool and option the API accepts must pass,
//! both through a plain JSON Schema validator (as editors use the schemas) and through the
//! `schema-violation` rule. A false alarm here would be a squiggle on a correct request.

use std::path::{Path, PathBuf};

use claude_preflight::FileKind;
use claude_preflight::analyze::analyze;
use claude_preflight::settings::Settings;
use serde_json::Value;

const BASE: &str =
    "https://raw.githubusercontent.com/claude-preflight/claude-preflight/main/schemas/";

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn schema(name: &str) -> Value {
    read_json(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("schemas")
            .join(name),
    )
}

/// A validator for one published schema with the others registered, as an editor resolves them.
fn validator(name: &str) -> jsonschema::Validator {
    let documents: Vec<(String, Value)> =
        ["messages-request", "count-tokens-request", "batch-request"]
            .iter()
            .map(|n| {
                (
                    format!("{BASE}{n}.schema.json"),
                    schema(&format!("{n}.schema.json")),
                )
            })
            .collect();
    let registry = documents
        .iter()
        .try_fold(jsonschema::Registry::new(), |r, (uri, doc)| r.add(uri, doc))
        .and_then(|r| r.prepare())
        .unwrap();
    jsonschema::options()
        .with_registry(&registry)
        .build(&schema(&format!("{name}.schema.json")))
        .unwrap()
}

fn corpus() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/valid");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 10, "the valid corpus is missing");
    files
}

/// The schema a corpus file is written for, by its name.
fn schema_for(path: &Path) -> &'static str {
    let name = path.file_name().unwrap().to_str().unwrap();
    if name.starts_with("batch-") {
        "batch-request"
    } else if name.starts_with("count-tokens-") {
        "count-tokens-request"
    } else {
        "messages-request"
    }
}

#[test]
fn every_valid_request_passes_the_published_schemas() {
    let validators: Vec<(&str, jsonschema::Validator)> =
        ["messages-request", "count-tokens-request", "batch-request"]
            .iter()
            .map(|n| (*n, validator(n)))
            .collect();
    let mut failures = Vec::new();
    for path in corpus() {
        let instance = read_json(&path);
        let (_, validator) = validators
            .iter()
            .find(|(n, _)| *n == schema_for(&path))
            .unwrap();
        for error in validator.iter_errors(&instance) {
            failures.push(format!(
                "{}: {} at {}",
                path.display(),
                error,
                error.instance_path()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "valid requests rejected:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_valid_request_gives_no_schema_finding() {
    let settings = Settings::new(jiff::civil::date(2026, 11, 25));
    for path in corpus() {
        let text = std::fs::read_to_string(&path).unwrap();
        let analysis = analyze(
            &text,
            FileKind::Json,
            &path.display().to_string(),
            &settings,
        );
        assert!(
            analysis.payloads > 0,
            "{} was not taken as a request",
            path.display()
        );
        let schema: Vec<_> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.rule.name == "schema-violation")
            .map(|d| &d.message)
            .collect();
        assert!(schema.is_empty(), "{}: {schema:#?}", path.display());
    }
}

#[test]
fn the_schemas_are_valid_draft_2020_12() {
    for name in ["messages-request", "count-tokens-request", "batch-request"] {
        let doc = schema(&format!("{name}.schema.json"));
        assert_eq!(doc["$id"], format!("{BASE}{name}.schema.json"));
        assert_eq!(
            doc["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        jsonschema::meta::validate(&doc).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}
