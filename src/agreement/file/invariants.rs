//! `[[invariants]]`: each promise by its kind, with the figure, right or clause it speaks of.

use super::{FileError, FileErrorKind, Table, Value};
use crate::agreement::{DistributionStatus, Figure, Invariant, LicenceStatus, RightValue};
use std::ops::Range;

fn figure(v: &Value) -> Result<Figure, FileError> {
    v.choice(&[
        ("share_due", Figure::ShareDue),
        ("share_paid", Figure::SharePaid),
        ("microsoft_share_paid", Figure::MicrosoftSharePaid),
        ("net_to_microsoft", Figure::NetToMicrosoft),
        ("cash_to_microsoft", Figure::CashToMicrosoft),
        ("paid_to_microsoft", Figure::PaidToMicrosoft),
        ("due", Figure::Due),
        ("paid", Figure::Paid),
        ("purchases", Figure::Purchases),
    ])
}

/// An amount in an invariant: money with its unit, as everywhere (zero needs none).
fn amount(v: &Value) -> Result<rust_decimal::Decimal, FileError> {
    v.money()
}

fn right(v: &Value) -> Result<RightValue, FileError> {
    let t = v.table()?;
    let entries: Vec<_> = t.entries().collect();
    let [(name, key_span, value)] = entries.as_slice() else {
        return Err(FileError::invalid(
            t.span(),
            format!("{}: give one right, e.g. {{ licence = \"exclusive\" }}", t.name()),
        ));
    };
    Ok(match name.as_str() {
        "licence" => RightValue::Licence(value.choice(&[
            ("exclusive", LicenceStatus::Exclusive),
            ("non-exclusive", LicenceStatus::NonExclusive),
            ("none", LicenceStatus::None),
        ])?),
        "distribution" => RightValue::Distribution(value.choice(&[
            ("azure-only", DistributionStatus::AzureOnly),
            ("any-cloud", DistributionStatus::AnyCloud),
            ("none", DistributionStatus::None),
        ])?),
        "azure_first" => RightValue::AzureFirst(value.boolean()?),
        "agi_clause" => RightValue::AgiClause(value.boolean()?),
        other => {
            return Err(FileError::new(
                key_span.clone(),
                FileErrorKind::UnknownKey {
                    key: t.name().to_string(),
                    name: other.to_string(),
                    expected: "`licence`, `distribution`, `azure_first`, `agi_clause`".into(),
                },
            ))
        }
    })
}

/// One `[[invariants]]` table by its kind, with the span of the clause it names (if any).
pub(super) fn read_invariant(value: &Value) -> Result<(Invariant, Option<Range<usize>>), FileError> {
    let t = value.table()?.named("invariants".to_string());
    let kind = t.required("kind")?;
    let says = t.required("says")?.string()?;
    let after = |t: &Table| t.optional("after", Value::date);
    let clause_span = t.get("clause").map(|v| v.span);
    let invariant = match kind.choice(&[
        ("total-within-cap", 0),
        ("zero", 1),
        ("at-least", 2),
        ("monotone-in-revenue", 3),
        ("right-never", 4),
        ("right-is", 5),
    ])? {
        0 => Invariant::TotalWithinCap {
            says,
            figure: figure(&t.required("figure")?)?,
            clause: t.optional("clause", Value::string)?,
            pool: t.optional("pool", Value::string)?,
            cap: t.optional("cap", amount)?,
        },
        1 => Invariant::Zero {
            says,
            figure: figure(&t.required("figure")?)?,
            clause: t.optional("clause", Value::string)?,
            after: after(&t)?,
        },
        2 => Invariant::AtLeast {
            says,
            figure: figure(&t.required("figure")?)?,
            clause: t.optional("clause", Value::string)?,
            value: amount(&t.required("value")?)?,
        },
        3 => Invariant::MonotoneInRevenue { says, figure: figure(&t.required("figure")?)? },
        4 => Invariant::RightNever { says, right: right(&t.required("right")?)?, after: after(&t)? },
        _ => Invariant::RightIs { says, right: right(&t.required("right")?)?, after: after(&t)? },
    };
    t.finish()?;
    let pooled = matches!(&invariant, Invariant::TotalWithinCap { pool: Some(_), .. });
    if matches!(invariant.figure(), Some(Figure::Due | Figure::Paid))
        && invariant.clause().is_none()
        && !pooled
    {
        return Err(FileError::invalid(
            t.span(),
            "invariants: the figures `due` and `paid` are one clause's or one cap pool's: name it with `clause` (or `pool`)",
        ));
    }
    Ok((invariant, clause_span))
}
