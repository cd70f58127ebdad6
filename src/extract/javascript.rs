//! The JavaScript and TypeScript grammar of the code extractor ([`super::sdk_calls`]): calls of
//! `messages.create` and its siblings on clients of `@anthropic-ai/sdk`,
//! `@anthropic-ai/bedrock-sdk` and `@anthropic-ai/vertex-sdk`, their first argument the body.
//!
//! What only JavaScript has: `const`/`let`/`var` and destructuring patterns, `import` and
//! `require` of the SDK packages and `axios`, `new` clients and class fields (`this.client`),
//! object literals with shorthand members and `...spreads`, template strings, and TypeScript's
//! `as const`, `satisfies`, `!` and `<T>`, which are looked through. A member set to
//! `undefined` is absent, as `JSON.stringify` leaves it out. The request options in the second
//! argument are not part of the body; their `headers` may add betas.

use std::collections::HashMap;

use tree_sitter::{Language, Node as TsNode};

use super::code::{self, Client, ObjectBuilder, Setting, beta_header, range, string_list};
use super::files::{Document, FileKind};
use super::names::{Ancestors, Use};
use super::node_kinds;
use super::sdk_calls::{self, Body, Extractor, Grammar, Kinds, SdkCall};
use super::siblings::Siblings;
use crate::facts::{Dialect, sdk};
use crate::syntax::{Member, Node, TextRange, Value};

/// The JavaScript dialect of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// `.js`, `.mjs`, `.cjs`, `.jsx`.
    JavaScript,
    /// `.ts`, `.mts`, `.cts`.
    TypeScript,
    /// `.tsx`.
    Tsx,
}

impl Flavor {
    /// The tree-sitter grammar for this dialect.
    pub(crate) fn language(self) -> Language {
        match self {
            Flavor::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Flavor::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Flavor::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
        }
    }

    /// The file kind written in this dialect.
    pub(crate) fn kind(self) -> FileKind {
        match self {
            Flavor::JavaScript => FileKind::JavaScript,
            Flavor::TypeScript => FileKind::TypeScript,
            Flavor::Tsx => FileKind::Tsx,
        }
    }
}

/// Finds the requests in a JavaScript or TypeScript source text, with the modules beside it
/// it may import constants from.
pub(crate) fn extract(text: &str, flavor: Flavor, siblings: &Siblings) -> Vec<Document> {
    let Some(tree) = sdk_calls::parse(text, &flavor.language()) else {
        return Vec::new();
    };
    sdk_calls::extract(text, &tree, JavaScript::default(), siblings)
}

/// The constants a JavaScript or TypeScript module exports to the files that import it
/// ([`sdk_calls::constants`]).
pub(crate) fn constants(text: &str, flavor: Flavor) -> Vec<(String, Value, TextRange)> {
    let Some(tree) = sdk_calls::parse(text, &flavor.language()) else {
        return Vec::new();
    };
    sdk_calls::constants(text, &tree, JavaScript::default())
}

/// What a JavaScript file imports.
#[derive(Default)]
pub(crate) struct JavaScript<'t> {
    /// Local names bound to an Anthropic package's export: the platform of the package, and
    /// whether the binding is the whole module (`import * as sdk`).
    imports: HashMap<&'t str, (Dialect, bool)>,
    /// Local names bound to the `axios` package.
    axios: Vec<&'t str>,
    /// Names bound to the value of a call, which may be a client factory's.
    calls: Vec<(TsNode<'t>, TsNode<'t>)>,
}

type Ex<'t> = Extractor<'t, JavaScript<'t>>;

/// The platform of an Anthropic package, from its name.
fn package_dialect(source: &str) -> Option<Dialect> {
    let name = source.trim_matches(['"', '\'', '`']);
    let package = name.split('/').take(2).collect::<Vec<_>>().join("/");
    Some(match package.as_str() {
        "@anthropic-ai/sdk" | "@anthropic-ai/foundry-sdk" => Dialect::FirstParty,
        "@anthropic-ai/bedrock-sdk" => Dialect::Bedrock,
        "@anthropic-ai/vertex-sdk" => Dialect::Vertex,
        _ => return None,
    })
}

