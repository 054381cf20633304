//! Atomic, permission-safe writes.
//!
//! Every file is written to a temporary file in its target directory (private files are 0600
//! from their first byte), flushed to disk, and renamed into place. A set of files (a key and
//! its certificate) lands as a whole, even when the writer is killed: see [`FileSet`].

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;
use tempfile::NamedTempFile;

use crate::error::Error;
use crate::input::{self, JOURNAL};

/// One file to write.
#[derive(Debug)]
pub(crate) struct NewFile<'a> {
    pub path: PathBuf,
    pub contents: &'a [u8],
    /// Private files (keys) are readable by the owner only.
    pub private: bool,
}

impl<'a> NewFile<'a> {
    pub(crate) fn private(path: PathBuf, contents: &'a [u8]) -> Self {
        Self { path, contents, private: true }
    }

    pub(crate) fn public(path: PathBuf, contents: &'a [u8]) -> Self {
        Self { path, contents, private: false }
    }
}

/// Create `dir` (and missing parents) readable by the owner only (0700, whatever the umask);
/// an existing directory is left as it is.
pub(crate) fn create_private_dir(dir: &Path) -> Result<()> {
    create_with_mode(dir, 0o700)
}

/// Create `dir` and missing parents writable by the owner only and readable by all (0755,
/// whatever the umask: under `umask 000` a certificate directory must not be writable by
/// everyone, or anyone could swap the key). An existing directory is left as it is.
pub(crate) fn create_dir(dir: &Path) -> Result<()> {
    create_with_mode(dir, 0o755)
}

fn create_with_mode(dir: &Path, mode: u32) -> Result<()> {
    let failed = |e: io::Error| Error::failed(format!("cannot create directory {}: {e}", dir.display()));
    // The missing directories, innermost first.
    let missing: Vec<&Path> =
        dir.ancestors().take_while(|d| !d.as_os_str().is_empty() && !d.exists()).collect();
    for new in missing.into_iter().rev() {
        match fs::create_dir(new) {
            Ok(()) => set_mode(new, mode).map_err(failed)?,
            // Created meanwhile by someone else: leave it as it is.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && new.is_dir() => {}
            Err(e) => return Err(failed(e).into()),
        }
    }
    if !dir.is_dir() {
        return Err(Error::failed(format!(
            "cannot create directory {}: a file is in the way",
            dir.display()
        ))
        .into());
    }
    Ok(())
}

#[cfg(unix)]
fn set_mode(dir: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(dir, fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_dir: &Path, _mode: u32) -> io::Result<()> {
    Ok(())
}

/// Hold the lock file at `path` (created, in a private directory, when missing) until the
/// returned file is dropped: runs that change the same thing take turns. A lock file another
/// user made (root under sudo) is locked read-only.
pub(crate) fn exclusive(path: &Path) -> Result<fs::File> {
    let failed = |e: io::Error| Error::failed(format!("cannot lock {}: {e}", path.display()));
    create_private_dir(parent_of(path))?;
    let file = match fs::File::options().create(true).truncate(false).write(true).open(path) {
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => fs::File::open(path),
        other => other,
    }
    .map_err(failed)?;
    file.lock().map_err(failed)?;
    Ok(file)
}

/// Whether `dir` is writable by every user (sticky or not): a private key there could be
/// replaced, or its name taken first, by another user.
pub(crate) fn world_writable(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(dir).is_ok_and(|meta| meta.is_dir() && meta.permissions().mode() & 0o002 != 0)
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        false
    }
}

/// Files written together in one directory: one lock serialises their writers, and a journal
/// makes the set land as a whole even when a writer is killed half-way.
///
/// Writing a set: every new file is staged as a temporary file beside its target and synced;
/// then a journal naming each temporary file and its target is written and renamed into place
/// (the commit point); then each temporary file is renamed over its target, and the journal
/// removed. Replaced files are overwritten by the rename: no backup copy (of an old private
/// key) is ever made. Recovery, under the same lock, before anything else touches the set:
/// with a journal, the renames still to do are done (roll forward); without one, leftover
/// temporary files are deleted (roll back). Either way a reader sees the old set or the new.
#[derive(Debug, Clone)]
pub(crate) struct FileSet {
    dir: PathBuf,
    /// The file names of the set, in `dir`.
    names: Vec<String>,
    lock_name: String,
    journal_name: String,
    /// Whether the lock file is removed when the lock is released.
    remove_lock: bool,
}

