//! Money and rates as exact decimals: parsing user text ("29.4B", "500M", "0.2") and formatting
//! for humans. Nothing here ever goes through `f64`.

mod amount;

pub use amount::{
    optional, scale_exact, with_csv_mode, CsvMode, Money, MONEY_MARK, TYPED_DECIMAL, TYPED_MONEY,
};

use rust_decimal::{Decimal, RoundingStrategy};
use std::fmt;

/// The largest amount of money dealsim accepts anywhere: one quadrillion (1,000T) USD. Far above
/// any plausible revenue, far below where `Decimal` arithmetic could overflow on a few products.
pub const MAX_MONEY: Decimal = Decimal::from_parts(0x_A4C6_8000, 0x_0003_8D7E, 0, false, 0); // 1e15

/// Money is rounded to this many decimal places (cents) whenever a division produces it.
pub const MONEY_DP: u32 = 2;

/// Why a piece of text is not an amount of money or a rate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("`{0}` is not a number (expected digits with an optional K, M, B or T suffix, e.g. \"29.4B\")")]
    NotANumber(String),
    #[error("`{0}` is not a rate (expected a number such as 0.25 or \"25%\")")]
    NotARate(String),
    #[error("`{0}` is not a finite number (NaN and infinity are not money)")]
    NotFinite(String),
    #[error("`{0}` is negative; amounts of money must be zero or more")]
    Negative(String),
    #[error("`{0}` is too large: the limit is 1,000T (1e15)")]
    TooLarge(String),
    #[error("`{0}` is not a rate between 0 and 1{hint}", hint = percent_hint(.0))]
    RateOutOfRange(String),
    #[error("`{0}` is not a spread: sigma must be between 0 and 5")]
    SpreadOutOfRange(String),
    #[error("`{0}` is not a growth rate: growth must be above -100% (a fall of 100% leaves nothing) and at most 10,000% a year")]
    GrowthOutOfRange(String),
    #[error("`{text}` is ${text} exactly: amounts are in US dollars, and one this small with no unit is almost certainly missing its B")]
    MissingUnit { text: String, suggestion: String },
    #[error("`{text}` would be {percent} a year: growth is a fraction (write {text}% as {fraction} or \"{text}%\")")]
    GrowthWithoutPercent { text: String, percent: String, fraction: String },
    #[error("`{0}` is not a multiple between 0 and 1,000 (2 is twice; also \"2x\" or \"200%\")")]
    MultipleOutOfRange(String),
    #[error("`{text}` has a comma that does not separate thousands: a comma may only group digits in threes (\"1,234,567\"), and decimals are written with a point")]
    DecimalComma { text: String, suggestion: Option<String> },
}

/// " (write 10% as 0.1 or "10%")" for a plain number that reads as a percentage typed without
/// its sign; empty otherwise.
fn percent_hint(text: &str) -> String {
    let t = text.trim();
    match t.parse::<Decimal>() {
        Ok(v) if v > Decimal::ONE && v <= Decimal::ONE_HUNDRED => {
            format!(" (write {t}% as {} or \"{t}%\")", (v / Decimal::ONE_HUNDRED).normalize())
        }
        _ => " (write 20% as 0.20 or \"20%\")".to_string(),
    }
}

impl AmountError {
    /// A suggested fix to show under the message, where there is an obvious one.
    pub fn hint(&self) -> Option<String> {
        match self {
            AmountError::MissingUnit { suggestion, .. } => Some(format!(
                "did you mean \"{suggestion}\"? Write billions with a unit (\"38B\", \"38bn\") or in full (38000000000); to mean a small amount exactly, write it with a $ (\"$38\")"
            )),
            // A fall of 100% or more is no growth rate, so a negative one has only one meaning.
            AmountError::GrowthWithoutPercent { text, .. } if text.starts_with('-') => {
                Some(format!("did you mean \"{text}%\"?"))
            }
            AmountError::GrowthWithoutPercent { text, percent, .. } => Some(format!(
                "did you mean \"{text}%\"? If you do mean {percent} a year, write \"{percent}\""
            )),
            AmountError::DecimalComma { suggestion: Some(suggestion), .. } => {
                Some(format!("did you mean \"{suggestion}\"?"))
            }
            _ => None,
        }
    }
}