impl<'t> Grammar<'t> for JavaScript<'t> {
    const KINDS: Kinds = node_kinds::JAVASCRIPT;

    fn collect(ex: &mut Ex<'t>, root: TsNode<'t>) {
        ex.walk_scopes(root, open_scope, visit);
        // `const client = makeClient()`: known once the file's factories are.
        ex.collect_factories(root);
        for (name, value) in std::mem::take(&mut ex.lang.calls) {
            let client = ex.constructed(value);
            ex.target(name, client);
        }
    }

    fn unwrap(node: TsNode<'t>) -> TsNode<'t> {
        unwrap(node)
    }

    fn look_through(node: TsNode<'t>) -> TsNode<'t> {
        unwrap(node)
    }

    fn constructor_class(ex: &Ex<'t>, constructor: TsNode<'t>) -> Option<Dialect> {
        class(ex, constructor).or_else(|| {
            // `new (require("@anthropic-ai/sdk"))()` is rare; a bare client class name is not.
            let name = ex.src(constructor);
            code::client_class(name)
                .filter(|_| !ex.names.is_bound(name))
                .filter(|_| ex.text.contains("@anthropic-ai/"))
        })
    }

    /// Applies the arguments of a constructor or `withOptions(...)`: option objects.
    fn client_arguments(ex: &Ex<'t>, args: TsNode<'t>, client: &mut Client) {
        let mut cursor = args.walk();
        for arg in args.named_children(&mut cursor) {
            match unwrap(arg).kind() {
                "object" => client_options(ex, unwrap(arg), client),
                "comment" => {}
                _ => client.forget(),
            }
        }
    }

    /// `undefined` and `null` leave an option at its default (the SDK reads it with `??`).
    fn is_default(_: &Ex<'t>, value: TsNode<'t>) -> bool {
        is_undefined(value) || value.kind() == "null"
    }

    /// The arguments of `new Anthropic(...)`.
    fn constructor_values(ex: &Ex<'t>, node: TsNode<'t>) -> Option<Vec<TsNode<'t>>> {
        if node.kind() != "new_expression" {
            return None;
        }
        ex.constructed(node)?;
        let args = node.child_by_field_name("arguments")?;
        let mut cursor = args.walk();
        Some(args.named_children(&mut cursor).collect())
    }

    /// The body object (`betas` is an SDK parameter, sent as a header, like the header
    /// keywords of data/sdk.toml, which are taken out) and the request options after it.
    fn body(ex: &mut Ex<'t>, call: &SdkCall<'t>) -> Option<Body> {
        let mut cursor = call.args.walk();
        let mut arguments = call
            .args
            .named_children(&mut cursor)
            .filter(|a| a.kind() != "comment");
        let body = arguments.next()?;
        let options = arguments.next().map(unwrap);
        let (root, betas) = body_object(ex, body)?;
        let (timeout, max_retries) = match options {
            None => (Setting::Default, Setting::Default),
            Some(o) if o.kind() == "object" => {
                let mut set = Client::new(Dialect::FirstParty);
                client_options(ex, o, &mut set);
                (set.timeout, set.max_retries)
            }
            Some(_) => (Setting::Unknown, Setting::Unknown),
        };
        let option_betas = match options {
            None => Some(Vec::new()),
            Some(o) if o.kind() == "object" => {
                let lowered = ex.lower(o, 0);
                match lowered.get("headers") {
                    Some(headers) => match beta_header(headers) {
                        Some(listed) => listed,
                        None => Some(Vec::new()),
                    },
                    None if lowered.has_spread() || lowered.is_unknown() => None,
                    None => Some(Vec::new()),
                }
            }
            Some(_) => None,
        };
        let betas = match (betas, option_betas) {
            (Some(mut listed), Some(more)) => {
                listed.extend(more);
                Some(listed)
            }
            (None, Some(more)) if call.client.is_some_and(|c| c.plain) => Some(more),
            _ => None,
        };
        Some(Body {
            root,
            betas,
            timeout,
            max_retries,
        })
    }

    /// `export const NAME = ...` and `export { NAME, LOCAL as NAME }` at the top level.
    fn exports(ex: &Ex<'t>, root: TsNode<'t>) -> Option<Vec<(&'t str, &'t str)>> {
        let mut names = Vec::new();
        let mut cursor = root.walk();
        for export in root.named_children(&mut cursor) {
            if export.kind() != "export_statement" || export.child_by_field_name("source").is_some()
            {
                continue;
            }
            let mut c = export.walk();
            if let Some(declaration) = export.child_by_field_name("declaration") {
                for declarator in declaration.named_children(&mut c) {
                    if let Some(name) = declarator.child_by_field_name("name") {
                        names.push((ex.src(name), ex.src(name)));
                    }
                }
                continue;
            }
            let clauses: Vec<TsNode<'t>> = export
                .named_children(&mut c)
                .filter(|n| n.kind() == "export_clause")
                .collect();
            for clause in clauses {
                for specifier in clause.named_children(&mut c) {
                    let local = specifier.child_by_field_name("name");
                    let exported = specifier.child_by_field_name("alias").or(local);
                    if let (Some(local), Some(exported)) = (local, exported) {
                        names.push((ex.src(exported), ex.src(local)));
                    }
                }
            }
        }
        Some(names)
    }

    /// A request to a Claude endpoint sent with the global `fetch` or with `axios.post`, its
    /// URL written as a literal.
    fn raw_request(ex: &Ex<'t>, call: TsNode<'t>) -> Option<Document> {
        let function = unwrap(call.child_by_field_name("function")?);
        let args = call.child_by_field_name("arguments")?;
        let library = match function.kind() {
            "identifier" if ex.src(function) == "fetch" && !ex.names.is_bound("fetch") => "fetch",
            "member_expression" => {
                let object = ex.src(function.child_by_field_name("object")?);
                let property = ex.src(function.child_by_field_name("property")?);
                match (object, property) {
                    ("globalThis" | "window", "fetch") => "fetch",
                    (axios, "post") if ex.lang.axios.contains(&axios) => "axios",
                    _ => return None,
                }
            }
            _ => return None,
        };
        let mut cursor = args.walk();
        let first = args
            .named_children(&mut cursor)
            .find(|a| a.kind() != "comment")?;
        let url = ex.url(first, 0)?;
        ex.raw_http(call, &url, library)
    }

    /// A string or template literal, its escapes decoded.
    fn string(ex: &Ex<'t>, expr: TsNode<'t>) -> (String, bool) {
        let mut text = String::new();
        let mut known = true;
        let mut high_surrogate = None;
        let mut cursor = expr.walk();
        for part in expr.named_children(&mut cursor) {
            let decoded = match part.kind() {
                "string_fragment" => Some(ex.src(part).to_owned()),
                "escape_sequence" => {
                    match decode_escape(ex.src(part)) {
                        Escape::Char(c) => Some(c.to_string()),
                        Escape::Nothing => Some(String::new()),
                        Escape::Unit(unit) => {
                            // A `\uD83D\uDE00` pair is one character in two escapes.
                            match (high_surrogate.take(), unit) {
                                (None, 0xD800..=0xDBFF) => {
                                    high_surrogate = Some(unit);
                                    continue;
                                }
                                (Some(high), 0xDC00..=0xDFFF) => char::from_u32(
                                    0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00),
                                )
                                .map(String::from),
                                _ => Some('\u{FFFD}'.to_string()),
                            }
                        }
                        Escape::Invalid => None,
                    }
                }
                _ => None,
            };
            if high_surrogate.take().is_some() {
                text.push('\u{FFFD}');
            }
            match decoded {
                Some(piece) => text.push_str(&piece),
                None => known = false,
            }
        }
        if high_surrogate.is_some() {
            text.push('\u{FFFD}');
        }
        (text, known)
    }

    /// A string literal or a template without substitutions.
    fn url_value(ex: &Ex<'t>, expr: TsNode<'t>, _depth: usize) -> Option<String> {
        if !matches!(expr.kind(), "string" | "template_string") {
            return None;
        }
        let mut cursor = expr.walk();
        let mut text = String::new();
        for part in expr.named_children(&mut cursor) {
            match part.kind() {
                "string_fragment" => text.push_str(ex.src(part)),
                _ => return None,
            }
        }
        Some(text)
    }

    /// Object literals, and what TypeScript wraps around a value.
    fn lower_other(ex: &mut Ex<'t>, expr: TsNode<'t>, depth: usize) -> Node {
        let unknown = Node::new(range(expr), Value::Unknown);
        match expr.kind() {
            "parenthesized_expression"
            | "as_expression"
            | "satisfies_expression"
            | "non_null_expression"
            | "type_assertion" => {
                let inner = unwrap(expr);
                if inner.id() == expr.id() {
                    unknown
                } else {
                    ex.lower(inner, depth + 1)
                }
            }
            "object" => object(ex, expr, depth, false),
            _ => unknown,
        }
    }
}

