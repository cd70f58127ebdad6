//! The Python grammar of the code extractor ([`super::sdk_calls`]): calls of `messages.create`
//! and its siblings on Anthropic clients, their keyword arguments the body.
//!
//! What only Python has: scopes of functions, lambdas and class bodies, `import` and
//! `from ... import` of the SDK and of plain HTTP libraries, keyword arguments with the SDK's
//! own (`betas`, `extra_headers`, `extra_body`, `timeout`), `**params`, dict literals and
//! `dict(...)`, string prefixes, implicit concatenation and f-strings (`Unknown`, their literal
//! parts counted towards the body size). A value passed to a function that might change it
//! (`messages.append(...)`, `params["x"] = ...`) is no longer known.

use std::collections::HashMap;

use tree_sitter::Node as TsNode;

use super::code::{self, Client, ObjectBuilder, Setting, beta_header, range, string_list};
use super::files::Document;
use super::names::{Ancestors, Use};
use super::node_kinds;
use super::records::{self, Records};
use super::sdk_calls::{self, Body, Extractor, Grammar, Kinds, SdkCall};
use super::siblings::Siblings;
use crate::facts::{Dialect, sdk};
use crate::syntax::{Member, Node, TextRange, Value};

/// Finds the requests in a Python source text (a file, or a notebook's cells joined), with
/// the modules beside it it may import constants from.
pub(crate) fn extract(text: &str, siblings: &Siblings) -> Vec<Document> {
    let Some(tree) = sdk_calls::parse(text, &tree_sitter_python::LANGUAGE.into()) else {
        return Vec::new();
    };
    sdk_calls::extract(text, &tree, Python::default(), siblings)
}

/// The constants a Python module gives the files that import it ([`sdk_calls::constants`]).
pub(crate) fn constants(text: &str) -> Vec<(String, Value, TextRange)> {
    let Some(tree) = sdk_calls::parse(text, &tree_sitter_python::LANGUAGE.into()) else {
        return Vec::new();
    };
    sdk_calls::constants(text, &tree, Python::default())
}

/// What a Python file imports.
#[derive(Default)]
pub(crate) struct Python<'t> {
    /// Local names bound to the `anthropic` module (`import anthropic as ant`).
    modules: Vec<&'t str>,
    /// Local names bound to client classes (`from anthropic import Anthropic as A`).
    classes: HashMap<&'t str, Dialect>,
    /// Local names bound to plain HTTP modules (`requests`, `httpx`, `aiohttp`,
    /// `urllib.request`) and functions (`urlopen`), with the library's name.
    http_names: HashMap<&'t str, &'static str>,
    /// Names bound to an HTTP session made in the file (`requests.Session()`,
    /// `httpx.Client()`, `aiohttp.ClientSession()`), with the library's name.
    sessions: HashMap<&'t str, &'static str>,
    /// Local names bound to the SDK's request TypedDicts (`MessageParam`), which make dicts.
    typed_dicts: Vec<&'t str>,
    /// Dataclasses, attrs classes and pydantic models, and what the file imports of them.
    pub(super) records: Records<'t>,
}

type Ex<'t> = Extractor<'t, Python<'t>>;

