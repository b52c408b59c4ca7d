//! Writing the site so that readers never see half of it: pages go to a staging folder beside
//! the target, files whose content did not change are hard-linked from the current site (so they
//! are not rewritten and keep their modification time), and the finished folder is swapped in
//! with one atomic rename. An export that fails or is killed leaves the current site untouched;
//! its staging folder is removed by the next export. Beside the site lies what the export that
//! wrote it left for the next one (its manifest), replaced only after the swap.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts of one export.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Files written because they are new or changed.
    pub written: usize,
    /// Files kept from the previous export because their content is the same.
    pub unchanged: usize,
}

impl Written {
    /// Files in the site.
    pub fn files(&self) -> usize {
        self.written + self.unchanged
    }
}

/// A fault-injection point for tests of a killed export: with this variable set to N, the
/// export stops after writing N files, creates `.<site>.paused` beside the site and waits there
/// to be killed, so that a test kills it mid-write at a known point instead of racing it.
pub const PAUSE_VARIABLE: &str = "SCHOOLNET_TEST_PAUSE_EXPORT_AFTER";

/// A site being written, by any number of threads at once.
pub struct SiteWriter {
    target: PathBuf,
    staging: PathBuf,
    written: AtomicUsize,
    unchanged: AtomicUsize,
    /// Files begun, counted once each whoever writes them: the n-th file is known to be it.
    begun: AtomicUsize,
    /// The paths added since [`SiteWriter::take_added`] was last called.
    added: Mutex<Vec<String>>,
    pause_after: Option<usize>,
    _lock: File,
}

/// Why the site could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Another export holds the folder.
    #[error("another export is writing {0} right now")]
    Busy(PathBuf),
    /// A file the previous export wrote, which this one reuses, is gone.
    #[error("{0} is gone from the current site; export again with --full")]
    Missing(PathBuf),
    /// A file system error, with the path involved.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The error.
        source: io::Error,
    },
}

