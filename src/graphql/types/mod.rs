//! The GraphQL object types, one module per part of the domain. Each wraps a database row and
//! resolves its relations through the request's DataLoader (see `loaders`).

mod access;
mod deficits;
mod diaries;
mod identification;
mod materials;
mod meetings;
mod network;
mod people;
mod place;
mod plans;
mod results;
mod risk;
mod school;
mod surveys;
mod visits;

pub use access::{AuditEntry, Me};
pub use deficits::{
    CompetencyDeficitRow, CompetencyDeficitTotal, IndicatorValue, MonitoringIndicator,
};
pub use diaries::{DiaryEntry, may_read_diaries};
pub use identification::{
    IdentificationDecision, IncompleteSchool, LowResultCandidate, LowResultIdentification,
};
pub use materials::Material;
pub use meetings::Meeting;
pub use network::{Organisation, Partnership, PartnershipGroup, SchoolPartnership};
pub use people::{Appointment, Person};
pub use place::{Cluster, Municipality, Region};
pub use plans::{Measure, Plan, ReviewEntry};
pub use results::{
    AssessmentResult, MunicipalResults, ProcedureSubjectView, ResultSeries, Subject,
    subject_by_code,
};
pub use risk::{RiskFactor, RiskProfile};
pub use school::{Evaluation, ProgrammeParticipation, School};
pub use surveys::{SurveyRound, SurveyStatement};
pub use visits::{CuratorVisit, OverdueCurator, may_record_visits};

/// The `Node` interface over every record of the one list (`for_each_record!`) with a global id.
macro_rules! node {
    (
        versioned: [$($v:ident => $V:ident),* $(,)?],
        unversioned: [$($u:ident => $U:ident),* $(,)?],
        internal: [$($i:ident),* $(,)?] $(,)?
    ) => {
        /// An object with a global id, fetchable by `node(id:)` (Relay).
        #[derive(async_graphql::Interface)]
        #[graphql(field(name = "id", ty = "async_graphql::ID", desc = "The global id."))]
        pub enum Node {
            $($V($V),)*
            $($U($U),)*
        }

        /// Loads the object a global id names: one statement, for the root field `node`.
        pub async fn load_node(
            db: &sea_orm::DatabaseConnection,
            kind: crate::graphql::ids::Kind,
            id: i32,
        ) -> Result<Option<Node>, sea_orm::DbErr> {
            use crate::graphql::ids::Kind;
            use sea_orm::EntityTrait;
            Ok(match kind {
                $(Kind::$V => crate::entities::$v::Entity::find_by_id(id)
                    .one(db)
                    .await?
                    .map(|row| Node::$V($V(row))),)*
                $(Kind::$U => crate::entities::$u::Entity::find_by_id(id)
                    .one(db)
                    .await?
                    .map(|row| Node::$U($U(row))),)*
            })
        }
    };
}

crate::for_each_record!(node);
