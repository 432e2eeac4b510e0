//! `dealsim montecarlo A.toml B.toml C.toml --weights 25%,50%,25%`: one distribution over weighted
//! scenario files. Each path draws its file by weight, then that file's own distributions
//! (`montecarlo::Plan::weighted`). Written to OUT/weighted/montecarlo/.

use super::super::{load_one, progress_bar, say, write_all, wrote};
use super::montecarlo::{check_paths, print_results, Args};
use crate::error::Error;
use crate::report::OutputOptions;
use crate::scenario;
use rust_decimal::Decimal;
use std::io::Write;

pub fn exec(args: &Args, options: &OutputOptions, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    use crate::analysis::montecarlo;
    if args.against.is_some() {
        return Err(vec![Error::Usage(
            "--weights with --against is not supported yet: run `montecarlo FILE --against NAME` for each file".into(),
        )]);
    }
    let weights = weights(args)?;
    let mut loaded = Vec::with_capacity(args.files.len());
    for file in &args.files {
        let one = load_one(file, None)?;
        if one.scenario.granularity != scenario::Granularity::Years {
            return Err(vec![Error::Usage(format!(
                "{}: montecarlo draws per year: use `periods = \"years\"`",
                file.display()
            ))]);
        }
        loaded.push(one);
    }
    if let Some(other) = loaded.iter().find(|l| l.agreement.name != loaded[0].agreement.name) {
        return Err(vec![Error::Usage(format!(
            "weighted scenarios must share an agreement: `{}` is under `{}`, `{}` under `{}`",
            loaded[0].scenario.name, loaded[0].agreement.name, other.scenario.name, other.agreement.name
        ))]);
    }
    let mut plans = Vec::with_capacity(loaded.len());
    for (one, weight) in loaded.iter().zip(&weights) {
        let plan = montecarlo::Plan::new(&one.agreement, &one.scenario)
            .map_err(|source| vec![Error::Simulation { scenario: one.scenario.name.clone(), source }])?;
        plans.push((*weight, plan));
    }
    let plan = montecarlo::Plan::weighted(plans).map_err(super::super::analysis(""))?;
    check_paths(args)?;
    let bar = progress_bar(args.paths, args.paths * plan.years() as u64, "paths");
    let mut result =
        montecarlo::run_until(&plan, args.paths, args.seed, &|n| bar.inc(n), &super::super::interrupted)
            .map_err(super::super::analysis(""))?;
    bar.finish_and_clear();
    let mixture = mixture_of(&loaded, &weights);
    let warnings: Vec<String> =
        loaded.iter().flat_map(|l| scenario::scenario_warnings(l, None)).map(|w| w.to_string()).collect();
    result.warnings = warnings;
    result.weighted = loaded
        .iter()
        .zip(&weights)
        .map(|(l, w)| montecarlo::WeightedScenario { scenario: l.scenario.name.clone(), weight: *w })
        .collect();
    let files =
        crate::ops::montecarlo::files(&mixture, &result, None, &args.out, args.charts.size(), options.units)?;
    write_all(&files, "the weighted scenarios", options)?;
    say(out, &format!("Weighted scenarios: {}", mixture.scenario.description))?;
    print_results(out, &mixture, &plan, &result, None)?;
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

/// What the outputs are named and headed by: the first file's scenario (its agreement, periods
/// and discounting, which the others share or are checked against), named `weighted`, its
/// description the files and their weights.
fn mixture_of(loaded: &[scenario::Loaded], weights: &[Decimal]) -> scenario::Loaded {
    let mut mixture = loaded[0].clone();
    let parts: Vec<String> = loaded
        .iter()
        .zip(weights)
        .map(|(l, w)| format!("{} {}", l.scenario.name, crate::money::percent(*w)))
        .collect();
    mixture.scenario.name = "weighted".to_string();
    mixture.scenario.description = format!(
        "{} (each path follows one file, drawn by weight; the assumptions listed are {}'s)",
        parts.join(", "),
        loaded[0].scenario.name
    );
    mixture
}
