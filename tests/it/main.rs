//! The integration tests, one crate so they link once: each module is one subject, run
//! by name with `cargo test --test it <module>::` (or any test name filter).

mod api;
mod architecture;
mod cli;
mod configs;
mod context;
mod corpus;
mod count;
mod docs;
mod editors;
mod explain_error;
mod fix_all;
mod fixtures;
mod growth;
mod layers;
mod limits;
mod lsp;
mod mcp;
mod media;
mod output;
mod readme;
mod redaction;
mod robustness;
mod schemas;
mod stores;
mod traffic;
