//! Every file tlsforge reads from outside (certificates, keys, CA files, bundles, `.env` files,
//! inspected files, stdin) is read here: bounded in size, and only when it is a regular file.
//!
//! A file is opened without blocking (a FIFO with no writer would otherwise hang the open),
//! the opened descriptor is checked (FIFOs, devices, sockets and directories are refused with
//! what they are), and at most the limit plus one byte is read (`/dev/zero` behind a symlink
//! still ends). A symlink to a regular file is read like the file.

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// How much of one kind of input is read, and what to call it when there is more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limit {
    pub bytes: u64,
    /// Completes "the limit for ...".
    pub what: &'static str,
}

const MIB: u64 = 1024 * 1024;

/// A certificate (or a full chain), a private key, the local CA's files: a few KiB each; a
/// chain of hundreds of certificates still fits.
pub(crate) const CERTIFICATE: Limit = Limit { bytes: MIB, what: "a certificate or key file" };

/// A CA bundle (the system's, or one given with `--ca`): ~220 KiB for today's Mozilla roots.
pub(crate) const BUNDLE: Limit = Limit { bytes: 4 * MIB, what: "a CA bundle" };

/// A `.env` file: lines of variables.
pub(crate) const DOTENV: Limit = Limit { bytes: 4 * MIB, what: "a .env file" };

/// A file of the system read while looking for trust stores (`os-release`, `profiles.ini`, a
/// `/proc` entry): a few KiB.
pub(crate) const SYSTEM: Limit = Limit { bytes: MIB, what: "a system file" };

/// A trust store's file (a bundle, a keystore, an anchor): the largest seen are a few MiB.
pub(crate) const STORE: Limit = Limit { bytes: 64 * MIB, what: "a trust store file" };

/// A tlsforge journal: the names of a few files.
pub(crate) const JOURNAL: Limit = Limit { bytes: 64 * 1024, what: "a tlsforge journal" };

/// What `inspect` reads (files and stdin): a bundle of 10,000 RSA-4096 roots is ~20 MB, and
/// nothing larger is a certificate file (a disk image, a log).
pub(crate) const INSPECTED: Limit = Limit { bytes: 32 * MIB, what: "an inspected file" };

/// Why an input was not read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// It could not be opened or read.
    Io(io::Error),
    /// It is not a regular file: what it is ("a FIFO (named pipe)", "a directory", ...).
    NotAFile(&'static str),
    /// It holds more than the limit; its size when it is known.
    TooLarge { size: Option<u64>, limit: Limit },
}

impl ReadError {
    /// The I/O kind, for callers that tell "missing" from the rest.
    pub(crate) fn kind(&self) -> io::ErrorKind {
        match self {
            Self::Io(e) => e.kind(),
            Self::NotAFile("a directory") => io::ErrorKind::IsADirectory,
            Self::NotAFile(_) => io::ErrorKind::InvalidInput,
            Self::TooLarge { .. } => io::ErrorKind::FileTooLarge,
        }
    }

    /// A short reason: I/O errors as [`crate::text::io_reason`] words them, the rest as shown.
    pub(crate) fn reason(&self) -> String {
        match self {
            Self::Io(e) => crate::text::io_reason(e),
            other => other.to_string(),
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(e) => write!(f, "{e}"),
            Self::NotAFile("a directory") => f.write_str("is a directory"),
            Self::NotAFile(what) => write!(f, "{what}, not a regular file"),
            Self::TooLarge { size: Some(size), limit } => {
                let shown = if *size < 10 * MIB {
                    format!("{size} bytes")
                } else {
                    #[allow(clippy::cast_precision_loss)] // a size shown to one decimal
                    let mib = *size as f64 / MIB as f64;
                    format!("{mib:.1} MiB")
                };
                write!(f, "too large: {shown} (the limit for {} is {})", limit.what, size_text(limit.bytes))
            }
            Self::TooLarge { size: None, limit } => {
                write!(f, "too large: more than {}, the limit for {}", size_text(limit.bytes), limit.what)
            }
        }
    }
}

impl std::error::Error for ReadError {}

fn size_text(bytes: u64) -> String {
    if bytes.is_multiple_of(MIB) { format!("{} MiB", bytes / MIB) } else { format!("{bytes} bytes") }
}

/// Read the regular file at `path`, at most `limit` bytes.
pub(crate) fn read(path: &Path, limit: Limit) -> Result<Vec<u8>, ReadError> {
    let mut buffer = Vec::new();
    read_into(path, limit, &mut buffer)?;
    Ok(buffer)
}

/// Read the regular file at `path`, as text (invalid UTF-8 is an `InvalidData` I/O error).
pub(crate) fn read_to_string(path: &Path, limit: Limit) -> Result<String, ReadError> {
    String::from_utf8(read(path, limit)?).map_err(|_| {
        ReadError::Io(io::Error::new(io::ErrorKind::InvalidData, "stream did not contain valid UTF-8"))
    })
}

