//! The one code extractor: SDK calls on Anthropic clients, their arguments lowered into the
//! payload tree (design: "Which payloads are found", invariant 2). Python and JavaScript /
//! TypeScript run the same machine; a [`Grammar`] supplies only what differs between them:
//! node names, how names are bound and imported, how a call's arguments make a body, and the
//! lowering of the literals one language has and the other does not.
//!
//! Values come from literals, from spreads of literals, and from a variable bound exactly once
//! in its scope and never changed in place. Anything else (a parameter, a call, an
//! interpolation) is `Unknown`, which rules skip: dynamic code never gets a false alarm.

use std::collections::HashMap;

use tree_sitter::{Node as TsNode, Tree};

use super::code::{self, Call, Client, ObjectBuilder, Runtime, Sdk, Setting, range};
use super::files::{Document, json_len};
use super::names::{Ancestors, Names, Use};
use super::siblings::{Constant, Imported, Siblings};
use crate::facts::Dialect;
use crate::fix::Host;
use crate::syntax::{MAX_DEPTH, Member, Node, TextRange, Value, walk};

/// The most expressions lowered for one request (or one constructor's arguments): variables
/// that reference each other twice per level would otherwise make a tree exponential in the
/// file's size.
pub(crate) const BUDGET: usize = 1_000_000;

/// The node kinds and names one language writes the shared shapes with.
pub(crate) struct Kinds {
    /// The syntax that renders fixes.
    pub host: Host,
    /// The SDK whose run-time behaviour applies.
    pub sdk: Sdk,
    /// A call (`f(x)`).
    pub call: &'static str,
    /// A call's argument list.
    pub arguments: &'static str,
    /// `a.b`, and its field holding `b`.
    pub member: (&'static str, &'static str),
    /// The node kinds a receiver chain names by their text (`client`, `this`).
    pub names: &'static [&'static str],
    /// The call that makes a client (`Anthropic(...)`, `new Anthropic(...)`) and its field
    /// holding the class.
    pub new: (&'static str, &'static str),
    /// The methods that derive a client with other options (`with_options`).
    pub with_options: &'static [&'static str],
    /// The client option that sets retries (`max_retries`).
    pub retries: &'static str,
    /// String literal kinds.
    pub strings: &'static [&'static str],
    /// The null literal's kind (`None`, `null`).
    pub null: &'static str,
    /// `-x`.
    pub unary: &'static str,
    /// Array literal kinds, and the kinds of a spread inside one.
    pub arrays: (&'static [&'static str], &'static [&'static str]),
    /// Number literals and arithmetic.
    pub numbers: code::NumberSyntax,
    /// The loops a raw HTTP request may be retried in.
    pub loops: &'static [&'static str],
    /// The kinds of a function definition that may be a client factory (`def make_client()`).
    pub factories: &'static [&'static str],
    /// A name bound to a function value that may be a client factory (`make = lambda: ...`,
    /// `const makeClient = () => ...`): the binding's kind, its fields holding the name and
    /// the value, and the kinds of function value.
    pub factory_bindings: (
        &'static str,
        (&'static str, &'static str),
        &'static [&'static str],
    ),
    /// The kinds of a function body made of statements; any other body is one expression, the
    /// value returned.
    pub blocks: &'static [&'static str],
    /// Every kind that opens a scope: a `return` inside one is not its enclosing function's.
    pub scopes: &'static [&'static str],
    /// Functions that read what is passed to them and change nothing (`len`, `JSON.stringify`).
    pub harmless: &'static [&'static str],
}

/// An SDK method call whose body is read.
pub(crate) struct SdkCall<'t> {
    /// Its argument list.
    pub args: TsNode<'t>,
    /// The method's name (`create`, `parse`).
    pub method: &'t str,
    /// The client it is called on, when known.
    pub client: Option<Client>,
}

