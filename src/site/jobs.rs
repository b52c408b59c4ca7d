//! Exports started from the API: each runs in the background with its progress visible, and one
//! export at a time writes a given folder (the folder lock in `writer` guards other processes).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use super::{ExportOptions, SiteSettings, export};

/// Where the server's exports go.
#[derive(Clone, Debug)]
pub struct SiteConfig {
    /// The folder under which exports are written: all municipalities into `DIR/all`, a
    /// selection into `DIR/<slug>+<slug>`.
    pub dir: PathBuf,
    /// Templates that replace the built-in ones.
    pub templates: Option<PathBuf>,
    /// Who publishes the site.
    pub settings: SiteSettings,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            dir: PathBuf::from("site"),
            templates: None,
            settings: SiteSettings::default(),
        }
    }
}

/// Where a job is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, async_graphql::Enum)]
pub enum JobStatus {
    /// Rendering and writing.
    Running,
    /// The new site is in place.
    Succeeded,
    /// The export failed; the previous site is untouched.
    Failed,
}

/// The state of one export.
#[derive(Clone, Debug, serde::Serialize)]
pub struct JobState {
    /// The job's number.
    pub id: i32,
    /// The municipalities exported (all when empty).
    pub municipalities: Vec<String>,
    /// The folder written.
    pub folder: PathBuf,
    /// Where it is.
    #[serde(skip)]
    pub status: JobStatus,
    /// Files written so far.
    pub written: usize,
    /// Files to write.
    pub total: usize,
    /// Why it failed.
    pub error: Option<String>,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When it ended.
    pub finished_at: Option<DateTime<Utc>>,
}

/// The server's export jobs; clones share them (the API starts them, `/metrics` counts them).
#[derive(Clone, Default)]
pub struct SiteJobs {
    config: SiteConfig,
    jobs: Arc<Mutex<Vec<Arc<Mutex<JobState>>>>>,
}

/// Why a job was not started.
#[derive(Debug, thiserror::Error)]
#[error("an export of {folder} is already running (job {id})")]
pub struct AlreadyRunning {
    /// The folder.
    pub folder: String,
    /// The running job.
    pub id: i32,
}

impl SiteJobs {
    /// Jobs that write under `config.dir`.
    pub fn new(config: SiteConfig) -> Self {
        SiteJobs {
            config,
            jobs: Arc::default(),
        }
    }

    /// How many jobs are running, have succeeded and have failed since the server started.
    pub fn counts(&self) -> [(JobStatus, usize); 3] {
        let jobs = self.jobs.lock().expect("job list");
        let count = |status| {
            jobs.iter()
                .filter(|j| j.lock().expect("job").status == status)
                .count()
        };
        [JobStatus::Running, JobStatus::Succeeded, JobStatus::Failed].map(|s| (s, count(s)))
    }

    /// The folder an export of these municipalities writes.
    pub fn folder(&self, municipalities: &[String]) -> PathBuf {
        let mut slugs = municipalities.to_vec();
        slugs.sort();
        slugs.dedup();
        let name = if slugs.is_empty() {
            "all".to_owned()
        } else {
            slugs.join("+")
        };
        self.config.dir.join(name)
    }

    /// Starts an export in the background, unless one is writing the same folder.
    pub fn start(
        &self,
        db: DatabaseConnection,
        municipalities: Vec<String>,
    ) -> Result<JobState, AlreadyRunning> {
        let folder = self.folder(&municipalities);
        let mut jobs = self.jobs.lock().expect("job list");
        if let Some(running) = jobs
            .iter()
            .map(|j| j.lock().expect("job").clone())
            .find(|j| j.folder == folder && j.status == JobStatus::Running)
        {
            return Err(AlreadyRunning {
                folder: folder.display().to_string(),
                id: running.id,
            });
        }
        let state = JobState {
            id: jobs.len() as i32 + 1,
            municipalities: municipalities.clone(),
            folder: folder.clone(),
            status: JobStatus::Running,
            written: 0,
            total: 0,
            error: None,
            started_at: Utc::now(),
            finished_at: None,
        };
        let job = Arc::new(Mutex::new(state.clone()));
        jobs.push(job.clone());
        let options = ExportOptions {
            out: folder,
            municipalities,
            base_url: None,
            templates: self.config.templates.clone(),
            settings: self.config.settings.clone(),
            strict: false,
        };
        tokio::spawn(async move {
            let progress = |written: usize, total: usize| {
                let mut state = job.lock().expect("job");
                state.written = written;
                state.total = total;
            };
            let outcome = export(&db, &options, &progress).await;
            let mut state = job.lock().expect("job");
            state.finished_at = Some(Utc::now());
            match outcome {
                Ok(_) => state.status = JobStatus::Succeeded,
                Err(error) => {
                    tracing::error!(%error, job = state.id, "site export failed");
                    state.status = JobStatus::Failed;
                    state.error = Some(error.to_string());
                }
            }
        });
        Ok(state)
    }

    /// A job's state by number.
    pub fn get(&self, id: i32) -> Option<JobState> {
        let jobs = self.jobs.lock().expect("job list");
        let job = jobs.get(usize::try_from(id).ok()?.checked_sub(1)?)?;
        Some(job.lock().expect("job").clone())
    }
}
