//! Host syntaxes lowered into the one payload tree. Parsing never fails (invariant 1).

pub(crate) mod embed;
#[cfg(fuzzing)]
pub mod json;
#[cfg(not(fuzzing))]
#[expect(
    unreachable_pub,
    reason = "public under cfg(fuzzing), for the fuzz targets"
)]
pub(crate) mod json;
pub(crate) mod line_index;
pub(crate) mod quoted;
#[cfg(fuzzing)]
pub mod tree;
#[cfg(not(fuzzing))]
#[expect(
    unreachable_pub,
    reason = "public under cfg(fuzzing), for the fuzz targets"
)]
pub(crate) mod tree;
#[cfg(fuzzing)]
pub mod yaml;
#[cfg(not(fuzzing))]
#[expect(
    unreachable_pub,
    reason = "public under cfg(fuzzing), for the fuzz targets"
)]
pub(crate) mod yaml;

pub use line_index::{ColumnUnit, LineIndex, Position};
pub use tree::{MAX_DEPTH, TextRange};
pub(crate) use tree::{Member, Node, SyntaxError, SyntaxErrorKind, Value, walk};
