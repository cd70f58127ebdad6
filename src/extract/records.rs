//! Python records whose fields reach a call as keyword arguments: a dataclass, an attrs class
//! or a pydantic model made in the file, turned into a dict by `asdict(x)`,
//! `dataclasses.asdict(x)`, `attrs.asdict(x)`, `x.model_dump()` or `x.dict()`
//! (`client.messages.create(**asdict(Config()), messages=[...])`).
//!
//! The dict is known only when everything about it is: the class is defined once in the file
//! with no base class but pydantic's `BaseModel`, nothing in its body can change what the
//! dict holds (no `__post_init__`, no validators or serializers, no nested class, no
//! `model_config`), and the instance is made from it in reach of the call (inline, or a name
//! bound once and never changed) with keyword arguments only. Each field's value is then the
//! argument written for it, or its default when that is a string, number or boolean literal
//! (also as `field(default=...)`): findings about a default are at its literal. A default of
//! anything else is `Unknown`; a field with no default and no argument, a positional or
//! unknown argument, or any other shape makes the whole dict `Unknown`.

use std::collections::HashMap;

use tree_sitter::Node as TsNode;

use super::code::{ObjectBuilder, range};
use super::python::Python;
use super::sdk_calls::Extractor;
use crate::syntax::{Member, Node, Value};

type Ex<'t> = Extractor<'t, Python<'t>>;

/// The library a record class comes from: it says which functions turn one into a dict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Library {
    /// `dataclasses`: `@dataclass`, `asdict`.
    Dataclasses,
    /// `attrs` (or the older `attr`): `@define`, `@frozen`, `asdict`.
    Attrs,
    /// `pydantic`: `BaseModel`, `model_dump()`, `dict()`.
    Pydantic,
}

impl Library {
    /// The library a module is.
    fn of_module(module: &str) -> Option<Self> {
        Some(match module {
            "dataclasses" => Self::Dataclasses,
            "attrs" | "attr" => Self::Attrs,
            "pydantic" => Self::Pydantic,
            _ => return None,
        })
    }

    /// True when `name`, exported by this library, makes a class a record (as a decorator,
    /// or pydantic's base class).
    fn makes_records(self, name: &str) -> bool {
        match self {
            Self::Dataclasses => name == "dataclass",
            Self::Attrs => matches!(name, "define" | "frozen" | "mutable" | "dataclass"),
            Self::Pydantic => name == "BaseModel",
        }
    }
}

/// The keyword arguments of `field(...)`, `Field(...)` or `attrs.field(...)` that leave its
/// `default` the value a dict holds.
const FIELD_KEYWORDS: &[&str] = &["default", "description", "title", "repr", "compare", "hash"];

/// Methods of a record class that may change its fields' values.
const HOOKS: &[&str] = &[
    "__init__",
    "__new__",
    "__post_init__",
    "__attrs_pre_init__",
    "__attrs_post_init__",
    "__setattr__",
    "__getattribute__",
    "model_post_init",
];

/// What a Python file imports from the record libraries, and its record classes.
#[derive(Default)]
pub(crate) struct Records<'t> {
    /// Local names bound to a library's module (`import dataclasses`, `import attrs as a`).
    modules: HashMap<&'t str, Library>,
    /// Local names bound to a library's export, with the export's own name.
    imported: HashMap<&'t str, (Library, &'t str)>,
    /// Every class definition of the file, until [`classify`] keeps the records.
    candidates: Vec<TsNode<'t>>,
    /// The decorators of each decorated class, by the class's node id.
    decorators: HashMap<usize, Vec<TsNode<'t>>>,
    /// The record classes defined once in the file, by name.
    classes: HashMap<&'t str, (Library, TsNode<'t>)>,
}

impl<'t> Records<'t> {
    /// Notes `import module as local`.
    pub(crate) fn import_module(&mut self, module: &str, local: &'t str) {
        if let Some(library) = Library::of_module(module) {
            self.modules.insert(local, library);
        }
    }

    /// Notes `from module import name as local`.
    pub(crate) fn import(&mut self, module: &str, name: &'t str, local: &'t str) {
        if let Some(library) = Library::of_module(module) {
            self.imported.insert(local, (library, name));
        }
    }

    /// Notes a class definition, to classify once every import is known.
    pub(crate) fn class(&mut self, class: TsNode<'t>) {
        self.candidates.push(class);
    }

