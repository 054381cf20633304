//! Atomic, permission-safe writes.
//!
//! Every file is written to a temporary file in its target directory (private files are 0600
//! from their first byte), flushed to disk, and renamed into place. A set of files lands as a
//! whole: if any step fails, files already placed are rolled back to what was there before.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;
use tempfile::NamedTempFile;

use crate::error::Error;

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

/// Write `files` so that either all of them land or none does.
///
/// Without `replace`, an existing file is an error and nothing is written; the check is made
/// again at the moment of renaming, so a file created meanwhile is not clobbered either.
pub(crate) fn write_all(files: &[NewFile<'_>], replace: bool) -> Result<()> {
    if !replace {
        let existing: Vec<String> = files
            .iter()
            .filter(|f| f.path.symlink_metadata().is_ok())
            .map(|f| f.path.display().to_string())
            .collect();
        if !existing.is_empty() {
            return Err(Error::failed(format!("{} already exists", existing.join(" and ")))
                .hint("pass --force to replace it")
                .into());
        }
    }
    let staged = files.iter().map(stage).collect::<Result<Vec<_>>>()?;
    let mut placed: Vec<Placed> = Vec::with_capacity(staged.len());
    for (temp, file) in staged.into_iter().zip(files) {
        match place(temp, &file.path, replace) {
            Ok(p) => placed.push(p),
            Err(err) => {
                for p in placed.into_iter().rev() {
                    p.roll_back();
                }
                return Err(err);
            }
        }
    }
    for p in placed {
        p.commit();
    }
    for dir in files.iter().filter_map(|f| f.path.parent()) {
        sync_dir(dir);
    }
    Ok(())
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

/// A file renamed into place, with what it replaced kept aside until the whole set landed.
struct Placed {
    path: PathBuf,
    backup: Option<tempfile::TempPath>,
}

impl Placed {
    fn roll_back(self) {
        match self.backup {
            Some(backup) => {
                let _ = backup.persist(&self.path);
            }
            None => {
                let _ = fs::remove_file(&self.path);
            }
        }
    }

    fn commit(self) {
        // Dropping the TempPath deletes the backup.
        drop(self.backup);
    }
}

fn place(temp: NamedTempFile, path: &Path, replace: bool) -> Result<Placed> {
    let fail = |e: io::Error| -> anyhow::Error {
        if e.kind() == io::ErrorKind::AlreadyExists {
            Error::failed(format!("{} already exists", path.display()))
                .hint("pass --force to replace it")
                .into()
        } else {
            Error::failed(format!("cannot write {}: {e}", path.display())).into()
        }
    };
    if !replace {
        temp.persist_noclobber(path).map_err(|e| fail(e.error))?;
        return Ok(Placed { path: path.to_path_buf(), backup: None });
    }
    let backup = backup_of(path).map_err(fail)?;
    temp.persist(path).map_err(|e| fail(e.error))?;
    Ok(Placed { path: path.to_path_buf(), backup })
}

/// A second name for the file at `path`, so it can be put back if the set does not land.
fn backup_of(path: &Path) -> io::Result<Option<tempfile::TempPath>> {
    if !path.is_file() {
        return Ok(None);
    }
    let backup =
        tempfile::Builder::new().prefix(".tlsforge-backup.").tempfile_in(parent_of(path))?.into_temp_path();
    let backup_path = backup.to_path_buf();
    fs::remove_file(&backup_path)?;
    if fs::hard_link(path, &backup_path).is_err() {
        // A file system without hard links: keep a copy instead.
        fs::copy(path, &backup_path)?;
    }
    Ok(Some(backup))
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
        assert!(!key.exists());
        assert_eq!(fs::read(&cert).unwrap(), b"old");
    }

    #[test]
    fn a_failure_on_the_second_file_restores_the_first() {
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
        assert!(result.is_err());
        assert_eq!(fs::read(&key).unwrap(), b"old key");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers.len(), 2, "{leftovers:?}");
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
