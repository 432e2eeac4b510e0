//! Reading a scenario or agreement file: size, kind (a directory or a device is refused as
//! what it is) and UTF-8, before any parsing.

use super::*;

/// Reads a file as UTF-8 text, refusing directories, huge files and non-UTF-8 bytes.
pub fn read_source(path: &Path) -> Result<Source, InputError> {
    let unreadable =
        |e: std::io::Error| InputError::new(path, InputErrorKind::Unreadable { reason: io_reason(&e) });
    let metadata = std::fs::metadata(path).map_err(unreadable)?;
    if metadata.is_dir() {
        return Err(InputError::new(path, InputErrorKind::IsADirectory));
    }
    if !metadata.is_file() {
        // A device or pipe (`/dev/zero`) has no length and may never end: say what it is.
        return Err(InputError::new(path, InputErrorKind::NotAFile { what: special_file_kind(&metadata) }));
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(InputError::new(
            path,
            InputErrorKind::FileTooLarge { size: metadata.len(), limit: MAX_FILE_BYTES },
        ));
    }
    // Read at most one byte past the limit, in case the file grew since it was measured.
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(std::fs::File::open(path).map_err(unreadable)?, MAX_FILE_BYTES + 1),
        &mut bytes,
    )
    .map_err(unreadable)?;
    source_from_bytes(path, bytes)
}

/// What a path that is neither a file nor a directory is, in words.
pub(super) fn special_file_kind(metadata: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_fifo() {
            return "a named pipe";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    let _ = metadata;
    "not a regular file"
}

/// A file's bytes as a `Source`, refusing oversized input and non-UTF-8 bytes: the checks a file
/// on disk gets, for input that arrives another way (standard input, a fuzzer).
pub fn source_from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Source, InputError> {
    let size = bytes.len() as u64;
    if size > MAX_FILE_BYTES {
        return Err(InputError::new(path, InputErrorKind::FileTooLarge { size, limit: MAX_FILE_BYTES }));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        InputError::new(path, InputErrorKind::NotUtf8 { offset: e.utf8_error().valid_up_to() })
    })?;
    Ok(Source::new(path, text))
}

pub(super) fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    }
}
