//! A mergeable quantile sketch in bounded memory, for Monte Carlo: a log-linear histogram (the
//! float's exponent, then the top 8 bits of its mantissa), so every bin spans at most 1/256 of its
//! lower edge and an estimate taken at a bin's middle is within 0.2% of the true quantile. Counts
//! are integers, so merging is exact addition and results do not depend on how paths were split
//! across threads. Exact minimum and maximum are kept, and clamp every estimate: when all values
//! are equal, every percentile is exactly that value.

use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;

mod signed;
pub use signed::SignedSketch;

const SUB_BITS: u32 = 8;
const SUB: usize = 1 << SUB_BITS;
/// Smallest exponent kept (2^-8 ≈ 0.004: below a cent) and largest (2^60 ≈ 1.2e18).
const MIN_EXP: i64 = -8;
const MAX_EXP: i64 = 60;
const BINS: usize = ((MAX_EXP - MIN_EXP + 1) as usize) * SUB;
/// 2^MIN_EXP: values below it (under a cent) count as zero.
const SMALLEST: f64 = 1.0 / 256.0;

/// The stated bound on an estimate's relative error.
pub const RELATIVE_ERROR: f64 = 1.0 / (2.0 * SUB as f64);

#[derive(Debug, Clone)]
pub struct Sketch {
    zero: u64,
    /// Counts per bin; `u32` halves the memory walked per insert (runs are capped well below
    /// 2^32 paths, see `montecarlo::MAX_PATHS`).
    bins: Vec<u32>,
    count: u64,
    min: Option<Decimal>,
    max: Option<Decimal>,
    // Float shadows of min and max: the conversion is monotonic, so a value can only beat the
    // exact minimum if its float is at or below this; most inserts skip the exact comparison.
    min_f: f64,
    max_f: f64,
    /// Exact minimum and maximum of the values inserted in cents (`insert_cents`): `i128::MAX`
    /// and `i128::MIN` until one is (plain integers, so an insert is two branch-free compares).
    min_cents: i128,
    max_cents: i128,
}

impl Default for Sketch {
    fn default() -> Self {
        Sketch {
            zero: 0,
            bins: vec![0; BINS],
            count: 0,
            min: None,
            max: None,
            min_f: f64::INFINITY,
            max_f: f64::NEG_INFINITY,
            min_cents: i128::MAX,
            max_cents: i128::MIN,
        }
    }
}

/// A decimal as the nearest float, faster than the general conversion: mantissa × 10^-scale.
#[inline]
fn to_f64(value: Decimal) -> f64 {
    const NEG_POW10: [f64; 29] = [
        1e0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12, 1e-13, 1e-14, 1e-15,
        1e-16, 1e-17, 1e-18, 1e-19, 1e-20, 1e-21, 1e-22, 1e-23, 1e-24, 1e-25, 1e-26, 1e-27, 1e-28,
    ];
    value.mantissa() as f64 * NEG_POW10[value.scale().min(28) as usize]
}

/// An `i128` beyond `i64` as a float: out of line and cold, so the compiler does not compute the
/// slow 128-bit conversion on every insert just to discard it (it did, as a select).
#[cold]
#[inline(never)]
fn wide_to_f64(value: i128) -> f64 {
    value as f64
}

/// `value as f64`, through `i64` where it fits (every amount in cents up to 92 quadrillion
/// dollars): converting an `i128` to a float is a slow library call, an `i64` one instruction.
/// The same float either way (both conversions round the same integer to nearest).
#[inline(always)]
pub fn int_to_f64(value: i128) -> f64 {
    narrow_i64(value).map_or_else(|| wide_to_f64(value), |v| v as f64)
}

/// `value` as an `i64` when it fits: narrowed and compared back, fewer instructions in the hot
/// loop than `i64::try_from`'s range test (the same answer).
#[inline(always)]
pub fn narrow_i64(value: i128) -> Option<i64> {
    let narrow = value as i64;
    (i128::from(narrow) == value).then_some(narrow)
}

fn bin_of(value: f64) -> usize {
    let bits = value.to_bits();
    let exponent = (((bits >> 52) & 0x7ff) as i64 - 1023).clamp(MIN_EXP, MAX_EXP);
    let mantissa = ((bits >> (52 - SUB_BITS)) as usize) & (SUB - 1);
    (exponent - MIN_EXP) as usize * SUB + mantissa
}

