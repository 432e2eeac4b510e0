//! The cash rule applied to one period of a compiled `Plan`: each flow's due (by its `Due`
//! shape, never by the kind of clause it came from), then `paid = min(due, pool room)`, the room
//! shrinking by what is paid. Generic over the number it runs on (`Amount`: exact `Decimal`, or
//! whole cents) and how a revenue flow's due is made from its stream (`DueRule`), so `simulate`,
//! Monte Carlo's `Decimal` loop and its cents loop run this one function.

use crate::agreement::plan::{Due, Plan, When};
use rust_decimal::Decimal;

/// A number the rule runs on: exact `Decimal`, or whole cents in `i128`.
pub trait Amount: Copy + Ord + Default + std::ops::Sub<Output = Self> {
    const ZERO: Self;
    fn checked_add(self, other: Self) -> Option<Self>;
    fn checked_sub(self, other: Self) -> Option<Self>;
    /// `self × n` for a whole number `n` (thresholds scaled by days).
    fn checked_mul_int(self, n: i64) -> Option<Self>;
}

impl Amount for Decimal {
    const ZERO: Self = Decimal::ZERO;
    #[inline]
    fn checked_add(self, other: Self) -> Option<Self> {
        Decimal::checked_add(self, other)
    }
    #[inline]
    fn checked_sub(self, other: Self) -> Option<Self> {
        Decimal::checked_sub(self, other)
    }
    #[inline]
    fn checked_mul_int(self, n: i64) -> Option<Self> {
        self.checked_mul(Decimal::from(n))
    }
}

impl Amount for i128 {
    const ZERO: Self = 0;
    #[inline]
    fn checked_add(self, other: Self) -> Option<Self> {
        i128::checked_add(self, other)
    }
    #[inline]
    fn checked_sub(self, other: Self) -> Option<Self> {
        i128::checked_sub(self, other)
    }
    #[inline]
    fn checked_mul_int(self, n: i64) -> Option<Self> {
        self.checked_mul(i128::from(n))
    }
}

/// How a revenue flow turns one period's stream into its due (before any cap). `PathTerms` are
/// what a Monte Carlo path draws for itself (a rate), `()` where nothing is drawn.
pub trait DueRule<A> {
    type PathTerms: Copy;
    fn due(&self, t: usize, stream: A, terms: Self::PathTerms) -> Option<A>;
}

impl DueRule<Decimal> for crate::agreement::plan::ExactDue {
    type PathTerms = ();
    #[inline]
    fn due(&self, t: usize, stream: Decimal, _: ()) -> Option<Decimal> {
        crate::agreement::plan::ExactDue::due(self, t, stream)
    }
}

/// What carries from one period to the next on one path: each pool's room, and per flow what it
/// has paid so far, what it tracks for a trigger (a stream's running total) and whether it has
/// fired (a milestone). Allocated once and `reset` per path, so a hot loop allocates nothing.
#[derive(Debug, Clone)]
pub struct State<A> {
    pub rooms: Vec<A>,
    pub paid_so_far: Vec<A>,
    pub tracked: Vec<A>,
    pub fired: Vec<bool>,
    /// What each flow paid in the current period (what a top-up reads).
    pub now: Vec<A>,
}

impl<A: Amount> State<A> {
    pub fn new<R>(plan: &Plan<A, R>, drawn_cap: Option<A>) -> State<A> {
        let mut state = State {
            rooms: Vec::with_capacity(plan.pools.len()),
            paid_so_far: vec![A::ZERO; plan.flows.len()],
            tracked: vec![A::ZERO; plan.flows.len()],
            fired: vec![false; plan.flows.len()],
            now: vec![A::ZERO; plan.flows.len()],
        };
        state.reset(plan, drawn_cap);
        state
    }

    /// Back to the start of a run of `plan` (sized to it); `drawn_cap` replaces the amount of the
    /// pools that take one.
    #[inline]
    pub fn reset<R>(&mut self, plan: &Plan<A, R>, drawn_cap: Option<A>) {
        self.rooms.clear();
        self.rooms.extend(plan.pools.iter().map(|p| p.room_at_start(drawn_cap)));
        let n = plan.flows.len();
        for values in [&mut self.paid_so_far, &mut self.tracked, &mut self.now] {
            values.clear();
            values.resize(n, A::ZERO);
        }
        self.fired.clear();
        self.fired.resize(n, false);
    }
}

/// One flow in one period, as `evaluate_period` worked it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Evaluated<A> {
    pub due: A,
    /// Its pool's room before and after it drew (`None`: it draws on no pool).
    pub room_before: Option<A>,
    pub paid: A,
    pub room_after: Option<A>,
    /// Its pool has started and has no room left.
    pub pool_reached: bool,
}

