//! The revenue-share rule, compiled once per run and evaluated once per period by everything
//! that needs it: `simulate` (which also keeps a trace), Monte Carlo's exact `Decimal` loop and
//! its integer-cents loop. Compiling works out what does not depend on revenue (days in force,
//! Σ rate × days, whether the clause has started, the cap room left by prior payments);
//! `evaluate_period` applies the rule to one period's revenue: each share's due from its base,
//! then `paid = min(due, cap room)`, the room shrinking by what is paid. The rule is generic over
//! the number it runs on (`Amount`) and how a due is made from revenue (`DueRule`), so the exact
//! run and the fast path cannot drift apart in the cap logic.

use super::{in_force, InForce};
use crate::agreement::{due_on, tiered_due, Agreement, Clause, RevenueShare, RevenueStream, Tier};
use crate::ledger::SimError;
use crate::scenario::Scenario;
use rust_decimal::Decimal;

/// A number the share rule runs on: exact `Decimal`, or whole cents in `i128`.
pub trait Amount: Copy + Ord {
    const ZERO: Self;
    fn checked_add(self, other: Self) -> Option<Self>;
    /// `self − other` for `other ≤ self` (what is left of a cap room after a payment).
    fn minus(self, other: Self) -> Self;
}

impl Amount for Decimal {
    const ZERO: Self = Decimal::ZERO;
    #[inline]
    fn checked_add(self, other: Self) -> Option<Self> {
        Decimal::checked_add(self, other)
    }
    #[inline]
    fn minus(self, other: Self) -> Self {
        self - other
    }
}

impl Amount for i128 {
    const ZERO: Self = 0;
    #[inline]
    fn checked_add(self, other: Self) -> Option<Self> {
        i128::checked_add(self, other)
    }
    #[inline]
    fn minus(self, other: Self) -> Self {
        self - other
    }
}

/// How a compiled share turns one period's revenue stream into its due (before any cap).
/// `terms` are what a Monte Carlo path draws for itself (a rate), `()` where nothing is drawn.
pub trait DueRule<A> {
    type PathTerms: Copy;
    fn due(&self, t: usize, stream: A, terms: Self::PathTerms) -> Option<A>;
}

/// One revenue share compiled for a run: who pays, what it is a share of, when it has started,
/// what its cap allows, and `rule`, which makes each period's due.
#[derive(Debug, Clone)]
pub struct ShareSchedule<A, R> {
    /// Its index in the agreement's clauses.
    pub clause: usize,
    pub to_microsoft: bool,
    pub openai_stream: bool,
    /// Per period: whether the share has been in force on any day up to its end (a cap is
    /// reached only once its clause exists, even when prior payments already fill it).
    pub started: Vec<bool>,
    /// The cap, and what counts toward it before the run (the scenario's prior payments).
    pub cap: Option<A>,
    pub prior: A,
    pub rule: R,
}

impl<A: Amount, R> ShareSchedule<A, R> {
    /// What the cap allows before the first period: `cap − prior`, not below zero (`cap` may be
    /// replaced by one drawn for a Monte Carlo path). `None` when uncapped.
    #[inline]
    pub fn room_at_start(&self, cap: Option<A>) -> Option<A> {
        self.cap.map(|own| {
            let cap = cap.unwrap_or(own);
            if cap > self.prior {
                cap.minus(self.prior)
            } else {
                A::ZERO
            }
        })
    }
}

/// One share in one period, as `evaluate_period` worked it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Evaluated<A> {
    pub due: A,
    pub room_before: Option<A>,
    pub paid: A,
    pub room_after: Option<A>,
    /// The share has started and its cap has no room left.
    pub cap_reached: bool,
}

/// What one period pays, over all shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodTotals<A> {
    pub paid_to_microsoft: A,
    /// Whether a capped OpenAI→Microsoft share has reached its cap by the period's end.
    pub cap_reached: bool,
}

/// The rule for one period `t`: each share's due on its stream, then `paid = min(due, room)`,
/// and the room shrinks by what is paid. `rooms` carries each share's room from period to
/// period; `each(k, evaluated)` sees every share (the engine's trace; Monte Carlo ignores it).
/// `None` on overflow.
#[inline]
pub fn evaluate_period<A: Amount, R: DueRule<A>>(
    shares: &[ShareSchedule<A, R>],
    rooms: &mut [Option<A>],
    t: usize,
    [openai, microsoft]: [A; 2],
    terms: R::PathTerms,
    mut each: impl FnMut(usize, Evaluated<A>),
) -> Option<PeriodTotals<A>> {
    let mut totals = PeriodTotals { paid_to_microsoft: A::ZERO, cap_reached: false };
    for (k, (share, room)) in shares.iter().zip(rooms.iter_mut()).enumerate() {
        let stream = if share.openai_stream { openai } else { microsoft };
        let due = share.rule.due(t, stream, terms)?;
        let room_before = *room;
        let paid = room_before.map_or(due, |r| due.min(r));
        *room = room_before.map(|r| r.minus(paid));
        let cap_reached = share.started[t] && *room == Some(A::ZERO);
        if share.to_microsoft {
            totals.paid_to_microsoft = totals.paid_to_microsoft.checked_add(paid)?;
            totals.cap_reached |= cap_reached;
        }
        each(k, Evaluated { due, room_before, paid, room_after: *room, cap_reached });
    }
    Some(totals)
}