impl<'t> Grammar<'t> for Python<'t> {
    const KINDS: Kinds = node_kinds::PYTHON;

    fn collect(ex: &mut Ex<'t>, root: TsNode<'t>) {
        collect_imports(ex, root);
        ex.walk_scopes(root, open_scope, visit);
        records::classify(ex);
        ex.collect_factories(root);
        collect_targets(ex, root);
    }

    fn unwrap(node: TsNode<'t>) -> TsNode<'t> {
        unwrap_await(node)
    }

    /// The SDK's TypedDicts make a new dict of their arguments; `asdict` reads a record.
    fn reads_only(ex: &Ex<'t>, path: &str) -> bool {
        ex.lang.typed_dicts.contains(&path) || records::reads_only(ex, path)
    }

    fn look_through(node: TsNode<'t>) -> TsNode<'t> {
        node
    }

    fn constructor_class(ex: &Ex<'t>, class: TsNode<'t>) -> Option<Dialect> {
        client_class(ex, class)
    }

    /// Applies the keyword arguments of a constructor or `with_options(...)` to `client`.
    fn client_arguments(ex: &Ex<'t>, args: TsNode<'t>, client: &mut Client) {
        let mut http_client = false;
        let mut timeout = None;
        for (arg, keyword) in arguments(args) {
            match (keyword, arg.kind()) {
                (Some((name, value)), _) => match ex.src(name) {
                    "base_url" => client.direct = false,
                    "default_headers" => client.plain = false,
                    "http_client" => http_client = true,
                    "timeout" => timeout = Some(ex.setting(value, 1.0)),
                    "max_retries" => client.max_retries = ex.setting(value, 1.0),
                    _ => {}
                },
                (None, "dictionary_splat" | "list_splat") => {
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

    /// `NOT_GIVEN` and `omit` leave an option at its default.
    fn is_default(ex: &Ex<'t>, value: TsNode<'t>) -> bool {
        not_given(ex, value)
    }

    /// The arguments of a client constructor (`api_key="..."`).
    fn constructor_values(ex: &Ex<'t>, node: TsNode<'t>) -> Option<Vec<TsNode<'t>>> {
        if node.kind() != "call" {
            return None;
        }
        client_class(ex, node.child_by_field_name("function")?)?;
        let args = node.child_by_field_name("arguments")?;
        let mut cursor = args.walk();
        let values = args
            .named_children(&mut cursor)
            .filter_map(|arg| match arg.kind() {
                "keyword_argument" => arg.child_by_field_name("value"),
                _ => Some(arg),
            })
            .collect();
        Some(values)
    }

    /// The body a call's keyword arguments make, with the SDK options taken out. The method
    /// `parse` takes an `output_format` that is a Python type the SDK turns into
    /// `output_config.format`.
    fn body(ex: &mut Ex<'t>, call: &SdkCall<'t>) -> Option<Body> {
        let mut object = ObjectBuilder::default();
        let mut options = CallOptions {
            parse: call.method == "parse",
            ..CallOptions::default()
        };
        let mut timeout = Setting::Default;
        for (arg, keyword) in arguments(call.args) {
            match (keyword, arg.kind()) {
                (Some((name, value)), _) => match ex.src(name) {
                    // Merged into the body (`extra_body`; data/sdk.toml `[keywords]`).
                    key if sdk::keywords().is_merged(key) => {
                        ex.splat(Some(value), range(arg), &mut object, 0)
                    }
                    "timeout" => timeout = ex.setting(value, 1.0),
                    // `NOT_GIVEN` and `omit` leave the parameter out.
                    _ if not_given(ex, value) => {}
                    key => {
                        let value = ex.lower(value, 0);
                        if let Some(member) = options.member(key, range(name), value) {
                            object.push(member);
                        }
                    }
                },
                (None, "dictionary_splat") => {
                    timeout = Setting::Unknown;
                    // A dict's keys are keyword arguments: the SDK's own are not body fields.
                    match arg.named_child(0).map(|value| ex.lower(value, 0)) {
                        Some(Node {
                            value: Value::Object(members),
                            ..
                        }) => {
                            let mut spliced = Vec::new();
                            for member in members {
                                match (member.key.as_str(), member.value.value) {
                                    (key, Value::Object(more))
                                        if sdk::keywords().is_merged(key) =>
                                    {
                                        spliced.extend(more)
                                    }
                                    (key, _) if sdk::keywords().is_merged(key) => {
                                        object.spread(member.value.range)
                                    }
                                    ("timeout", _) => {}
                                    (key, value) => {
                                        let value = Node::new(member.value.range, value);
                                        spliced.extend(options.member(
                                            key,
                                            member.key_range,
                                            value,
                                        ));
                                    }
                                }
                            }
                            object.splice(spliced);
                        }
                        _ => object.spread(range(arg)),
                    }
                }
                (None, "list_splat") => return None,
                // `create(model=..., ...)`: documentation's "and the rest".
                (None, "ellipsis") => object.spread(range(arg)),
                _ => {}
            }
        }
        Some(Body {
            root: object.finish(range(call.args), true),
            betas: options.betas.or_else(|| {
                call.client
                    .filter(|c| c.plain && !options.extra_headers)
                    .map(|_| Vec::new())
            }),
            timeout,
            max_retries: Setting::Default,
        })
    }

    /// A request to a Claude endpoint sent with `requests`, `httpx`, `aiohttp` or `urllib`
    /// (module functions, or a session made in this file), its URL written as a literal.
    fn raw_request(ex: &Ex<'t>, call: TsNode<'t>) -> Option<Document> {
        let function = call.child_by_field_name("function")?;
        let args = call.child_by_field_name("arguments")?;
        let path = ex.src(function);
        let lang = &ex.lang;
        let (library, method) = match path.rsplit_once('.') {
            Some((object, method)) => {
                let library = match (lang.http_names.get(object), lang.sessions.get(object)) {
                    (Some(&library), _) => library,
                    (None, Some(&library))
                        if ex.targets.get(object).is_some_and(|t| t.len() == 1) =>
                    {
                        library
                    }
                    _ => return None,
                };
                (library, method)
            }
            None => (*lang.http_names.get(path)?, path),
        };
        let url_at = match (library, method) {
            ("urllib", "urlopen") => 0,
            ("urllib", _) => return None,
            (_, "post") => 0,
            (_, "request" | "stream") => 1,
            _ => return None,
        };
        let url = ex.url(argument(ex, args, url_at, "url")?, 0)?;
        ex.raw_http(call, &url, library)
    }

    /// A string literal or an implicit concatenation of them.
    fn string(ex: &Ex<'t>, expr: TsNode<'t>) -> (String, bool) {
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
            match string_part(ex, part) {
                Some((text, complete)) => {
                    value.push_str(&text);
                    known &= complete;
                }
                None => known = false,
            }
        }
        (value, known)
    }

    /// A string literal, or `urllib.request.Request(url, ...)`.
    fn url_value(ex: &Ex<'t>, expr: TsNode<'t>, depth: usize) -> Option<String> {
        match expr.kind() {
            "string" => match string_part(ex, expr)? {
                (text, true) => Some(text),
                _ => None,
            },
            "call" => {
                let function = ex.src(expr.child_by_field_name("function")?);
                let name = function.rsplit('.').next()?;
                let module = function.strip_suffix(name)?.trim_end_matches('.');
                let http_names = &ex.lang.http_names;
                let urllib = if module.is_empty() {
                    http_names.get(name) == Some(&"urllib")
                } else {
                    http_names.get(module) == Some(&"urllib")
                };
                if !urllib || name != "Request" {
                    return None;
                }
                let args = expr.child_by_field_name("arguments")?;
                ex.url(argument(ex, args, 0, "url")?, depth + 1)
            }
            _ => None,
        }
    }

    /// Parentheses, dict literals and `dict(...)`.
    fn lower_other(ex: &mut Ex<'t>, expr: TsNode<'t>, depth: usize) -> Node {
        let unknown = Node::new(range(expr), Value::Unknown);
        match expr.kind() {
            "parenthesized_expression" => match expr.named_child(0) {
                Some(inner) if expr.named_child_count() == 1 => ex.lower(inner, depth + 1),
                _ => unknown,
            },
            "dictionary" => dictionary(ex, expr, depth).unwrap_or(unknown),
            "call" => dict_call(ex, expr, depth)
                .or_else(|| records::dump(ex, expr, depth))
                .unwrap_or(unknown),
            _ => unknown,
        }
    }
}

/// What the SDK's own keyword arguments of one call say besides the body.
#[derive(Default)]
struct CallOptions {
    /// The method is `parse`, whose `output_format` is a Python type.
    parse: bool,
    /// The betas listed by `betas` and `extra_headers`, when all are known.
    betas: Option<Vec<String>>,
    /// `extra_headers` is given: the client's default betas no longer say it all.
    extra_headers: bool,
}

impl CallOptions {
    /// The body member a keyword argument (or a key of a dict spread into the call) makes, or
    /// nothing when the SDK takes it itself: `betas`, `extra_headers`, and the header keywords
    /// and request options of data/sdk.toml `[keywords]`.
    fn member(&mut self, key: &str, key_range: TextRange, value: Node) -> Option<Member> {
        let keywords = sdk::keywords();
        match key {
            "betas" => self.betas = string_list(&value),
            "extra_headers" => {
                self.extra_headers = true;
                if let Some(listed) = beta_header(&value) {
                    self.betas = listed.map(|more| {
                        let mut all = self.betas.take().unwrap_or_default();
                        all.extend(more);
                        all
                    });
                }
            }
            _ if keywords.is_header(key) || keywords.options.iter().any(|o| o == key) => {}
            "output_format" if self.parse => {}
            _ => {
                return Some(Member {
                    key: key.to_owned(),
                    key_range,
                    value,
                });
            }
        }
        None
    }
}

// ---- names and scopes ----

/// The scope a function, lambda or class opens, its name bound outside and its parameters
/// inside.
fn open_scope<'t>(ex: &mut Ex<'t>, node: TsNode<'t>, scope: usize) -> Option<usize> {
    if !matches!(
        node.kind(),
        "function_definition" | "lambda" | "class_definition"
    ) {
        return None;
    }
    if let Some(name) = node.child_by_field_name("name") {
        ex.record(name, scope, Use::Bind);
    }
    let class = node.kind() == "class_definition";
    let inner = ex.names.open(Some(scope), class);
    if let Some(params) = node.child_by_field_name("parameters") {
        bind_all(ex, params, inner);
    }
    Some(inner)
}

/// Every identifier's scope and use (`up` are the node's ancestors).
fn visit<'t>(ex: &mut Ex<'t>, node: TsNode<'t>, scope: usize, up: Ancestors<'t>) {
    match node.kind() {
        "identifier" => {
            ex.names.enter(node, scope);
            if let Some(role) = role(ex, node, up) {
                ex.record(node, scope, role);
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
                        ex.record(left, scope, Use::Assign(right))
                    }
                    ("identifier", None) => {}
                    _ => bind_targets(ex, left, scope),
                }
            }
        }
        "augmented_assignment" | "for_statement" | "for_in_clause" => {
            if let Some(left) = node.child_by_field_name("left") {
                bind_targets(ex, left, scope);
            }
        }
        "named_expression" => {
            if let Some(name) = node.child_by_field_name("name") {
                ex.record(name, scope, Use::Bind);
            }
        }
        "as_pattern_target" | "global_statement" | "nonlocal_statement" | "delete_statement" => {
            bind_all(ex, node, scope)
        }
        "except_clause" => {
            if let Some(alias) = node.child_by_field_name("alias") {
                bind_all(ex, alias, scope);
            }
        }
        "aliased_import" => {
            if let Some(alias) = node.child_by_field_name("alias") {
                ex.record(alias, scope, Use::Bind);
            }
        }
        "import_statement" | "import_from_statement" => {
            let mut c = node.walk();
            for name in node.children_by_field_name("name", &mut c) {
                if name.kind() == "dotted_name"
                    && let Some(first) = name.named_child(0)
                {
                    ex.record(first, scope, Use::Bind);
                }
            }
        }
        _ => {}
    }
}

