//! What a revenue share's file or a scenario's overrides can get wrong that its shape cannot say.

use super::RevenueShare;
use crate::agreement::OverrideError;
use rust_decimal::Decimal;

/// A revenue share's rate, base fraction, schedule, tiers, cap and lag within their ranges.
pub(super) fn check_share(share: &RevenueShare) -> Result<(), OverrideError> {
    let out_of_range = |parameter: &'static str, value: Decimal, expected: &'static str| {
        OverrideError::OutOfRange { clause: share.id.clone(), parameter, value: value.to_string(), expected }
    };
    let unit = Decimal::ZERO..=Decimal::ONE;
    if !unit.contains(&share.rate.value) {
        return Err(out_of_range("rate", share.rate.value, "a rate between 0 and 1"));
    }
    for step in share.schedule.iter().flat_map(|s| &s.value) {
        if !unit.contains(&step.rate) {
            return Err(out_of_range("rate schedule", step.rate, "a rate between 0 and 1"));
        }
    }
    if let Some(lag) = share.payment_lag_days.as_ref().filter(|l| !(0..=3650).contains(&l.value)) {
        return Err(OverrideError::OutOfRange {
            clause: share.id.clone(),
            parameter: "payment lag",
            value: format!("{} days", lag.value),
            expected: "0 to 3650 days",
        });
    }
    if let Some(t) = &share.tiers {
        let bad = |value: String, expected: &'static str| OverrideError::OutOfRange {
            clause: share.id.clone(),
            parameter: "rate tiers",
            value,
            expected,
        };
        if share.schedule.is_some() {
            return Err(bad("both a schedule and tiers".into(), "one of the two on a share"));
        }
        if t.value.iter().any(|tier| !unit.contains(&tier.rate)) {
            return Err(bad("a rate outside 0..1".into(), "rates between 0 and 1"));
        }
        if t.value.iter().any(|tier| tier.above <= Decimal::ZERO)
            || t.value.windows(2).any(|w| w[0].above >= w[1].above)
        {
            return Err(bad("thresholds out of order or not above 0".into(), "thresholds above 0, rising"));
        }
    }
    if let Some(late) = share.schedule.iter().flat_map(|s| &s.value).find(|step| step.from > share.end.value)
    {
        return Err(OverrideError::OutOfRange {
            clause: share.id.clone(),
            parameter: "rate schedule",
            value: format!("a step on {} after the share ends ({})", late.from, share.end.value),
            expected: "steps on or before the share's end (a later step would never apply)",
        });
    }
    if share.payer == share.payee {
        return Err(OverrideError::OutOfRange {
            clause: share.id.clone(),
            parameter: "payee",
            value: format!("{} paying itself", share.payer),
            expected: "a payee other than the payer",
        });
    }
    if let Some(s) = &share.schedule {
        if s.value.windows(2).any(|w| w[0].from >= w[1].from) {
            return Err(OverrideError::OutOfRange {
                clause: share.id.clone(),
                parameter: "rate schedule",
                value: "steps out of order or on one day".into(),
                expected: "steps in date order, one per day",
            });
        }
    }
    if !unit.contains(&share.base.value.fraction) {
        return Err(out_of_range("base fraction", share.base.value.fraction, "a fraction between 0 and 1"));
    }
    if let Some(cap) = &share.cap {
        let amount = cap.value.amount();
        if amount < Decimal::ZERO || amount > crate::money::MAX_MONEY {
            return Err(out_of_range("cap", amount, "an amount between 0 and 1,000T"));
        }
    }

    Ok(())
}
