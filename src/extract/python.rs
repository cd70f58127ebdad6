//! Claude requests in Python: calls of `messages.create` and its siblings on Anthropic clients,
//! with their keyword arguments lowered into the payload tree (design: "Which payloads are
//! found", invariant 2).
//!
//! Values come from literals, from `**params` of a dict literal, and from a variable bound
//! exactly once in its scope and never changed in place (no `messages.append(...)`, no
//! `params["x"] = ...`, not handed to a function that might change it). Anything else (a
//! parameter, a call, a comprehension, an f-string's interpolation) is `Unknown`, which rules
//! skip: dynamic code never gets a false alarm.

use std::collections::HashMap;

use tree_sitter::{Node as TsNode, Parser, Tree};

use super::code::{
    self, Call, Client, ObjectBuilder, Runtime, Sdk, Setting, beta_header, range, string_list,
};
use super::files::{Document, json_len};
use super::names::{Ancestors, Names, Use};
use crate::facts::{Dialect, sdk};
use crate::fix::Host;
use crate::syntax::{MAX_DEPTH, Member, Node, Value, walk};

/// Finds the requests in a Python source text (a file, or a notebook's cells joined).
pub fn extract(text: &str) -> Vec<Document> {
    let mut parser = Parser::new();
    if parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .is_err()
    {
        return Vec::new();
    }
    let Some(tree) = parser.parse(text, None) else {
        return Vec::new();
    };
    Extractor::new(text, &tree).run()
}

struct Extractor<'t> {
    text: &'t str,
    tree: &'t Tree,
    names: Names<'t>,
    /// Local names bound to the `anthropic` module (`import anthropic as ant`).
    modules: Vec<&'t str>,
    /// Local names bound to client classes (`from anthropic import Anthropic as A`).
    classes: HashMap<&'t str, Dialect>,
    /// Every assignment target's text and what was assigned (a client or something else).
    targets: HashMap<&'t str, Vec<Option<Client>>>,
    /// Local names bound to plain HTTP modules (`requests`, `httpx`, `aiohttp`,
    /// `urllib.request`) and functions (`urlopen`), with the library's name.
    http_names: HashMap<&'t str, &'static str>,
    /// Names bound to an HTTP session made in the file (`requests.Session()`,
    /// `httpx.Client()`, `aiohttp.ClientSession()`), with the library's name.
    sessions: HashMap<&'t str, &'static str>,
    /// Bytes of f-string literal parts lowered as `Unknown`: they still count towards size.
    literal_bytes: u64,
    /// How many more expressions one request may lower: variables that reference each other
    /// twice per level would otherwise make a tree exponential in the file's size.
    budget: usize,
}

/// How Python writes numbers.
const NUMBERS: code::NumberSyntax = code::NumberSyntax {
    literals: &["integer", "float"],
    binary: "binary_operator",
    unwrap: unwrap_await,
};

/// The most expressions lowered for one request (or one constructor's arguments).
const BUDGET: usize = 1_000_000;

impl<'t> Extractor<'t> {
    fn new(text: &'t str, tree: &'t Tree) -> Self {
        Self {
            text,
            tree,
            names: Names::default(),
            modules: Vec::new(),
            classes: HashMap::new(),
            targets: HashMap::new(),
            http_names: HashMap::new(),
            sessions: HashMap::new(),
            literal_bytes: 0,
            budget: BUDGET,
        }
    }

    fn src(&self, node: TsNode<'_>) -> &'t str {
        &self.text[node.byte_range()]
    }

    fn run(mut self) -> Vec<Document> {
        let root = self.tree.root_node();
        self.collect_uses(root);
        self.collect_imports(root);
        self.collect_targets(root);
        let mut documents = Vec::new();
        let mut credentials = Vec::new();
        let mut cursor = root.walk();
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            if node.kind() == "call" {
                if let Some(function) = node.child_by_field_name("function")
                    && self.client_class(function).is_some()
                    && let Some(args) = node.child_by_field_name("arguments")
                {
                    credentials.extend(self.constructor_strings(args));
                }
                if let Some(document) = self.request(node).or_else(|| self.raw_request(node)) {
                    documents.push(document);
                }
            }
            stack.extend(node.named_children(&mut cursor));
        }
        documents.sort_by_key(|d| d.range);
        if !credentials.is_empty() {
            documents.push(Document::credentials(credentials, Host::Python));
        }
        documents
    }

    // ---- names and scopes ----