// ---- names ----

/// The scope a function opens, its name bound outside and its parameters inside.
fn open_scope<'t>(ex: &mut Ex<'t>, node: TsNode<'t>, scope: usize) -> Option<usize> {
    if !matches!(
        node.kind(),
        "function_declaration"
            | "generator_function_declaration"
            | "function_expression"
            | "function"
            | "generator_function"
            | "arrow_function"
            | "method_definition"
    ) {
        return None;
    }
    if let Some(name) = node.child_by_field_name("name")
        && name.kind() == "identifier"
    {
        ex.record(name, scope, Use::Bind);
    }
    let inner = ex.names.open(Some(scope), false);
    if let Some(params) = node.child_by_field_name("parameters") {
        bind_params(ex, params, inner);
    }
    if let Some(param) = node.child_by_field_name("parameter") {
        bind_pattern(ex, param, inner);
    }
    Some(inner)
}

/// Bindings, mutations, imports and assignment targets (`up` are the node's ancestors).
fn visit<'t>(ex: &mut Ex<'t>, node: TsNode<'t>, scope: usize, up: Ancestors<'t>) {
    if matches!(node.kind(), "identifier" | "shorthand_property_identifier") {
        ex.names.enter(node, scope);
    }
    match node.kind() {
        "variable_declarator" => {
            let Some(name) = node.child_by_field_name("name") else {
                return;
            };
            let value = node.child_by_field_name("value");
            match (name.kind(), value) {
                ("identifier", Some(value)) => {
                    ex.record(name, scope, Use::Assign(value));
                    // `const Anthropic = require("@anthropic-ai/sdk")`: the module is the
                    // client class, with the other classes as its properties.
                    if let Some(dialect) = required_package(ex, value) {
                        ex.lang.imports.insert(ex.src(name), (dialect, false));
                    }
                    if is_axios(required(ex, value).map(|s| ex.src(s))) {
                        ex.lang.axios.push(ex.src(name));
                    }
                    match ex.constructed(value).or_else(|| typed(ex, node)) {
                        None if unwrap(value).kind() == "call_expression" => {
                            ex.lang.calls.push((name, value))
                        }
                        client => ex.target(name, client),
                    }
                }
                ("identifier", None) => {
                    ex.record(name, scope, Use::Bind);
                    let client = typed(ex, node);
                    ex.target(name, client);
                }
                _ => {
                    bind_pattern(ex, name, scope);
                    if let Some(value) = value {
                        require(ex, name, value);
                    }
                }
            }
        }
        "assignment_expression" => {
            if let (Some(left), Some(right)) = (
                node.child_by_field_name("left"),
                node.child_by_field_name("right"),
            ) {
                write(ex, left, scope);
                let client = ex.constructed(right);
                ex.target(left, client);
            }
        }
        "public_field_definition" | "field_definition" => {
            let name = node
                .child_by_field_name("name")
                .or_else(|| node.child_by_field_name("property"));
            if let Some(name) = name {
                let client = node
                    .child_by_field_name("value")
                    .and_then(|v| ex.constructed(v))
                    .or_else(|| typed(ex, node));
                field(ex, name, client);
            }
        }
        // `x += 1` and `x++` write to `x`; `for (const x of xs)` and `catch (e)` bind names.
        "augmented_assignment_expression"
        | "update_expression"
        | "for_in_statement"
        | "catch_clause" => {
            let target = ["left", "argument", "parameter"]
                .into_iter()
                .find_map(|field| node.child_by_field_name(field));
            match (node.kind(), target) {
                (_, None) => {}
                ("for_in_statement" | "catch_clause", Some(pattern)) => {
                    bind_pattern(ex, pattern, scope)
                }
                (_, Some(target)) => write(ex, target, scope),
            }
        }
        "class_declaration" => {
            if let Some(name) = node.child_by_field_name("name") {
                ex.record(name, scope, Use::Bind);
            }
        }
        "import_statement" => import(ex, node, scope),
        "identifier" | "shorthand_property_identifier" if mutates(ex, node, up) => {
            ex.record(node, scope, Use::Mutate);
        }
        _ => {}
    }
}

