//! Order-free attribution: exact Shapley values. A change's Shapley value is its marginal
//! contribution averaged over every order the changes could be applied in, so it does not depend
//! on the order `diff` lists them (the sequential waterfall does, where changes interact: a cap
//! is worth nothing once AGI has ended the share). Computed from the value of every subset of
//! changes (2^n simulations; n is small here), with integer weights so the sums are exact; each
//! value is rounded to the cent once and the cents lost to rounding are handed out by largest
//! remainder, so the values add up exactly to v(all) − v(none).

use rust_decimal::Decimal;

/// The most changes attributed this way (2^12 = 4,096 simulations); more get no Shapley values.
pub const MAX_PLAYERS: usize = 12;

/// Shapley values of `n` players from `value[mask]`, the worth of the subset whose bits are set.
/// `None` when `value` does not hold 2^n entries or a sum overflows.
pub fn shapley(n: usize, value: &[Decimal]) -> Option<Vec<Decimal>> {
    if n > MAX_PLAYERS || value.len() != 1 << n {
        return None;
    }
    let factorial = |k: usize| (1..=k as u64).product::<u64>();
    let n_factorial = Decimal::from(factorial(n));
    let mut exact = Vec::with_capacity(n);
    for player in 0..n {
        let bit = 1usize << player;
        let mut sum = Decimal::ZERO;
        for mask in (0..value.len()).filter(|m| m & bit == 0) {
            let size = mask.count_ones() as usize;
            // |S|! (n − |S| − 1)!: the orders in which exactly S comes before the player.
            let weight = Decimal::from(factorial(size) * factorial(n - size - 1));
            let marginal = value[mask | bit].checked_sub(value[mask])?;
            sum = sum.checked_add(marginal.checked_mul(weight)?)?;
        }
        exact.push(sum.checked_div(n_factorial)?);
    }
    let total = value[value.len() - 1].checked_sub(value[0])?;
    Some(round_keeping_total(&exact, total))
}

/// Each value rounded to the cent, the cents the rounding lost or gained handed back one at a
/// time to the values whose rounding moved them most, so the result adds up to `total`.
fn round_keeping_total(exact: &[Decimal], total: Decimal) -> Vec<Decimal> {
    let cent = Decimal::new(1, 2);
    let mut rounded: Vec<Decimal> = exact.iter().map(|v| crate::money::round_money(*v)).collect();
    let mut gap = total - rounded.iter().copied().sum::<Decimal>();
    let mut order: Vec<usize> = (0..exact.len()).collect();
    // Largest shortfall first when cents are missing, largest excess first when there are too many.
    order.sort_by(|&a, &b| (exact[b] - rounded[b]).cmp(&(exact[a] - rounded[a])).then(a.cmp(&b)));
    let mut turn = 0;
    while !gap.is_zero() && !order.is_empty() && turn < 4 * order.len() {
        let step = if gap > Decimal::ZERO { cent } else { -cent };
        let i = if step > Decimal::ZERO {
            order[turn % order.len()]
        } else {
            order[order.len() - 1 - turn % order.len()]
        };
        rounded[i] += step;
        gap -= step;
        turn += 1;
    }
    rounded
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn two_interacting_changes_share_their_interaction_equally() {
        // v(∅) = 0, v(a) = 10, v(b) = 0, v(ab) = 30: a alone is worth 10, b only with a.
        let v = [dec!(0), dec!(10), dec!(0), dec!(30)];
        assert_eq!(shapley(2, &v).unwrap(), vec![dec!(20), dec!(10)]);
    }

    #[test]
    fn values_add_up_to_the_total_to_the_cent_even_when_thirds_round() {
        // Three symmetric players splitting 1.00: 0.33 + 0.33 + 0.34.
        let mut v = vec![Decimal::ZERO; 8];
        v[7] = dec!(1);
        let s = shapley(3, &v).unwrap();
        assert_eq!(s.iter().copied().sum::<Decimal>(), dec!(1));
        assert!(s.iter().all(|x| *x == dec!(0.33) || *x == dec!(0.34)), "{s:?}");
    }

    #[test]
    fn additive_changes_get_their_own_worth() {
        // No interaction: each player's value is its own marginal.
        let v: Vec<Decimal> =
            (0..8usize).map(|m| Decimal::from((m & 1) * 5 + (m >> 1 & 1) * 7 + (m >> 2 & 1) * 11)).collect();
        assert_eq!(shapley(3, &v).unwrap(), vec![dec!(5), dec!(7), dec!(11)]);
    }
}
