//! Where certificates come from: files, directories (optionally recursive), stdin. Reads each
//! input once, bounded in size ([`crate::input`]), and judges it by content ([`super::content`]).
//!
//! In a directory, files that hold nothing tlsforge reads (a README, a CRL index) and special
//! files (sockets, FIFOs) are skipped and counted, hidden entries are not visited, and a file
//! reached through several names (`/etc/ssl/certs` links every root twice) is read once.

use std::cell::RefCell;
use std::collections::HashSet;
use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::content::{self, Content};
use crate::input::{self, ReadError};

/// One input and what it held.
#[derive(Debug)]
pub(crate) struct Input {
    /// As the user would name it: the path as given (joined with entry names in directories), or `-`.
    pub source: String,
    /// What it held, or why it could not be read.
    pub content: Result<Content, String>,
}

/// A file to read, found directly or inside a directory.
#[derive(Debug)]
struct Pending {
    source: String,
    path: PathBuf,
    in_directory: bool,
}

/// Files are read (and handed on) this many at a time, so memory does not grow with their number.
const BATCH: usize = 256;

/// Read every path (`-` is stdin), handing each input to `each` as soon as it is read, in the
/// order of the paths. Directories contribute their files, descending only with `recursive`.
/// Files are read by `workers` threads. Returns how many files inside directories were skipped:
/// they held no certificate, key or request, or were not regular files.
///
/// Memory does not grow with the number of files: a directory is listed (names only) when its
/// turn comes, its files are read a batch at a time, and what stays is one small identity per
/// file, to read a file reached through several names once.
pub(crate) fn gather<E>(
    paths: &[PathBuf],
    recursive: bool,
    workers: usize,
    mut each: impl FnMut(Input) -> Result<(), E>,
) -> Result<usize, E> {
    let mut walk = Walk {
        recursive,
        workers,
        seen_dirs: HashSet::new(),
        seen_files: HashSet::new(),
        skipped: 0,
        batch: Vec::with_capacity(BATCH),
        each: &mut each,
    };
    for path in paths {
        if path.as_os_str() == "-" {
            walk.push(Slot::Done(read_stdin()))?;
            continue;
        }
        let source = path.display().to_string();
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk.directory(path, &source)?,
            Ok(_) => walk.push(Slot::Pending(Pending { source, path: path.clone(), in_directory: false }))?,
            Err(e) => walk.push(Slot::Done(Input { source, content: Err(io_reason(&e)) }))?,
        }
    }
    walk.flush()?;
    Ok(walk.skipped)
}

enum Slot {
    Done(Input),
    Pending(Pending),
}

struct Walk<'a, E> {
    recursive: bool,
    workers: usize,
    seen_dirs: HashSet<FileId>,
    seen_files: HashSet<FileId>,
    skipped: usize,
    /// Inputs waiting to be read and handed on, in order.
    batch: Vec<Slot>,
    each: &'a mut dyn FnMut(Input) -> Result<(), E>,
}

