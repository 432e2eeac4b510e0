//! Writing output files safely: every file of a run is first written in full under a temporary
//! name in its destination folder, and only when all are written are they renamed into place.
//! A failure part-way leaves the previous good output untouched and no partial file behind.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot create the output folder {path}: {source}")]
    CreateDir { path: PathBuf, source: std::io::Error },
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("cannot draw {path}: {reason}")]
    Chart { path: PathBuf, reason: String },
}

/// A file to write: its final name and its complete contents.
#[derive(Debug, Clone)]
pub struct StagedFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

fn temporary_name(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Writes all `files`, or none of them.
pub fn write_files(files: &[StagedFile]) -> Result<(), OutputError> {
    let mut written: Vec<(PathBuf, &Path)> = Vec::with_capacity(files.len());
    let cleanup = |written: &[(PathBuf, &Path)]| {
        for (temporary, _) in written {
            let _ = std::fs::remove_file(temporary);
        }
    };
    for file in files {
        if let Some(parent) = file.path.parent().filter(|p| !p.as_os_str().is_empty()) {
            if let Err(source) = std::fs::create_dir_all(parent) {
                cleanup(&written);
                return Err(OutputError::CreateDir { path: parent.to_path_buf(), source });
            }
        }
        let temporary = temporary_name(&file.path);
        if let Err(source) = std::fs::write(&temporary, &file.bytes) {
            let _ = std::fs::remove_file(&temporary);
            cleanup(&written);
            return Err(OutputError::Write { path: file.path.clone(), source });
        }
        written.push((temporary, &file.path));
    }
    for (index, (temporary, path)) in written.iter().enumerate() {
        if let Err(source) = std::fs::rename(temporary, path) {
            cleanup(&written[index..]);
            return Err(OutputError::Write { path: path.to_path_buf(), source });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_files_land_and_no_temporary_stays() {
        let dir = tempfile::tempdir().unwrap();
        let files = vec![
            StagedFile { path: dir.path().join("a/x.csv"), bytes: b"x".to_vec() },
            StagedFile { path: dir.path().join("a/y.json"), bytes: b"{}".to_vec() },
        ];
        write_files(&files).unwrap();
        let mut names: Vec<_> =
            std::fs::read_dir(dir.path().join("a")).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        assert_eq!(names, ["x.csv", "y.json"]);
    }

    #[test]
    fn a_failed_write_keeps_the_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("ledger.csv");
        std::fs::write(&good, b"previous").unwrap();
        // The second file's folder is a regular file, so creating it fails after the first staged.
        std::fs::write(dir.path().join("blocker"), b"").unwrap();
        let files = vec![
            StagedFile { path: good.clone(), bytes: b"new".to_vec() },
            StagedFile { path: dir.path().join("blocker/summary.json"), bytes: b"{}".to_vec() },
        ];
        assert!(write_files(&files).is_err());
        assert_eq!(std::fs::read(&good).unwrap(), b"previous");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".tmp-"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
}
