//! The audit trail: one row per successful change, in the change's own transaction, with every
//! municipality the change touched.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};
use serde::Serialize;

use super::Command;
use crate::auth::Actor;
use crate::auth::policy::Scope;
use crate::entities::{audit_entry, audit_municipality};

/// What a change did to one entity.
pub struct Audited<'a, T: Serialize> {
    /// The command: its name is the audit log's `operation`.
    pub operation: Command,
    /// The GraphQL type: `School`.
    pub entity: &'a str,
    /// The row id.
    pub entity_id: i32,
    /// The municipalities the record was and is tied to: each one's coordinator sees the entry.
    pub scope: &'a Scope,
    /// The state before; none for a creation.
    pub before: Option<&'a T>,
    /// The state after; none for a deletion.
    pub after: Option<&'a T>,
}

/// Writes the audit row; changes call it through `Write::finish`.
pub(super) async fn record<T: Serialize>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    change: Audited<'_, T>,
) -> Result<(), DbErr> {
    let json = |value: Option<&T>| {
        value
            .map(serde_json::to_value)
            .transpose()
            .map_err(|e| DbErr::Custom(format!("cannot record the change: {e}")))
    };
    let entry = audit_entry::ActiveModel {
        occurred_at: Set(chrono::Utc::now()),
        token_id: Set(actor.token().map(|t| t.id)),
        actor: Set(actor.describe()),
        operation: Set(change.operation.name().to_owned()),
        entity: Set(change.entity.to_owned()),
        entity_id: Set(change.entity_id),
        municipality_id: Set(change.scope.municipalities.first().copied()),
        before: Set(json(change.before)?),
        after: Set(json(change.after)?),
        ..Default::default()
    }
    .insert(db)
    .await?;
    // A coordinator's own changes concern their municipality too, even when the record is tied
    // to none yet (a person just added), so that they see them.
    let mut touched = change.scope.municipalities.clone();
    touched.extend(actor.municipality_id());
    if touched.is_empty() {
        return Ok(());
    }
    let touched = touched
        .into_iter()
        .map(|municipality_id| audit_municipality::ActiveModel {
            audit_entry_id: Set(entry.id),
            municipality_id: Set(municipality_id),
        });
    audit_municipality::Entity::insert_many(touched)
        .exec_without_returning(db)
        .await?;
    Ok(())
}
