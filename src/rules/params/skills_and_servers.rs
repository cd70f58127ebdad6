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
    what: "this skill",
    type_name: "a skill type",
    note: "",
};

static MCP_SERVER: Item = Item {
    rule: &INVALID_MCP_SERVER,
    def: "/$defs/mcpServer",
    what: "this MCP server",
    type_name: "an MCP server type",
    note: " (the connector reaches servers over HTTP)",
};

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
    let Some(member) = field(ctx, "container") else {
        return;
    };
    let Some(skills) = member.value.get("skills").and_then(Node::as_array) else {
        return;
    };
    let max = api::limits().messages.max_skills;
    if let Some(first_over) = skills.get(max) {
        sink.report(
            &INVALID_CONTAINER,
            first_over.range,
            format!(
                "{} skills: a request loads at most {max}, and the API answers 400",
                skills.len()
            ),
        );
    }
    for (i, skill) in skills.iter().enumerate() {
        if skill.as_object().is_none() {
            continue;
        }
        let api = ctx.payload.api_path(&format!("container.skills.{i}"));
        check_item(sink, &SKILL, skill, &api);
    }
}

pub(super) fn check_mcp_servers(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(member) = field(ctx, "mcp_servers") else {
        return;
    };
    let Some(servers) = member.value.as_array() else {
        return;
    };
    let max = api::limits().messages.max_mcp_servers;
    if let Some(first_over) = servers.get(max) {
        sink.report(
            &INVALID_MCP_SERVER,
            first_over.range,
            format!(
                "{} MCP servers: a request takes at most {max}, and the API answers 400",
                servers.len()
            ),
        );
    }
    for (i, server) in servers.iter().enumerate() {
        if server.as_object().is_none() {
            continue;
        }
        let api = ctx.payload.api_path(&format!("mcp_servers.{i}"));
        check_item(sink, &MCP_SERVER, server, &api);
    }
}
