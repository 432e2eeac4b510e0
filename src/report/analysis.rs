//! The analysis commands' CSV files: sweep, Monte Carlo and sensitivity. Analysis computes;
//! this stage writes (analysis never imports report).

use super::OutputError;
use crate::analysis::montecarlo::MonteCarlo;
use crate::analysis::sensitivity::SensitivityReport;
use crate::analysis::sweep::{Sweep, SweepPoint};
use crate::money::Money;

/// The figures of one sweep point, after its parameter columns (which depend on the sweep).
#[derive(serde::Serialize, Default)]
struct SweepFigures {
    total_paid: Money,
    net_to_microsoft: Money,
    present_value: Money,
    /// Empty when the cap is never reached.
    cap_reached_year: Option<i32>,
}

/// Which columns of a `sweep.csv` over `params` are money: the money parameters (a cap, prior
/// payments) and the money figures.
pub fn sweep_money_columns(params: &[String]) -> Vec<String> {
    let money_params =
        params.iter().filter(|name| crate::analysis::params::Param::parse(name).is_ok_and(|p| p.is_money()));
    money_params.cloned().chain(super::money_columns::<SweepFigures>()).collect()
}

/// `sweep.csv` written as the sweep runs: the header (the parameters, named by the sweep, then
/// `SweepFigures`), then each chunk of points in order, into `out` (a temporary file beside the
/// final one, see `stream_file`, or memory).
pub struct SweepCsv<W: std::io::Write> {
    out: W,
    /// The unit its money is written in (`--units`).
    units: super::Units,
    /// Which parameter columns are money (a cap, prior payments), scaled like the figures.
    money_params: Vec<bool>,
}

impl<W: std::io::Write> SweepCsv<W> {
    pub fn new(mut out: W, params: &[String], units: super::Units) -> Result<SweepCsv<W>, OutputError> {
        let money_params: Vec<bool> = params
            .iter()
            .map(|name| {
                units != super::Units::Raw
                    && crate::analysis::params::Param::parse(name).is_ok_and(|p| p.is_money())
            })
            .collect();
        let names = params.iter().zip(&money_params).map(|(name, money)| {
            if *money {
                format!("{name}{}", units.column_suffix())
            } else {
                name.clone()
            }
        });
        let mut header = csv::Writer::from_writer(Vec::new());
        let figures = super::money_header::<SweepFigures>(units).map_err(|e| encode(&e))?;
        header.write_record(names.chain(figures)).map_err(|e| encode(&e))?;
        out.write_all(&header.into_inner().map_err(|e| encode(&e))?).map_err(|e| encode(&e))?;
        Ok(SweepCsv { out, units, money_params })
    }

    /// Appends a chunk of points, formatted in parallel and written in order.
    pub fn write_chunk(&mut self, points: &[SweepPoint]) -> Result<(), OutputError> {
        use rayon::prelude::*;
        let (units, money_params) = (self.units, &self.money_params[..]);
        let parts: Vec<Vec<u8>> = points
            .par_chunks(1024)
            .map(|part| {
                let mut rows = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
                for point in part {
                    let figures = SweepFigures {
                        total_paid: point.total_paid,
                        net_to_microsoft: point.net_to_microsoft,
                        present_value: point.present_value,
                        cap_reached_year: point.cap_reached_year,
                    };
                    let values = scaled_values(units, money_params, &point.values);
                    crate::money::with_csv_mode(units.csv_mode(), || rows.serialize((&*values, figures)))
                        .map_err(|e| encode(&e))?;
                }
                rows.into_inner().map_err(|e| encode(&e))
            })
            .collect::<Result<_, _>>()?;
        for part in parts {
            self.out.write_all(&part).map_err(|e| encode(&e))?;
        }
        Ok(())
    }

    /// The writer, flushed.
    pub fn into_inner(mut self) -> Result<W, OutputError> {
        self.out.flush().map_err(|e| encode(&e))?;
        Ok(self.out)
    }
}

/// A point's parameter values, money ones (`money_params`) in the CSV's unit, exactly like the
/// figures.
fn scaled_values<'v>(
    units: super::Units,
    money_params: &[bool],
    values: &'v [String],
) -> std::borrow::Cow<'v, [String]> {
    if !money_params.contains(&true) {
        return std::borrow::Cow::Borrowed(values);
    }
    let scaled = values
        .iter()
        .zip(money_params)
        .map(|(value, money)| match (money, value.parse::<rust_decimal::Decimal>()) {
            (true, Ok(amount)) => units.scale(amount).to_string(),
            _ => value.clone(),
        })
        .collect();
    std::borrow::Cow::Owned(scaled)
}

