//! Host syntaxes lowered into the one payload tree. Parsing never fails (invariant 1).

pub(crate) mod embed;
pub mod json;
pub(crate) mod line_index;
pub(crate) mod quoted;
pub(crate) mod tree;
pub mod yaml;

pub use line_index::{ColumnUnit, LineIndex, Position};
pub use tree::{MAX_DEPTH, Member, Node, SyntaxError, SyntaxErrorKind, TextRange, Value, walk};
