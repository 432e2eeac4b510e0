//! The scenario's years, periods and revenue paths: listed years as given, others grown, and
//! years split into quarters by days when asked.

use super::dist::Dist;
use super::*;

/// The periods of a run and the revenue of each, with how each was set.
pub(super) struct RevenuePaths {
    pub granularity: Granularity,
    pub periods: Vec<Period>,
    pub openai_revenue: Vec<Decimal>,
    pub openai_growth: Vec<GrowthSource>,
    pub microsoft_revenue: Vec<Decimal>,
    pub microsoft_growth: Vec<GrowthSource>,
    pub other_streams: Vec<(String, Vec<Decimal>)>,
    pub openai_scale: Option<Dist>,
    pub microsoft_scale: Option<Dist>,
}

/// `years`, `periods` and `[revenue]`: the run's periods and both revenue paths.
pub(super) fn paths(v: &Values, source: &Source, raw: &RawScenario) -> Result<RevenuePaths, InputError> {
    let years = years(source, raw)?;
    let revenue = raw.revenue.get_ref();
    let granularity = granularity(source, raw)?;
    let given = quarters::of_every_stream(v, granularity, revenue, &years)?;
    let none = quarters::Quarters::new();
    let quarters_of = |name: &str| given.get(name).unwrap_or(&none);
    let (openai_revenue, openai_growth, openai_scale) =
        drawn_path(v, "openai", &revenue.openai, &years, quarters_of("openai"))?;
    let (microsoft_revenue, microsoft_growth, microsoft_scale) = match &revenue.microsoft {
        Some(path) => drawn_path(v, "microsoft", path, &years, quarters_of("microsoft"))?,
        None => (vec![Decimal::ZERO; years.len()], vec![GrowthSource::Listed; years.len()], None),
    };
    let mut other_streams = Vec::new();
    for (name, path) in &revenue.others {
        check_stream_name(v, name)?;
        let (amounts, sources) = revenue_path(v, name.get_ref(), path, &years, quarters_of(name.get_ref()))?;
        // Monte Carlo draws OpenAI's and Microsoft's revenue only: a distribution here would be
        // read as its centre and never drawn.
        let drawn = sources.iter().any(|s| matches!(s, GrowthSource::Random(_) | GrowthSource::Drawn(_)));
        if drawn || path.get_ref().scale.is_some() {
            return Err(InputError::at(
                v.source(),
                path.span(),
                InputErrorKind::Schema {
                    message: format!(
                        "revenue.{}: distributions and `scale` are drawn for [revenue.openai] and [revenue.microsoft] only; give this stream fixed amounts",
                        name.get_ref()
                    ),
                },
            ));
        }
        other_streams.push((name.get_ref().clone(), amounts));
    }
    let quarterly = |name: &str, amounts: &[Decimal]| {
        let mut split = split_by_quarter(&years, amounts);
        if let Some(q) = given.get(name) {
            quarters::apply(&years, &mut split, q);
        }
        split
    };
    Ok(match granularity {
        Granularity::Years => RevenuePaths {
            granularity,
            periods: years,
            openai_revenue,
            openai_growth,
            microsoft_revenue,
            microsoft_growth,
            other_streams,
            openai_scale,
            microsoft_scale,
        },
        Granularity::Quarters => {
            let quarters: Vec<Period> =
                years.iter().flat_map(|y| (1..=4).filter_map(move |q| Period::quarter(y.year, q))).collect();
            RevenuePaths {
                granularity,
                openai_growth: vec![GrowthSource::Listed; quarters.len()],
                microsoft_growth: vec![GrowthSource::Listed; quarters.len()],
                periods: quarters,
                openai_revenue: quarterly("openai", &openai_revenue),
                microsoft_revenue: quarterly("microsoft", &microsoft_revenue),
                other_streams: other_streams
                    .into_iter()
                    .map(|(name, amounts)| {
                        let split = quarterly(&name, &amounts);
                        (name, split)
                    })
                    .collect(),
                openai_scale,
                microsoft_scale,
            }
        }
    })
}

/// `periods`: "years" (the default) or "quarters".
fn granularity(source: &Source, raw: &RawScenario) -> Result<Granularity, InputError> {
    Ok(match &raw.periods {
        None => Granularity::Years,
        Some(text) => match text.get_ref().as_str() {
            "years" => Granularity::Years,
            "quarters" => Granularity::Quarters,
            other => {
                return Err(InputError::at(
                    source,
                    text.span(),
                    InputErrorKind::WrongType {
                        key: "periods".into(),
                        expected: "\"years\" or \"quarters\"",
                        found: format!("\"{other}\""),
                    },
                ))
            }
        },
    })
}