/// Read the regular file at `path` into `buffer` (cleared first), at most `limit` bytes.
pub(crate) fn read_into(path: &Path, limit: Limit, buffer: &mut Vec<u8>) -> Result<(), ReadError> {
    buffer.clear();
    let mut file = open(path)?;
    read_bounded(&mut file, buffer, limit, |file| file.metadata().ok().map(|m| m.len()))
}

/// Read an already open stream (stdin) into `buffer`, at most `limit` bytes.
pub(crate) fn read_stream<R: Read>(
    reader: &mut R,
    buffer: &mut Vec<u8>,
    limit: Limit,
) -> Result<(), ReadError> {
    read_bounded(reader, buffer, limit, |_| None)
}

/// Open without blocking, then refuse what is not a regular file.
fn open(path: &Path) -> Result<File, ReadError> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // A FIFO with no writer blocks the open itself, before anything could be checked.
        #[allow(clippy::cast_possible_wrap)]
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = match options.open(path) {
        Ok(file) => file,
        // Opening a Unix socket fails (ENXIO): say what it is.
        Err(e) => {
            return Err(match fs::metadata(path) {
                Ok(meta) if !meta.is_file() && !meta.is_dir() => ReadError::NotAFile(kind_of(&meta)),
                _ => ReadError::Io(e),
            });
        }
    };
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile(kind_of(&meta)));
    }
    Ok(file)
}

/// What a file that is not a regular file is.
fn kind_of(meta: &fs::Metadata) -> &'static str {
    let kind = meta.file_type();
    if kind.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    "a special file"
}

/// Most certificate files fit in this; larger ones are sized (one `fstat`) before reading on.
const FIRST_READ: u64 = 64 * 1024;

/// Read at most `limit` bytes: first [`FIRST_READ`], and only if there is more, ask `size`
/// (a regular file's length) so a huge file is refused before it is read.
fn read_bounded<R: Read>(
    reader: &mut R,
    buffer: &mut Vec<u8>,
    limit: Limit,
    size: impl Fn(&R) -> Option<u64>,
) -> Result<(), ReadError> {
    let first = FIRST_READ.min(limit.bytes + 1);
    buffer.reserve(usize::try_from(first).unwrap_or(0));
    reader.take(first).read_to_end(buffer).map_err(ReadError::Io)?;
    if (buffer.len() as u64) < first {
        return Ok(());
    }
    if let Some(len) = size(reader).filter(|len| *len > limit.bytes) {
        return Err(ReadError::TooLarge { size: Some(len), limit });
    }
    let rest = (limit.bytes + 1).saturating_sub(buffer.len() as u64);
    reader.take(rest).read_to_end(buffer).map_err(ReadError::Io)?;
    if buffer.len() as u64 > limit.bytes {
        return Err(ReadError::TooLarge { size: None, limit });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: Limit = Limit { bytes: 10, what: "a test file" };

    #[test]
    fn regular_files_are_read_up_to_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        fs::write(&path, b"0123456789").unwrap();
        assert_eq!(read(&path, SMALL).unwrap(), b"0123456789");
        fs::write(&path, b"0123456789a").unwrap();
        let err = read(&path, SMALL).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::FileTooLarge);
        assert_eq!(err.to_string(), "too large: 11 bytes (the limit for a test file is 10 bytes)");
        let big = vec![b'x'; 3 * 1024 * 1024];
        fs::write(&path, &big).unwrap();
        assert_eq!(
            read(&path, CERTIFICATE).unwrap_err().to_string(),
            "too large: 3145728 bytes (the limit for a certificate or key file is 1 MiB)"
        );
        assert_eq!(read(&path, BUNDLE).unwrap().len(), big.len());
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&fifo, &link).unwrap();
        for path in [fifo.as_path(), link.as_path()] {
            let err = read(path, CERTIFICATE).unwrap_err();
            assert_eq!(err.to_string(), "a FIFO (named pipe), not a regular file");
        }
        let err = read(Path::new("/dev/zero"), CERTIFICATE).unwrap_err();
        assert_eq!(err.to_string(), "a character device, not a regular file");
        let err = read(dir.path(), CERTIFICATE).unwrap_err();
        assert_eq!((err.kind(), err.reason()), (io::ErrorKind::IsADirectory, "is a directory".to_owned()));
        let err = read(&dir.path().join("missing"), CERTIFICATE).unwrap_err();
        assert_eq!(err.reason(), "no such file or directory");
    }

    #[test]
    fn streams_are_bounded() {
        let mut buffer = Vec::new();
        let err = read_stream(&mut io::repeat(0), &mut buffer, SMALL).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::FileTooLarge);
        assert_eq!(buffer.len(), 11);
    }
}
