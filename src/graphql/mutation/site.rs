//! Starting a site export from the API, and following it.

use async_graphql::{Context, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Session, run};
use crate::auth::Role;
use crate::changes::{Audited, ChangeError};
use crate::site::{JobState, JobStatus, SiteJobs};

/// An export of the district site, running or done.
#[derive(SimpleObject, Serialize)]
pub struct SiteExportJob {
    /// The job's number; ask `siteExport(id:)` for its progress.
    id: i32,
    /// Running, succeeded or failed.
    #[serde(skip)]
    status: JobStatus,
    /// The municipalities exported; all when empty.
    municipalities: Vec<String>,
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

impl From<JobState> for SiteExportJob {
    fn from(job: JobState) -> Self {
        SiteExportJob {
            id: job.id,
            status: job.status,
            municipalities: job.municipalities,
            folder: job.folder.display().to_string(),
            written: job.written as i32,
            total: job.total as i32,
            error: job.error,
            started_at: job.started_at,
            finished_at: job.finished_at,
        }
    }
}

/// Coordinators export their own municipality; admins any set.
fn scope(
    session: &Session<'_>,
    requested: Vec<String>,
    own_slug: Option<String>,
) -> Result<Vec<String>, ChangeError> {
    match session.actor.token.role {
        Role::Admin => Ok(requested),
        Role::Coordinator => {
            let own = own_slug.unwrap_or_default();
            if requested.iter().all(|slug| *slug == own) {
                Ok(vec![own])
            } else {
                Err(ChangeError::Forbidden(format!(
                    "{} may export only «{own}»",
                    session.actor.describe()
                )))
            }
        }
        Role::Curator => Err(ChangeError::Forbidden(format!(
            "{} may not export the site",
            session.actor.describe()
        ))),
    }
}

async fn start(
    session: Session<'_>,
    jobs: &SiteJobs,
    municipalities: Vec<String>,
) -> Result<JobState, ChangeError> {
    use sea_orm::EntityTrait;
    let own_slug = match session.actor.token.municipality_id {
        Some(id) => crate::entities::municipality::Entity::find_by_id(id)
            .one(session.db)
            .await?
            .map(|m| m.slug),
        None => None,
    };
    let municipalities = scope(&session, municipalities, own_slug)?;
    let write = session.begin().await?;
    let job = jobs
        .start(session.db.clone(), municipalities)
        .map_err(|e| ChangeError::Conflict(e.to_string()))?;
    let record = SiteExportJob::from(job.clone());
    write
        .finish(
            session.actor,
            Audited {
                operation: "startSiteExport",
                entity: "SiteExport",
                entity_id: job.id,
                municipality_id: session.actor.token.municipality_id,
                before: None,
                after: Some(&record),
            },
        )
        .await?;
    Ok(job)
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
        run(ctx, |s| start(s, jobs, municipalities), SiteExportJob::from).await
    }
}

/// A job's state for the `siteExport` query.
pub fn job(jobs: &SiteJobs, id: i32) -> Option<SiteExportJob> {
    jobs.get(id).map(SiteExportJob::from)
}
