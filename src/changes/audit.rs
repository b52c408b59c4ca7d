//! The audit trail: one row per successful change, in the change's own transaction.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbErr};
use serde::Serialize;

use crate::auth::Actor;
use crate::entities::audit_entry;

/// What a change did to one entity.
pub struct Audited<'a, T: Serialize> {
    /// The mutation: `updateSchool`.
    pub operation: &'a str,
    /// The GraphQL type: `School`.
    pub entity: &'a str,
    /// The row id.
    pub entity_id: i32,
    /// The municipality it belongs to.
    pub municipality_id: Option<i32>,
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
    audit_entry::ActiveModel {
        occurred_at: Set(chrono::Utc::now()),
        token_id: Set(Some(actor.token.id)),
        actor: Set(actor.describe()),
        operation: Set(change.operation.to_owned()),
        entity: Set(change.entity.to_owned()),
        entity_id: Set(change.entity_id),
        municipality_id: Set(change.municipality_id),
        before: Set(json(change.before)?),
        after: Set(json(change.after)?),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
