//! `--units`: how money is shown in files for people (CSV display columns, workbook cells).
//! Amounts stay exact: CSV values are scaled by a power of ten (a shift of the decimal point, no
//! rounding) and their column names say the unit; workbook cells keep the full number and only
//! their number format scales it, so formulas and sums still work on dollars.

use rust_decimal::Decimal;

/// The unit money is shown in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Units {
    /// Whole dollars, exact (the default).
    #[default]
    #[value(name = "raw")]
    Raw,
    /// Millions of dollars.
    #[value(name = "M")]
    Millions,
    /// Billions of dollars.
    #[value(name = "B")]
    Billions,
}

impl Units {
    /// The unit in words, for column headings: "USD", "USD m", "USD bn".
    pub fn label(self) -> &'static str {
        match self {
            Units::Raw => "USD",
            Units::Millions => "USD m",
            Units::Billions => "USD bn",
        }
    }

    /// The suffix a CSV column name gets (`share_paid_usd_bn`), so a scaled figure cannot be
    /// read as dollars. Empty for raw dollars: the documented column names stay as they are.
    pub fn column_suffix(self) -> &'static str {
        match self {
            Units::Raw => "",
            Units::Millions => "_usd_m",
            Units::Billions => "_usd_bn",
        }
    }

    /// The power of ten an amount is divided by.
    fn exponent(self) -> u32 {
        match self {
            Units::Raw => 0,
            Units::Millions => 6,
            Units::Billions => 9,
        }
    }

    /// An amount in this unit, exactly: the decimal point moves, nothing is rounded. (A
    /// `Decimal` holds up to 28 decimal places; amounts with more than 19 already would need a
    /// rounding, which `checked_div` then does at the 28th place.)
    pub fn scale(self, amount: Decimal) -> Decimal {
        let exponent = self.exponent();
        if exponent == 0 {
            return amount;
        }
        let mut shifted = amount;
        if shifted.set_scale(amount.scale() + exponent).is_ok() {
            return shifted.normalize();
        }
        amount.checked_div(Decimal::from(10u64.pow(exponent))).map(|d| d.normalize()).unwrap_or(amount)
    }

    /// The Excel number format of a money cell: the cell holds dollars, the format shows them in
    /// this unit (each trailing comma divides by a thousand) with the unit after the figure.
    pub fn excel_format(self) -> &'static str {
        match self {
            Units::Raw => "#,##0.00",
            Units::Millions => "#,##0.000,,\" M\"",
            Units::Billions => "#,##0.000,,,\" B\"",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn scaling_moves_the_point_and_rounds_nothing() {
        assert_eq!(Units::Billions.scale(dec!(6012345678.91)), dec!(6.01234567891));
        assert_eq!(Units::Millions.scale(dec!(38000000000)), dec!(38000));
        assert_eq!(Units::Raw.scale(dec!(0.01)), dec!(0.01));
        assert_eq!(Units::Billions.scale(dec!(-0.01)), dec!(-0.00000000001));
    }
}