/// A write to `target`: rebinding a name, or changing what a name holds in place.
fn write<'t>(ex: &mut Ex<'t>, target: TsNode<'t>, scope: usize) {
    match target.kind() {
        "identifier" => ex.record(target, scope, Use::Bind),
        "member_expression" | "subscript_expression" => {
            let mut base = target;
            while let Some(object) = base.child_by_field_name("object") {
                base = object;
            }
            if base.kind() == "identifier" {
                ex.record(base, scope, Use::Mutate);
            }
        }
        _ => bind_pattern(ex, target, scope),
    }
}

/// True when this use of a name may change its value: a method call or property on it,
/// handing it to a function that is not an SDK call, aliasing it (`up` are its ancestors).
fn mutates<'t>(ex: &Ex<'t>, node: TsNode<'t>, up: Ancestors<'t>) -> bool {
    let Some(parent) = up.parent() else {
        return false;
    };
    let is = |field| {
        parent
            .child_by_field_name(field)
            .is_some_and(|c| c.id() == node.id())
    };
    match parent.kind() {
        "member_expression" => is("object"),
        "variable_declarator" | "assignment_expression" => is("value") || is("right"),
        "arguments" => ex.may_change(up.grandparent()),
        "spread_element" => up
            .grandparent()
            .is_some_and(|p| p.kind() == "arguments" && ex.may_change(up.great_grandparent())),
        _ => false,
    }
}

fn bind_params<'t>(ex: &mut Ex<'t>, params: TsNode<'t>, scope: usize) {
    let mut cursor = params.walk();
    for param in params.named_children(&mut cursor) {
        // `model = "..."` (JS), `model: string = "..."` (TS): a scalar default is known.
        let default = match param.kind() {
            "assignment_pattern" => param
                .child_by_field_name("left")
                .zip(param.child_by_field_name("right")),
            "required_parameter" => param
                .child_by_field_name("pattern")
                .zip(param.child_by_field_name("value")),
            _ => None,
        };
        if let Some((name, value)) = default
            && name.kind() == "identifier"
            && Ex::is_scalar_default(value)
        {
            ex.record(name, scope, Use::Assign(value));
            continue;
        }
        let pattern = match param.kind() {
            "required_parameter" | "optional_parameter" => param
                .child_by_field_name("pattern")
                .or_else(|| param.child_by_field_name("name")),
            "assignment_pattern" => param.child_by_field_name("left"),
            _ => Some(param),
        };
        if let Some(pattern) = pattern {
            bind_pattern(ex, pattern, scope);
        }
        // `constructor(private client: Anthropic)` is a field too.
        if let (Some(name), Some(_)) = (
            param.child_by_field_name("pattern"),
            param.child_by_field_name("type"),
        ) {
            let client = typed(ex, param);
            ex.target(name, client);
            if param
                .named_child(0)
                .is_some_and(|c| c.kind() == "accessibility_modifier")
            {
                field(ex, name, client);
            }
        }
    }
}