/// Binds every identifier under `node` (parameters, `global a, b`, `as (x, y)`).
fn bind_all<'t>(ex: &mut Ex<'t>, node: TsNode<'t>, scope: usize) {
    let mut cursor = node.walk();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if n.kind() == "identifier" {
            ex.record(n, scope, Use::Bind);
        } else if n.kind() == "type" {
            // An annotation names a type; it binds nothing.
        } else if !matches!(n.kind(), "default_parameter" | "typed_default_parameter")
            || n.child_by_field_name("name").is_none()
        {
            stack.extend(n.named_children(&mut cursor));
        } else if let Some(name) = n.child_by_field_name("name") {
            match n.child_by_field_name("value") {
                Some(value) if name.kind() == "identifier" && Ex::is_scalar_default(value) => {
                    ex.record(name, scope, Use::Assign(value))
                }
                _ => stack.push(name),
            }
        }
    }
}

/// Binds the names an assignment target writes (`a, b = ...`); `x[k] = ...` and
/// `x.attr = ...` change `x` in place.
fn bind_targets<'t>(ex: &mut Ex<'t>, target: TsNode<'t>, scope: usize) {
    let mut cursor = target.walk();
    let mut stack = vec![target];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "identifier" => ex.record(n, scope, Use::Bind),
            "subscript" | "attribute" => {
                if let Some(base) = base_identifier(n) {
                    ex.record(base, scope, Use::Mutate);
                }
            }
            _ => stack.extend(n.named_children(&mut cursor)),
        }
    }
}

