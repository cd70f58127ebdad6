//! Which value a variable holds where a request uses it, for the Python and JavaScript
//! extractors: the one value it is bound to in its scope, when nothing rebinds it, changes it in
//! place or hands it to code that might. Anything less certain is no value at all (`Unknown`).

use std::collections::HashMap;

use tree_sitter::Node as TsNode;

/// How a name is used at one place.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Use<'t> {
    /// `name = value`, `const name = value`.
    Assign(TsNode<'t>),
    /// Any other binding: a parameter, a loop target, an import, `+=`, a second assignment...
    Bind,
    /// A use that may change the value in place: `name.append(...)`, `name[k] = v`, passing it
    /// to a function, aliasing it.
    Mutate,
}

/// A function, lambda, class or module body.
#[derive(Debug, Clone, Copy)]
struct Scope {
    parent: Option<usize>,
    /// A Python class body: the functions inside it do not see its names.
    class: bool,
}

/// The nearest ancestors of a node, nearest first, carried down by a walk from the root.
///
/// tree-sitter's `Node::parent` walks down from the root on every call: asking it for the
/// surroundings of every identifier made deeply nested code quadratic (30 KB of nested calls
/// took seconds). The extractors' walks hand each node the few ancestors they look at instead.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Ancestors<'t>([Option<TsNode<'t>>; 3]);

impl<'t> Ancestors<'t> {
    /// The ancestors of a child of `node`, when `self` are `node`'s.
    pub(crate) fn below(self, node: TsNode<'t>) -> Self {
        let [parent, grandparent, _] = self.0;
        Self([Some(node), parent, grandparent])
    }

    /// The parent.
    pub(crate) fn parent(self) -> Option<TsNode<'t>> {
        self.0[0]
    }

    /// The parent's parent.
    pub(crate) fn grandparent(self) -> Option<TsNode<'t>> {
        self.0[1]
    }

    /// The grandparent's parent.
    pub(crate) fn great_grandparent(self) -> Option<TsNode<'t>> {
        self.0[2]
    }
}

/// The scopes of one file and every binding and mutation of every name in them.
#[derive(Debug, Default)]
pub(crate) struct Names<'t> {
    scopes: Vec<Scope>,
    /// The scope of every name node the walk met, by node id.
    scope_of_name: HashMap<usize, usize>,
    uses: HashMap<&'t str, Vec<(usize, Use<'t>)>>,
}

impl<'t> Names<'t> {
    /// Opens a scope inside `parent` (`None` for the file itself).
    pub(crate) fn open(&mut self, parent: Option<usize>, class: bool) -> usize {
        self.scopes.push(Scope { parent, class });
        self.scopes.len() - 1
    }

    /// Notes that the name node `name` is in `scope`, for [`Self::resolve`].
    pub(crate) fn enter(&mut self, name: TsNode<'_>, scope: usize) {
        self.scope_of_name.insert(name.id(), scope);
    }

    /// Records a use of `name` in `scope`.
    pub(crate) fn record(&mut self, name: &'t str, scope: usize, role: Use<'t>) {
        self.uses.entry(name).or_default().push((scope, role));
    }

    /// True when anything in the file binds `name` (a shadowed built-in, an import).
    pub(crate) fn is_bound(&self, name: &str) -> bool {
        self.uses
            .get(name)
            .is_some_and(|u| u.iter().any(|(_, u)| !matches!(u, Use::Mutate)))
    }

    /// How many times anything in the file binds `name`.
    pub(crate) fn bindings(&self, name: &str) -> usize {
        self.uses.get(name).map_or(0, |u| {
            u.iter().filter(|(_, u)| !matches!(u, Use::Mutate)).count()
        })
    }

    /// The names bound exactly once in the whole file, by an assignment in its top-level
    /// scope, with the value assigned: what another file may import as a constant.
    pub(crate) fn module_constants(&self) -> impl Iterator<Item = (&'t str, TsNode<'t>)> + '_ {
        self.uses.iter().filter_map(|(&name, uses)| {
            let mut bindings = uses.iter().filter(|(_, u)| !matches!(u, Use::Mutate));
            match (bindings.next(), bindings.next()) {
                (Some(&(0, Use::Assign(value))), None) => Some((name, value)),
                _ => None,
            }
        })
    }

    fn is_within(&self, mut scope: usize, outer: usize) -> bool {
        loop {
            if scope == outer {
                return true;
            }
            match self.scopes[scope].parent {
                Some(parent) => scope = parent,
                None => return false,
            }
        }
    }

    /// The value `name`, used at `at`, holds: its one assignment in the nearest scope that
    /// binds it, when nothing in that scope or below changes it (nothing for a node the walk
    /// did not [enter](Self::enter)).
    pub(crate) fn resolve(&self, name: &str, at: TsNode<'_>) -> Option<TsNode<'t>> {
        self.find(name, at, true)
    }

    /// The value `name` is bound to once, at `at`, however it is used: for values nothing can
    /// change in place (a string), where passing the name to a function is harmless.
    pub(crate) fn resolve_immutable(&self, name: &str, at: TsNode<'_>) -> Option<TsNode<'t>> {
        self.find(name, at, false)
    }

    fn find(&self, name: &str, at: TsNode<'_>, mutable: bool) -> Option<TsNode<'t>> {
        let uses = self.uses.get(name)?;
        let mut scope = Some(*self.scope_of_name.get(&at.id())?);
        let mut first = true;
        while let Some(s) = scope {
            let here = self.scopes[s];
            if first || !here.class {
                let mut bindings = uses
                    .iter()
                    .filter(|(at, u)| *at == s && !matches!(u, Use::Mutate));
                if let Some(&(_, binding)) = bindings.next() {
                    let (Use::Assign(value), None) = (binding, bindings.next()) else {
                        return None;
                    };
                    let changed = mutable
                        && uses
                            .iter()
                            .any(|(at, u)| matches!(u, Use::Mutate) && self.is_within(*at, s));
                    return (!changed).then_some(value);
                }
            }
            first = false;
            scope = here.parent;
        }
        None
    }
}
