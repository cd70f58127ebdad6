//! The node kinds each grammar writes the shapes of [`super::sdk_calls`] with, side by side:
//! one row per shape, Python's value first, then JavaScript's and TypeScript's. Comparing the
//! two languages, or adding a third, starts here.

use super::code::{NumberSyntax, Sdk};
use super::sdk_calls::Kinds;
use super::{javascript, python};
use crate::fix::Host;

/// Builds one [`Kinds`] per column of the table.
macro_rules! kinds {
    ($($field:ident: $python:expr, $javascript:expr;)*) => {
        /// Python's node kinds.
        pub(crate) const PYTHON: Kinds = Kinds { $($field: $python),* };
        /// JavaScript's and TypeScript's node kinds.
        pub(crate) const JAVASCRIPT: Kinds = Kinds { $($field: $javascript),* };
    };
}

kinds! {
    host: Host::Python, Host::JavaScript;
    sdk: Sdk::Python, Sdk::TypeScript;
    call: "call", "call_expression";
    arguments: "argument_list", "arguments";
    member: ("attribute", "attribute"), ("member_expression", "property");
    names: &["identifier"], &["identifier", "this"];
    new: ("call", "function"), ("new_expression", "constructor");
    with_options: &["with_options", "copy"], &["withOptions"];
    retries: "max_retries", "maxRetries";
    strings: &["string", "concatenated_string"], &["string", "template_string"];
    null: "none", "null";
    unary: "unary_operator", "unary_expression";
    arrays:
        (&["list", "tuple"], &["list_splat", "parenthesized_list_splat"]),
        (&["array"], &["spread_element"]);
    numbers:
        NumberSyntax { literals: &["integer", "float"], binary: "binary_operator", unwrap: python::unwrap_await },
        NumberSyntax { literals: &["number"], binary: "binary_expression", unwrap: javascript::unwrap };
    loops:
        &["for_statement", "while_statement"],
        &["for_statement", "for_in_statement", "while_statement", "do_statement"];
    factories: &["function_definition"], &["function_declaration"];
    factory_bindings:
        ("assignment", ("left", "right"), &["lambda"]),
        ("variable_declarator", ("name", "value"), &["arrow_function", "function_expression", "function"]);
    blocks: &["block"], &["statement_block"];
    scopes:
        &["function_definition", "lambda", "class_definition"],
        &["function_declaration", "generator_function_declaration", "function_expression", "function",
          "generator_function", "arrow_function", "method_definition", "class_declaration", "class"];
    harmless:
        &["len", "print", "str", "repr", "isinstance", "json.dumps", "type", "id"],
        &["console.log", "console.error", "JSON.stringify", "String", "Array.isArray"];
}
