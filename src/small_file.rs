//! Reading the small files found by name (manifests, lockfiles, configuration files).
//!
//! A file is found by its name alone, so anything can hide behind it: a FIFO blocks a read
//! for ever, `/dev/zero` never ends, a generated lockfile can be huge. These files are read
//! only when they are regular files under [`MAX_SMALL_FILE`] bytes; anything else is an
//! error that says why, for the caller to report.

use std::fmt;
use std::io::Read;
use std::path::Path;

/// The most bytes read from one manifest or configuration file.
pub(crate) const MAX_SMALL_FILE: u64 = 1 << 20;

/// Why a small file was not read.
#[derive(Debug)]
pub(crate) enum SmallFileError {
    /// It does not exist (a broken symlink included): often nothing to report.
    Missing(std::io::Error),
    /// A FIFO, a device, a socket or a directory.
    NotRegular,
    /// Its size in bytes, over the limit it was read with.
    TooLarge {
        /// The file's size (or what was read of it before the cap).
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// Reading it failed, or it is not UTF-8.
    Io(std::io::Error),
}

impl fmt::Display for SmallFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotRegular => f.write_str("not a regular file"),
            Self::TooLarge { size, limit } => {
                write!(f, "it has {size} bytes, over the {limit}-byte limit")
            }
            Self::Missing(error) | Self::Io(error) => error.fmt(f),
        }
    }
}

/// The text of the regular file at `path`, if it has at most [`MAX_SMALL_FILE`] bytes.
pub(crate) fn read_small_file(path: &Path) -> Result<String, SmallFileError> {
    let bytes = read_capped(path, MAX_SMALL_FILE)?;
    String::from_utf8(bytes).map_err(|_| {
        SmallFileError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        ))
    })
}

/// The bytes of the regular file at `path`, if it has at most `limit` bytes: the one way a
/// file named from outside is read (manifests and configurations here, the MCP server's
/// `path` with the API's own size limit).
pub(crate) fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, SmallFileError> {
    let io = |error: std::io::Error| match error.kind() {
        std::io::ErrorKind::NotFound => SmallFileError::Missing(error),
        _ => SmallFileError::Io(error),
    };
    // Checked before opening: opening a FIFO for reading blocks until a writer comes.
    let size = check_metadata(&std::fs::metadata(path).map_err(io)?, limit)?;
    let file = std::fs::File::open(path).map_err(io)?;
    // Checked again on what was opened, in case the name changed hands in between.
    check_metadata(&file.metadata().map_err(io)?, limit)?;
    let mut bytes = Vec::with_capacity(size as usize);
    // The file may grow between the check and the read: never take more than the cap.
    let read = file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if read as u64 > limit {
        return Err(SmallFileError::TooLarge {
            size: read as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// The file's size, when it is a regular file of at most `limit` bytes.
fn check_metadata(metadata: &std::fs::Metadata, limit: u64) -> Result<u64, SmallFileError> {
    if !metadata.is_file() {
        return Err(SmallFileError::NotRegular);
    }
    if metadata.len() > limit {
        return Err(SmallFileError::TooLarge {
            size: metadata.len(),
            limit,
        });
    }
    Ok(metadata.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_small_regular_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let small = dir.path().join("a.toml");
        std::fs::write(&small, "x = 1\n").unwrap();
        assert_eq!(read_small_file(&small).unwrap(), "x = 1\n");
        let big = dir.path().join("b.toml");
        std::fs::write(&big, vec![b' '; MAX_SMALL_FILE as usize + 1]).unwrap();
        assert_eq!(
            read_small_file(&big).unwrap_err().to_string(),
            "it has 1048577 bytes, over the 1048576-byte limit"
        );
        assert!(matches!(
            read_small_file(dir.path()),
            Err(SmallFileError::NotRegular)
        ));
        assert!(matches!(
            read_small_file(Path::new("/dev/zero")),
            Err(SmallFileError::NotRegular)
        ));
        assert!(matches!(
            read_small_file(&dir.path().join("none")),
            Err(SmallFileError::Missing(_))
        ));
    }
}