/// Money written with no unit and below this, in a field where billions are expected (a cap,
/// revenue, a payment), is refused as a likely slip: `cap = 38` would otherwise be a $38 cap.
pub const UNITLESS_FLOOR: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

/// Whether `text` carries a unit: a K/M/B/T suffix (or bn/mn/tn) or a leading `$`.
pub fn has_unit(text: &str) -> bool {
    let t = text.trim();
    t.starts_with('$') || t.chars().last().is_some_and(|c| c.is_ascii_alphabetic())
}

/// Money in a field where billions are expected: as `parse_money`, but a non-zero amount under
/// $1M written without a unit is refused with the likely meaning ("did you mean 38B?").
pub fn parse_large_money(text: &str) -> Result<Decimal, AmountError> {
    let value = parse_money(text)?;
    if !value.is_zero() && value < UNITLESS_FLOOR && !has_unit(text) {
        return Err(AmountError::MissingUnit {
            text: text.trim().to_string(),
            suggestion: format!("{}B", value.normalize()),
        });
    }
    Ok(value)
}

/// The unit suffix of a money text ("B" of "80B"), if it has one, for carrying a range's unit
/// to its other ends (`20..80B` is 20B to 80B).
pub fn unit_suffix(text: &str) -> Option<&str> {
    let t = text.trim();
    let digits_end = t.rfind(|c: char| c.is_ascii_digit() || c == '.')? + 1;
    let suffix = &t[digits_end..];
    (!suffix.is_empty() && suffix.chars().all(|c| c.is_ascii_alphabetic())).then_some(suffix)
}

/// Parses money: plain digits, or digits with a K/M/B/T suffix (thousand, million, billion,
/// trillion), optional `_` or `,` separators, an optional leading `$`. Exact: "29.4B" is
/// 29,400,000,000 with no rounding.
pub fn parse_money(text: &str) -> Result<Decimal, AmountError> {
    let value = parse_scaled(text)?;
    if value.is_sign_negative() && !value.is_zero() {
        return Err(AmountError::Negative(text.to_string()));
    }
    if value > MAX_MONEY {
        return Err(AmountError::TooLarge(text.to_string()));
    }
    Ok(value.normalize())
}

/// Parses a rate in 0..=1: "0.2", "0.20" or "20%".
pub fn parse_rate(text: &str) -> Result<Decimal, AmountError> {
    let (value, _) = rate_text(text)?;
    if value < Decimal::ZERO || value > Decimal::ONE {
        return Err(AmountError::RateOutOfRange(text.to_string()));
    }
    Ok(value.normalize())
}

/// A rate as written, "0.2" or "20%": its value, and whether it had a percent sign. Text that
/// is not a number is "not a rate" (not "not money": rates take no K/M/B suffix).
fn rate_text(text: &str) -> Result<(Decimal, bool), AmountError> {
    let trimmed = text.trim();
    let not_a_rate = |e: AmountError| match e {
        AmountError::NotANumber(t) => AmountError::NotARate(t),
        other => other,
    };
    match trimmed.strip_suffix('%') {
        Some(percent) => parse_plain(percent, text)
            .map_err(not_a_rate)?
            .checked_div(Decimal::ONE_HUNDRED)
            .map(|v| (v, true))
            .ok_or_else(|| AmountError::NotARate(text.to_string())),
        None => parse_plain(trimmed, text).map(|v| (v, false)).map_err(not_a_rate),
    }
}

/// Parses a multiple of an amount (`revenue_scale`): a plain number ("2" is twice), "2x", or a
/// percentage ("150%"); zero or more, at most 1,000.
pub fn parse_multiple(text: &str) -> Result<Decimal, AmountError> {
    let trimmed = text.trim();
    let bare = trimmed.strip_suffix(['x', 'X', '×']).unwrap_or(trimmed);
    let (value, _) = rate_text(bare)?;
    if value < Decimal::ZERO || value > Decimal::ONE_THOUSAND {
        return Err(AmountError::MultipleOutOfRange(text.trim().to_string()));
    }
    Ok(value.normalize())
}

