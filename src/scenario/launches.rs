//! Launches and the cloud mix: the scenario's inputs for the non-cash rights.

use super::*;

/// `assumptions.launch_lag_days`: how long other clouds wait behind Azure (0 to 3650 days).
pub(super) fn launch_lag_days(source: &Source, a: &raw::RawAssumptions) -> Result<i64, InputError> {
    match &a.launch_lag_days {
        None => Ok(DEFAULT_LAUNCH_LAG_DAYS),
        Some(days) if (0..=3650).contains(days.get_ref()) => Ok(*days.get_ref()),
        Some(days) => Err(InputError::at(
            source,
            days.span(),
            InputErrorKind::WrongType {
                key: "assumptions.launch_lag_days".into(),
                expected: "a whole number of days from 0 to 3650",
                found: days.get_ref().to_string(),
            },
        )),
    }
}

/// `[[launches]]`: each product launch.
pub(super) fn launches(v: &Values, raw: &[toml::Spanned<raw::RawLaunch>]) -> Result<Vec<Launch>, InputError> {
    raw.iter()
        .map(|launch| {
            let l = launch.get_ref();
            Ok(Launch {
                product: l.product.get_ref().clone(),
                date: v.date("launches.date", &l.date)?,
                azure_can_support: *l.azure_can_support.get_ref(),
                microsoft_supports: *l.microsoft_supports.get_ref(),
            })
        })
        .collect()
}

pub(super) fn cloud_mix(v: &Values, raw: &toml::Spanned<raw::RawCloudMix>) -> Result<CloudMix, InputError> {
    let r = raw.get_ref();
    let on_breach = match &r.on_breach {
        None => OnBreach::Flag,
        Some(text) => match text.get_ref().as_str() {
            "flag" => OnBreach::Flag,
            "error" => OnBreach::Error,
            other => {
                return Err(InputError::at(
                    v.source(),
                    text.span(),
                    InputErrorKind::WrongType {
                        key: "cloud_mix.on_breach".into(),
                        expected: "\"flag\" or \"error\"",
                        found: format!("\"{other}\""),
                    },
                ))
            }
        },
    };
    let mut by_year = BTreeMap::new();
    for (year_key, shares) in &r.by_year {
        let year = revenue::year_key_in(v, year_key, "cloud_mix.by_year")?;
        let mut parsed = BTreeMap::new();
        for (cloud, share) in shares.get_ref() {
            parsed.insert(
                cloud.to_ascii_lowercase(),
                v.rate(&format!("cloud_mix.by_year.{year}.{cloud}"), share)?,
            );
        }
        let total: Decimal = parsed.values().sum();
        if total != Decimal::ONE {
            return Err(InputError::at(
                v.source(),
                shares.span(),
                InputErrorKind::Schema {
                    message: format!(
                        "cloud_mix.by_year.{year}: the shares add up to {}, not 1",
                        total.normalize()
                    ),
                },
            ));
        }
        by_year.insert(year, parsed);
    }
    Ok(CloudMix { by_year, on_breach })
}
