//! Writing output files safely. A command's files replace the previous set in each folder as
//! one commit:
//!
//! 1. Each folder's lock (`.dealsim.lock`, never followed through a symlink) is taken, in path
//!    order, so two runs never interleave in one folder.
//! 2. Every file is written in full into a fresh staging folder inside its destination
//!    (`.dealsim-stage-<pid>-<random>`, created exclusively with an unpredictable name, so no
//!    planted file or symlink can be written through).
//! 3. A journal (`.dealsim-commit`) naming the staged files, the previous run's files to remove
//!    and the new manifest is written atomically in every folder; only then are files renamed
//!    into place, stale ones removed, the manifest (`.dealsim-manifest`: which input wrote the
//!    folder, and which files) renamed in last, and the journal and staging folder removed.
//! 4. A run killed part-way through step 3 leaves its journal: the next run into that folder
//!    completes it first (the killed run's set was complete before its journal existed), so a
//!    folder never stays a mix of two runs. Staging folders and temporary files of processes
//!    that no longer exist are removed then too.
//!
//! A failure before step 3 leaves the previous output untouched and nothing behind.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod commit;

use commit::{apply, lock, persist, read_manifest, recover, write_new};

const MANIFEST: &str = ".dealsim-manifest";
const LOCK: &str = ".dealsim.lock";
const JOURNAL: &str = ".dealsim-commit";
const STAGE_PREFIX: &str = ".dealsim-stage-";

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

/// One folder's commit in progress: what a killed run left for the next to finish.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Journal {
    /// The staging folder's name (inside the folder).
    stage: String,
    /// Files in the staging folder to rename into place (the manifest last).
    install: Vec<String>,
    /// Files of the previous run that this one does not write.
    remove: Vec<String>,
}

/// Writes `files` all or nothing, as one commit per folder (see the module's comment), holding
/// each destination folder's lock, and keeps each folder's manifest: files the previous run
/// there wrote and this one does not are removed. `source` names the input (a scenario file's
/// path); the folders whose previous results came from another input are returned, for the
/// caller to warn about.
pub fn write_outputs(files: &[StagedFile], source: &str) -> Result<Vec<Overwrite>, OutputError> {
    write_outputs_with(files, Vec::new(), source)
}

