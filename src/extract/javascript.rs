//! Claude requests in JavaScript and TypeScript: calls of `messages.create` and its siblings on
//! clients of `@anthropic-ai/sdk`, `@anthropic-ai/bedrock-sdk` and `@anthropic-ai/vertex-sdk`,
//! with their first argument lowered into the payload tree.
//!
//! Values come from literals, from spreads of object literals, and from a `const`/`let`/`var`
//! bound once in its function and never changed in place. TypeScript's `as const`,
//! `satisfies`, `!` and `<T>` are looked through. A member set to `undefined` is absent, as
//! `JSON.stringify` leaves it out. The request options in the second argument are not part of
//! the body; their `headers` may add betas.

use std::collections::HashMap;

use tree_sitter::{Language, Node as TsNode, Parser, Tree};

use super::code::{
    self, Call, Client, ObjectBuilder, Runtime, Sdk, Setting, beta_header, range, string_list,
};
use super::files::{Document, json_len};
use super::names::{Ancestors, Names, Use};
use crate::facts::{Dialect, sdk};
use crate::fix::Host;
use crate::syntax::{MAX_DEPTH, Member, Node, Value, walk};

/// The JavaScript dialect of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// `.js`, `.mjs`, `.cjs`, `.jsx`.
    JavaScript,
    /// `.ts`, `.mts`, `.cts`.
    TypeScript,
    /// `.tsx`.
    Tsx,
}

impl Flavor {
    /// The tree-sitter grammar for this dialect.
    pub fn language(self) -> Language {
        match self {
            Flavor::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Flavor::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Flavor::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
        }
    }
}

/// Finds the requests in a JavaScript or TypeScript source text.
pub fn extract(text: &str, flavor: Flavor) -> Vec<Document> {
    let mut parser = Parser::new();
    if parser.set_language(&flavor.language()).is_err() {
        return Vec::new();
    }
    let Some(tree) = parser.parse(text, None) else {
        return Vec::new();
    };
    Extractor::new(text, &tree).run()
}

/// How JavaScript writes numbers.
const NUMBERS: code::NumberSyntax = code::NumberSyntax {
    literals: &["number"],
    binary: "binary_expression",
    unwrap,
};

/// The most expressions lowered for one request.
const BUDGET: usize = 1_000_000;

struct Extractor<'t> {
    text: &'t str,
    tree: &'t Tree,
    names: Names<'t>,
    /// Local names bound to an Anthropic package's export: the platform of the package, and
    /// whether the binding is the whole module (`import * as sdk`).
    imports: HashMap<&'t str, (Dialect, bool)>,
    /// Every assignment target's text (`client`, `this.client`) and what was assigned.
    targets: HashMap<&'t str, Vec<Option<Client>>>,
    /// Local names bound to the `axios` package.
    axios: Vec<&'t str>,
    literal_bytes: u64,
    budget: usize,
}

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

impl<'t> Extractor<'t> {
    fn new(text: &'t str, tree: &'t Tree) -> Self {
        Self {
            text,
            tree,
            names: Names::default(),
            imports: HashMap::new(),
            targets: HashMap::new(),
            axios: Vec::new(),
            literal_bytes: 0,
            budget: BUDGET,
        }
    }

    fn src(&self, node: TsNode<'_>) -> &'t str {
        &self.text[node.byte_range()]
    }

    fn run(mut self) -> Vec<Document> {
        let root = self.tree.root_node();
        self.collect(root);
        let mut documents = Vec::new();
        let mut credentials = Vec::new();
        let mut cursor = root.walk();
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            match node.kind() {
                "new_expression" if self.constructed(node).is_some() => {
                    if let Some(args) = node.child_by_field_name("arguments") {
                        self.budget = BUDGET;
                        let mut c = args.walk();
                        let values: Vec<TsNode<'t>> = args.named_children(&mut c).collect();
                        for value in values {
                            let lowered = self.lower(value, 0);
                            walk(&lowered, |n| {
                                if matches!(n.value, Value::String(_)) {
                                    credentials.push(n.clone());
                                }
                            });
                        }
                    }
                }
                "call_expression" => {
                    documents.extend(self.request(node).or_else(|| self.raw_request(node)))
                }
                _ => {}
            }
            stack.extend(node.named_children(&mut cursor));
        }
        documents.sort_by_key(|d| d.range);
        if !credentials.is_empty() {
            documents.push(Document::credentials(credentials, Host::JavaScript));
        }
        documents
    }

