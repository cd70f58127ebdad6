//! The YAML parser: never panics, keeps every range inside the text, parses the same whether
//! tree-sitter is handed skeletons (scalars cut) or the text as written, and reads a JSON text
//! (YAML 1.2 is a superset of JSON) as serde_json does. The agreement is checked on the text with
//! a line break after it: a plain scalar the text ends in is where the cursor is, and is read as
//! Unknown on purpose (it may be cut while typing).
#![no_main]

use claude_preflight::syntax::yaml;
use claude_preflight_fuzz::{assert_range_in, assert_tree_ranges, difference};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let documents = yaml::parse(text);
    // Skeletons (long scalars cut before tree-sitter sees them) change nothing, however short
    // the scalars cut.
    assert_eq!(
        yaml::parse_cutting_every_scalar(text),
        yaml::parse_as_written(text),
        "a skeleton changed the parse"
    );
    for document in &documents {
        assert_range_in(text, document.range, "document");
        for error in &document.errors {
            assert_range_in(text, error.range, "syntax error");
        }
        if let Some(root) = &document.root {
            assert_tree_ranges(text, root);
        }
    }
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
        let ended = format!("{text}\n");
        let documents = yaml::parse(&ended);
        let [document] = documents.as_slice() else {
            panic!("one JSON value, {} YAML documents", documents.len());
        };
        assert!(
            document.errors.is_empty(),
            "serde_json accepts the text, we report {:?}",
            document.errors
        );
        let root = document
            .root
            .as_ref()
            .expect("serde_json found a value, we did not");
        if let Some(why) = difference(root, &value) {
            panic!("the trees differ: {why}");
        }
    }
});