fn encode(e: &dyn std::fmt::Display) -> OutputError {
    OutputError::Encode { file: super::Output::SweepCsv.name(), reason: e.to_string() }
}

/// `sweep.csv` of a sweep held in memory (the library's `sweep`): the bytes the streaming writer
/// gives.
pub fn sweep_csv(sweep: &Sweep, units: super::Units) -> Result<Vec<u8>, OutputError> {
    let mut csv = SweepCsv::new(Vec::new(), &sweep.params, units)?;
    csv.write_chunk(&sweep.points)?;
    csv.into_inner()
}

/// One row of `montecarlo.csv`: a period's P5–P95 of revenue, paid and cumulative paid, and the
/// probability that the cap has been reached by its end.
#[derive(serde::Serialize, Default)]
struct MonteCarloCsvRow {
    period: String,
    revenue_p5: Money,
    revenue_p25: Money,
    revenue_p50: Money,
    revenue_p75: Money,
    revenue_p95: Money,
    paid_p5: Money,
    paid_p25: Money,
    paid_p50: Money,
    paid_p75: Money,
    paid_p95: Money,
    cumulative_paid_p5: Money,
    cumulative_paid_p25: Money,
    cumulative_paid_p50: Money,
    cumulative_paid_p75: Money,
    cumulative_paid_p95: Money,
    #[serde(serialize_with = "crate::money::canonical::serialize")]
    probability_cap_reached: rust_decimal::Decimal,
    microsoft_revenue_p5: Money,
    microsoft_revenue_p25: Money,
    microsoft_revenue_p50: Money,
    microsoft_revenue_p75: Money,
    microsoft_revenue_p95: Money,
}

/// `montecarlo.csv`, one row per period (Microsoft's revenue appended last).
pub fn montecarlo_csv(mc: &MonteCarlo, units: super::Units) -> Result<Vec<u8>, OutputError> {
    super::serialize_rows(
        super::Output::MonteCarloCsv.name(),
        units,
        mc.years.iter().map(|y| {
            let (r, p, c) = (&y.revenue, &y.paid, &y.cumulative_paid);
            MonteCarloCsvRow {
                period: y.period.clone(),
                revenue_p5: r.p5,
                revenue_p25: r.p25,
                revenue_p50: r.p50,
                revenue_p75: r.p75,
                revenue_p95: r.p95,
                paid_p5: p.p5,
                paid_p25: p.p25,
                paid_p50: p.p50,
                paid_p75: p.p75,
                paid_p95: p.p95,
                cumulative_paid_p5: c.p5,
                cumulative_paid_p25: c.p25,
                cumulative_paid_p50: c.p50,
                cumulative_paid_p75: c.p75,
                cumulative_paid_p95: c.p95,
                probability_cap_reached: y.probability_cap_reached,
                microsoft_revenue_p5: y.microsoft_revenue.p5,
                microsoft_revenue_p25: y.microsoft_revenue.p25,
                microsoft_revenue_p50: y.microsoft_revenue.p50,
                microsoft_revenue_p75: y.microsoft_revenue.p75,
                microsoft_revenue_p95: y.microsoft_revenue.p95,
            }
        }),
    )
}

/// One row of `sensitivity.csv`: an input, its range, the net total and present value at each
/// end, the swing, and where the range comes from.
#[derive(serde::Serialize, Default)]
struct SensitivityCsvRow {
    rank: usize,
    input: String,
    low: String,
    high: String,
    net_total_at_low: Money,
    net_total_at_high: Money,
    pv_at_low: Money,
    pv_at_high: Money,
    pv_swing: Money,
    range_basis: String,
}

/// `sensitivity.csv`, ranked (there is always at least one input).
pub fn sensitivity_csv(report: &SensitivityReport, units: super::Units) -> Result<Vec<u8>, OutputError> {
    super::serialize_rows(
        super::Output::SensitivityCsv.name(),
        units,
        report.inputs.iter().enumerate().map(|(i, s)| SensitivityCsvRow {
            rank: i + 1,
            input: s.input.clone(),
            low: s.low.clone(),
            high: s.high.clone(),
            net_total_at_low: s.total_low,
            net_total_at_high: s.total_high,
            pv_at_low: s.pv_low,
            pv_at_high: s.pv_high,
            pv_swing: s.pv_swing,
            range_basis: s.why.clone(),
        }),
    )
}
