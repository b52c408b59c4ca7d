//! Starting a site export from the API, and following it.

use async_graphql::{Context, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::run;
use crate::changes::site_exports::start_site_export;
use crate::db::Databases;
use crate::entities::site_export_job::{self, JobStatus};
use crate::site::SiteJobs;

/// An export of the district site, running or done.
#[derive(SimpleObject, Serialize)]
pub struct SiteExportJob {
    /// The job's number; ask `siteExport(id:)` for its progress.
    id: i32,
    /// Running, succeeded or failed.
    #[serde(skip)]
    status: JobStatus,
    /// The municipalities exported; all when empty.
    pub municipalities: Vec<String>,
    /// The folder the site is written to, on the server.
    folder: String,
    /// Files written so far.
    written: i32,
    /// Files the export writes in all (0 until rendering is done).
    total: i32,
    /// Why the export failed; the previous site is untouched.
    error: Option<String>,
    /// When it started.
    started_at: DateTime<Utc>,
    /// When it ended.
    finished_at: Option<DateTime<Utc>>,
}

impl From<site_export_job::Model> for SiteExportJob {
    fn from(job: site_export_job::Model) -> Self {
        SiteExportJob {
            id: job.id,
            status: job.status,
            municipalities: job.municipalities.0,
            folder: job.folder,
            written: job.written,
            total: job.total,
            error: job.error,
            started_at: job.started_at,
            finished_at: job.finished_at,
        }
    }
}

/// Mutations of the site.
#[derive(Default)]
pub struct SiteMutations;

#[Object]
impl SiteMutations {
    /// Starts exporting the district site (admin, or a coordinator for their municipality); the
    /// export runs in the background, one at a time per folder. Follow it with `siteExport`.
    async fn start_site_export(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Municipality slugs; all when empty (a coordinator's own when omitted).",
            default
        )]
        municipalities: Vec<String>,
    ) -> Result<SiteExportJob> {
        let jobs = ctx.data_unchecked::<SiteJobs>();
        let databases = ctx.data_unchecked::<Databases>();
        run(
            ctx,
            |s| start_site_export(s, jobs, databases, municipalities),
            SiteExportJob::from,
        )
        .await
    }
}
