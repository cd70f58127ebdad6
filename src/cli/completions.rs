//! `completions SHELL` and `man`: documents generated from the command-line definition itself
//! (clap_complete, clap_mangen), so they list every flag there is and no other.

use std::io::Write;

use clap::{Args, CommandFactory};
use clap_complete::Shell;
use clap_mangen::Man;

use super::{Cli, EXIT_FAILURE, EXIT_OK};

/// Arguments of `completions`.
#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Prints the completion script for a shell.
pub(super) fn run_completions(args: &CompletionsArgs) -> u8 {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut command, "claude-preflight", &mut out);
    print(&out)
}

/// Prints the manual page, subcommands included, as roff.
pub(super) fn run_man() -> u8 {
    print(&man_page())
}

/// The manual page: the top command's title, name, synopsis, description and options, then a
/// section per subcommand whose synopsis, description, options and notes are its subsections
/// (clap_mangen alone would point at a page per subcommand, which is not installed).
pub(super) fn man_page() -> Vec<u8> {
    let command = Cli::command();
    let top = Man::new(command.clone());
    let mut title = Vec::new();
    // Rendering into a Vec cannot fail.
    let _ = top.render_title(&mut title);
    // The title render starts with the roff preamble, which every later render repeats.
    let mut page = String::from_utf8_lossy(&title).into_owned();
    let top_parts: [Render; 4] = [
        Man::render_name_section,
        Man::render_synopsis_section,
        Man::render_description_section,
        Man::render_options_section,
    ];
    for render in top_parts {
        page.push_str(&part(&top, render));
    }
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("claude-preflight {}", sub.get_name());
        page.push_str(&format!(".SH \"{}\"\n", name.to_uppercase()));
        let man = Man::new(sub.clone().bin_name(&name));
        let mut parts: Vec<Render> = vec![
            Man::render_synopsis_section,
            Man::render_description_section,
            Man::render_options_section,
        ];
        if sub.get_after_help().is_some() || sub.get_after_long_help().is_some() {
            parts.push(Man::render_extra_section);
        }
        for render in parts {
            page.push_str(&part(&man, render).replacen(".SH ", ".SS ", 1));
        }
    }
    page.push_str(&part(&top, Man::render_version_section));
    page.into_bytes()
}

/// One of clap_mangen's section renderers.
type Render = fn(&Man, &mut dyn Write) -> std::io::Result<()>;

/// One section's roff, without the preamble every render starts with.
fn part(man: &Man, render: Render) -> String {
    let mut out = Vec::new();
    let _ = render(man, &mut out);
    String::from_utf8_lossy(&out)
        .lines()
        .filter(|line| !line.starts_with(".ie \\n(.g ") && !line.starts_with(".el .ds Aq "))
        .map(|line| format!("{line}\n"))
        .collect()
}

fn print(bytes: &[u8]) -> u8 {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => EXIT_OK,
        Err(_) => EXIT_FAILURE,
    }
}
