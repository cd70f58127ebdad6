//! The JSON parser: never panics, keeps every range inside the text, and reads what
//! serde_json reads whenever serde_json accepts the text.
#![no_main]

use claude_preflight::syntax::json;
use claude_preflight_fuzz::{assert_range_in, assert_tree_ranges, difference};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let parse = json::parse(text, 0);
    for error in &parse.errors {
        assert_range_in(text, error.range, "syntax error");
    }
    if let Some(root) = &parse.root {
        assert_tree_ranges(text, root);
    }
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
        assert!(
            parse.errors.is_empty(),
            "serde_json accepts the text, we report {:?}",
            parse.errors
        );
        let root = parse.root.expect("serde_json found a value, we did not");
        if let Some(why) = difference(&root, &value) {
            panic!("the trees differ: {why}");
        }
    }
});