/// What one period pays, over all flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PeriodTotals<A> {
    /// Every payment to Microsoft (shares, top-ups, fixed, milestones, shortfalls).
    pub paid_to_microsoft: A,
    pub paid_to_openai: A,
    /// Purchases under purchase commitments: reported apart, never a payment.
    pub purchases: A,
    /// Whether a pool holding an OpenAI→Microsoft revenue share is reached by the period's end.
    pub cap_reached: bool,
}

impl<A: Amount> PeriodTotals<A> {
    /// Microsoft's net for the period: every payment to it minus every payment by it. `None` on
    /// overflow.
    #[inline(always)]
    pub fn net(&self) -> Option<A> {
        self.paid_to_microsoft.checked_sub(self.paid_to_openai)
    }
}

/// The rule for period `t`: each flow's due from its shape, then `paid = min(due, room)`; `each(k,
/// evaluated)` sees every flow (the engine's trace; Monte Carlo ignores it). `streams` are the
/// period's revenue streams in the scenario's order. `None` on overflow. Always inlined: each
/// loop that calls it (the engine's, Monte Carlo's two) is its hot path.
#[inline(always)]
pub fn evaluate_period<A: Amount, R: DueRule<A>>(
    plan: &Plan<A, R>,
    state: &mut State<A>,
    t: usize,
    streams: &[A],
    terms: R::PathTerms,
    mut each: impl FnMut(usize, Evaluated<A>),
) -> Option<PeriodTotals<A>> {
    let mut totals = PeriodTotals {
        paid_to_microsoft: A::ZERO,
        paid_to_openai: A::ZERO,
        purchases: A::ZERO,
        cap_reached: false,
    };
    for (k, flow) in plan.flows.iter().enumerate() {
        let due = match &flow.due {
            Due::Revenue { stream, rule } => rule.due(t, *streams.get(*stream)?, terms)?,
            Due::Fixed(amounts) => amounts[t],
            Due::TopUp { minimum, of } => {
                let mut paid = A::ZERO;
                for i in of {
                    paid = paid.checked_add(state.now[*i])?;
                }
                if minimum[t] > paid {
                    minimum[t] - paid
                } else {
                    A::ZERO
                }
            }
            Due::Milestone { amount, when } => {
                if !state.fired[k] && milestone_holds(when, t, streams, &mut state.tracked[k])? {
                    state.fired[k] = true;
                    *amount
                } else {
                    A::ZERO
                }
            }
            Due::Shortfall { commitment, of, period } => {
                let bought = state.paid_so_far[*of];
                if *period == Some(t) && *commitment > bought {
                    *commitment - bought
                } else {
                    A::ZERO
                }
            }
        };
        let room_before = flow.pool.map(|p| state.rooms[p]);
        let paid = room_before.map_or(due, |room| due.min(room));
        let room_after = match flow.pool {
            Some(p) => {
                state.rooms[p] = state.rooms[p] - paid;
                Some(state.rooms[p])
            }
            None => None,
        };
        // Looked up with `get`, which cannot panic: a loop whose `each` ignores it (Monte Carlo's)
        // then drops the lookup, where an index would stay for its bounds check.
        let started = flow.pool.and_then(|p| plan.pools.get(p)).and_then(|pool| pool.started.get(t));
        let pool_reached = started == Some(&true) && room_after == Some(A::ZERO);
        state.now[k] = paid;
        state.paid_so_far[k] = state.paid_so_far[k].checked_add(paid)?;
        if !flow.category.is_payment() {
            totals.purchases = totals.purchases.checked_add(paid)?;
        } else if flow.to_microsoft() {
            totals.paid_to_microsoft = totals.paid_to_microsoft.checked_add(paid)?;
        } else {
            totals.paid_to_openai = totals.paid_to_openai.checked_add(paid)?;
        }
        each(k, Evaluated { due, room_before, paid, room_after, pool_reached });
    }
    totals.cap_reached = plan
        .pools
        .iter()
        .zip(&state.rooms)
        .any(|(p, room)| p.holds_share_to_microsoft && p.started[t] && *room == A::ZERO);
    Some(totals)
}

/// Whether a milestone's trigger holds in period `t`; `tracked` is its running total.
#[inline]
fn milestone_holds<A: Amount>(when: &When<A>, t: usize, streams: &[A], tracked: &mut A) -> Option<bool> {
    Some(match when {
        When::Period(period) => *period == Some(t),
        When::StreamReaches { stream, threshold, days, active } => {
            let (period_days, year_days) = days[t];
            active[t]
                && streams.get(*stream)?.checked_mul_int(year_days)?
                    >= threshold.checked_mul_int(period_days)?
        }
        When::CumulativeReaches { stream, threshold, active } => {
            if active[t] {
                *tracked = tracked.checked_add(*streams.get(*stream)?)?;
            }
            active[t] && *tracked >= *threshold
        }
    })
}
