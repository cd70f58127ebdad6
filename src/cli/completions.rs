//! `completions SHELL` and `man`: documents generated from the command-line definition itself
//! (clap_complete, clap_mangen), so they list every flag there is and no other.

use std::io::Write;

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::{Cli, EXIT_FAILURE, EXIT_OK};

/// Arguments of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Prints the completion script for a shell.
pub fn run_completions(args: &CompletionsArgs) -> u8 {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut command, "claude-preflight", &mut out);
    print(&out)
}

/// Prints the manual page, subcommands included, as roff.
pub fn run_man() -> u8 {
    print(&man_page())
}

/// The manual page: the top command's page, then a section per subcommand whose synopsis,
/// description, options and notes are its subsections.
pub fn man_page() -> Vec<u8> {
    let command = Cli::command();
    let mut out = Vec::new();
    // Rendering into a Vec cannot fail.
    let _ = clap_mangen::Man::new(command.clone()).render(&mut out);
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("claude-preflight {}", sub.get_name());
        let man = clap_mangen::Man::new(sub.clone().bin_name(&name));
        let mut part = Vec::new();
        let _ = man.render_synopsis_section(&mut part);
        let _ = man.render_description_section(&mut part);
        let _ = man.render_options_section(&mut part);
        if sub.get_after_help().is_some() || sub.get_after_long_help().is_some() {
            let _ = man.render_extra_section(&mut part);
        }
        let part = String::from_utf8_lossy(&part).replace("\n.SH ", "\n.SS ");
        let part = part
            .strip_prefix(".SH ")
            .map_or(part.clone(), |rest| format!(".SS {rest}"));
        let _ = write!(out, ".SH \"{}\"\n{part}", name.to_uppercase());
    }
    out
}

fn print(bytes: &[u8]) -> u8 {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => EXIT_OK,
        Err(_) => EXIT_FAILURE,
    }
}
