//! Host syntaxes lowered into the one payload tree. Parsing never fails (invariant 1).

pub mod embed;
pub mod json;
pub mod line_index;
pub mod quoted;
pub mod tree;
pub mod yaml;

pub use line_index::{ColumnUnit, LineIndex, Position};
pub use tree::{MAX_DEPTH, Member, Node, SyntaxError, SyntaxErrorKind, TextRange, Value, walk};
