//! Site exports started from the API, kept in the database rather than in one server's memory:
//! a restart does not lose them, every server sharing the database sees them, and the unique
//! index lets only one export at a time write a folder, whichever server starts it.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261129_000014_site_export_jobs"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(
            manager,
            "CREATE TABLE site_export_jobs (
                id {id},
                municipalities {json} NOT NULL,
                folder TEXT NOT NULL CHECK (folder <> ''),
                status TEXT NOT NULL CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED')),
                written INTEGER NOT NULL CHECK (written >= 0),
                total INTEGER NOT NULL CHECK (total >= 0),
                error TEXT,
                started_at {timestamp} NOT NULL,
                finished_at {timestamp},
                heartbeat_at {timestamp} NOT NULL,
                CHECK ((status = 'RUNNING') = (finished_at IS NULL)),
                CHECK ((status = 'FAILED') = (error IS NOT NULL))
             );
             CREATE UNIQUE INDEX site_export_jobs_one_running_per_folder
                ON site_export_jobs (folder) WHERE status = 'RUNNING'",
        )
        .await
    }
}
