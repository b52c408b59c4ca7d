//! Who may change what: bearer API tokens, their roles, and the scope each role may touch.
//!
//! The public reads anonymously. What each role may change is decided in `policy`. Tokens are
//! random, shown once, and stored only as a SHA-256 hash.

pub mod policy;
mod tokens;

use sea_orm::DatabaseConnection;
use sea_orm::entity::prelude::*;
use serde::Serialize;

pub use tokens::{TokenRequest, create_token, hash_token, list_tokens, revoke_token};

use crate::entities::api_token;

/// The role a token grants.
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
    clap::ValueEnum,
    Serialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[value(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    /// Everything, everywhere: the department's administrators.
    #[sea_orm(string_value = "ADMIN")]
    Admin,
    /// Everything of one municipality: the municipal coordinator and department staff.
    #[sea_orm(string_value = "COORDINATOR")]
    Coordinator,
    /// The curator data of the schools the person is appointed to, and their review.
    #[sea_orm(string_value = "CURATOR")]
    Curator,
    /// One school's own roadmap and reports, which it submits to its curator.
    #[sea_orm(string_value = "DIRECTOR")]
    Director,
}

/// The caller of a request, as its `Authorization` header establishes.
#[derive(Clone, Debug)]
pub enum Caller {
    /// No token: read access only.
    Anonymous,
    /// A token was sent but is unknown or revoked.
    Rejected,
    /// A valid token.
    Token(Actor),
}

/// Who makes a change: the holder of a valid token, or schoolnet itself loading the demo.
#[derive(Clone, Debug)]
pub struct Actor {
    /// The token row; none for schoolnet itself.
    token: Option<api_token::Model>,
}

impl Actor {
    /// The holder of `token`.
    pub fn with_token(token: api_token::Model) -> Self {
        Actor { token: Some(token) }
    }

    /// Schoolnet itself, writing the demo dataset: it reaches everything, like an admin, and
    /// the audit log names it «система / демо-данные».
    pub fn system() -> Self {
        Actor { token: None }
    }

    /// The token, when a person acts.
    pub fn token(&self) -> Option<&api_token::Model> {
        self.token.as_ref()
    }

    /// How the audit log names the actor.
    pub fn describe(&self) -> String {
        let Some(token) = &self.token else {
            return "система / демо-данные".into();
        };
        let role = match token.role {
            Role::Admin => "ADMIN",
            Role::Coordinator => "COORDINATOR",
            Role::Curator => "CURATOR",
            Role::Director => "DIRECTOR",
        };
        match &token.label {
            Some(label) => format!("{role} token #{} ({label})", token.id),
            None => format!("{role} token #{}", token.id),
        }
    }

    /// The role the token grants; schoolnet itself acts as an admin.
    pub fn role(&self) -> Role {
        self.token.as_ref().map_or(Role::Admin, |t| t.role)
    }

    /// The municipality a coordinator manages.
    pub fn municipality_id(&self) -> Option<i32> {
        self.token.as_ref().and_then(|t| t.municipality_id)
    }

    /// The person a curator token belongs to.
    pub fn person_id(&self) -> Option<i32> {
        self.token.as_ref().and_then(|t| t.person_id)
    }

    /// The school a director token acts for.
    pub fn school_id(&self) -> Option<i32> {
        self.token.as_ref().and_then(|t| t.school_id)
    }
}

/// Resolves the `Authorization` header of a request.
pub async fn authenticate(db: &DatabaseConnection, header: Option<&str>) -> Result<Caller, DbErr> {
    let Some(header) = header else {
        return Ok(Caller::Anonymous);
    };
    let Some(token) = header
        .strip_prefix("Bearer ")
        .or_else(|| header.strip_prefix("bearer "))
    else {
        return Ok(Caller::Rejected);
    };
    let row = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(hash_token(token.trim())))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(db)
        .await?;
    Ok(row.map_or(Caller::Rejected, |token| {
        Caller::Token(Actor::with_token(token))
    }))
}
