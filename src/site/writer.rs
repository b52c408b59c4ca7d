//! Writing the site so that readers never see half of it: pages go to a staging folder beside
//! the target, files whose content did not change are hard-linked from the current site (so they
//! are not rewritten and keep their modification time), and the finished folder is swapped in
//! with one atomic rename. An export that fails or is killed leaves the current site untouched;
//! its staging folder is removed by the next export. Beside the site lies what the export that
//! wrote it left for the next one (its manifest), replaced only after the swap.
//!
//! The site the swap replaced is not deleted but kept beside as the spare, with the list of what
//! the swap changed. The next export starts from the spare, brings it up to the current site by
//! that list, and then only writes what it renders: a re-export after one change touches a few
//! hundred files instead of linking and later deleting every file of a national site (300,000
//! of them, seconds each way). The two trees share every unchanged file (hard links), so the
//! spare costs folders, not content. The spare is trusted only while no folder of the current
//! site was changed since the swap: just before it each was given a modification time in the
//! past, which any file added, removed or renamed there replaces by the present. Otherwise the
//! export starts empty and links what it keeps from the current site, as without a spare.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

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

/// How a swap changed the site, kept so that the site it replaced (the spare) can be brought
/// up to it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Changes {
    /// Files whose content the swap brought (new or changed).
    written: Vec<String>,
    /// Files the swap took away.
    removed: Vec<String>,
    /// The modification time, in whole seconds, every folder of the site was given just
    /// before the swap, a second before it: adding, removing or renaming a file in a folder
    /// sets it to the present, so any other time means the site was touched by hand and the
    /// spare no longer follows from it.
    folders_stamped: i64,
}

