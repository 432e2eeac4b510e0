//! Every file a command writes, named once: the writer that encodes it (in its errors), the
//! command that places it in a folder and the tests read the name from here, and the book
//! documents each (a test checks that it does).

use std::path::{Path, PathBuf};

/// The one table of outputs: each `Variant => "file name"` makes the variant, its `name()` and
/// its place in `ALL`.
macro_rules! outputs {
    ($($variant:ident => $name:literal,)*) => {
        /// A file a command writes.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Output {
            $($variant,)*
        }

        impl Output {
            pub const ALL: &'static [Output] = &[$(Output::$variant,)*];

            /// The file's name in its folder.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Output::$variant => $name,)*
                }
            }
        }
    };
}

outputs! {
    LedgerCsv => "ledger.csv",
    FlowsCsv => "flows.csv",
    LedgerJson => "ledger.json",
    SummaryJson => "summary.json",
    LaunchesCsv => "launches.csv",
    LedgerXlsx => "ledger.xlsx",
    ReportHtml => "report.html",
    AgainstCsv => "against.csv",
    AttributionCsv => "attribution.csv",
    AgainstJson => "against.json",
    CompareCsv => "compare.csv",
    CompareXlsx => "compare.xlsx",
    MonteCarloCsv => "montecarlo.csv",
    MonteCarloJson => "montecarlo.json",
    SweepCsv => "sweep.csv",
    SweepCsvGz => "sweep.csv.gz",
    SensitivityCsv => "sensitivity.csv",
    CalibrateCsv => "calibrate.csv",
    CalibrateJson => "calibrate.json",
}

impl Output {
    /// Where this file goes in `folder`.
    pub fn in_folder(self, folder: &Path) -> PathBuf {
        folder.join(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_output_has_its_own_name() {
        let mut names: Vec<&str> = Output::ALL.iter().map(|o| o.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Output::ALL.len());
    }
}
