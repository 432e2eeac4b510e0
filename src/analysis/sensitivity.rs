//! `dealsim sensitivity`: moves each uncertain input across a stated range, one at a time with the
//! others as the scenario has them, and ranks inputs by how far they move the present value of
//! Microsoft's net receipts (and the nominal total). Default ranges are documented in
//! `default_ranges` and can be overridden with `--range NAME=LO..HI`.

use super::params::{Param, Value};
use super::sweep::evaluate;
use crate::money::Money;
use crate::scenario::Loaded;
use rust_decimal::Decimal;
use serde::Serialize;

/// The inputs varied by default and their ranges, with why. Relative ranges are taken around the
/// scenario's own value.
pub fn default_ranges(loaded: &Loaded) -> Vec<(Param, Value, Value, &'static str)> {
    let d = |s: &str| Value::Number(s.parse().unwrap_or_default());
    let money = |x: Decimal| Value::Number(crate::money::round_money(x));
    let cap = loaded.agreement.openai_to_microsoft_cap().unwrap_or(Decimal::from(38_000_000_000i64));
    // A timeline's effective date is its first version's; the date that matters here is the last
    // version's take-over (what `effective_date` moves on a timeline).
    let effective = loaded
        .agreement
        .timeline
        .as_ref()
        .and_then(|t| t.versions.last())
        .map_or(loaded.agreement.effective.value, |v| v.from.value);
    let mut out = vec![
        (
            Param::Cap,
            money(cap / Decimal::TWO),
            money(cap * Decimal::new(15, 1)),
            "±50% around the scenario's cap (undisclosed; reported 38B)",
        ),
        (Param::ShareRate, d("0.10"), d("0.25"), "10% (OpenAI's reported plan for 2030) to 25%"),
        (Param::ShareBase, d("0.5"), d("1"), "half of OpenAI's revenue to all of it (docs/SOURCES.md Q4)"),
        (Param::RevenueScale, d("0.5"), d("1.5"), "OpenAI's revenue path ×0.5 to ×1.5"),
        (Param::DiscountRate, d("0.05"), d("0.12"), "5% to 12% a year"),
        (
            Param::PriorPayments,
            d("0"),
            d("5000000000"),
            "0 to 5B of earlier payments counting toward the cap (question 3)",
        ),
    ];
    let shift = |days: i64| Value::Date(effective + chrono::Duration::days(days));
    let new_year =
        chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&effective), 1, 1).unwrap_or(effective);
    if loaded.agreement.openai_to_microsoft_cap().is_some() {
        // Under capped terms the share counts from its own date, not the effective date.
        out.push((
            Param::CapCountsFrom,
            Value::Date(new_year),
            Value::Date(effective),
            "from 1 January (the reading the reported 2026 figures imply) to the effective date (prorated)",
        ));
    } else {
        out.push((
            Param::EffectiveDate,
            Value::Date(new_year),
            shift(90),
            "1 January to 90 days after the scenario's effective date",
        ));
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sensitivity {
    pub input: String,
    pub low: String,
    pub high: String,
    pub why: String,
    pub total_low: Money,
    pub total_high: Money,
    pub pv_low: Money,
    pub pv_high: Money,
    /// |pv_high − pv_low|: what ranks the inputs.
    pub pv_swing: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SensitivityReport {
    pub base_total: Money,
    pub base_pv: Money,
    pub inputs: Vec<Sensitivity>,
}

pub fn sensitivity(
    loaded: &Loaded,
    ranges: &[(Param, Value, Value, String)],
) -> Result<SensitivityReport, super::AnalysisError> {
    let base = evaluate(loaded, &[], &[])?;
    let mut inputs = Vec::with_capacity(ranges.len());
    for (param, low, high, why) in ranges {
        let name = |v: &Value| param.human(v);
        let (at_low, at_high) = (
            evaluate(loaded, std::slice::from_ref(param), &[*low]).map_err(|e| {
                super::AnalysisError::AtInput {
                    param: param.to_string(),
                    value: name(low),
                    source: Box::new(e),
                }
            })?,
            evaluate(loaded, std::slice::from_ref(param), &[*high]).map_err(|e| {
                super::AnalysisError::AtInput {
                    param: param.to_string(),
                    value: name(high),
                    source: Box::new(e),
                }
            })?,
        );
        let (pv_low, pv_high) =
            (at_low.present_value.net_to_microsoft, at_high.present_value.net_to_microsoft);
        inputs.push(Sensitivity {
            input: param.to_string(),
            low: name(low),
            high: name(high),
            why: why.clone(),
            total_low: at_low.totals.net_to_microsoft,
            total_high: at_high.totals.net_to_microsoft,
            pv_low,
            pv_high,
            pv_swing: Money((pv_high - pv_low).abs()),
        });
    }
    // Largest effect first; ties keep the documented order (a stable sort).
    inputs.sort_by_key(|s| std::cmp::Reverse(s.pv_swing));
    Ok(SensitivityReport {
        base_total: base.totals.net_to_microsoft,
        base_pv: base.present_value.net_to_microsoft,
        inputs,
    })
}