    /// Notes the decorators of a `decorated_definition`, when it decorates a class.
    pub(crate) fn decorated(&mut self, definition: TsNode<'t>) {
        let Some(class) = definition
            .child_by_field_name("definition")
            .filter(|d| d.kind() == "class_definition")
        else {
            return;
        };
        let mut cursor = definition.walk();
        let decorators = definition
            .named_children(&mut cursor)
            .filter(|d| d.kind() == "decorator")
            .collect();
        self.decorators.insert(class.id(), decorators);
    }

    /// The library export a dotted name means (`asdict`, `dataclasses.asdict`).
    fn export<'p>(&'p self, path: &'p str) -> Option<(Library, &'p str)> {
        match path.rsplit_once('.') {
            Some((module, name)) => Some((*self.modules.get(module.trim())?, name.trim())),
            None => self
                .imported
                .get(path)
                .map(|&(library, name)| (library, name)),
        }
    }
}

/// Keeps the record classes among the file's class definitions: defined once, made a record
/// by a decorator or pydantic's base class; and the imported names nothing else binds.
pub(crate) fn classify(ex: &mut Ex<'_>) {
    let names = &ex.names;
    ex.lang
        .records
        .imported
        .retain(|&local, _| names.bindings(local) == 1);
    for class in std::mem::take(&mut ex.lang.records.candidates) {
        let Some(name) = class.child_by_field_name("name") else {
            continue;
        };
        if ex.names.bindings(ex.src(name)) != 1 {
            continue;
        }
        if let Some(library) = library_of(ex, class) {
            ex.lang
                .records
                .classes
                .insert(ex.src(name), (library, class));
        }
    }
}

/// The library that makes `class` a record: one decorator of dataclasses or attrs and no base
/// class, or pydantic's `BaseModel` as its only base and no decorator.
fn library_of(ex: &Ex<'_>, class: TsNode<'_>) -> Option<Library> {
    let records = &ex.lang.records;
    let decorators = records
        .decorators
        .get(&class.id())
        .map_or(&[][..], Vec::as_slice);
    let bases = class.child_by_field_name("superclasses").map(|args| {
        let mut cursor = args.walk();
        args.named_children(&mut cursor)
            .filter(|a| a.kind() != "comment")
            .collect::<Vec<_>>()
    });
    match (decorators, bases.as_deref().unwrap_or_default()) {
        ([decorator], []) => {
            let expression = decorator.named_child(0)?;
            let function = match expression.kind() {
                "call" => expression.child_by_field_name("function")?,
                _ => expression,
            };
            let (library, name) = records.export(ex.src(function))?;
            (library != Library::Pydantic && library.makes_records(name)).then_some(library)
        }
        ([], [base]) => {
            let (library, name) = records.export(ex.src(*base))?;
            (library == Library::Pydantic && library.makes_records(name)).then_some(library)
        }
        _ => None,
    }
}

/// True when calling `path` only reads the record passed to it (`asdict`).
pub(crate) fn reads_only(ex: &Ex<'_>, path: &str) -> bool {
    ex.lang
        .records
        .export(path)
        .is_some_and(|(library, name)| library != Library::Pydantic && name == "asdict")
}

/// True when a method of this name only reads the record it is called on (`model_dump`).
pub(crate) fn is_dump_method(name: &str) -> bool {
    matches!(name, "model_dump" | "dict")
}

/// The dict `call` makes of a record, when it is one of the dump functions or methods called
/// on an instance whose every field is known (module doc); `None` for any other call.
pub(crate) fn dump<'t>(ex: &mut Ex<'t>, call: TsNode<'t>, depth: usize) -> Option<Node> {
    let function = call.child_by_field_name("function")?;
    let args = call.child_by_field_name("arguments")?;
    let mut cursor = args.walk();
    let args: Vec<TsNode<'t>> = args
        .named_children(&mut cursor)
        .filter(|a| a.kind() != "comment")
        .collect();
    let method = function
        .child_by_field_name("attribute")
        .filter(|method| is_dump_method(ex.src(*method)));
    let (library, instance) = match method {
        Some(_) if !args.is_empty() => return None,
        Some(_) => (Library::Pydantic, function.child_by_field_name("object")?),
        None => {
            let path = ex.src(function);
            let [instance] = args[..] else {
                return None;
            };
            if !reads_only(ex, path) || instance.kind() == "keyword_argument" {
                return None;
            }
            (ex.lang.records.export(path)?.0, instance)
        }
    };
    let mut instance = super::python::unwrap_await(instance);
    if instance.kind() == "identifier" {
        instance = ex.names.resolve(ex.src(instance), instance)?;
    }
    if instance.kind() != "call" {
        return None;
    }
    let class = instance.child_by_field_name("function")?;
    let &(made_by, definition) = ex.lang.records.classes.get(ex.src(class))?;
    if made_by != library {
        return None;
    }
    let arguments = keyword_arguments(ex, instance.child_by_field_name("arguments")?)?;
    fields(ex, definition, library, &arguments, range(call), depth)
}

