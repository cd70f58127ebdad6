//! The hand-written tables against the schema, both ways, like the `docs/rules` staleness
//! test: a field, block or tool added to one and not the other fails here.

use std::collections::BTreeSet;

use super::*;
use crate::facts::api::{self, Change};
use crate::facts::blocks::{BLOCK_TYPES, SYSTEM_CONTENT, TOOL_RESULT_CONTENT};
use crate::facts::params::{PARAMS, ParamKind};
use crate::facts::tools::{TOOL_CHOICE_TYPES, TOOL_TYPES};
use crate::words::thousands;

/// The members of the tagged union defined at `$defs/<union>`: each tag and the definition
/// its arm names.
fn arms(union: &str) -> Vec<(&'static str, &'static Json)> {
    let all_of = at(&format!("/$defs/{union}"))["allOf"]
        .as_array()
        .unwrap_or_else(|| panic!("{union} has no allOf"));
    all_of
        .iter()
        .flat_map(|arm| {
            let tags = strings(&arm["if"]["properties"]["type"]);
            let def = resolve(&arm["then"]);
            tags.into_iter().map(move |tag| (tag, def))
        })
        .collect()
}

fn set<'a>(names: impl IntoIterator<Item = &'a str>) -> BTreeSet<&'a str> {
    names.into_iter().collect()
}