fn bin_middle(bin: usize) -> f64 {
    let exponent = (bin / SUB) as i64 + MIN_EXP;
    let mantissa = (bin % SUB) as f64;
    2f64.powi(exponent as i32) * (1.0 + (mantissa + 0.5) / SUB as f64)
}

impl Sketch {
    /// Adds a value (money: zero or more).
    #[inline]
    pub fn insert(&mut self, value: Decimal) {
        self.add(to_f64(value), || value, 0.0);
    }

    /// Adds an amount given in whole cents: the same as `insert` of that decimal, without
    /// building one unless it may be a new minimum or maximum.
    #[inline]
    pub fn insert_cents(&mut self, cents: i128) {
        let v = int_to_f64(cents) * 0.01;
        self.count += 1;
        // Exact minimum and maximum kept in cents: integer compares, no decimal built per insert.
        self.min_cents = self.min_cents.min(cents);
        self.max_cents = self.max_cents.max(cents);
        self.count_bin(v);
    }

    /// Adds many amounts in whole cents, each as `insert_cents` adds it: the count once, the
    /// extremes in one pass (which vectorises), then the bins, with this one sketch's bins hot.
    pub fn insert_cents_batch(&mut self, cents: &[i64]) {
        let Some(&first) = cents.first() else { return };
        let (lo, hi) = cents.iter().fold((first, first), |(lo, hi), &c| (lo.min(c), hi.max(c)));
        self.count += cents.len() as u64;
        self.min_cents = self.min_cents.min(i128::from(lo));
        self.max_cents = self.max_cents.max(i128::from(hi));
        if lo == hi {
            // All one amount (a cap reached on every path, nothing paid): one bin, counted once,
            // not the same counter incremented through memory `len` times in a chain.
            let v = lo as f64 * 0.01;
            match v < SMALLEST {
                true => self.zero += cents.len() as u64,
                false => self.bins[bin_of(v)] += cents.len() as u32,
            }
            return;
        }
        let mut zero = 0;
        for &c in cents {
            let v = c as f64 * 0.01;
            if v < SMALLEST {
                zero += 1;
            } else {
                self.bins[bin_of(v)] += 1;
            }
        }
        self.zero += zero;
    }

    /// Adds a value known by a float estimate `v` (within ~1e-12 relative of the exact value);
    /// `exact` is asked only when the value may be a new minimum or maximum, with a margin wide
    /// enough that the estimate's error cannot hide one.
    #[inline]
    pub fn insert_estimated(&mut self, v: f64, exact: impl Fn() -> Decimal) {
        self.add(v, exact, 1e-9);
    }

    /// Counts a value given as its float `v`; `exact` builds the exact value, called only when the
    /// float, within `margin` (relative), says it may be a new minimum or maximum. A float
    /// converted from the exact value needs no margin (the conversion is monotonic); an estimate
    /// computed another way does.
    #[inline]
    fn add(&mut self, v: f64, exact: impl Fn() -> Decimal, margin: f64) {
        let near = |a: f64, b: f64| (a - b).abs() <= margin * a.abs().max(b.abs()).max(1.0);
        self.count += 1;
        if v <= self.min_f || near(v, self.min_f) {
            let value = exact();
            if self.min.is_none_or(|m| value < m) {
                self.min = Some(value);
                self.min_f = self.min_f.min(v);
            }
        }
        if v >= self.max_f || near(v, self.max_f) {
            let value = exact();
            if self.max.is_none_or(|m| value > m) {
                self.max = Some(value);
                self.max_f = self.max_f.max(v);
            }
        }
        self.count_bin(v);
    }

    #[inline]
    fn count_bin(&mut self, v: f64) {
        if v < SMALLEST {
            self.zero += 1;
        } else {
            self.bins[bin_of(v)] += 1;
        }
    }

    /// The exact minimum and maximum over values inserted either way.
    fn min_max(&self) -> (Option<Decimal>, Option<Decimal>) {
        let cents = |c: Option<i128>| c.map(|c| Decimal::from_i128_with_scale(c, 2));
        let pick = |a: Option<Decimal>, b: Option<Decimal>, f: fn(Decimal, Decimal) -> Decimal| match (a, b) {
            (Some(a), Some(b)) => Some(f(a, b)),
            (a, b) => a.or(b),
        };
        (
            pick(self.min, cents(self.cents_range().0), Decimal::min),
            pick(self.max, cents(self.cents_range().1), Decimal::max),
        )
    }