/// A class field (`client = new Anthropic()`, `constructor(private client: Anthropic)`),
/// which methods reach as `this.<name>`.
fn field<'t>(ex: &mut Ex<'t>, name: TsNode<'t>, client: Option<Client>) {
    let this = format!("this.{}", ex.src(name));
    // The key borrows the text: any place the file writes `this.<name>` will do.
    if let Some(at) = ex.text.find(&this) {
        let key = &ex.text[at..at + this.len()];
        ex.targets.entry(key).or_default().push(client);
    }
}

/// Binds every name a pattern introduces (`{a, b: [c]}`, `...rest`).
fn bind_pattern<'t>(ex: &mut Ex<'t>, pattern: TsNode<'t>, scope: usize) {
    let mut cursor = pattern.walk();
    let mut stack = vec![pattern];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "identifier" | "shorthand_property_identifier_pattern" => {
                ex.record(n, scope, Use::Bind)
            }
            "type_annotation" | "member_expression" | "subscript_expression" => {}
            "pair_pattern" => stack.extend(n.child_by_field_name("value")),
            "assignment_pattern" => stack.extend(n.child_by_field_name("left")),
            _ => stack.extend(n.named_children(&mut cursor)),
        }
    }
}

fn import<'t>(ex: &mut Ex<'t>, node: TsNode<'t>, scope: usize) {
    let source = node.child_by_field_name("source").map(|s| ex.src(s));
    let dialect = source.and_then(package_dialect);
    let sibling = source.and_then(sibling_module);
    let mut cursor = node.walk();
    let mut stack: Vec<TsNode<'t>> = node.named_children(&mut cursor).collect();
    while let Some(n) = stack.pop() {
        match n.kind() {
            "import_clause" | "named_imports" => stack.extend(n.named_children(&mut cursor)),
            "identifier" => {
                ex.record(n, scope, Use::Bind);
                if let Some(d) = dialect {
                    ex.lang.imports.insert(ex.src(n), (d, false));
                }
                if is_axios(source) {
                    ex.lang.axios.push(ex.src(n));
                }
            }
            "namespace_import" => {
                if let Some(local) = n.named_child(0) {
                    ex.record(local, scope, Use::Bind);
                    if let Some(d) = dialect {
                        ex.lang.imports.insert(ex.src(local), (d, true));
                    }
                }
            }
            "import_specifier" => {
                let name = n.child_by_field_name("name");
                let local = n.child_by_field_name("alias").or(name);
                if let (Some(name), Some(local), Some(d)) = (name, local, dialect) {
                    let exported = ex.src(name);
                    let dialect =
                        code::client_class(exported).or((exported == "default").then_some(d));
                    if let Some(dialect) = dialect {
                        ex.lang.imports.insert(ex.src(local), (dialect, false));
                    }
                }
                if let Some(local) = local {
                    ex.record(local, scope, Use::Bind);
                }
                if let (Some(name), Some(local), Some(files)) = (name, local, &sibling) {
                    let imported = (files.clone(), ex.src(name));
                    ex.sibling_imports.insert(ex.src(local), imported);
                }
            }
            _ => {}
        }
    }
}

/// The files a module beside the importing file may be, in the order they are looked for:
/// `"./config"` → `config.ts`, `config.tsx`, `config.js`, ...; `"./config.js"` → `config.js`
/// and the TypeScript source it is compiled from, `config.ts`. Only a module in the same
/// directory (one hop) is read.
fn sibling_module(source: &str) -> Option<Vec<String>> {
    let name = source.trim_matches(['"', '\'', '`']).strip_prefix("./")?;
    if name.is_empty() || name.contains(['/', '\\']) {
        return None;
    }
    let (stem, extension) = name.rsplit_once('.').unwrap_or((name, ""));
    let with = |extensions: &[&str]| extensions.iter().map(|e| format!("{stem}.{e}")).collect();
    Some(match extension {
        "ts" | "tsx" | "mts" | "cts" => vec![name.to_owned()],
        "js" => with(&["js", "ts", "tsx"]),
        "jsx" => with(&["jsx", "tsx"]),
        "mjs" => with(&["mjs", "mts"]),
        "cjs" => with(&["cjs", "cts"]),
        _ => [".ts", ".tsx", ".js", ".jsx", ".mjs", ".mts"]
            .iter()
            .map(|e| format!("{name}{e}"))
            .collect(),
    })
}

