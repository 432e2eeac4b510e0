//! A revenue share's parameters as a file writes them: each in its plain or its serialised form.

use super::{Cap, RevenueBase, RevenueStream};
use crate::agreement::file::{FileError, FileErrorKind, Value};
use crate::agreement::rate::{RateStep, Tier};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A rate schedule as written: `[{ from = 2028-01-01, rate = "15%" }]` or `{ 2028-01-01 = "15%" }`.
pub(super) fn read_schedule(v: &Value) -> Result<Vec<RateStep>, FileError> {
    let mut steps = if v.is_table() {
        let t = v.table()?;
        let entries: Vec<_> = t.entries().collect();
        entries
            .iter()
            .map(|(day, _, rate)| {
                let from = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").map_err(|_| {
                    FileError::invalid(
                        rate.key_span.clone(),
                        format!("{}: `{day}` is not a date (YYYY-MM-DD)", t.name()),
                    )
                })?;
                Ok(RateStep { from, rate: rate.rate()? })
            })
            .collect::<Result<Vec<_>, FileError>>()?
    } else {
        v.array()?
            .iter()
            .map(|step| {
                let t = step.table()?;
                let out = RateStep { from: t.required("from")?.date()?, rate: t.required("rate")?.rate()? };
                t.finish()?;
                Ok(out)
            })
            .collect::<Result<Vec<_>, FileError>>()?
    };
    steps.sort_by_key(|s| s.from);
    Ok(steps)
}

/// Rate tiers as written: `[{ above = "100B", rate = "10%" }]` or `{ "100B" = "10%" }`.
pub(super) fn read_tiers(v: &Value) -> Result<Vec<Tier>, FileError> {
    let mut tiers = if v.is_table() {
        let t = v.table()?;
        let entries: Vec<_> = t.entries().collect();
        entries
            .iter()
            .map(|(above, _, rate)| {
                let above = crate::money::parse_large_money(above).map_err(|error| {
                    FileError::new(
                        rate.key_span.clone(),
                        FileErrorKind::Amount { key: format!("{}.{above}", t.name()), error },
                    )
                })?;
                Ok(Tier { above, rate: rate.rate()? })
            })
            .collect::<Result<Vec<_>, FileError>>()?
    } else {
        v.array()?
            .iter()
            .map(|tier| {
                let t = tier.table()?;
                let out = Tier { above: t.required("above")?.money()?, rate: t.required("rate")?.rate()? };
                t.finish()?;
                Ok(out)
            })
            .collect::<Result<Vec<_>, FileError>>()?
    };
    tiers.sort_by_key(|t| t.above);
    Ok(tiers)
}

fn read_stream(v: &Value) -> Result<RevenueStream, FileError> {
    v.choice(&[
        ("openai-revenue", RevenueStream::OpenaiRevenue),
        ("microsoft-openai-products", RevenueStream::MicrosoftOpenaiProducts),
    ])
}

/// The base as written: `{ stream = "openai-revenue", fraction = "1" }`, or the stream alone.
pub(super) fn read_base(v: &Value) -> Result<RevenueBase, FileError> {
    if !v.is_table() {
        return Ok(RevenueBase { stream: read_stream(v)?, fraction: Decimal::ONE });
    }
    let t = v.table()?;
    let base = RevenueBase {
        stream: read_stream(&t.required("stream")?)?,
        fraction: t.optional("fraction", Value::rate)?.unwrap_or(Decimal::ONE),
    };
    t.finish()?;
    Ok(base)
}

/// A total cap as written: `"38B"`, or `{ kind = "total", amount = "38B" }`.
pub(super) fn read_cap(v: &Value) -> Result<Cap, FileError> {
    if !v.is_table() {
        return Ok(Cap::Total { amount: v.money()? });
    }
    let t = v.table()?;
    t.required("kind")?.choice(&[("total", ())])?;
    let cap = Cap::Total { amount: t.required("amount")?.money()? };
    t.finish()?;
    Ok(cap)
}
