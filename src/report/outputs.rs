//! Every file a command writes, named once: the writer that encodes it (in its errors), the
//! command that places it in a folder and the tests read the name from here, and the book
//! documents each (a test checks that it does).

/// A file a command writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    LedgerCsv,
    FlowsCsv,
    LedgerJson,
    SummaryJson,
    LaunchesCsv,
    LedgerXlsx,
    ReportHtml,
    AgainstCsv,
    AttributionCsv,
    AgainstJson,
    CompareCsv,
    CompareXlsx,
    MonteCarloCsv,
    MonteCarloJson,
    SweepCsv,
    SweepCsvGz,
    SensitivityCsv,
    CalibrateCsv,
    CalibrateJson,
}

impl Output {
    pub const ALL: [Output; 19] = [
        Output::LedgerCsv,
        Output::FlowsCsv,
        Output::LedgerJson,
        Output::SummaryJson,
        Output::LaunchesCsv,
        Output::LedgerXlsx,
        Output::ReportHtml,
        Output::AgainstCsv,
        Output::AttributionCsv,
        Output::AgainstJson,
        Output::CompareCsv,
        Output::CompareXlsx,
        Output::MonteCarloCsv,
        Output::MonteCarloJson,
        Output::SweepCsv,
        Output::SweepCsvGz,
        Output::SensitivityCsv,
        Output::CalibrateCsv,
        Output::CalibrateJson,
    ];

    /// The file's name in its folder.
    pub const fn name(self) -> &'static str {
        match self {
            Output::LedgerCsv => "ledger.csv",
            Output::FlowsCsv => "flows.csv",
            Output::LedgerJson => "ledger.json",
            Output::SummaryJson => "summary.json",
            Output::LaunchesCsv => "launches.csv",
            Output::LedgerXlsx => "ledger.xlsx",
            Output::ReportHtml => "report.html",
            Output::AgainstCsv => "against.csv",
            Output::AttributionCsv => "attribution.csv",
            Output::AgainstJson => "against.json",
            Output::CompareCsv => "compare.csv",
            Output::CompareXlsx => "compare.xlsx",
            Output::MonteCarloCsv => "montecarlo.csv",
            Output::MonteCarloJson => "montecarlo.json",
            Output::SweepCsv => "sweep.csv",
            Output::SweepCsvGz => "sweep.csv.gz",
            Output::SensitivityCsv => "sensitivity.csv",
            Output::CalibrateCsv => "calibrate.csv",
            Output::CalibrateJson => "calibrate.json",
        }
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