/// The names under `keyword` of an object definition (`properties`' keys, `required`'s
/// members) but `skip` (the tag `type`, and for Anthropic-defined tools the fixed `name`).
fn names(def: &'static Json, keyword: &str, skip: &[&str]) -> BTreeSet<&'static str> {
    let all: Vec<&str> = match &def[keyword] {
        Json::Object(map) => map.keys().map(String::as_str).collect(),
        Json::Array(items) => items.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    };
    all.into_iter().filter(|k| !skip.contains(k)).collect()
}

fn describes_a_beta(def: &Json) -> bool {
    def["description"]
        .as_str()
        .is_some_and(|d| d.starts_with("Beta") || d.starts_with("Deprecated beta"))
}

#[test]
fn the_top_level_fields_are_the_params_table() {
    let in_schema = set(at("/$defs/requestBody")["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .filter(|k| *k != "$schema"));
    let in_table = set(PARAMS
        .iter()
        .filter(|p| !matches!(p.kind, ParamKind::SdkOnly(_)))
        .map(|p| p.name));
    assert_eq!(in_schema, in_table);
    for p in PARAMS {
        let described = description(p.name);
        match p.kind {
            ParamKind::Ga | ParamKind::Sampling => {
                assert!(described.is_some(), "`{}` has no description", p.name)
            }
            ParamKind::Beta(_) => {
                assert!(describes_a_beta(top_level(p.name).unwrap()), "{}", p.name)
            }
            ParamKind::Cloud => assert!(described.unwrap().contains("Bedrock"), "{}", p.name),
            ParamKind::SdkOnly(_) => assert_eq!(described, None),
        }
    }
}

#[test]
fn the_block_types_are_the_blocks_table() {
    let mut in_schema = Vec::new();
    for union in [
        "contentBlock",
        "toolResultContentBlock",
        "systemContentBlock",
    ] {
        in_schema.extend(arms(union));
    }
    assert_eq!(
        set(in_schema.iter().map(|(tag, _)| *tag)),
        set(BLOCK_TYPES.iter().map(|b| b.name))
    );
    for block in BLOCK_TYPES {
        let (_, def) = in_schema
            .iter()
            .find(|(tag, _)| *tag == block.name)
            .unwrap();
        assert_eq!(
            describes_a_beta(def),
            block.beta.is_some(),
            "{}",
            block.name
        );
        if block.beta.is_some() {
            continue;
        }
        assert_eq!(
            names(def, "required", &["type"]),
            set(block.required.iter().copied()),
            "{}",
            block.name
        );
        let mut fields = set(block.required.iter().copied());
        fields.extend(block.optional);
        assert_eq!(
            names(def, "properties", &["type"]),
            fields,
            "{}",
            block.name
        );
    }
    let tags = |union| {
        arms(union)
            .into_iter()
            .map(|(tag, _)| tag)
            .collect::<Vec<_>>()
    };
    assert_eq!(tags("toolResultContentBlock"), TOOL_RESULT_CONTENT);
    assert_eq!(tags("systemContentBlock"), SYSTEM_CONTENT);
}

#[test]
fn the_tool_types_are_the_tools_table() {
    let in_schema = arms("tool");
    let anthropic: Vec<_> = in_schema
        .iter()
        .filter(|(tag, _)| *tag != "custom")
        .collect();
    assert_eq!(
        set(anthropic.iter().map(|(tag, _)| *tag)),
        set(TOOL_TYPES.iter().map(|t| t.name))
    );
    for tool in TOOL_TYPES {
        let (_, def) = anthropic.iter().find(|(tag, _)| *tag == tool.name).unwrap();
        let fixed = def["properties"].get("name").map(strings);
        assert_eq!(fixed, tool.fixed_name.map(|n| vec![n]), "{}", tool.name);
        assert_eq!(
            names(def, "required", &["type", "name"]),
            set(tool.required.iter().copied()),
            "{}",
            tool.name
        );
        // A definition that says it is a beta names the betas of its tags, when it names any
        // (a beta name ends in a date).
        if describes_a_beta(def) {
            let beta = tool
                .beta
                .unwrap_or_else(|| panic!("{} is a beta", tool.name));
            let text = def["description"].as_str().unwrap();
            assert!(
                !text.contains("-20") || text.contains(beta),
                "{}: {text}",
                tool.name
            );
        }
    }
    assert_eq!(
        values_at("/$defs/toolChoice/properties/type"),
        TOOL_CHOICE_TYPES
    );
}

/// The limits the schema states (for editors that validate with it) are those of
/// `data/api.toml`, and so are the numbers and versions its descriptions name.
#[test]
fn the_schema_states_the_limits_of_the_api_table() {
    let limits = api::limits();
    let number = |pointer: &str| at(pointer).as_u64().unwrap();
    let skills = "/$defs/container/properties/skills/maxItems";
    assert_eq!(number(skills), limits.messages.max_skills as u64);
    let servers = "/$defs/requestBody/properties/mcp_servers/maxItems";
    assert_eq!(number(servers), limits.messages.max_mcp_servers as u64);
    let user_id = "/$defs/requestBody/properties/metadata/properties/user_id/maxLength";
    assert_eq!(number(user_id), limits.messages.max_user_id_chars as u64);
    let budget = "/$defs/thinkingEnabled/properties/budget_tokens/minimum";
    assert_eq!(number(budget), limits.thinking.min_budget_tokens);
    let says = |name: &str, what: String| {
        let text = description(name).unwrap();
        assert!(
            text.contains(&what),
            "`{name}`: {text:?} does not say {what:?}"
        );
    };
    says("messages", thousands(limits.messages.max_messages as u64));
    says("thinking", thousands(limits.thinking.min_budget_tokens));
    says(
        "cache_control",
        format!("the {} breakpoints", limits.caching.max_breakpoints),
    );
    says(
        "container",
        format!("at most {} skills", limits.messages.max_skills),
    );
    let removal = api::removal(Change::SamplingParameters);
    for name in ["temperature", "top_p", "top_k"] {
        says(
            name,
            format!(
                "Only under API version {}: version {} rejects it.",
                removal.accepted_in, removal.removed_in
            ),
        );
    }
}

#[test]
fn values_come_from_enums_consts_and_examples() {
    assert_eq!(values("service_tier"), ["auto", "standard_only"]);
    assert_eq!(values("speed"), ["standard", "fast"]);
    assert_eq!(values("inference_geo"), ["global", "us"]);
    assert_eq!(default("inference_geo"), Some("global"));
    assert_eq!(values("model"), Vec::<&str>::new());
    assert_eq!(values("no_such_field"), Vec::<&str>::new());
    assert_eq!(values_at("/$defs/mcpServer/properties/type"), ["url"]);
    assert_eq!(required_at("/$defs/mcpServer"), ["type", "name", "url"]);
    // A `$ref` is followed: `tool_choice` is the `toolChoice` union.
    assert_eq!(values("tool_choice"), Vec::<&str>::new());
    assert_eq!(
        at("/$defs/requestBody/properties/tool_choice")["title"],
        "a tool choice"
    );
    assert!(
        description("temperature")
            .unwrap()
            .starts_with("Randomness")
    );
    assert_eq!(description("extra_body"), None);
}
