//! Stage 1a: a serde mirror of the scenario file, as written. Unknown keys are errors; flexible
//! scalars (money, dates, growth) stay as spanned TOML values until validation, so a float's
//! exact text can be re-read from the source and every error can point at its value.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

pub type RawValue = Spanned<toml::Value>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: Option<Spanned<String>>,
    pub description: Option<String>,
    pub agreement: Option<Spanned<String>>,
    pub years: Spanned<RawYears>,
    pub periods: Option<Spanned<String>>,
    pub revenue: Spanned<RawRevenue>,
    #[serde(default)]
    pub assumptions: RawAssumptions,
    #[serde(default)]
    pub overrides: BTreeMap<Spanned<String>, Spanned<RawClauseOverride>>,
    #[serde(default)]
    pub launches: Vec<Spanned<RawLaunch>>,
    pub cloud_mix: Option<Spanned<RawCloudMix>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLaunch {
    pub product: Spanned<String>,
    pub date: RawValue,
    pub azure_can_support: Spanned<bool>,
    pub microsoft_supports: Spanned<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCloudMix {
    pub on_breach: Option<Spanned<String>>,
    pub by_year: BTreeMap<Spanned<String>, Spanned<BTreeMap<String, RawValue>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawYears {
    pub from: Spanned<i64>,
    pub to: Spanned<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRevenue {
    pub openai: Spanned<RawRevenuePath>,
    pub microsoft: Option<Spanned<RawRevenuePath>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRevenuePath {
    #[serde(default)]
    pub by_year: BTreeMap<Spanned<String>, RawValue>,
    pub growth: Option<RawValue>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAssumptions {
    pub cap: Option<RawValue>,
    pub effective_date: Option<RawValue>,
    pub cap_counts_from: Option<RawValue>,
    pub prior_payments_toward_cap: Option<RawValue>,
    pub share_rate: Option<RawValue>,
    pub share_base: Option<RawValue>,
    pub azure_first_exception: Option<RawValue>,
    pub agi_declared: Option<RawValue>,
    pub discount_rate: Option<RawValue>,
    pub discounting: Option<RawValue>,
    pub launch_lag_days: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClauseOverride {
    pub rate: Option<RawValue>,
    pub rate_schedule: Option<RawValue>,
    pub rate_tiers: Option<RawValue>,
    pub payment_lag_days: Option<toml::Spanned<i64>>,
    pub cap: Option<RawValue>,
    pub base_fraction: Option<RawValue>,
    pub start: Option<RawValue>,
    pub end: Option<RawValue>,
    pub exclusive: Option<RawValue>,
    pub clouds: Option<RawValue>,
    pub exception: Option<RawValue>,
}