impl<E> Walk<'_, E> {
    fn push(&mut self, slot: Slot) -> Result<(), E> {
        self.batch.push(slot);
        if self.batch.len() >= BATCH { self.flush() } else { Ok(()) }
    }

    /// Read the batch's files on the worker threads, then hand every input on in order.
    fn flush(&mut self) -> Result<(), E> {
        let batch = std::mem::take(&mut self.batch);
        let pending: Vec<&Pending> = batch
            .iter()
            .filter_map(|slot| if let Slot::Pending(p) = slot { Some(p) } else { None })
            .collect();
        let mut read = read_all(&pending, self.workers).into_iter();
        for slot in batch {
            let input = match slot {
                Slot::Done(input) => input,
                Slot::Pending(pending) => {
                    let content = read.next().unwrap_or_else(|| Err("not read".to_owned()));
                    if pending.in_directory && matches!(content, Ok(Content::Unrecognised(_))) {
                        self.skipped += 1;
                        continue;
                    }
                    Input { source: pending.source, content }
                }
            };
            (self.each)(input)?;
        }
        Ok(())
    }

    fn directory(&mut self, dir: &Path, source: &str) -> Result<(), E> {
        let failed = |reason: String| Slot::Done(Input { source: source.to_owned(), content: Err(reason) });
        let dir_meta = match fs::metadata(dir) {
            Ok(meta) => meta,
            Err(e) => return self.push(failed(io_reason(&e))),
        };
        if !self.seen_dirs.insert(file_id(&dir_meta, dir)) {
            return Ok(()); // a directory link back up: already walked
        }
        let names = match Names::of(dir) {
            Ok(names) => names,
            Err(e) => return self.push(failed(io_reason(&e))),
        };
        let mut subdirs = Vec::new();
        for (name, listed) in names.iter() {
            let path = dir.join(&name);
            let entry_source = join_source(source, &name.to_string_lossy());
            // The entry's type and inode come with the listing; only links (and file systems
            // that do not say) cost a stat.
            let kind = match listed {
                Listed::File(ino) => Ok((Kind::File, entry_id(ino, &dir_meta, &path))),
                Listed::Dir => Ok((Kind::Dir, None)),
                Listed::Other => fs::metadata(&path).map(|meta| {
                    let kind = if meta.is_dir() {
                        Kind::Dir
                    } else if meta.is_file() {
                        Kind::File
                    } else {
                        Kind::Special
                    };
                    (kind, Some(file_id(&meta, &path)))
                }),
            };
            match kind {
                // Broken links, loops, permissions: say so, rather than silently miss a file.
                Err(e) => {
                    self.push(Slot::Done(Input { source: entry_source, content: Err(io_reason(&e)) }))?;
                }
                Ok((Kind::Dir, _)) => {
                    if self.recursive {
                        subdirs.push((path, entry_source));
                    }
                }
                Ok((Kind::File, id)) => {
                    if id.is_none_or(|id| self.seen_files.insert(id)) {
                        self.push(Slot::Pending(Pending { source: entry_source, path, in_directory: true }))?;
                    }
                }
                Ok((Kind::Special, _)) => self.skipped += 1,
            }
        }
        drop(names);
        // Files first, then subdirectories, each in name order: a stable, readable listing.
        subdirs.sort_by(|a, b| a.1.cmp(&b.1));
        for (path, entry_source) in subdirs {
            self.directory(&path, &entry_source)?;
        }
        Ok(())
    }
}

/// What a directory entry is, as far as the listing says.
#[derive(Debug, Clone, Copy)]
enum Listed {
    /// A regular file, with its inode number (0 where there is none).
    File(u64),
    Dir,
    /// A link, a special file, or a type the listing does not give: `stat` tells.
    Other,
}

enum Kind {
    File,
    Dir,
    Special,
}

/// A directory's visible entries, sorted: names in one buffer, a few bytes per entry, where a
/// `DirEntry` or `PathBuf` each would cost about a hundred.
struct Names {
    bytes: Vec<u8>,
    /// Where each name starts and ends in `bytes`, and what it is, in listing order.
    spans: Vec<(u32, u32, Listed)>,
}

impl Names {
    fn of(dir: &Path) -> io::Result<Self> {
        let mut names = Self { bytes: Vec::new(), spans: Vec::new() };
        for entry in fs::read_dir(dir)?.filter_map(Result::ok) {
            let listed = match entry.file_type() {
                Ok(t) if t.is_file() => Listed::File(inode(&entry)),
                Ok(t) if t.is_dir() => Listed::Dir,
                _ => Listed::Other,
            };
            let name = entry.file_name();
            let name = name.as_encoded_bytes();
            if name.starts_with(b".") {
                continue;
            }
            let (Ok(start), Ok(end)) =
                (u32::try_from(names.bytes.len()), u32::try_from(names.bytes.len() + name.len()))
            else {
                break; // 4 GiB of names in one directory: the rest is not listed
            };
            names.bytes.extend_from_slice(name);
            names.spans.push((start, end, listed));
        }
        let bytes = &names.bytes;
        let key = |&(start, end, _): &(u32, u32, Listed)| {
            let name = &bytes[start as usize..end as usize];
            (is_hash_link(name), name)
        };
        // OpenSSL hash links (`5ad8a5d6.0`) last, so the descriptive name of a twice-linked file wins.
        names.spans.sort_unstable_by(|a, b| key(a).cmp(&key(b)));
        Ok(names)
    }

    fn iter(&self) -> impl Iterator<Item = (OsString, Listed)> {
        self.spans
            .iter()
            .map(|&(start, end, listed)| (os_name(&self.bytes[start as usize..end as usize]), listed))
    }
}

#[cfg(unix)]
fn os_name(bytes: &[u8]) -> OsString {
    use std::os::unix::ffi::OsStrExt;
    std::ffi::OsStr::from_bytes(bytes).to_os_string()
}