/// How a plain identifier is used, from its parent (`up` are its ancestors); `None` for a
/// plain read and for identifiers that name no variable (an attribute name, a keyword).
/// Bindings are recorded from their parent nodes.
fn role<'t>(ex: &Ex<'t>, node: TsNode<'t>, up: Ancestors<'t>) -> Option<Use<'t>> {
    let parent = up.parent()?;
    let field = |name| in_field(parent, name, node);
    let passed = |call| ex.may_change(call).then_some(Use::Mutate);
    Some(match parent.kind() {
        "attribute" if field("attribute") => return None,
        // `config.model_dump()` reads the record.
        "attribute"
            if up.grandparent().is_some_and(|call| call.kind() == "call")
                && parent
                    .child_by_field_name("attribute")
                    .is_some_and(|method| records::is_dump_method(ex.src(method))) =>
        {
            return None;
        }
        "keyword_argument" if field("name") => return None,
        "attribute" => Use::Mutate,
        "assignment" if field("right") => Use::Mutate,
        "argument_list" => return passed(up.grandparent()),
        "keyword_argument" | "list_splat" | "dictionary_splat" => {
            return up
                .grandparent()
                .filter(|args| args.kind() == "argument_list")
                .and_then(|_| passed(up.great_grandparent()));
        }
        _ => return None,
    })
}

// ---- clients ----

fn collect_imports<'t>(ex: &mut Ex<'t>, root: TsNode<'t>) {
    let text = ex.text;
    let lang = &mut ex.lang;
    let siblings = &mut ex.sibling_imports;
    let mut cursor = root.walk();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match node.kind() {
            "import_statement" => {
                let mut c = node.walk();
                for name in node.children_by_field_name("name", &mut c) {
                    let (module, alias) = imported(name, text);
                    if module == "anthropic" {
                        lang.modules.push(alias.unwrap_or("anthropic"));
                    }
                    lang.records.import_module(module, alias.unwrap_or(module));
                    if let Some(library) = http_library(module) {
                        lang.http_names.insert(alias.unwrap_or(module), library);
                    }
                }
            }
            "import_from_statement" => {
                let from = node
                    .child_by_field_name("module_name")
                    .map(|m| &text[m.byte_range()])
                    .unwrap_or_default();
                if from == "urllib.request" {
                    let mut c = node.walk();
                    for name in node.children_by_field_name("name", &mut c) {
                        if let ("urlopen" | "Request", alias) = imported(name, text) {
                            let local = alias.unwrap_or(&text[name.byte_range()]);
                            lang.http_names.insert(local, "urllib");
                        }
                    }
                }
                let sibling = sibling_module(from);
                let mut c = node.walk();
                for name in node.children_by_field_name("name", &mut c) {
                    let (exported, alias) = imported(name, text);
                    let local = alias.unwrap_or(exported);
                    lang.records.import(from, exported, local);
                    if let Some(file) = &sibling {
                        siblings.insert(local, (vec![file.clone()], exported));
                    }
                }
                if from == "anthropic" || from.starts_with("anthropic.") {
                    let mut c = node.walk();
                    for name in node.children_by_field_name("name", &mut c) {
                        let (class, alias) = imported(name, text);
                        if let Some(dialect) = code::client_class(class) {
                            lang.classes.insert(alias.unwrap_or(class), dialect);
                        }
                        if is_typed_dict(from, class) {
                            lang.typed_dicts.push(alias.unwrap_or(class));
                        }
                    }
                }
            }
            "class_definition" => lang.records.class(node),
            "decorated_definition" => lang.records.decorated(node),
            _ => {}
        }
        stack.extend(node.named_children(&mut cursor));
    }
}

