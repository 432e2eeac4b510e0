//! The cents loop's exact integer arithmetic: 64-bit fast paths where the operands fit, the
//! 128-bit forms otherwise, each property-tested against the 128-bit form it replaces.

/// `n / d` rounded half away from zero, for `n ≥ 0`, `d > 0`: the same cent `round_money` gives
/// for the same exact rational. `None` on overflow. In 64 bits when both fit with room (a
/// hardware division, not the 128-bit library call): the same quotient.
#[inline]
pub(super) fn div_round(n: Option<i128>, d: i128) -> Option<i128> {
    let n = n?;
    // Both in 0..2^62 (one test of their high bits), so `2n + d` and `2d` fit in 64 bits.
    if (n | d) >> 62 == 0 && d != 0 {
        let (n64, d64) = (n as u64, d as u64);
        return Some(i128::from((2 * n64 + d64) / (2 * d64)));
    }
    Some(n.checked_mul(2)?.checked_add(d)? / d.checked_mul(2)?)
}

/// `a × b` for `a, b ≥ 0`, in one 64-bit multiplication where both and the product fit (a
/// revenue in cents times a rate's numerator always does); `None` on overflow.
#[inline]
pub(super) fn mul_small(a: i128, b: i128) -> Option<i128> {
    if (a | b) >> 64 == 0 {
        if let Some(product) = (a as u64).checked_mul(b as u64) {
            return Some(i128::from(product));
        }
    }
    a.checked_mul(b)
}

/// `div_round(x × f, 10⁹)` for `x ≥ 0`, `f ≥ 0`: an amount grown or scaled by a factor in
/// billionths. With both under 2^64 it splits each into base-10⁹ limbs (`x = q₁·10⁹ + r₁`, `f =
/// q₂·10⁹ + r₂`), so `x·f/10⁹ = q₁·f + r₁·q₂ + r₁·r₂/10⁹` and only the last term (under 10^18)
/// has a fraction to round: all in 64 bits, divisions by a constant. The same number.
#[inline]
pub(super) fn mul_div_billion(x: i128, f: i128) -> Option<i128> {
    const B: u64 = 1_000_000_000;
    // Both under 2^64 in one test of their high bits (`u64::try_from` of each is two).
    if (x | f) >> 64 == 0 {
        let (x, f) = (x as u64, f as u64);
        let (q1, r1) = (x / B, x % B);
        let (q2, r2) = (f / B, f % B);
        let low = r1 * r2;
        let (q3, r3) = (low / B, low % B);
        let sum = q1.checked_mul(f).and_then(|a| a.checked_add(r1 * q2)).and_then(|a| a.checked_add(q3));
        if let Some(sum) = sum.and_then(|s| s.checked_add(u64::from(2 * r3 >= B))) {
            return Some(i128::from(sum));
        }
    }
    div_round(x.checked_mul(f), i128::from(B))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The 128-bit rounding division, as it was before the fast paths: what they must equal.
    fn wide(n: i128, d: i128) -> Option<i128> {
        Some(n.checked_mul(2)?.checked_add(d)? / d.checked_mul(2)?)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

        #[test]
        fn the_64_bit_rounding_division_is_the_128_bit_one(n in 0i128..(1i128 << 70), d in 1i128..(1i128 << 66)) {
            prop_assert_eq!(div_round(Some(n), d), wide(n, d));
        }

        #[test]
        fn growing_by_limbs_is_the_128_bit_product_rounded(
            x in prop_oneof![0i128..1_000_000_000_000_000_000, 0i128..(1i128 << 90)],
            f in prop_oneof![10_000_000i128..101_000_000_001, 0i128..(1i128 << 70)],
        ) {
            prop_assert_eq!(mul_div_billion(x, f), x.checked_mul(f).and_then(|n| wide(n, 1_000_000_000)));
        }

        #[test]
        fn the_64_bit_product_is_the_128_bit_one(
            a in prop_oneof![0i128..(1i128 << 64), 0i128..(1i128 << 100)],
            b in prop_oneof![0i128..(1i128 << 40), 0i128..(1i128 << 100)],
        ) {
            prop_assert_eq!(mul_small(a, b), a.checked_mul(b));
        }
    }

    #[test]
    fn the_64_bit_paths_meet_their_edges() {
        let edges = [
            0i128,
            1,
            2,
            (1 << 62) - 1,
            1 << 62,
            (1 << 63) - 1,
            1 << 63,
            (1 << 64) - 1,
            1 << 64,
            -1,
            i128::MIN,
        ];
        for n in edges {
            for d in edges.iter().copied().filter(|d| *d > 0) {
                if n >= 0 {
                    assert_eq!(div_round(Some(n), d), wide(n, d), "{n} / {d}");
                }
                if n >= 0 && d >= 0 {
                    assert_eq!(mul_small(n, d), n.checked_mul(d), "{n} × {d}");
                    assert_eq!(mul_div_billion(n, d), n.checked_mul(d).and_then(|p| wide(p, 1_000_000_000)));
                }
            }
        }
    }
}
