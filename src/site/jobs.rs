//! Exports started from the API. Each is a row of `site_export_jobs` (so a restart loses none
//! and every server sharing the database reports it) and a background task on the server that
//! started it, which records its progress and outcome there. One export at a time writes a given
//! folder: the database's unique index on running jobs' folders holds that across servers, the
//! folder lock in `writer` across processes.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QuerySelect, SqlErr,
};

use super::{ExportOptions, SiteSettings, export};
use crate::entities::site_export_job::{self, JobStatus, Slugs};

/// How often a running job records its progress and shows it is alive.
const HEARTBEAT: Duration = Duration::from_secs(1);

/// A running job without a heartbeat for this long lost its server (stopped, killed, cut off
/// from the database); the next export of its folder marks it failed and takes over.
const ABANDONED_AFTER: Duration = Duration::from_secs(60);

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

/// Why a job was not started.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Another export writes the same folder now.
    #[error("an export of {0} is already running")]
    AlreadyRunning(String),
    /// The job could not be recorded.
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// Starts the server's exports and runs them.
#[derive(Clone, Default)]
pub struct SiteJobs {
    config: SiteConfig,
}

impl SiteJobs {
    /// Jobs that write under `config.dir`.
    pub fn new(config: SiteConfig) -> Self {
        SiteJobs { config }
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

    /// Records a new running export of `municipalities` in `db` (the transaction of the change
    /// that starts it), first failing a running job of the same folder whose server stopped.
    /// Nothing runs until [`SiteJobs::spawn`], after that transaction commits.
    pub async fn record(
        &self,
        db: &impl ConnectionTrait,
        municipalities: Vec<String>,
    ) -> Result<site_export_job::Model, JobError> {
        let folder = self.folder(&municipalities).display().to_string();
        let now = Utc::now();
        let abandoned = now - ABANDONED_AFTER;
        site_export_job::Entity::update_many()
            .col_expr(
                site_export_job::Column::Status,
                Expr::value(JobStatus::Failed),
            )
            .col_expr(site_export_job::Column::FinishedAt, Expr::value(now))
            .col_expr(
                site_export_job::Column::Error,
                Expr::value("the server running this export stopped before it ended"),
            )
            .filter(site_export_job::Column::Folder.eq(&folder))
            .filter(site_export_job::Column::Status.eq(JobStatus::Running))
            .filter(site_export_job::Column::HeartbeatAt.lt(abandoned))
            .exec(db)
            .await?;
        let job = site_export_job::ActiveModel {
            municipalities: Set(Slugs(municipalities)),
            folder: Set(folder.clone()),
            status: Set(JobStatus::Running),
            written: Set(0),
            total: Set(0),
            error: Set(None),
            started_at: Set(now),
            finished_at: Set(None),
            heartbeat_at: Set(now),
            ..Default::default()
        };
        job.insert(db).await.map_err(|error| match error.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => JobError::AlreadyRunning(folder),
            _ => JobError::Database(error),
        })
    }

    /// Runs a recorded job in the background: renders from `read` (a replica may serve it),
    /// records progress every [`HEARTBEAT`] and the outcome in `primary` (a heartbeat cut off by
    /// the end of the export changes nothing: only a running job's row moves).
    pub fn spawn(
        &self,
        job: &site_export_job::Model,
        read: DatabaseConnection,
        primary: DatabaseConnection,
    ) {
        let options = ExportOptions {
            out: PathBuf::from(&job.folder),
            municipalities: job.municipalities.0.clone(),
            base_url: None,
            templates: self.config.templates.clone(),
            settings: self.config.settings.clone(),
            strict: false,
            full: false,
        };
        let id = job.id;
        tokio::spawn(async move {
            let counts = Arc::new((AtomicUsize::new(0), AtomicUsize::new(0)));
            let read_counts = |counts: &(AtomicUsize, AtomicUsize)| {
                (
                    counts.0.load(Ordering::Relaxed),
                    counts.1.load(Ordering::Relaxed),
                )
            };
            // The heartbeat is a task of its own: awaited beside the export in one task, it
            // could wait for the pool connection the paused export holds.
            let heartbeat = tokio::spawn({
                let (counts, primary) = (counts.clone(), primary.clone());
                async move {
                    let mut beat = tokio::time::interval(HEARTBEAT);
                    loop {
                        beat.tick().await;
                        let (written, total) = read_counts(&counts);
                        if let Err(error) =
                            record_progress(&primary, id, written, total, None).await
                        {
                            tracing::warn!(%error, job = id, "cannot record an export's progress");
                        }
                    }
                }
            });
            let progress = |written: usize, total: usize| {
                counts.0.store(written, Ordering::Relaxed);
                counts.1.store(total, Ordering::Relaxed);
            };
            let outcome = export(&read, &options, &progress).await;
            heartbeat.abort();
            let end = match outcome {
                Ok(_) => Ok(()),
                Err(error) => {
                    tracing::error!(%error, job = id, "site export failed");
                    Err(error.to_string())
                }
            };
            let (written, total) = read_counts(&counts);
            if let Err(error) = record_progress(&primary, id, written, total, Some(end)).await {
                tracing::error!(%error, job = id, "cannot record how an export ended");
            }
        });
    }
}

/// Records a job's progress and heartbeat, and its end when `end` is given.
async fn record_progress(
    db: &DatabaseConnection,
    id: i32,
    written: usize,
    total: usize,
    end: Option<Result<(), String>>,
) -> Result<(), DbErr> {
    let now = Utc::now();
    let mut update = site_export_job::ActiveModel {
        written: Set(i32::try_from(written).unwrap_or(i32::MAX)),
        total: Set(i32::try_from(total).unwrap_or(i32::MAX)),
        heartbeat_at: Set(now),
        ..Default::default()
    };
    if let Some(end) = end {
        update.finished_at = Set(Some(now));
        match end {
            Ok(()) => update.status = Set(JobStatus::Succeeded),
            Err(error) => {
                update.status = Set(JobStatus::Failed);
                update.error = Set(Some(error));
            }
        }
    }
    // Only a running job moves: one marked abandoned meanwhile stays failed.
    site_export_job::Entity::update_many()
        .set(update)
        .filter(site_export_job::Column::Id.eq(id))
        .filter(site_export_job::Column::Status.eq(JobStatus::Running))
        .exec(db)
        .await?;
    Ok(())
}

/// A job by number.
pub async fn job(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<site_export_job::Model>, DbErr> {
    site_export_job::Entity::find_by_id(id).one(db).await
}

/// How many jobs are running, have succeeded and have failed.
pub async fn job_counts(db: &impl ConnectionTrait) -> Result<Vec<(JobStatus, i64)>, DbErr> {
    site_export_job::Entity::find()
        .select_only()
        .column(site_export_job::Column::Status)
        .column_as(site_export_job::Column::Id.count(), "count")
        .group_by(site_export_job::Column::Status)
        .into_tuple()
        .all(db)
        .await
}
