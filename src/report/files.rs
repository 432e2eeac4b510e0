//! Writing output files safely: every file of a run is first written in full under a temporary
//! name in its destination folder, and only when all are written are they renamed into place.
//! A failure part-way leaves the previous good output untouched and no partial file behind.
//!
//! Each output folder also holds a lock file and a manifest (`.dealsim-manifest`: which input
//! wrote it, and which files). A run locks its folders while it writes (a second run writing the
//! same folder waits), removes the files the previous run wrote that it does not write again, so
//! a folder holds the files of exactly one run, and reports when it replaces another input's
//! results.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MANIFEST: &str = ".dealsim-manifest";
const LOCK: &str = ".dealsim.lock";

/// A folder whose previous results came from another input, now replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overwrite {
    pub folder: PathBuf,
    pub previous: String,
    pub now: String,
}

impl std::fmt::Display for Overwrite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} held the results of {}; they are replaced by those of {} (give the scenario its own `name`, or use --out, to keep both)",
            self.folder.display(),
            self.previous,
            self.now
        )
    }
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Manifest {
    source: String,
    files: Vec<String>,
}

/// Writes `files` all or nothing, as `write_files`, holding each destination folder's lock, and
/// keeps each folder's manifest: files the previous run there wrote and this one does not are
/// removed. `source` names the input (a scenario file's path); the folders whose previous
/// results came from another input are returned, for the caller to warn about.
pub fn write_outputs(files: &[StagedFile], source: &str) -> Result<Vec<Overwrite>, OutputError> {
    write_outputs_with(files, Vec::new(), source)
}

/// `write_outputs`, plus files already written in full under a temporary name (streamed, too
/// large to hold): they are renamed into place with the others, or removed with them.
pub fn write_outputs_with(
    files: &[StagedFile],
    prewritten: Vec<PreWritten>,
    source: &str,
) -> Result<Vec<Overwrite>, OutputError> {
    let mut by_folder: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    let paths = files.iter().map(|f| &f.path).chain(prewritten.iter().map(|p| &p.path));
    for path in paths {
        let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        by_folder.entry(folder).or_default().insert(name);
    }
    // Locks are taken in path order (a BTreeMap), so two runs never wait on each other in a circle.
    let mut locks = Vec::with_capacity(by_folder.len());
    for folder in by_folder.keys() {
        std::fs::create_dir_all(folder)
            .map_err(|source| OutputError::CreateDir { path: folder.clone(), source })?;
        let path = folder.join(LOCK);
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|source| OutputError::Write { path: path.clone(), source })?;
        lock.lock().map_err(|source| OutputError::Write { path: path.clone(), source })?;
        locks.push(lock);
    }
    let previous: BTreeMap<&PathBuf, Option<Manifest>> = by_folder
        .keys()
        .map(|folder| {
            let manifest = std::fs::read(folder.join(MANIFEST))
                .ok()
                .and_then(|bytes| serde_json::from_slice::<Manifest>(&bytes).ok());
            (folder, manifest)
        })
        .collect();
    let mut all = files.to_vec();
    for (folder, names) in &by_folder {
        let manifest = Manifest { source: source.to_string(), files: names.iter().cloned().collect() };
        let bytes = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
        all.push(StagedFile { path: folder.join(MANIFEST), bytes });
    }
    write_files_with(&all, prewritten)?;
    let mut overwrites = Vec::new();
    for (folder, manifest) in previous {
        let Some(manifest) = manifest else { continue };
        let now = &by_folder[folder];
        for stale in manifest.files.iter().filter(|name| !now.contains(*name)) {
            // Only names the previous run wrote, and only plain names inside this folder.
            if Path::new(stale).components().count() == 1 {
                let _ = std::fs::remove_file(folder.join(stale));
            }
        }
        if manifest.source != source {
            overwrites.push(Overwrite {
                folder: folder.clone(),
                previous: manifest.source,
                now: source.to_string(),
            });
        }
    }
    drop(locks);
    Ok(overwrites)
}

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot create the output folder {path}: {source}")]
    CreateDir { path: PathBuf, source: std::io::Error },
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("cannot draw {path}: {reason}")]
    Chart { path: PathBuf, reason: String },
    #[error("cannot encode {file}: {reason}")]
    Encode { file: &'static str, reason: String },
}

/// A file to write: its final name and its complete contents.
#[derive(Debug, Clone)]
pub struct StagedFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// A file written in full under `temporary` (see `temporary_name`), to be renamed to `path` by
/// `write_outputs_with`. Dropped without being renamed, the temporary file is removed: an error
/// or Ctrl-C part-way leaves nothing behind.
#[derive(Debug)]
pub struct PreWritten {
    pub temporary: PathBuf,
    pub path: PathBuf,
    renamed: bool,
}

impl PreWritten {
    pub fn new(temporary: PathBuf, path: PathBuf) -> PreWritten {
        PreWritten { temporary, path, renamed: false }
    }
}

impl Drop for PreWritten {
    fn drop(&mut self) {
        if !self.renamed {
            let _ = std::fs::remove_file(&self.temporary);
        }
    }
}

