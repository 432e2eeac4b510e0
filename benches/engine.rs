//! Speed goals (issue 4), measured with criterion: `cargo bench`.
//! - one scenario simulated (goal: under 20 µs);
//! - Monte Carlo throughput in path-years per second (goal: 20 million or more on 2 cores);
//! - the same per-path-year work in plain f64, as the reference for "close to the limit";
//! - what a run's workbook and HTML report cost, and `montecarlo --against` throughput (no goal:
//!   measured so a regression shows).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dealsim::analysis::montecarlo::{run, Plan, CHUNK};
use rand::SeedableRng;
use rand_distr::{Distribution, LogNormal};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

const PATHS: u64 = 64 * CHUNK;

fn ten_year_uncertain() -> (dealsim::Agreement, dealsim::Scenario) {
    // Ten years, as in the goal (1 million paths × 10 years); a workload of its own, so the figures
    // stay comparable when the shipped scenarios change.
    let loaded =
        dealsim::scenario::load_file(Path::new("benches/uncertain-10y.toml")).expect("bench scenario");
    (loaded.agreement, loaded.scenario)
}

fn simulate_one(c: &mut Criterion) {
    let loaded = dealsim::scenario::load_file(Path::new("scenarios/base.toml")).expect("shipped scenario");
    c.bench_function("simulate base scenario (7 years)", |b| {
        b.iter(|| {
            dealsim::simulate(black_box(&loaded.agreement), black_box(&loaded.scenario)).expect("simulates")
        })
    });
}

fn montecarlo(c: &mut Criterion) {
    let (agreement, scenario) = ten_year_uncertain();
    let plan = Plan::new(&agreement, &scenario).expect("compiles");
    let years = plan.years() as u64;
    let mut group = c.benchmark_group("monte carlo");
    group.throughput(Throughput::Elements(PATHS * years));
    group.bench_function("exact money, all cores (path-years)", |b| {
        b.iter(|| run(black_box(&plan), PATHS, 7, &|_| {}).expect("runs"))
    });
    // The reference: the same per-path-year work (draw growth, grow revenue, due = revenue × rate,
    // cap, cumulative, three histogram inserts) in f64 on all cores, without exactness.
    group.bench_function("f64 reference, all cores (path-years)", |b| {
        b.iter(|| f64_reference(black_box(PATHS), years as usize))
    });
    // Where the time goes: the exact path arithmetic alone, one core, results discarded.
    group.throughput(Throughput::Elements(CHUNK * years));
    group.bench_function("exact path arithmetic only, one core, no aggregation (path-years)", |b| {
        b.iter(|| {
            let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(7);
            let mut work = plan.work();
            let mut sink = rust_decimal::Decimal::ZERO;
            for _ in 0..CHUNK {
                plan.path(&mut rng, &mut work, |_, _, _, cumulative, _| sink = cumulative)
                    .expect("no overflow");
            }
            sink
        })
    });
    group.finish();
}

fn f64_reference(paths: u64, years: usize) -> f64 {
    use rayon::prelude::*;
    let growth = LogNormal::new(0.55f64.ln(), 0.35).expect("valid");
    (0..paths.div_ceil(CHUNK))
        .into_par_iter()
        .map(|chunk| {
            let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(7);
            rng.set_stream(chunk);
            let mut bins = vec![0u64; 3 * 20_000];
            let mut total = 0.0;
            for _ in 0..CHUNK {
                let (mut revenue, mut room, mut cumulative) = (30e9, 38e9, 0.0);
                for t in 0..years {
                    if t > 0 {
                        revenue *= 1.0 + growth.sample(&mut rng);
                    }
                    let due = revenue * 0.2;
                    let paid = f64::min(due, room);
                    room -= paid;
                    cumulative += paid;
                    for (k, v) in [revenue, paid, cumulative].into_iter().enumerate() {
                        let index = ((v.to_bits() >> 44) as usize) % 20_000;
                        bins[k * 20_000 + index] += 1;
                    }
                }
                total += cumulative;
            }
            total + bins[0] as f64
        })
        .sum()
}

fn reports(c: &mut Criterion) {
    use dealsim::report::{self, html, RunInput, Units};
    let loaded = dealsim::scenario::load_file(Path::new("scenarios/base.toml")).expect("shipped scenario");
    let ledger = dealsim::simulate(&loaded.agreement, &loaded.scenario).expect("simulates");
    let summary = ledger.summary().expect("sums");
    let run = RunInput { loaded: &loaded, ledger: &ledger, summary: &summary };
    let mut group = c.benchmark_group("reports");
    group.bench_function("ledger.xlsx of the base run", |b| {
        b.iter(|| report::run_workbook(black_box(&run), None, Units::Raw).expect("writes"))
    });
    group.bench_function("report.html of the base run (no charts)", |b| {
        b.iter(|| {
            let page = html::RunReport {
                run: black_box(&run),
                against: None,
                changes: None,
                explanation: None,
                charts: Vec::new(),
                warnings: Vec::new(),
            };
            html::run_report(&page)
        })
    });
    group.finish();
}

fn montecarlo_against(c: &mut Criterion) {
    use dealsim::analysis::against::counterfactual;
    use dealsim::analysis::montecarlo::against::run_against;
    let (agreement, scenario) = ten_year_uncertain();
    let other = dealsim::agreement::builtin("restructured").expect("built in");
    let other = counterfactual(&agreement, &other, &scenario).expect("counterfactual");
    let (own, other) = (
        Plan::new(&agreement, &scenario).expect("compiles"),
        Plan::new(&other, &scenario).expect("compiles"),
    );
    let paths = 16 * CHUNK;
    let mut group = c.benchmark_group("montecarlo --against");
    group.throughput(Throughput::Elements(paths * own.years() as u64));
    group.bench_function("both agreements, probability-weighted AGI, all cores (path-years)", |b| {
        b.iter(|| run_against(&own, &other, "restructured", paths, 7, &|_| {}, &|| false).expect("runs"))
    });
    group.finish();
}

/// A sweep's points per second: the base case over a 128 × 128 grid of cap and share rate, each
/// point through `engine::headline`, all cores (the figures, not the CSV).
fn sweep(c: &mut Criterion) {
    use dealsim::analysis::params::parse_setting;
    use dealsim::analysis::sweep::sweep;
    let loaded = dealsim::scenario::load_file(Path::new("scenarios/base.toml")).expect("shipped scenario");
    let settings = vec![
        parse_setting("cap=20.5B..84B:0.5B", 1_000_000).expect("parses"),
        parse_setting("share_rate=0.1..0.227:0.001", 1_000_000).expect("parses"),
    ];
    let points: u64 = settings.iter().map(|(_, v)| v.len() as u64).product();
    let mut group = c.benchmark_group("sweep");
    group.throughput(Throughput::Elements(points));
    group.bench_function("cap × share_rate on base, all cores (points)", |b| {
        b.iter(|| sweep(black_box(&loaded), &settings, &|| {}).expect("sweeps"))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(4)).warm_up_time(Duration::from_secs(1));
    targets = simulate_one, montecarlo, reports, montecarlo_against, sweep
}
criterion_main!(benches);