/// The platform of the client class `function` names, if it names one.
fn client_class<'t>(ex: &Ex<'t>, function: TsNode<'t>) -> Option<Dialect> {
    let lang = &ex.lang;
    match function.kind() {
        "identifier" => {
            let name = ex.src(function);
            lang.classes.get(name).copied().or_else(|| {
                // A bare class name nothing else binds (a star import, another cell).
                code::client_class(name).filter(|_| !ex.names.is_bound(name))
            })
        }
        "attribute" => {
            let object = function.child_by_field_name("object")?;
            let attribute = function.child_by_field_name("attribute")?;
            let base = ex.src(object);
            let module = lang.modules.contains(&base)
                || base.starts_with("anthropic.") && lang.modules.contains(&"anthropic");
            module
                .then(|| code::client_class(ex.src(attribute)))
                .flatten()
        }
        _ => None,
    }
}

/// `NOT_GIVEN` and `omit` (the SDK's markers for "not set").
fn not_given(ex: &Ex<'_>, value: TsNode<'_>) -> bool {
    matches!(ex.src(value).rsplit('.').next(), Some("NOT_GIVEN" | "omit"))
}

/// What each assignment target (`client`, `self.client`) is bound to, across the file.
fn collect_targets<'t>(ex: &mut Ex<'t>, root: TsNode<'t>) {
    let mut cursor = root.walk();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match node.kind() {
            "assignment" => {
                if let Some(left) = node.child_by_field_name("left") {
                    let right = node.child_by_field_name("right");
                    let client = right.and_then(|r| ex.constructed(r)).or_else(|| {
                        let annotation = node.child_by_field_name("type")?;
                        annotated(ex, annotation)
                    });
                    ex.target(left, client);
                    if let Some(library) = right.and_then(|r| session(ex, r)) {
                        ex.lang.sessions.insert(ex.src(left), library);
                    }
                }
            }
            "with_item" => {
                if let Some(value) = node.child_by_field_name("value")
                    && value.kind() == "as_pattern"
                    && let Some(alias) = value.child_by_field_name("alias")
                {
                    let client = value.named_child(0).and_then(|v| ex.constructed(v));
                    ex.target(alias, client);
                    if let Some(library) = value.named_child(0).and_then(|v| session(ex, v)) {
                        ex.lang.sessions.insert(ex.src(alias), library);
                    }
                }
            }
            "typed_parameter" | "typed_default_parameter" => {
                let name = node
                    .child_by_field_name("name")
                    .or_else(|| node.named_child(0));
                if let (Some(name), Some(annotation)) = (name, node.child_by_field_name("type")) {
                    let client = annotated(ex, annotation);
                    ex.target(name, client);
                }
            }
            _ => {}
        }
        stack.extend(node.named_children(&mut cursor));
    }
}

/// A client from a type annotation (`client: Anthropic`): made elsewhere, so nothing is
/// known about its base URL or default headers.
fn annotated<'t>(ex: &Ex<'t>, annotation: TsNode<'t>) -> Option<Client> {
    let named = annotation.named_child(0).unwrap_or(annotation);
    let dialect = client_class(ex, named)?;
    Some(Client::made_elsewhere(dialect))
}

// ---- raw HTTP ----

/// The library of an HTTP session a constructor call makes (`requests.Session()`).
fn session<'t>(ex: &Ex<'t>, value: TsNode<'t>) -> Option<&'static str> {
    let value = unwrap_await(value);
    let function = value.child_by_field_name("function")?;
    let (module, class) = ex.src(function).rsplit_once('.')?;
    let library = *ex.lang.http_names.get(module)?;
    matches!(
        (library, class),
        ("requests", "Session")
            | ("httpx", "Client" | "AsyncClient")
            | ("aiohttp", "ClientSession")
    )
    .then_some(library)
}

/// The positional argument `at`, or the keyword argument `name`.
fn argument<'t>(ex: &Ex<'t>, args: TsNode<'t>, at: usize, name: &str) -> Option<TsNode<'t>> {
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
                .is_some_and(|n| ex.src(n) == name)
    });
    found?.child_by_field_name("value")
}

// ---- values ----

/// A dict literal; `None` for a pair without a key or value.
fn dictionary<'t>(ex: &mut Ex<'t>, expr: TsNode<'t>, depth: usize) -> Option<Node> {
    let mut object = ObjectBuilder::default();
    let mut cursor = expr.walk();
    for item in expr.named_children(&mut cursor) {
        match item.kind() {
            "pair" => {
                let key = item.child_by_field_name("key")?;
                let value = item.child_by_field_name("value")?;
                let name = match ex.lower(key, depth + 1).value {
                    Value::String(name) => Some(name),
                    _ => None,
                };
                ex.member(&mut object, name, key, value, item, depth);
            }
            "dictionary_splat" => {
                ex.splat(item.named_child(0), range(item), &mut object, depth + 1)
            }
            _ => {}
        }
    }
    Some(object.finish(range(expr), false))
}

