//! `dealsim montecarlo A.toml B.toml C.toml --weights 25%,50%,25%`: one distribution over weighted
//! scenario files. Each path draws its file by weight, then that file's own distributions
//! (`montecarlo::Plan::weighted`). Written to OUT/weighted/montecarlo/.

use super::super::{load_one, progress_bar, say, write_all, wrote};
use super::montecarlo::{check_paths, print_results, Args};
use crate::error::Error;
use crate::report::OutputOptions;
use rust_decimal::Decimal;
use std::io::Write;

pub fn exec(args: &Args, options: &OutputOptions, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    use crate::ops::montecarlo as op;
    if args.against.is_some() {
        return Err(vec![Error::Usage(
            "--weights with --against is not supported yet: run `montecarlo FILE --against NAME` for each file".into(),
        )]);
    }
    let weights = weights(args)?;
    let mut loaded = Vec::with_capacity(args.files.len());
    for file in &args.files {
        loaded.push(load_one(file, None)?);
    }
    let weighted = op::weighted(loaded, &weights)?;
    check_paths(args)?;
    let bar = progress_bar(args.paths, args.paths * weighted.plan.years() as u64, "paths");
    let result =
        op::run_weighted(&weighted, args.paths, args.seed, &|n| bar.inc(n), &super::super::interrupted);
    bar.finish_and_clear();
    let (result, mixture, plan) = (result?, &weighted.mixture, &weighted.plan);
    let files = op::files(mixture, &result, None, &args.out, args.charts.size(), options.units)?;
    write_all(&files, "the weighted scenarios", options)?;
    say(out, &format!("Weighted scenarios: {}", mixture.scenario.description))?;
    print_results(out, mixture, plan, &result, None)?;
    say(out, &wrote(&files))?;
    Ok(())
}

/// `--weights`, one per file, as fractions adding up to exactly 1.
fn weights(args: &Args) -> Result<Vec<Decimal>, Vec<Error>> {
    if args.weights.len() != args.files.len() {
        return Err(vec![Error::Usage(format!(
            "{} scenario files need {} weights (--weights 25%,50%,25%), one per file; got {}",
            args.files.len(),
            args.files.len(),
            args.weights.len()
        ))]);
    }
    let parsed = args
        .weights
        .iter()
        .map(|w| {
            crate::money::parse_rate(w).map_err(|e| {
                vec![Error::Usage(format!("--weights: `{w}`: {e}; give percentages such as 25%"))]
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let total: Decimal = parsed.iter().sum();
    if total != Decimal::ONE {
        return Err(vec![Error::Usage(format!(
            "--weights add up to {}; they must add up to exactly 100%",
            crate::money::percent(total)
        ))]);
    }
    Ok(parsed)
}
