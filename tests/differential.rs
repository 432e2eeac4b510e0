//! Differential test: an independent implementation of the rules as the book's "The rules" states
//! them, written from the text and not from the engine, run against `simulate` and Monte Carlo
//! over random scenarios. They must agree to the cent on every row.
//!
//! The model shares no code with the engine beyond reading the built-in agreements' data: it
//! applies the scenario's assumptions and overrides itself (assumptions to every clause of a kind,
//! then overrides to one clause), works out each clause's days in force itself (own start or the
//! effective date, inclusive end, the AGI trigger ending it the day before), and does the money in
//! exact integer fractions (i128), rounding once to the cent, half away from zero.

use crate::common::{any_date, date, scenario};
use chrono::NaiveDate;
use dealsim::agreement::{builtin, Agreement, Clause, ClauseOverride, Party, RevenueStream, Trigger};
use dealsim::analysis::montecarlo;
use dealsim::period::Period;
use dealsim::scenario::Granularity;
use dealsim::{simulate, Scenario};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// An exact fraction `num / den`, from a decimal's mantissa and scale.
#[derive(Debug, Clone, Copy)]
struct Exact {
    num: i128,
    den: i128,
}

impl Exact {
    fn of(value: Decimal) -> Exact {
        Exact { num: value.mantissa(), den: 10i128.pow(value.scale()) }
    }

    fn int(value: i128) -> Exact {
        Exact { num: value, den: 1 }
    }

    /// The same fraction with the common powers of ten (and twos and fives) taken out, so sums
    /// over many days stay small.
    fn reduce(self) -> Exact {
        let (mut num, mut den) = (self.num, self.den);
        for p in [10, 5, 2] {
            while num % p == 0 && den % p == 0 {
                num /= p;
                den /= p;
            }
        }
        Exact { num, den }
    }

    fn times(self, other: Exact) -> Exact {
        Exact { num: self.num * other.num, den: self.den * other.den }
    }

    /// To whole cents, half away from zero (all amounts here are non-negative).
    fn cents(self) -> i128 {
        let (num, den) = (self.num * 100, self.den);
        assert!(num >= 0 && den > 0);
        (2 * num + den) / (2 * den)
    }
}

fn dollars(cents: i128) -> Decimal {
    Decimal::from_i128_with_scale(cents, 2)
}

fn cents_of(value: Decimal) -> i128 {
    let exact = Exact::of(value);
    assert_eq!((exact.num * 100) % exact.den, 0, "{value} is not whole cents");
    exact.num * 100 / exact.den
}

/// One revenue share as the model reads it after the scenario's assumptions and overrides.
#[derive(Debug)]
struct ModelShare {
    openai_to_microsoft: bool,
    on_openai_revenue: bool,
    rate: Decimal,
    /// Rate steps: from each day on, its rate (the book's "Rate schedules").
    steps: Vec<(NaiveDate, Decimal)>,
    fraction: Decimal,
    cap: Option<Decimal>,
    first: NaiveDate,
    last: Option<NaiveDate>,
}

