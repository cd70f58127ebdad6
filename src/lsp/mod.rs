//! `claude-preflight lsp`: the library as a language server over stdio. Only this module knows
//! LSP (invariant 5); it converts the library's byte ranges to the negotiated position
//! encoding.
//!
//! Map: `server` (handlers, scheduling, robustness), `dispatch` (messages to the handlers and
//! their answers back), `documents` (texts and analysed snapshots), `incremental` (an edit
//! inside a string patches the parse), `memory` (the allocator set up for a long-lived server),
//! `convert` (positions), `diagnostics`, `actions` (quick fixes and fix-all), `hover`, `inlay`
//! (sizes per message), `summary` (each request's size against its model's window, a custom
//! request for status bars), `completion`, `options` (editor settings), `locate` (what is under
//! the cursor), `locate_error` (an API error's place in a document), `transport` (framing that
//! never loses the stream) and `validate` (malformed messages kept away from the server).

pub(crate) mod actions;
pub(crate) mod completion;
pub(crate) mod convert;
pub(crate) mod diagnostics;
pub(crate) mod dispatch;
pub(crate) mod documents;
pub(crate) mod hover;
pub(crate) mod incremental;
pub(crate) mod inlay;
pub(crate) mod locate;
pub(crate) mod locate_error;
pub(crate) mod memory;
pub(crate) mod options;
pub(crate) mod server;
pub(crate) mod summary;
#[cfg(fuzzing)]
pub mod transport;
#[cfg(not(fuzzing))]
#[expect(
    unreachable_pub,
    reason = "public under cfg(fuzzing), for the fuzz targets"
)]
pub(crate) mod transport;
#[cfg(fuzzing)]
pub mod validate;
#[cfg(not(fuzzing))]
#[expect(
    unreachable_pub,
    reason = "public under cfg(fuzzing), for the fuzz targets"
)]
pub(crate) mod validate;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Args;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::mpsc;
use tower_lsp_server::LspService;

use server::{Backend, CatchPanic, NoteShutdown};

/// Arguments of `lsp`.
#[derive(Debug, Args)]
pub(crate) struct LspArgs {
    /// Talk over standard input and output (the only transport; accepted because
    /// vscode-languageclient always passes it).
    #[arg(long)]
    pub stdio: bool,
}

/// Serves one client over `input` and `output` until it sends `exit` or closes the input.
/// Returns true when the client asked to shut down first: the exit status is then 0, else 1,
/// as the protocol asks.
pub async fn serve<I, O>(input: I, output: O) -> bool
where
    I: AsyncRead + Unpin,
    O: AsyncWrite + Unpin,
{
    let shutdown = Arc::new(AtomicBool::new(false));
    let (service, socket) = LspService::build(Backend::new)
        .custom_method(summary::METHOD, Backend::summary)
        .finish();
    let service = NoteShutdown {
        inner: CatchPanic(service),
        requested: Arc::clone(&shutdown),
    };
    let (frames, outgoing) = mpsc::channel(PIPE_FRAMES);
    let outbox = transport::Outbox::new(frames, crate::redact::Keys::default());
    let (to_server, messages) = mpsc::channel(PIPE_MESSAGES);
    let inbound = transport::forward_input(input, to_server, outbox.clone());
    let serving = dispatch::dispatch(messages, service, socket, outbox);
    // The server may stop (on `exit`) while the client keeps its end open: stop reading then.
    let until_exit = async move {
        tokio::select! {
            () = serving => {}
            () = async { inbound.await; std::future::pending::<()>().await } => {}
        }
    };
    tokio::join!(until_exit, transport::write_frames(outgoing, output));
    shutdown.load(Ordering::SeqCst)
}

/// Messages read and waiting for the server: one, so the input is read no further ahead of
/// the server than a message (each may be a 32 MB document).
const PIPE_MESSAGES: usize = 1;
/// Frames waiting to be written to the client.
const PIPE_FRAMES: usize = 64;

/// Runs the server on standard input and output; returns the exit status.
pub(crate) fn run(_args: LspArgs) -> u8 {
    memory::tune();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the language server: {error}");
            return crate::exit::EXIT_FAILURE;
        }
    };
    let clean = runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // Background analyses may still be running: do not wait for them.
    runtime.shutdown_background();
    u8::from(!clean)
}