/// Parses a lognormal's sigma (a spread in log terms): 0 to 5.
pub fn parse_spread(text: &str) -> Result<Decimal, AmountError> {
    let value = parse_plain(text.trim(), text)?;
    if value < Decimal::ZERO || value > Decimal::from(5) {
        return Err(AmountError::SpreadOutOfRange(text.trim().to_string()));
    }
    Ok(value.normalize())
}

/// Parses a growth rate: any decimal above -1 (a fall of 100% or more is not growth), written
/// as "0.4" or "40%". Limited to 100 (10,000%) a year to keep compounding finite. A plain number
/// of 1 or more (`growth = 5`) is refused: it is 500% a year, and almost always meant 5%; growth
/// of 100% or more is written with a percent sign ("150%").
pub fn parse_growth(text: &str) -> Result<Decimal, AmountError> {
    let (value, percent_sign) = rate_text(text)?;
    // `growth = 5` and `growth = -10` are whole percentages typed without their sign.
    if !percent_sign && value.abs() >= Decimal::ONE && value.abs() <= Decimal::ONE_HUNDRED {
        return Err(AmountError::GrowthWithoutPercent {
            text: text.trim().to_string(),
            percent: percent(value),
            fraction: (value / Decimal::ONE_HUNDRED).normalize().to_string(),
        });
    }
    if value <= -Decimal::ONE || value > Decimal::ONE_HUNDRED {
        return Err(AmountError::GrowthOutOfRange(text.trim().to_string()));
    }
    Ok(value.normalize())
}

fn parse_scaled(text: &str) -> Result<Decimal, AmountError> {
    let trimmed = text.trim();
    let trimmed = trimmed.strip_prefix('$').unwrap_or(trimmed);
    // "bn", "mn" and "tn" are how finance writes billions, millions and trillions ("38bn").
    let lower = trimmed.to_ascii_lowercase();
    let (digits, exponent) = [("bn", 9), ("mn", 6), ("tn", 12), ("k", 3), ("m", 6), ("b", 9), ("t", 12)]
        .iter()
        .find(|(suffix, _)| lower.ends_with(suffix))
        .map_or((trimmed, 0), |(suffix, exponent)| (&trimmed[..trimmed.len() - suffix.len()], *exponent));
    let mantissa = parse_plain(digits, text)?;
    let scale = Decimal::from_i128_with_scale(10_i128.pow(exponent), 0);
    mantissa.checked_mul(scale).ok_or_else(|| AmountError::TooLarge(text.to_string()))
}

/// Whether the commas in `digits` (a number without its unit) are thousands separators only:
/// none, or an integer part of 1–3 digits then groups of exactly three (`1,234,567.5`). A comma
/// anywhere else (`29,4`, `1,23`, `0,5`) is almost surely a decimal comma, which must not be
/// stripped into a number ten or a hundred times larger.
fn commas_group_thousands(digits: &str) -> bool {
    let t = digits.trim().trim_start_matches(['+', '-']);
    if !t.contains(',') {
        return true;
    }
    let integer_end = t.find(['.', 'e', 'E']).unwrap_or(t.len());
    let (integer, rest) = t.split_at(integer_end);
    if rest.contains(',') {
        return false;
    }
    let mut groups = integer.split(',');
    let first = groups.next().unwrap_or("");
    let digits_only = |g: &str| g.chars().all(|c| c.is_ascii_digit());
    (1..=3).contains(&first.len()) && digits_only(first) && groups.all(|g| g.len() == 3 && digits_only(g))
}

