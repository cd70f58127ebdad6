//! Empty and whitespace-only `stop_sequences` entries.

use super::{INVALID_STOP_SEQUENCE, field};
use crate::fix::{Edit, Fix};
use crate::rules::{Context, Sink};

pub(super) fn check_stop_sequences(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(member) = field(ctx, "stop_sequences") else {
        return;
    };
    let Some(items) = member.value.as_array() else {
        return;
    };
    let api = ctx.payload.api_path("stop_sequences");
    for item in items {
        let Some(text) = item.as_str() else {
            continue;
        };
        let (what, answer) = if text.is_empty() {
            ("this stop sequence is empty", "must be non-empty")
        } else if text.trim().is_empty() {
            (
                "this stop sequence is only whitespace",
                "must contain non-whitespace",
            )
        } else {
            continue;
        };
        sink.report_fix(
            &INVALID_STOP_SEQUENCE,
            item.range,
            format!("{what}: the API answers 400 `{api}: each stop sequence {answer}`"),
            Some(Fix::safe(
                "Remove this stop sequence",
                vec![Edit::remove_element(&member.value, item)],
            )),
        );
    }
}