fn at(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Where the export that wrote the site at `target` left its manifest.
pub fn manifest_path(target: &Path) -> PathBuf {
    sibling(target, "manifest.json")
}

fn sibling(target: &Path, suffix: &str) -> PathBuf {
    let name = target
        .file_name()
        .map_or("site".into(), |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.{suffix}"))
}

impl SiteWriter {
    /// Starts an export into `target`, refusing if another export holds it.
    pub fn begin(target: &Path) -> Result<Self, WriteError> {
        let target = std::path::absolute(target).map_err(at(target))?;
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(at(parent))?;
        }
        let lock_path = sibling(&target, "lock");
        let lock = File::create(&lock_path).map_err(at(&lock_path))?;
        if lock.try_lock().is_err() {
            return Err(WriteError::Busy(target));
        }
        let staging = sibling(&target, "staging");
        let old = sibling(&target, "old");
        for leftover in [&staging, &old] {
            if leftover.exists() {
                fs::remove_dir_all(leftover).map_err(at(leftover))?;
            }
        }
        fs::create_dir_all(&staging).map_err(at(&staging))?;
        Ok(SiteWriter {
            pause_after: std::env::var(PAUSE_VARIABLE)
                .ok()
                .and_then(|n| n.parse().ok()),
            target,
            staging,
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            begun: AtomicUsize::new(0),
            added: Mutex::default(),
            _lock: lock,
        })
    }

    /// Adds a file at `relative` (a path inside the site, with `/` separators).
    pub fn write(&self, relative: &str, content: &[u8]) -> Result<(), WriteError> {
        let (current, destination) = self.begin_file(relative)?;
        if fs::read(&current).is_ok_and(|old| old == content)
            && fs::hard_link(&current, &destination).is_ok()
        {
            self.unchanged.fetch_add(1, Ordering::SeqCst);
        } else {
            fs::write(&destination, content).map_err(at(&destination))?;
            self.written.fetch_add(1, Ordering::SeqCst);
        }
        self.pause_if_asked();
        Ok(())
    }

    /// Keeps these files as the current site has them, without reading them: the export knows
    /// they would be the same. Each folder is made once, then the files are linked on every
    /// core (a national site keeps 300,000 files this way).
    pub fn keep_all(&self, files: &[String]) -> Result<(), WriteError> {
        use rayon::prelude::*;
        let mut folders = BTreeSet::new();
        for relative in files {
            folders.extend(inside(relative)?.parent());
        }
        for folder in folders {
            let folder = self.staging.join(folder);
            fs::create_dir_all(&folder).map_err(at(&folder))?;
        }
        files.par_iter().try_for_each(|relative| {
            self.hold_beyond_pause(self.begun.fetch_add(1, Ordering::SeqCst) + 1);
            let current = self.target.join(relative);
            fs::hard_link(&current, self.staging.join(relative)).map_err(|source| match source
                .kind()
            {
                io::ErrorKind::NotFound => WriteError::Missing(current.clone()),
                _ => at(&current)(source),
            })?;
            self.unchanged.fetch_add(1, Ordering::SeqCst);
            self.pause_if_asked();
            Ok(())
        })
    }

    /// Checks that `relative` is a path inside the site, notes it, and returns where it is in
    /// the current site and where it goes in the new one (its folder made).
    fn begin_file(&self, relative: &str) -> Result<(PathBuf, PathBuf), WriteError> {
        let path = inside(relative)?;
        self.hold_beyond_pause(self.begun.fetch_add(1, Ordering::SeqCst) + 1);
        self.added
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(relative.to_owned());
        let destination = self.staging.join(path);
        if let Some(parent) = destination.parent() {
            fs::create_dir_all(parent).map_err(at(parent))?;
        }
        Ok((self.target.join(path), destination))
    }

    /// The paths added since the last call, sorted.
    pub fn take_added(&self) -> Vec<String> {
        let mut added = std::mem::take(
            &mut *self
                .added
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        );
        added.sort_unstable();
        added
    }

    /// Files added so far.
    pub fn files(&self) -> usize {
        self.written.load(Ordering::SeqCst) + self.unchanged.load(Ordering::SeqCst)
    }

    /// See [`PAUSE_VARIABLE`]: the file after the last one to write before the pause waits,
    /// whichever thread writes it.
    fn hold_beyond_pause(&self, file: usize) {
        if self.pause_after.is_some_and(|last| file > last) {
            park_for_good();
        }
    }

    /// See [`PAUSE_VARIABLE`]: the thread that completes the last file before the pause marks
    /// it, so that exactly that many are staged.
    fn pause_if_asked(&self) {
        if self.pause_after == Some(self.files()) {
            let marker = sibling(&self.target, "paused");
            if fs::write(&marker, b"").is_ok() {
                park_for_good();
            }
        }
    }

    /// Swaps the new site in, removes the old one and leaves `manifest` beside the new one.
    /// The old site's manifest goes first: an export killed between the two steps leaves no
    /// manifest, never one that describes another site.
    pub fn commit(self, manifest: &[u8]) -> Result<Written, WriteError> {
        let manifest_path = manifest_path(&self.target);
        match fs::remove_file(&manifest_path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(at(&manifest_path)(e)),
            _ => {}
        }
        if self.target.exists() {
            // Linux swaps the two folders in one step; readers see the old site or the new one.
            if rustix::fs::renameat_with(
                rustix::fs::CWD,
                &self.staging,
                rustix::fs::CWD,
                &self.target,
                rustix::fs::RenameFlags::EXCHANGE,
            )
            .is_err()
            {
                let old = sibling(&self.target, "old");
                fs::rename(&self.target, &old).map_err(at(&self.target))?;
                fs::rename(&self.staging, &self.target).map_err(at(&self.staging))?;
                fs::rename(&old, &self.staging).map_err(at(&old))?;
            }
            remove_tree(&self.staging)?;
        } else {
            fs::rename(&self.staging, &self.target).map_err(at(&self.staging))?;
        }
        let fresh = sibling(&self.target, "manifest.new");
        fs::write(&fresh, manifest).map_err(at(&fresh))?;
        fs::rename(&fresh, &manifest_path).map_err(at(&fresh))?;
        Ok(Written {
            written: self.written.load(Ordering::SeqCst),
            unchanged: self.unchanged.load(Ordering::SeqCst),
        })
    }
}

/// `relative` as a path, if it is one inside the site.
fn inside(relative: &str) -> Result<&Path, WriteError> {
    let path = Path::new(relative);
    if path.components().all(|c| matches!(c, Component::Normal(_))) {
        Ok(path)
    } else {
        Err(WriteError::Io {
            path: path.to_owned(),
            source: io::Error::new(io::ErrorKind::InvalidInput, "not a path inside the site"),
        })
    }
}

/// Removes a folder and everything in it, on every core: a national site is 300,000 files,
/// and unlinking them one by one is seconds of system time.
fn remove_tree(folder: &Path) -> Result<(), WriteError> {
    use rayon::prelude::*;
    let entries: Vec<fs::DirEntry> = fs::read_dir(folder)
        .and_then(|entries| entries.collect())
        .map_err(at(folder))?;
    entries.par_iter().try_for_each(|entry| {
        let path = entry.path();
        match entry.file_type().map_err(at(&path))?.is_dir() {
            true => remove_tree(&path),
            false => fs::remove_file(&path).map_err(at(&path)),
        }
    })?;
    fs::remove_dir(folder).map_err(at(folder))
}

/// Waits to be killed (see [`PAUSE_VARIABLE`]).
fn park_for_good() -> ! {
    loop {
        std::thread::park();
    }
}

impl Drop for SiteWriter {
    /// An export that did not commit leaves no staging folder behind.
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.staging);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    #[test]
    fn unchanged_files_are_kept_and_changed_ones_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let first = SiteWriter::begin(&site).unwrap();
        first.write("index.html", b"one").unwrap();
        first.write("a/b.html", b"same").unwrap();
        assert_eq!(
            first.commit(b"{}").unwrap(),
            Written {
                written: 2,
                unchanged: 0
            }
        );
        let inode = fs::metadata(site.join("a/b.html")).unwrap().ino();

        let second = SiteWriter::begin(&site).unwrap();
        second.write("index.html", b"two").unwrap();
        second.write("a/b.html", b"same").unwrap();
        assert_eq!(
            second.commit(b"{}").unwrap(),
            Written {
                written: 1,
                unchanged: 1
            }
        );
        assert_eq!(fs::read(site.join("index.html")).unwrap(), b"two");
        assert_eq!(
            fs::metadata(site.join("a/b.html")).unwrap().ino(),
            inode,
            "not rewritten"
        );
        assert!(!sibling(&site, "staging").exists());
    }

    #[test]
    fn an_abandoned_export_leaves_the_site_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let first = SiteWriter::begin(&site).unwrap();
        first.write("index.html", b"old").unwrap();
        first.commit(b"{}").unwrap();

        let broken = SiteWriter::begin(&site).unwrap();
        broken.write("index.html", b"half").unwrap();
        drop(broken);
        assert_eq!(fs::read(site.join("index.html")).unwrap(), b"old");
        assert!(!sibling(&site, "staging").exists());
    }

    #[test]
    fn one_export_at_a_time_and_no_escaping_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let writer = SiteWriter::begin(&site).unwrap();
        assert!(matches!(SiteWriter::begin(&site), Err(WriteError::Busy(_))));
        assert!(writer.write("../evil.html", b"x").is_err());
    }
}