/// A plain decimal with optional `_`/`,` digit separators and scientific notation.
fn parse_plain(digits: &str, original: &str) -> Result<Decimal, AmountError> {
    if !commas_group_thousands(digits) {
        let text = original.trim().to_string();
        // One comma and no point: the comma is the decimal separator ("29,4B" → "29.4B").
        let suggestion =
            (text.matches(',').count() == 1 && !text.contains('.')).then(|| text.replace(',', "."));
        return Err(AmountError::DecimalComma { text, suggestion });
    }
    let cleaned: String = digits.trim().chars().filter(|c| *c != '_' && *c != ',').collect();
    let lower = cleaned.to_ascii_lowercase();
    let bare = lower.trim_start_matches(['+', '-']);
    if matches!(bare, "nan" | "inf" | "infinity") {
        return Err(AmountError::NotFinite(original.to_string()));
    }
    if cleaned.is_empty() || !cleaned.chars().any(|c| c.is_ascii_digit()) {
        return Err(AmountError::NotANumber(original.to_string()));
    }
    if lower.contains('e') {
        return Decimal::from_scientific(&lower).map_err(|_| {
            if exponent_is_large(&lower) {
                AmountError::TooLarge(original.to_string())
            } else {
                AmountError::NotANumber(original.to_string())
            }
        });
    }
    cleaned.parse::<Decimal>().map_err(|e| {
        // rust_decimal reports numbers wider than 96 bits as errors: those are too large, not
        // malformed, and saying so is the more useful message.
        let digit_count = cleaned.chars().filter(char::is_ascii_digit).count();
        if digit_count > 28 || e.to_string().contains("too large") {
            AmountError::TooLarge(original.to_string())
        } else {
            AmountError::NotANumber(original.to_string())
        }
    })
}

fn exponent_is_large(lower: &str) -> bool {
    lower.split_once('e').and_then(|(_, exp)| exp.parse::<i64>().ok()).is_some_and(|exp| exp > 15)
}

/// Rounds money to cents, half away from zero, the usual rule for invoiced amounts.
/// Not normalised (that costs more than the rounding, and this runs in the Monte Carlo hot
/// loop); every writer normalises when it prints (`exact`, `canonical`).
#[inline]
pub fn round_money(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(MONEY_DP, RoundingStrategy::MidpointAwayFromZero)
}

/// Money as an exact, canonical decimal string for files: no exponent, no trailing zeros
/// ("6000000000", "4093150684.93").
pub fn exact(value: Decimal) -> String {
    value.normalize().to_string()
}

/// Money for a human reader: "12.5B", "830M", "0". Never used in files meant for machines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Human(pub Decimal);

impl fmt::Display for Human {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = self.0;
        let magnitude = value.abs();
        let units: [(Decimal, &str); 4] = [
            (Decimal::from(1_000_000_000_000_i64), "T"),
            (Decimal::from(1_000_000_000_i64), "B"),
            (Decimal::from(1_000_000_i64), "M"),
            (Decimal::from(1_000_i64), "K"),
        ];
        for (unit, suffix) in units {
            if magnitude >= unit {
                let scaled = (value / unit).round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
                return write!(f, "{}{suffix}", scaled.normalize());
            }
        }
        write!(f, "{}", round_money(value).normalize())
    }
}