/// the book's "Assumptions, then overrides" and "Each clause on its own dates", applied by hand.
fn model_shares(base: &Agreement, s: &Scenario) -> Vec<ModelShare> {
    let t = &s.terms;
    let effective = t.effective_date.unwrap_or(base.effective.value);
    let mut out = Vec::new();
    for clause in &base.clauses {
        let Clause::RevenueShare(share) = clause else { continue };
        let openai_to_microsoft = share.payer == Party::OpenAi && share.payee == Party::Microsoft;
        let on_openai_revenue = share.base.value.stream == RevenueStream::OpenaiRevenue;
        let capped_as_written = share.cap.is_some();
        let mut rate = share.rate.value;
        let mut steps: Vec<(NaiveDate, Decimal)> =
            share.schedule.iter().flat_map(|s| &s.value).map(|st| (st.from, st.rate)).collect();
        if let (Some(r), true) = (t.share_rate, openai_to_microsoft) {
            // A rate is flat: it replaces a schedule too.
            rate = r;
            steps.clear();
        }
        let mut fraction = share.base.value.fraction;
        if let (Some(f), true) = (t.share_base, on_openai_revenue) {
            fraction = f;
        }
        let mut cap = share.cap.as_ref().map(|c| c.value.amount());
        if let (Some(c), true) = (t.cap, capped_as_written) {
            cap = Some(c);
        }
        let mut start = share.start.as_ref().map(|d| d.value);
        if let (Some(d), true) = (t.cap_counts_from, capped_as_written) {
            start = Some(d);
        }
        let mut end = share.end.value;
        for o in t.clause_overrides.iter().filter(|o| o.clause() == share.id) {
            match o {
                ClauseOverride::Rate { rate: r, .. } => {
                    rate = *r;
                    steps.clear();
                }
                ClauseOverride::Schedule { steps: st, .. } => {
                    steps = st.iter().map(|st| (st.from, st.rate)).collect();
                }
                ClauseOverride::Cap { amount, .. } => cap = Some(*amount),
                ClauseOverride::BaseFraction { fraction: f, .. } => fraction = *f,
                ClauseOverride::Start { date, .. } => start = Some(*date),
                ClauseOverride::End { date, .. } => end = *date,
                _ => {}
            }
        }
        let mut last = Some(end);
        if let (Some(_), Some(agi)) =
            (share.stops_on.as_ref().filter(|t| t.value == Trigger::AgiDeclared), s.agi_declared)
        {
            let day_before = agi.pred_opt().unwrap();
            last = Some(end.min(day_before));
        }
        out.push(ModelShare {
            openai_to_microsoft,
            on_openai_revenue,
            rate,
            steps,
            fraction,
            cap,
            first: start.unwrap_or(effective),
            last,
        });
    }
    out
}

/// Each day of `share`'s days in force inside `[from, to]`.
fn days_in_force(share: &ModelShare, from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    let lo = share.first.max(from);
    let hi = share.last.map_or(to, |l| l.min(to));
    lo.iter_days().take_while(move |d| *d <= hi)
}

/// Days of `[first, last]` inside `[from, to]`, both ends inclusive.
fn overlap(first: NaiveDate, last: Option<NaiveDate>, from: NaiveDate, to: NaiveDate) -> i128 {
    let lo = first.max(from);
    let hi = last.map_or(to, |l| l.min(to));
    if hi < lo {
        0
    } else {
        i128::from((hi - lo).num_days() + 1)
    }
}

#[derive(Debug, PartialEq)]
struct ModelRow {
    share_due: Decimal,
    share_paid: Decimal,
    microsoft_share_paid: Decimal,
    net_to_microsoft: Decimal,
    cumulative_paid: Decimal,
    cap_remaining: Option<Decimal>,
    cap_reached: bool,
}

