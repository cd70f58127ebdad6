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
pub const MAX_SMALL_FILE: u64 = 1 << 20;

/// Why a small file was not read.
#[derive(Debug)]
pub enum SmallFileError {
    /// It does not exist (a broken symlink included): often nothing to report.
    Missing(std::io::Error),
    /// A FIFO, a device, a socket or a directory.
    NotRegular,
    /// Its size in bytes, over [`MAX_SMALL_FILE`].
    TooLarge(u64),
    /// Reading it failed, or it is not UTF-8.
    Io(std::io::Error),
}

impl fmt::Display for SmallFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotRegular => f.write_str("not a regular file"),
            Self::TooLarge(size) => {
                write!(
                    f,
                    "it has {size} bytes, over the {MAX_SMALL_FILE}-byte limit"
                )
            }
            Self::Missing(error) | Self::Io(error) => error.fmt(f),
        }
    }
}

/// The text of the regular file at `path`, if it has at most [`MAX_SMALL_FILE`] bytes.
pub fn read_small_file(path: &Path) -> Result<String, SmallFileError> {
    let io = |error: std::io::Error| match error.kind() {
        std::io::ErrorKind::NotFound => SmallFileError::Missing(error),
        _ => SmallFileError::Io(error),
    };
    // Checked before opening: opening a FIFO for reading blocks until a writer comes.
    check_metadata(&std::fs::metadata(path).map_err(io)?)?;
    let file = std::fs::File::open(path).map_err(io)?;
    // Checked again on what was opened, in case the name changed hands in between.
    check_metadata(&file.metadata().map_err(io)?)?;
    let mut text = String::new();
    let read = file
        .take(MAX_SMALL_FILE + 1)
        .read_to_string(&mut text)
        .map_err(io)?;
    if read as u64 > MAX_SMALL_FILE {
        return Err(SmallFileError::TooLarge(read as u64));
    }
    Ok(text)
}

fn check_metadata(metadata: &std::fs::Metadata) -> Result<(), SmallFileError> {
    if !metadata.is_file() {
        return Err(SmallFileError::NotRegular);
    }
    if metadata.len() > MAX_SMALL_FILE {
        return Err(SmallFileError::TooLarge(metadata.len()));
    }
    Ok(())
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