/// The marker a journal starts with, then `temp\0target\0` per file.
const JOURNAL_MAGIC: &[u8] = b"tlsforge journal 1\n";

impl FileSet {
    /// The set `names` in `dir`; its lock file is `.STEM.tlsforge.lock` (removed after each
    /// use) and its journal `.STEM.tlsforge-journal`.
    pub(crate) fn new(dir: &Path, stem: &str, names: &[&str]) -> Self {
        Self {
            dir: dir.to_path_buf(),
            names: names.iter().map(|n| (*n).to_owned()).collect(),
            lock_name: format!(".{stem}.tlsforge.lock"),
            journal_name: format!(".{stem}.tlsforge-journal"),
            remove_lock: true,
        }
    }

    /// A key and its certificate in one directory, stem the certificate's name without its
    /// extension (`NAME` of `NAME.crt`); `None` for files in two directories.
    pub(crate) fn pair(key_path: &Path, cert_path: &Path) -> Option<Self> {
        let dir = parent_of(cert_path);
        let stem = cert_path.file_stem()?.to_str()?;
        let names = [key_path.file_name()?.to_str()?, cert_path.file_name()?.to_str()?];
        (parent_of(key_path) == dir).then(|| Self::new(dir, stem, &names))
    }

    /// [`FileSet::pair`] and one more file beside them (`gen --p12`'s `NAME.p12`).
    pub(crate) fn pair_and(key_path: &Path, cert_path: &Path, other: &Path) -> Option<Self> {
        let mut set = Self::pair(key_path, cert_path)?;
        (parent_of(other) == set.dir).then_some(())?;
        set.names.push(other.file_name()?.to_str()?.to_owned());
        Some(set)
    }

    /// The set of one file, `path`.
    pub(crate) fn of_file(path: &Path) -> Self {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        Self::new(parent_of(path), &name, &[&name])
    }

    /// Use `name` (kept between runs) as the lock file instead.
    pub(crate) fn with_lock_file(mut self, name: &str) -> Self {
        name.clone_into(&mut self.lock_name);
        self.remove_lock = false;
        self
    }

    /// The journal of a write that was interrupted and not yet completed, if there is one.
    pub(crate) fn torn(&self) -> Option<PathBuf> {
        let journal = self.dir.join(&self.journal_name);
        journal.symlink_metadata().is_ok().then_some(journal)
    }

    /// Wait for the set's lock, then recover an interrupted write. Released when dropped.
    pub(crate) fn lock(&self) -> Result<SetLock<'_>> {
        let path = self.dir.join(&self.lock_name);
        let failed = |e: io::Error| Error::failed(format!("cannot lock {}: {e}", path.display()));
        let file = loop {
            let file =
                fs::File::options().create(true).truncate(false).write(true).open(&path).map_err(failed)?;
            file.lock().map_err(failed)?;
            if !self.remove_lock || same_file(&file, &path) {
                break file;
            }
            // The lock file was removed by the holder we waited for: lock the new one.
        };
        let lock = SetLock { set: self, file: Some(file) };
        lock.recover()?;
        Ok(lock)
    }

    /// The set as guarded by a lock the caller already holds (the CA directory's own), after
    /// recovering an interrupted write.
    pub(crate) fn held(&self) -> Result<SetLock<'_>> {
        let lock = SetLock { set: self, file: None };
        lock.recover()?;
        Ok(lock)
    }

    /// Whether a writer left temporary files behind (or is writing right now).
    pub(crate) fn has_leftovers(&self) -> bool {
        !self.leftovers().is_empty()
    }

    /// Temporary files of this set's writers (and backups of older tlsforge versions).
    fn leftovers(&self) -> Vec<PathBuf> {
        let Ok(entries) = fs::read_dir(&self.dir) else { return Vec::new() };
        entries
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .filter(|name| {
                self.names.iter().chain([&self.journal_name]).any(|target| temp_of(name, target))
                    || name.strip_prefix(".tlsforge-backup.").is_some_and(random_part)
            })
            .map(|name| self.dir.join(name))
            .collect()
    }

    fn check(&self, files: &[NewFile<'_>]) -> Result<()> {
        for file in files {
            let ok = parent_of(&file.path) == self.dir
                && file.path.file_name().is_some_and(|n| self.names.iter().any(|m| n == m.as_str()));
            if !ok {
                return Err(Error::failed(format!(
                    "internal error: {} is not one of the files written together in {}",
                    file.path.display(),
                    self.dir.display()
                ))
                .into());
            }
        }
        Ok(())
    }
}

