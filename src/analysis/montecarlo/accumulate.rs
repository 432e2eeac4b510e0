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
    /// A fused `--against` run's tally of Microsoft's gain (`against::run_fused`).
    pub(super) against: Option<super::against::Tally>,
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
            against: None,
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
        self.against = match (self.against, other.against) {
            (Some(a), Some(b)) => Some(a.merge(b)),
            (a, b) => a.or(b),
        };
        self
    }
}

/// Path-years recorded in cents and not yet in their sketches: each sketch's amounts side by
/// side, put in a batch at a time (`Sketch::insert_cents_batch`), so one sketch's bins are hot at
/// a time and the insert's loads and count are hoisted out of the loop. Sketches count and keep
/// extremes, so the order values arrive in changes nothing.
pub(super) struct Pending {
    /// Per year: OpenAI's revenue, Microsoft's, paid, cumulative paid; then the path totals.
    lists: Vec<Vec<i64>>,
    years: usize,
}

/// Paths per batch: 256 paths × 10 years × 4 figures of `i64` is 80 KB, within a core's cache.
const BATCH: usize = 256;

impl Pending {
    pub(super) fn new(years: usize) -> Pending {
        Pending { lists: (0..4 * years + 1).map(|_| Vec::with_capacity(BATCH)).collect(), years }
    }

    /// One amount for `sketches[t]`, kept in `list`; an amount past `i64` goes straight in. The
    /// sketch is found only then: a `&mut sketches[t]` argument would be bounds-checked on
    /// every push.
    #[inline(always)]
    fn push(list: &mut Vec<i64>, sketches: &mut [Sketch], t: usize, cents: i128) {
        match crate::analysis::sketch::narrow_i64(cents) {
            Some(c) => list.push(c),
            None => sketches[t].insert_cents(cents),
        }
    }

    /// `Accumulator::record` of one path-year in cents, its amounts kept for the batch.
    #[inline(always)]
    pub(super) fn record(&mut self, acc: &mut Accumulator, t: usize, figures: [i128; 4], reached: bool) {
        let [revenue, microsoft, paid, cumulative] = figures;
        let lists = &mut self.lists[4 * t..4 * t + 4];
        Pending::push(&mut lists[0], &mut acc.revenue, t, revenue);
        if !acc.microsoft_revenue.is_empty() {
            Pending::push(&mut lists[1], &mut acc.microsoft_revenue, t, microsoft);
        }
        Pending::push(&mut lists[2], &mut acc.paid, t, paid);
        Pending::push(&mut lists[3], &mut acc.cumulative, t, cumulative);
        acc.cap_reached[t] += u64::from(reached);
    }

    /// A path's total paid, kept for the batch; the batch put in when it is full.
    #[inline]
    pub(super) fn total(&mut self, acc: &mut Accumulator, cents: i128) {
        Pending::push(&mut self.lists[4 * self.years], std::slice::from_mut(&mut acc.total), 0, cents);
        if self.lists[4 * self.years].len() >= BATCH {
            self.flush(acc);
        }
    }

    /// Every kept amount into its sketch.
    pub(super) fn flush(&mut self, acc: &mut Accumulator) {
        for (t, figures) in self.lists.chunks_mut(4).enumerate() {
            let sketches: [Option<&mut Sketch>; 4] = match t < self.years {
                true => [
                    Some(&mut acc.revenue[t]),
                    acc.microsoft_revenue.get_mut(t),
                    Some(&mut acc.paid[t]),
                    Some(&mut acc.cumulative[t]),
                ],
                false => [Some(&mut acc.total), None, None, None],
            };
            for (list, sketch) in figures.iter_mut().zip(sketches) {
                if let Some(sketch) = sketch {
                    sketch.insert_cents_batch(list);
                }
                list.clear();
            }
        }
    }
}
