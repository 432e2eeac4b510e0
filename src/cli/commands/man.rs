//! `dealsim man`: the manual page (clap_mangen, roff), on standard output.

use super::super::Cli;
use crate::error::Error;
use std::io::Write;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  dealsim man > dealsim.1 && man ./dealsim.1
  dealsim man | gzip > /usr/local/share/man/man1/dealsim.1.gz")]
pub struct Args {}

pub fn exec(_: &Args, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    let command = <Cli as clap::CommandFactory>::command();
    let mut bytes = Vec::new();
    clap_mangen::Man::new(command).render(&mut bytes).map_err(|e| vec![Error::Stdout(e)])?;
    out.write_all(&bytes).map_err(|e| vec![Error::Stdout(e)])
}