    // ---- names ----

    /// One pass: scopes, bindings, mutations, imports and assignment targets.
    fn collect(&mut self, root: TsNode<'t>) {
        self.names.open(None, false);
        let mut stack = vec![(root, 0usize, Ancestors::default())];
        let mut cursor = root.walk();
        while let Some((node, scope, up)) = stack.pop() {
            let inner = match node.kind() {
                "function_declaration"
                | "generator_function_declaration"
                | "function_expression"
                | "function"
                | "generator_function"
                | "arrow_function"
                | "method_definition" => {
                    if let Some(name) = node.child_by_field_name("name")
                        && name.kind() == "identifier"
                    {
                        self.names.record(self.src(name), scope, Use::Bind);
                    }
                    let inner = self.names.open(Some(scope), false);
                    if let Some(params) = node.child_by_field_name("parameters") {
                        self.bind_params(params, inner);
                    }
                    if let Some(param) = node.child_by_field_name("parameter") {
                        self.bind_pattern(param, inner);
                    }
                    inner
                }
                _ => scope,
            };
            self.visit(node, scope, up);
            for child in node.named_children(&mut cursor) {
                stack.push((child, inner, up.below(node)));
            }
        }
    }

    fn visit(&mut self, node: TsNode<'t>, scope: usize, up: Ancestors<'t>) {
        if matches!(node.kind(), "identifier" | "shorthand_property_identifier") {
            self.names.enter(node, scope);
        }
        match node.kind() {
            "variable_declarator" => {
                let Some(name) = node.child_by_field_name("name") else {
                    return;
                };
                let value = node.child_by_field_name("value");
                match (name.kind(), value) {
                    ("identifier", Some(value)) => {
                        self.names.record(self.src(name), scope, Use::Assign(value));
                        // `const Anthropic = require("@anthropic-ai/sdk")`: the module is the
                        // client class, with the other classes as its properties.
                        if let Some(dialect) = self.required_package(value) {
                            self.imports.insert(self.src(name), (dialect, false));
                        }
                        if is_axios(self.required(value).map(|s| self.src(s))) {
                            self.axios.push(self.src(name));
                        }
                        let client = self.constructed(value).or_else(|| self.typed(node));
                        self.target(name, client);
                    }
                    ("identifier", None) => {
                        self.names.record(self.src(name), scope, Use::Bind);
                        let client = self.typed(node);
                        self.target(name, client);
                    }
                    _ => {
                        self.bind_pattern(name, scope);
                        if let Some(value) = value {
                            self.require(name, value);
                        }
                    }
                }
            }
            "assignment_expression" => {
                if let (Some(left), Some(right)) = (
                    node.child_by_field_name("left"),
                    node.child_by_field_name("right"),
                ) {
                    self.write(left, scope);
                    let client = self.constructed(right);
                    self.target(left, client);
                }
            }
            "public_field_definition" | "field_definition" => {
                let name = node
                    .child_by_field_name("name")
                    .or_else(|| node.child_by_field_name("property"));
                if let Some(name) = name {
                    let client = node
                        .child_by_field_name("value")
                        .and_then(|v| self.constructed(v))
                        .or_else(|| self.typed(node));
                    self.field(name, client);
                }
            }
            "augmented_assignment_expression" => {
                if let Some(left) = node.child_by_field_name("left") {
                    self.write(left, scope);
                }
            }
            "update_expression" => {
                if let Some(arg) = node.child_by_field_name("argument") {
                    self.write(arg, scope);
                }
            }
            "for_in_statement" => {
                if let Some(left) = node.child_by_field_name("left") {
                    self.bind_pattern(left, scope);
                }
            }
            "catch_clause" => {
                if let Some(param) = node.child_by_field_name("parameter") {
                    self.bind_pattern(param, scope);
                }
            }
            "class_declaration" => {
                if let Some(name) = node.child_by_field_name("name") {
                    self.names.record(self.src(name), scope, Use::Bind);
                }
            }
            "import_statement" => self.import(node, scope),
            "identifier" | "shorthand_property_identifier" if self.mutates(node, up) => {
                self.names.record(self.src(node), scope, Use::Mutate);
            }
            _ => {}
        }
    }

