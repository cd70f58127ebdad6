//! `metadata`: its one key, `user_id`, its length, and ids that look personal.

use super::{INVALID_METADATA, PERSONAL_USER_ID, field};
use crate::facts::api;
use crate::fix::{Edit, Fix};
use crate::rules::{Context, Sink};
use crate::words::did_you_mean;

pub(super) fn check_metadata(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(member) = field(ctx, "metadata") else {
        return;
    };
    let metadata = &member.value;
    let Some(members) = metadata.as_object() else {
        return;
    };
    for extra in members.iter().filter(|m| m.key != "user_id") {
        let key = extra.key.as_str();
        let mut message = format!(
            "`metadata` takes only `user_id`: the API answers 400 `{}: Extra inputs are not permitted`",
            ctx.payload.api_path(&format!("metadata.{key}"))
        );
        let fix = match did_you_mean(key, ["user_id"]) {
            Some(to) if metadata.get(to).is_none() => {
                message.push_str("; did you mean `user_id`?");
                Fix::unsafe_(
                    format!("Rename `{key}` to `user_id`"),
                    vec![Edit::rename_key(extra, to)],
                )
            }
            _ => Fix::unsafe_(
                format!("Remove `metadata.{key}`"),
                vec![Edit::remove_member(metadata, extra)],
            ),
        };
        sink.report_fix(&INVALID_METADATA, extra.key_range, message, Some(fix));
    }
    let Some(user_id) = metadata.get("user_id") else {
        return;
    };
    let Some(id) = user_id.as_str() else {
        return;
    };
    let chars = id.chars().count();
    let max = api::limits().messages.max_user_id_chars;
    if chars > max {
        sink.report(
            &INVALID_METADATA,
            user_id.range,
            format!(
                "`{}` is {chars} characters long: the API accepts at most {max} and answers 400",
                ctx.payload.api_path("metadata.user_id")
            ),
        );
    }
    if looks_like_email(id) {
        sink.report(
            &PERSONAL_USER_ID,
            user_id.range,
            format!(
                "`{}` looks like an email address: the API docs ask for an opaque id (a UUID or a hash), never a name or an email address",
                ctx.payload.api_path("metadata.user_id")
            ),
        );
    }
}

/// True for `local@domain.tld`.
fn looks_like_email(text: &str) -> bool {
    let Some((local, domain)) = text.trim().split_once('@') else {
        return false;
    };
    let labels: Vec<&str> = domain.split('.').collect();
    !local.is_empty()
        && !local.contains(char::is_whitespace)
        && labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}
