//! The `claude-preflight` binary: everything lives in the library's `cli` module.

/// Many small, short-lived allocations (tree nodes, strings): mimalloc handles them faster than
/// the system allocator (README, "Performance").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    claude_preflight::cli::run()
}