/// `const Anthropic = require("@anthropic-ai/sdk")`, `const { AnthropicBedrock } = ...`.
fn require<'t>(ex: &mut Ex<'t>, pattern: TsNode<'t>, value: TsNode<'t>) {
    if required_package(ex, value).is_none() {
        return;
    }
    let mut cursor = pattern.walk();
    for n in pattern.named_children(&mut cursor) {
        if n.kind() == "shorthand_property_identifier_pattern"
            && let Some(dialect) = code::client_class(ex.src(n))
        {
            ex.lang.imports.insert(ex.src(n), (dialect, false));
        }
    }
}

fn required_package<'t>(ex: &Ex<'t>, value: TsNode<'t>) -> Option<Dialect> {
    package_dialect(ex.src(required(ex, value)?))
}

/// The package name of `require("...")`.
fn required<'t>(ex: &Ex<'t>, value: TsNode<'t>) -> Option<TsNode<'t>> {
    if value.kind() != "call_expression" {
        return None;
    }
    let function = value.child_by_field_name("function")?;
    let args = value.child_by_field_name("arguments")?;
    (ex.src(function) == "require")
        .then(|| args.named_child(0))
        .flatten()
}

// ---- clients ----

/// The platform of the client class an expression names.
fn class<'t>(ex: &Ex<'t>, class: TsNode<'t>) -> Option<Dialect> {
    let imports = &ex.lang.imports;
    match class.kind() {
        "identifier" | "type_identifier" => match imports.get(ex.src(class)) {
            Some(&(dialect, false)) => Some(dialect),
            _ => None,
        },
        "member_expression" | "nested_type_identifier" => {
            let (module, export) = ex.src(class).rsplit_once('.')?;
            match imports.get(module.trim()) {
                Some(&(dialect, _)) => code::client_class(export.trim())
                    .or((export.trim() == "default").then_some(dialect)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Applies the members of a constructor's or `withOptions(...)`' options object.
fn client_options<'t>(ex: &Ex<'t>, object: TsNode<'t>, client: &mut Client) {
    let mut c = object.walk();
    for member in object.named_children(&mut c) {
        let key = match member.kind() {
            "pair" => member
                .child_by_field_name("key")
                .map(|k| ex.src(k).trim_matches(['"', '\''])),
            "shorthand_property_identifier" => Some(ex.src(member)),
            "comment" => continue,
            _ => None,
        };
        let value = member.child_by_field_name("value").unwrap_or(member);
        match key {
            Some("baseURL") => client.direct = false,
            Some("defaultHeaders") => client.plain = false,
            Some("timeout") => client.timeout = ex.setting(value, 0.001),
            Some("maxRetries") => client.max_retries = ex.setting(value, 1.0),
            Some(_) => {}
            None => client.forget(),
        }
    }
}

/// A client from a type annotation (`client: Anthropic`).
fn typed<'t>(ex: &Ex<'t>, node: TsNode<'t>) -> Option<Client> {
    let annotation = node.child_by_field_name("type")?;
    let ty = annotation.named_child(0).unwrap_or(annotation);
    let dialect = class(ex, ty)?;
    Some(Client::made_elsewhere(dialect))
}

// ---- requests and values ----

/// The body object and the betas it lists, with the header keywords taken out.
fn body_object<'t>(ex: &mut Ex<'t>, arg: TsNode<'t>) -> Option<(Node, Option<Vec<String>>)> {
    let mut literal = unwrap(arg);
    if literal.kind() == "identifier" {
        literal = unwrap(ex.names.resolve(ex.src(literal), literal)?);
    }
    if literal.kind() != "object" {
        return None;
    }
    let mut root = object(ex, literal, 0, true);
    let mut betas = None;
    if let Value::Object(members) = &mut root.value {
        let keywords = sdk::keywords();
        if let Some(at) = members.iter().rposition(|m| m.key == keywords.betas) {
            betas = string_list(&members.remove(at).value);
        }
        // `user_profile_id` and `workspace_id` are popped out and sent as headers.
        members.retain(|m| !keywords.is_header(&m.key));
    }
    Some((root, betas))
}

/// An object literal; `root` says whether it is the payload's root object.
fn object<'t>(ex: &mut Ex<'t>, expr: TsNode<'t>, depth: usize, root: bool) -> Node {
    let mut object = ObjectBuilder::default();
    let mut cursor = expr.walk();
    for member in expr.named_children(&mut cursor) {
        match member.kind() {
            "pair" => {
                let (Some(key), Some(value)) = (
                    member.child_by_field_name("key"),
                    member.child_by_field_name("value"),
                ) else {
                    continue;
                };
                let name = match key.kind() {
                    "property_identifier" | "number" => Some(ex.src(key).to_owned()),
                    "string" => ex.string(key).as_str().map(str::to_owned),
                    _ => None,
                };
                if name.is_some() && is_undefined(unwrap(value)) {
                    continue;
                }
                ex.member(&mut object, name, key, value, member, depth);
            }
            "shorthand_property_identifier" => {
                let name = ex.src(member);
                let value = match ex.names.resolve(name, member) {
                    Some(value) if is_undefined(unwrap(value)) => continue,
                    Some(value) => {
                        let mut node = ex.lower(value, depth + 1);
                        if node.is_unknown() {
                            node.range = range(member);
                        }
                        node
                    }
                    None => ex
                        .imported(member)
                        .unwrap_or_else(|| Node::new(range(member), Value::Unknown)),
                };
                object.push(Member {
                    key: name.to_owned(),
                    key_range: range(member),
                    value,
                });
            }
            "spread_element" => {
                ex.splat(member.named_child(0), range(member), &mut object, depth + 1)
            }
            "comment" => {}
            _ => object.spread(range(member)),
        }
    }
    object.finish(range(expr), root)
}