/// Where a streamed file's bytes go: straight to its temporary file, or through gzip.
pub enum StreamOut {
    Plain(std::io::BufWriter<std::fs::File>),
    /// Boxed: the encoder's state is ~260 bytes, the plain writer's 32.
    Gzip(Box<flate2::write::GzEncoder<std::io::BufWriter<std::fs::File>>>),
}

impl std::io::Write for StreamOut {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match self {
            StreamOut::Plain(w) => w.write(bytes),
            StreamOut::Gzip(w) => w.write(bytes),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            StreamOut::Plain(w) => w.flush(),
            StreamOut::Gzip(w) => w.flush(),
        }
    }
}

impl StreamOut {
    /// Completes the file (gzip's trailer) and flushes it.
    pub fn finish(self) -> std::io::Result<()> {
        use std::io::Write;
        match self {
            StreamOut::Plain(mut w) => w.flush(),
            StreamOut::Gzip(w) => w.finish()?.flush(),
        }
    }
}

/// A file to be written as a stream (too large to hold), gzip-compressed if `gzip`: where its
/// bytes go, and the `PreWritten` that renames it into place (or removes it if dropped first).
/// Compressed output is deterministic (gzip's header carries no time).
pub fn stream_file(path: &Path, gzip: bool) -> Result<(StreamOut, PreWritten), OutputError> {
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)
            .map_err(|source| OutputError::CreateDir { path: folder.to_path_buf(), source })?;
    }
    let temporary = temporary_name(path);
    let pre = PreWritten::new(temporary.clone(), path.to_path_buf());
    let file = std::fs::File::create(&temporary)
        .map_err(|source| OutputError::Write { path: path.to_path_buf(), source })?;
    let file = std::io::BufWriter::with_capacity(1 << 20, file);
    let out = if gzip {
        StreamOut::Gzip(Box::new(flate2::write::GzEncoder::new(file, flate2::Compression::default())))
    } else {
        StreamOut::Plain(file)
    };
    Ok((out, pre))
}

/// Where a file is written before it is renamed into place: beside it, hidden, per process.
/// The UTF-8 byte-order mark Excel on Windows needs to read a CSV as UTF-8.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// `file` with a UTF-8 byte-order mark in front when it is a CSV (`--excel-csv`).
pub fn with_excel_bom(file: &StagedFile) -> StagedFile {
    let is_csv = file.path.extension().is_some_and(|x| x == "csv");
    let bytes = if is_csv { [UTF8_BOM, &file.bytes].concat() } else { file.bytes.clone() };
    StagedFile { path: file.path.clone(), bytes }
}

fn temporary_name(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Writes all `files`, or none of them.
pub fn write_files(files: &[StagedFile]) -> Result<(), OutputError> {
    write_files_with(files, Vec::new())
}

/// `write_files`, renaming `prewritten` into place with them (or removing them on failure).
fn write_files_with(files: &[StagedFile], mut prewritten: Vec<PreWritten>) -> Result<(), OutputError> {
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
    for pre in &mut prewritten {
        if let Err(source) = std::fs::rename(&pre.temporary, &pre.path) {
            cleanup(&written);
            return Err(OutputError::Write { path: pre.path.clone(), source });
        }
        pre.renamed = true;
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

    fn names_in(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_second_run_removes_what_the_first_wrote_and_it_did_not() {
        let dir = tempfile::tempdir().unwrap();
        let f = |name: &str| StagedFile {
            path: dir.path().join("out").join(name),
            bytes: name.as_bytes().to_vec(),
        };
        assert!(write_outputs(&[f("ledger.csv"), f("cashflows.png")], "a.toml").unwrap().is_empty());
        assert!(write_outputs(&[f("ledger.csv")], "a.toml").unwrap().is_empty());
        assert_eq!(names_in(&dir.path().join("out")), ["ledger.csv"]);
    }

    #[test]
    fn results_of_another_input_are_reported_when_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let f = StagedFile { path: dir.path().join("out/ledger.csv"), bytes: b"x".to_vec() };
        write_outputs(std::slice::from_ref(&f), "scenarios/base.toml").unwrap();
        let overwrites = write_outputs(&[f], "/tmp/copy-of-base.toml").unwrap();
        assert_eq!(overwrites.len(), 1);
        assert!(overwrites[0].to_string().contains("held the results of scenarios/base.toml"));
    }

    #[test]
    fn two_runs_writing_one_folder_at_once_leave_the_files_of_exactly_one() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("out");
        for _ in 0..20 {
            let a: Vec<StagedFile> = ["a1", "a2", "a3"]
                .iter()
                .map(|n| StagedFile { path: folder.join(n), bytes: b"a".to_vec() })
                .collect();
            let b: Vec<StagedFile> = ["b1", "b2"]
                .iter()
                .map(|n| StagedFile { path: folder.join(n), bytes: b"b".to_vec() })
                .collect();
            std::thread::scope(|scope| {
                scope.spawn(|| write_outputs(&a, "a.toml").unwrap());
                scope.spawn(|| write_outputs(&b, "b.toml").unwrap());
            });
            let names = names_in(&folder);
            assert!(names == ["a1", "a2", "a3"] || names == ["b1", "b2"], "{names:?}");
        }
    }

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
