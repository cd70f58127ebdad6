//! Host syntaxes lowered into the one payload tree. Parsing never fails (invariant 1).

pub(crate) mod embed;
pub(crate) mod json;
pub(crate) mod line_index;
pub(crate) mod quoted;
pub(crate) mod tree;
pub(crate) mod yaml;

pub use line_index::{ColumnUnit, LineIndex, Position};
pub use tree::{MAX_DEPTH, TextRange};
pub(crate) use tree::{Member, Node, SyntaxError, SyntaxErrorKind, Value, walk};
