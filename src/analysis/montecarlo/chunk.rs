//! One chunk of a Monte Carlo run: its paths drawn from the chunk's own random stream, each
//! simulated (in cents where the plan can) into the accumulator, with its present value.

use super::cents::CentsWork;
use super::*;

/// The present value of one path's payments to Microsoft into `sketch`: binned by its float,
/// computed exactly (`round(Σ paid × factor)`, as `Ledger::present_value_with`) only when it may be
/// a new minimum or maximum, so a zero-variance run's percentiles equal the ledger's exactly.
/// `float(t)` and `exact(t)` are year `t`'s payment.
fn record_present_value(
    sketch: &mut Sketch,
    discount: &[(Decimal, f64)],
    float: impl Fn(usize) -> f64,
    exact: impl Fn(usize) -> Decimal,
) {
    let estimate: f64 = discount.iter().enumerate().map(|(t, (_, f))| float(t) * f).sum();
    sketch.insert_estimated(estimate, || {
        let value = discount
            .iter()
            .enumerate()
            .try_fold(Decimal::ZERO, |acc, (t, (f, _))| acc.checked_add(exact(t).checked_mul(*f)?));
        round_money(value.unwrap_or(Decimal::MAX))
    });
}

/// A path's present value into `sketch`, from its payments in cents (the fast path's) or else
/// in `Decimal`.
#[inline(always)]
fn record_path_value(
    sketch: &mut Sketch,
    discount: &[(Decimal, f64)],
    cents: Option<&[i128]>,
    exact: &[Decimal],
) {
    match cents {
        Some(paid) => {
            let float =
                |t: usize| crate::analysis::sketch::narrow_i64(paid[t]).map_or(f64::MAX, |c| c as f64) * 0.01;
            record_present_value(sketch, discount, float, |t| Decimal::from_i128_with_scale(paid[t], 2));
        }
        None => {
            use rust_decimal::prelude::ToPrimitive;
            record_present_value(sketch, discount, |t| exact[t].to_f64().unwrap_or(0.0), |t| exact[t]);
        }
    }
}

/// A fused `--against` run's other agreement on a chunk's paths (`against::run_fused`): its
/// working state, the current path's nets (Microsoft's, in cents, here and under the other),
/// and whether one overflowed (the other's result is then an error; this run's goes on).
struct Fused {
    work: CentsWork,
    nets: Vec<(i128, i128)>,
    failed: bool,
}

impl Fused {
    fn of(other: &Plan, years: usize) -> Option<Fused> {
        let work = other.any_cents()?.path_state();
        Some(Fused { work, nets: Vec::with_capacity(years), failed: false })
    }
}

/// The cents loop's working state for a chunk of `plan`'s paths (sized from its first cents form).
fn cents_work_of(plan: &Plan) -> Option<CentsWork> {
    let cents = plan.cents.as_ref().or_else(|| plan.agi.iter().find_map(|(_, p)| p.cents.as_ref()));
    cents.map(|c| c.path_state())
}