    pub fn merge(&mut self, other: &Sketch) {
        self.zero += other.zero;
        self.count += other.count;
        for (a, b) in self.bins.iter_mut().zip(&other.bins) {
            *a += b;
        }
        self.min = match (self.min, other.min) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.max = match (self.max, other.max) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        self.min_f = self.min_f.min(other.min_f);
        self.max_f = self.max_f.max(other.max_f);
        self.min_cents = self.min_cents.min(other.min_cents);
        self.max_cents = self.max_cents.max(other.max_cents);
    }

    /// The exact minimum and maximum inserted in cents, if any was.
    fn cents_range(&self) -> (Option<i128>, Option<i128>) {
        (
            (self.min_cents != i128::MAX).then_some(self.min_cents),
            (self.max_cents != i128::MIN).then_some(self.max_cents),
        )
    }

    /// The `q` quantile (nearest rank), in whole currency units; `None` when empty.
    pub fn quantile(&self, q: f64) -> Option<Decimal> {
        self.at_rank(((q * self.count as f64).ceil() as u64).clamp(1, self.count))
    }

    /// The value of rank `rank` (1 = the smallest), estimated as `quantile` does.
    fn at_rank(&self, rank: u64) -> Option<Decimal> {
        let (min, max) = self.min_max();
        let (min, max) = (min?, max?);
        if rank == 1 {
            return Some(min);
        }
        if rank == self.count {
            return Some(max);
        }
        let mut seen = self.zero;
        let estimate = if rank <= seen {
            Decimal::ZERO
        } else {
            let bin = self.bins.iter().position(|c| {
                seen += u64::from(*c);
                seen >= rank
            })?;
            Decimal::from_f64(bin_middle(bin)).unwrap_or(max).round()
        };
        Some(estimate.clamp(min, max))
    }

    /// Counts per bin, merged into at most `buckets` ranges (low, high, count), for a histogram.
    pub fn histogram(&self, buckets: usize) -> Vec<(f64, f64, u64)> {
        let (min, max) = self.min_max();
        let (Some(min), Some(max)) = (min.and_then(|m| m.to_f64()), max.and_then(|m| m.to_f64())) else {
            return Vec::new();
        };
        let counts = std::iter::once((0.0, self.zero)).chain(self.bin_counts(1.0));
        equal_buckets(min, max, self.count, buckets, counts)
    }

    /// Each non-empty bin's middle (times `sign`) and count.
    fn bin_counts(&self, sign: f64) -> impl Iterator<Item = (f64, u64)> + '_ {
        self.bins
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(move |(bin, c)| (sign * bin_middle(bin), u64::from(*c)))
    }
}

/// A sketch as written to a shard's file (`montecarlo::shard`): its counts, only the bins that
/// hold any, and its exact extremes. The float shadows of the extremes are not kept: they only
/// spare exact comparisons while inserting, and are rebuilt from the extremes.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SketchRecord {
    count: u64,
    zero: u64,
    /// (bin, count) for every bin that is not empty, in bin order.
    bins: Vec<(u32, u32)>,
    min: Option<Decimal>,
    max: Option<Decimal>,
    min_cents: Option<i128>,
    max_cents: Option<i128>,
}

impl Sketch {
    pub fn record(&self) -> SketchRecord {
        SketchRecord {
            count: self.count,
            zero: self.zero,
            bins: (self.bins.iter().enumerate())
                .filter(|(_, c)| **c > 0)
                .map(|(bin, c)| (bin as u32, *c))
                .collect(),
            min: self.min,
            max: self.max,
            min_cents: self.cents_range().0,
            max_cents: self.cents_range().1,
        }
    }

