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
    pub description: Option<Spanned<String>>,
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

/// `[revenue.openai]`, `[revenue.microsoft]` and any other stream a clause may name (purchases
/// under a purchase commitment: `[revenue.azure_purchases]`).
#[derive(Debug)]
pub struct RawRevenue {
    pub openai: Spanned<RawRevenuePath>,
    pub microsoft: Option<Spanned<RawRevenuePath>>,
    pub others: BTreeMap<Spanned<String>, Spanned<RawRevenuePath>>,
}

/// By hand: serde's `flatten` would buffer the values and lose their spans.
impl<'de> Deserialize<'de> for RawRevenue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Streams;
        impl<'de> serde::de::Visitor<'de> for Streams {
            type Value = RawRevenue;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a table of revenue streams ([revenue.openai], [revenue.microsoft], …)")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<RawRevenue, A::Error> {
                let (mut openai, mut microsoft, mut others) = (None, None, BTreeMap::new());
                while let Some(name) = map.next_key::<Spanned<String>>()? {
                    let path: Spanned<RawRevenuePath> = map.next_value()?;
                    match name.get_ref().as_str() {
                        "openai" => openai = Some(path),
                        "microsoft" => microsoft = Some(path),
                        _ => {
                            others.insert(name, path);
                        }
                    }
                }
                let openai = openai.ok_or_else(|| serde::de::Error::missing_field("openai"))?;
                Ok(RawRevenue { openai, microsoft, others })
            }
        }
        deserializer.deserialize_map(Streams)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRevenuePath {
    #[serde(default)]
    pub by_year: BTreeMap<Spanned<String>, RawValue>,
    /// A quarterly run's quarters given outright (`"2025-Q1" = "2B"`).
    #[serde(default)]
    pub by_quarter: BTreeMap<Spanned<String>, RawValue>,
    pub growth: Option<RawValue>,
    /// A level factor on the whole path, drawn once per Monte Carlo path.
    pub scale: Option<RawValue>,
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
    pub revenue_correlation: Option<RawValue>,
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
    // Parameters of the payment kinds (money, unless said).
    pub per_year: Option<RawValue>,
    pub amount: Option<RawValue>,
    pub commitment: Option<RawValue>,
    pub revenue_reaches: Option<RawValue>,
    pub cumulative_revenue_reaches: Option<RawValue>,
    /// A purchase commitment's fraction of its stream (a rate).
    pub fraction: Option<RawValue>,
}