/// Runs chunk `chunk` of `paths` (from ChaCha8 stream `chunk` of `seed`) into `acc`, and with
/// `other` (a fused `--against`) the other agreement on the same draws into `acc.against`;
/// returns the number of paths it ran. `FUSED` is whether there is an `other`: a constant, so
/// the plain run's loop is compiled without the fused one's branches.
pub(super) fn run_chunk<const FUSED: bool>(
    (plan, other): (&Plan, Option<&Plan>),
    chunk: u64,
    paths: u64,
    seed: u64,
    acc: &mut Accumulator,
) -> u64 {
    let other = if FUSED { other } else { None };
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(chunk);
    // Working state, allocated once per chunk (every AGI outcome's plan has the same flows and
    // pools: only their dates differ; `reset` fits the state to the path's plan all the same).
    let (mut work, mut cents_work) = (plan.path_state(), cents_work_of(plan));
    let mut fused = other.and_then(|other| Fused::of(other, plan.years()));
    // Each year's payment on the current path, for its present value: cents on the fast path.
    let (mut paid_cents, mut paid_exact) = (vec![0i128; plan.years()], vec![Decimal::ZERO; plan.years()]);
    let mut pending = accumulate::Pending::new(plan.years());
    let count = CHUNK.min(paths - chunk * CHUNK);
    let whole = plan;
    for _ in 0..count {
        let (plan, other) = path_plans(whole, other, &mut rng);
        let fast = plan.cents.is_some() && cents_work.is_some();
        let done = match (&plan.cents, &mut cents_work) {
            // The fast path: amounts stay in cents from the loop into the sketches.
            (Some(cents), Some(cents_work)) => {
                match other.and_then(|o| o.cents.as_ref()).zip(fused.as_mut()).filter(|_| FUSED) {
                    None => {
                        let mut last = 0i128;
                        let done = cents.path(
                            &mut rng,
                            cents_work,
                            &mut |t, [revenue, microsoft], paid, cumulative, reached| {
                                pending.record(acc, t, [revenue, microsoft, paid, cumulative], reached);
                                paid_cents[t] = paid;
                                last = cumulative;
                            },
                        );
                        pending.total(acc, last);
                        done
                    }
                    Some(other) => {
                        let (cents_work, paid) = (&mut *cents_work, &mut paid_cents);
                        fused_path(
                            cents,
                            other,
                            &mut rng,
                            cents_work,
                            (acc, &mut pending),
                            paid,
                            &whole.discount,
                        )
                    }
                }
            }
            _ => {
                let mut last = Decimal::ZERO;
                let done = plan.decimal_path(
                    &mut rng,
                    &mut work,
                    |t, [revenue, microsoft], paid, cumulative, reached| {
                        acc.record(t, [revenue, microsoft, paid, cumulative], reached, Sketch::insert);
                        paid_exact[t] = paid;
                        last = cumulative;
                    },
                );
                acc.total.insert(last);
                done
            }
        };
        if let (Some(discount), Some(())) = (&plan.discount, done) {
            record_path_value(&mut acc.present_value, discount, fast.then_some(&paid_cents[..]), &paid_exact);
        }
        if done.is_none() {
            acc.overflowed = true;
            break;
        }
    }
    pending.flush(acc);
    count
}

/// The plans a path follows. With weighted scenarios or probability-weighted AGI, the path
/// first draws its scenario, then its outcome (and only then: a scenario without either draws
/// exactly as before); a fused other agreement takes the outcome of the same draw.
#[inline(always)]
fn path_plans<'a>(
    whole: &'a Plan,
    other: Option<&'a Plan>,
    rng: &mut ChaCha8Rng,
) -> (&'a Plan, Option<&'a Plan>) {
    let (mut plan, mut other) = (whole, other);
    while plan.draws_agi() {
        let u = rand::RngExt::random::<u64>(rng);
        (plan, other) = (plan.outcome(u), other.map(|o| o.outcome(u)));
    }
    (plan, other)
}

/// `cents.path` of a fused run: one path in cents into the batch (its payments into
/// `paid_cents`) and each period's nets here and under the other agreement into `fused.nets`,
/// then its gain into the tally.
#[inline(always)]
fn fused_path(
    cents: &CentsPlan,
    (other, fused): (&CentsPlan, &mut Fused),
    rng: &mut ChaCha8Rng,
    work: &mut CentsWork,
    (acc, pending): (&mut Accumulator, &mut accumulate::Pending),
    paid_cents: &mut [i128],
    discount: &Option<Vec<(Decimal, f64)>>,
) -> Option<()> {
    let mut last = 0i128;
    other.start(&mut fused.work);
    fused.nets.clear();
    let mut ok = !fused.failed;
    let mut record = |t: usize, [revenue, microsoft]: [i128; 2], paid, cumulative, reached| {
        pending.record(acc, t, [revenue, microsoft, paid, cumulative], reached);
        paid_cents[t] = paid;
        last = cumulative;
    };
    let done = cents.path_with(rng, work, &mut record, |t, both, totals| {
        if ok {
            let own = totals.net();
            match (own, other.net_at(&mut fused.work, t, both)) {
                (Some(own), Some(there)) => fused.nets.push((own, there)),
                _ => ok = false,
            }
        }
    });
    fused.failed |= !ok;
    pending.total(acc, last);
    if let (Some(tally), Some(discount)) = (&mut acc.against, discount) {
        tally_gain(fused, tally, discount, done);
    }
    done
}

/// A fused path's gain into the tally, as `against::run_against` adds it; a path whose other
/// side overflowed fails the other's result (this run's goes on).
fn tally_gain(
    fused: &mut Fused,
    tally: &mut super::against::Tally,
    discount: &[(Decimal, f64)],
    done: Option<()>,
) {
    if done.is_none() || tally.overflowed {
        return;
    }
    match super::against::gain_of(&fused.nets, discount).filter(|_| !fused.failed) {
        Some(gain) => tally.add(&gain),
        None => (fused.failed, tally.overflowed) = (true, true),
    }
}