/// A stream's name is how a clause names it (`purchases = "azure_purchases"`): a plain word; one
/// a letter or two from `openai` or `microsoft` is almost surely a typo of them, which would
/// otherwise become a stream of its own that nothing reads.
fn check_stream_name(v: &Values, name: &toml::Spanned<String>) -> Result<(), InputError> {
    let text = name.get_ref();
    let plain = !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let known = ["openai".to_string(), "microsoft".to_string()];
    let near = crate::text::nearest(text, &known);
    if plain && near.is_none() {
        return Ok(());
    }
    let error = InputError::at(
        v.source(),
        name.span(),
        InputErrorKind::WrongType {
            key: format!("revenue.{text}"),
            expected: "a stream name of letters, digits, `_` or `-` (`openai`, `microsoft`, or another stream a clause names)",
            found: format!("`{text}`"),
        },
    );
    Err(match near {
        Some(k) => error.with_help(format!("did you mean [revenue.{k}]?")),
        None => error,
    })
}

/// `years = { from, to }`: within the supported range and in order.
fn years(source: &Source, raw: &RawScenario) -> Result<Vec<Period>, InputError> {
    let from = *raw.years.get_ref().from.get_ref();
    let to = *raw.years.get_ref().to.get_ref();
    for (key, year) in [("years.from", &raw.years.get_ref().from), ("years.to", &raw.years.get_ref().to)] {
        if !(FIRST_YEAR..=LAST_YEAR).contains(year.get_ref()) {
            return Err(InputError::at(
                source,
                year.span(),
                InputErrorKind::YearOutOfRange { key: key.to_string(), year: *year.get_ref() },
            ));
        }
    }
    if to < from {
        return Err(InputError::at(source, raw.years.span(), InputErrorKind::YearsReversed { from, to }));
    }
    Ok((from..=to).filter_map(|y| i32::try_from(y).ok().and_then(Period::calendar_year)).collect())
}

/// A path Monte Carlo may draw (OpenAI's, Microsoft's): `revenue_path`, and its `scale`, a level
/// factor centred on 1 (so a plain run's path is the path as written).
type DrawnPath = (Vec<Decimal>, Vec<GrowthSource>, Option<Dist>);

fn drawn_path(
    v: &Values,
    path_name: &str,
    path: &toml::Spanned<RawRevenuePath>,
    periods: &[Period],
    quarters: &super::quarters::Quarters,
) -> Result<DrawnPath, InputError> {
    let (amounts, sources) = revenue_path(v, path_name, path, periods, quarters)?;
    let Some(raw) = &path.get_ref().scale else { return Ok((amounts, sources, None)) };
    let key = format!("revenue.{path_name}.scale");
    let (central, dist) = v.multiple_or_dist(&key, raw)?;
    // A factor around the path as written: a plain run's path is the path itself.
    if central != Decimal::ONE || dist.is_none() {
        return Err(InputError::at(
            v.source(),
            raw.span(),
            InputErrorKind::Schema {
                message: format!(
                    "{key}: a level factor drawn around the path, so a distribution centred on 1 (median, mean or mode 1), such as {{ dist = \"lognormal\", median = 1, sigma = 0.15 }}; to move the path itself, change its amounts"
                ),
            },
        ));
    }
    Ok((amounts, sources, dist))
}

/// `by_year`: each listed year's amount (a distribution's centre) and the distributions.
type Listed = (BTreeMap<i32, Decimal>, BTreeMap<i32, Dist>);

fn listed_years(
    v: &Values,
    path_name: &str,
    raw: &RawRevenuePath,
    periods: &[Period],
    quarters: &super::quarters::Quarters,
) -> Result<Listed, InputError> {
    let (mut listed, mut drawn) = (BTreeMap::new(), BTreeMap::new());
    for (year_key, amount) in &raw.by_year {
        let table = format!("revenue.{path_name}.by_year");
        let year = year_key_in(v, year_key, &table)?;
        year_in_run(v, year_key.span(), &table, year, periods)?;
        let (central, dist) = v.money_or_dist(&format!("revenue.{path_name}.by_year.{year}"), amount)?;
        listed.insert(year, central);
        if let Some(dist) = dist {
            drawn.insert(year, dist);
        }
    }
    for (year, given) in quarters {
        let total = super::quarters::total(given).ok_or_else(|| {
            InputError::at(
                v.source(),
                0..0,
                InputErrorKind::RevenueOverflow { path: path_name.to_string(), year: *year },
            )
        })?;
        listed.insert(*year, total);
    }
    Ok((listed, drawn))
}