/// the book's "Proration by days", "Rounding", "The cap binds exactly", "Prior payments".
fn model(base: &Agreement, s: &Scenario) -> Vec<ModelRow> {
    let shares = model_shares(base, s);
    let prior = cents_of(s.prior_payments_toward_cap);
    let mut counted: Vec<i128> = shares.iter().map(|sh| if sh.cap.is_some() { prior } else { 0 }).collect();
    let mut started = vec![false; shares.len()];
    let mut cumulative = 0i128;
    let mut rows = Vec::new();
    for (i, period) in s.periods.iter().enumerate() {
        let n = i128::from((period.end - period.start).num_days() + 1);
        let (mut due_om, mut paid_om, mut paid_mo) = (0i128, 0i128, 0i128);
        for (k, sh) in shares.iter().enumerate() {
            let revenue = if sh.on_openai_revenue { s.openai_revenue[i] } else { s.microsoft_revenue[i] };
            let d = overlap(sh.first, sh.last, period.start, period.end);
            started[k] |= d > 0;
            // Σ rate × days, day by day: the rate on a day is the last step on or before it.
            let rate_days = days_in_force(sh, period.start, period.end)
                .map(|day| sh.steps.iter().rev().find(|(from, _)| *from <= day).map_or(sh.rate, |(_, r)| *r))
                .fold(Exact::int(0), |acc, rate| {
                    let r = Exact::of(rate);
                    Exact { num: acc.num * r.den + r.num * acc.den, den: acc.den * r.den }.reduce()
                });
            let due = Exact::of(revenue)
                .times(Exact::of(sh.fraction))
                .times(rate_days)
                .times(Exact { num: 1, den: n })
                .cents();
            let paid = match sh.cap {
                Some(cap) => due.min((cents_of(cap) - counted[k]).max(0)),
                None => due,
            };
            counted[k] += paid;
            if sh.openai_to_microsoft {
                due_om += due;
                paid_om += paid;
            } else {
                paid_mo += paid;
            }
        }
        cumulative += paid_om;
        let capped: Vec<usize> =
            (0..shares.len()).filter(|&k| shares[k].openai_to_microsoft && shares[k].cap.is_some()).collect();
        let room = |k: usize| (cents_of(shares[k].cap.unwrap()) - counted[k]).max(0);
        rows.push(ModelRow {
            share_due: dollars(due_om),
            share_paid: dollars(paid_om),
            microsoft_share_paid: dollars(paid_mo),
            net_to_microsoft: dollars(paid_om - paid_mo),
            cumulative_paid: dollars(cumulative),
            cap_remaining: (!capped.is_empty()).then(|| dollars(capped.iter().map(|&k| room(k)).sum())),
            cap_reached: capped.iter().any(|&k| started[k] && room(k) == 0),
        });
    }
    rows
}

/// Money with sub-cent digits (tenths of a cent): 0 to 500B.
fn fine_money() -> impl Strategy<Value = Decimal> {
    (0i64..=500_000_000_000_000).prop_map(|mills| Decimal::new(mills, 3))
}

fn bp() -> impl Strategy<Value = Decimal> {
    (0i64..=10_000).prop_map(|bp| Decimal::new(bp, 4))
}