/// `write_outputs`, plus files already written in full under a temporary name (streamed, too
/// large to hold): they are moved into the commit with the others, or removed with them.
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
        locks.push(lock(folder)?);
        recover(folder)?;
    }
    let previous: BTreeMap<&PathBuf, Option<Manifest>> =
        by_folder.keys().map(|folder| (folder, read_manifest(folder))).collect();
    let journals = stage(files, prewritten, &by_folder, &previous, source)?;
    for (folder, journal, _) in &journals {
        let bytes = serde_json::to_vec_pretty(journal).unwrap_or_default();
        persist(folder, JOURNAL, &bytes)?;
    }
    // From here the commit is the journals': the staging folders are theirs to remove.
    let journals: Vec<(&PathBuf, Journal)> = journals
        .into_iter()
        .map(|(folder, journal, stage)| {
            let _ = stage.keep();
            (folder, journal)
        })
        .collect();
    for (folder, journal) in &journals {
        apply(folder, journal)?;
    }
    let mut overwrites = Vec::new();
    for (folder, manifest) in previous {
        if let Some(manifest) = manifest.filter(|m| m.source != source) {
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

/// Writes every file into a fresh staging folder inside its destination, with each folder's
/// new manifest, and returns the journal of each folder's commit. Nothing outside the staging
/// folders changes: on an error they are removed and the previous output stands.
fn stage<'a>(
    files: &[StagedFile],
    prewritten: Vec<PreWritten>,
    by_folder: &'a BTreeMap<PathBuf, BTreeSet<String>>,
    previous: &BTreeMap<&PathBuf, Option<Manifest>>,
    source: &str,
) -> Result<Vec<(&'a PathBuf, Journal, tempfile::TempDir)>, OutputError> {
    // Stage every folder's files before any journal exists: a failure here changes nothing.
    let mut stages: BTreeMap<&PathBuf, tempfile::TempDir> = BTreeMap::new();
    for folder in by_folder.keys() {
        let stage = tempfile::Builder::new()
            .prefix(&format!("{STAGE_PREFIX}{}-", std::process::id()))
            .tempdir_in(folder)
            .map_err(|source| OutputError::Write { path: folder.join(STAGE_PREFIX), source })?;
        stages.insert(folder, stage);
    }
    let stage_of = |path: &Path| {
        let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
        stages[&folder].path().join(path.file_name().unwrap_or_default())
    };
    for file in files {
        write_new(&stage_of(&file.path), &file.bytes)
            .map_err(|source| OutputError::Write { path: file.path.clone(), source })?;
    }
    for mut pre in prewritten {
        std::fs::rename(&pre.temporary, stage_of(&pre.path))
            .map_err(|source| OutputError::Write { path: pre.path.clone(), source })?;
        pre.renamed = true;
    }
    let mut journals = Vec::with_capacity(by_folder.len());
    for (folder, names) in by_folder {
        let manifest = Manifest { source: source.to_string(), files: names.iter().cloned().collect() };
        let bytes = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
        let Some(stage) = stages.remove(folder) else { continue };
        write_new(&stage.path().join(MANIFEST), &bytes)
            .map_err(|source| OutputError::Write { path: folder.join(MANIFEST), source })?;
        let stale = previous[folder]
            .as_ref()
            .map_or(Vec::new(), |m| m.files.iter().filter(|name| !names.contains(*name)).cloned().collect());
        let mut install: Vec<String> = names.iter().cloned().collect();
        install.push(MANIFEST.to_string());
        let stage_name =
            stage.path().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        journals.push((folder, Journal { stage: stage_name, install, remove: stale }, stage));
    }
    Ok(journals)
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

/// A file to write: its final name and its complete contents; a chart's files also carry what
/// the chart shows (`caption`), which the HTML report prints under it.
#[derive(Debug, Clone)]
pub struct StagedFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    pub caption: Option<String>,
}

impl StagedFile {
    pub fn new(path: PathBuf, bytes: Vec<u8>) -> StagedFile {
        StagedFile { path, bytes, caption: None }
    }

    /// A chart's file: what it shows in one sentence (the chart's `summary`).
    pub fn chart(path: PathBuf, bytes: Vec<u8>, caption: &str) -> StagedFile {
        StagedFile { path, bytes, caption: Some(caption.to_string()) }
    }
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
/// bytes go, and the `PreWritten` that moves it into its folder's commit (or removes it if
/// dropped first). Compressed output is deterministic (gzip's header carries no time). Its
/// temporary name is unpredictable and created exclusively.
pub fn stream_file(path: &Path, gzip: bool) -> Result<(StreamOut, PreWritten), OutputError> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)
        .map_err(|source| OutputError::CreateDir { path: folder.to_path_buf(), source })?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = tempfile::Builder::new()
        .prefix(&format!(".{name}.tmp-{}-", std::process::id()))
        .tempfile_in(folder)
        .map_err(|source| OutputError::Write { path: path.to_path_buf(), source })?;
    let (file, temporary) =
        temporary.keep().map_err(|e| OutputError::Write { path: path.to_path_buf(), source: e.error })?;
    let pre = PreWritten::new(temporary, path.to_path_buf());
    let file = std::io::BufWriter::with_capacity(1 << 20, file);
    let out = if gzip {
        StreamOut::Gzip(Box::new(flate2::write::GzEncoder::new(file, flate2::Compression::default())))
    } else {
        StreamOut::Plain(file)
    };
    Ok((out, pre))
}

/// The UTF-8 byte-order mark Excel on Windows needs to read a CSV as UTF-8.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// `file` with a UTF-8 byte-order mark in front when the output table says it is a CSV
/// (`--excel-csv`).
pub fn with_excel_bom(file: &StagedFile) -> StagedFile {
    let is_csv = file
        .path
        .file_name()
        .and_then(|n| super::Output::named(&n.to_string_lossy()))
        .is_some_and(|o| o.kind() == super::FileKind::Csv);
    let bytes = if is_csv { [UTF8_BOM, &file.bytes].concat() } else { file.bytes.clone() };
    StagedFile { bytes, ..file.clone() }
}

/// Writes all `files`, or none of them, as one commit per folder (with no manifest kept from
/// before: every file is new to its folder's set).
pub fn write_files(files: &[StagedFile]) -> Result<(), OutputError> {
    write_outputs(files, "").map(|_| ())
}

#[cfg(test)]
mod tests;
