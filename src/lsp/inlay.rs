//! Inlay hints: the estimated tokens of the system prompt and of each message, with the
//! running total of the request up to it and its share of the model's window. Hovers add the
//! character count ([`measure`]) beside the tokens.

use tower_lsp_server::ls_types::{InlayHint, InlayHintLabel, InlayHintTooltip, Range};

use super::convert::Converter;
use super::documents::{Snapshot, model_of};
use crate::syntax::{Node, Value};
use crate::tokens::Band;
use crate::words;

/// The unit of [`measure`].
pub(crate) const UNIT: &str = "chars";

/// How big a message, block or system prompt is: the characters of its text, that is every
/// string value in it except the `role` and `type` tags (keys and tags are structure, the
/// rest is what the model reads).
pub(crate) fn measure(node: &Node) -> u64 {
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
pub(crate) fn label(amount: u64) -> String {
    format!("{} {UNIT}", words::thousands(amount))
}

/// "12.5% of Claude Opus 5's 1,000,000-token window" (or "under 0.1% of ...").
pub(crate) fn share_of_window(tokens: u64, model: &str, window: u64) -> String {
    let percent = tokens as f64 * 100.0 / window.max(1) as f64;
    let percent = if percent < 0.1 {
        "under 0.1%".to_owned()
    } else {
        format!("{percent:.1}%")
    };
    format!(
        "{percent} of {model}'s {}-token window",
        words::thousands(window)
    )
}

/// The hints inside `range`: one after the top-level `system` and one after each message,
/// with its estimated tokens and the running total of the request up to it.
pub(crate) fn hints(
    snapshot: &Snapshot,
    converter: &Converter<'_>,
    range: Range,
) -> Vec<InlayHint> {
    let wanted = converter.text_range(range);
    let mut hints = Vec::new();
    let payloads = snapshot.payloads();
    for (payload, estimate) in payloads.iter().zip(snapshot.estimates()) {
        let window = snapshot
            .settings
            .as_ref()
            .ok()
            .and_then(|settings| model_of(payload, settings))
            .map(|m| (m.name.as_str(), m.context_window));
        let mut total = 0;
        let mut hint = |node: &Node, what: String, tokens: Band, total: u64| {
            let at = node.range.end as usize;
            if !(wanted.start as usize..=wanted.end as usize).contains(&at) {
                return;
            }
            let share = window
                .map(|(name, window)| format!(", {}", share_of_window(total, name, window)))
                .unwrap_or_default();
            hints.push(InlayHint {
                position: converter.position(at),
                label: InlayHintLabel::String(format!(
                    "~{} tok · total {}",
                    words::thousands(tokens.mid),
                    words::thousands(total)
                )),
                kind: None,
                text_edits: None,
                tooltip: Some(InlayHintTooltip::String(format!(
                    "{what}: ~{} tokens (estimate {}-{}); ~{} in the request up to here, tool definitions included{share}",
                    words::thousands(tokens.mid),
                    words::thousands(tokens.low),
                    words::thousands(tokens.high),
                    words::thousands(total)
                ))),
                padding_left: Some(true),
                padding_right: None,
                data: None,
            });
        };
        let tools = estimate.tools.total();
        total += tools.mid;
        if let Some(system) = payload.root.get("system") {
            let tokens = estimate.system.total();
            total += tokens.mid;
            hint(system, "The system prompt".into(), tokens, total);
        }
        for message in &estimate.messages {
            let Some(node) = payload
                .root
                .get("messages")
                .and_then(Node::as_array)
                .and_then(|m| m.get(message.index))
            else {
                continue;
            };
            let tokens = message.tokens.total();
            total += tokens.mid;
            let role = message.role.as_deref().unwrap_or("?");
            hint(
                node,
                format!("Message {} ({role})", message.index),
                tokens,
                total,
            );
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
        assert_eq!(words::thousands(999), "999");
        assert_eq!(words::thousands(1000), "1,000");
    }
}
