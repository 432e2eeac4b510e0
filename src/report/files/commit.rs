//! The commit's mechanics: the folder's lock, exclusive files, the journal carried out, and what
//! a killed run left behind recovered or removed (see the module above for the protocol).

use super::{Journal, Manifest, OutputError, JOURNAL, LOCK, MANIFEST, STAGE_PREFIX};
use std::path::Path;

/// The folder's lock, held until dropped. A symlink planted at the lock's name is refused
/// rather than followed (it could create or truncate a file outside the folder).
pub(super) fn lock(folder: &Path) -> Result<std::fs::File, OutputError> {
    let path = folder.join(LOCK);
    let refuse = |reason: &str| OutputError::Write {
        path: path.clone(),
        source: std::io::Error::other(reason.to_string()),
    };
    if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_file()) {
        return Err(refuse("the lock file is a symlink or not a regular file; remove it"));
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    let lock = options.open(&path).map_err(|source| OutputError::Write { path: path.clone(), source })?;
    lock.lock().map_err(|source| OutputError::Write { path: path.clone(), source })?;
    Ok(lock)
}

pub(super) fn read_manifest(folder: &Path) -> Option<Manifest> {
    let bytes = std::fs::read(folder.join(MANIFEST)).ok()?;
    serde_json::from_slice::<Manifest>(&bytes).ok()
}

/// Creates `path` (which must not exist) with `bytes`: never writes through an existing file
/// or symlink. Not synced to disk: the commit protects against a killed process (whose written
/// bytes the kernel keeps), not against a power cut, which would cost a sync per file.
pub(super) fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(bytes)
}

/// Writes `name` in `folder` atomically: a new temporary file with an unpredictable name, then
/// renamed over it.
pub(super) fn persist(folder: &Path, name: &str, bytes: &[u8]) -> Result<(), OutputError> {
    use std::io::Write;
    let path = folder.join(name);
    let fail = |source: std::io::Error| OutputError::Write { path: path.clone(), source };
    let mut file = tempfile::Builder::new()
        .prefix(&format!(".{name}.tmp-{}-", std::process::id()))
        .tempfile_in(folder)
        .map_err(fail)?;
    file.write_all(bytes).map_err(fail)?;
    file.persist(&path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Carries out a journal: the staged files renamed into place (those already moved by a run
/// that was killed are skipped), stale files removed, then the journal and staging folder.
pub(super) fn apply(folder: &Path, journal: &Journal) -> Result<(), OutputError> {
    let stage = folder.join(&journal.stage);
    let plain = |name: &str| Path::new(name).components().count() == 1;
    for name in journal.install.iter().filter(|n| plain(n)) {
        let staged = stage.join(name);
        if staged.exists() {
            std::fs::rename(&staged, folder.join(name))
                .map_err(|source| OutputError::Write { path: folder.join(name), source })?;
        }
        abort_for_tests();
    }
    // Only names the previous run wrote, and only plain names inside this folder.
    for stale in journal.remove.iter().filter(|n| plain(n)) {
        let _ = std::fs::remove_file(folder.join(stale));
    }
    let _ = std::fs::remove_file(folder.join(JOURNAL));
    let _ = std::fs::remove_dir_all(&stage);
    Ok(())
}

/// A test hook: with `DEALSIM_ABORT_AFTER_RENAMES=N` set, the process aborts (as kill -9
/// would: no destructors run) after the N-th file of a commit is renamed into place, so the
/// tests can check that the next run completes the commit. Unset, it does nothing.
fn abort_for_tests() {
    use std::sync::atomic::{AtomicU64, Ordering};
    static RENAMES: AtomicU64 = AtomicU64::new(0);
    let Some(limit) = std::env::var("DEALSIM_ABORT_AFTER_RENAMES").ok().and_then(|v| v.parse::<u64>().ok())
    else {
        return;
    };
    if RENAMES.fetch_add(1, Ordering::Relaxed) + 1 >= limit {
        std::process::abort();
    }
}

/// Under the folder's lock: finishes a commit a killed run left (its journal), then removes
/// staging folders and temporary files whose process no longer exists.
pub(super) fn recover(folder: &Path) -> Result<(), OutputError> {
    if let Some(journal) =
        std::fs::read(folder.join(JOURNAL)).ok().and_then(|b| serde_json::from_slice::<Journal>(&b).ok())
    {
        apply(folder, &journal)?;
    }
    let Ok(entries) = std::fs::read_dir(folder) else { return Ok(()) };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = temporary_owner(&name) else { continue };
        if pid != std::process::id() && !process_exists(pid) {
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                let _ = std::fs::remove_dir_all(&path);
            } else {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
    Ok(())
}

/// The process that made a staging folder or temporary file, from its name
/// (`.dealsim-stage-<pid>-…`, `.<name>.tmp-<pid>[-…]`); `None` for any other name.
pub(super) fn temporary_owner(name: &str) -> Option<u32> {
    let rest = match name.strip_prefix(STAGE_PREFIX) {
        Some(rest) => rest,
        None if name.starts_with('.') => name.rsplit_once(".tmp-")?.1,
        None => return None,
    };
    rest.split('-').next()?.parse().ok()
}

/// Whether a process with this id is running (on Linux, its `/proc` entry; elsewhere it is
/// assumed to be, so nothing of a live process is ever removed).
fn process_exists(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}