/// What one JS escape sequence stands for.
enum Escape {
    Char(char),
    /// A UTF-16 code unit (`\uD83D`), which may be half a surrogate pair.
    Unit(u32),
    /// A line continuation.
    Nothing,
    Invalid,
}

fn decode_escape(escape: &str) -> Escape {
    let mut chars = escape.chars();
    if chars.next() != Some('\\') {
        return Escape::Invalid;
    }
    let Some(c) = chars.next() else {
        return Escape::Invalid;
    };
    let rest = chars.as_str();
    let hex = |digits: &str| u32::from_str_radix(digits, 16).ok();
    match c {
        'n' => Escape::Char('\n'),
        't' => Escape::Char('\t'),
        'r' => Escape::Char('\r'),
        'b' => Escape::Char('\u{8}'),
        'f' => Escape::Char('\u{c}'),
        'v' => Escape::Char('\u{b}'),
        '0' if rest.is_empty() => Escape::Char('\0'),
        '\n' | '\r' | '\u{2028}' | '\u{2029}' => Escape::Nothing,
        'x' => hex(rest)
            .and_then(char::from_u32)
            .map_or(Escape::Invalid, Escape::Char),
        'u' if rest.starts_with('{') => hex(rest.trim_matches(['{', '}']))
            .and_then(char::from_u32)
            .map_or(Escape::Invalid, Escape::Char),
        'u' => hex(rest).map_or(Escape::Invalid, |unit| match char::from_u32(unit) {
            Some(c) => Escape::Char(c),
            None => Escape::Unit(unit),
        }),
        other => Escape::Char(other),
    }
}

/// True when a package name is `axios`.
fn is_axios(source: Option<&str>) -> bool {
    source.is_some_and(|s| s.trim_matches(['"', '\'', '`']) == "axios")
}

/// `undefined` and `void 0`: a member set to either is left out of the JSON body.
fn is_undefined(node: TsNode<'_>) -> bool {
    match node.kind() {
        "undefined" => true,
        "unary_expression" => node
            .child_by_field_name("operator")
            .is_some_and(|op| op.kind() == "void"),
        _ => false,
    }
}

