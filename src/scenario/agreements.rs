//! The agreement a scenario names: a built-in, an agreement file or a timeline file, resolved and
//! with the scenario's assumptions applied; also agreements named on the command line.

use super::*;

/// The agreement the scenario names, with the scenario's term assumptions applied.
pub fn resolve_agreement(scenario: &Scenario, source: &Source) -> Result<Agreement, InputError> {
    apply_terms(scenario, &named_agreement(scenario)?, source)
}

/// The agreement the scenario names, as written (built-in or file), before its assumptions.
pub fn named_agreement(scenario: &Scenario) -> Result<Agreement, InputError> {
    match &scenario.agreement {
        AgreementRef::Builtin(name) => {
            agreement::builtin(name).ok_or_else(|| unknown_agreement(&Source::new("", ""), 0..0, name))
        }
        AgreementRef::File(path) => load_agreement_file(path),
    }
}

/// `base` with the scenario's term assumptions applied.
pub fn apply_terms(scenario: &Scenario, base: &Agreement, source: &Source) -> Result<Agreement, InputError> {
    scenario
        .terms
        .apply(base, &format!("scenario `{}`", scenario.name))
        .map_err(|e| agreement_error(source, e))
}

/// An agreement named on the command line: a built-in name, or a path to an agreement file.
pub fn load_agreement(name_or_path: &str) -> Result<Agreement, InputError> {
    // `NAME@DATE`: the version of a timeline in force on that day (an agreement is itself on
    // every day).
    if let Some((name, day)) = name_or_path.rsplit_once('@') {
        let Ok(day) = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d") else {
            return Err(InputError::new(
                Path::new(name_or_path),
                InputErrorKind::BadPoint { text: day.to_string() },
            ));
        };
        let whole = load_agreement(name)?;
        return Ok(match &whole.timeline {
            Some(timeline) => timeline.version_on(day).agreement.clone(),
            None => whole,
        });
    }
    if let Some(agreement) = agreement::builtin(name_or_path) {
        return Ok(agreement);
    }
    let path = Path::new(name_or_path);
    if path.exists() || name_or_path.ends_with(".toml") {
        return load_agreement_file(path);
    }
    let known: Vec<String> = agreement::builtin_names().iter().map(|s| s.to_string()).collect();
    let with_aliases: Vec<String> =
        known.iter().cloned().chain(agreement::ALIASES.iter().map(|(a, _)| a.to_string())).collect();
    let error = InputError::new(
        path,
        InputErrorKind::UnknownAgreement {
            name: name_or_path.to_string(),
            known: known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "),
        },
    );
    Err(match nearest(name_or_path, &with_aliases) {
        Some(k) => error.with_help(format!("did you mean `{k}`?")),
        None => error,
    })
}

/// Reads an agreement written as TOML (the schema the built-ins serialise to, or its plain
/// form), or a timeline: a file with `[[versions]]`, each naming an agreement (built-in, or a
/// file relative to this one) and the day it takes over.
pub fn load_agreement_file(path: &Path) -> Result<Agreement, InputError> {
    load_in_chain(path, &mut Vec::new())
}

/// A file's path as the file system knows it, to tell whether two names are one file.
fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// `chain`: the timeline files being read that led to `path`, outermost first; a version that
/// names one of them again is a cycle (it would be read forever).
fn load_in_chain(path: &Path, chain: &mut Vec<PathBuf>) -> Result<Agreement, InputError> {
    let source = read_source(path)?;
    let doc = agreement::file::parse(&source.text).map_err(|e| file_error(&source, e))?;
    if doc.get_ref().contains_key("versions") {
        load_timeline(path, &source, chain)
    } else {
        agreement::file::read_agreement(&source.text).map_err(|e| file_error(&source, e))
    }
}

/// An error the agreement file reader found, at its place in `source`.
pub(super) fn file_error(source: &Source, error: agreement::file::FileError) -> InputError {
    let e = InputError::at(source, error.span, InputErrorKind::File(*error.kind));
    match error.help {
        Some(help) => e.with_help(help),
        None => e,
    }
}