/// Whether `name` is a temporary file tlsforge staged for `target`: `.TARGET.XXXXXX.tmp`.
fn temp_of(name: &str, target: &str) -> bool {
    name.strip_prefix('.')
        .and_then(|n| n.strip_prefix(target))
        .and_then(|n| n.strip_prefix('.'))
        .and_then(|n| n.strip_suffix(".tmp"))
        .is_some_and(random_part)
}

/// The random part of a tempfile name: six ASCII letters and digits.
fn random_part(part: &str) -> bool {
    part.len() == 6 && part.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(unix)]
fn same_file(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &fs::File, path: &Path) -> bool {
    path.exists()
}

/// A [`FileSet`] locked for writing.
#[derive(Debug)]
pub(crate) struct SetLock<'a> {
    set: &'a FileSet,
    /// `None`: the caller holds the lock.
    file: Option<fs::File>,
}

impl Drop for SetLock<'_> {
    fn drop(&mut self) {
        if let Some(file) = self.file.take() {
            if self.set.remove_lock {
                // Removed while still locked: a waiter that opened this file sees that it is
                // gone once it gets the lock, and locks a new one.
                let _ = fs::remove_file(self.set.dir.join(&self.set.lock_name));
            }
            drop(file);
        }
    }
}

impl SetLock<'_> {
    fn recover(&self) -> Result<()> {
        let set = self.set;
        let journal = set.dir.join(&set.journal_name);
        let failed = |e: io::Error| -> anyhow::Error {
            Error::failed(format!(
                "cannot complete the interrupted write recorded in {}: {e}",
                journal.display()
            ))
            .into()
        };
        // Only what this user wrote is carried out: in a directory others can write, anyone
        // could leave a journal naming their own file as the new key.
        let foreign = |path: &Path| -> anyhow::Error {
            Error::failed(format!(
                "cannot complete the interrupted write recorded in {}: {} belongs to another user or is not a regular file, so tlsforge did not write it as you",
                journal.display(),
                path.display()
            ))
            .hint(format!("if you did not make it, remove it (rm {}) and run this again", path.display()))
            .into()
        };
        match input::read(&journal, JOURNAL) {
            Ok(_) if !written_by_us(&journal) => return Err(foreign(&journal)),
            Ok(bytes) => {
                for (temp, target) in parse_journal(&bytes) {
                    let ours = set.names.contains(&target) && temp_of(&temp, &target);
                    let temp = set.dir.join(temp);
                    if !ours || temp.symlink_metadata().is_err() {
                        continue;
                    }
                    if !written_by_us(&temp) {
                        return Err(foreign(&temp));
                    }
                    fs::rename(&temp, set.dir.join(&target)).map_err(failed)?;
                }
                sync_dir(&set.dir);
                fs::remove_file(&journal).map_err(failed)?;
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(Error::failed(format!(
                    "cannot complete the interrupted write recorded in {}: {}",
                    journal.display(),
                    e.reason()
                ))
                .hint(format!(
                    "tlsforge did not write it; remove it (rm {}) and run this again",
                    journal.display()
                ))
                .into());
            }
        }
        // Another user's files are neither ours to remove nor to use.
        let leftovers: Vec<PathBuf> = set.leftovers().into_iter().filter(|p| written_by_us(p)).collect();
        for temp in &leftovers {
            fs::remove_file(temp).map_err(|e| {
                Error::failed(format!("cannot remove the leftover temporary file {}: {e}", temp.display()))
            })?;
        }
        if !leftovers.is_empty() {
            sync_dir(&set.dir);
        }
        Ok(())
    }

    /// Write `files` (of this set) so that either all of them land or none does.
    ///
    /// Without `replace`, an existing file is an error and nothing is written.
    pub(crate) fn write(&self, files: &[NewFile<'_>], replace: bool) -> Result<()> {
        self.set.check(files)?;
        refuse_existing(files, replace)?;
        for file in files {
            if file.path.symlink_metadata().is_ok_and(|m| m.is_dir()) {
                return Err(Error::failed(format!(
                    "cannot write {}: a directory is in the way",
                    file.path.display()
                ))
                .into());
            }
        }
        let staged = files.iter().map(stage).collect::<Result<Vec<_>>>()?;
        let dir = &self.set.dir;
        if let ([file], [_]) = (files, &staged[..]) {
            // One file: the rename alone is atomic.
            let temp = staged.into_iter().next().expect("one staged file");
            let result = if replace { temp.persist(&file.path) } else { temp.persist_noclobber(&file.path) };
            result.map_err(|e| place_error(&file.path, &e.error))?;
            sync_dir(dir);
            return Ok(());
        }
        // The commit point: once the journal is in place, the set lands whatever happens.
        let mut record = JOURNAL_MAGIC.to_vec();
        for (temp, file) in staged.iter().zip(files) {
            for name in [temp.path().as_os_str(), file.path.as_os_str()] {
                let name = Path::new(name).file_name().unwrap_or_default();
                record.extend_from_slice(name.to_string_lossy().as_bytes());
                record.push(0);
            }
        }
        let journal = dir.join(&self.set.journal_name);
        let journal_temp = stage(&NewFile::private(journal.clone(), &record))?;
        refuse_existing(files, replace)?;
        journal_temp.persist(&journal).map_err(|e| place_error(&journal, &e.error))?;
        sync_dir(dir);
        let mut result = Ok(());
        for (temp, file) in staged.into_iter().zip(files) {
            // From here on the temporary files belong to the journal.
            let temp = temp.into_temp_path();
            let temp = match temp.keep() {
                Ok(path) => path,
                Err(e) => {
                    result = Err(place_error(&file.path, &e.error));
                    break;
                }
            };
            if let Err(e) = fs::rename(&temp, &file.path) {
                result = Err(place_error(&file.path, &e));
                break;
            }
        }
        result.map_err(|e| {
            e.context(format!(
                "the write was interrupted; the next tlsforge command on these files completes it ({} records it)",
                journal.display()
            ))
        })?;
        sync_dir(dir);
        fs::remove_file(&journal).map_err(|e| place_error(&journal, &e))?;
        sync_dir(dir);
        Ok(())
    }
}