    /// One pass over the tree: every identifier's scope and use.
    fn collect_uses(&mut self, root: TsNode<'t>) {
        self.names.open(None, false);
        let mut stack = vec![(root, 0usize, Ancestors::default())];
        let mut cursor = root.walk();
        while let Some((node, scope, up)) = stack.pop() {
            let inner = match node.kind() {
                "function_definition" | "lambda" | "class_definition" => {
                    if let Some(name) = node.child_by_field_name("name") {
                        self.record(name, scope, Use::Bind);
                    }
                    let class = node.kind() == "class_definition";
                    let inner = self.names.open(Some(scope), class);
                    if let Some(params) = node.child_by_field_name("parameters") {
                        self.bind_all(params, inner);
                    }
                    inner
                }
                _ => scope,
            };
            match node.kind() {
                "identifier" => {
                    self.names.enter(node, scope);
                    if let Some(role) = self.role(node, up) {
                        self.record(node, scope, role);
                    }
                }
                "assignment" => {
                    if let Some(left) = node.child_by_field_name("left") {
                        match (left.kind(), node.child_by_field_name("right")) {
                            ("identifier", Some(right))
                                if !matches!(
                                    right.kind(),
                                    "assignment"
                                        | "augmented_assignment"
                                        | "expression_list"
                                        | "pattern_list"
                                        | "yield"
                                ) =>
                            {
                                self.record(left, scope, Use::Assign(right))
                            }
                            ("identifier", None) => {}
                            _ => self.bind_targets(left, scope),
                        }
                    }
                }
                "augmented_assignment" | "for_statement" | "for_in_clause" => {
                    if let Some(left) = node.child_by_field_name("left") {
                        self.bind_targets(left, scope);
                    }
                }
                "named_expression" => {
                    if let Some(name) = node.child_by_field_name("name") {
                        self.record(name, scope, Use::Bind);
                    }
                }
                "as_pattern_target" | "global_statement" | "nonlocal_statement"
                | "delete_statement" => self.bind_all(node, scope),
                "except_clause" => {
                    if let Some(alias) = node.child_by_field_name("alias") {
                        self.bind_all(alias, scope);
                    }
                }
                "aliased_import" => {
                    if let Some(alias) = node.child_by_field_name("alias") {
                        self.record(alias, scope, Use::Bind);
                    }
                }
                "import_statement" | "import_from_statement" => {
                    let mut c = node.walk();
                    for name in node.children_by_field_name("name", &mut c) {
                        if name.kind() == "dotted_name"
                            && let Some(first) = name.named_child(0)
                        {
                            self.record(first, scope, Use::Bind);
                        }
                    }
                }
                _ => {}
            }
            for child in node.named_children(&mut cursor) {
                stack.push((child, inner, up.below(node)));
            }
        }
    }

    fn record(&mut self, name: TsNode<'t>, scope: usize, role: Use<'t>) {
        self.names.record(self.src(name), scope, role);
    }

