//! Who the caller is, and what changed when: the `me` and `auditLog` answers.

use async_graphql::{Context, ID, Json, Object, Result};
use chrono::{DateTime, Utc};

use super::{Municipality, Person};
use crate::auth::Role;
use crate::entities::{api_token, audit_entry};
use crate::graphql::ids::{Kind, encode};
use crate::graphql::load_one;
use crate::graphql::loaders::*;

/// The caller's token: what it may change.
pub struct Me(pub api_token::Model);

/// The holder of the request's token.
#[Object]
impl Me {
    /// The token's number, as `schoolnet token list` shows it.
    async fn token_id(&self) -> i32 {
        self.0.id
    }

    /// What the token may change.
    async fn role(&self) -> Role {
        self.0.role
    }

    /// The note given when the token was created.
    async fn label(&self) -> Option<&str> {
        self.0.label.as_deref()
    }

    /// The municipality a coordinator manages.
    async fn municipality(&self, ctx: &Context<'_>) -> Result<Option<Municipality>> {
        let Some(id) = self.0.municipality_id else {
            return Ok(None);
        };
        Ok(load_one(ctx, MunicipalityById(id)).await?.map(Municipality))
    }

    /// The person a curator token belongs to.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        let Some(id) = self.0.person_id else {
            return Ok(None);
        };
        Ok(load_one(ctx, PersonById(id)).await?.map(Person))
    }
}

/// The row behind the GraphQL `AuditEntry` object, described on its resolvers.
#[derive(Clone)]
pub struct AuditEntry(pub audit_entry::Model);

/// One successful change: who made it, when, and the entity before and after.
#[Object]
impl AuditEntry {
    /// When the change was made (UTC).
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }

    /// The token that made it: «COORDINATOR token #2 (Иванова)».
    async fn actor(&self) -> &str {
        &self.0.actor
    }

    /// The mutation: `updateSchool`.
    async fn operation(&self) -> &str {
        &self.0.operation
    }

    /// The type of the entity changed: `School`.
    async fn entity(&self) -> &str {
        &self.0.entity
    }

    /// The global id of the entity changed (it may since have been deleted).
    async fn entity_id(&self) -> ID {
        let kind = Kind::named(&self.0.entity).unwrap_or(Kind::School);
        encode(kind, self.0.entity_id)
    }

    /// The entity before the change; null for a creation.
    async fn before(&self) -> Option<Json<serde_json::Value>> {
        self.0.before.clone().map(Json)
    }

    /// The entity after the change; null for a deletion.
    async fn after(&self) -> Option<Json<serde_json::Value>> {
        self.0.after.clone().map(Json)
    }
}
