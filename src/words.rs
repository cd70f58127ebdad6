//! English wording shared by findings and discovery notes.

use crate::syntax::{Node, Value};

/// "a number (5)", "null", "an object": how a wrong value is named in messages.
pub fn describe(node: &Node) -> String {
    match &node.value {
        Value::Null => "null".into(),
        Value::Number(n) => format!("a number ({n})"),
        Value::Bool(b) => format!("a boolean ({b})"),
        Value::Object(_) => "an object".into(),
        Value::Array(_) => "an array".into(),
        Value::String(_) => "a string".into(),
        Value::Unknown => "a computed value".into(),
    }
}

/// "a" or "an" before a word ("a user", "an image", "an unknown").
pub fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) && !word.starts_with("us") {
        "an"
    } else {
        "a"
    }
}

/// The article at the start of a sentence.
pub fn capitalized(article: &str) -> &'static str {
    if article == "an" { "An" } else { "A" }
}

/// "`a`, `b` or `c`".
pub fn list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}

/// "1 error", "2 errors", "0 infos": a count and its noun, in the plural unless it is one.
/// Every report's summary counts with it, so none says "1 errors".
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(plural(0, "info"), "0 infos");
        assert_eq!(plural(1, "payload"), "1 payload");
        assert_eq!(plural(2, "file"), "2 files");
    }
}