/// Whether `path` is a regular file (not a link) owned by this process's user.
#[cfg(unix)]
fn written_by_us(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    path.symlink_metadata()
        .is_ok_and(|m| m.file_type().is_file() && m.uid() == rustix::process::geteuid().as_raw())
}

#[cfg(not(unix))]
fn written_by_us(path: &Path) -> bool {
    path.symlink_metadata().is_ok_and(|m| m.file_type().is_file())
}

/// Complete an interrupted write of the set `path` belongs to, if one left a journal, before
/// `path` is read: a key and certificate are read as both old or both new, never one of each.
/// The set is the one `gen` writes: `NAME.crt` with `NAME.key` (any extension), its journal
/// `.NAME.tlsforge-journal`, which names the files.
pub(crate) fn settle(path: &Path) -> Result<()> {
    let (Some(stem), Some(name)) = (path.file_stem(), path.file_name()) else { return Ok(()) };
    let (stem, name) = (stem.to_string_lossy(), name.to_string_lossy());
    let dir = parent_of(path);
    let journal = dir.join(format!(".{stem}.tlsforge-journal"));
    let bytes = match input::read(&journal, JOURNAL) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        // Unreadable or strange: the lock below says why, with the fix.
        Err(_) => Vec::new(),
    };
    let mut names: Vec<String> = parse_journal(&bytes).into_iter().map(|(_, target)| target).collect();
    if !bytes.is_empty() && !names.iter().any(|n| *n == name) {
        return Ok(());
    }
    if names.is_empty() {
        names.push(name.into_owned());
    }
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    FileSet::new(dir, &stem, &names).lock().map(drop)
}

