//! SeaORM entities: one module per table of `migrations/`. Rows hold domain values
//! (`crate::domain`) wherever a column has rules, so a loaded row is already valid.

pub mod api_token;
pub mod appointment;
pub mod audit_entry;
pub mod audit_municipality;
pub mod cluster;
pub mod evaluation;
pub mod group_membership;
pub mod municipality;
pub mod organisation;
pub mod partnership;
pub mod partnership_group;
pub mod person;
pub mod programme_participation;
pub mod region;
pub mod school;
pub mod school_spelling;

use sea_orm::FromJsonQueryResult;
use serde::{Deserialize, Serialize};

/// Other spellings of a name, as the sources print them; search matches them too.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct Aliases(pub Vec<String>);
