//! Every file a command writes, named once: the writer that encodes it (in its errors), the
//! command that places it in a folder and the tests read the name from here, and the book
//! documents each (a test checks that it does).

use std::path::{Path, PathBuf};

/// What a file is, for what is done to files by kind (`--excel-csv` marks every CSV).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Csv,
    GzippedCsv,
    Json,
    Workbook,
    Html,
    /// A scenario file `dealsim run` reads.
    Scenario,
}

/// The one table of outputs: each `Variant => "file name", kind` makes the variant, its
/// `name()`, its `kind()` and its place in `ALL`.
macro_rules! outputs {
    ($($variant:ident => $name:literal, $kind:ident;)*) => {
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

            pub const fn kind(self) -> FileKind {
                match self {
                    $(Output::$variant => FileKind::$kind,)*
                }
            }
        }
    };
}

outputs! {
    LedgerCsv => "ledger.csv", Csv;
    FlowsCsv => "flows.csv", Csv;
    LedgerJson => "ledger.json", Json;
    SummaryJson => "summary.json", Json;
    LaunchesCsv => "launches.csv", Csv;
    LedgerXlsx => "ledger.xlsx", Workbook;
    ReportHtml => "report.html", Html;
    AgainstCsv => "against.csv", Csv;
    AttributionCsv => "attribution.csv", Csv;
    AgainstJson => "against.json", Json;
    CompareCsv => "compare.csv", Csv;
    CompareXlsx => "compare.xlsx", Workbook;
    MonteCarloCsv => "montecarlo.csv", Csv;
    MonteCarloJson => "montecarlo.json", Json;
    SweepCsv => "sweep.csv", Csv;
    SweepCsvGz => "sweep.csv.gz", GzippedCsv;
    SensitivityCsv => "sensitivity.csv", Csv;
    CalibrateCsv => "calibrate.csv", Csv;
    CalibrateJson => "calibrate.json", Json;
    Counterexample => "counterexample.toml", Scenario;
}

impl Output {
    /// The output named `name` (a file name, not a path), if it is one.
    pub fn named(name: &str) -> Option<Output> {
        Output::ALL.iter().copied().find(|o| o.name() == name)
    }

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
