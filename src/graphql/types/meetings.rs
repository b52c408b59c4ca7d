//! Meetings and their protocols.

use async_graphql::{Context, ID, Object, Result, SimpleObject};

use super::Municipality;
use crate::domain::PartialDate;
use crate::entities::meeting;
use crate::graphql::ids::{Kind, encode};
use crate::graphql::load_required;
use crate::graphql::loaders::*;

/// A speaker of a protocol.
#[derive(SimpleObject)]
pub struct MeetingSpeaker {
    /// Who spoke, as printed: «заведующего РМК Кондрашову Н.В.».
    speaker: String,
    /// On what.
    topic: String,
    /// The numbers of the annexes presented.
    annexes: Vec<i32>,
}

/// An annex (приложение) of a protocol.
#[derive(SimpleObject)]
pub struct MeetingAnnex {
    /// Its number.
    number: i32,
    /// What it is.
    title: String,
    /// Where it is: a path within the published site or an http(s) address.
    link: Option<String>,
}

/// A numbered decision (постановили).
#[derive(SimpleObject)]
pub struct MeetingDecision {
    /// Its number, from 1.
    number: i32,
    /// The decision, as printed.
    text: String,
}

/// The row behind the GraphQL `Meeting` object, described on its resolvers.
pub struct Meeting(pub meeting::Model);

/// A meeting and its protocol (протокол заседания), as printed.
#[Object]
impl Meeting {
    /// The global id.
    pub async fn id(&self) -> ID {
        encode(Kind::Meeting, self.0.id)
    }

    /// The row version: name it when changing this object; every change bumps it.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The municipality.
    async fn municipality(&self, ctx: &Context<'_>) -> Result<Municipality> {
        load_required(ctx, MunicipalityById(self.0.municipality_id))
            .await
            .map(Municipality)
    }

    /// What met, as the heading prints it.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// When, to the precision printed; null if not printed.
    async fn held_on(&self) -> Option<PartialDate> {
        self.0.held_on
    }

    /// Повестка дня.
    async fn agenda(&self) -> &[String] {
        &self.0.agenda.0
    }

    /// Слушали.
    async fn speakers(&self) -> Vec<MeetingSpeaker> {
        self.0
            .speakers
            .0
            .iter()
            .map(|s| MeetingSpeaker {
                speaker: s.speaker.clone(),
                topic: s.topic.clone(),
                annexes: s.annexes.clone(),
            })
            .collect()
    }

    /// Приложения.
    async fn annexes(&self) -> Vec<MeetingAnnex> {
        self.0
            .annexes
            .0
            .iter()
            .map(|a| MeetingAnnex {
                number: a.number,
                title: a.title.clone(),
                link: a.link.clone(),
            })
            .collect()
    }

    /// Постановили, numbered.
    async fn decisions(&self) -> Vec<MeetingDecision> {
        self.0
            .decisions
            .0
            .iter()
            .enumerate()
            .map(|(i, text)| MeetingDecision {
                number: i as i32 + 1,
                text: text.clone(),
            })
            .collect()
    }

    /// Голосовали.
    async fn vote(&self) -> Option<&str> {
        self.0.vote.as_deref()
    }

    /// Председатель, as signed.
    async fn chair(&self) -> Option<&str> {
        self.0.chair.as_deref()
    }
}