/// `dict(role="user", content="Hi")`, `MessageParam(role="user", content="Hi")`.
fn dict_call<'t>(ex: &mut Ex<'t>, call: TsNode<'t>, depth: usize) -> Option<Node> {
    let function = call.child_by_field_name("function")?;
    let args = call.child_by_field_name("arguments")?;
    let name = ex.src(function);
    let dict = name == "dict" && !ex.names.is_bound("dict");
    // A TypedDict of the SDK (`MessageParam(...)`) is a dict too, imported once.
    let typed = ex.lang.typed_dicts.contains(&name) && ex.names.bindings(name) == 1;
    if !(dict || typed) || args.kind() != "argument_list" {
        return None;
    }
    let mut object = ObjectBuilder::default();
    let mut cursor = args.walk();
    for arg in args.named_children(&mut cursor) {
        match arg.kind() {
            "keyword_argument" => {
                let (name, value) = keyword(arg)?;
                object.push(Member {
                    key: ex.src(name).to_owned(),
                    key_range: range(name),
                    value: ex.lower(value, depth + 1),
                });
            }
            "comment" => {}
            _ => object.spread(range(arg)),
        }
    }
    Some(object.finish(range(call), false))
}

/// One string literal's decoded text, and whether it is all known (no interpolation).
/// `None` for an escape this decoder does not know (`\N{...}`).
fn string_part(ex: &Ex<'_>, string: TsNode<'_>) -> Option<(String, bool)> {
    let start = string.child(0)?;
    let prefix = ex
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
                let content = ex.src(child);
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

/// Each argument of a call, with its name and value when it is a keyword argument.
fn arguments(args: TsNode<'_>) -> Vec<(TsNode<'_>, Option<(TsNode<'_>, TsNode<'_>)>)> {
    let mut cursor = args.walk();
    args.named_children(&mut cursor)
        .map(|arg| {
            let named = (arg.kind() == "keyword_argument").then(|| keyword(arg));
            (arg, named.flatten())
        })
        .collect()
}

/// The name and value of a keyword argument.
fn keyword(arg: TsNode<'_>) -> Option<(TsNode<'_>, TsNode<'_>)> {
    Some((
        arg.child_by_field_name("name")?,
        arg.child_by_field_name("value")?,
    ))
}

/// True when `name`, imported from the SDK's module `from`, is one of its request TypedDicts:
/// the `...Param` types, `MessageCreateParamsNonStreaming` and its siblings, and a batch's
/// `Request` (`MessageCreateParams` itself is a `Union`, which cannot be called).
fn is_typed_dict(from: &str, name: &str) -> bool {
    from.starts_with("anthropic.types")
        && (name.ends_with("Param")
            || name.ends_with("ParamsNonStreaming")
            || name.ends_with("ParamsStreaming")
            || name.ends_with("ParamsBase")
            || name == "MessageCountTokensParams"
            || name == "Request" && from.ends_with("batch_create_params"))
}

/// The file of a module beside the importing file: `from .config import ...` or
/// `from config import ...` (a script's directory comes first on `sys.path`) → `config.py`.
fn sibling_module(from: &str) -> Option<String> {
    let module = from.strip_prefix('.').unwrap_or(from);
    let plain = !module.is_empty() && module.chars().all(|c| c.is_alphanumeric() || c == '_');
    plain.then(|| format!("{module}.py"))
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

/// Looks through `await` and parentheses.
pub(super) fn unwrap_await(node: TsNode<'_>) -> TsNode<'_> {
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
pub(crate) fn unescape(raw: &str) -> Option<String> {
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
    use crate::extract::code::Call;
    use crate::extract::files::json_len;
    use crate::syntax::TextRange;

    fn bodies(text: &str) -> Vec<(PayloadKind, Node)> {
        extract(text, &Siblings::none())
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
        let docs = extract(text, &Siblings::none());
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
        let docs = extract(text, &Siblings::none());
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
        let docs = extract(text, &Siblings::none());
        let calls: Vec<&Call> = docs.iter().filter_map(|d| d.call.as_deref()).collect();
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].dialect, Dialect::Bedrock);
        assert!(calls[0].known_client);
        assert!(!calls[1].known_client);
        assert_eq!(calls[1].what, "`other.messages.create(...)`");
    }

    #[test]
    fn clients_from_local_factories() {
        let text = r#"
import anthropic
def make_client():
    return anthropic.Anthropic()
def make_proxy(url):
    if url:
        return anthropic.Anthropic(base_url=url)
    return anthropic.Anthropic()
client = make_client()
client.messages.create(model="x", max_tokens=5, messages=[])
make_client().messages.create(model="x", max_tokens=5, messages=[])
make_proxy("u").messages.create(model="x", max_tokens=5, messages=[])
from elsewhere import get_client
get_client().messages.create(model="x", max_tokens=5, messages=[])
make_lambda = lambda: anthropic.Anthropic()
make_lambda().messages.create(model="x", max_tokens=5, messages=[])
make_either = lambda url: anthropic.Anthropic(base_url=url) if url else anthropic.Anthropic()
make_either("u").messages.create(model="x", max_tokens=5, messages=[])
"#;
        let known: Vec<bool> = extract(text, &Siblings::none())
            .iter()
            .filter_map(|d| Some(d.call.as_ref()?.known_client))
            .collect();
        assert_eq!(known, [true, true, false, false, true, false]);
    }

    #[test]
    fn sdk_typed_dicts_are_dicts() {
        let text = r#"
import anthropic
from anthropic.types import MessageParam
from anthropic.types.message_create_params import MessageCreateParamsNonStreaming
from anthropic.types.messages.batch_create_params import Request
from anthropic.types import MessageCreateParams
client = anthropic.Anthropic()
params = MessageCreateParamsNonStreaming(model="claude-opus-5", max_tokens=5, messages=[MessageParam(role="user", content="Hi")])
client.messages.create(**params)
client.messages.batches.create(requests=[Request(custom_id="a", params=params)])
client.messages.create(**MessageCreateParams(model="claude-opus-5"))
"#;
        let found = bodies(text);
        assert_eq!(
            json(&found[0].1),
            r#"{"model":"claude-opus-5","max_tokens":5,"messages":[{"role":"user","content":"Hi"}]}"#
        );
        assert_eq!(found[1].0, PayloadKind::Batch);
        assert_eq!(
            json(&found[1].1),
            r#"{"requests":[{"custom_id":"a","params":{"model":"claude-opus-5","max_tokens":5,"messages":[{"role":"user","content":"Hi"}]}}]}"#
        );
        // A `Union` alias is not a TypedDict: what it makes is not known.
        assert!(found[2].1.has_spread());
    }

    #[test]
    fn scalar_parameter_defaults_are_known() {
        let text = r#"
import anthropic
client = anthropic.Anthropic()
def ask(prompt, model="claude-3-opus-20240229", max_tokens=1024, system=None, temperature=get_t()):
    log.info("asking %s with %d", model, max_tokens)
    return client.messages.create(model=model, max_tokens=max_tokens, system=system, temperature=temperature, messages=[{"role": "user", "content": prompt}])
def again(model="claude-opus-5"):
    model = model.strip()
    return client.messages.create(model=model, max_tokens=5, messages=[])
"#;
        let found = bodies(text);
        let root = &found[0].1;
        let model = root.get("model").unwrap();
        let at = text.find("\"claude-3-opus").unwrap();
        assert_eq!(model.range, TextRange::new(at, at + 24));
        // Handed to a function, a string or a number is still what it was bound to.
        assert_eq!(root.get("max_tokens").unwrap().to_json().unwrap(), 1024);
        // `None`, a call and a parameter without a default stay unknown.
        assert!(root.get("system").unwrap().is_unknown());
        assert!(root.get("temperature").unwrap().is_unknown());
        let messages = root.get("messages").unwrap().as_array().unwrap();
        assert!(messages[0].get("content").unwrap().is_unknown());
        // Rebound in the body: no longer the default.
        assert!(found[1].1.get("model").unwrap().is_unknown());
    }

    #[test]
    fn record_fields_reach_calls_through_their_dicts() {
        let text = r#"
import anthropic
import attrs
import dataclasses
from dataclasses import asdict, dataclass, field
from typing import ClassVar
from pydantic import BaseModel, Field
client = anthropic.Anthropic()
@dataclass(frozen=True)
class Cfg:
    """Settings."""
    model: str = "claude-3-opus-20240229"
    max_tokens: int = 1024
    temperature: float = field(default=0.5)
    system: str | None = None
    LIMIT: ClassVar[int] = 3
    def describe(self) -> str:
        return self.model
client.messages.create(**asdict(Cfg()), messages=[])
cfg = Cfg(max_tokens=2048)
client.messages.create(**dataclasses.asdict(cfg), messages=[])
@attrs.define
class Sampling:
    model: str = "claude-opus-5"
    top_k: int = 5
client.messages.create(**attrs.asdict(Sampling()), max_tokens=5, messages=[])
class Request(BaseModel):
    model: str = Field(default="claude-opus-5", description="the model")
    max_tokens: int = 10
req = Request()
client.messages.create(**req.model_dump(), messages=[])
client.messages.create(**Request(model="claude-sonnet-5").dict(), messages=[])
"#;
        let found = bodies(text);
        let at = |literal: &str| {
            let start = text.find(literal).unwrap();
            TextRange::new(start, start + literal.len())
        };
        let first = &found[0].1;
        let model = first.get("model").unwrap();
        assert_eq!(model.as_str(), Some("claude-3-opus-20240229"));
        assert_eq!(model.range, at("\"claude-3-opus-20240229\""));
        assert_eq!(
            first.member("model").unwrap().key_range,
            at("model: str").head(5)
        );
        assert_eq!(first.get("max_tokens").unwrap().range, at("1024"));
        assert_eq!(first.get("temperature").unwrap().range, at("0.5"));
        // `None` is not read; a class variable is no field; the body is otherwise known.
        let none = at("None = None").end;
        assert_eq!(
            first.get("system").unwrap().range,
            TextRange {
                start: none - 4,
                end: none
            }
        );
        assert!(first.get("system").unwrap().is_unknown());
        assert!(first.get("LIMIT").is_none() && !first.has_spread());
        // A keyword argument replaces the default, at its own literal.
        let second = &found[1].1;
        assert_eq!(second.get("max_tokens").unwrap().range, at("2048"));
        assert_eq!(second.get("model").unwrap().range, model.range);
        assert_eq!(
            json(&found[2].1),
            r#"{"model":"claude-opus-5","top_k":5,"max_tokens":5,"messages":[]}"#
        );
        assert_eq!(
            json(&found[3].1),
            r#"{"model":"claude-opus-5","max_tokens":10,"messages":[]}"#
        );
        assert_eq!(
            found[4].1.get("model").unwrap().range,
            at("\"claude-sonnet-5\"")
        );
    }

    #[test]
    fn records_not_fully_known_are_spreads() {
        let text = r#"
import anthropic
from dataclasses import asdict, dataclass
from pydantic import BaseModel, field_validator
client = anthropic.Anthropic()
@dataclass
class Cfg:
    model: str = "claude-3-opus-20240229"
    max_tokens: int = 5
@dataclass
class Needs:
    model: str
    max_tokens: int = 5
@dataclass
class Hooked:
    model: str = "claude-3-opus-20240229"
    def __post_init__(self):
        self.model = pick()
@dataclass
class Derived(Cfg):
    top_k: int = 5
class Validated(BaseModel):
    model: str = "claude-3-opus-20240229"
    @field_validator("model")
    def upgrade(cls, v):
        return v
class Request(BaseModel):
    model: str = "claude-3-opus-20240229"
changed = Cfg()
changed = Cfg(model=pick())
mutated = Cfg()
mutated.model = pick()
client.messages.create(**asdict(Needs()), messages=[])
client.messages.create(**asdict(Cfg("claude-opus-5")), messages=[])
client.messages.create(**asdict(Cfg(top_p=1)), messages=[])
client.messages.create(**asdict(Cfg(**overrides)), messages=[])
client.messages.create(**asdict(Hooked()), messages=[])
client.messages.create(**asdict(Derived()), messages=[])
client.messages.create(**Validated().model_dump(), messages=[])
client.messages.create(**Request().model_dump(exclude_none=True), messages=[])
client.messages.create(**asdict(Request()), messages=[])
client.messages.create(**asdict(changed), messages=[])
client.messages.create(**asdict(mutated), messages=[])
client.messages.create(**asdict(Cfg(), dict_factory=OrderedDict), messages=[])
def ask(config: Cfg):
    return client.messages.create(**asdict(config), messages=[])
"#;
        let found = bodies(text);
        assert_eq!(found.len(), 13);
        for (at, (_, root)) in found.iter().enumerate() {
            assert!(root.has_spread(), "call {at}: {}", json(root));
            assert!(root.get("model").is_none(), "call {at}");
        }
    }

    #[test]
    fn modules_beside_the_file() {
        assert_eq!(sibling_module(".config").as_deref(), Some("config.py"));
        assert_eq!(
            sibling_module("settings_2").as_deref(),
            Some("settings_2.py")
        );
        for elsewhere in ["..config", ".", "app.config", ".app.config"] {
            assert!(sibling_module(elsewhere).is_none(), "{elsewhere}");
        }
    }

    #[test]
    fn sdk_keywords_in_a_spread_dict_are_not_body_fields() {
        let text = r#"
import anthropic
from dataclasses import asdict, dataclass
client = anthropic.Anthropic()
base = {"model": "claude-opus-5", "timeout": 30, "betas": ["a-1"], "extra_headers": {"anthropic-beta": "b-2"}, "extra_body": {"top_k": 5}}
client.messages.create(**base, max_tokens=5, messages=[])
@dataclass
class Options:
    model: str = "claude-opus-5"
    max_tokens: int = 5
    timeout: float = 30.0
client.messages.create(**asdict(Options()), messages=[])
"#;
        let docs = extract(text, &Siblings::none());
        assert_eq!(
            json(docs[0].root.as_ref().unwrap()),
            r#"{"model":"claude-opus-5","top_k":5,"max_tokens":5,"messages":[]}"#
        );
        let call = docs[0].call.as_ref().unwrap();
        assert_eq!(call.betas, Some(vec!["a-1".into(), "b-2".into()]));
        assert_eq!(call.runtime.unwrap().timeout, Setting::Unknown);
        assert_eq!(
            json(docs[1].root.as_ref().unwrap()),
            r#"{"model":"claude-opus-5","max_tokens":5,"messages":[]}"#
        );
    }
}
