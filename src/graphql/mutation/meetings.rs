//! Recording meetings and their protocols.

use async_graphql::{Context, ID, InputObject, Object, Result};

use super::{id_argument, run};
use crate::changes::meetings::{Protocol, delete_meeting, record_meeting, update_meeting};
use crate::domain::PartialDate;
use crate::entities::meeting::{Annex, Speaker};
use crate::graphql::ids::Kind;
use crate::graphql::types::Meeting;

/// A speaker, as the protocol hears them.
#[derive(InputObject)]
pub struct SpeakerInput {
    /// Who spoke, as printed.
    speaker: String,
    /// On what.
    topic: String,
    /// The numbers of the annexes presented.
    #[graphql(default)]
    annexes: Vec<i32>,
}

/// An annex of the protocol.
#[derive(InputObject)]
pub struct AnnexInput {
    /// Its number.
    number: i32,
    /// What it is.
    title: String,
    /// A path within the published site (`kotelnikovsky/index.html#results`) or an http(s)
    /// address.
    link: Option<String>,
}

/// A protocol, as printed.
#[derive(InputObject)]
pub struct ProtocolInput {
    /// What met, as the heading prints it.
    title: String,
    /// When, to the precision printed.
    held_on: Option<PartialDate>,
    /// Повестка дня.
    #[graphql(default)]
    agenda: Vec<String>,
    /// Слушали.
    #[graphql(default)]
    speakers: Vec<SpeakerInput>,
    /// Приложения.
    #[graphql(default)]
    annexes: Vec<AnnexInput>,
    /// Постановили, in order.
    #[graphql(default)]
    decisions: Vec<String>,
    /// Голосовали.
    vote: Option<String>,
    /// Председатель.
    chair: Option<String>,
}

impl From<ProtocolInput> for Protocol {
    fn from(input: ProtocolInput) -> Self {
        Protocol {
            title: input.title,
            held_on: input.held_on,
            agenda: input.agenda,
            speakers: input
                .speakers
                .into_iter()
                .map(|s| Speaker {
                    speaker: s.speaker,
                    topic: s.topic,
                    annexes: s.annexes,
                })
                .collect(),
            annexes: input
                .annexes
                .into_iter()
                .map(|a| Annex {
                    number: a.number,
                    title: a.title,
                    link: a.link,
                })
                .collect(),
            decisions: input.decisions,
            vote: input.vote,
            chair: input.chair,
        }
    }
}

/// Mutations of meetings.
#[derive(Default)]
pub struct MeetingMutations;

#[Object]
impl MeetingMutations {
    /// Records the protocol of a meeting (admin or the municipality's coordinator).
    async fn record_meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The municipality's slug.")] municipality: String,
        #[graphql(desc = "The protocol, as printed.")] protocol: ProtocolInput,
    ) -> Result<Meeting> {
        run(
            ctx,
            |s| async move { record_meeting(s, municipality, protocol.into()).await },
            Meeting,
        )
        .await
    }

    /// Replaces a protocol's text.
    async fn update_meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The meeting's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
        #[graphql(desc = "The protocol, as printed.")] protocol: ProtocolInput,
    ) -> Result<Meeting> {
        run(
            ctx,
            |s| async move {
                let id = id_argument(Kind::Meeting, &id)?;
                update_meeting(s, id, version, protocol.into()).await
            },
            Meeting,
        )
        .await
    }

    /// Removes a protocol recorded by mistake; returns it as it was.
    async fn delete_meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The meeting's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
    ) -> Result<Meeting> {
        run(
            ctx,
            |s| async move { delete_meeting(s, id_argument(Kind::Meeting, &id)?, version).await },
            Meeting,
        )
        .await
    }
}