/// A site being written, by any number of threads at once.
pub struct SiteWriter {
    target: PathBuf,
    staging: PathBuf,
    /// Whether staging began as the spare brought up to the current site, instead of empty.
    from_spare: bool,
    /// The paths written with new content, for [`Changes::written`].
    fresh: Mutex<Vec<String>>,
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
            from_spare: false,
            fresh: Mutex::default(),
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
        let same = fs::read(&current).is_ok_and(|old| old == content);
        if same && self.from_spare && same_file(&current, &destination) {
            self.unchanged.fetch_add(1, Ordering::SeqCst);
        } else {
            // A file of the spare may be the current site's own (a hard link): it is replaced,
            // never written into.
            if self.from_spare {
                remove_if_there(&destination)?;
            }
            if same && fs::hard_link(&current, &destination).is_ok() {
                self.unchanged.fetch_add(1, Ordering::SeqCst);
            } else {
                fs::write(&destination, content).map_err(at(&destination))?;
                self.written.fetch_add(1, Ordering::SeqCst);
                lock(&self.fresh).push(relative.to_owned());
            }
        }
        self.pause_if_asked();
        Ok(())
    }

    /// Starts from the spare, if there is one and `since` (what the last swap changed) still
    /// describes the current site, whose files lie in `folders`: the spare is brought up to the
    /// current site and becomes the staging folder. Returns whether it did.
    pub fn adopt_spare(
        &mut self,
        since: &Changes,
        folders: &BTreeSet<String>,
    ) -> Result<bool, WriteError> {
        let spare = sibling(&self.target, "spare");
        if !spare.is_dir() || !stamped(&self.target, folders, since.folders_stamped) {
            return Ok(false);
        }
        fs::remove_dir(&self.staging).map_err(at(&self.staging))?;
        fs::rename(&spare, &self.staging).map_err(at(&spare))?;
        self.from_spare = true;
        self.remove_all(&since.removed)?;
        use rayon::prelude::*;
        since.written.par_iter().try_for_each(|relative| {
            let destination = self.staging.join(inside(relative)?);
            remove_if_there(&destination)?;
            if let Some(parent) = destination.parent() {
                fs::create_dir_all(parent).map_err(at(parent))?;
            }
            let current = self.target.join(relative);
            fs::hard_link(&current, &destination).map_err(at(&current))
        })?;
        Ok(true)
    }

    /// Removes files from the staging folder, and the folders they leave empty.
    fn remove_all(&self, files: &[String]) -> Result<(), WriteError> {
        for relative in files {
            let path = self.staging.join(inside(relative)?);
            remove_if_there(&path)?;
            let mut folder = path.parent();
            while let Some(dir) = folder.filter(|dir| *dir != self.staging) {
                if fs::remove_dir(dir).is_err() {
                    break;
                }
                folder = dir.parent();
            }
        }
        Ok(())
    }

    /// Keeps these files as the current site has them, without reading them: the export knows
    /// they would be the same. Each folder is made once, then the files are linked on every
    /// core (a national site keeps 300,000 files this way).
    pub fn keep_all(&self, files: &[String]) -> Result<(), WriteError> {
        use rayon::prelude::*;
        if self.from_spare {
            // The spare was brought up to the current site: they are there.
            self.begun.fetch_add(files.len(), Ordering::SeqCst);
            self.unchanged.fetch_add(files.len(), Ordering::SeqCst);
            return Ok(());
        }
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
        lock(&self.added).push(relative.to_owned());
        let destination = self.staging.join(path);
        if let Some(parent) = destination.parent() {
            fs::create_dir_all(parent).map_err(at(parent))?;
        }
        Ok((self.target.join(path), destination))
    }

    /// The paths added since the last call, sorted.
    pub fn take_added(&self) -> Vec<String> {
        let mut added = std::mem::take(&mut *lock(&self.added));
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

    /// Swaps the new site in and leaves beside it the manifest `manifest` makes of the
    /// changes. With `removed`, the files of the current site that the new one has not, the
    /// current site is kept as the spare and the changes describe the swap; without, it is
    /// deleted. `folders` are where the new site's files lie. The old site's manifest goes
    /// first: an export killed between the steps leaves no manifest, never one that describes
    /// another site.
    pub fn commit(
        self,
        removed: Option<Vec<String>>,
        folders: &BTreeSet<String>,
        manifest: impl FnOnce(Option<Changes>) -> Vec<u8>,
    ) -> Result<Written, WriteError> {
        let manifest_path = manifest_path(&self.target);
        remove_if_there(&manifest_path)?;
        if let (true, Some(removed)) = (self.from_spare, &removed) {
            self.remove_all(removed)?;
        }
        let spare = sibling(&self.target, "spare");
        if spare.exists() {
            remove_tree(&spare)?;
        }
        let replaced = self.target.exists();
        let keep_spare = replaced && removed.is_some();
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.as_secs() as i64 - 1);
        if keep_spare {
            stamp_folders(&self.staging, folders, stamp)?;
        }
        if replaced {
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
        } else {
            fs::rename(&self.staging, &self.target).map_err(at(&self.staging))?;
        }
        let changes = match removed {
            Some(removed) if keep_spare => {
                fs::rename(&self.staging, &spare).map_err(at(&self.staging))?;
                Some(Changes {
                    written: std::mem::take(&mut *lock(&self.fresh)),
                    removed,
                    folders_stamped: stamp,
                })
            }
            _ => {
                if replaced {
                    remove_tree(&self.staging)?;
                }
                None
            }
        };
        let fresh = sibling(&self.target, "manifest.new");
        fs::write(&fresh, manifest(changes)).map_err(at(&fresh))?;
        fs::rename(&fresh, &manifest_path).map_err(at(&fresh))?;
        Ok(Written {
            written: self.written.load(Ordering::SeqCst),
            unchanged: self.unchanged.load(Ordering::SeqCst),
        })
    }
}

/// Gives `folders` inside `site` the modification time `stamp` (seconds since 1970).
fn stamp_folders(site: &Path, folders: &BTreeSet<String>, stamp: i64) -> Result<(), WriteError> {
    use rayon::prelude::*;
    let time = std::time::UNIX_EPOCH + std::time::Duration::from_secs(stamp.max(0) as u64);
    folders.par_iter().try_for_each(|folder| {
        let path = site.join(folder);
        File::open(&path)
            .and_then(|dir| dir.set_modified(time))
            .map_err(at(&path))
    })
}

/// Whether every one of `folders` inside `site` still has the modification time `stamp`.
fn stamped(site: &Path, folders: &BTreeSet<String>, stamp: i64) -> bool {
    folders.iter().all(|folder| {
        fs::metadata(site.join(folder))
            .is_ok_and(|folder| folder.mtime() == stamp && folder.mtime_nsec() == 0)
    })
}

/// Whether two paths are the same file (one inode).
fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