/// How a share's rate applies, compiled per period.
#[derive(Debug, Clone)]
pub enum CompiledRate {
    /// Linear in the base: per period, Σ rate × days in force (a schedule's segments).
    RateDays(Vec<Decimal>),
    /// Marginal tiers (and the rate below the first): not linear, so days and the year's days
    /// are kept for `tiered_due`.
    Tiered { below_first: Decimal, tiers: Vec<Tier> },
}

/// The exact due rule: `RevenueShare::due`'s arithmetic with what does not depend on revenue
/// worked out once. Also what the engine's trace reads (days, segments).
#[derive(Debug, Clone)]
pub struct ExactDue {
    pub force: InForce,
    pub fraction: Decimal,
    pub rate: CompiledRate,
    /// Per period: `(rate, days)` in date order where a schedule changes the rate inside it
    /// (empty where one rate covers the days in force).
    pub segments: Vec<Vec<(Decimal, i64)>>,
    pub days: Vec<i64>,
    pub period_days: Vec<i64>,
    pub year_days: Vec<i64>,
}

impl ExactDue {
    /// The share's base: its stream times its fraction. Not rounded: the rule rounds once, at
    /// the due (a rounded base would move a cent).
    #[inline]
    pub fn base(&self, stream: Decimal) -> Option<Decimal> {
        if self.fraction == Decimal::ONE {
            Some(stream)
        } else {
            stream.checked_mul(self.fraction)
        }
    }

    /// The due of period `t` on `base`: `round(base × Σ rate × days / n)`, or the tiered rule.
    #[inline]
    pub fn due_of_base(&self, t: usize, base: Decimal) -> Option<Decimal> {
        match &self.rate {
            CompiledRate::RateDays(rate_days) => due_on(base, rate_days[t], self.period_days[t]),
            CompiledRate::Tiered { below_first, tiers } => {
                tiered_due(base, *below_first, tiers, self.days[t], self.period_days[t], self.year_days[t])
            }
        }
    }
}

impl DueRule<Decimal> for ExactDue {
    type PathTerms = ();
    #[inline]
    fn due(&self, t: usize, stream: Decimal, _: ()) -> Option<Decimal> {
        self.due_of_base(t, self.base(stream)?)
    }
}

/// The exact schedule of every revenue share in `agreement`, in clause order.
pub type ExactSchedule = ShareSchedule<Decimal, ExactDue>;

/// Compiles every revenue share of `agreement` for `scenario`'s periods. An error only when
/// Σ rate × days overflows (rates above any real one).
pub fn compile_shares(agreement: &Agreement, scenario: &Scenario) -> Result<Vec<ExactSchedule>, SimError> {
    agreement
        .clauses
        .iter()
        .enumerate()
        .filter_map(|(k, clause)| match clause {
            Clause::RevenueShare(share) => Some(compile_share(agreement, scenario, k, share)),
            _ => None,
        })
        .collect()
}

fn compile_share(
    agreement: &Agreement,
    scenario: &Scenario,
    clause: usize,
    share: &RevenueShare,
) -> Result<ExactSchedule, SimError> {
    let force = in_force(agreement, &agreement.clauses[clause], scenario);
    let periods = &scenario.periods;
    let days: Vec<i64> = periods.iter().map(|p| force.days_in(p)).collect();
    // A flat rate has one segment (rate × days in force): no list to build per period. Only a
    // schedule's periods are split, and only those split in two or more are kept for the trace.
    let segments: Vec<Vec<(Decimal, i64)>> = match &share.schedule {
        None => vec![Vec::new(); periods.len()],
        Some(_) => periods.iter().map(|p| share.segments(force.first, force.last, p)).collect(),
    };
    let rate = match &share.tiers {
        Some(tiers) => CompiledRate::Tiered { below_first: share.rate.value, tiers: tiers.value.clone() },
        None => CompiledRate::RateDays(
            segments
                .iter()
                .zip(&days)
                .zip(periods)
                .map(|((segments, days), p)| {
                    let rate_days = match share.schedule {
                        None => share.rate.value.checked_mul(Decimal::from(*days)),
                        Some(_) => crate::agreement::rate_days(segments),
                    };
                    rate_days
                        .ok_or_else(|| SimError::Overflow { figure: "rate × days", period: p.label.clone() })
                })
                .collect::<Result<_, _>>()?,
        ),
    };
    let segments = segments.into_iter().map(|s| if s.len() > 1 { s } else { Vec::new() }).collect();
    Ok(ShareSchedule {
        clause,
        to_microsoft: share.openai_pays_microsoft(),
        openai_stream: share.base.value.stream == RevenueStream::OpenaiRevenue,
        started: days
            .iter()
            .scan(false, |started, d| {
                *started |= *d > 0;
                Some(*started)
            })
            .collect(),
        cap: share.cap.as_ref().map(|c| c.value.amount()),
        prior: if share.cap.is_some() { scenario.prior_payments_toward_cap } else { Decimal::ZERO },
        rule: ExactDue {
            force,
            fraction: share.base.value.fraction,
            rate,
            segments,
            days,
            period_days: periods.iter().map(|p| p.days()).collect(),
            year_days: periods.iter().map(|p| p.year_days()).collect(),
        },
    })
}