/// A count for a human reader, digits grouped by thousands: 100000 → "100,000".
pub fn grouped(count: u64) -> String {
    let digits = count.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A rate for a human reader: 0.2 → "20%".
pub fn percent(rate: Decimal) -> String {
    format!("{}%", (rate * Decimal::ONE_HUNDRED).normalize())
}

/// Serde helpers writing decimals that are not money (rates, fractions, probabilities, explain's
/// operands) in the canonical exact form `Money` uses ("0.2", not "0.20"), as strings, so JSON
/// readers never see a float. Use with `#[serde(serialize_with = ...)]`.
pub mod canonical {
    use rust_decimal::Decimal;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
        match super::amount::csv_mode() {
            super::CsvMode::Typed => {
                serializer.collect_str(&format_args!("{}{}", super::TYPED_DECIMAL, value.normalize()))
            }
            _ => serializer.collect_str(&value.normalize()),
        }
    }

    pub fn option<S: Serializer>(value: &Option<Decimal>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => serialize(v, serializer),
            None => serializer.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(100_000), "100,000");
        assert_eq!(grouped(1_000_000), "1,000,000");
    }

    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn suffixes_scale_exactly() {
        assert_eq!(parse_money("29.4B").unwrap(), dec!(29_400_000_000));
        assert_eq!(parse_money("500M").unwrap(), dec!(500_000_000));
        assert_eq!(parse_money("1.5k").unwrap(), dec!(1500));
        assert_eq!(parse_money("$2T").unwrap(), dec!(2_000_000_000_000));
        assert_eq!(parse_money("1_000").unwrap(), dec!(1000));
        assert_eq!(parse_money("0.12345678901234567890123").unwrap(), dec!(0.12345678901234567890123));
    }

    #[test]
    fn bad_money_is_refused_with_a_reason() {
        assert!(matches!(parse_money("abc"), Err(AmountError::NotANumber(_))));
        assert!(matches!(parse_money("-5B"), Err(AmountError::Negative(_))));
        assert!(matches!(parse_money("1e40"), Err(AmountError::TooLarge(_))));
        assert!(matches!(parse_money("NaN"), Err(AmountError::NotFinite(_))));
        assert!(matches!(parse_money("-inf"), Err(AmountError::NotFinite(_))));
        assert!(matches!(parse_money("2000T"), Err(AmountError::TooLarge(_))));
        assert!(matches!(parse_money("B"), Err(AmountError::NotANumber(_))));
        assert!(matches!(parse_money("99999999999999999999999999999999"), Err(AmountError::TooLarge(_))));
    }

    #[test]
    fn a_decimal_comma_is_refused_with_the_point_it_meant() {
        for (text, meant) in [("29,4B", "29.4B"), ("38,5B", "38.5B"), ("12,5%", "12.5%"), ("0,5", "0.5")] {
            let error = parse_money(text).or_else(|_| parse_rate(text)).unwrap_err();
            assert_eq!(
                error,
                AmountError::DecimalComma { text: text.into(), suggestion: Some(meant.into()) }
            );
            assert_eq!(error.hint().unwrap(), format!("did you mean \"{meant}\"?"));
        }
        assert!(matches!(parse_money("1,234,5"), Err(AmountError::DecimalComma { suggestion: None, .. })));
        assert!(matches!(parse_money("12,34"), Err(AmountError::DecimalComma { .. })));
        assert!(matches!(parse_money("1,234.5,6"), Err(AmountError::DecimalComma { .. })));
        assert!(matches!(parse_money(",123"), Err(AmountError::DecimalComma { .. })));
        assert!(matches!(parse_growth("12,5%"), Err(AmountError::DecimalComma { .. })));
    }

    #[test]
    fn a_comma_grouping_thousands_is_still_accepted() {
        assert_eq!(parse_money("1,234,567").unwrap(), dec!(1_234_567));
        assert_eq!(parse_money("$38,000,000,000").unwrap(), dec!(38_000_000_000));
        assert_eq!(parse_money("1,234.5M").unwrap(), dec!(1_234_500_000));
        assert_eq!(parse_money("999B").unwrap(), dec!(999_000_000_000));
    }

    #[test]
    fn a_whole_number_growth_either_way_gets_the_percent_hint() {
        let error = parse_growth("-10").unwrap_err();
        assert_eq!(
            error.to_string(),
            "`-10` would be -1000% a year: growth is a fraction (write -10% as -0.1 or \"-10%\")"
        );
        assert_eq!(error.hint().unwrap(), "did you mean \"-10%\"?");
        assert_eq!(parse_growth("-10%").unwrap(), dec!(-0.1));
    }

    #[test]
    fn rates_accept_fractions_and_percent() {
        assert_eq!(parse_rate("0.2").unwrap(), dec!(0.2));
        assert_eq!(parse_rate("20%").unwrap(), dec!(0.2));
        assert!(matches!(parse_rate("1.5"), Err(AmountError::RateOutOfRange(_))));
        assert!(matches!(parse_rate("-0.1"), Err(AmountError::RateOutOfRange(_))));
    }

    #[test]
    fn humans_read_suffixes() {
        assert_eq!(Human(dec!(12_500_000_000)).to_string(), "12.5B");
        assert_eq!(Human(dec!(830_000_000)).to_string(), "830M");
        assert_eq!(Human(dec!(0)).to_string(), "0");
        assert_eq!(Human(dec!(-4_093_150_684.93)).to_string(), "-4.09B");
        assert_eq!(percent(dec!(0.2)), "20%");
    }
}
