//! Citations: on user text blocks (gone in the API versions that removed them) and together with
//! structured outputs.

use super::{CITATIONS_WITH_STRUCTURED_OUTPUT, USER_TEXT_CITATIONS, report_for_version};
use crate::facts::api::Change;
use crate::fix::{Edit, Fix};
use crate::rules::conversation::Block;
use crate::rules::{Context, Sink};
use crate::syntax::{Node, Value};

/// Reports `citations` on a text block of a user turn (taken away in a later API version).
pub(super) fn check_user_citations(ctx: &Context<'_>, block: &Block<'_>, sink: &mut Sink<'_>) {
    let in_user_turn =
        block.role() == Some("user") && matches!(block.parent, None | Some("search_result"));
    let Some(member) = block.node.member("citations").filter(|_| in_user_turn) else {
        return;
    };
    if member.value.as_array().is_none_or(<[Node]>::is_empty) {
        return;
    }
    report_for_version(
        ctx,
        (&USER_TEXT_CITATIONS, Change::UserCitations),
        member.key_range,
        "a text block with `citations` in a user message",
        Some(Fix::unsafe_(
            "Remove `citations`",
            vec![Edit::remove_member(block.node, member)],
        )),
        sink,
    );
}

/// Reports citations enabled on a block of a request that asks for structured outputs.
pub(super) fn check_citations_with_format(block: &Block<'_>, sink: &mut Sink<'_>) {
    let Some(enabled) = block
        .node
        .get("citations")
        .and_then(|c| c.get("enabled"))
        .filter(|e| matches!(e.value, Value::Bool(true)))
    else {
        return;
    };
    sink.report(
        &CITATIONS_WITH_STRUCTURED_OUTPUT,
        enabled.range,
        format!(
            "citations are enabled on this {} and `output_config.format` asks for structured outputs: the two are incompatible, and the API answers 400",
            block.kind().unwrap_or("block").replace('_', " ")
        ),
    );
}
