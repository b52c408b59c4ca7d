//! Every municipality a change touches, so that each one's coordinator sees it in the audit log:
//! moving a person from one municipality to another, or exporting several municipalities,
//! concerns all of them, not only one.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000004_audit_scope"
    }
}

#[derive(Iden)]
enum AuditMunicipalities {
    Table,
    AuditEntryId,
    MunicipalityId,
}

#[derive(Iden)]
enum AuditLog {
    Table,
    Id,
}

#[derive(Iden)]
enum Municipalities {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditMunicipalities::Table)
                    .col(
                        ColumnDef::new(AuditMunicipalities::AuditEntryId)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AuditMunicipalities::MunicipalityId)
                            .integer()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(AuditMunicipalities::AuditEntryId)
                            .col(AuditMunicipalities::MunicipalityId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                AuditMunicipalities::Table,
                                AuditMunicipalities::AuditEntryId,
                            )
                            .to(AuditLog::Table, AuditLog::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                AuditMunicipalities::Table,
                                AuditMunicipalities::MunicipalityId,
                            )
                            .to(Municipalities::Table, Municipalities::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("audit_municipalities_municipality_id_idx")
                    .table(AuditMunicipalities::Table)
                    .col(AuditMunicipalities::MunicipalityId)
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                r#"INSERT INTO "audit_municipalities" ("audit_entry_id", "municipality_id")
                   SELECT "id", "municipality_id" FROM "audit_log" WHERE "municipality_id" IS NOT NULL"#,
            )
            .await?;
        Ok(())
    }
}