fn load_timeline(path: &Path, source: &Source, chain: &mut Vec<PathBuf>) -> Result<Agreement, InputError> {
    let raw = agreement::file::read_timeline(&source.text).map_err(|e| file_error(source, e))?;
    let folder = path.parent().unwrap_or(Path::new("."));
    chain.push(canonical(path));
    let mut versions = Vec::with_capacity(raw.versions.len());
    for version in &raw.versions {
        let name = version.agreement.as_str();
        let loaded = match agreement::builtin(name) {
            Some(builtin) => builtin,
            None if name.ends_with(".toml") => {
                let file = folder.join(name);
                if chain.contains(&canonical(&file)) {
                    let names: Vec<String> = chain
                        .iter()
                        .chain(std::iter::once(&canonical(&file)))
                        .map(|p| {
                            p.file_name()
                                .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned())
                        })
                        .collect();
                    return Err(InputError::at(
                        source,
                        version.span.clone(),
                        InputErrorKind::TimelineCycle { chain: names.join(" → ") },
                    ));
                }
                check_agreement_ref(source, version.span.clone(), &AgreementRef::File(file.clone()))?;
                load_in_chain(&file, chain)?
            }
            None => return Err(unknown_agreement(source, version.span.clone(), name)),
        };
        versions.push(agreement::timeline::Version { agreement: loaded, from: version.from.clone() });
    }
    chain.pop();
    let invariants = raw.invariants.iter().map(|(i, _)| i.clone()).collect();
    let timeline = agreement::timeline::Timeline {
        name: raw.name.clone(),
        title: raw.title.clone(),
        versions,
        invariants,
    };
    let compiled = timeline.compile().map_err(|e| {
        // Point at the version the error is about: the later one's take-over day, or its name.
        let at = |version: &str, day: bool| {
            timeline
                .versions
                .iter()
                .zip(&raw.versions)
                .find(|(v, _)| v.agreement.name == version)
                .map(|(_, r)| if day { r.from_span.clone() } else { r.span.clone() })
        };
        let span = match &e {
            agreement::timeline::TimelineError::OutOfOrder { later, .. } => at(later, true),
            agreement::timeline::TimelineError::Repeated { version, .. }
            | agreement::timeline::TimelineError::Nested { version, .. } => at(version, false),
            agreement::timeline::TimelineError::Empty { .. } => None,
        };
        InputError::at(source, span.unwrap_or(0..0), InputErrorKind::Override(e.into()))
    })?;
    agreement::file::check_invariant_references(&compiled, &raw.invariants)
        .map_err(|e| file_error(source, e))?;
    agreement::check(&compiled).map_err(|e| InputError::at(source, 0..0, InputErrorKind::Override(e)))?;
    Ok(compiled)
}

pub(super) fn unknown_agreement(source: &Source, span: std::ops::Range<usize>, name: &str) -> InputError {
    let known: Vec<String> = agreement::builtin_names().iter().map(|s| s.to_string()).collect();
    let err = InputError::at(
        source,
        span,
        InputErrorKind::UnknownAgreement {
            name: name.to_string(),
            known: known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "),
        },
    );
    match nearest(name, &known) {
        Some(k) => err.with_help(format!("did you mean `{k}`?")),
        None => err,
    }
}

fn agreement_error(source: &Source, error: agreement::OverrideError) -> InputError {
    // Point at the override or assumption that caused it when we can find its key.
    let needle = match &error {
        agreement::OverrideError::UnknownClause { clause, .. } => Some(clause.clone()),
        agreement::OverrideError::NotApplicable { parameter, .. } => Some(parameter.clone()),
        // The start date as written is the value that caused it (effective_date or cap_counts_from).
        // A timeline's last version taken over before an earlier one: the effective date did it.
        agreement::OverrideError::Timeline(agreement::timeline::TimelineError::OutOfOrder { .. }) => {
            Some("effective_date".to_string())
        }
        agreement::OverrideError::EndBeforeStart { clause, start, .. } => {
            let written = start.to_string();
            Some(if source.text.contains(&written) { written } else { clause.clone() })
        }
        // A value out of range: the override's key that set it, after its clause's table, else
        // the assumption's.
        agreement::OverrideError::OutOfRange { clause, parameter, .. } => {
            let key = match *parameter {
                "rate schedule" => "rate_schedule",
                "rate tiers" => "rate_tiers",
                "payment lag" => "payment_lag_days",
                "base fraction" => "base_fraction",
                other => other,
            };
            let table = source.text.find(clause.as_str()).unwrap_or(0);
            return InputError::at(
                source,
                source.text[table..].find(key).map(|i| table + i..table + i + key.len()).unwrap_or(0..0),
                InputErrorKind::Override(error.clone()),
            );
        }
        _ => None,
    };
    let span = needle.and_then(|n| source.text.find(&n).map(|i| i..i + n.len())).unwrap_or(0..0);
    InputError::at(source, span, InputErrorKind::Override(error))
}

pub(super) fn agreement_ref(text: &str, scenario_path: &Path) -> AgreementRef {
    if text.ends_with(".toml") || text.contains('/') || text.contains('\\') {
        let relative = Path::new(text);
        let resolved = if relative.is_absolute() {
            relative.to_path_buf()
        } else {
            scenario_path.parent().unwrap_or(Path::new("")).join(relative)
        };
        AgreementRef::File(resolved)
    } else {
        AgreementRef::Builtin(text.to_string())
    }
}

/// Catches a misspelt built-in or a missing agreement file here, where the scenario's line is
/// known, rather than later.
pub(super) fn check_agreement_ref(
    source: &Source,
    span: std::ops::Range<usize>,
    reference: &AgreementRef,
) -> Result<(), InputError> {
    match reference {
        AgreementRef::Builtin(name) if agreement::builtin(name).is_none() => {
            Err(unknown_agreement(source, span, name))
        }
        AgreementRef::File(path) => match std::fs::metadata(path) {
            Ok(m) if m.is_file() => Ok(()),
            Ok(m) => Err(InputError::at(
                source,
                span,
                InputErrorKind::AgreementFile {
                    path: path.display().to_string(),
                    reason: if m.is_dir() {
                        "it is a directory".into()
                    } else {
                        format!("it is {}, not a file", source::special_file_kind(&m))
                    },
                },
            )),
            Err(e) => Err(InputError::at(
                source,
                span,
                InputErrorKind::AgreementFile {
                    path: path.display().to_string(),
                    reason: source::io_reason(&e),
                },
            )),
        },
        AgreementRef::Builtin(_) => Ok(()),
    }
}
