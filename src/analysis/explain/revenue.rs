//! Where a period's revenue comes from, in words: listed, grown at an assumed rate, or a year
//! split across its quarters.

use crate::money::{percent, Human};
use crate::scenario::{Granularity, GrowthSource, Scenario};

/// Where a period's revenue comes from, in words: listed in the scenario, grown from the period
/// before at an assumed rate, or a year's revenue split across its quarters.
pub(super) fn revenue_words(scenario: &Scenario, index: usize) -> String {
    let row_revenue = scenario.openai_revenue.get(index).copied().unwrap_or_default();
    let Some(period) = scenario.periods.get(index) else { return String::new() };
    if scenario.granularity == Granularity::Quarters {
        let year: rust_decimal::Decimal = scenario
            .periods
            .iter()
            .zip(&scenario.openai_revenue)
            .filter(|(p, _)| p.year == period.year)
            .map(|(_, r)| *r)
            .sum();
        let year_days =
            scenario.periods.iter().filter(|p| p.year == period.year).map(|p| p.days()).sum::<i64>();
        return format!(
            "revenue {} — {}'s {} split across its quarters by days ({} of {}; the last quarter takes the remainder)",
            Human(row_revenue),
            period.year,
            Human(year),
            period.days(),
            year_days
        );
    }
    let previous =
        index.checked_sub(1).and_then(|i| Some((scenario.periods.get(i)?, scenario.openai_revenue.get(i)?)));
    match (scenario.openai_growth.get(index), previous) {
        (Some(GrowthSource::Fixed(g)), Some((p, r))) => format!(
            "revenue {} — grown {} from {}'s {} (assumption: revenue.openai.growth), rounded to the cent",
            Human(row_revenue),
            percent(*g),
            p.label,
            Human(*r)
        ),
        (Some(GrowthSource::Random(dist)), Some((p, r))) => format!(
            "revenue {} — grown {} (the growth distribution's centre) from {}'s {}, rounded to the cent",
            Human(row_revenue),
            percent(dist.central()),
            p.label,
            Human(*r)
        ),
        (Some(GrowthSource::Drawn(_)), _) => format!(
            "revenue {} — the centre of the distribution revenue.openai.by_year gives for {} (Monte Carlo draws it)",
            Human(row_revenue),
            period.year
        ),
        _ => format!(
            "revenue {} — scenario input (revenue.openai.by_year) for {}",
            Human(row_revenue),
            period.label
        ),
    }
}
