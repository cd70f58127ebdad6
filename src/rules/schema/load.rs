//! The schemas that ship in `schemas/`, compiled twice: a `oneOf` form that decides validity in
//! one lookup per tagged union, and the published `if`/`then` form that lists errors, compiled
//! on the first invalid payload.

use crate::facts::request_schema;
use std::sync::{LazyLock, OnceLock};

use jsonschema::{PatternOptions, Registry, Validator};
use serde_json::Value as Json;

use super::SCHEMA_BASE;
use super::instance::Tree;

/// File name of the Messages request schema.
pub(super) const MESSAGES_FILE: &str = "messages-request.schema.json";
/// File name of the count_tokens request schema.
pub(super) const COUNT_TOKENS_FILE: &str = "count-tokens-request.schema.json";
/// File name of the Message Batches request schema.
pub(super) const BATCH_FILE: &str = "batch-request.schema.json";

/// Parses a schema document that ships inside the binary.
fn document(file: &str, text: &str) -> Json {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("schemas/{file} is not JSON: {e}"))
}

/// The count_tokens request schema.
pub(super) static COUNT_TOKENS_DOC: LazyLock<Json> = LazyLock::new(|| {
    document(
        COUNT_TOKENS_FILE,
        include_str!("../../../schemas/count-tokens-request.schema.json"),
    )
});
/// The Message Batches request schema.
pub(super) static BATCH_DOC: LazyLock<Json> = LazyLock::new(|| {
    document(
        BATCH_FILE,
        include_str!("../../../schemas/batch-request.schema.json"),
    )
});
/// Stands in for the Messages schema under a batch's `params`: each `params` object is its own
/// payload and is checked with the full schema there, next to the dedicated rules' findings.
static PARAMS_STUB: LazyLock<Json> =
    LazyLock::new(|| serde_json::json!({"title": "a Messages request", "type": "object"}));

/// A compiled schema, with the documents its `$ref`s reach (to map errors back).
pub(super) struct Compiled {
    /// Decides validity: the schema with each tagged union as a `oneOf`, which the validator
    /// dispatches on `type` in one lookup (the `if`/`then` form evaluates every member).
    pub fast: Validator<Tree>,
    /// Lists the errors: the published schema, whose `if`/`then` unions report inside the
    /// member that applies. Compiled on the first invalid payload.
    full: OnceLock<Validator<Tree>>,
    /// `(file name, document)`, the root first.
    pub documents: Vec<(&'static str, &'static Json)>,
}

impl Compiled {
    /// Compiles `documents[0]` for validity checks; the error-listing form waits until needed.
    fn new(documents: Vec<(&'static str, &'static Json)>) -> Self {
        let dispatching: Vec<(&str, Json)> = documents
            .iter()
            .map(|&(file, doc)| (file, dispatching(doc)))
            .collect();
        Self {
            fast: build(&dispatching),
            full: OnceLock::new(),
            documents,
        }
    }

    /// The validator that lists errors with precise places.
    pub(super) fn full(&self) -> &Validator<Tree> {
        self.full.get_or_init(|| {
            let documents: Vec<(&str, Json)> = self
                .documents
                .iter()
                .map(|&(file, doc)| (file, doc.clone()))
                .collect();
            build(&documents)
        })
    }

    /// The schema a `$ref` names, and the document it is in.
    pub(super) fn resolve(
        &self,
        reference: &str,
        current: &'static Json,
    ) -> Option<(&'static Json, &'static Json)> {
        let (file, pointer) = reference.split_once('#').unwrap_or((reference, ""));
        let doc = if file.is_empty() {
            current
        } else {
            let file = file.rsplit('/').next().unwrap_or(file);
            self.documents.iter().find(|(f, _)| *f == file)?.1
        };
        Some((doc.pointer(pointer)?, doc))
    }
}

/// Compiles `documents[0]` with the others registered under their published addresses. The
/// schemas ship inside the binary and a test compiles each, so a failure here is a build defect.
fn build(documents: &[(&str, Json)]) -> Validator<Tree> {
    let (root_file, root) = &documents[0];
    let registry = documents[1..]
        .iter()
        .try_fold(Registry::new(), |registry, (file, doc)| {
            registry.add(format!("{SCHEMA_BASE}{file}"), doc)
        })
        .and_then(|registry| registry.prepare())
        .unwrap_or_else(|e| panic!("schemas/{root_file}: bad reference: {e}"));
    jsonschema::options_for::<Tree>()
        .with_registry(&registry)
        .with_pattern_options(PatternOptions::regex())
        .build(root)
        .unwrap_or_else(|e| panic!("schemas/{root_file} does not compile: {e}"))
}

/// The schema with each union keyed on `type` (marked `x-api-discriminator`) turned from
/// `allOf: [{if, then}]` into `oneOf: [then]`: the same verdicts, since the union's members fix
/// distinct `type` values, but the validator picks the member from `type` in one lookup.
fn dispatching(doc: &Json) -> Json {
    let mut doc = doc.clone();
    let defs = doc.get_mut("$defs").and_then(Json::as_object_mut);
    for def in defs.into_iter().flat_map(|defs| defs.values_mut()) {
        let Some(def) = def
            .as_object_mut()
            .filter(|d| d.contains_key("x-api-discriminator"))
        else {
            continue;
        };
        let Some(Json::Array(branches)) = def.remove("allOf") else {
            continue;
        };
        let mut members: Vec<Json> = branches
            .into_iter()
            .filter_map(|mut branch| branch.get_mut("then").map(Json::take))
            .collect();
        let nullable = def
            .get("type")
            .and_then(Json::as_array)
            .is_some_and(|types| types.iter().any(|t| t == "null"));
        if nullable {
            members.push(serde_json::json!({"type": "null"}));
        }
        def.insert("oneOf".into(), Json::Array(members));
    }
    doc
}

