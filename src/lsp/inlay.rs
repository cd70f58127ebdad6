//! Inlay hints: the size of the system prompt and of each message, with the running total of
//! the request up to it.
//!
//! Sizes are in characters until the token estimator lands; [`measure`] and [`UNIT`] are the
//! one place to switch them to tokens (hovers use them too).

use tower_lsp_server::ls_types::{InlayHint, InlayHintLabel, InlayHintTooltip, Range};

use super::convert::Converter;
use super::documents::Snapshot;
use crate::syntax::{Node, Value};

/// The unit of [`measure`].
pub const UNIT: &str = "chars";

/// How big a message, block or system prompt is: the characters of its text, that is every
/// string value in it except the `role` and `type` tags (keys and tags are structure, the
/// rest is what the model reads).
pub fn measure(node: &Node) -> u64 {
    let mut total = 0u64;
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::String(text) => total += text.chars().count() as u64,
            Value::Object(members) => stack.extend(
                members
                    .iter()
                    .filter(|m| {
                        !(matches!(m.key.as_str(), "role" | "type") && m.value.as_str().is_some())
                    })
                    .map(|m| &m.value),
            ),
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    total
}

/// A size as shown: `1,234 chars`.
pub fn label(amount: u64) -> String {
    format!("{} {UNIT}", grouped(amount))
}

/// `1234567` as `1,234,567`.
pub fn grouped(amount: u64) -> String {
    let digits = amount.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The hints inside `range`: one after the top-level `system` and one after each message.
pub fn hints(snapshot: &Snapshot, converter: &Converter<'_>, range: Range) -> Vec<InlayHint> {
    let wanted = converter.text_range(range);
    let mut hints = Vec::new();
    for payload in snapshot.payloads() {
        let mut total = 0;
        let mut hint = |node: &Node, what: String, total: u64| {
            let at = node.range.end as usize;
            if (wanted.start as usize..=wanted.end as usize).contains(&at) {
                let size = measure(node);
                hints.push(InlayHint {
                    position: converter.position(at),
                    label: InlayHintLabel::String(format!(
                        "{} · total {}",
                        label(size),
                        grouped(total)
                    )),
                    kind: None,
                    text_edits: None,
                    tooltip: Some(InlayHintTooltip::String(format!(
                        "{what}: {} characters of text; {} in the request up to here, the system prompt included",
                        grouped(size),
                        grouped(total)
                    ))),
                    padding_left: Some(true),
                    padding_right: None,
                    data: None,
                });
            }
        };
        if let Some(system) = payload.root.get("system") {
            total += measure(system);
            hint(system, "The system prompt".into(), total);
        }
        for (index, message) in payload
            .root
            .get("messages")
            .and_then(Node::as_array)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            total += measure(message);
            let role = message.get("role").and_then(Node::as_str).unwrap_or("?");
            hint(message, format!("Message {index} ({role})"), total);
        }
    }
    hints
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::json;

    #[test]
    fn sizes_count_text_not_structure() {
        let text = r#"{"role": "user", "content": [{"type": "text", "text": "héllo"}, {"type": "image", "source": {"type": "url", "url": "https://x.io"}}]}"#;
        let node = json::parse(text, 0).root.unwrap();
        // "héllo" (5) + "https://x.io" (12); the tags are not counted.
        assert_eq!(measure(&node), 17);
        assert_eq!(label(1_234_567), "1,234,567 chars");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
    }
}