/// The keyword arguments of a constructor call, by name; `None` when any argument is not a
/// keyword argument.
fn keyword_arguments<'t>(
    ex: &Ex<'t>,
    args: TsNode<'t>,
) -> Option<HashMap<&'t str, (TsNode<'t>, TsNode<'t>)>> {
    let mut by_name = HashMap::new();
    let mut cursor = args.walk();
    for arg in args.named_children(&mut cursor) {
        match arg.kind() {
            "comment" => {}
            "keyword_argument" => {
                let name = arg.child_by_field_name("name")?;
                let value = arg.child_by_field_name("value")?;
                by_name.insert(ex.src(name), (name, value));
            }
            _ => return None,
        }
    }
    Some(by_name)
}

/// The dict of a record class's fields, in their order, with the constructor's `arguments`.
fn fields<'t>(
    ex: &mut Ex<'t>,
    class: TsNode<'t>,
    library: Library,
    arguments: &HashMap<&'t str, (TsNode<'t>, TsNode<'t>)>,
    at: crate::syntax::TextRange,
    depth: usize,
) -> Option<Node> {
    let body = class.child_by_field_name("body")?;
    let mut object = ObjectBuilder::default();
    let mut used = 0;
    let mut cursor = body.walk();
    for statement in body.named_children(&mut cursor) {
        let field = match statement.kind() {
            "comment" | "pass_statement" => continue,
            "function_definition" => {
                let name = statement.child_by_field_name("name")?;
                if HOOKS.contains(&ex.src(name)) {
                    return None;
                }
                continue;
            }
            "expression_statement" => statement.named_child(0)?,
            _ => return None,
        };
        match field.kind() {
            // A docstring.
            "string" => continue,
            "assignment" => {}
            _ => return None,
        }
        let (Some(name), Some(annotation)) = (
            field.child_by_field_name("left"),
            field.child_by_field_name("type"),
        ) else {
            // A plain class attribute: no field of a dataclass, configuration of a model.
            if library == Library::Pydantic {
                return None;
            }
            continue;
        };
        if name.kind() != "identifier" {
            return None;
        }
        let key = ex.src(name);
        let annotation = ex.src(annotation);
        if ["ClassVar", "InitVar", "KW_ONLY"]
            .iter()
            .any(|marker| annotation.contains(marker))
            || library == Library::Pydantic && key.starts_with('_')
        {
            // Not a field the dict holds.
            continue;
        }
        let value = match arguments.get(key) {
            Some(&(_, value)) => {
                used += 1;
                ex.lower(value, depth + 1)
            }
            None => {
                let default = field.child_by_field_name("right")?;
                match literal_default(ex, default) {
                    Some(literal) => ex.lower(literal, depth + 1),
                    None => Node::new(range(default), Value::Unknown),
                }
            }
        };
        object.push(Member {
            key: key.to_owned(),
            key_range: range(name),
            value,
        });
    }
    // An argument that names no field fails at run time.
    (used == arguments.len()).then(|| object.finish(at, false))
}

/// The literal a field's default is: written as one, or as `field(default=...)`.
fn literal_default<'t>(ex: &Ex<'t>, default: TsNode<'t>) -> Option<TsNode<'t>> {
    if Ex::is_scalar_default(default) {
        return Some(default);
    }
    if default.kind() != "call" {
        return None;
    }
    let function = ex.src(default.child_by_field_name("function")?);
    let named = function.rsplit('.').next()?;
    if !matches!(named, "field" | "Field" | "ib" | "attrib") {
        return None;
    }
    let args = default.child_by_field_name("arguments")?;
    let mut literal = None;
    let mut cursor = args.walk();
    for arg in args.named_children(&mut cursor) {
        if arg.kind() == "comment" {
            continue;
        }
        let name = arg.child_by_field_name("name")?;
        let value = arg.child_by_field_name("value")?;
        match ex.src(name) {
            "default" => literal = Some(value),
            other if FIELD_KEYWORDS.contains(&other) => {}
            _ => return None,
        }
    }
    literal.filter(|&value| Ex::is_scalar_default(value))
}
