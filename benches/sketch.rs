//! The Monte Carlo quantile sketch against the two well-kept crates that could replace it
//! (issue 15): `sketches-ddsketch` (DDSketch, relative accuracy α) and `hdrhistogram` (HDR
//! histogram, significant digits), each set to about the same relative error as ours (0.2%).
//! Measured: inserting 1M amounts in cents (what a Monte Carlo run of 100k paths × 10 years
//! does per figure) and merging 64 sketches (what the parallel reduction does). Accuracy and the
//! exactness that decides the choice are asserted in `tests/montecarlo.rs`, not timed here.
//!
//! Run: `cargo bench --bench sketch`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dealsim::analysis::sketch::Sketch;
use hdrhistogram::Histogram;
use rand::SeedableRng;
use rand_distr::{Distribution, LogNormal};
use sketches_ddsketch::{Config, DDSketch};
use std::hint::black_box;

const VALUES: usize = 1_000_000;
const PARTS: usize = 64;

/// Amounts in cents around 38B dollars with a 30% spread: a cumulative-paid distribution.
fn amounts() -> Vec<i128> {
    let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(15);
    let dist = LogNormal::new((38e11f64).ln(), 0.3).expect("valid");
    (0..VALUES).map(|_| dist.sample(&mut rng).round() as i128).collect()
}

fn ddsketch() -> DDSketch {
    // α = 0.2%, enough bins for amounts from a cent to 10^18.
    DDSketch::new(Config::new(0.002, 16_384, 1.0))
}

fn hdr() -> Histogram<u64> {
    // Three significant digits (0.1%): the closest HDR setting to 0.2%, from a cent to 10^18 cents
    // (above the 1,000T limit on any amount).
    Histogram::new_with_bounds(1, 1_000_000_000_000_000_000, 3).expect("bounds")
}

fn inserts(c: &mut Criterion) {
    let values = amounts();
    let mut group = c.benchmark_group("quantile sketch: insert 1M amounts");
    group.throughput(Throughput::Elements(VALUES as u64));
    group.bench_function("dealsim Sketch (exact min/max, Decimal percentiles)", |b| {
        b.iter(|| {
            let mut s = Sketch::default();
            for v in &values {
                s.insert_cents(*v);
            }
            black_box(s.quantile(0.5))
        })
    });
    group.bench_function("sketches-ddsketch DDSketch (α = 0.002)", |b| {
        b.iter(|| {
            let mut s = ddsketch();
            for v in &values {
                s.add(*v as f64 * 0.01);
            }
            black_box(s.quantile(0.5).ok().flatten())
        })
    });
    group.bench_function("hdrhistogram Histogram (3 significant digits)", |b| {
        b.iter(|| {
            let mut s = hdr();
            for v in &values {
                s.record(*v as u64).expect("in bounds");
            }
            black_box(s.value_at_quantile(0.5))
        })
    });
    group.finish();
}

fn merges(c: &mut Criterion) {
    let values = amounts();
    let chunk = VALUES / PARTS;
    let parts = |insert: &mut dyn FnMut(usize, i128)| {
        for (i, v) in values.iter().enumerate() {
            insert(i / chunk % PARTS, *v);
        }
    };
    let mut ours: Vec<Sketch> = (0..PARTS).map(|_| Sketch::default()).collect();
    parts(&mut |k, v| ours[k].insert_cents(v));
    let mut dd: Vec<DDSketch> = (0..PARTS).map(|_| ddsketch()).collect();
    parts(&mut |k, v| dd[k].add(v as f64 * 0.01));
    let mut hd: Vec<Histogram<u64>> = (0..PARTS).map(|_| hdr()).collect();
    parts(&mut |k, v| hd[k].record(v as u64).expect("in bounds"));

    let mut group = c.benchmark_group("quantile sketch: merge 64");
    group.bench_function("dealsim Sketch", |b| {
        b.iter(|| {
            let mut total = Sketch::default();
            for s in &ours {
                total.merge(s);
            }
            black_box(total.quantile(0.95))
        })
    });
    group.bench_function("sketches-ddsketch DDSketch", |b| {
        b.iter(|| {
            let mut total = ddsketch();
            for s in &dd {
                total.merge(s).expect("same config");
            }
            black_box(total.quantile(0.95).ok().flatten())
        })
    });
    group.bench_function("hdrhistogram Histogram", |b| {
        b.iter(|| {
            let mut total = hdr();
            for s in &hd {
                total.add(s).expect("same bounds");
            }
            black_box(total.value_at_quantile(0.95))
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = inserts, merges
}
criterion_main!(benches);
