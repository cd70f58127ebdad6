//! `claude-preflight mcp`: the library as a Model Context Protocol server over stdio, for
//! coding agents that write and edit request payloads and need answers they can act on, not a
//! terminal report. Built on rmcp, the protocol's official Rust SDK. Only this module knows
//! MCP (invariant 5).
//!
//! Map: [`tools`] (the server and its tools: `check`, `fix`, `count_tokens`,
//! `explain_rule`), [`source`] (text or a path to read, and the settings for it).
//!
//! The server reads the files it is asked about and nothing else, writes nothing, sends
//! nothing over the network, and returns source text only with API keys masked (invariant 8).

pub mod source;
pub mod tools;

use clap::Args;
use rmcp::ServiceExt;
use tokio::io::{AsyncRead, AsyncWrite};

pub use tools::Server;

/// Arguments of `mcp`.
#[derive(Debug, Args)]
pub struct McpArgs {
    /// The date lifecycle rules compare against (YYYY-MM-DD; default: today).
    #[arg(long, hide = true)]
    pub today: Option<jiff::civil::Date>,
}

/// Serves one client over `input` and `output` until it closes its end.
pub async fn serve<I, O>(server: Server, input: I, output: O) -> Result<(), String>
where
    I: AsyncRead + Send + Unpin + 'static,
    O: AsyncWrite + Send + Unpin + 'static,
{
    let running = server
        .serve((input, output))
        .await
        .map_err(|e| format!("the client did not start the session: {e}"))?;
    running
        .waiting()
        .await
        .map(drop)
        .map_err(|e| format!("the server stopped: {e}"))
}

/// Runs the server on standard input and output; returns the exit status.
pub fn run(args: McpArgs) -> u8 {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the MCP server: {error}");
            return crate::cli::EXIT_FAILURE;
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
        Ok(()) => crate::cli::EXIT_OK,
        Err(error) => {
            eprintln!("error: {error}");
            crate::cli::EXIT_FAILURE
        }
    }
}