/// A random scenario under a random built-in agreement, with every assumption optional and up to
/// two clause overrides of revenue shares.
fn any_case() -> impl Strategy<Value = (String, Scenario)> {
    let assumptions = (
        prop::option::of(bp()),
        prop::option::of(bp()),
        prop::option::of((0i64..=200_000_000_000).prop_map(Decimal::from)),
        prop::option::of(any_date(2018, 2030)),
        prop::option::of(any_date(2019, 2031)),
        (0i64..=5_000_000_000_000).prop_map(|c| Decimal::new(c, 2)),
        prop::option::of(any_date(2019, 2036)),
    );
    let overrides = prop::collection::vec((0usize..4, 0u8..6, bp(), any_date(2019, 2036)), 0..=2);
    (
        prop::sample::select(vec!["revised", "restructured", "original"]),
        2016i32..=2034,
        1usize..=10,
        any::<bool>(),
        prop::collection::vec((fine_money(), fine_money()), 40),
        assumptions,
        overrides,
    )
        .prop_map(|(agreement, first, years, quarters, revenue, a, overrides)| {
            let mut s = scenario(first, vec![Decimal::ZERO; years]);
            if quarters {
                s.periods = (0..years)
                    .flat_map(|y| (1..=4).map(move |q| Period::quarter(first + y as i32, q).unwrap()))
                    .collect();
                s.granularity = Granularity::Quarters;
            }
            let n = s.periods.len();
            s.openai_revenue = revenue.iter().take(n).map(|r| r.0).collect();
            s.microsoft_revenue = revenue.iter().take(n).map(|r| r.1 / Decimal::TEN).collect();
            s.openai_growth = vec![dealsim::scenario::GrowthSource::Listed; n];
            (s.terms.share_rate, s.terms.share_base, s.terms.cap) = (a.0, a.1, a.2);
            (s.terms.cap_counts_from, s.terms.effective_date) = (a.3, a.4);
            (s.prior_payments_toward_cap, s.agi_declared) = (a.5, a.6);
            let ids: Vec<String> = builtin(agreement)
                .unwrap()
                .clauses
                .iter()
                .filter(|c| matches!(c, Clause::RevenueShare(_)))
                .map(|c| c.id().to_string())
                .collect();
            for (which, kind, value, day) in overrides {
                let clause = ids[which % ids.len()].clone();
                s.terms.clause_overrides.push(match kind {
                    0 => ClauseOverride::Rate { clause, rate: value },
                    5 => ClauseOverride::Schedule {
                        clause,
                        steps: vec![
                            dealsim::agreement::RateStep { from: day, rate: value },
                            dealsim::agreement::RateStep {
                                from: day + chrono::Duration::days(200),
                                rate: value / Decimal::TWO,
                            },
                        ],
                    },
                    1 => ClauseOverride::Cap { clause, amount: value * Decimal::from(10_000_000_000i64) },
                    2 => ClauseOverride::BaseFraction { clause, fraction: value },
                    3 => ClauseOverride::Start { clause, date: day },
                    _ => ClauseOverride::End { clause, date: day },
                });
            }
            (agreement.to_string(), s)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn the_engine_and_monte_carlo_agree_with_an_independent_model_of_the_rules_to_the_cent(
        (name, s) in any_case()
    ) {
        let base = builtin(&name).unwrap();
        // Assumptions that make no agreement (an end before its start) are refused, not modelled.
        let Ok(agreement) = s.terms.apply(&base, "differential") else { return Ok(()) };
        let ledger = simulate(&agreement, &s).unwrap();
        let expected = model(&base, &s);
        prop_assert_eq!(ledger.rows.len(), expected.len());
        for (row, want) in ledger.rows.iter().zip(&expected) {
            let got = ModelRow {
                share_due: row.share_due.value(),
                share_paid: row.share_paid.value(),
                microsoft_share_paid: row.microsoft_share_paid.value(),
                net_to_microsoft: row.net_to_microsoft.value(),
                cumulative_paid: row.cumulative_paid.value(),
                cap_remaining: row.cap_remaining.map(Decimal::from),
                cap_reached: row.cap_reached,
            };
            prop_assert_eq!(&got, want, "{} under {}", row.period.label, name);
        }
        // One Monte Carlo path of a scenario with nothing uncertain is the same ledger.
        let plan = montecarlo::Plan::new(&agreement, &s).unwrap();
        let mc = montecarlo::run(&plan, 1, 7, &|_| {}).unwrap();
        prop_assert_eq!(mc.years.len(), expected.len());
        for (year, want) in mc.years.iter().zip(&expected) {
            prop_assert_eq!(year.paid.p50, want.share_paid, "Monte Carlo {} under {}", year.period, name);
            prop_assert_eq!(year.cumulative_paid.p50, want.cumulative_paid);
        }
    }
}

#[test]
fn the_model_itself_reproduces_the_base_case_by_hand() {
    // 2026 under `revised`: 20% of 30B from 1 January = 6B; the cap (38B) binds in 2028.
    let s =
        scenario(2026, vec![30e9 as i64, 62e9 as i64, 113e9 as i64].into_iter().map(Decimal::from).collect());
    let rows = model(&builtin("revised").unwrap(), &s);
    let paid: Vec<Decimal> = rows.iter().map(|r| r.share_paid).collect();
    assert_eq!(
        paid,
        [Decimal::from(6_000_000_000i64), Decimal::from(12_400_000_000i64), Decimal::from(19_600_000_000i64)]
    );
    assert!(rows[2].cap_reached && !rows[1].cap_reached);
    assert_eq!(date(2026, 1, 1), model_shares(&builtin("revised").unwrap(), &s)[0].first);
}
