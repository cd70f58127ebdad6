//! Renders structural edits as YAML text.

use super::{Edit, TextEdit};

/// Renders one edit; `None` when the text around it is not what the edit expects.
pub fn render(_edit: &Edit, _text: &str) -> Option<Vec<TextEdit>> {
    None
}