fn remove_if_there(path: &Path) -> Result<(), WriteError> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(at(path)(e)),
        _ => Ok(()),
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
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

    /// Commits without a previous manifest: no spare is kept.
    fn commit_alone(writer: SiteWriter) -> Written {
        writer
            .commit(None, &BTreeSet::new(), |_| b"{}".to_vec())
            .unwrap()
    }

    /// Commits knowing the previous site, and returns how the swap changed it.
    fn commit_keeping_spare(writer: SiteWriter, removed: &[&str], folders: &[&str]) -> Changes {
        let folders = folders.iter().map(|f| f.to_string()).collect();
        let mut changes = None;
        let removed = removed.iter().map(|f| f.to_string()).collect();
        writer
            .commit(Some(removed), &folders, |c| {
                changes = c;
                Vec::new()
            })
            .unwrap();
        changes.expect("a spare is kept when a site was replaced")
    }

    fn folders(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|f| f.to_string()).collect()
    }

    #[test]
    fn the_spare_is_brought_up_to_the_site_and_only_renders_are_written() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let first = SiteWriter::begin(&site).unwrap();
        first.write("index.html", b"one").unwrap();
        first.write("a/b.html", b"same").unwrap();
        first.write("old/gone.html", b"bye").unwrap();
        commit_alone(first);
        let inode = fs::metadata(site.join("a/b.html")).unwrap().ino();

        let second = SiteWriter::begin(&site).unwrap();
        second.write("index.html", b"two").unwrap();
        second
            .keep_all(&["a/b.html".into(), "old/gone.html".into()])
            .unwrap();
        second.write("c.html", b"new").unwrap();
        let changes = commit_keeping_spare(second, &[], &["", "a", "old"]);
        assert_eq!(changes.written, ["index.html", "c.html"]);
        assert_eq!(
            fs::read(sibling(&site, "spare").join("index.html")).unwrap(),
            b"one"
        );

        // The spare (the first site) becomes the second, then the third is written over it.
        let mut third = SiteWriter::begin(&site).unwrap();
        assert!(
            third
                .adopt_spare(&changes, &folders(&["", "a", "old"]))
                .unwrap()
        );
        third.write("index.html", b"two").unwrap();
        third
            .keep_all(&["a/b.html".into(), "c.html".into()])
            .unwrap();
        let changes = commit_keeping_spare(third, &["old/gone.html"], &["", "a"]);
        assert!(changes.written.is_empty(), "{changes:?}");
        assert_eq!(fs::read(site.join("index.html")).unwrap(), b"two");
        assert_eq!(fs::read(site.join("c.html")).unwrap(), b"new");
        assert_eq!(fs::metadata(site.join("a/b.html")).unwrap().ino(), inode);
        assert!(!site.join("old").exists(), "a folder left empty is removed");
        // The second site, now the spare, shares the unchanged files.
        let spare = sibling(&site, "spare");
        assert_eq!(fs::metadata(spare.join("a/b.html")).unwrap().ino(), inode);
        assert!(spare.join("old/gone.html").exists());

        // A file the third wrote is replaced in the spare, not written into: the site keeps it.
        let mut fourth = SiteWriter::begin(&site).unwrap();
        assert!(fourth.adopt_spare(&changes, &folders(&["", "a"])).unwrap());
        assert!(!sibling(&site, "staging").join("old").exists());
        fourth.write("c.html", b"newer").unwrap();
        drop(fourth);
        assert_eq!(fs::read(site.join("c.html")).unwrap(), b"new");
    }

    #[test]
    fn a_site_touched_by_hand_is_not_followed_by_its_spare() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let first = SiteWriter::begin(&site).unwrap();
        first.write("a/b.html", b"one").unwrap();
        first.write("a/c.html", b"c").unwrap();
        commit_alone(first);
        let second = SiteWriter::begin(&site).unwrap();
        second.write("a/b.html", b"two").unwrap();
        second.write("a/c.html", b"c").unwrap();
        let changes = commit_keeping_spare(second, &[], &["", "a"]);

        fs::remove_file(site.join("a/c.html")).unwrap();
        let mut third = SiteWriter::begin(&site).unwrap();
        assert!(!third.adopt_spare(&changes, &folders(&["", "a"])).unwrap());
        assert!(matches!(
            third.keep_all(&["a/c.html".into()]),
            Err(WriteError::Missing(_))
        ));
    }

    #[test]
    fn unchanged_files_are_kept_and_changed_ones_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let first = SiteWriter::begin(&site).unwrap();
        first.write("index.html", b"one").unwrap();
        first.write("a/b.html", b"same").unwrap();
        assert_eq!(
            commit_alone(first),
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
            commit_alone(second),
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
        commit_alone(first);

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
