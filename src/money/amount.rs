//! `Money`: an exact amount of US dollars in the ledger and in every file written. One serde
//! implementation (the canonical decimal string: "38000000000", "19.6", never a float or a
//! trailing ".00") serves every field, instead of an attribute on each. Arithmetic stays exact
//! (`Decimal` underneath); checked operations are the `Decimal` ones, through `Deref`.

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Deref, Mul, Neg, Sub, SubAssign};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(pub Decimal);

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// The exact decimal, for arithmetic that mixes money with rates or counts.
    pub fn value(self) -> Decimal {
        self.0
    }

    /// For a human reader: "12.4B" (see `Human`).
    pub fn human(self) -> super::Human {
        super::Human(self.0)
    }
}

/// How `Money` writes itself into a CSV file being encoded on this thread (`with_csv_mode`):
/// exact dollars (always, outside CSV), scaled by a power of ten for `--units`, or as a marker
/// that tells the CSV writer which columns hold money. serde's `Serialize` takes no context, so
/// the writer that was given the unit (`report::serialize_rows(file, units, rows)`) sets it for
/// the duration of one encoding and restores it: scoped to that call on that thread, never a
/// process setting (two threads, or two calls, can write two units at once).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvMode {
    Exact,
    /// Divided by 10^n, exactly (the decimal point moves).
    Scaled(u32),
    Probe,
    /// Exact, each value prefixed by what it is (`TYPED_MONEY`, `TYPED_DECIMAL`), for a reader
    /// that types them (the Python package turns both into `decimal.Decimal`).
    Typed,
}

/// What a money field writes in `CsvMode::Probe`.
pub const MONEY_MARK: &str = "\u{1}money";
/// The prefix of a money amount written in `CsvMode::Typed`.
pub const TYPED_MONEY: &str = "\u{1}money:";
/// The prefix of another exact decimal (a rate, a probability) written in `CsvMode::Typed`.
pub const TYPED_DECIMAL: &str = "\u{1}decimal:";

/// The mode money is written in on this thread.
pub(crate) fn csv_mode() -> CsvMode {
    CSV_MODE.with(|m| m.get())
}

thread_local! {
    static CSV_MODE: std::cell::Cell<CsvMode> = const { std::cell::Cell::new(CsvMode::Exact) };
}

/// Runs `encode` with money written as `mode` on this thread, then restores the mode before.
pub fn with_csv_mode<T>(mode: CsvMode, encode: impl FnOnce() -> T) -> T {
    let before = CSV_MODE.with(|m| m.replace(mode));
    let result = encode();
    CSV_MODE.with(|m| m.set(before));
    result
}

/// `amount / 10^exponent`, exactly where a `Decimal` can hold it (the decimal point moves); past
/// 28 decimal places, rounded there.
pub fn scale_exact(amount: Decimal, exponent: u32) -> Decimal {
    if exponent == 0 {
        return amount;
    }
    let mut shifted = amount;
    if shifted.set_scale(amount.scale() + exponent).is_ok() {
        return shifted.normalize();
    }
    amount.checked_div(Decimal::from(10u64.pow(exponent))).map(|d| d.normalize()).unwrap_or(amount)
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match CSV_MODE.with(|m| m.get()) {
            CsvMode::Exact => serializer.collect_str(&self.0.normalize()),
            CsvMode::Scaled(exponent) => serializer.collect_str(&scale_exact(self.0, exponent)),
            CsvMode::Probe => serializer.serialize_str(MONEY_MARK),
            CsvMode::Typed => serializer.collect_str(&format_args!("{TYPED_MONEY}{}", self.0.normalize())),
        }
    }
}

/// For an optional money field of a CSV row (`serialize_with`): empty when absent, and marked
/// as money when probed even then, so its column is named in the unit like the others.
pub fn optional<S: Serializer>(value: &Option<Money>, serializer: S) -> Result<S::Ok, S::Error> {
    match (CSV_MODE.with(|m| m.get()), value) {
        (CsvMode::Probe, _) => serializer.serialize_str(MONEY_MARK),
        (_, Some(money)) => money.serialize(serializer),
        (_, None) => serializer.serialize_none(),
    }
}

impl Deref for Money {
    type Target = Decimal;
    fn deref(&self) -> &Decimal {
        &self.0
    }
}

impl From<Decimal> for Money {
    fn from(value: Decimal) -> Money {
        Money(value)
    }
}

impl From<Money> for Decimal {
    fn from(value: Money) -> Decimal {
        value.0
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl PartialEq<Decimal> for Money {
    fn eq(&self, other: &Decimal) -> bool {
        self.0 == *other
    }
}

impl PartialEq<Money> for Decimal {
    fn eq(&self, other: &Money) -> bool {
        *self == other.0
    }
}

impl PartialOrd<Decimal> for Money {
    fn partial_cmp(&self, other: &Decimal) -> Option<std::cmp::Ordering> {
        self.0.partial_cmp(other)
    }
}

impl PartialOrd<Money> for Decimal {
    fn partial_cmp(&self, other: &Money) -> Option<std::cmp::Ordering> {
        self.partial_cmp(&other.0)
    }
}

/// `Money ± Money` and `Money ± Decimal` (either side) give `Money`.
macro_rules! arithmetic {
    ($($trait:ident $method:ident $assign:ident $assign_method:ident),*) => {$(
        impl $trait for Money {
            type Output = Money;
            fn $method(self, other: Money) -> Money {
                Money(self.0.$method(other.0))
            }
        }
        impl $trait<Decimal> for Money {
            type Output = Money;
            fn $method(self, other: Decimal) -> Money {
                Money(self.0.$method(other))
            }
        }
        impl $trait<Money> for Decimal {
            type Output = Money;
            fn $method(self, other: Money) -> Money {
                Money(self.$method(other.0))
            }
        }
        impl $assign for Money {
            fn $assign_method(&mut self, other: Money) {
                self.0.$assign_method(other.0);
            }
        }
        impl $assign<Decimal> for Money {
            fn $assign_method(&mut self, other: Decimal) {
                self.0.$assign_method(other);
            }
        }
    )*};
}

arithmetic!(Add add AddAssign add_assign, Sub sub SubAssign sub_assign);

/// Money times a rate or a count is money.
impl Mul<Decimal> for Money {
    type Output = Money;
    fn mul(self, rate: Decimal) -> Money {
        Money(self.0 * rate)
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

impl Sum<Money> for Decimal {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Decimal {
        iter.map(|m| m.0).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn money_is_written_as_its_canonical_exact_string() {
        let json =
            serde_json::to_string(&[Money(dec!(38000000000.00)), Money(dec!(19.60)), Money(dec!(-0.5))]);
        assert_eq!(json.unwrap(), r#"["38000000000","19.6","-0.5"]"#);
    }
}
