//! Curator visits, and the curators behind on them. When and by whom a school was visited is
//! public (the site prints the log's dates); the notes are read only by those who may record
//! visits to the school.

use async_graphql::{Context, ID, Object, Result};
use chrono::NaiveDate;

use super::{Person, School};
use crate::auth::Caller;
use crate::auth::policy::{self, Area, Scope};
use crate::entities::{appointment, curator_visit};
use crate::graphql::error::{Code, coded, internal};
use crate::graphql::ids::{Kind, encode};
use crate::graphql::loaders::*;
use crate::graphql::{db, load_required};
use crate::monitoring::visits::{Overdue, RoadmapStage};

/// Refuses unless the caller may record visits on `scope`.
pub async fn may_record_visits(ctx: &Context<'_>, scope: &Scope, what: &str) -> Result<()> {
    let Some(Caller::Token(actor)) = ctx.data_opt::<Caller>() else {
        return Err(coded(Code::Unauthenticated, format!("{what} need a token")));
    };
    if policy::permits(db(ctx), actor, Area::Visits, scope)
        .await
        .map_err(internal)?
    {
        Ok(())
    } else {
        Err(coded(
            Code::Forbidden,
            format!("{} may not read {what} here", actor.describe()),
        ))
    }
}

/// The row behind the GraphQL `CuratorVisit` object, described on its resolvers.
pub struct CuratorVisit(pub curator_visit::Model);

/// A curator's visit to a school.
#[Object]
impl CuratorVisit {
    /// The global id.
    pub async fn id(&self) -> ID {
        encode(Kind::CuratorVisit, self.0.id)
    }

    /// The row version: name it when changing this object; every change bumps it.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The curator.
    async fn curator(&self, ctx: &Context<'_>) -> Result<Person> {
        load_required(ctx, PersonById(self.0.person_id))
            .await
            .map(Person)
    }

    /// The school.
    async fn school(&self, ctx: &Context<'_>) -> Result<School> {
        load_required(ctx, SchoolById(self.0.school_id))
            .await
            .map(School)
    }

    /// The day.
    async fn visited_on(&self) -> NaiveDate {
        self.0.visited_on
    }

    /// Why: «консультирование при формировании дорожной карты».
    async fn purpose(&self) -> &str {
        &self.0.purpose
    }

    /// What was seen and agreed: for those who may record visits to the school only.
    async fn notes(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        let scope = Scope::school(self.0.school_id, self.0.municipality_id);
        may_record_visits(ctx, &scope, "visit notes").await?;
        Ok(self.0.notes.as_deref())
    }
}

/// A curator behind on visiting a school.
pub struct OverdueCurator(pub Overdue);

/// A curator × school pair whose last visit is further back than the rule of seed 002 allows.
#[Object]
impl OverdueCurator {
    /// The curator.
    async fn curator(&self, ctx: &Context<'_>) -> Result<Person> {
        load_required(ctx, PersonById(self.appointment().person_id))
            .await
            .map(Person)
    }

    /// The school.
    async fn school(&self, ctx: &Context<'_>) -> Result<School> {
        let id = self.appointment().school_id.expect("a school curator");
        load_required(ctx, SchoolById(id)).await.map(School)
    }

    /// The last visit on or before the day asked about; null when there was none.
    async fn last_visit(&self) -> Option<NaiveDate> {
        self.0.last_visit
    }

    /// Where the school's roadmap stands, which sets the allowed gap.
    async fn stage(&self) -> RoadmapStage {
        self.0.stage
    }

    /// The longest gap between visits the rule allows at this stage, in days.
    async fn allowed_days(&self) -> i64 {
        self.0.allowed_days
    }

    /// Days past the allowed gap, from the last visit (with none, from the appointment's
    /// start); null when neither is known.
    async fn days_overdue(&self) -> Option<i64> {
        self.0.days_overdue
    }
}

impl OverdueCurator {
    fn appointment(&self) -> &appointment::Model {
        &self.0.appointment
    }
}