/// Elsewhere names are WTF-8: any that is not UTF-8 as well (an unpaired surrogate) is not
/// found under its lossy spelling, and says so.
#[cfg(not(unix))]
fn os_name(bytes: &[u8]) -> OsString {
    OsString::from(String::from_utf8_lossy(bytes).into_owned())
}

/// What makes two names the same file: device and inode (16 bytes a file, the one thing the
/// walk keeps per file); elsewhere the canonical path.
#[cfg(unix)]
type FileId = (u64, u64);
#[cfg(not(unix))]
type FileId = PathBuf;

#[cfg(unix)]
fn file_id(meta: &fs::Metadata, _path: &Path) -> FileId {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn file_id(_meta: &fs::Metadata, path: &Path) -> FileId {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// A listed regular file's identity without a `stat`: on the directory's device, by inode.
#[cfg(unix)]
#[allow(clippy::unnecessary_wraps, reason = "None elsewhere")]
fn entry_id(ino: u64, dir: &fs::Metadata, _path: &Path) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    Some((dir.dev(), ino))
}

#[cfg(not(unix))]
fn entry_id(_ino: u64, _dir: &fs::Metadata, path: &Path) -> Option<FileId> {
    Some(file_id(&fs::metadata(path).ok()?, path))
}

#[cfg(unix)]
fn inode(entry: &fs::DirEntry) -> u64 {
    std::os::unix::fs::DirEntryExt::ino(entry)
}

#[cfg(not(unix))]
fn inode(_entry: &fs::DirEntry) -> u64 {
    0
}

fn join_source(dir: &str, name: &str) -> String {
    if dir.ends_with('/') { format!("{dir}{name}") } else { format!("{dir}/{name}") }
}

/// `c_rehash` names: eight hex digits, a dot, a number (`r` before it for CRLs).
fn is_hash_link(name: &[u8]) -> bool {
    name.len() > 9
        && name[..8].iter().all(u8::is_ascii_hexdigit)
        && name[8] == b'.'
        && name[9..].strip_prefix(b"r").unwrap_or(&name[9..]).iter().all(u8::is_ascii_digit)
}

/// Read and parse the pending files on `workers` threads, keeping their order.
fn read_all(pending: &[&Pending], workers: usize) -> Vec<Result<Content, String>> {
    let workers = workers.clamp(1, 16);
    // Threads pay off only when there are many files; a few are read faster inline.
    if workers == 1 || pending.len() < 64 {
        return pending.iter().map(|p| read_file(&p.path)).collect();
    }
    let chunk = pending.len().div_ceil(workers);
    std::thread::scope(|scope| {
        let handles: Vec<_> = pending
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(|p| read_file(&p.path)).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().unwrap_or_else(|_| vec![Err("could not be read".to_owned())]))
            .collect()
    })
}

thread_local! {
    /// One buffer per reading thread, reused for every file it reads.
    static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Read one regular file named on the command line or found in a directory (FIFOs and
/// devices are refused: `-` reads a pipe).
pub(crate) fn read_file(path: &Path) -> Result<Content, String> {
    BUFFER.with_borrow_mut(|buffer| {
        input::read_into(path, input::INSPECTED, buffer).map_err(|e| reason(&e))?;
        Ok(content::parse(buffer))
    })
}

/// Read stdin (`-`).
pub(crate) fn read_stdin() -> Input {
    let mut buffer = Vec::new();
    let content = input::read_stream(&mut io::stdin().lock(), &mut buffer, input::INSPECTED)
        .map(|()| content::parse(&buffer))
        .map_err(|e| reason(&e));
    Input { source: "-".to_owned(), content }
}

fn reason(error: &ReadError) -> String {
    match error {
        ReadError::Io(e) => io_reason(e),
        other => other.to_string(),
    }
}

/// An I/O error as the reason an input failed.
pub(crate) fn io_reason(error: &io::Error) -> String {
    format!("cannot read: {}", crate::text::io_reason(error))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_links_are_recognised() {
        for (name, hash) in [
            ("5ad8a5d6.0", true),
            ("5ad8a5d6.r12", true),
            ("ISRG_Root_X1.pem", false),
            ("5ad8a5d6.pem", false),
        ] {
            assert_eq!(is_hash_link(name.as_bytes()), hash, "{name}");
        }
    }

    #[test]
    fn io_reasons_are_short() {
        assert_eq!(
            io_reason(&io::Error::from(io::ErrorKind::NotFound)),
            "cannot read: no such file or directory"
        );
        assert_eq!(
            io_reason(&io::Error::from_raw_os_error(40)),
            "cannot read: too many levels of symbolic links (a symlink loop?)"
        );
    }
}
