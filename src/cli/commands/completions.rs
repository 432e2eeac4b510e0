//! `dealsim completions SHELL`: a shell completion script (clap_complete), on standard output.

use super::super::Cli;
use crate::error::Error;
use crate::report::OutputOptions;
use std::io::Write;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  dealsim completions bash > ~/.local/share/bash-completion/completions/dealsim
  dealsim completions zsh > ~/.zfunc/_dealsim
  dealsim completions fish > ~/.config/fish/completions/dealsim.fish")]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn exec(args: &Args, _options: &OutputOptions, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    let mut command = <Cli as clap::CommandFactory>::command();
    let mut bytes = Vec::new();
    clap_complete::generate(args.shell, &mut command, "dealsim", &mut bytes);
    out.write_all(&bytes).map_err(|e| vec![Error::Stdout(e)])
}
