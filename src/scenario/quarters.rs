//! `by_quarter = { "2025-Q1" = "2B", … }` in a quarterly run: a year's four quarters given
//! outright, instead of its `by_year` amount split by days. A year takes one or the other (both
//! is refused), all four quarters or none; later years grow from the quarters' total.

use super::raw::RawRevenuePath;
use super::values::Values;
use super::*;

/// Per year listed by quarter, its four amounts.
pub(super) type Quarters = BTreeMap<i32, [Decimal; 4]>;

/// The quarters a path lists, checked: each key `YYYY-Qn` within the run, each a money amount,
/// every listed year complete and not also in `by_year`.
pub(super) fn read(
    v: &Values,
    path_name: &str,
    raw: &RawRevenuePath,
    periods: &[Period],
) -> Result<Quarters, InputError> {
    let table = format!("revenue.{path_name}.by_quarter");
    let mut given: BTreeMap<i32, [Option<Decimal>; 4]> = BTreeMap::new();
    let mut spans: BTreeMap<i32, std::ops::Range<usize>> = BTreeMap::new();
    for (key, amount) in &raw.by_quarter {
        let text = key.get_ref().trim();
        let parsed =
            text.split_once("-Q").and_then(|(y, q)| Some((y.parse::<i32>().ok()?, q.parse::<usize>().ok()?)));
        let Some((year, q)) = parsed.filter(|(_, q)| (1..=4).contains(q)) else {
            return Err(InputError::at(
                v.source(),
                key.span(),
                InputErrorKind::WrongType {
                    key: table.clone(),
                    expected: "a quarter such as \"2025-Q1\" as the key",
                    found: format!("`{text}`"),
                },
            ));
        };
        revenue::year_in_run(v, key.span(), &table, year, periods)?;
        let money = v.money(&format!("{table}.{text}"), amount)?;
        given.entry(year).or_default()[q - 1] = Some(money);
        spans.entry(year).or_insert_with(|| key.span());
    }
    let mut out = Quarters::new();
    for (year, quarters) in given {
        let schema = |message: String| {
            InputError::at(v.source(), spans[&year].clone(), InputErrorKind::Schema { message })
        };
        if raw.by_year.keys().any(|k| k.get_ref().trim() == year.to_string()) {
            return Err(schema(format!(
                "{table}: {year} is in both by_year and by_quarter; give the year's revenue one way"
            )));
        }
        let missing: Vec<String> =
            (0..4).filter(|q| quarters[*q].is_none()).map(|q| format!("{year}-Q{}", q + 1)).collect();
        if !missing.is_empty() {
            return Err(schema(format!(
                "{table}: {year} lists some quarters but not {}; list all four, or give the year in by_year",
                missing.join(", ")
            )));
        }
        out.insert(year, quarters.map(|q| q.unwrap_or_default()));
    }
    Ok(out)
}

/// A listed year's total from its quarters (what later years grow from). `None` on overflow.
pub(super) fn total(quarters: &[Decimal; 4]) -> Option<Decimal> {
    quarters.iter().try_fold(Decimal::ZERO, |acc, q| acc.checked_add(*q))
}

/// The quarterly split of a path (`split_by_quarter`) with the quarters given outright in place.
pub(super) fn apply(years: &[Period], split: &mut [Decimal], quarters: &Quarters) {
    for (i, year) in years.iter().enumerate() {
        if let Some(given) = quarters.get(&year.year) {
            split[4 * i..4 * i + 4].copy_from_slice(given);
        }
    }
}

/// Every stream's quarters, by stream name; `by_quarter` in a yearly run is refused.
pub(super) fn of_every_stream(
    v: &Values,
    granularity: Granularity,
    revenue: &super::raw::RawRevenue,
    years: &[Period],
) -> Result<BTreeMap<String, Quarters>, InputError> {
    let mut paths: Vec<(&str, &toml::Spanned<RawRevenuePath>)> = vec![("openai", &revenue.openai)];
    paths.extend(revenue.microsoft.as_ref().map(|m| ("microsoft", m)));
    paths.extend(revenue.others.iter().map(|(n, p)| (n.get_ref().as_str(), p)));
    let mut given = BTreeMap::new();
    for (name, path) in &paths {
        if let (Granularity::Years, Some((key, _))) = (granularity, path.get_ref().by_quarter.iter().next()) {
            return Err(InputError::at(
                v.source(),
                key.span(),
                InputErrorKind::Schema {
                    message: format!(
                        "revenue.{name}.by_quarter in a yearly run: add `periods = \"quarters\"`, or give the year in by_year"
                    ),
                },
            ));
        }
        given.insert(name.to_string(), read(v, name, path.get_ref(), years)?);
    }
    Ok(given)
}
