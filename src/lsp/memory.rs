//! The allocator set up for a long-lived server holding large documents.
//!
//! The binary's allocator, mimalloc (`src/main.rs`), keeps what is freed for a while before
//! returning it to the system (a second by default), and returns it only when it is next
//! called. Both suit a command that runs and exits; a language server editing a 32 MB document
//! paid for them in resident memory (`benches/lsp.rs`, the README's table):
//! - Opening a large document frees about a copy of it at once (the message it came in, the
//!   buffers of the parse and of the first token count). With nothing called while the editor
//!   waits for the first keystroke, it stayed resident: 3.6 times the document over the
//!   server's fixed part at rest instead of 2.7. So after an analysis that parsed a large text
//!   whole, the analysis thread has the allocator return what is free ([`release`]). Not after
//!   every edit: what an edit frees, the next one reuses.
//! - Each edit's analysis frees what the previous one built (the estimate's lists, the pieces
//!   it counts): kept a second each, with an edit every few dozen milliseconds, they piled up.
//!   The server returns them after [`PURGE_AFTER_MS`] instead ([`tune`]).

use libmimalloc_sys::{mi_collect, mi_option_set, mi_option_t};

/// Texts of this many bytes or more are followed by a [`release`] when parsed whole.
pub(crate) const RELEASE_FROM: usize = 1 << 20;

/// How long the language server's freed memory waits before it is returned, in milliseconds
/// (mimalloc 2's default; mimalloc 3 waits a second).
const PURGE_AFTER_MS: std::ffi::c_long = 10;

/// mimalloc's `mi_option_purge_delay`, which its Rust bindings leave unnamed: its place in
/// `mimalloc.h`'s list of options, where retired options keep their places (a test checks that
/// it holds the documented default).
const PURGE_DELAY: mi_option_t = 15;

/// Sets the allocator up for the language server; call it before the server starts.
pub(crate) fn tune() {
    // SAFETY: setting an option takes no pointer; it is done once, before the server's
    // threads start.
    unsafe { mi_option_set(PURGE_DELAY, PURGE_AFTER_MS) }
}

/// Returns to the system the memory free in this thread's heap and in every arena.
pub(crate) fn release() {
    // SAFETY: `mi_collect` takes no pointer and may be called from any thread at any time;
    // when mimalloc is not the global allocator (the test binaries) it collects an empty heap.
    unsafe { mi_collect(true) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use libmimalloc_sys::mi_option_get;

    #[test]
    fn the_option_set_is_the_purge_delay() {
        // SAFETY: reading an option takes no pointer; no other test touches the options.
        let default = unsafe { mi_option_get(PURGE_DELAY) };
        // mimalloc 3's documented default for the purge delay (and no other option's at 15).
        assert_eq!(default, 1000);
        tune();
        // SAFETY: as above.
        assert_eq!(unsafe { mi_option_get(PURGE_DELAY) }, PURGE_AFTER_MS);
    }
}
