//! A site export started from the API (`startSiteExport`): where it writes, how far it is, how
//! it ended. The row, not a server's memory, is the job: any server sharing the database can
//! report it, and the running one beats `heartbeat_at` so that a job whose server stopped can
//! be told from one still working.

use sea_orm::FromJsonQueryResult;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// The municipality slugs an export covers; all municipalities when empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct Slugs(pub Vec<String>);

/// Where a job is.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    async_graphql::Enum,
    Serialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum JobStatus {
    /// Rendering and writing.
    #[sea_orm(string_value = "RUNNING")]
    Running,
    /// The new site is in place.
    #[sea_orm(string_value = "SUCCEEDED")]
    Succeeded,
    /// The export failed, or its server stopped; the previous site is untouched.
    #[sea_orm(string_value = "FAILED")]
    Failed,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "site_export_jobs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub municipalities: Slugs,
    /// The folder written, on the server that runs the job.
    pub folder: String,
    pub status: JobStatus,
    /// Files written so far.
    pub written: i32,
    /// Files to write (0 until rendering is done).
    pub total: i32,
    /// Why it failed.
    pub error: Option<String>,
    pub started_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
    /// Last sign of life of the server running it.
    pub heartbeat_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
