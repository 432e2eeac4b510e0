//! Running totals of a set of paths: a sketch per year for revenue, paid and cumulative paid,
//! cap counts and totals. Merging two is exact (integer bins, exact sums), so results do not
//! depend on how paths were split across threads.

use super::*;

/// Running totals for a set of paths.
#[derive(Debug, Clone)]
pub(super) struct Accumulator {
    pub(super) revenue: Vec<Sketch>,
    /// Empty when Microsoft's revenue is the same on every path (its percentiles are its path).
    pub(super) microsoft_revenue: Vec<Sketch>,
    pub(super) paid: Vec<Sketch>,
    pub(super) cumulative: Vec<Sketch>,
    pub(super) cap_reached: Vec<u64>,
    pub(super) total: Sketch,
    /// Present value of each path's payments to Microsoft.
    pub(super) present_value: Sketch,
    pub(super) overflowed: bool,
    /// Stopped by Ctrl-C before every chunk ran.
    pub(super) interrupted: bool,
}

impl Accumulator {
    pub(super) fn new(years: usize, microsoft_drawn: bool) -> Self {
        Accumulator {
            revenue: vec![Sketch::default(); years],
            microsoft_revenue: if microsoft_drawn { vec![Sketch::default(); years] } else { Vec::new() },
            paid: vec![Sketch::default(); years],
            cumulative: vec![Sketch::default(); years],
            cap_reached: vec![0; years],
            total: Sketch::default(),
            present_value: Sketch::default(),
            overflowed: false,
            interrupted: false,
        }
    }

    /// One path-year: both revenues, paid and cumulative paid into their sketches, and the cap.
    #[inline]
    pub(super) fn record<T>(
        &mut self,
        t: usize,
        [revenue, microsoft_revenue, paid, cumulative]: [T; 4],
        reached: bool,
        insert: fn(&mut Sketch, T),
    ) {
        insert(&mut self.revenue[t], revenue);
        if let Some(sketch) = self.microsoft_revenue.get_mut(t) {
            insert(sketch, microsoft_revenue);
        }
        insert(&mut self.paid[t], paid);
        insert(&mut self.cumulative[t], cumulative);
        self.cap_reached[t] += u64::from(reached);
    }

    pub(super) fn merge(mut self, other: Accumulator) -> Self {
        for t in 0..self.revenue.len() {
            self.revenue[t].merge(&other.revenue[t]);
            if let (Some(a), Some(b)) = (self.microsoft_revenue.get_mut(t), other.microsoft_revenue.get(t)) {
                a.merge(b);
            }
            self.paid[t].merge(&other.paid[t]);
            self.cumulative[t].merge(&other.cumulative[t]);
            self.cap_reached[t] += other.cap_reached[t];
        }
        self.total.merge(&other.total);
        self.present_value.merge(&other.present_value);
        self.overflowed |= other.overflowed;
        self.interrupted |= other.interrupted;
        self
    }
}
