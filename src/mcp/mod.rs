//! `claude-preflight mcp`: the library as a Model Context Protocol server over stdio, for
//! coding agents that write and edit request payloads and need answers they can act on, not a
//! terminal report. Built on rmcp, the protocol's official Rust SDK. Only this module knows
//! MCP (invariant 5).
//!
//! Map: `tools` (the server and its tools: `check`, `fix`, `count_tokens`,
//! `explain_rule`), `source` (text or a path to read, and the settings for it).
//!
//! The server reads the files it is asked about and nothing else, writes nothing, sends
//! nothing over the network, and never returns an API key (invariant 8): every message to the
//! client is masked through the keys found in the files it analysed and in every message from
//! the client ([`serve`]).

pub(crate) mod source;
pub(crate) mod tools;

use clap::Args;
use rmcp::ServiceExt;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};

use crate::redact::Keys;

pub use tools::Server;

/// Arguments of `mcp`.
#[derive(Debug, Args)]
pub(crate) struct McpArgs {
    /// The date lifecycle rules compare against (YYYY-MM-DD; default: today).
    #[arg(long, hide = true)]
    pub today: Option<jiff::civil::Date>,
}

/// Serves one client over `input` and `output` until it closes its end. Messages are lines
/// of JSON both ways: each line from the client teaches the session's `Keys` and is passed
/// on; each line from the server is masked through them before the client sees it.
pub async fn serve<I, O>(server: Server, input: I, output: O) -> Result<(), String>
where
    I: AsyncRead + Send + Unpin + 'static,
    O: AsyncWrite + Send + Unpin + 'static,
{
    let keys = Keys::default();
    let (server_end, relay_end) = tokio::io::duplex(PIPE);
    let (from_server, to_server) = tokio::io::split(relay_end);
    let learning = keys.clone();
    let inbound = relay(input, to_server, move |line| {
        learning.learn(&line);
        line
    });
    let outbound = relay(from_server, output, move |line| keys.mask(line));
    let serving = async move {
        let running = server
            .serve(tokio::io::split(server_end))
            .await
            .map_err(|e| format!("the client did not start the session: {e}"))?;
        running
            .waiting()
            .await
            .map(drop)
            .map_err(|e| format!("the server stopped: {e}"))
    };
    // The server may stop while the client keeps its end open: stop reading then.
    let until_stopped = async move {
        tokio::select! {
            served = serving => served,
            never = async { inbound.await; std::future::pending().await } => never,
        }
    };
    let (served, ()) = tokio::join!(until_stopped, outbound);
    served
}

/// Bytes buffered between the relay and the server.
const PIPE: usize = 64 * 1024;

/// Copies `from` to `to` line by line through `pass`, until `from` ends; then closes `to`.
async fn relay<R, W>(from: R, mut to: W, mut pass: impl FnMut(Vec<u8>) -> Vec<u8>)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut from = BufReader::new(from);
    loop {
        let mut line = Vec::new();
        match from.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let line = pass(line);
        if to.write_all(&line).await.is_err() || to.flush().await.is_err() {
            break;
        }
    }
    let _ = to.shutdown().await;
}

/// Runs the server on standard input and output; returns the exit status.
pub(crate) fn run(args: McpArgs) -> u8 {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the MCP server: {error}");
            return crate::exit::EXIT_FAILURE;
        }
    };
    let served = runtime.block_on(serve(
        Server::new(args.today),
        tokio::io::stdin(),
        tokio::io::stdout(),
    ));
    // A job still running for a request nobody waits for any more is not waited for.
    runtime.shutdown_background();
    match served {
        Ok(()) => crate::exit::EXIT_OK,
        Err(error) => {
            eprintln!("error: {error}");
            crate::exit::EXIT_FAILURE
        }
    }
}