/// A revenue path: listed years as given (an amount, or a distribution of money whose centre a
/// plain run takes), other years grown from the year before.
pub(super) fn revenue_path(
    v: &Values,
    path_name: &str,
    path: &toml::Spanned<RawRevenuePath>,
    periods: &[Period],
    quarters: &super::quarters::Quarters,
) -> Result<(Vec<Decimal>, Vec<GrowthSource>), InputError> {
    let raw = path.get_ref();
    let key = |suffix: &str| format!("revenue.{path_name}.{suffix}");
    let (listed, drawn) = listed_years(v, path_name, raw, periods, quarters)?;
    let growth = match &raw.growth {
        Some(g) => {
            let growth = v.growth(&key("growth"), g)?;
            if let values::Growth::ByYear(rates) = &growth {
                for year in rates.keys() {
                    year_in_run(v, g.span(), &key("growth"), *year, periods)?;
                }
            }
            Some(growth)
        }
        None => None,
    };
    let mut out: Vec<Decimal> = Vec::with_capacity(periods.len());
    let mut sources = Vec::with_capacity(periods.len());
    for period in periods {
        let rate = growth.as_ref().and_then(|g| g.for_year(period.year));
        let amount = match (listed.get(&period.year), out.last(), rate) {
            (Some(amount), _, _) => *amount,
            (None, Some(previous), Some(rate)) => previous
                .checked_mul(Decimal::ONE + rate)
                .map(crate::money::round_money)
                .filter(|x| *x <= crate::money::MAX_MONEY)
                .ok_or_else(|| {
                    // The growth that compounded past the limit is what to change: point at it.
                    let span = raw.growth.as_ref().map_or(path.span(), |g| g.span());
                    InputError::at(
                        v.source(),
                        span,
                        InputErrorKind::RevenueOverflow { path: path_name.to_string(), year: period.year },
                    )
                })?,
            _ => {
                let help = match (&growth, out.is_empty()) {
                    (Some(_), true) => {
                        format!("the first year ({}) must be listed in `by_year`", period.year)
                    }
                    (Some(_), false) => {
                        format!("list {0} in `by_year`, or give a growth rate for {0}", period.year)
                    }
                    (None, _) => {
                        format!(
                            "list {} in `by_year`, or add `growth` to grow it from the year before",
                            period.year
                        )
                    }
                };
                return Err(InputError::at(
                    v.source(),
                    path.span(),
                    InputErrorKind::MissingRevenue { path: path_name.to_string(), year: period.year },
                )
                .with_help(help));
            }
        };
        sources.push(match (listed.contains_key(&period.year), &growth, rate) {
            (true, _, _) if drawn.contains_key(&period.year) => GrowthSource::Drawn(drawn[&period.year]),
            (true, _, _) => GrowthSource::Listed,
            (false, Some(values::Growth::Random(dist)), _) => GrowthSource::Random(*dist),
            (false, _, rate) => GrowthSource::Fixed(rate.unwrap_or_default()),
        });
        out.push(amount);
    }
    Ok((out, sources))
}

/// A year listed in a table of the scenario must be one of the run's years: one outside it (2082
/// typed for 2028) would be silently ignored, and the year meant grown instead.
pub(super) fn year_in_run(
    v: &Values,
    span: std::ops::Range<usize>,
    table: &str,
    year: i32,
    periods: &[Period],
) -> Result<(), InputError> {
    let (Some(first), Some(last)) = (periods.first(), periods.last()) else { return Ok(()) };
    if (first.year..=last.year).contains(&year) {
        return Ok(());
    }
    let run: Vec<String> = periods.iter().map(|p| p.year.to_string()).collect();
    let year_text = year.to_string();
    let closest = nearest(&year_text, &run)
        .map(str::to_string)
        .unwrap_or_else(|| (if year < first.year { first.year } else { last.year }).to_string());
    Err(InputError::at(
        v.source(),
        span,
        InputErrorKind::YearOutsideRun { table: table.to_string(), year, from: first.year, to: last.year },
    )
    .with_help(format!("did you mean {closest}? Or widen `years` to include {year}")))
}

/// A table key that must be a year within range, e.g. the `2026` of `by_year = { 2026 = … }`.
pub(super) fn year_key_in(v: &Values, key: &toml::Spanned<String>, table: &str) -> Result<i32, InputError> {
    key.get_ref()
        .trim()
        .parse()
        .ok()
        .filter(|y| (FIRST_YEAR..=LAST_YEAR).contains(&i64::from(*y)))
        .ok_or_else(|| {
            InputError::at(
                v.source(),
                key.span(),
                InputErrorKind::NotAYear { table: table.to_string(), key: key.get_ref().clone() },
            )
        })
}

/// Each year's amount split across its four quarters in proportion to their days, rounded to the
/// cent, the last quarter taking the remainder so the quarters add up to the year exactly.
pub(super) fn split_by_quarter(years: &[Period], amounts: &[Decimal]) -> Vec<Decimal> {
    let mut out = Vec::with_capacity(years.len() * 4);
    for (year, amount) in years.iter().zip(amounts) {
        let mut left = *amount;
        for q in 1..=4 {
            let Some(quarter) = Period::quarter(year.year, q) else { continue };
            let share = if q == 4 {
                left
            } else {
                crate::money::round_money(
                    *amount * Decimal::from(quarter.days()) / Decimal::from(year.days()),
                )
            };
            left -= share;
            out.push(share);
        }
    }
    out
}