    /// Binds every identifier under `node` (parameters, `global a, b`, `as (x, y)`).
    fn bind_all(&mut self, node: TsNode<'t>, scope: usize) {
        let mut cursor = node.walk();
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            if n.kind() == "identifier" {
                self.record(n, scope, Use::Bind);
            } else if n.kind() == "type" {
                // An annotation names a type; it binds nothing.
            } else if !matches!(n.kind(), "default_parameter" | "typed_default_parameter")
                || n.child_by_field_name("name").is_none()
            {
                stack.extend(n.named_children(&mut cursor));
            } else if let Some(name) = n.child_by_field_name("name") {
                stack.push(name);
            }
        }
    }

    /// Binds the names an assignment target writes (`a, b = ...`); `x[k] = ...` and
    /// `x.attr = ...` change `x` in place.
    fn bind_targets(&mut self, target: TsNode<'t>, scope: usize) {
        let mut cursor = target.walk();
        let mut stack = vec![target];
        while let Some(n) = stack.pop() {
            match n.kind() {
                "identifier" => self.record(n, scope, Use::Bind),
                "subscript" | "attribute" => {
                    if let Some(base) = base_identifier(n) {
                        self.record(base, scope, Use::Mutate);
                    }
                }
                _ => stack.extend(n.named_children(&mut cursor)),
            }
        }
    }

    /// How a plain identifier is used, from its parent (`up` are its ancestors); `None` for a
    /// plain read and for identifiers that name no variable (an attribute name, a keyword).
    /// Bindings are recorded from their parent nodes.
    fn role(&self, node: TsNode<'t>, up: Ancestors<'t>) -> Option<Use<'t>> {
        let parent = up.parent()?;
        let field = |name| in_field(parent, name, node);
        Some(match parent.kind() {
            "attribute" if field("attribute") => return None,
            "keyword_argument" if field("name") => return None,
            "attribute" => Use::Mutate,
            "assignment" if field("right") => Use::Mutate,
            "argument_list" => return self.argument_use(up.grandparent()),
            "keyword_argument" | "list_splat" | "dictionary_splat" => {
                return up
                    .grandparent()
                    .filter(|args| args.kind() == "argument_list")
                    .and_then(|_| self.argument_use(up.great_grandparent()));
            }
            _ => return None,
        })
    }

    /// A name passed to `call` (the parent of its argument list) is read by an SDK call or a
    /// few harmless built-ins; any other function might change it.
    fn argument_use(&self, call: Option<TsNode<'t>>) -> Option<Use<'t>> {
        let Some(function) = call.and_then(|call| call.child_by_field_name("function")) else {
            return Some(Use::Mutate);
        };
        let path = self.src(function);
        let harmless = matches!(
            path,
            "len" | "print" | "str" | "repr" | "isinstance" | "json.dumps" | "type" | "id"
        );
        let segments: Vec<&str> = path.split('.').map(str::trim).collect();
        (!harmless && code::sdk_method(&segments).is_none()).then_some(Use::Mutate)
    }

    // ---- clients ----

    fn collect_imports(&mut self, root: TsNode<'t>) {
        let mut cursor = root.walk();
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            match node.kind() {
                "import_statement" => {
                    let mut c = node.walk();
                    for name in node.children_by_field_name("name", &mut c) {
                        let (module, alias) = imported(name, self.text);
                        if module == "anthropic" {
                            self.modules.push(alias.unwrap_or("anthropic"));
                        }
                        if let Some(library) = http_library(module) {
                            self.http_names.insert(alias.unwrap_or(module), library);
                        }
                    }
                }
                "import_from_statement" => {
                    let from = node
                        .child_by_field_name("module_name")
                        .map(|m| self.src(m))
                        .unwrap_or_default();
                    if from == "urllib.request" {
                        let mut c = node.walk();
                        for name in node.children_by_field_name("name", &mut c) {
                            if let ("urlopen" | "Request", alias) = imported(name, self.text) {
                                let local = alias.unwrap_or(&self.text[name.byte_range()]);
                                self.http_names.insert(local, "urllib");
                            }
                        }
                    }
                    if from == "anthropic" || from.starts_with("anthropic.") {
                        let mut c = node.walk();
                        for name in node.children_by_field_name("name", &mut c) {
                            let (class, alias) = imported(name, self.text);
                            if let Some(dialect) = code::client_class(class) {
                                self.classes.insert(alias.unwrap_or(class), dialect);
                            }
                        }
                    }
                }
                _ => {}
            }
            stack.extend(node.named_children(&mut cursor));
        }
    }

    /// The platform of the client class `function` names, if it names one.
    fn client_class(&self, function: TsNode<'t>) -> Option<Dialect> {
        match function.kind() {
            "identifier" => {
                let name = self.src(function);
                self.classes.get(name).copied().or_else(|| {
                    // A bare class name nothing else binds (a star import, another cell).
                    code::client_class(name).filter(|_| !self.names.is_bound(name))
                })
            }
            "attribute" => {
                let object = function.child_by_field_name("object")?;
                let attribute = function.child_by_field_name("attribute")?;
                let base = self.src(object);
                let module = self.modules.contains(&base)
                    || base.starts_with("anthropic.") && self.modules.contains(&"anthropic");
                module
                    .then(|| code::client_class(self.src(attribute)))
                    .flatten()
            }
            _ => None,
        }
    }

    /// The client a constructor call makes.
    fn constructed(&self, value: TsNode<'t>) -> Option<Client> {
        let value = unwrap_await(value);
        if value.kind() != "call" {
            return None;
        }
        let dialect = self.client_class(value.child_by_field_name("function")?)?;
        let mut client = Client::new(dialect);
        self.client_options(value.child_by_field_name("arguments")?, &mut client);
        Some(client)
    }

    /// Applies the keyword arguments of a constructor or `with_options(...)` to `client`.
    fn client_options(&self, args: TsNode<'t>, client: &mut Client) {
        let mut cursor = args.walk();
        let mut http_client = false;
        let mut timeout = None;
        for arg in args.named_children(&mut cursor) {
            match arg.kind() {
                "keyword_argument" => {
                    let Some((name, value)) = keyword(arg) else {
                        continue;
                    };
                    match self.src(name) {
                        "base_url" => client.direct = false,
                        "default_headers" => client.plain = false,
                        "http_client" => http_client = true,
                        "timeout" => timeout = Some(self.setting(value)),
                        "max_retries" => client.max_retries = self.setting(value),
                        _ => {}
                    }
                }
                "dictionary_splat" | "list_splat" => {
                    client.forget();
                    return;
                }
                _ => {}
            }
        }
        // An `http_client` made with its own timeout lends it to the client.
        match timeout {
            Some(set) => client.timeout = set,
            None if http_client => client.timeout = Setting::Unknown,
            None => {}
        }
    }

    /// How an option's value is set: `NOT_GIVEN` and `omit` leave it at its default.
    fn setting(&self, value: TsNode<'t>) -> Setting {
        if matches!(
            self.src(value).rsplit('.').next(),
            Some("NOT_GIVEN" | "omit")
        ) {
            return Setting::Default;
        }
        Setting::Set {
            range: range(value),
            value: code::constant_number(value, self.text, &self.names, &NUMBERS, 0),
        }
    }

    /// What each assignment target (`client`, `self.client`) is bound to, across the file.
    fn collect_targets(&mut self, root: TsNode<'t>) {
        let mut cursor = root.walk();
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            match node.kind() {
                "assignment" => {
                    if let Some(left) = node.child_by_field_name("left") {
                        let client = node
                            .child_by_field_name("right")
                            .and_then(|r| self.constructed(r))
                            .or_else(|| {
                                let annotation = node.child_by_field_name("type")?;
                                self.annotated(annotation)
                            });
                        self.targets.entry(self.src(left)).or_default().push(client);
                        if let Some(library) = node
                            .child_by_field_name("right")
                            .and_then(|r| self.session(r))
                        {
                            self.sessions.insert(self.src(left), library);
                        }
                    }
                }
                "with_item" => {
                    if let Some(value) = node.child_by_field_name("value")
                        && value.kind() == "as_pattern"
                        && let Some(alias) = value.child_by_field_name("alias")
                    {
                        let client = value.named_child(0).and_then(|v| self.constructed(v));
                        self.targets
                            .entry(self.src(alias))
                            .or_default()
                            .push(client);
                        if let Some(library) = value.named_child(0).and_then(|v| self.session(v)) {
                            self.sessions.insert(self.src(alias), library);
                        }
                    }
                }
                "typed_parameter" | "typed_default_parameter" => {
                    let name = node
                        .child_by_field_name("name")
                        .or_else(|| node.named_child(0));
                    if let (Some(name), Some(annotation)) = (name, node.child_by_field_name("type"))
                    {
                        let client = self.annotated(annotation);
                        self.targets.entry(self.src(name)).or_default().push(client);
                    }
                }
                _ => {}
            }
            stack.extend(node.named_children(&mut cursor));
        }
    }

    /// A client from a type annotation (`client: Anthropic`): made elsewhere, so nothing is
    /// known about its base URL or default headers.
    fn annotated(&self, annotation: TsNode<'t>) -> Option<Client> {
        let named = annotation.named_child(0).unwrap_or(annotation);
        let dialect = self.client_class(named)?;
        Some(Client::made_elsewhere(dialect))
    }

    /// The client a method is called on, when it is known: made here, bound to a name, or
    /// derived with `with_options(...)` (`copy(...)`), whose options replace the client's.
    fn receiver(&self, receiver: TsNode<'t>) -> Option<Client> {
        let receiver = unwrap_await(receiver);
        if let Some(client) = self.constructed(receiver) {
            return Some(client);
        }
        if receiver.kind() == "call" {
            let function = receiver.child_by_field_name("function")?;
            let method = function.child_by_field_name("attribute")?;
            if !matches!(self.src(method), "with_options" | "copy") {
                return None;
            }
            let mut client = self.receiver(function.child_by_field_name("object")?)?;
            self.client_options(receiver.child_by_field_name("arguments")?, &mut client);
            return Some(client);
        }
        Client::bound_to(&self.targets, self.src(receiver), "max_retries")
    }

    /// The strings passed to a client constructor (`api_key="..."`), for the secrets scan.
    fn constructor_strings(&mut self, args: TsNode<'t>) -> Vec<Node> {
        self.budget = BUDGET;
        let mut strings = Vec::new();
        let mut cursor = args.walk();
        for arg in args.named_children(&mut cursor) {
            let value = match arg.kind() {
                "keyword_argument" => arg.child_by_field_name("value"),
                _ => Some(arg),
            };
            if let Some(value) = value {
                let node = self.lower(value, 0);
                walk(&node, |n| {
                    if matches!(n.value, Value::String(_)) {
                        strings.push(n.clone());
                    }
                });
            }
        }
        strings
    }

    // ---- raw HTTP ----

    /// The library of an HTTP session a constructor call makes (`requests.Session()`).
    fn session(&self, value: TsNode<'t>) -> Option<&'static str> {
        let value = unwrap_await(value);
        let function = value.child_by_field_name("function")?;
        let (module, class) = self.src(function).rsplit_once('.')?;
        let library = *self.http_names.get(module)?;
        matches!(
            (library, class),
            ("requests", "Session")
                | ("httpx", "Client" | "AsyncClient")
                | ("aiohttp", "ClientSession")
        )
        .then_some(library)
    }

    /// A request to a Claude endpoint sent with `requests`, `httpx`, `aiohttp` or `urllib`
    /// (module functions, or a session made in this file), its URL written as a literal.
    fn raw_request(&self, call: TsNode<'t>) -> Option<Document> {
        let function = call.child_by_field_name("function")?;
        let args = call.child_by_field_name("arguments")?;
        let path = self.src(function);
        let (library, method) = match path.rsplit_once('.') {
            Some((object, method)) => {
                let library = match (self.http_names.get(object), self.sessions.get(object)) {
                    (Some(&library), _) => library,
                    (None, Some(&library))
                        if self.targets.get(object).is_some_and(|t| t.len() == 1) =>
                    {
                        library
                    }
                    _ => return None,
                };
                (library, method)
            }
            None => (*self.http_names.get(path)?, path),
        };
        let url_at = match (library, method) {
            ("urllib", "urlopen") => 0,
            ("urllib", _) => return None,
            (_, "post") => 0,
            (_, "request" | "stream") => 1,
            _ => return None,
        };
        let url = self.url(self.argument(args, url_at, "url")?, 0)?;
        code::raw_http_document(
            self.text,
            call,
            &url,
            library,
            &["for_statement", "while_statement"],
            Host::Python,
        )
    }

    /// The positional argument `at`, or the keyword argument `name`.
    fn argument(&self, args: TsNode<'t>, at: usize, name: &str) -> Option<TsNode<'t>> {
        let mut cursor = args.walk();
        let mut positional = args
            .named_children(&mut cursor)
            .filter(|a| !matches!(a.kind(), "keyword_argument" | "comment"));
        if let Some(arg) = positional.nth(at) {
            return Some(arg);
        }
        let mut cursor = args.walk();
        let found = args.named_children(&mut cursor).find(|a| {
            a.kind() == "keyword_argument"
                && a.child_by_field_name("name")
                    .is_some_and(|n| self.src(n) == name)
        });
        found?.child_by_field_name("value")
    }

    /// The URL an expression always holds: a string literal, a variable bound once to one, or
    /// `urllib.request.Request(url, ...)`.
    fn url(&self, expr: TsNode<'t>, depth: usize) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        match expr.kind() {
            "string" => match self.string_part(expr)? {
                (text, true) => Some(text),
                _ => None,
            },
            "identifier" => self.url(
                self.names.resolve_immutable(self.src(expr), expr)?,
                depth + 1,
            ),
            "call" => {
                let function = self.src(expr.child_by_field_name("function")?);
                let name = function.rsplit('.').next()?;
                let module = function.strip_suffix(name)?.trim_end_matches('.');
                let urllib = if module.is_empty() {
                    self.http_names.get(name) == Some(&"urllib")
                } else {
                    self.http_names.get(module) == Some(&"urllib")
                };
                if !urllib || name != "Request" {
                    return None;
                }
                let args = expr.child_by_field_name("arguments")?;
                self.url(self.argument(args, 0, "url")?, depth + 1)
            }
            _ => None,
        }
    }

    // ---- requests ----

    /// The request a call makes, if it is an SDK method of the Messages API.
    fn request(&mut self, call: TsNode<'t>) -> Option<Document> {
        let function = call.child_by_field_name("function")?;
        let args = call.child_by_field_name("arguments")?;
        if args.kind() != "argument_list" || args.has_error() {
            return None;
        }
        // The callee as segments: `client.messages.create` → [client, messages, create].
        let mut chain = Vec::new();
        let mut node = function;
        while node.kind() == "attribute" {
            chain.push(node);
            node = node.child_by_field_name("object")?;
        }
        chain.push(node);
        chain.reverse();
        let segments: Vec<&str> = chain
            .iter()
            .map(|n| match n.kind() {
                "attribute" => n
                    .child_by_field_name("attribute")
                    .map_or("", |a| self.src(a)),
                "identifier" => self.src(*n),
                _ => "()",
            })
            .collect();
        let (kind, receiver_len) = code::sdk_method(&segments)?;
        if receiver_len == 0 {
            return None;
        }
        let client = self.receiver(chain[receiver_len - 1]);
        let parse = segments.last() == Some(&"parse");
        let body = self.body(args, parse)?;
        let runtime = Runtime {
            sdk: Sdk::Python,
            streams: segments.last() == Some(&"stream"),
            timeout: body
                .timeout
                .or(client.map_or(Setting::Unknown, |c| c.timeout)),
            max_retries: client.map_or(Setting::Unknown, |c| c.max_retries),
        };
        let dialect = client.map_or(Dialect::FirstParty, |c| c.dialect);
        let method = function
            .child_by_field_name("attribute")
            .unwrap_or(function);
        Some(Document {
            range: range(call),
            body_bytes: json_len(&body.root) + std::mem::take(&mut self.literal_bytes),
            root: Some(body.root),
            errors: Vec::new(),
            host: Host::Python,
            call: Some(Box::new(Call {
                kind,
                dialect,
                known_client: client.is_some_and(|c| c.direct),
                sdk: true,
                api_version: None,
                betas: body.betas.or_else(|| {
                    client
                        .filter(|c| c.plain && !body.extra_headers)
                        .map(|_| Vec::new())
                }),
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

    /// The body a call's keyword arguments make, with the SDK options taken out.
    /// `parse` says the method is `messages.parse`, whose `output_format` is a Python type the
    /// SDK turns into `output_config.format`.
    fn body(&mut self, args: TsNode<'t>, parse: bool) -> Option<Body> {
        self.literal_bytes = 0;
        self.budget = BUDGET;
        let mut object = ObjectBuilder::default();
        let mut betas = None;
        let mut extra_headers = false;
        let mut timeout = Setting::Default;
        let mut cursor = args.walk();
        for arg in args.named_children(&mut cursor) {
            match arg.kind() {
                "keyword_argument" => {
                    let Some((name, value)) = keyword(arg) else {
                        continue;
                    };
                    match self.src(name) {
                        "betas" => betas = string_list(&self.lower(value, 0)),
                        "extra_headers" => {
                            extra_headers = true;
                            let headers = self.lower(value, 0);
                            if let Some(listed) = beta_header(&headers) {
                                betas = listed.map(|more| {
                                    let mut all = betas.take().unwrap_or_default();
                                    all.extend(more);
                                    all
                                });
                            }
                        }
                        "extra_body" => {
                            let extra = self.lower(value, 0);
                            match extra.value {
                                Value::Object(members) => object.splice(members),
                                _ => object.spread(range(arg)),
                            }
                        }
                        "timeout" => timeout = self.setting(value),
                        // Headers and request options (data/sdk.toml `[keywords]`).
                        key if sdk::keywords().is_header(key)
                            || sdk::keywords().options.iter().any(|o| o == key) => {}
                        "output_format" if parse => {}
                        // `NOT_GIVEN` and `omit` leave the parameter out.
                        _ if matches!(
                            self.src(value).rsplit('.').next(),
                            Some("NOT_GIVEN" | "omit")
                        ) => {}
                        key => object.push(Member {
                            key: key.to_owned(),
                            key_range: range(name),
                            value: self.lower(value, 0),
                        }),
                    }
                }
                "dictionary_splat" => {
                    timeout = Setting::Unknown;
                    match arg.named_child(0).map(|v| self.lower(v, 0)) {
                        Some(Node {
                            value: Value::Object(members),
                            ..
                        }) => object.splice(members),
                        _ => object.spread(range(arg)),
                    }
                }
                "list_splat" => return None,
                _ => {}
            }
        }
        Some(Body {
            root: object.finish(range(args), true),
            betas,
            extra_headers,
            timeout,
        })
    }

    // ---- values ----

    /// Lowers an expression into the payload tree.
    fn lower(&mut self, expr: TsNode<'t>, depth: usize) -> Node {
        let unknown = Node::new(range(expr), Value::Unknown);
        if depth > MAX_DEPTH || self.budget == 0 {
            return unknown;
        }
        self.budget -= 1;
        match expr.kind() {
            "string" | "concatenated_string" => self.string(expr),
            "integer" | "float" => number(self.src(expr), expr),
            "true" => Node::new(range(expr), Value::Bool(true)),
            "false" => Node::new(range(expr), Value::Bool(false)),
            "none" => Node::new(range(expr), Value::Null),
            "unary_operator" => {
                let (Some(op), Some(arg)) = (
                    expr.child_by_field_name("operator"),
                    expr.child_by_field_name("argument"),
                ) else {
                    return unknown;
                };
                let inner = self.lower(arg, depth + 1);
                match (self.src(op), inner.value) {
                    ("-", Value::Number(n)) => number(&format!("-{n}"), expr),
                    ("+", Value::Number(n)) => Node::new(range(expr), Value::Number(n)),
                    _ => unknown,
                }
            }
            "parenthesized_expression" => match expr.named_child(0) {
                Some(inner) if expr.named_child_count() == 1 => self.lower(inner, depth + 1),
                _ => unknown,
            },
            "list" | "tuple" => {
                let mut items = Vec::new();
                let mut cursor = expr.walk();
                for item in expr.named_children(&mut cursor) {
                    match item.kind() {
                        "comment" => {}
                        "list_splat" | "parenthesized_list_splat" => return unknown,
                        _ => items.push(self.lower(item, depth + 1)),
                    }
                }
                Node::new(range(expr), Value::Array(items))
            }
            "dictionary" => {
                let mut object = ObjectBuilder::default();
                let mut cursor = expr.walk();
                for item in expr.named_children(&mut cursor) {
                    match item.kind() {
                        "pair" => {
                            let (Some(key), Some(value)) = (
                                item.child_by_field_name("key"),
                                item.child_by_field_name("value"),
                            ) else {
                                return unknown;
                            };
                            let Value::String(name) = self.lower(key, depth + 1).value else {
                                object.spread(range(item));
                                continue;
                            };
                            object.push(Member {
                                key: name,
                                key_range: range(key),
                                value: self.lower(value, depth + 1),
                            });
                        }
                        "dictionary_splat" => {
                            match item.named_child(0).map(|v| self.lower(v, depth + 1)) {
                                Some(Node {
                                    value: Value::Object(members),
                                    ..
                                }) => object.splice(members),
                                _ => object.spread(range(item)),
                            }
                        }
                        _ => {}
                    }
                }
                object.finish(range(expr), false)
            }
            "call" => self.dict_call(expr, depth).unwrap_or(unknown),
            "identifier" => match self.names.resolve(self.src(expr), expr) {
                Some(value) => self.lower(value, depth + 1),
                None => unknown,
            },
            _ => unknown,
        }
    }

    /// `dict(role="user", content="Hi")`.
    fn dict_call(&mut self, call: TsNode<'t>, depth: usize) -> Option<Node> {
        let function = call.child_by_field_name("function")?;
        let args = call.child_by_field_name("arguments")?;
        let unshadowed = !self.names.is_bound("dict");
        if self.src(function) != "dict" || !unshadowed || args.kind() != "argument_list" {
            return None;
        }
        let mut object = ObjectBuilder::default();
        let mut cursor = args.walk();
        for arg in args.named_children(&mut cursor) {
            match arg.kind() {
                "keyword_argument" => {
                    let name = arg.child_by_field_name("name")?;
                    let value = arg.child_by_field_name("value")?;
                    object.push(Member {
                        key: self.src(name).to_owned(),
                        key_range: range(name),
                        value: self.lower(value, depth + 1),
                    });
                }
                "comment" => {}
                _ => object.spread(range(arg)),
            }
        }
        Some(object.finish(range(call), false))
    }

    /// A string literal or an implicit concatenation of them; f-strings with interpolations
    /// are `Unknown`, their literal parts counted towards the body size.
    fn string(&mut self, expr: TsNode<'t>) -> Node {
        let mut parts = Vec::new();
        if expr.kind() == "concatenated_string" {
            let mut cursor = expr.walk();
            parts.extend(
                expr.named_children(&mut cursor)
                    .filter(|n| n.kind() == "string"),
            );
        } else {
            parts.push(expr);
        }
        let mut value = String::new();
        let mut known = true;
        for part in parts {
            match self.string_part(part) {
                Some((text, complete)) => {
                    value.push_str(&text);
                    known &= complete;
                }
                None => known = false,
            }
        }
        if known {
            Node::new(range(expr), Value::String(value))
        } else {
            self.literal_bytes += value.len() as u64;
            Node::new(range(expr), Value::Unknown)
        }
    }

    /// One string literal's decoded text, and whether it is all known (no interpolation).
    /// `None` for an escape this decoder does not know (`\N{...}`).
    fn string_part(&self, string: TsNode<'t>) -> Option<(String, bool)> {
        let start = string.child(0)?;
        let prefix = self
            .src(start)
            .trim_end_matches(['"', '\''])
            .to_ascii_lowercase();
        let raw = prefix.contains('r');
        let formatted = prefix.contains('f') || prefix.contains('t');
        let mut text = String::new();
        let mut complete = true;
        let mut cursor = string.walk();
        for child in string.named_children(&mut cursor) {
            match child.kind() {
                "string_content" => {
                    let content = self.src(child);
                    let decoded = if raw {
                        content.to_owned()
                    } else {
                        unescape(content)?
                    };
                    if formatted {
                        text.push_str(&decoded.replace("{{", "{").replace("}}", "}"));
                    } else {
                        text.push_str(&decoded);
                    }
                }
                "interpolation" => complete = false,
                _ => {}
            }
        }
        Some((text, complete))
    }
}

/// The body of a call, and the SDK options that are not part of it.
struct Body {
    root: Node,
    betas: Option<Vec<String>>,
    extra_headers: bool,
    /// The call's own `timeout` (a `**splat` may hold one).
    timeout: Setting,
}

/// A number literal's node.
fn number(text: &str, node: TsNode<'_>) -> Node {
    Node::new(
        range(node),
        code::number_literal(text).map_or(Value::Unknown, Value::Number),
    )
}

/// True when `child` is the node in `parent`'s field `field`.
fn in_field(parent: TsNode<'_>, field: &str, child: TsNode<'_>) -> bool {
    parent
        .child_by_field_name(field)
        .is_some_and(|c| c.id() == child.id())
}

/// The variable at the bottom of `x[k].y`.
fn base_identifier(mut node: TsNode<'_>) -> Option<TsNode<'_>> {
    loop {
        node = match node.kind() {
            "identifier" => return Some(node),
            "subscript" => node.child_by_field_name("value")?,
            "attribute" => node.child_by_field_name("object")?,
            _ => return None,
        };
    }
}

/// The name and value of a keyword argument.
fn keyword(arg: TsNode<'_>) -> Option<(TsNode<'_>, TsNode<'_>)> {
    Some((
        arg.child_by_field_name("name")?,
        arg.child_by_field_name("value")?,
    ))
}

/// The plain HTTP library a module is.
fn http_library(module: &str) -> Option<&'static str> {
    Some(match module {
        "requests" => "requests",
        "httpx" => "httpx",
        "aiohttp" => "aiohttp",
        "urllib.request" => "urllib",
        _ => return None,
    })
}

fn unwrap_await(node: TsNode<'_>) -> TsNode<'_> {
    match node.kind() {
        "await" | "parenthesized_expression" => node.named_child(0).unwrap_or(node),
        _ => node,
    }
}

/// `import a.b as c` → ("a.b", Some("c")).
fn imported<'t>(name: TsNode<'_>, text: &'t str) -> (&'t str, Option<&'t str>) {
    match name.kind() {
        "aliased_import" => (
            name.child_by_field_name("name")
                .map_or("", |n| &text[n.byte_range()]),
            name.child_by_field_name("alias")
                .map(|a| &text[a.byte_range()]),
        ),
        _ => (&text[name.byte_range()], None),
    }
}

/// Decodes the escapes of a Python string body. `None` for `\N{name}`, which needs the Unicode
/// name table.
pub fn unescape(raw: &str) -> Option<String> {
    if !raw.contains('\\') {
        return Some(raw.to_owned());
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            out.push('\\');
            break;
        };
        match e {
            '\n' => {}
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\u{b}'),
            '0'..='7' => {
                let mut value = e.to_digit(8)?;
                for _ in 0..2 {
                    match chars.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            value = value * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(value)?);
            }
            'x' | 'u' | 'U' => {
                let len = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let mut value = 0;
                for _ in 0..len {
                    value = value * 16 + chars.next()?.to_digit(16)?;
                }
                out.push(char::from_u32(value).unwrap_or('\u{FFFD}'));
            }
            'N' => return None,
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::PayloadKind;
    use crate::syntax::TextRange;

    fn bodies(text: &str) -> Vec<(PayloadKind, Node)> {
        extract(text)
            .into_iter()
            .filter_map(|d| Some((d.call?.kind, d.root?)))
            .collect()
    }

    fn json(node: &Node) -> String {
        match node.to_json() {
            Some(v) => v.to_string(),
            None => "<unknown>".into(),
        }
    }

    #[test]
    fn decodes_python_strings() {
        assert_eq!(
            unescape(r"a\nb\x41\u00e9\101\\\q").unwrap(),
            "a\nbAé\u{41}\\\\q"
        );
        assert_eq!(unescape(r"\N{BULLET}"), None);
        let src = "client.messages.create(model='claude-opus-5', system=r'\\d' \"x\" '''y''', max_tokens=1_024, messages=[])";
        let found = bodies(&format!(
            "import anthropic\nclient = anthropic.Anthropic()\n{src}\n"
        ));
        assert_eq!(
            json(&found[0].1),
            r#"{"model":"claude-opus-5","system":"\\dxy","max_tokens":1024,"messages":[]}"#
        );
    }

    #[test]
    fn resolves_variables_bound_once_and_unchanged() {
        let text = r#"
from anthropic import Anthropic as A
client = A()
messages = [{"role": "user", "content": "Hi"}]
history = []
for q in qs:
    history.append({"role": "user", "content": q})
model = "claude-opus-5"
model = "claude-sonnet-4-6"
def ask(prompt):
    client.messages.create(model=model, max_tokens=10, messages=messages, system=prompt)
    client.messages.count_tokens(model="claude-opus-5", messages=history)
"#;
        let found = bodies(text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].0, PayloadKind::Messages);
        let root = &found[0].1;
        assert!(root.get("model").unwrap().is_unknown());
        assert!(root.get("system").unwrap().is_unknown());
        assert_eq!(
            json(root.get("messages").unwrap()),
            r#"[{"content":"Hi","role":"user"}]"#.replace(
                r#"{"content":"Hi","role":"user"}"#,
                r#"{"role":"user","content":"Hi"}"#
            )
        );
        assert_eq!(found[1].0, PayloadKind::CountTokens);
        assert!(found[1].1.get("messages").unwrap().is_unknown());
    }

    #[test]
    fn spreads_splice_literals_and_mark_unknowns() {
        let text = r#"
import anthropic
client = anthropic.AsyncAnthropic()
base = {"model": "claude-opus-5", "max_tokens": 5}
client.messages.create(**base, max_tokens=10, messages=[], timeout=30, betas=["a-1"])
client.messages.create(**make(), messages=[])
"#;
        let docs = extract(text);
        let root = docs[0].root.as_ref().unwrap();
        assert_eq!(
            json(root),
            r#"{"model":"claude-opus-5","max_tokens":10,"messages":[]}"#
        );
        assert_eq!(
            docs[0].call.as_ref().unwrap().betas,
            Some(vec!["a-1".into()])
        );
        let second = docs[1].root.as_ref().unwrap();
        assert!(second.has_spread());
        let at = text.find("**make()").unwrap();
        assert_eq!(
            second.as_object().unwrap()[0].value.range,
            TextRange::new(at, at + "**make()".len())
        );
    }

    #[test]
    fn fstrings_are_unknown_but_count_their_literal_bytes() {
        let text = "import anthropic\nc = anthropic.Anthropic()\nc.messages.create(model='claude-opus-5', max_tokens=5, messages=[{'role': 'user', 'content': f'Hello {name}!'}])\n";
        let docs = extract(text);
        let root = docs[0].root.as_ref().unwrap();
        assert_eq!(json(root), "<unknown>");
        assert_eq!(docs[0].body_bytes, json_len(root) + "Hello !".len() as u64);
    }

    #[test]
    fn clients_and_evidence() {
        let text = r#"
from anthropic import AnthropicBedrock
class Bot:
    def __init__(self):
        self.client = AnthropicBedrock(aws_region="us-east-1")
    def run(self):
        return self.client.messages.create(model="anthropic.claude-opus-5", max_tokens=5, messages=[])
other.messages.create(model="gpt-4o", messages=[])
"#;
        let docs = extract(text);
        let calls: Vec<&Call> = docs.iter().filter_map(|d| d.call.as_deref()).collect();
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].dialect, Dialect::Bedrock);
        assert!(calls[0].known_client);
        assert!(!calls[1].known_client);
        assert_eq!(calls[1].what, "`other.messages.create(...)`");
    }
}
