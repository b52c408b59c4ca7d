//! Including a school in ШНОР, ШНСУ or 500+, and excluding it with a justification. A
//! participation is closed, never deleted.

use async_graphql::{Context, ID, Object, Result};

use super::{id_argument, run};
use crate::changes::programmes::{Inclusion, exclude_from_programme, include_in_programme};
use crate::domain::{PartialDate, Programme};
use crate::graphql::ids::Kind;
use crate::graphql::types::ProgrammeParticipation;

/// Mutations of programme participation.
#[derive(Default)]
pub struct ProgrammeMutations;

#[Object]
impl ProgrammeMutations {
    /// Includes a school in a programme; a school takes part in a programme once at a time.
    async fn include_in_programme(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The school's id.")] school: ID,
        #[graphql(desc = "ШНОР, ШНСУ or 500+.")] programme: Programme,
        #[graphql(desc = "When, to the precision known.")] included_on: Option<PartialDate>,
        #[graphql(desc = "Группа риска, as 500+ names it.")] risk_group: Option<String>,
    ) -> Result<ProgrammeParticipation> {
        run(
            ctx,
            |s| async move {
                let inclusion = Inclusion {
                    school: id_argument(Kind::School, &school)?,
                    programme,
                    included_on,
                    risk_group,
                };
                include_in_programme(s, inclusion).await
            },
            ProgrammeParticipation,
        )
        .await
    }

    /// Excludes a school from a programme with the justification (обоснование исключения); the
    /// participation stays in the history.
    async fn exclude_from_programme(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The participation's id (`ProgrammeParticipation.id`).")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
        #[graphql(desc = "When the school left the programme.")] excluded_on: PartialDate,
        #[graphql(desc = "Why: required, not blank.")] justification: String,
    ) -> Result<ProgrammeParticipation> {
        run(
            ctx,
            |s| async move {
                let id = id_argument(Kind::ProgrammeParticipation, &id)?;
                exclude_from_programme(s, id, version, excluded_on, justification).await
            },
            ProgrammeParticipation,
        )
        .await
    }
}
