//! The process exit statuses every front end (`check`, `lsp`, `mcp`) returns, in one place so
//! the front ends need not import each other.

/// Exit status: no errors found.
pub(crate) const EXIT_OK: u8 = 0;
/// Exit status: findings of error severity.
pub(crate) const EXIT_FINDINGS: u8 = 1;
/// Exit status: usage, I/O or configuration failure.
pub(crate) const EXIT_FAILURE: u8 = 2;
