//! English wording shared by findings and discovery notes.

use crate::syntax::{Node, Value};

/// "a number (5)", "null", "an object": how a wrong value is named in messages.
pub(crate) fn describe(node: &Node) -> String {
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
pub(crate) fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) && !word.starts_with("us") {
        "an"
    } else {
        "a"
    }
}

/// The article at the start of a sentence.
pub(crate) fn capitalized(article: &str) -> &'static str {
    if article == "an" { "An" } else { "A" }
}

/// "`a`, `b` or `c`".
pub(crate) fn list(items: &[&str]) -> String {
    or_list(&quoted(items))
}

/// "`a`, `b` and `c`".
pub(crate) fn and_list(items: &[&str]) -> String {
    joined(&quoted(items), "and")
}

/// "a", "a or b", "a, b or c", as written (the API's own lists are unquoted).
pub(crate) fn or_list<S: AsRef<str>>(items: &[S]) -> String {
    joined(items, "or")
}

fn quoted(items: &[&str]) -> Vec<String> {
    items.iter().map(|i| format!("`{i}`")).collect()
}

fn joined<S: AsRef<str>>(items: &[S], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_owned(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} {conjunction} {}", init.join(", "), last.as_ref())
        }
    }
}

/// The known name closest to `name`, when it is close enough to be a typo: "did you mean".
pub(crate) fn did_you_mean<'a>(
    name: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(name, k), k))
        .filter(|&(score, k)| score >= 0.88 || strsim::damerau_levenshtein(name, k) <= 1)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// "1 error", "2 errors", "0 infos": a count and its noun, in the plural unless it is one.
/// Every report's summary counts with it, so none says "1 errors".
pub(crate) fn plural(n: usize, noun: &str) -> String {
    format!("{n} {}", noun_for(n as u64, noun))
}

/// [`plural`] with thousands separators, for counts in findings: "1,296 images".
pub(crate) fn counted(n: u64, noun: &str) -> String {
    format!("{} {}", thousands(n), noun_for(n, noun))
}

/// The noun alone, in the plural unless `n` is one: "character", "characters".
pub(crate) fn noun_for(n: u64, noun: &str) -> String {
    if n == 1 {
        noun.to_owned()
    } else {
        format!("{noun}s")
    }
}

/// `n` with thousands separators: `1,234,567`.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A round token count as the docs write it: `200K`, `1M`; others with separators.
pub(crate) fn short_count(n: u64) -> String {
    match n {
        0 => "0".into(),
        n if n.is_multiple_of(1_000_000) => format!("{}M", n / 1_000_000),
        n if n.is_multiple_of(1_000) => format!("{}K", n / 1_000),
        n => thousands(n),
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
        assert_eq!(counted(1_296, "PDF page"), "1,296 PDF pages");
        assert_eq!(counted(1, "image"), "1 image");
        assert_eq!(noun_for(1, "item"), "item");
        assert_eq!(noun_for(3, "item"), "items");
    }

    #[test]
    fn lists_join_with_commas_and_a_conjunction() {
        assert_eq!(list(&["a"]), "`a`");
        assert_eq!(list(&["a", "b", "c"]), "`a`, `b` or `c`");
        assert_eq!(and_list(&["a", "b"]), "`a` and `b`");
        assert_eq!(or_list(&["'x'", "'y'"]), "'x' or 'y'");
        assert_eq!(or_list::<&str>(&[]), "");
    }

    #[test]
    fn a_close_name_is_suggested_and_a_far_one_is_not() {
        assert_eq!(
            did_you_mean("tempature", ["temperature", "top_p"]),
            Some("temperature")
        );
        assert_eq!(did_you_mean("colour", ["temperature", "top_p"]), None);
    }

    #[test]
    fn numbers_read_as_written() {
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
        assert_eq!(short_count(200_000), "200K");
        assert_eq!(short_count(1_000_000), "1M");
        assert_eq!(short_count(1_500), "1,500");
    }
}
