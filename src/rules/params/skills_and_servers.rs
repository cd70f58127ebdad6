//! The entries of `container.skills` and `mcp_servers`: how many, their required members
//! and their `type`, as the schema describes them.

use super::{INVALID_CONTAINER, INVALID_MCP_SERVER, choices, field};
use crate::facts::api;
use crate::facts::request_schema;
use crate::rules::{Context, Sink};
use crate::syntax::Node;

/// An entry of a list the schema describes: a skill of `container.skills`, an MCP server.
struct Item {
    /// The rule that reports it.
    rule: &'static crate::rules::Rule,
    /// Where the schema describes it.
    def: &'static str,
    /// The list's path in the request, `container.skills`.
    path: &'static str,
    /// The most entries a request takes.
    max: fn() -> usize,
    /// What a count of entries is followed by: "skills: a request loads".
    too_many: &'static str,
    /// "this skill".
    what: &'static str,
    /// "a skill type".
    type_name: &'static str,
    /// What the message about a wrong `type` ends with.
    note: &'static str,
}

static SKILL: Item = Item {
    rule: &INVALID_CONTAINER,
    def: "/$defs/container/properties/skills/items",
    path: "container.skills",
    max: || api::limits().messages.max_skills,
    too_many: "skills: a request loads",
    what: "this skill",
    type_name: "a skill type",
    note: "",
};

static MCP_SERVER: Item = Item {
    rule: &INVALID_MCP_SERVER,
    def: "/$defs/mcpServer",
    path: "mcp_servers",
    max: || api::limits().messages.max_mcp_servers,
    too_many: "MCP servers: a request takes",
    what: "this MCP server",
    type_name: "an MCP server type",
    note: " (the connector reaches servers over HTTP)",
};

/// The entries of `list`: how many, and each object's members.
fn check_list(ctx: &Context<'_>, sink: &mut Sink<'_>, item: &Item, list: &[Node]) {
    let max = (item.max)();
    if let Some(first_over) = list.get(max) {
        sink.report(
            item.rule,
            first_over.range,
            format!(
                "{} {} at most {max}, and the API answers 400",
                list.len(),
                item.too_many
            ),
        );
    }
    for (i, entry) in list.iter().enumerate() {
        if entry.as_object().is_some() {
            let api = ctx.payload.api_path(&format!("{}.{i}", item.path));
            check_item(sink, item, entry, &api);
        }
    }
}

/// The members the schema requires of `object` (reported at its opening brace), and its
/// `type` among the schema's values.
fn check_item(sink: &mut Sink<'_>, item: &Item, object: &Node, api: &str) {
    for name in request_schema::required_at(item.def) {
        if object.get(name).is_none() {
            sink.report(
                item.rule,
                object.range.head(1),
                format!(
                    "{} has no `{name}`: the API answers 400 `{api}.{name}: Field required`",
                    item.what
                ),
            );
        }
    }
    let types = request_schema::values_at(&format!("{}/properties/type", item.def));
    if let Some(kind) = object.get("type")
        && let Some(name) = kind.as_str().filter(|k| !types.contains(k))
    {
        sink.report(
            item.rule,
            kind.range,
            format!(
                "`{name}` is not {}: the API answers 400 `{api}.type: Input should be {}`{}",
                item.type_name,
                choices(&types),
                item.note
            ),
        );
    }
}

pub(super) fn check_container(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let skills = field(ctx, "container").and_then(|m| m.value.get("skills"));
    if let Some(skills) = skills.and_then(Node::as_array) {
        check_list(ctx, sink, &SKILL, skills);
    }
}

pub(super) fn check_mcp_servers(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    if let Some(servers) = field(ctx, "mcp_servers").and_then(|m| m.value.as_array()) {
        check_list(ctx, sink, &MCP_SERVER, servers);
    }
}
