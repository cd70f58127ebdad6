//! Plans for making a conversation smaller without breaking it: which turns to drop, which
//! images to replace, how to cut a long text. The rules turn them into structural fixes.

use super::calibration::Profile;
use super::estimate::Outline;
use super::{Band, media};
use crate::extract::conversation::{self, block_kind};
use crate::syntax::Node;
use crate::words::thousands;

/// Drop `messages[first..=last]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DropTurns {
    /// The first message dropped (always 1: the first user message stays).
    pub first: usize,
    /// The last message dropped.
    pub last: usize,
    /// The tokens it saves.
    pub saves: Band,
    /// True when the estimate falls to the target.
    pub reaches_target: bool,
}

/// The fewest oldest turns after the first user message whose removal brings the estimate's
/// middle down to `target`, or as many as can go when no cut reaches it. A cut keeps the
/// conversation valid: the first message (a user turn) stays and is followed by an assistant
/// turn, so no `tool_result` loses its `tool_use` and no `tool_use` its result (the pairs
/// dropped go together), and the latest assistant turn, whose thinking blocks must stay
/// unchanged, is never dropped. `None` when no message can go.
pub(crate) fn drop_oldest_turns(root: &Node, est: &Outline, target: u64) -> Option<DropTurns> {
    let messages: Vec<_> = conversation::messages(root).collect();
    if messages.len() != est.messages.len() || messages.first()?.role != Some("user") {
        return None;
    }
    let last_assistant = messages.iter().rposition(|m| m.role == Some("assistant"))?;
    let total = est.est.input();
    let mut saves = Band::ZERO;
    let mut best = None;
    // Dropping 1..=k leaves message 0 followed by message k + 1, which must be an assistant
    // turn; the latest assistant turn itself stays.
    for k in 1..last_assistant {
        saves += est.messages[k];
        if messages[k + 1].role != Some("assistant") {
            continue;
        }
        let reaches_target = total.mid.saturating_sub(saves.mid) <= target;
        best = Some(DropTurns {
            first: 1,
            last: k,
            saves,
            reaches_target,
        });
        if reaches_target {
            break;
        }
    }
    best
}

/// Images to replace with a placeholder: those in messages older than the last `keep_last`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OldImages<'a> {
    /// The image blocks (also those nested in `tool_result` content).
    pub blocks: Vec<&'a Node>,
    /// The tokens replacing them saves (the placeholder's few tokens aside).
    pub saves: Band,
    /// The index of the newest message holding one of them.
    pub newest: usize,
}

/// The image blocks in messages older than the last `keep_last`; `None` when there are none.
pub(crate) fn old_images<'a>(
    root: &'a Node,
    profile: &Profile,
    keep_last: usize,
) -> Option<OldImages<'a>> {
    let messages: Vec<_> = conversation::messages(root).collect();
    let old = messages.len().checked_sub(keep_last)?;
    let mut found = OldImages {
        blocks: Vec::new(),
        saves: Band::ZERO,
        newest: 0,
    };
    for message in &messages[..old] {
        for block in message.blocks() {
            let nested = match block_kind(block) {
                Some("tool_result") => block.get("content").and_then(Node::as_array).unwrap_or(&[]),
                _ => std::slice::from_ref(block),
            };
            for image in nested.iter().filter(|b| block_kind(b) == Some("image")) {
                found.blocks.push(image);
                found.saves += image_cost(image, profile);
                found.newest = message.index;
            }
        }
    }
    (!found.blocks.is_empty()).then_some(found)
}

/// What one image block costs (the tier's largest when its size is not readable).
fn image_cost(image: &Node, profile: &Profile) -> Band {
    let size = image
        .get("source")
        .filter(|s| s.get("type").and_then(Node::as_str) == Some("base64"))
        .and_then(|s| s.get("data"))
        .and_then(Node::as_str)
        .and_then(media::image_size);
    match size {
        Some((w, h)) => Band::exact(media::image_tokens(w, h, &profile.image)),
        None => {
            let max = u64::from(profile.image.max_tokens);
            Band::new(0, max, max)
        }
    }
}

/// The text of the placeholder that replaces a dropped image.
pub(crate) const IMAGE_PLACEHOLDER: &str =
    "[image removed by claude-preflight to fit the context window]";

/// The words of the marker a cut text carries.
pub(crate) const CUT_MARKER: &str = "cut by claude-preflight to fit the context window";