fn parse_journal(bytes: &[u8]) -> Vec<(String, String)> {
    let Some(body) = bytes.strip_prefix(JOURNAL_MAGIC) else { return Vec::new() };
    let names: Vec<String> = body
        .split(|b| *b == 0)
        .filter(|n| !n.is_empty())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .collect();
    names.chunks_exact(2).map(|pair| (pair[0].clone(), pair[1].clone())).collect()
}

fn refuse_existing(files: &[NewFile<'_>], replace: bool) -> Result<()> {
    if replace {
        return Ok(());
    }
    let existing: Vec<String> = files
        .iter()
        .filter(|f| f.path.symlink_metadata().is_ok())
        .map(|f| f.path.display().to_string())
        .collect();
    if existing.is_empty() {
        return Ok(());
    }
    Err(appeared(&existing.join(" and ")))
}

/// A file a writer that may not replace found in its way. Commands check before they start
/// (with the hint that fits them, `--force` where there is one), so here it appeared meanwhile.
fn appeared(what: &str) -> anyhow::Error {
    Error::failed(format!("{what} already exists"))
        .hint("it was created while tlsforge was writing; check what it is, then run the command again")
        .into()
}

fn place_error(path: &Path, e: &io::Error) -> anyhow::Error {
    if e.kind() == io::ErrorKind::AlreadyExists {
        appeared(&path.display().to_string())
    } else {
        Error::failed(format!("cannot write {}: {e}", path.display())).into()
    }
}

/// Write `files`, all in one directory, as one set under its own lock (see [`FileSet`], whose
/// stem is the first file's name without its extension).
pub(crate) fn write_all(files: &[NewFile<'_>], replace: bool) -> Result<()> {
    let Some((first, _)) = files.split_first() else { return Ok(()) };
    if files.len() == 1 {
        return write_one(first, replace);
    }
    let names: Vec<String> =
        files.iter().filter_map(|f| f.path.file_name()).map(|n| n.to_string_lossy().into_owned()).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let stem = first.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let set = FileSet::new(parent_of(&first.path), &stem, &names);
    set.lock()?.write(files, replace)
}

/// Write one file atomically, under its own lock (see [`FileSet`]).
pub(crate) fn write_one(file: &NewFile<'_>, replace: bool) -> Result<()> {
    let set = FileSet::of_file(&file.path);
    set.lock()?.write(std::slice::from_ref(file), replace)
}

fn stage(file: &NewFile<'_>) -> Result<NamedTempFile> {
    let dir = parent_of(&file.path);
    let name = file.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // tempfile creates files with mode 0600 on Unix: a key is never readable by others.
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::failed(format!("cannot write in {}: {e}", dir.display())))?;
    #[cfg(unix)]
    if !file.private {
        use std::os::unix::fs::PermissionsExt;
        temp.as_file().set_permissions(fs::Permissions::from_mode(0o644))?;
    }
    temp.write_all(file.contents)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| Error::failed(format!("cannot write {}: {e}", file.path.display())))?;
    Ok(temp)
}

fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn sync_dir(dir: &Path) {
    // Make the renames durable. Directories cannot be opened for syncing on every platform;
    // where they cannot, the rename is as durable as the platform makes it.
    #[cfg(unix)]
    let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    if let Ok(handle) = fs::File::open(dir) {
        let _ = handle.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// `path` made absolute against the working directory `cwd` (which the `Host` read once), as
/// `std::path::absolute` does: `.` components go, `..` stay. As it is without a `cwd`.
pub(crate) fn absolute(cwd: Option<&Path>, path: &Path) -> PathBuf {
    match cwd {
        Some(cwd) if path.is_relative() => cwd.join(path).components().collect(),
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_both_files_with_the_right_modes() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("k");
        let cert = dir.path().join("c");
        write_all(
            &[NewFile::private(key.clone(), b"secret"), NewFile::public(cert.clone(), b"public")],
            false,
        )
        .unwrap();
        assert_eq!(fs::read(&key).unwrap(), b"secret");
        assert_eq!(fs::read(&cert).unwrap(), b"public");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
            assert_eq!(fs::metadata(&cert).unwrap().permissions().mode() & 0o777, 0o644);
        }
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2, "no temporary files left");
    }

    #[test]
    fn refuses_to_replace_without_permission_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("k");
        let cert = dir.path().join("c");
        fs::write(&cert, b"old").unwrap();
        let err =
            write_all(&[NewFile::private(key.clone(), b"new"), NewFile::public(cert.clone(), b"new")], false)
                .unwrap_err();
        assert!(err.to_string().contains("already exists"), "{err}");
        // No `--force` here: `env --write` has none; commands that do say so before they write.
        let hint = err.downcast_ref::<Error>().and_then(Error::hint_text).unwrap();
        assert!(!hint.contains("--force") && hint.contains("run the command again"), "{hint}");
        assert!(!key.exists());
        assert_eq!(fs::read(&cert).unwrap(), b"old");
    }

    #[test]
    fn a_directory_in_the_way_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("k");
        let cert = dir.path().join("c");
        fs::write(&key, b"old key").unwrap();
        fs::create_dir(&cert).unwrap(); // a file cannot be renamed over a directory
        fs::write(cert.join("inside"), b"x").unwrap();
        let result = write_all(
            &[NewFile::private(key.clone(), b"new key"), NewFile::public(cert.clone(), b"new")],
            true,
        );
        assert!(result.unwrap_err().to_string().contains("directory is in the way"));
        assert_eq!(fs::read(&key).unwrap(), b"old key");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers.len(), 2, "{leftovers:?}");
    }

    /// A writer killed after its journal landed: the next lock completes the set.
    #[test]
    fn recovery_rolls_a_journalled_set_forward() {
        let dir = tempfile::tempdir().unwrap();
        let set = FileSet::new(dir.path(), "s", &["s.key", "s.crt"]);
        fs::write(dir.path().join("s.key"), b"new key").unwrap(); // renamed before the kill
        fs::write(dir.path().join("s.crt"), b"old crt").unwrap();
        fs::write(dir.path().join(".s.crt.AbC123.tmp"), b"new crt").unwrap();
        let mut journal = JOURNAL_MAGIC.to_vec();
        journal.extend_from_slice(b".s.key.XyZ789.tmp\0s.key\0.s.crt.AbC123.tmp\0s.crt\0");
        fs::write(dir.path().join(".s.tlsforge-journal"), journal).unwrap();
        assert!(set.torn().is_some());
        drop(set.lock().unwrap());
        assert_eq!(fs::read(dir.path().join("s.crt")).unwrap(), b"new crt");
        assert_eq!(fs::read(dir.path().join("s.key")).unwrap(), b"new key");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2, "no journal, temporary or lock file");
    }

    /// A writer killed before its journal landed: its temporary files (keys among them) go.
    #[test]
    fn recovery_removes_unjournalled_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let set = FileSet::new(dir.path(), "s", &["s.key", "s.crt"]);
        fs::write(dir.path().join("s.key"), b"old key").unwrap();
        fs::write(dir.path().join(".s.key.AbC123.tmp"), b"new key").unwrap();
        fs::write(dir.path().join("..s.tlsforge-journal.Qq0000.tmp"), b"half").unwrap();
        fs::write(dir.path().join(".tlsforge-backup.Zz9999"), b"an old key").unwrap();
        fs::write(dir.path().join(".s.key.not-ours.tmp"), b"user's").unwrap();
        assert!(set.has_leftovers());
        drop(set.lock().unwrap());
        let mut left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left, [".s.key.not-ours.tmp", "s.key"]);
    }

    /// In a directory others can write, anyone could leave a journal naming their own file as
    /// the new key: only a regular file this user owns is ever renamed into place.
    #[cfg(unix)]
    #[test]
    fn recovery_carries_out_only_what_this_user_wrote() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let set = FileSet::new(dir.path(), "s", &["s.key", "s.crt"]);
        fs::write(dir.path().join("s.key"), b"old key").unwrap();
        fs::write(dir.path().join("theirs"), b"their key").unwrap();
        symlink(dir.path().join("theirs"), dir.path().join(".s.key.AbC123.tmp")).unwrap();
        let mut journal = JOURNAL_MAGIC.to_vec();
        journal.extend_from_slice(b".s.key.AbC123.tmp\0s.key\0");
        let journal_path = dir.path().join(".s.tlsforge-journal");
        fs::write(&journal_path, &journal).unwrap();
        let err = set.lock().unwrap_err().to_string();
        assert!(err.contains("not a regular file"), "{err}");
        assert_eq!(fs::read(dir.path().join("s.key")).unwrap(), b"old key");
        assert!(dir.path().join("s.key").symlink_metadata().unwrap().is_file());

        // A journal that is not a file at all is refused without blocking on it.
        fs::remove_file(&journal_path).unwrap();
        rustix::fs::mknodat(
            rustix::fs::CWD,
            &journal_path,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
            0,
        )
        .unwrap();
        let err = set.lock().unwrap_err();
        assert!(format!("{err:#}").contains("FIFO"), "{err:#}");
        fs::remove_file(&journal_path).unwrap();

        // Another user's journal (only root can make one here).
        if rustix::process::geteuid().is_root() {
            fs::write(&journal_path, &journal).unwrap();
            std::os::unix::fs::chown(&journal_path, Some(65534), Some(65534)).unwrap();
            let err = set.lock().unwrap_err().to_string();
            assert!(err.contains("belongs to another user"), "{err}");
            assert_eq!(fs::read(dir.path().join("s.key")).unwrap(), b"old key");
        }
    }

    /// A reader of a pair completes an interrupted write of it first.
    #[test]
    fn settle_completes_the_set_a_file_belongs_to() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("s.key"), b"new key").unwrap();
        fs::write(dir.path().join("s.crt"), b"old crt").unwrap();
        fs::write(dir.path().join(".s.crt.AbC123.tmp"), b"new crt").unwrap();
        let mut journal = JOURNAL_MAGIC.to_vec();
        journal.extend_from_slice(b".s.crt.AbC123.tmp\0s.crt\0");
        fs::write(dir.path().join(".s.tlsforge-journal"), journal).unwrap();
        settle(&dir.path().join("other.crt")).unwrap();
        assert_eq!(fs::read(dir.path().join("s.crt")).unwrap(), b"old crt", "not that file's set");
        settle(&dir.path().join("s.crt")).unwrap();
        assert_eq!(fs::read(dir.path().join("s.crt")).unwrap(), b"new crt");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2, "no journal, temporary or lock file");
        settle(&dir.path().join("s.crt")).unwrap();
    }

    #[test]
    fn replace_overwrites_both() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("k");
        fs::write(&key, b"old").unwrap();
        write_all(&[NewFile::private(key.clone(), b"new")], true).unwrap();
        assert_eq!(fs::read(&key).unwrap(), b"new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
