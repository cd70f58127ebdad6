//! The `claude-preflight` binary: everything lives in the library's `cli` module.

fn main() -> std::process::ExitCode {
    claude_preflight::cli::run()
}