/// `text` with a middle part of about `cut_fraction` of it replaced by a visible marker; the
/// head (four fifths of what is kept) and the tail stay, cut at character boundaries. `None`
/// when nothing would be cut.
pub(crate) fn truncate(text: &str, cut_fraction: f64, tokens_cut: u64) -> Option<String> {
    let cut_fraction = cut_fraction.clamp(0.0, 1.0);
    let keep = (text.len() as f64 * (1.0 - cut_fraction)) as usize;
    let head = floor_char_boundary(text, keep * 4 / 5);
    let tail = ceil_char_boundary(text, text.len() - (keep - keep * 4 / 5));
    if tail <= head {
        return None;
    }
    let cut = &text[head..tail];
    let marker = format!(
        "\n\n[... {} characters (~{} tokens) {CUT_MARKER} ...]\n\n",
        thousands(cut.chars().count() as u64),
        thousands(tokens_cut),
    );
    Some(format!("{}{marker}{}", &text[..head], &text[tail..]))
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Facts;
    use crate::syntax::json::parse;
    use crate::tokens::estimate::{TokenCache, Walked};

    fn plan(body: &str, target: u64) -> Option<DropTurns> {
        let root = parse(body, 0).root.unwrap();
        let profile = Profile::for_model(Facts::builtin().get("claude-opus-5"));
        let walked = Walked::new(&root, &profile);
        let outline = walked.outline(&mut TokenCache::new(), |_, _| false);
        drop_oldest_turns(&root, &outline, target)
    }

    fn conversation(turns: &[(&str, &str)]) -> String {
        let messages: Vec<String> = turns
            .iter()
            .map(|(role, content)| format!(r#"{{"role": "{role}", "content": {content}}}"#))
            .collect();
        format!(r#"{{"messages": [{}]}}"#, messages.join(", "))
    }

    #[test]
    fn drops_the_fewest_turns_that_reach_the_target_and_keeps_pairs() {
        let long = format!("\"{}\"", "word ".repeat(1000));
        let body = conversation(&[
            ("user", "\"first\""),
            ("assistant", &long),
            ("user", &long),
            (
                "assistant",
                r#"[{"type": "tool_use", "id": "t1", "name": "f", "input": {}}]"#,
            ),
            (
                "user",
                r#"[{"type": "tool_result", "tool_use_id": "t1", "content": "ok"}]"#,
            ),
            ("assistant", "\"done\""),
            ("user", "\"last\""),
        ]);
        // A target no cut reaches: everything that may go goes, up to the tool result (message
        // 4) with its tool_use; the latest assistant turn (5) stays. Stopping at 3 would
        // orphan message 4's tool_result, so that cut is never offered.
        let all = plan(&body, 0).unwrap();
        assert_eq!((all.first, all.last, all.reaches_target), (1, 4, false));
        // A target the first two long turns reach.
        let some = plan(&body, 100).unwrap();
        assert_eq!((some.first, some.last), (1, 2));
        assert!(some.reaches_target);
        assert!(some.saves.mid > 2000);
    }

    #[test]
    fn nothing_to_drop_in_a_single_exchange() {
        assert_eq!(
            plan(
                &conversation(&[("user", "\"q\""), ("assistant", "\"a\"")]),
                0
            ),
            None
        );
        assert_eq!(
            plan(
                &conversation(&[("assistant", "\"a\""), ("user", "\"q\"")]),
                0
            ),
            None
        );
    }

    #[test]
    fn finds_images_older_than_the_last_turns() {
        let image = format!(
            r#"{{"type": "image", "source": {{"type": "base64", "media_type": "image/png", "data": "{}"}}}}"#,
            crate::tokens::media::tests::png(1000, 1000)
        );
        let nested =
            format!(r#"[{{"type": "tool_result", "tool_use_id": "t", "content": [{image}]}}]"#);
        let body = conversation(&[
            (
                "user",
                &format!("[{image}, {{\"type\": \"text\", \"text\": \"look\"}}]"),
            ),
            (
                "assistant",
                r#"[{"type": "tool_use", "id": "t", "name": "f", "input": {}}]"#,
            ),
            ("user", &nested),
            ("assistant", "\"ok\""),
            ("user", &format!("[{image}]")),
        ]);
        let root = parse(&body, 0).root.unwrap();
        let profile = Profile::for_model(Facts::builtin().get("claude-haiku-4-5"));
        let old = old_images(&root, &profile, 2).unwrap();
        assert_eq!(old.blocks.len(), 2);
        assert_eq!(old.saves, Band::exact(2 * 1296));
        assert_eq!(old.newest, 2);
        assert!(old_images(&root, &profile, 5).is_none());
    }

    #[test]
    fn truncation_keeps_head_and_tail_with_a_marker() {
        let text = format!("{}{}", "a".repeat(800), "z".repeat(200));
        let cut = truncate(&text, 0.5, 60).unwrap();
        assert!(cut.starts_with(&"a".repeat(400)));
        assert!(cut.ends_with(&"z".repeat(100)));
        assert!(cut.contains("[... 500 characters (~60 tokens) cut by claude-preflight"));
        // Multi-byte characters are never split.
        let cut = truncate(&"é".repeat(100), 0.33, 5).unwrap();
        assert!(cut.starts_with('é') && cut.ends_with('é'));
        assert_eq!(truncate("abc", 0.0, 0), None);
    }
}
