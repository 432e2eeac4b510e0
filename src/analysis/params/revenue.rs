//! The two parameters that rewrite a scenario's revenue path: `growth` and `revenue_scale`.

use super::ParamError;
use crate::money::{round_money, MAX_MONEY};
use crate::scenario::Scenario;
use rust_decimal::Decimal;

/// Every year after the first grows from the year before at `g`.
pub(super) fn grow(scenario: &mut Scenario, g: Decimal) -> Result<(), ParamError> {
    for source in scenario.openai_growth.iter_mut().skip(1) {
        *source = crate::scenario::GrowthSource::Fixed(g);
    }
    let revenue = &mut scenario.openai_revenue;
    for i in 1..revenue.len() {
        revenue[i] = revenue[i - 1]
            .checked_mul(Decimal::ONE + g)
            .map(round_money)
            .filter(|r| *r <= MAX_MONEY)
            .ok_or_else(|| ParamError::RevenueTooLarge { setting: format!("growth {g}"), grows: true })?;
    }
    Ok(())
}

/// Every year's revenue times `scale`.
pub(super) fn scale(scenario: &mut Scenario, scale: Decimal) -> Result<(), ParamError> {
    for r in &mut scenario.openai_revenue {
        *r = r.checked_mul(scale).map(round_money).filter(|r| *r <= MAX_MONEY).ok_or_else(|| {
            ParamError::RevenueTooLarge { setting: format!("revenue_scale {scale}"), grows: false }
        })?;
    }
    Ok(())
}
