//! The analysis commands' CSV files: sweep, Monte Carlo and sensitivity. Analysis computes;
//! this stage writes (analysis never imports report).

use super::{csv_file, OutputError};
use crate::analysis::montecarlo::MonteCarlo;
use crate::analysis::sensitivity::SensitivityReport;
use crate::analysis::sweep::Sweep;

/// `sweep.csv`: one row per point: the parameters, total paid, net, present value, cap year.
pub fn sweep_csv(sweep: &Sweep) -> Result<Vec<u8>, OutputError> {
    let mut header = sweep.params.clone();
    header.extend(["total_paid", "net_to_microsoft", "present_value", "cap_reached_year"].map(String::from));
    let rows = sweep.points.iter().map(|point| {
        let mut record = point.values.clone();
        record.extend([
            crate::money::exact(point.total_paid.value()),
            crate::money::exact(point.net_to_microsoft.value()),
            crate::money::exact(point.present_value.value()),
            point.cap_reached_year.map(|y| y.to_string()).unwrap_or_default(),
        ]);
        record
    });
    csv_file("sweep.csv", header, rows)
}
/// `montecarlo.csv`: per period, P5–P95 of revenue, paid and cumulative paid, and the probability
/// that the cap has been reached.
pub fn montecarlo_csv(mc: &MonteCarlo) -> Result<Vec<u8>, OutputError> {
    let mut header = vec!["period".to_string()];
    for figure in ["revenue", "paid", "cumulative_paid"] {
        for p in ["p5", "p25", "p50", "p75", "p95"] {
            header.push(format!("{figure}_{p}"));
        }
    }
    header.push("probability_cap_reached".into());
    let exact = crate::money::exact;
    let rows = mc.years.iter().map(|y| {
        let mut record = vec![y.period.clone()];
        for p in [&y.revenue, &y.paid, &y.cumulative_paid] {
            record.extend([
                exact(p.p5.value()),
                exact(p.p25.value()),
                exact(p.p50.value()),
                exact(p.p75.value()),
                exact(p.p95.value()),
            ]);
        }
        record.push(exact(y.probability_cap_reached));
        record
    });
    csv_file("montecarlo.csv", header, rows)
}
/// One row of `sensitivity.csv`: an input, its range, the net total and present value at each
/// end, the swing, and where the range comes from.
#[derive(serde::Serialize)]
struct SensitivityCsvRow {
    rank: usize,
    input: String,
    low: String,
    high: String,
    net_total_at_low: String,
    net_total_at_high: String,
    pv_at_low: String,
    pv_at_high: String,
    pv_swing: String,
    range_basis: String,
}

/// `sensitivity.csv`, ranked (there is always at least one input).
pub fn sensitivity_csv(report: &SensitivityReport) -> Result<Vec<u8>, OutputError> {
    let exact = crate::money::exact;
    super::serialize_rows(
        "sensitivity.csv",
        report.inputs.iter().enumerate().map(|(i, s)| SensitivityCsvRow {
            rank: i + 1,
            input: s.input.clone(),
            low: s.low.clone(),
            high: s.high.clone(),
            net_total_at_low: exact(s.total_low.value()),
            net_total_at_high: exact(s.total_high.value()),
            pv_at_low: exact(s.pv_low.value()),
            pv_at_high: exact(s.pv_high.value()),
            pv_swing: exact(s.pv_swing.value()),
            range_basis: s.why.clone(),
        }),
    )
}