/// Looks through parentheses, `await` and TypeScript's `as`, `satisfies`, `!` and `<T>`.
pub(super) fn unwrap(mut node: TsNode<'_>) -> TsNode<'_> {
    loop {
        let inner = match node.kind() {
            "parenthesized_expression"
            | "as_expression"
            | "satisfies_expression"
            | "non_null_expression"
            | "await_expression" => node.named_child(0),
            "type_assertion" => node.named_child(1),
            _ => None,
        };
        match inner {
            Some(inner) if inner.kind() != "comment" => node = inner,
            _ => return node,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::PayloadKind;
    use crate::extract::code::Call;

    fn first(text: &str, flavor: Flavor) -> (Call, Node) {
        let mut docs = extract(text, flavor, &Siblings::none());
        let doc = docs.remove(0);
        (*doc.call.unwrap(), doc.root.unwrap())
    }

    #[test]
    fn typescript_objects_spreads_and_undefined() {
        let text = r#"
import Anthropic from "@anthropic-ai/sdk";
const anthropic = new Anthropic();
const defaults = { model: "claude-opus-5", max_tokens: 100 } as const;
const messages = [{ role: "user", content: `Hi \u{1F600}\uD83D\uDE00` }] satisfies Anthropic.MessageParam[];
await anthropic.messages.create({ ...defaults, max_tokens: 200, messages, temperature: undefined, 'stop_sequences': ["\n"] }, { timeout: 1000 });
"#;
        let (call, root) = first(text, Flavor::TypeScript);
        assert_eq!(call.kind, PayloadKind::Messages);
        assert!(call.known_client);
        assert_eq!(call.betas, Some(vec![]));
        assert_eq!(
            root.to_json().unwrap().to_string(),
            r#"{"model":"claude-opus-5","max_tokens":200,"messages":[{"role":"user","content":"Hi 😀😀"}],"stop_sequences":["\n"]}"#
        );
    }

    #[test]
    fn pushes_and_unknown_spreads_make_unknowns() {
        let text = r#"
const { AnthropicBedrock } = require("@anthropic-ai/bedrock-sdk");
class Bot {
  client = new AnthropicBedrock({ awsRegion: "us-east-1" });
  async run(opts) {
    const history = [];
    history.push({ role: "user", content: "x" });
    return this.client.beta.messages.countTokens({ model: "anthropic.claude-opus-5", messages: history, ...opts });
  }
}
"#;
        let (call, root) = first(text, Flavor::JavaScript);
        assert_eq!(call.kind, PayloadKind::CountTokens);
        assert_eq!(call.dialect, Dialect::Bedrock);
        assert!(root.get("messages").unwrap().is_unknown());
        assert!(root.has_spread());
    }

    #[test]
    fn clients_from_local_factories() {
        let text = r#"
import Anthropic from "@anthropic-ai/sdk";
function makeClient() { return new Anthropic(); }
function makeProxy() { return new Anthropic({ baseURL: "https://proxy" }); }
const client = await makeClient();
await client.messages.create({ model: "x", max_tokens: 5, messages: [] });
const proxy = makeProxy();
await proxy.messages.create({ model: "x", max_tokens: 5, messages: [] });
const other = getClient();
await other.messages.create({ model: "x", max_tokens: 5, messages: [] });
const makeArrow = () => new Anthropic();
const makeBlock = async (): Promise<Anthropic> => { return new Anthropic({ maxRetries: 0 }); };
const makeExpression = function () { return new Anthropic(); };
const makeEither = (url?: string) => (url ? new Anthropic({ baseURL: url }) : new Anthropic());
let makeLater = () => new Anthropic();
makeLater = () => new Anthropic({ baseURL: "https://proxy" });
const arrow = makeArrow();
await arrow.messages.create({ model: "x", max_tokens: 5, messages: [] });
const block = await makeBlock();
await block.messages.create({ model: "x", max_tokens: 5, messages: [] });
await makeExpression().messages.create({ model: "x", max_tokens: 5, messages: [] });
await makeEither().messages.create({ model: "x", max_tokens: 5, messages: [] });
await makeLater().messages.create({ model: "x", max_tokens: 5, messages: [] });
"#;
        let calls: Vec<Call> = extract(text, Flavor::TypeScript, &Siblings::none())
            .into_iter()
            .filter_map(|d| Some(*d.call?))
            .collect();
        let known: Vec<bool> = calls.iter().map(|c| c.known_client).collect();
        assert_eq!(known, [true, false, false, true, true, true, false, false]);
        // The block body's client keeps its options.
        let retries = calls[4].runtime.as_ref().unwrap().max_retries;
        assert!(matches!(
            retries,
            Setting::Set {
                value: Some(0.0),
                ..
            }
        ));
    }

    #[test]
    fn scalar_parameter_defaults_are_known() {
        let text = r#"
import Anthropic from "@anthropic-ai/sdk";
const client = new Anthropic();
async function ask(prompt: string, model: string = "claude-3-opus-20240229", maxTokens = 1024, opts = {}) {
  return client.messages.create({ model, max_tokens: maxTokens, messages: [{ role: "user", content: prompt }], ...opts });
}
"#;
        let (_, root) = first(text, Flavor::TypeScript);
        let model = root.get("model").unwrap();
        assert_eq!(model.as_str(), Some("claude-3-opus-20240229"));
        let at = text.find("\"claude-3-opus").unwrap();
        assert_eq!(model.range, crate::syntax::TextRange::new(at, at + 24));
        assert_eq!(root.get("max_tokens").unwrap().to_json().unwrap(), 1024);
        let messages = root.get("messages").unwrap().as_array().unwrap();
        assert!(messages[0].get("content").unwrap().is_unknown());
        assert!(root.has_spread());
    }

    #[test]
    fn modules_beside_the_file_and_the_names_they_look_for() {
        let files = |source: &str| sibling_module(source).unwrap_or_default();
        assert_eq!(
            files("\"./config.js\""),
            ["config.js", "config.ts", "config.tsx"]
        );
        assert_eq!(files("'./config.mts'"), ["config.mts"]);
        assert_eq!(
            files("\"./config\""),
            [
                "config.ts",
                "config.tsx",
                "config.js",
                "config.jsx",
                "config.mjs",
                "config.mts"
            ]
        );
        for elsewhere in ["\"../config\"", "\"./lib/config\"", "\"config\"", "\"./\""] {
            assert!(sibling_module(elsewhere).is_none(), "{elsewhere}");
        }
    }
}
