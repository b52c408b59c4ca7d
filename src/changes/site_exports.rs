//! Starting an export of the district site from the API: who may export what, and the audit
//! record of it.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::{ChangeError, Command, Named, Session};
use crate::auth::policy::Scope;
use crate::db::Databases;
use crate::entities::municipality;
use crate::entities::site_export_job;
use crate::site::{JobError, SiteJobs};

impl Named for site_export_job::Model {
    const NAME: &'static str = "SiteExport";
}

/// The municipalities an export of `slugs` covers (all when none is named), as the policy and
/// the audit log see them.
pub async fn export_scope(
    db: &impl ConnectionTrait,
    slugs: &[String],
) -> Result<Scope, ChangeError> {
    let mut select = municipality::Entity::find();
    if !slugs.is_empty() {
        select = select.filter(municipality::Column::Slug.is_in(slugs.iter().map(String::as_str)));
    }
    let found = select.all(db).await?;
    if let Some(unknown) = slugs
        .iter()
        .find(|slug| !found.iter().any(|m| &m.slug == *slug))
    {
        return Err(ChangeError::NotFound {
            entity: "Municipality",
            id: unknown.clone(),
        });
    }
    Ok(found.iter().fold(Scope::untied(), |scope, m| {
        scope.and(Scope::municipality(m.id))
    }))
}

/// Starts exporting the district site of `municipalities` (slugs; all when none) in the
/// background, reading `databases.read`; a coordinator who names none exports their own.
pub async fn start_site_export(
    session: Session<'_>,
    jobs: &SiteJobs,
    databases: &Databases,
    mut municipalities: Vec<String>,
) -> Result<site_export_job::Model, ChangeError> {
    // A coordinator who names nothing means their own municipality.
    if municipalities.is_empty()
        && let Some(own) = session.actor.municipality_id()
        && let Some(m) = municipality::Entity::find_by_id(own)
            .one(session.database()?)
            .await?
    {
        municipalities.push(m.slug);
    }
    let mut change = session.begin(Command::StartSiteExport).await?;
    let scope = export_scope(&*change, &municipalities).await?;
    change.authorise(scope.clone()).await?;
    let job = jobs
        .record(&*change, municipalities)
        .await
        .map_err(|error| match error {
            JobError::AlreadyRunning(_) => ChangeError::Conflict(error.to_string()),
            JobError::Database(error) => ChangeError::Database(error),
        })?;
    change
        .finish_with::<site_export_job::Model, _>(job.id, None, Some(&job))
        .await?;
    // Only a committed job runs: a refused change leaves nothing behind.
    jobs.spawn(&job, databases.read.clone(), databases.primary.clone());
    Ok(job)
}
