//! Words for people, shared by every stage: the known name a mistyped one most likely meant.

/// The known key closest to a misspelt one, if it is close enough to be a likely typo.
pub fn nearest<'a>(key: &str, known: &'a [String]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&key.to_lowercase(), &k.to_lowercase()), k))
        .filter(|(distance, k)| *distance <= (k.len() / 3).max(1) + usize::from(k.len() > 6))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, k)| k.as_str())
}

/// A name that becomes a folder (a scenario's, an agreement's) under the output directory, so it must be one plain,
/// portable path component.
pub fn check_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("it is empty");
    }
    if name.len() > 64 {
        return Err("it is longer than 64 characters");
    }
    if name.contains(['/', '\\']) {
        return Err("it contains a path separator");
    }
    if name.starts_with('.') {
        return Err("it starts with a dot");
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        return Err("use only letters, digits, `-`, `_` and `.` (no spaces)");
    }
    Ok(())
}
