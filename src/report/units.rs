//! `--units`: how money is shown in files for people (CSV display columns, workbook cells).
//! Amounts stay exact: CSV values are scaled by a power of ten (a shift of the decimal point, no
//! rounding) and their column names say the unit; workbook cells keep the full number and only
//! their number format scales it, so formulas and sums still work on dollars.

use rust_decimal::Decimal;

/// The unit money is shown in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
#[repr(u8)]
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

/// How a command writes the files meant for people: the unit of money (`--units`) and whether
/// CSV files start with a byte-order mark for Excel (`--excel-csv`). A value passed to each
/// writer, not process state, so one program can write two settings at once (a test, a notebook).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutputOptions {
    pub units: Units,
    pub excel_csv: bool,
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

    /// An amount in this unit, exactly: the decimal point moves, nothing is rounded.
    pub fn scale(self, amount: Decimal) -> Decimal {
        crate::money::scale_exact(amount, self.exponent())
    }

    /// How money is written into CSV files in this unit.
    pub fn csv_mode(self) -> crate::money::CsvMode {
        match self {
            Units::Raw => crate::money::CsvMode::Exact,
            other => crate::money::CsvMode::Scaled(other.exponent()),
        }
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
