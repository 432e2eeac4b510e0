//! Statistics of weighted draws. A weighted percentile `Pq` is the first value, in sorted
//! order, at which the cumulative weight reaches `q` of the total: always one of the values
//! drawn, so money stays exact.

use super::posterior::Quantiles;
use rust_decimal::Decimal;

/// The weighted percentile `q` (see the module's comment); 0 for no weight.
pub fn quantile(mut values: Vec<(Decimal, f64)>, q: f64) -> Decimal {
    values.sort_by_key(|v| v.0);
    let total: f64 = values.iter().map(|v| v.1).sum();
    let mut cumulative = 0.0;
    for (value, weight) in &values {
        cumulative += weight;
        if cumulative >= q * total && *weight > 0.0 {
            return *value;
        }
    }
    values.iter().rev().find(|v| v.1 > 0.0).map_or(Decimal::ZERO, |v| v.0)
}

pub fn quantiles(values: &[(Decimal, f64)]) -> Quantiles {
    let q = |p| quantile(values.to_vec(), p);
    Quantiles { p5: q(0.05), p50: q(0.5), p95: q(0.95) }
}

/// 30 equal bins over the drawn values: each bin's share of prior and of posterior weight.
pub fn histogram(prior: &[(Decimal, f64)], posterior: &[(Decimal, f64)]) -> Vec<(f64, f64, f64, f64)> {
    use rust_decimal::prelude::ToPrimitive;
    const BINS: usize = 30;
    let f = |d: &Decimal| d.to_f64().unwrap_or(0.0);
    let lo = prior.iter().map(|v| f(&v.0)).fold(f64::INFINITY, f64::min);
    let hi = prior.iter().map(|v| f(&v.0)).fold(f64::NEG_INFINITY, f64::max);
    if !(lo.is_finite() && hi.is_finite()) {
        return Vec::new();
    }
    let width = ((hi - lo) / BINS as f64).max(f64::MIN_POSITIVE);
    let share = |values: &[(Decimal, f64)]| {
        let mut bins = [0.0; BINS];
        let total: f64 = values.iter().map(|v| v.1).sum();
        for (value, weight) in values {
            let bin = (((f(value) - lo) / width) as usize).min(BINS - 1);
            bins[bin] += weight / total.max(f64::MIN_POSITIVE);
        }
        bins
    };
    let (a, b) = (share(prior), share(posterior));
    (0..BINS).map(|i| (lo + width * i as f64, lo + width * (i + 1) as f64, a[i], b[i])).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// P5 ≤ P50 ≤ P95, each one of the values, and a value with all the weight is every
        /// percentile.
        #[test]
        fn weighted_percentiles_are_ordered_values_of_the_draws(
            draws in prop::collection::vec((0i64..1_000_000, 0.0f64..10.0), 1..60),
        ) {
            let values: Vec<(Decimal, f64)> = draws.iter().map(|(v, w)| (Decimal::new(*v, 2), *w)).collect();
            let q = quantiles(&values);
            prop_assert!(q.p5 <= q.p50 && q.p50 <= q.p95);
            if values.iter().any(|v| v.1 > 0.0) {
                for p in [q.p5, q.p50, q.p95] {
                    prop_assert!(values.iter().any(|v| v.0 == p && v.1 > 0.0), "{p} is a drawn value with weight");
                }
            }
            let mut heavy = values.clone();
            heavy.iter_mut().for_each(|v| v.1 = 0.0);
            heavy[0].1 = 1.0;
            let q = quantiles(&heavy);
            prop_assert_eq!((q.p5, q.p50, q.p95), (heavy[0].0, heavy[0].0, heavy[0].0));
        }

        /// Each histogram's shares add up to 1 and the bins tile the drawn range.
        #[test]
        fn histogram_shares_add_up_to_one(draws in prop::collection::vec((0i64..1_000_000, 0.01f64..10.0), 2..60)) {
            let values: Vec<(Decimal, f64)> = draws.iter().map(|(v, w)| (Decimal::new(*v, 2), *w)).collect();
            let bins = histogram(&values, &values);
            let (prior, posterior): (f64, f64) = bins.iter().fold((0.0, 0.0), |a, b| (a.0 + b.2, a.1 + b.3));
            prop_assert!((prior - 1.0).abs() < 1e-9 && (posterior - 1.0).abs() < 1e-9);
            prop_assert!(bins.windows(2).all(|w| w[0].1 == w[1].0));
        }
    }
}
