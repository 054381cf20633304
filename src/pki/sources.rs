//! Where certificates come from: files, directories (optionally recursive), stdin. Reads each
//! input once, bounded in size ([`crate::input`]), and judges it by content ([`super::content`]).
//!
//! In a directory, files that hold nothing tlsforge reads (a README, a CRL index) and special
//! files (sockets, FIFOs) are skipped and counted, hidden entries are not visited, and a file
//! reached through several names (`/etc/ssl/certs` links every root twice) is read once.

use std::cell::RefCell;
use std::collections::HashSet;
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
pub(crate) fn gather<E>(
    paths: &[PathBuf],
    recursive: bool,
    workers: usize,
    mut each: impl FnMut(Input) -> Result<(), E>,
) -> Result<usize, E> {
    let mut walk = Walk { recursive, seen_dirs: HashSet::new(), seen_files: HashSet::new(), skipped: 0 };
    let mut slots: Vec<Slot> = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            slots.push(Slot::Done(read_stdin()));
            continue;
        }
        let source = path.display().to_string();
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk.directory(path, &source, &mut slots),
            Ok(_) => slots.push(Slot::Pending(Pending { source, path: path.clone(), in_directory: false })),
            Err(e) => slots.push(Slot::Done(Input { source, content: Err(io_reason(&e)) })),
        }
    }
    let mut skipped = walk.skipped;
    let mut slots = slots.into_iter();
    loop {
        let batch: Vec<Slot> = slots.by_ref().take(BATCH).collect();
        if batch.is_empty() {
            return Ok(skipped);
        }
        let pending: Vec<&Pending> = batch
            .iter()
            .filter_map(|slot| if let Slot::Pending(p) = slot { Some(p) } else { None })
            .collect();
        let mut read = read_all(&pending, workers).into_iter();
        for slot in batch {
            let input = match slot {
                Slot::Done(input) => input,
                Slot::Pending(pending) => {
                    let content = read.next().unwrap_or_else(|| Err("not read".to_owned()));
                    if pending.in_directory && matches!(content, Ok(Content::Unrecognised(_))) {
                        skipped += 1;
                        continue;
                    }
                    Input { source: pending.source, content }
                }
            };
            each(input)?;
        }
    }
}

enum Slot {
    Done(Input),
    Pending(Pending),
}

struct Walk {
    recursive: bool,
    seen_dirs: HashSet<FileId>,
    seen_files: HashSet<FileId>,
    skipped: usize,
}

impl Walk {
    fn directory(&mut self, dir: &Path, source: &str, slots: &mut Vec<Slot>) {
        let failed = |reason: String| Slot::Done(Input { source: source.to_owned(), content: Err(reason) });
        let dir_meta = match fs::metadata(dir) {
            Ok(meta) => meta,
            Err(e) => return slots.push(failed(io_reason(&e))),
        };
        if !self.seen_dirs.insert(file_id(&dir_meta, dir)) {
            return; // a directory link back up: already walked
        }
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => return slots.push(failed(io_reason(&e))),
        };
        let mut entries: Vec<_> = entries
            .filter_map(Result::ok)
            .filter(|entry| !entry.file_name().as_encoded_bytes().starts_with(b"."))
            .map(|entry| (is_hash_link(&entry.file_name()), entry.file_name(), entry))
            .collect();
        // OpenSSL hash links (`5ad8a5d6.0`) last, so the descriptive name of a twice-linked file wins.
        entries.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        let mut subdirs = Vec::new();
        for (_, name, entry) in entries {
            let path = entry.path();
            let entry_source = join_source(source, &name.to_string_lossy());
            // The entry's type comes with the listing; only links cost a stat.
            let kind = match entry.file_type() {
                Ok(t) if t.is_symlink() => fs::metadata(&path).map(|meta| {
                    let id = file_id(&meta, &path);
                    (meta.file_type(), id)
                }),
                Ok(t) => Ok((t, entry_id(&entry, &dir_meta))),
                Err(e) => Err(e),
            };
            match kind {
                // Broken links, loops, permissions: say so, rather than silently miss a file.
                Err(e) => slots.push(Slot::Done(Input { source: entry_source, content: Err(io_reason(&e)) })),
                Ok((t, _)) if t.is_dir() => {
                    if self.recursive {
                        subdirs.push((path, entry_source));
                    }
                }
                Ok((t, id)) if t.is_file() => {
                    if self.seen_files.insert(id) {
                        slots.push(Slot::Pending(Pending { source: entry_source, path, in_directory: true }));
                    }
                }
                Ok(_) => self.skipped += 1,
            }
        }
        // Files first, then subdirectories, each in name order: a stable, readable listing.
        subdirs.sort_by(|a, b| a.1.cmp(&b.1));
        for (path, entry_source) in subdirs {
            self.directory(&path, &entry_source, slots);
        }
    }
}

/// What makes two names the same file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum FileId {
    #[cfg_attr(not(unix), allow(dead_code))]
    Inode(u64, u64),
    #[cfg_attr(unix, allow(dead_code))]
    Path(PathBuf),
}

#[cfg(unix)]
fn file_id(meta: &fs::Metadata, _path: &Path) -> FileId {
    use std::os::unix::fs::MetadataExt;
    FileId::Inode(meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn file_id(_meta: &fs::Metadata, path: &Path) -> FileId {
    FileId::Path(fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// The identity of a directory entry that is not a link: on the directory's device, by inode.
#[cfg(unix)]
fn entry_id(entry: &fs::DirEntry, dir: &fs::Metadata) -> FileId {
    use std::os::unix::fs::{DirEntryExt, MetadataExt};
    FileId::Inode(dir.dev(), entry.ino())
}

#[cfg(not(unix))]
fn entry_id(entry: &fs::DirEntry, _dir: &fs::Metadata) -> FileId {
    FileId::Path(entry.path())
}

fn join_source(dir: &str, name: &str) -> String {
    if dir.ends_with('/') { format!("{dir}{name}") } else { format!("{dir}/{name}") }
}

/// `c_rehash` names: eight hex digits, a dot, a number (`r` before it for CRLs).
fn is_hash_link(name: &std::ffi::OsStr) -> bool {
    let name = name.as_encoded_bytes();
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
            assert_eq!(is_hash_link(std::ffi::OsStr::new(name)), hash, "{name}");
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
