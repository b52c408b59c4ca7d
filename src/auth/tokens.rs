//! Creating, listing and revoking API tokens (the `schoolnet token` commands).

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::RngCore;
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, DatabaseConnection};
use sha2::{Digest, Sha256};

use super::Role;
use crate::domain::InvalidValue;
use crate::entities::{api_token, municipality, person, school};

/// Tokens start with this, so that a leaked one is recognisable in logs and scanners.
const PREFIX: &str = "sn_";

/// The stored form of a token.
pub fn hash_token(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

/// What a new token is for: its role and the scope that role needs.
#[derive(Clone, Debug)]
pub struct TokenRequest {
    /// The role granted.
    pub role: Role,
    /// The municipality a COORDINATOR manages, by slug.
    pub municipality: Option<String>,
    /// The person a CURATOR token belongs to.
    pub person_id: Option<i32>,
    /// The school a DIRECTOR token acts for.
    pub school_id: Option<i32>,
    /// A note to recognise the token by.
    pub label: Option<String>,
}

/// Creates a token and returns it with its row; the token is not stored and cannot be shown
/// again.
pub async fn create_token(
    db: &DatabaseConnection,
    request: TokenRequest,
) -> Result<(String, api_token::Model), TokenError> {
    let TokenRequest {
        role,
        municipality,
        person_id,
        school_id,
        label,
    } = request;
    let municipality_id = match municipality.as_deref() {
        Some(slug) => Some(
            municipality::Entity::find()
                .filter(municipality::Column::Slug.eq(slug))
                .one(db)
                .await?
                .ok_or_else(|| {
                    InvalidValue(format!(
                        "--municipality: no municipality has the slug «{slug}»"
                    ))
                })?
                .id,
        ),
        None => None,
    };
    if let Some(id) = person_id {
        person::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| InvalidValue(format!("--person: no person has the id {id}")))?;
    }
    if let Some(id) = school_id {
        school::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| InvalidValue(format!("--school: no school has the id {id}")))?;
    }
    match (role, municipality_id, person_id, school_id) {
        (Role::Coordinator, None, _, _) => {
            return Err(InvalidValue("a COORDINATOR token needs --municipality".into()).into());
        }
        (Role::Curator, _, None, _) => {
            return Err(InvalidValue("a CURATOR token needs --person".into()).into());
        }
        (Role::Director, _, _, None) => {
            return Err(InvalidValue("a DIRECTOR token needs --school".into()).into());
        }
        _ => {}
    }
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    let token = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(secret));
    let row = api_token::ActiveModel {
        token_hash: Set(hash_token(&token)),
        role: Set(role),
        municipality_id: Set(municipality_id),
        person_id: Set(person_id),
        school_id: Set(school_id),
        label: Set(label),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok((token, row))
}

/// Every token, oldest first (hashes are never shown).
pub async fn list_tokens(db: &DatabaseConnection) -> Result<Vec<api_token::Model>, DbErr> {
    api_token::Entity::find().order_by_id_asc().all(db).await
}

/// Revokes a token by id; revoking twice is refused so that a typo is noticed.
pub async fn revoke_token(
    db: &DatabaseConnection,
    id: i32,
) -> Result<api_token::Model, TokenError> {
    let row = api_token::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| InvalidValue(format!("no token has the id {id}")))?;
    if row.revoked_at.is_some() {
        return Err(InvalidValue(format!("token {id} is already revoked")).into());
    }
    let mut active: api_token::ActiveModel = row.into();
    active.revoked_at = Set(Some(chrono::Utc::now()));
    Ok(active.update(db).await?)
}

/// Why a token command failed.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// A wrong argument.
    #[error("{0}")]
    Invalid(#[from] InvalidValue),
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] DbErr),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_stable_and_do_not_contain_the_token() {
        let hash = hash_token("sn_secret");
        assert_eq!(hash, hash_token("sn_secret"));
        assert_eq!(hash.len(), 64);
        assert!(!hash.contains("secret"));
    }
}
