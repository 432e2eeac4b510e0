//! `dealsim merge`: the sketches of a Monte Carlo run's shards joined into the run's results.

use super::super::{say, warn, write_all, wrote, ChartArgs};
use crate::analysis::montecarlo::shard::ShardSketch;
use crate::error::Error;
use crate::report::OutputOptions;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  dealsim montecarlo scenarios/uncertain.toml --shard 1/2 --sketch-out part-1.json
  dealsim montecarlo scenarios/uncertain.toml --shard 2/2 --sketch-out part-2.json
  dealsim merge part-1.json part-2.json")]
pub struct Args {
    /// The sketch file of every shard (`montecarlo --shard I/N --sketch-out FILE`), in any order.
    #[arg(required = true, num_args = 1..)]
    pub files: Vec<PathBuf>,
    /// Where to write: OUT/<scenario>/montecarlo/, as `montecarlo` does.
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    #[command(flatten)]
    pub charts: ChartArgs,
}

pub fn exec(args: &Args, options: &OutputOptions, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    let mut sketches = Vec::new();
    let mut errors = Vec::new();
    for path in &args.files {
        match read(path) {
            Ok(sketch) => sketches.push(sketch),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let (prepared, result) = crate::ops::montecarlo::merge(&sketches)?;
    warn(&prepared.scenario_warnings);
    warn(&prepared.montecarlo_warnings);
    let loaded = &prepared.loaded;
    let files =
        crate::ops::montecarlo::files(loaded, &result, None, &args.out, args.charts.size(), options.units)?;
    write_all(&files, &loaded.source.path.display().to_string(), options)?;
    super::montecarlo::print_results(out, loaded, &prepared.plan, &result, None)?;
    say(out, &format!("Merged {} sketch file(s). {}", args.files.len(), wrote(&files)))?;
    Ok(())
}

/// One sketch file, its errors named by the file.
fn read(path: &std::path::Path) -> Result<ShardSketch, Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Usage(format!("{}: cannot read it: {e}", path.display())))?;
    ShardSketch::from_json(&text).map_err(|e| Error::analysis(&format!("{}: ", path.display()), e))
}
