//! Custom tools' names (pattern and length) and names defined twice.

use super::{DUPLICATE_TOOL_NAME, INVALID_TOOL_NAME, Kind, kind_of};
use crate::facts::tools;
use crate::rules::{Context, Severity, Sink};
use crate::syntax::Node;

/// Checks a custom tool's `name`: present, the API's pattern, within the length limits.
pub(super) fn check_custom_name(ctx: &Context<'_>, i: usize, tool: &Node, sink: &mut Sink<'_>) {
    let path = ctx.payload.api_path(&format!("tools.{i}.custom.name"));
    let Some(node) = tool.get("name") else {
        sink.report(
            &INVALID_TOOL_NAME,
            tool.range.head(1),
            format!("this tool has no `name`: the API answers 400 `{path}: Field required`"),
        );
        return;
    };
    let Some(name) = node.as_str() else {
        return;
    };
    let limits = &crate::facts::api::limits().tools;
    let (sure, max) = (limits.sure_name_chars, limits.max_name_chars);
    let pattern = format!(
        "the API answers 400 `{path}: String should match pattern '^[a-zA-Z0-9_-]{{1,{max}}}$'`"
    );
    if !tools::is_identifier(name) {
        let what = if name.is_empty() {
            "a tool name cannot be empty".to_owned()
        } else {
            format!("tool name `{name}` may hold only ASCII letters, digits, `_` and `-`")
        };
        sink.report(&INVALID_TOOL_NAME, node.range, format!("{what}: {pattern}"));
    } else if name.len() > max {
        sink.report(
            &INVALID_TOOL_NAME,
            node.range,
            format!(
                "this tool name is {} characters long, over the limit of {max}: {pattern}",
                name.len()
            ),
        );
    } else if name.len() > sure {
        sink.report_at(
            Severity::Warning,
            &INVALID_TOOL_NAME,
            node.range,
            format!(
                "this tool name is {} characters long: the documented limit is {sure} and API deployments that enforce it answer 400 `{path}: String should match pattern '^[a-zA-Z0-9_-]{{1,{sure}}}$'` (newer ones accept up to {max})",
                name.len()
            ),
            None,
        );
    }
}

/// The `name` each tool is called by, when written as a literal: custom tools and
/// Anthropic-defined tools with a fixed name (toolsets have none).
pub(super) fn tool_names(list: &[Node]) -> impl Iterator<Item = (usize, &Node, &str)> {
    list.iter().enumerate().filter_map(|(i, tool)| {
        let named = match kind_of(tool) {
            Kind::Custom => true,
            Kind::Anthropic(t) => t.fixed_name.is_some(),
            Kind::Unknown | Kind::Unreadable => false,
        };
        let node = tool.get("name").filter(|_| named)?;
        Some((i, node, node.as_str()?))
    })
}

/// Reports each name an earlier tool already has.
pub(super) fn check_duplicate_names(ctx: &Context<'_>, list: &[Node], sink: &mut Sink<'_>) {
    let named: Vec<(usize, &Node, &str)> = tool_names(list).collect();
    for (k, &(i, node, name)) in named.iter().enumerate() {
        if let Some(&(first, _, _)) = named[..k].iter().find(|(_, _, n)| *n == name) {
            sink.report(
                &DUPLICATE_TOOL_NAME,
                node.range,
                format!(
                    "`{name}` is already the name of `{}`: tool names must be unique, and the API rejects `{}` with a 400",
                    ctx.payload.api_path(&format!("tools.{first}")),
                    ctx.payload.api_path(&format!("tools.{i}"))
                ),
            );
        }
    }
}
