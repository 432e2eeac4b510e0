//! `dealsim man [COMMAND]`: the manual page (clap_mangen, roff), on standard output: the whole
//! tool's, or one command's (`dealsim-run(1)`, the pages the main one refers to).

use super::super::Cli;
use crate::error::Error;
use crate::report::OutputOptions;
use std::io::Write;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  dealsim man > dealsim.1 && man ./dealsim.1
  dealsim man run > dealsim-run.1
  for c in run compare sweep; do dealsim man $c > dealsim-$c.1; done")]
pub struct Args {
    /// Print this command's page (`dealsim-run(1)` for `run`) instead of the tool's
    pub command: Option<String>,
}

pub fn exec(args: &Args, _options: &OutputOptions, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    let tool = <Cli as clap::CommandFactory>::command();
    let page = match &args.command {
        None => tool,
        Some(name) => {
            let names: Vec<String> = tool.get_subcommands().map(|c| c.get_name().to_string()).collect();
            let Some(command) = tool.find_subcommand(name) else {
                return Err(vec![Error::Usage(format!(
                    "`{name}` is not a command of dealsim; its commands are {}",
                    names.join(", ")
                ))]);
            };
            // The page's name is the one the tool's page refers to, `dealsim-run`; clap takes
            // names as `&'static str` (one page a process, so the leak is a few bytes).
            let page_name: &'static str = Box::leak(format!("dealsim-{name}").into_boxed_str());
            command.clone().name(page_name).version(env!("CARGO_PKG_VERSION"))
        }
    };
    let mut bytes = Vec::new();
    clap_mangen::Man::new(page).render(&mut bytes).map_err(|e| vec![Error::Stdout(e)])?;
    out.write_all(&bytes).map_err(|e| vec![Error::Stdout(e)])
}
