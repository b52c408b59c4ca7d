//! Access and accountability: API tokens (only their hash is stored) and the audit trail of every
//! change, written in the same transaction as the change.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum ApiTokens {
    Table,
    Id,
    TokenHash,
    Role,
    MunicipalityId,
    PersonId,
    Label,
    CreatedAt,
    RevokedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum AuditLog {
    Table,
    Id,
    OccurredAt,
    TokenId,
    Actor,
    Operation,
    Entity,
    EntityId,
    MunicipalityId,
    Before,
    After,
}

#[derive(DeriveIden)]
enum Municipalities {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .col(pk_auto(ApiTokens::Id))
                    .col(string_uniq(ApiTokens::TokenHash))
                    .col(string(ApiTokens::Role))
                    .col(integer_null(ApiTokens::MunicipalityId))
                    .col(integer_null(ApiTokens::PersonId))
                    .col(string_null(ApiTokens::Label))
                    .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiTokens::Table, ApiTokens::MunicipalityId)
                            .to(Municipalities::Table, Municipalities::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiTokens::Table, ApiTokens::PersonId)
                            .to(People::Table, People::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .check((
                        "api_tokens_role_known",
                        Expr::col(ApiTokens::Role).is_in(["ADMIN", "COORDINATOR", "CURATOR"]),
                    ))
                    .check((
                        "api_tokens_coordinator_has_municipality",
                        Expr::col(ApiTokens::Role)
                            .ne("COORDINATOR")
                            .or(Expr::col(ApiTokens::MunicipalityId).is_not_null()),
                    ))
                    .check((
                        "api_tokens_curator_is_a_person",
                        Expr::col(ApiTokens::Role)
                            .ne("CURATOR")
                            .or(Expr::col(ApiTokens::PersonId).is_not_null()),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(pk_auto(AuditLog::Id))
                    .col(timestamp_with_time_zone(AuditLog::OccurredAt))
                    .col(integer_null(AuditLog::TokenId))
                    .col(string(AuditLog::Actor))
                    .col(string(AuditLog::Operation))
                    .col(string(AuditLog::Entity))
                    .col(integer(AuditLog::EntityId))
                    .col(integer_null(AuditLog::MunicipalityId))
                    .col(json_null(AuditLog::Before))
                    .col(json_null(AuditLog::After))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AuditLog::Table, AuditLog::TokenId)
                            .to(ApiTokens::Table, ApiTokens::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("audit_log_municipality_idx", AuditLog::MunicipalityId),
            ("audit_log_entity_idx", AuditLog::EntityId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(AuditLog::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