/// The body a call's arguments make, with what the call itself says about headers and options.
pub(crate) struct Body {
    /// The body.
    pub root: Node,
    /// The betas the call is sent with, when all are known (given the client it is called on).
    pub betas: Option<Vec<String>>,
    /// The call's own timeout.
    pub timeout: Setting,
    /// The call's own retries.
    pub max_retries: Setting,
}

/// What one language adds to the shared machine. The implementing type holds the language's
/// own state (its imports); the machine hands itself to each method.
pub(crate) trait Grammar<'t>: Sized {
    /// The node kinds of the shared shapes.
    const KINDS: Kinds;

    /// Scopes, bindings, mutations, imports and assignment targets, in one or more walks.
    fn collect(ex: &mut Extractor<'t, Self>, root: TsNode<'t>);

    /// Looks through what does not change a value (parentheses, `await`, type assertions).
    fn unwrap(node: TsNode<'t>) -> TsNode<'t>;

    /// What a receiver chain, a URL or an option value looks through.
    fn look_through(node: TsNode<'t>) -> TsNode<'t>;

    /// The platform of the client class a constructor call names.
    fn constructor_class(ex: &Extractor<'t, Self>, class: TsNode<'t>) -> Option<Dialect>;

    /// Applies the arguments of a constructor or `with_options(...)` to `client`.
    fn client_arguments(ex: &Extractor<'t, Self>, args: TsNode<'t>, client: &mut Client);

    /// True when an option's value leaves it at its default (`NOT_GIVEN`, `undefined`).
    fn is_default(ex: &Extractor<'t, Self>, value: TsNode<'t>) -> bool;

    /// The values passed to a client constructor, when `node` is one (for the secrets scan).
    fn constructor_values(ex: &Extractor<'t, Self>, node: TsNode<'t>) -> Option<Vec<TsNode<'t>>>;

    /// The body an SDK call's arguments make.
    fn body(ex: &mut Extractor<'t, Self>, call: &SdkCall<'t>) -> Option<Body>;

    /// The top-level names another file may import from this one, each as (the name it is
    /// imported as, the name bound here); `None` when every top-level name may be (Python).
    fn exports(_ex: &Extractor<'t, Self>, _root: TsNode<'t>) -> Option<Vec<(&'t str, &'t str)>> {
        None
    }

    /// True when the function `path` names, one this file imports, only reads its arguments
    /// (a TypedDict's constructor).
    fn reads_only(_ex: &Extractor<'t, Self>, _path: &str) -> bool {
        false
    }

    /// A request to a Claude endpoint sent with a plain HTTP library.
    fn raw_request(ex: &Extractor<'t, Self>, call: TsNode<'t>) -> Option<Document>;

    /// A string literal's decoded text and whether all of it is known (no interpolation, no
    /// escape this decoder cannot read).
    fn string(ex: &Extractor<'t, Self>, expr: TsNode<'t>) -> (String, bool);

    /// A URL written as anything but a name (a literal, a request object).
    fn url_value(ex: &Extractor<'t, Self>, expr: TsNode<'t>, depth: usize) -> Option<String>;

    /// Lowers the expressions only this language writes (objects, dictionaries, `dict(...)`).
    fn lower_other(ex: &mut Extractor<'t, Self>, expr: TsNode<'t>, depth: usize) -> Node;
}

/// The shared machine over one parsed file.
pub(crate) struct Extractor<'t, G> {
    /// The file's text.
    pub text: &'t str,
    /// Every name's scope, bindings and mutations.
    pub names: Names<'t>,
    /// Every assignment target's text (`client`, `self.client`) and what was assigned.
    pub targets: HashMap<&'t str, Vec<Option<Client>>>,
    /// Functions of the file that return the same client on every `return`, by name.
    factories: HashMap<&'t str, Client>,
    /// Names imported from a module beside the file: the module's possible file names and
    /// the name imported (`from .config import MODEL as M` → `M`: `config.py`, `MODEL`).
    pub sibling_imports: HashMap<&'t str, (Vec<String>, &'t str)>,
    /// The modules beside the file, when it has a place on disk.
    siblings: Option<&'t Siblings>,
    /// The values of this request read from those modules, and where.
    imported: Vec<Imported>,
    /// The constant each imported name holds, once looked up.
    constants: HashMap<&'t str, Option<Constant>>,
    /// The language's own state.
    pub lang: G,
    /// Bytes of literal parts lowered as `Unknown` (an f-string's): they still count towards
    /// the body's size.
    literal_bytes: u64,
    /// How many more expressions this request may lower.
    budget: usize,
}

