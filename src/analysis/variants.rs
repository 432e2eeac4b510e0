//! Scenario variants (`run … --set cap=25B,38B,60B`): one scenario run under every combination
//! of a few parameter values, each as a full scenario of its own, without copying files.

use super::params::{self, Param, Value};
use super::AnalysisError;
use crate::scenario::Loaded;

/// At most this many variants per scenario: each is a full run with its own files and charts.
/// A larger grid is a sweep (`dealsim sweep`), which keeps only the summaries.
pub const MAX_VARIANTS: usize = 64;

/// One variant: its settings in words (`cap=25B share_rate=15%`), a folder name for them
/// (`cap=25B,share_rate=15%`), and the scenario with them applied.
pub struct Variant {
    pub label: String,
    pub folder: String,
    pub loaded: Loaded,
}

/// A value as a variant's label and folder name show it: `Param::human` without spaces (`38B`).
pub fn compact(param: &Param, value: &Value) -> String {
    param.human(value).replace(' ', "")
}

/// Parses `--set NAME=VALUES` options (lists or ranges; repeat for more parameters).
pub fn parse_settings(texts: &[String]) -> Result<Vec<(Param, Vec<Value>)>, AnalysisError> {
    let settings: Vec<(Param, Vec<Value>)> =
        texts.iter().map(|t| params::parse_setting(t, MAX_VARIANTS)).collect::<Result<_, _>>()?;
    for (i, (param, _)) in settings.iter().enumerate() {
        if settings[..i].iter().any(|(p, _)| p == param) {
            return Err(params::ParamError::SetTwice { param: param.to_string() }.into());
        }
    }
    let count = settings.iter().fold(1usize, |n, (_, v)| n.saturating_mul(v.len()));
    if count > MAX_VARIANTS {
        return Err(AnalysisError::TooManyVariants { count, limit: MAX_VARIANTS });
    }
    Ok(settings)
}

/// Every combination of `settings` applied to `loaded`, the first parameter varying slowest.
/// Each variant's scenario is named `<scenario> <label>` and its assumptions are re-applied to
/// the agreement with the setting named as their source, exactly as a scenario file with those
/// values would be.
pub fn variants(loaded: &Loaded, settings: &[(Param, Vec<Value>)]) -> Result<Vec<Variant>, AnalysisError> {
    let count = settings.iter().fold(1usize, |n, (_, values)| n.saturating_mul(values.len()));
    (0..count)
        .map(|index| {
            let combination: Vec<(&Param, Value)> = super::sweep::grid_indices(settings, index)
                .into_iter()
                .zip(settings)
                .map(|(i, (param, values))| (param, values[i]))
                .collect();
            let words: Vec<String> =
                combination.iter().map(|(p, v)| format!("{p}={}", compact(p, v))).collect();
            let (label, folder) = (words.join(" "), words.join(","));
            let mut scenario = loaded.scenario.clone();
            // The terms the settings change, alone, so only they are labelled as coming from
            // `--set`; the rest keep the scenario file as their source.
            let mut varied = loaded.scenario.clone();
            varied.terms = crate::agreement::TermAssumptions::default();
            for (param, value) in &combination {
                param.apply(&mut scenario, *value)?;
                param.apply(&mut varied, *value)?;
            }
            scenario.name = format!("{} {label}", loaded.scenario.name);
            let agreement = if loaded.agreement.timeline.is_some() {
                // A timeline re-compiles from its versions: apply every assumption again.
                let source = format!("scenario `{}` with --set {folder}", loaded.scenario.name);
                scenario.terms.apply(&loaded.base_agreement, &source)?
            } else {
                varied.terms.apply(&loaded.agreement, &format!("--set {folder}"))?
            };
            let loaded = Loaded {
                scenario,
                base_agreement: loaded.base_agreement.clone(),
                agreement,
                source: loaded.source.clone(),
            };
            Ok(Variant { label, folder, loaded })
        })
        .collect()
}
