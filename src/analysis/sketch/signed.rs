//! A sketch of amounts of either sign (a gain, a difference), built of two `Sketch`es.

use super::{equal_buckets, Sketch};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// A sketch of amounts of either sign (a gain, a difference): negatives are kept by magnitude
/// in a second sketch, so each side has the same relative error and exact extremes.
#[derive(Debug, Clone, Default)]
pub struct SignedSketch {
    /// Magnitudes of the values below zero.
    below: Sketch,
    /// Zero and the values above it.
    above: Sketch,
}

impl SignedSketch {
    pub fn insert(&mut self, value: Decimal) {
        if value.is_sign_negative() && !value.is_zero() {
            self.below.insert(-value);
        } else {
            self.above.insert(value);
        }
    }

    /// Adds a value known by a float estimate `v` (as `Sketch::insert_estimated`); within a dollar
    /// of zero, where the estimate may not tell the sign, by its exact value.
    pub fn insert_estimated(&mut self, v: f64, exact: impl Fn() -> Decimal) {
        if v.abs() <= 1.0 {
            self.insert(exact());
        } else if v < 0.0 {
            self.below.insert_estimated(-v, || -exact());
        } else {
            self.above.insert_estimated(v, exact);
        }
    }

    pub fn merge(&mut self, other: &SignedSketch) {
        self.below.merge(&other.below);
        self.above.merge(&other.above);
    }

    /// The `q` quantile (nearest rank) over both signs; `None` when empty.
    pub fn quantile(&self, q: f64) -> Option<Decimal> {
        let (negatives, n) = (self.below.count, self.below.count + self.above.count);
        if n == 0 {
            return None;
        }
        let rank = ((q * n as f64).ceil() as u64).clamp(1, n);
        if rank <= negatives {
            // The most negative value is the largest magnitude.
            self.below.at_rank(negatives - rank + 1).map(|m| -m)
        } else {
            self.above.at_rank(rank - negatives)
        }
    }

    /// Counts merged into at most `buckets` equal ranges (low, high, count) from the minimum to
    /// the maximum, for a histogram.
    pub fn histogram(&self, buckets: usize) -> Vec<(f64, f64, u64)> {
        let low = self.quantile(0.0).and_then(|m| m.to_f64());
        let high = self.quantile(1.0).and_then(|m| m.to_f64());
        let (Some(min), Some(max)) = (low, high) else { return Vec::new() };
        let counts = std::iter::once((0.0, self.above.zero + self.below.zero))
            .chain(self.above.bin_counts(1.0))
            .chain(self.below.bin_counts(-1.0));
        equal_buckets(min, max, self.below.count + self.above.count, buckets, counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::sketch::RELATIVE_ERROR;

    #[test]
    fn signed_quantiles_cover_both_signs() {
        let mut sketch = SignedSketch::default();
        for i in -5_000i64..5_000 {
            sketch.insert(Decimal::from(i) * Decimal::from(1_000_000));
        }
        for q in [0.05, 0.25, 0.5, 0.75, 0.95] {
            let exact = ((q * 10_000.0_f64).ceil() - 1.0 - 5_000.0) * 1e6;
            let estimate = sketch.quantile(q).unwrap().to_f64().unwrap();
            assert!(
                (estimate - exact).abs() <= exact.abs() * (RELATIVE_ERROR + 1e-9) + 0.5,
                "q={q}: {estimate} vs {exact}"
            );
        }
        assert_eq!(sketch.quantile(0.0), Some(Decimal::from(-5_000_000_000i64)));
        assert_eq!(sketch.quantile(1.0), Some(Decimal::from(4_999_000_000i64)));
        let histogram = sketch.histogram(10);
        assert_eq!(histogram.iter().map(|b| b.2).sum::<u64>(), 10_000);
        assert!(histogram.iter().all(|b| b.2 >= 900 && b.2 <= 1_100), "{histogram:?}");
    }
}