/// Parses `text` with `language`; `None` when tree-sitter cannot (a grammar of another ABI).
pub(crate) fn parse(text: &str, language: &tree_sitter::Language) -> Option<Tree> {
    let mut parser = tree_sitter::Parser::new();
    parser.set_language(language).ok()?;
    parser.parse(text, None)
}

/// Finds the requests in a parsed file, reading constants it imports from `siblings`.
pub(crate) fn extract<'t, G: Grammar<'t>>(
    text: &'t str,
    tree: &'t Tree,
    lang: G,
    siblings: &'t Siblings,
) -> Vec<Document> {
    Extractor::new(text, lang, Some(siblings)).run(tree.root_node())
}

/// The constants a parsed module gives the files that import it: its top-level names bound
/// exactly once, to a string, number or boolean literal, with their values and the literals'
/// ranges (`siblings`).
pub(crate) fn constants<'t, G: Grammar<'t>>(
    text: &'t str,
    tree: &'t Tree,
    lang: G,
) -> Vec<(String, Value, TextRange)> {
    let root = tree.root_node();
    let mut ex = Extractor::new(text, lang, None);
    G::collect(&mut ex, root);
    let bound: HashMap<&str, TsNode<'t>> = ex
        .names
        .module_constants()
        .filter(|&(_, value)| Extractor::<G>::is_scalar_default(value))
        .collect();
    let exports =
        G::exports(&ex, root).unwrap_or_else(|| bound.keys().map(|&name| (name, name)).collect());
    let mut found = Vec::new();
    for (exported, local) in exports {
        let Some(&value) = bound.get(local) else {
            continue;
        };
        let node = ex.lower(value, 0);
        if matches!(
            node.value,
            Value::String(_) | Value::Number(_) | Value::Bool(_)
        ) {
            found.push((exported.to_owned(), node.value, node.range));
        }
    }
    found
}

