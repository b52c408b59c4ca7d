//! A meeting and its protocol (протокол заседания): kept whole as one document, its lists (the
//! agenda, the speakers, the annexes, the numbered decisions) as JSON.

use sea_orm::FromJsonQueryResult;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::PartialDate;

/// A speaker as the protocol hears them: «заведующего РМК Кондрашову Н.В.», on a topic, with the
/// annexes they presented.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Speaker {
    /// Who spoke, as printed.
    pub speaker: String,
    /// On what, as printed: «по вопросу «О результатах мониторинга»».
    pub topic: String,
    /// The numbers of the annexes presented.
    pub annexes: Vec<i32>,
}

/// An annex (приложение) to the protocol.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annex {
    /// Its number: «Приложение 1».
    pub number: i32,
    /// What it is.
    pub title: String,
    /// Where it is: a page of the site (`kotelnikovsky/index.html#results`) or an https address.
    pub link: Option<String>,
}

/// Texts in order: agenda items, decisions (numbered by their place).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct Texts(pub Vec<String>);

/// The speakers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct Speakers(pub Vec<Speaker>);

/// The annexes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct Annexes(pub Vec<Annex>);

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "meetings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Bumped by every update; an update naming an older version is refused.
    pub version: i32,
    pub municipality_id: i32,
    /// What met, as the protocol's heading prints it.
    pub title: String,
    pub held_on: Option<PartialDate>,
    pub agenda: Texts,
    pub speakers: Speakers,
    pub annexes: Annexes,
    pub decisions: Texts,
    /// «Голосовали единогласно».
    pub vote: Option<String>,
    /// The chair, as signed: «Н.А. Голова».
    pub chair: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