    /// A write to `target`: rebinding a name, or changing what a name holds in place.
    fn write(&mut self, target: TsNode<'t>, scope: usize) {
        match target.kind() {
            "identifier" => self.names.record(self.src(target), scope, Use::Bind),
            "member_expression" | "subscript_expression" => {
                let mut base = target;
                while let Some(object) = base.child_by_field_name("object") {
                    base = object;
                }
                if base.kind() == "identifier" {
                    self.names.record(self.src(base), scope, Use::Mutate);
                }
            }
            _ => self.bind_pattern(target, scope),
        }
    }

    /// True when this use of a name may change its value: a method call or property on it,
    /// handing it to a function that is not an SDK call, aliasing it (`up` are its ancestors).
    fn mutates(&self, node: TsNode<'t>, up: Ancestors<'t>) -> bool {
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
            "arguments" => self.passed(up.grandparent()),
            "spread_element" => up
                .grandparent()
                .is_some_and(|p| p.kind() == "arguments" && self.passed(up.great_grandparent())),
            _ => false,
        }
    }

    /// True when passing a value to `call` (the parent of its arguments) may change it.
    fn passed(&self, call: Option<TsNode<'t>>) -> bool {
        let Some(function) = call.and_then(|call| call.child_by_field_name("function")) else {
            return true;
        };
        let path = self.src(function);
        let harmless = matches!(
            path,
            "console.log" | "console.error" | "JSON.stringify" | "String" | "Array.isArray"
        );
        let segments: Vec<&str> = path.split('.').map(str::trim).collect();
        !harmless && code::sdk_method(&segments).is_none()
    }

    fn bind_params(&mut self, params: TsNode<'t>, scope: usize) {
        let mut cursor = params.walk();
        for param in params.named_children(&mut cursor) {
            let pattern = match param.kind() {
                "required_parameter" | "optional_parameter" => param
                    .child_by_field_name("pattern")
                    .or_else(|| param.child_by_field_name("name")),
                "assignment_pattern" => param.child_by_field_name("left"),
                _ => Some(param),
            };
            if let Some(pattern) = pattern {
                self.bind_pattern(pattern, scope);
            }
            // `constructor(private client: Anthropic)` is a field too.
            if let (Some(name), Some(_)) = (
                param.child_by_field_name("pattern"),
                param.child_by_field_name("type"),
            ) {
                let client = self.typed(param);
                self.target(name, client);
                if param
                    .named_child(0)
                    .is_some_and(|c| c.kind() == "accessibility_modifier")
                {
                    self.field(name, client);
                }
            }
        }
    }

    /// A class field (`client = new Anthropic()`, `constructor(private client: Anthropic)`),
    /// which methods reach as `this.<name>`.
    fn field(&mut self, name: TsNode<'t>, client: Option<Client>) {
        let this = format!("this.{}", self.src(name));
        // The key borrows the text: any place the file writes `this.<name>` will do.
        if let Some(at) = self.text.find(&this) {
            let key = &self.text[at..at + this.len()];
            self.targets.entry(key).or_default().push(client);
        }
    }

    /// Binds every name a pattern introduces (`{a, b: [c]}`, `...rest`).
    fn bind_pattern(&mut self, pattern: TsNode<'t>, scope: usize) {
        let mut cursor = pattern.walk();
        let mut stack = vec![pattern];
        while let Some(n) = stack.pop() {
            match n.kind() {
                "identifier" | "shorthand_property_identifier_pattern" => {
                    self.names.record(self.src(n), scope, Use::Bind)
                }
                "type_annotation" | "member_expression" | "subscript_expression" => {}
                "pair_pattern" => stack.extend(n.child_by_field_name("value")),
                "assignment_pattern" => stack.extend(n.child_by_field_name("left")),
                _ => stack.extend(n.named_children(&mut cursor)),
            }
        }
    }

    fn import(&mut self, node: TsNode<'t>, scope: usize) {
        let dialect = node
            .child_by_field_name("source")
            .and_then(|s| package_dialect(self.src(s)));
        let mut cursor = node.walk();
        let mut stack: Vec<TsNode<'t>> = node.named_children(&mut cursor).collect();
        while let Some(n) = stack.pop() {
            match n.kind() {
                "import_clause" | "named_imports" => stack.extend(n.named_children(&mut cursor)),
                "identifier" => {
                    self.names.record(self.src(n), scope, Use::Bind);
                    if let Some(d) = dialect {
                        self.imports.insert(self.src(n), (d, false));
                    }
                    if is_axios(node.child_by_field_name("source").map(|s| self.src(s))) {
                        self.axios.push(self.src(n));
                    }
                }
                "namespace_import" => {
                    if let Some(local) = n.named_child(0) {
                        self.names.record(self.src(local), scope, Use::Bind);
                        if let Some(d) = dialect {
                            self.imports.insert(self.src(local), (d, true));
                        }
                    }
                }
                "import_specifier" => {
                    let name = n.child_by_field_name("name");
                    let local = n.child_by_field_name("alias").or(name);
                    if let (Some(name), Some(local), Some(d)) = (name, local, dialect) {
                        let exported = self.src(name);
                        let dialect =
                            code::client_class(exported).or((exported == "default").then_some(d));
                        if let Some(dialect) = dialect {
                            self.imports.insert(self.src(local), (dialect, false));
                        }
                    }
                    if let Some(local) = local {
                        self.names.record(self.src(local), scope, Use::Bind);
                    }
                }
                _ => {}
            }
        }
    }

    /// `const Anthropic = require("@anthropic-ai/sdk")`, `const { AnthropicBedrock } = ...`.
    fn require(&mut self, pattern: TsNode<'t>, value: TsNode<'t>) {
        if self.required_package(value).is_none() {
            return;
        }
        let mut cursor = pattern.walk();
        for n in pattern.named_children(&mut cursor) {
            if n.kind() == "shorthand_property_identifier_pattern"
                && let Some(dialect) = code::client_class(self.src(n))
            {
                self.imports.insert(self.src(n), (dialect, false));
            }
        }
    }

    fn required_package(&self, value: TsNode<'t>) -> Option<Dialect> {
        package_dialect(self.src(self.required(value)?))
    }

    /// The package name of `require("...")`.
    fn required(&self, value: TsNode<'t>) -> Option<TsNode<'t>> {
        if value.kind() != "call_expression" {
            return None;
        }
        let function = value.child_by_field_name("function")?;
        let args = value.child_by_field_name("arguments")?;
        (self.src(function) == "require")
            .then(|| args.named_child(0))
            .flatten()
    }

    fn target(&mut self, target: TsNode<'t>, client: Option<Client>) {
        self.targets
            .entry(self.src(target))
            .or_default()
            .push(client);
    }

    // ---- clients ----

    /// The platform of the client class an expression names.
    fn class(&self, class: TsNode<'t>) -> Option<Dialect> {
        match class.kind() {
            "identifier" | "type_identifier" => {
                let name = self.src(class);
                match self.imports.get(name) {
                    Some(&(dialect, false)) => Some(dialect),
                    _ => None,
                }
            }
            "member_expression" | "nested_type_identifier" => {
                let text = self.src(class);
                let (module, export) = text.rsplit_once('.')?;
                match self.imports.get(module.trim()) {
                    Some(&(dialect, _)) => code::client_class(export.trim())
                        .or((export.trim() == "default").then_some(dialect)),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The client `new X(...)` makes (also `require(...)`'s default export called with new).
    fn constructed(&self, value: TsNode<'t>) -> Option<Client> {
        let value = unwrap(value);
        if value.kind() != "new_expression" {
            return None;
        }
        let constructor = value.child_by_field_name("constructor")?;
        let dialect = self.class(constructor).or_else(|| {
            // `new (require("@anthropic-ai/sdk"))()` is rare; a bare client class name is not.
            code::client_class(self.src(constructor))
                .filter(|_| !self.names.is_bound(self.src(constructor)))
                .filter(|_| self.text.contains("@anthropic-ai/"))
        })?;
        let mut client = Client::new(dialect);
        if let Some(args) = value.child_by_field_name("arguments") {
            self.option_arguments(args, &mut client);
        }
        Some(client)
    }

    /// Applies the arguments of a constructor or `withOptions(...)`: option objects.
    fn option_arguments(&self, args: TsNode<'t>, client: &mut Client) {
        let mut cursor = args.walk();
        for arg in args.named_children(&mut cursor) {
            match unwrap(arg).kind() {
                "object" => self.client_options(unwrap(arg), client),
                "comment" => {}
                _ => client.forget(),
            }
        }
    }

    /// Applies the members of a constructor's or `withOptions(...)`' options object.
    fn client_options(&self, object: TsNode<'t>, client: &mut Client) {
        let mut c = object.walk();
        for member in object.named_children(&mut c) {
            let key = match member.kind() {
                "pair" => member
                    .child_by_field_name("key")
                    .map(|k| self.src(k).trim_matches(['"', '\''])),
                "shorthand_property_identifier" => Some(self.src(member)),
                "comment" => continue,
                _ => None,
            };
            let value = member.child_by_field_name("value").unwrap_or(member);
            match key {
                Some("baseURL") => client.direct = false,
                Some("defaultHeaders") => client.plain = false,
                Some("timeout") => client.timeout = self.setting(value, 0.001),
                Some("maxRetries") => client.max_retries = self.setting(value, 1.0),
                Some(_) => {}
                None => client.forget(),
            }
        }
    }

    /// How an option's value is set, its number times `scale` (milliseconds to seconds):
    /// `undefined` and `null` leave it at its default (the SDK reads it with `??`).
    fn setting(&self, value: TsNode<'t>, scale: f64) -> Setting {
        let value = unwrap(value);
        if is_undefined(value) || value.kind() == "null" {
            return Setting::Default;
        }
        Setting::Set {
            range: range(value),
            value: code::constant_number(value, self.text, &self.names, &NUMBERS, 0)
                .map(|n| n * scale),
        }
    }

    /// A client from a type annotation (`client: Anthropic`).
    fn typed(&self, node: TsNode<'t>) -> Option<Client> {
        let annotation = node.child_by_field_name("type")?;
        let ty = annotation.named_child(0).unwrap_or(annotation);
        let dialect = self.class(ty)?;
        Some(Client::made_elsewhere(dialect))
    }

    /// The client a method is called on, when it is known: made here, bound to a name, or
    /// derived with `withOptions(...)`, whose options replace the client's.
    fn receiver(&self, receiver: TsNode<'t>) -> Option<Client> {
        let receiver = unwrap(receiver);
        if let Some(client) = self.constructed(receiver) {
            return Some(client);
        }
        if receiver.kind() == "call_expression" {
            let function = receiver.child_by_field_name("function")?;
            let method = function.child_by_field_name("property")?;
            if self.src(method) != "withOptions" {
                return None;
            }
            let mut client = self.receiver(function.child_by_field_name("object")?)?;
            self.option_arguments(receiver.child_by_field_name("arguments")?, &mut client);
            return Some(client);
        }
        Client::bound_to(&self.targets, self.src(receiver), "maxRetries")
    }

    // ---- requests ----

    fn request(&mut self, call: TsNode<'t>) -> Option<Document> {
        let function = call.child_by_field_name("function")?;
        let args = call.child_by_field_name("arguments")?;
        if args.kind() != "arguments" || args.has_error() {
            return None;
        }
        let mut chain = Vec::new();
        let mut node = function;
        while node.kind() == "member_expression" {
            chain.push(node);
            node = unwrap(node.child_by_field_name("object")?);
        }
        chain.push(node);
        chain.reverse();
        let segments: Vec<&str> = chain
            .iter()
            .map(|n| match n.kind() {
                "member_expression" => n
                    .child_by_field_name("property")
                    .map_or("", |p| self.src(p)),
                "identifier" | "this" => self.src(*n),
                _ => "()",
            })
            .collect();
        let (kind, receiver_len) = code::sdk_method(&segments)?;
        if receiver_len == 0 {
            return None;
        }
        let client = self.receiver(chain[receiver_len - 1]);
        let mut cursor = args.walk();
        let mut arguments = args
            .named_children(&mut cursor)
            .filter(|a| a.kind() != "comment");
        let body = arguments.next()?;
        let options = arguments.next();
        self.literal_bytes = 0;
        self.budget = BUDGET;
        let (root, mut betas) = self.body(body)?;
        let (timeout, max_retries) = match options.map(unwrap) {
            None => (Setting::Default, Setting::Default),
            Some(o) if o.kind() == "object" => {
                let mut set = Client::new(Dialect::FirstParty);
                self.client_options(o, &mut set);
                (set.timeout, set.max_retries)
            }
            Some(_) => (Setting::Unknown, Setting::Unknown),
        };
        let runtime = Runtime {
            sdk: Sdk::TypeScript,
            streams: segments.last() == Some(&"stream"),
            timeout: timeout.or(client.map_or(Setting::Unknown, |c| c.timeout)),
            max_retries: max_retries.or(client.map_or(Setting::Unknown, |c| c.max_retries)),
        };
        let option_betas = match options.map(unwrap) {
            None => Some(Vec::new()),
            Some(o) if o.kind() == "object" => {
                let lowered = self.lower(o, 0);
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
        betas = match (betas, option_betas) {
            (Some(mut listed), Some(more)) => {
                listed.extend(more);
                Some(listed)
            }
            (None, Some(more)) if client.is_some_and(|c| c.plain) => Some(more),
            _ => None,
        };
        let method = function.child_by_field_name("property").unwrap_or(function);
        Some(Document {
            range: range(call),
            body_bytes: json_len(&root) + std::mem::take(&mut self.literal_bytes),
            root: Some(root),
            errors: Vec::new(),
            host: Host::JavaScript,
            call: Some(Box::new(Call {
                kind,
                dialect: client.map_or(Dialect::FirstParty, |c| c.dialect),
                known_client: client.is_some_and(|c| c.direct),
                sdk: true,
                api_version: None,
                betas,
                headers: None,
                range: range(method),
                what: format!("`{}(...)`", self.src(function)),
                runtime: Some(runtime),
                raw_http: None,
            })),
            credentials: Vec::new(),
            embedding: None,
        })
    }

    /// A request to a Claude endpoint sent with the global `fetch` or with `axios.post`, its
    /// URL written as a literal.
    fn raw_request(&self, call: TsNode<'t>) -> Option<Document> {
        let function = unwrap(call.child_by_field_name("function")?);
        let args = call.child_by_field_name("arguments")?;
        let library = match function.kind() {
            "identifier" if self.src(function) == "fetch" && !self.names.is_bound("fetch") => {
                "fetch"
            }
            "member_expression" => {
                let object = self.src(function.child_by_field_name("object")?);
                let property = self.src(function.child_by_field_name("property")?);
                match (object, property) {
                    ("globalThis" | "window", "fetch") => "fetch",
                    (axios, "post") if self.axios.contains(&axios) => "axios",
                    _ => return None,
                }
            }
            _ => return None,
        };
        let mut cursor = args.walk();
        let first = args
            .named_children(&mut cursor)
            .find(|a| a.kind() != "comment")?;
        let url = self.url(first, 0)?;
        code::raw_http_document(
            self.text,
            call,
            &url,
            library,
            &[
                "for_statement",
                "for_in_statement",
                "while_statement",
                "do_statement",
            ],
            Host::JavaScript,
        )
    }

    /// The URL an expression always holds: a string literal, a template without
    /// substitutions, or a variable bound once to one.
    fn url(&self, expr: TsNode<'t>, depth: usize) -> Option<String> {
        let expr = unwrap(expr);
        match expr.kind() {
            "string" | "template_string" => {
                let mut cursor = expr.walk();
                let mut text = String::new();
                for part in expr.named_children(&mut cursor) {
                    match part.kind() {
                        "string_fragment" => text.push_str(self.src(part)),
                        _ => return None,
                    }
                }
                Some(text)
            }
            "identifier" if depth < MAX_DEPTH => self.url(
                self.names.resolve_immutable(self.src(expr), expr)?,
                depth + 1,
            ),
            _ => None,
        }
    }

    /// The body object and the betas it lists (`betas` is an SDK parameter, sent as a header,
    /// like the header keywords of data/sdk.toml, which are taken out).
    fn body(&mut self, arg: TsNode<'t>) -> Option<(Node, Option<Vec<String>>)> {
        let mut literal = unwrap(arg);
        if literal.kind() == "identifier" {
            literal = unwrap(self.names.resolve(self.src(literal), literal)?);
        }
        if literal.kind() != "object" {
            return None;
        }
        let mut root = self.object(literal, 0, true);
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

    // ---- values ----

    fn lower(&mut self, expr: TsNode<'t>, depth: usize) -> Node {
        let unknown = Node::new(range(expr), Value::Unknown);
        if depth > MAX_DEPTH || self.budget == 0 {
            return unknown;
        }
        self.budget -= 1;
        match expr.kind() {
            "string" | "template_string" => self.string(expr),
            "number" => Node::new(
                range(expr),
                code::number_literal(self.src(expr)).map_or(Value::Unknown, Value::Number),
            ),
            "true" => Node::new(range(expr), Value::Bool(true)),
            "false" => Node::new(range(expr), Value::Bool(false)),
            "null" => Node::new(range(expr), Value::Null),
            "unary_expression" => {
                let (Some(op), Some(arg)) = (
                    expr.child_by_field_name("operator"),
                    expr.child_by_field_name("argument"),
                ) else {
                    return unknown;
                };
                match (self.src(op), self.lower(arg, depth + 1).value) {
                    ("-", Value::Number(n)) => Node::new(
                        range(expr),
                        code::number_literal(&format!("-{n}"))
                            .map_or(Value::Unknown, Value::Number),
                    ),
                    ("+", Value::Number(n)) => Node::new(range(expr), Value::Number(n)),
                    _ => unknown,
                }
            }
            "parenthesized_expression"
            | "as_expression"
            | "satisfies_expression"
            | "non_null_expression"
            | "type_assertion" => {
                let inner = unwrap(expr);
                if inner.id() == expr.id() {
                    unknown
                } else {
                    self.lower(inner, depth + 1)
                }
            }
            "array" => {
                let mut items = Vec::new();
                let mut cursor = expr.walk();
                for item in expr.named_children(&mut cursor) {
                    match item.kind() {
                        "comment" => {}
                        "spread_element" => return unknown,
                        _ => items.push(self.lower(item, depth + 1)),
                    }
                }
                Node::new(range(expr), Value::Array(items))
            }
            "object" => self.object(expr, depth, false),
            "identifier" => match self.names.resolve(self.src(expr), expr) {
                Some(value) => self.lower(value, depth + 1),
                None => unknown,
            },
            _ => unknown,
        }
    }

    fn object(&mut self, expr: TsNode<'t>, depth: usize, root: bool) -> Node {
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
                        "property_identifier" | "number" => Some(self.src(key).to_owned()),
                        "string" => self.string(key).as_str().map(str::to_owned),
                        _ => None,
                    };
                    let Some(name) = name else {
                        object.spread(range(member));
                        continue;
                    };
                    if is_undefined(unwrap(value)) {
                        continue;
                    }
                    object.push(Member {
                        key: name,
                        key_range: range(key),
                        value: self.lower(value, depth + 1),
                    });
                }
                "shorthand_property_identifier" => {
                    let name = self.src(member);
                    let value = match self.names.resolve(name, member) {
                        Some(value) if is_undefined(unwrap(value)) => continue,
                        Some(value) => {
                            let mut node = self.lower(value, depth + 1);
                            if node.is_unknown() {
                                node.range = range(member);
                            }
                            node
                        }
                        None => Node::new(range(member), Value::Unknown),
                    };
                    object.push(Member {
                        key: name.to_owned(),
                        key_range: range(member),
                        value,
                    });
                }
                "spread_element" => match member.named_child(0).map(|v| self.lower(v, depth + 1)) {
                    Some(Node {
                        value: Value::Object(members),
                        ..
                    }) => object.splice(members),
                    _ => object.spread(range(member)),
                },
                "comment" => {}
                _ => object.spread(range(member)),
            }
        }
        object.finish(range(expr), root)
    }

    /// A string or template literal; a template with substitutions is `Unknown`, its literal
    /// parts counted towards the body size.
    fn string(&mut self, expr: TsNode<'t>) -> Node {
        let mut text = String::new();
        let mut known = true;
        let mut high_surrogate = None;
        let mut cursor = expr.walk();
        for part in expr.named_children(&mut cursor) {
            let decoded = match part.kind() {
                "string_fragment" => Some(self.src(part).to_owned()),
                "escape_sequence" => {
                    match decode_escape(self.src(part)) {
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
        if known {
            Node::new(range(expr), Value::String(text))
        } else {
            self.literal_bytes += text.len() as u64;
            Node::new(range(expr), Value::Unknown)
        }
    }
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
fn unwrap(mut node: TsNode<'_>) -> TsNode<'_> {
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

    fn first(text: &str, flavor: Flavor) -> (Call, Node) {
        let mut docs = extract(text, flavor);
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
}