/// Messages requests (and each request of a batch).
pub(super) static MESSAGES: LazyLock<Compiled> =
    LazyLock::new(|| Compiled::new(vec![(MESSAGES_FILE, request_schema::document())]));
/// count_tokens requests.
pub(super) static COUNT_TOKENS: LazyLock<Compiled> = LazyLock::new(|| {
    Compiled::new(vec![
        (COUNT_TOKENS_FILE, &*COUNT_TOKENS_DOC),
        (MESSAGES_FILE, request_schema::document()),
    ])
});
/// A Message Batches body, without the requests it holds (each is its own payload).
pub(super) static BATCH_ENVELOPE: LazyLock<Compiled> = LazyLock::new(|| {
    Compiled::new(vec![
        (BATCH_FILE, &*BATCH_DOC),
        (MESSAGES_FILE, &*PARAMS_STUB),
    ])
});

#[cfg(test)]
mod tests {
    use super::super::tests::parse;
    use super::*;

    /// The walk that maps errors back follows only these keywords; a schema that used another
    /// applicator would give findings without their API path.
    #[test]
    fn schemas_use_only_the_keywords_the_walk_follows() {
        const UNSUPPORTED: [&str; 11] = [
            "anyOf",
            "oneOf",
            "not",
            "prefixItems",
            "patternProperties",
            "contains",
            "unevaluatedProperties",
            "unevaluatedItems",
            "dependentSchemas",
            "propertyNames",
            "$dynamicRef",
        ];
        fn visit(value: &Json, path: &str, found: &mut Vec<String>) {
            match value {
                Json::Object(map) => {
                    for (key, child) in map {
                        // `not` inside an `if` never yields an error of its own.
                        let inside_if = path.ends_with("/if");
                        if UNSUPPORTED.contains(&key.as_str()) && !(inside_if && key == "not") {
                            found.push(format!("{path}/{key}"));
                        }
                        // Property names and `const`/`enum` values are data, not keywords.
                        if !matches!(key.as_str(), "const" | "enum" | "examples" | "default") {
                            visit(child, &format!("{path}/{key}"), found);
                        }
                    }
                }
                Json::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        visit(item, &format!("{path}/{i}"), found);
                    }
                }
                _ => {}
            }
        }
        let mut found = Vec::new();
        for (file, doc) in [
            (MESSAGES_FILE, request_schema::document()),
            (COUNT_TOKENS_FILE, &*COUNT_TOKENS_DOC),
            (BATCH_FILE, &*BATCH_DOC),
        ] {
            visit(doc, file, &mut found);
        }
        assert_eq!(found, Vec::<String>::new());
    }

    /// The fast form must give the published schema's verdict on every request: the valid
    /// corpus, and each of its tagged objects with a bad tag, no tag, or an unknown key.
    #[test]
    fn fast_and_full_validators_agree() {
        fn tagged_objects(value: &Json, pointer: String, out: &mut Vec<String>) {
            match value {
                Json::Object(map) => {
                    if map.contains_key("type") {
                        out.push(pointer.clone());
                    }
                    for (key, child) in map {
                        tagged_objects(child, format!("{pointer}/{key}"), out);
                    }
                }
                Json::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        tagged_objects(item, format!("{pointer}/{i}"), out);
                    }
                }
                _ => {}
            }
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/valid");
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).expect("corpus") {
            let path = entry.expect("entry").path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            let compiled: &Compiled = if name.starts_with("batch-") {
                continue;
            } else if name.starts_with("count-tokens-") {
                &COUNT_TOKENS
            } else {
                &MESSAGES
            };
            let request: Json =
                serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
            let mut pointers = Vec::new();
            tagged_objects(&request, String::new(), &mut pointers);
            let mut variants = vec![request.clone()];
            for pointer in &pointers {
                for mutation in 0..3 {
                    let mut variant = request.clone();
                    let object = variant
                        .pointer_mut(pointer)
                        .and_then(Json::as_object_mut)
                        .expect("object");
                    match mutation {
                        0 => drop(object.insert("type".into(), "bogus".into())),
                        1 => drop(object.remove("type")),
                        _ => drop(object.insert("zz_unknown".into(), Json::Null)),
                    }
                    variants.push(variant);
                }
            }
            for variant in &variants {
                let root = parse(&variant.to_string());
                assert_eq!(
                    compiled.fast.is_valid(&root),
                    compiled.full().is_valid(&root),
                    "{name}: {variant}"
                );
                checked += 1;
            }
        }
        assert!(checked > 500, "only {checked} variants");
    }

    #[test]
    fn every_union_member_has_its_tag() {
        // Each `then` of a union keyed on `type` adds the API's tag to error paths.
        for (name, def) in request_schema::document()["$defs"]
            .as_object()
            .expect("$defs")
        {
            if def.get("x-api-discriminator").is_none() {
                continue;
            }
            for branch in def["allOf"].as_array().expect("allOf") {
                assert!(
                    branch["then"].get("x-api-tag").is_some(),
                    "{name}: {branch}"
                );
            }
        }
    }
}