impl<'t, G: Grammar<'t>> Extractor<'t, G> {
    fn new(text: &'t str, lang: G, siblings: Option<&'t Siblings>) -> Self {
        Self {
            text,
            names: Names::default(),
            targets: HashMap::new(),
            factories: HashMap::new(),
            sibling_imports: HashMap::new(),
            siblings,
            imported: Vec::new(),
            constants: HashMap::new(),
            lang,
            literal_bytes: 0,
            budget: BUDGET,
        }
    }

    /// The text of `node`.
    pub(crate) fn src(&self, node: TsNode<'_>) -> &'t str {
        &self.text[node.byte_range()]
    }

    fn run(mut self, root: TsNode<'t>) -> Vec<Document> {
        G::collect(&mut self, root);
        let mut documents = Vec::new();
        let mut credentials = Vec::new();
        let mut credentials_imported = Vec::new();
        let mut cursor = root.walk();
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            if let Some(values) = G::constructor_values(&self, node) {
                self.budget = BUDGET;
                self.imported.clear();
                for value in values {
                    let lowered = self.lower(value, 0);
                    walk(&lowered, |n| {
                        if matches!(n.value, Value::String(_)) {
                            credentials.push(n.clone());
                        }
                    });
                }
                credentials_imported.append(&mut self.imported);
            }
            if node.kind() == G::KINDS.call {
                documents.extend(self.request(node).or_else(|| G::raw_request(&self, node)));
            }
            stack.extend(node.named_children(&mut cursor));
        }
        documents.sort_by_key(|d| d.range);
        if !credentials.is_empty() {
            let mut document = Document::credentials(credentials, G::KINDS.host);
            // `api_key=API_KEY` imported from a module beside the file: said where it is set.
            document.imported = credentials_imported;
            documents.push(document);
        }
        documents
    }

    // ---- names ----

    /// One walk over the tree with every node's scope and ancestors: `open` opens the scope a
    /// node makes (a function's, binding its parameters), `visit` records what a node binds.
    pub(crate) fn walk_scopes(
        &mut self,
        root: TsNode<'t>,
        open: fn(&mut Self, TsNode<'t>, usize) -> Option<usize>,
        visit: fn(&mut Self, TsNode<'t>, usize, Ancestors<'t>),
    ) {
        self.names.open(None, false);
        let mut stack = vec![(root, 0usize, Ancestors::default())];
        let mut cursor = root.walk();
        while let Some((node, scope, up)) = stack.pop() {
            let inner = open(self, node, scope).unwrap_or(scope);
            visit(self, node, scope, up);
            for child in node.named_children(&mut cursor) {
                stack.push((child, inner, up.below(node)));
            }
        }
    }

    /// Records a use of the name written at `name`.
    pub(crate) fn record(&mut self, name: TsNode<'t>, scope: usize, role: Use<'t>) {
        self.names.record(self.src(name), scope, role);
    }

    /// Notes what the assignment target `target` is bound to.
    pub(crate) fn target(&mut self, target: TsNode<'t>, client: Option<Client>) {
        self.targets
            .entry(self.src(target))
            .or_default()
            .push(client);
    }

    /// True when `value` is a string, number or boolean literal: a parameter's default of one
    /// is known where the function body uses the parameter (`def ask(model="...")`). It is
    /// only the default (a caller may pass another value), so findings about it are findings
    /// about the default, at its range; a scalar never makes a key missing.
    pub(crate) fn is_scalar_default(value: TsNode<'_>) -> bool {
        let kinds = &G::KINDS;
        let kind = value.kind();
        kinds.strings.contains(&kind)
            || kinds.numbers.literals.contains(&kind)
            || matches!(kind, "true" | "false")
            || kind == kinds.unary
                && value
                    .named_child(0)
                    .is_some_and(|n| kinds.numbers.literals.contains(&n.kind()))
    }

    /// True when passing a value to `call` (the parent of its arguments) may change it: any
    /// function but an SDK call and the few harmless ones may.
    pub(crate) fn may_change(&self, call: Option<TsNode<'t>>) -> bool {
        let Some(function) = call.and_then(|call| call.child_by_field_name("function")) else {
            return true;
        };
        let path = self.src(function);
        let segments: Vec<&str> = path.split('.').map(str::trim).collect();
        !G::KINDS.harmless.contains(&path)
            && !G::reads_only(self, path)
            && code::sdk_method(&segments).is_none()
    }

    // ---- clients ----

    /// The functions defined once in the file whose every `return` returns a client made
    /// there, the same each time (`def make_client(): return anthropic.Anthropic()`,
    /// `const makeClient = () => new Anthropic()`): a call of one makes that client. Needs the
    /// names and imports collected first.
    pub(crate) fn collect_factories(&mut self, root: TsNode<'t>) {
        let (binding, (name_field, value_field), functions) = G::KINDS.factory_bindings;
        let mut cursor = root.walk();
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            stack.extend(node.named_children(&mut cursor));
            let (name, function) = if G::KINDS.factories.contains(&node.kind()) {
                (node.child_by_field_name("name"), Some(node))
            } else if node.kind() == binding {
                let value = node.child_by_field_name(value_field).map(G::unwrap);
                let function = value.filter(|v| functions.contains(&v.kind()));
                (node.child_by_field_name(name_field), function)
            } else {
                continue;
            };
            let (Some(name), Some(body)) =
                (name, function.and_then(|f| f.child_by_field_name("body")))
            else {
                continue;
            };
            if name.kind() != "identifier" || self.names.bindings(self.src(name)) != 1 {
                continue;
            }
            if let Some(client) = self.returned_client(body) {
                self.factories.insert(self.src(name), client);
            }
        }
    }

    /// The client every `return` in `body` (outside nested functions and classes) returns,
    /// when there is one and they agree; an expression body is what it returns.
    fn returned_client(&self, body: TsNode<'t>) -> Option<Client> {
        if !G::KINDS.blocks.contains(&body.kind()) {
            return self.constructed(body);
        }
        let mut cursor = body.walk();
        let mut stack = vec![body];
        let mut found: Option<Client> = None;
        while let Some(node) = stack.pop() {
            if node.kind() == "return_statement" {
                let client = self.constructed(node.named_child(0)?)?;
                if found.is_some_and(|f| f != client) {
                    return None;
                }
                found = Some(client);
            } else if !G::KINDS.scopes.contains(&node.kind()) {
                stack.extend(node.named_children(&mut cursor));
            }
        }
        found
    }

    /// The client a constructor call (or a call of a client factory) makes.
    pub(crate) fn constructed(&self, value: TsNode<'t>) -> Option<Client> {
        let value = G::unwrap(value);
        if value.kind() == G::KINDS.call
            && let Some(function) = value.child_by_field_name("function")
            && let Some(&client) = self.factories.get(self.src(function))
        {
            return Some(client);
        }
        let (kind, class) = G::KINDS.new;
        if value.kind() != kind {
            return None;
        }
        let dialect = G::constructor_class(self, value.child_by_field_name(class)?)?;
        let mut client = Client::new(dialect);
        if let Some(args) = value.child_by_field_name("arguments") {
            G::client_arguments(self, args, &mut client);
        }
        Some(client)
    }

    /// How an option's value is set, its number times `scale` (milliseconds to seconds).
    pub(crate) fn setting(&self, value: TsNode<'t>, scale: f64) -> Setting {
        let value = G::look_through(value);
        if G::is_default(self, value) {
            return Setting::Default;
        }
        Setting::Set {
            range: range(value),
            value: code::constant_number(value, self.text, &self.names, &G::KINDS.numbers, 0)
                .map(|n| n * scale),
        }
    }

    /// The client a method is called on, when it is known: made here, bound to a name, or
    /// derived with `with_options(...)`, whose options replace the client's.
    fn receiver(&self, receiver: TsNode<'t>) -> Option<Client> {
        let receiver = G::unwrap(receiver);
        if let Some(client) = self.constructed(receiver) {
            return Some(client);
        }
        if receiver.kind() == G::KINDS.call {
            let function = receiver.child_by_field_name("function")?;
            let method = function.child_by_field_name(G::KINDS.member.1)?;
            if !G::KINDS.with_options.contains(&self.src(method)) {
                return None;
            }
            let mut client = self.receiver(function.child_by_field_name("object")?)?;
            G::client_arguments(
                self,
                receiver.child_by_field_name("arguments")?,
                &mut client,
            );
            return Some(client);
        }
        Client::bound_to(&self.targets, self.src(receiver), G::KINDS.retries)
    }

    // ---- requests ----

    /// The request a call makes, if it is an SDK method of the Messages API.
    fn request(&mut self, call: TsNode<'t>) -> Option<Document> {
        let function = call.child_by_field_name("function")?;
        let args = call.child_by_field_name("arguments")?;
        if args.kind() != G::KINDS.arguments || args.has_error() {
            return None;
        }
        // The callee as segments: `client.messages.create` → [client, messages, create].
        let (member, property) = G::KINDS.member;
        let mut chain = Vec::new();
        let mut node = function;
        while node.kind() == member {
            chain.push(node);
            node = G::look_through(node.child_by_field_name("object")?);
        }
        chain.push(node);
        chain.reverse();
        let segments: Vec<&str> = chain
            .iter()
            .map(|n| match n.kind() {
                kind if kind == member => {
                    n.child_by_field_name(property).map_or("", |p| self.src(p))
                }
                kind if G::KINDS.names.contains(&kind) => self.src(*n),
                _ => "()",
            })
            .collect();
        let (kind, receiver_len) = code::sdk_method(&segments)?;
        if receiver_len == 0 {
            return None;
        }
        let client = self.receiver(chain[receiver_len - 1]);
        let method = segments.last().copied().unwrap_or_default();
        self.literal_bytes = 0;
        self.imported.clear();
        self.budget = BUDGET;
        let body = G::body(
            self,
            &SdkCall {
                args,
                method,
                client,
            },
        )?;
        let runtime = Runtime {
            sdk: G::KINDS.sdk,
            streams: method == "stream",
            timeout: body
                .timeout
                .or(client.map_or(Setting::Unknown, |c| c.timeout)),
            max_retries: body
                .max_retries
                .or(client.map_or(Setting::Unknown, |c| c.max_retries)),
        };
        let name = function.child_by_field_name(property).unwrap_or(function);
        Some(Document {
            range: range(call),
            body_bytes: json_len(&body.root) + std::mem::take(&mut self.literal_bytes),
            root: Some(body.root),
            errors: Vec::new(),
            host: G::KINDS.host,
            call: Some(Box::new(Call {
                kind,
                dialect: client.map_or(Dialect::FirstParty, |c| c.dialect),
                known_client: client.is_some_and(|c| c.direct),
                sdk: true,
                api_version: None,
                betas: body.betas,
                headers: None,
                range: range(name),
                what: format!("`{}(...)`", self.src(function)),
                runtime: Some(runtime),
                raw_http: None,
            })),
            credentials: Vec::new(),
            embedding: None,
            imported: std::mem::take(&mut self.imported),
        })
    }

    /// The document of a request `call` sends to `url` with `library`, if it is a Claude
    /// endpoint.
    pub(crate) fn raw_http(
        &self,
        call: TsNode<'t>,
        url: &str,
        library: &'static str,
    ) -> Option<Document> {
        code::raw_http_document(self.text, call, url, library, G::KINDS.loops, G::KINDS.host)
    }

    /// The URL an expression always holds: a literal, or a variable bound once to one.
    pub(crate) fn url(&self, expr: TsNode<'t>, depth: usize) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        let expr = G::look_through(expr);
        match expr.kind() {
            "identifier" => self.url(
                self.names.resolve_immutable(self.src(expr), expr)?,
                depth + 1,
            ),
            _ => G::url_value(self, expr, depth),
        }
    }

    // ---- values ----

    /// Lowers an expression into the payload tree.
    pub(crate) fn lower(&mut self, expr: TsNode<'t>, depth: usize) -> Node {
        let unknown = Node::new(range(expr), Value::Unknown);
        if depth > MAX_DEPTH || self.budget == 0 {
            return unknown;
        }
        self.budget -= 1;
        let kinds = &G::KINDS;
        let kind = expr.kind();
        if kinds.strings.contains(&kind) {
            return self.string(expr);
        }
        if kinds.numbers.literals.contains(&kind) {
            return number(self.src(expr), expr);
        }
        match kind {
            "true" => Node::new(range(expr), Value::Bool(true)),
            "false" => Node::new(range(expr), Value::Bool(false)),
            _ if kind == kinds.null => Node::new(range(expr), Value::Null),
            _ if kind == kinds.unary => {
                let (Some(op), Some(arg)) = (
                    expr.child_by_field_name("operator"),
                    expr.child_by_field_name("argument"),
                ) else {
                    return unknown;
                };
                match (self.src(op), self.lower(arg, depth + 1).value) {
                    ("-", Value::Number(n)) => number(&format!("-{n}"), expr),
                    ("+", Value::Number(n)) => Node::new(range(expr), Value::Number(n)),
                    _ => unknown,
                }
            }
            _ if kinds.arrays.0.contains(&kind) => {
                let mut items = Vec::new();
                let mut cursor = expr.walk();
                for item in expr.named_children(&mut cursor) {
                    match item.kind() {
                        "comment" => {}
                        spread if kinds.arrays.1.contains(&spread) => return unknown,
                        _ => items.push(self.lower(item, depth + 1)),
                    }
                }
                Node::new(range(expr), Value::Array(items))
            }
            "identifier" => {
                let name = self.src(expr);
                // A string, number or boolean cannot change in place: handing it to a
                // function (`log.info("%s", model)`) leaves it as bound.
                let value = self.names.resolve(name, expr).or_else(|| {
                    (self.names.resolve_immutable(name, expr))
                        .filter(|value| Self::is_scalar_default(*value))
                });
                match value {
                    Some(value) => self.lower(value, depth + 1),
                    None => self.imported(expr).unwrap_or(unknown),
                }
            }
            _ => G::lower_other(self, expr, depth),
        }
    }

    /// The member `item` of an object literal, its key written at `key` and its value at
    /// `value`: `name` is the key when known; a member whose key is not known may set any.
    pub(crate) fn member(
        &mut self,
        object: &mut ObjectBuilder,
        name: Option<String>,
        key: TsNode<'t>,
        value: TsNode<'t>,
        item: TsNode<'t>,
        depth: usize,
    ) {
        match name {
            Some(name) => object.push(Member {
                key: name,
                key_range: range(key),
                value: self.lower(value, depth + 1),
            }),
            None => object.spread(range(item)),
        }
    }

    /// A spread (`**value`, `...value`) written at `at` into `object`: a literal's members
    /// are spliced in, anything else may supply any key. `value` is lowered at `depth`.
    pub(crate) fn splat(
        &mut self,
        value: Option<TsNode<'t>>,
        at: TextRange,
        object: &mut ObjectBuilder,
        depth: usize,
    ) {
        match value.map(|v| self.lower(v, depth)) {
            Some(Node {
                value: Value::Object(members),
                ..
            }) => object.splice(members),
            _ => object.spread(at),
        }
    }

    /// The constant the name written at `name` holds when it is imported from a module
    /// beside the file and nothing else in the file binds it (`siblings`): a node at the name,
    /// noted with where the value is set.
    pub(crate) fn imported(&mut self, name: TsNode<'t>) -> Option<Node> {
        let local = self.src(name);
        let &(ref files, exported) = self.sibling_imports.get(local)?;
        // Once per name: a name used at every request is not counted again each time.
        let constant = match self.constants.get(local) {
            Some(known) => known.clone()?,
            None => {
                let found = (self.names.bindings(local) == 1)
                    .then(|| self.siblings?.constant(files, exported))
                    .flatten();
                self.constants.insert(local, found.clone());
                found?
            }
        };
        self.imported.push(Imported {
            range: range(name),
            name: exported.to_owned(),
            origin: constant.origin,
        });
        Some(Node::new(range(name), constant.value))
    }

    /// A string literal; one with interpolations is `Unknown`, its literal parts counted
    /// towards the body size.
    pub(crate) fn string(&mut self, expr: TsNode<'t>) -> Node {
        let (text, known) = G::string(self, expr);
        if known {
            Node::new(range(expr), Value::String(text))
        } else {
            self.literal_bytes += text.len() as u64;
            Node::new(range(expr), Value::Unknown)
        }
    }
}

/// A number literal's node.
fn number(text: &str, node: TsNode<'_>) -> Node {
    Node::new(
        range(node),
        code::number_literal(text).map_or(Value::Unknown, Value::Number),
    )
}
