//! Keeping `school_spellings` in step with each school's name, full name and aliases, so that
//! the database's unique index refuses a twin even when two writers race past the check in code.

use std::collections::BTreeSet;

use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, QuerySelect, QueryTrait};

use crate::domain::identity;
use crate::entities::{school, school_spelling};

/// Replaces the recorded spellings of `school` with its current ones.
pub async fn record(db: &impl ConnectionTrait, school: &school::Model) -> Result<(), DbErr> {
    school_spelling::Entity::delete_many()
        .filter(school_spelling::Column::SchoolId.eq(school.id))
        .exec(db)
        .await?;
    let spellings: BTreeSet<String> = [&school.name, &school.full_name]
        .into_iter()
        .chain(&school.aliases.0)
        .map(|spelling| identity(spelling))
        .collect();
    let rows = spellings
        .into_iter()
        .map(|spelling| school_spelling::ActiveModel {
            school_id: Set(school.id),
            municipality_id: Set(school.municipality_id),
            spelling: Set(spelling),
            ..Default::default()
        });
    school_spelling::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// Records the spellings of schools written before the table existed.
pub async fn backfill(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let recorded = school_spelling::Entity::find()
        .select_only()
        .column(school_spelling::Column::SchoolId)
        .into_query();
    let missing = school::Entity::find()
        .filter(school::Column::Id.not_in_subquery(recorded))
        .all(db)
        .await?;
    for school in &missing {
        record(db, school).await?;
    }
    Ok(())
}
