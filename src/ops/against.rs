//! `--against`: a scenario under its own agreement and under another, as one comparison, and the
//! files it writes (against.csv, attribution.csv, against.json, the waterfall chart).

use crate::agreement::Agreement;
use crate::analysis::against::{self, Against};
use crate::chart::{self, ChartSize};
use crate::error::Error;
use crate::report::{self, StagedFile, Units};
use crate::scenario::{self, Loaded, Warning};
use std::path::Path;

/// Agreement `name` (built-in or file) as the scenario would run under it: with the scenario's
/// assumptions and effective date (`against::counterfactual`), and the warnings that go with it.
/// `flag` is how an error names it (`--against`, or the Python package's `agreement`).
pub fn other_agreement(l: &Loaded, name: &str, flag: &str) -> Result<(Agreement, Vec<Warning>), Error> {
    let other = scenario::load_agreement(name)?;
    let other = against::counterfactual(&l.agreement, &other, &l.scenario)
        .map_err(|e| Error::analysis(&format!("{flag} {name}: "), e))?;
    let warnings = scenario::against_warnings(&l.scenario, &other);
    Ok((other, warnings))
}

/// The scenario under its own agreement and under `name` (built-in or file), the other as
/// `other_agreement` makes it, with the warnings that go with it.
pub fn against(l: &Loaded, name: &str) -> Result<(Against, Vec<Warning>), Error> {
    let (other, warnings) = other_agreement(l, name, "--against")?;
    let comparison = against::against(&l.agreement, &other, &l.scenario)
        .map_err(|source| Error::Simulation { scenario: l.scenario.name.clone(), source })?;
    Ok((comparison, warnings))
}

/// `against`, and the files it writes in `folder` (charts drawn at `charts`, if any).
pub fn against_files(
    l: &Loaded,
    name: &str,
    folder: &Path,
    charts: Option<ChartSize>,
    units: Units,
) -> Result<(Against, Vec<StagedFile>, Vec<Warning>), Error> {
    let (comparison, warnings) = against(l, name)?;
    let mut files = vec![
        StagedFile::new(
            report::Output::AgainstCsv.in_folder(folder),
            report::against_csv(&comparison, units)?,
        ),
        StagedFile::new(
            report::Output::AttributionCsv.in_folder(folder),
            report::attribution_csv(&comparison, units)?,
        ),
        StagedFile::new(
            report::Output::AgainstJson.in_folder(folder),
            report::pretty_json(report::Output::AgainstJson.name(), &comparison)?,
        ),
    ];
    if let Some(size) = charts {
        let waterfall = chart::WaterfallChart { against: &comparison, scenario: &l.scenario.name };
        files.extend(super::files::draw_chart(&waterfall, size, folder)?);
    }
    Ok((comparison, files, warnings))
}

/// What a scenario's own terms are worth to Microsoft against another agreement, as a
/// comparison's row shows it.
pub fn gain_of(result: &Against) -> report::GainAgainst {
    report::GainAgainst {
        against: result.against.clone(),
        microsoft_gain: result.microsoft_gain,
        microsoft_gain_present_value: result.microsoft_gain_present_value,
    }
}

/// The folder name `--against NAME` writes under: the name itself for a built-in, the file's
/// stem for a path (`../../a/revised.toml` → `revised`), so no argument can make a path that
/// leaves the output folder. Anything that is not a plain portable name becomes `_`s.
pub fn folder_name(name: &str) -> String {
    let stem =
        Path::new(name).file_stem().map_or_else(|| name.to_string(), |s| s.to_string_lossy().into_owned());
    let cleaned: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@') { c } else { '_' })
        .collect();
    match cleaned.trim_start_matches('.') {
        "" => "agreement".to_string(),
        rest => rest.to_string(),
    }
}
