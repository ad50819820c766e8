//! Reading a policy's bytes within a size limit: a file far larger than any policy (a
//! log or a disk image with a policy's extension) is refused before it fills memory.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// The default of `--max-file-size`: larger than any policy, smaller than trouble.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 100 * 1024 * 1024;

/// Why a policy's bytes were not read.
#[derive(Debug)]
pub enum ReadError {
    /// The file (or input) has more bytes than the limit; `size` is at least `limit + 1`
    /// (the exact size when it is known up front).
    TooLarge {
        size: u64,
        limit: u64,
    },
    Io(std::io::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::TooLarge { size, limit } => write!(
                f,
                "skipped: {size} bytes, over the size limit of {limit} bytes; to lint it, raise the limit with --max-file-size BYTES"
            ),
            ReadError::Io(e) => write!(f, "cannot read: {e}"),
        }
    }
}

/// Reads a file, refusing one larger than `limit` bytes without reading it.
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = File::open(path).map_err(ReadError::Io)?;
    let size = file.metadata().map_err(ReadError::Io)?.len();
    if size > limit {
        return Err(ReadError::TooLarge { size, limit });
    }
    // The size can be wrong (a file that grows, a device): the limit holds anyway.
    read_limited(file, limit, size)
}

/// Reads everything from `reader`, or stops once it has more than `limit` bytes.
/// `expected` is the size it likely has (0 if unknown), reserved up front.
pub fn read_limited(reader: impl Read, limit: u64, expected: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::with_capacity(expected.min(limit) as usize + 1);
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_limit_is_refused_with_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.txt");
        std::fs::write(&path, vec![b'a'; 11]).unwrap();
        let err = read_file(&path, 10).unwrap_err();
        assert!(matches!(
            err,
            ReadError::TooLarge {
                size: 11,
                limit: 10
            }
        ));
        assert!(err.to_string().contains("--max-file-size"));
        assert_eq!(read_file(&path, 11).unwrap().len(), 11);
    }

    #[test]
    fn a_stream_is_cut_off_just_past_the_limit() {
        let endless = std::io::repeat(b'x');
        let err = read_limited(endless, 1000, 0).unwrap_err();
        assert!(matches!(
            err,
            ReadError::TooLarge {
                size: 1001,
                limit: 1000
            }
        ));
        assert_eq!(read_limited(&b"abc"[..], 3, 3).unwrap(), b"abc");
    }

    #[test]
    fn a_missing_file_says_it_cannot_be_read() {
        let err = read_file(Path::new("/no/such/policy.md"), 10).unwrap_err();
        assert!(err.to_string().starts_with("cannot read: "));
    }
}
