//! One Monte Carlo path in exact `Decimal`: its OpenAI revenue grown by its draws, each period
//! run through the agreement's compiled terms by the engine's `evaluate_period`.

use super::revenue::DecimalRevenue;
use super::Plan;
use crate::engine::evaluate::{evaluate_period, State};
use rust_decimal::Decimal;

impl Plan {
    /// A path's working state for the `Decimal` loop (allocated once per chunk).
    pub(super) fn path_state(&self) -> PathState {
        PathState {
            state: State::new(&self.terms, None),
            streams: self.streams.first().cloned().unwrap_or_default(),
        }
    }

    /// The working state of a path (`path` reuses it from path to path).
    pub fn work(&self) -> PathWork {
        PathWork { exact: self.path_state(), cents: self.cents.as_ref().map(|c| c.path_state()) }
    }

    /// Simulates one path, as `run` does (in cents where the plan can), calling `record(year,
    /// revenue, paid_to_microsoft, cumulative, cap_reached)`. `None` on overflow.
    pub fn path<R: rand::Rng>(
        &self,
        rng: &mut R,
        work: &mut PathWork,
        mut record: impl FnMut(usize, Decimal, Decimal, Decimal, bool),
    ) -> Option<()> {
        if let (Some(plan), Some(cents_work)) = (&self.cents, &mut work.cents) {
            let cents = |c: i128| Decimal::from_i128_with_scale(c, 2);
            return plan.path(rng, cents_work, &mut |t, [r, _], p, c, reached| {
                record(t, cents(r), cents(p), cents(c), reached)
            });
        }
        self.decimal_path(rng, &mut work.exact, |t, [r, _], p, c, reached| record(t, r, p, c, reached))
    }

    /// Simulates one path in the `Decimal` loop, calling `record(year, [OpenAI's revenue,
    /// Microsoft's], paid_to_microsoft, cumulative, cap_reached)`: what is paid to Microsoft
    /// counts every payment (shares, top-ups, fixed, milestones, shortfalls). `None` on overflow.
    #[inline]
    pub(super) fn decimal_path<R: rand::Rng>(
        &self,
        rng: &mut R,
        work: &mut PathState,
        mut record: impl FnMut(usize, [Decimal; 2], Decimal, Decimal, bool),
    ) -> Option<()> {
        work.state.reset(&self.terms, None);
        let mut revenue = DecimalRevenue::start(&self.revenues, rng);
        let mut cumulative = Decimal::ZERO;
        for t in 0..self.years() {
            let both = revenue.next(&self.revenues, t, rng)?;
            work.streams.clone_from(&self.streams[t]);
            work.streams[..2].copy_from_slice(&both);
            let period = evaluate_period(&self.terms, &mut work.state, t, &work.streams, (), |_, _| {})?;
            cumulative = cumulative.checked_add(period.paid_to_microsoft)?;
            record(t, both, period.paid_to_microsoft, cumulative, period.cap_reached);
        }
        Some(())
    }
}

/// What one path of the `Decimal` loop works in: the plan's state and the period's streams.
/// A path's working state, exact and in cents.
pub struct PathWork {
    exact: PathState,
    cents: Option<super::cents::CentsWork>,
}

pub(super) struct PathState {
    state: State<Decimal>,
    streams: Vec<Decimal>,
}