    /// The sketch a record was written from; `None` when the record cannot be one (a bin out of
    /// range or repeated, counts that do not add up, extremes out of order).
    pub fn from_record(record: &SketchRecord) -> Option<Sketch> {
        let mut sketch = Sketch { zero: record.zero, count: record.count, ..Sketch::default() };
        let mut total = record.zero;
        for &(bin, count) in &record.bins {
            let slot = sketch.bins.get_mut(bin as usize)?;
            if *slot != 0 || count == 0 {
                return None;
            }
            *slot = count;
            total = total.checked_add(u64::from(count))?;
        }
        (sketch.min, sketch.max) = (record.min, record.max);
        (sketch.min_cents, sketch.max_cents) =
            (record.min_cents.unwrap_or(i128::MAX), record.max_cents.unwrap_or(i128::MIN));
        let (min, max) = sketch.min_max();
        let ordered = match (min, max) {
            (Some(a), Some(b)) => a <= b && record.count > 0,
            (None, None) => record.count == 0,
            _ => false,
        };
        if total != record.count || !ordered {
            return None;
        }
        sketch.min_f = sketch.min.map_or(f64::INFINITY, to_f64);
        sketch.max_f = sketch.max.map_or(f64::NEG_INFINITY, to_f64);
        Some(sketch)
    }
}

/// `buckets` equal ranges (low, high, count) from `min` to `max`, each value of `counts` (a
/// position and how many are there, kept within `min..=max`) added to the range it falls in; one
/// range holding all `total` when there is no width to split.
fn equal_buckets(
    min: f64,
    max: f64,
    total: u64,
    buckets: usize,
    counts: impl Iterator<Item = (f64, u64)>,
) -> Vec<(f64, f64, u64)> {
    if max <= min || buckets == 0 {
        return vec![(min, max, total)];
    }
    let width = (max - min) / buckets as f64;
    let mut out: Vec<(f64, f64, u64)> =
        (0..buckets).map(|i| (min + width * i as f64, min + width * (i + 1) as f64, 0)).collect();
    for (value, count) in counts {
        let i = (((value.clamp(min, max) - min) / width) as usize).min(buckets - 1);
        out[i].2 += count;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// A batch puts in what inserting its amounts one by one does: the same counts, bins and
        /// extremes (runs of one amount, zeros and amounts past a bin's edge included).
        #[test]
        fn a_batch_of_cents_is_its_amounts_inserted_one_by_one(
            amounts in proptest::collection::vec(proptest::prop_oneof![
                proptest::prelude::Just(0i64),
                proptest::prelude::Just(3_800_000_000_000i64),
                0i64..1_000,
                0i64..i64::MAX,
            ], 0..300),
            before in proptest::collection::vec(0i64..1_000_000_000, 0..5),
            all_one in proptest::prelude::any::<bool>(),
        ) {
            let amounts = match (all_one, amounts.first()) {
                (true, Some(&a)) => vec![a; amounts.len()],
                _ => amounts,
            };
            let (mut batched, mut single) = (Sketch::default(), Sketch::default());
            for &c in &before {
                batched.insert_cents(i128::from(c));
                single.insert_cents(i128::from(c));
            }
            batched.insert_cents_batch(&amounts);
            for &c in &amounts {
                single.insert_cents(i128::from(c));
            }
            proptest::prop_assert_eq!(batched.record(), single.record());
        }
    }

    #[test]
    fn estimates_fall_within_the_stated_error() {
        let mut sketch = Sketch::default();
        for i in 1..=10_000u32 {
            sketch.insert(Decimal::from(i) * Decimal::from(1_000_000));
        }
        for q in [0.05, 0.25, 0.5, 0.75, 0.95] {
            let exact = (q * 10_000.0_f64).ceil() * 1e6;
            let estimate = sketch.quantile(q).unwrap().to_f64().unwrap();
            assert!(
                ((estimate - exact) / exact).abs() <= RELATIVE_ERROR + 1e-9,
                "q={q}: {estimate} vs {exact}"
            );
        }
    }

    #[test]
    fn equal_values_give_exact_quantiles_and_merging_is_order_free() {
        let v = Decimal::new(12_345_678_901, 2);
        let (mut a, mut b) = (Sketch::default(), Sketch::default());
        for _ in 0..10 {
            a.insert(v);
            b.insert(v);
        }
        let mut ab = a.clone();
        ab.merge(&b);
        let mut ba = b.clone();
        ba.merge(&a);
        assert_eq!(ab.quantile(0.5), Some(v));
        assert_eq!(ab.quantile(0.05), ba.quantile(0.05));
        assert_eq!(ab.bins, ba.bins);
    }
}
