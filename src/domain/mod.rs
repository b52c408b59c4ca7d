//! Domain values that cannot hold invalid states: each is parsed once, at the edge (GraphQL
//! input, the demo dataset, a database row), and trusted everywhere after.

mod assessment;
mod attachment;
mod evaluation;
mod markdown;
mod names;
mod partial_date;
mod percentage;
mod period;
mod review;
mod school_year;
mod text;
mod vocabulary;

pub use assessment::{
    ExamLevel, Figure, IndicatorKind, Mean, Procedure, ProcedureSubject, ResultStatus,
};
pub use attachment::Attachment;
pub use evaluation::{Absence, GroupNumber, Level, PublishedGroup, Rated};
pub use markdown::Markdown;
pub use names::{SchoolKind, fold, identity, search_key};
pub use partial_date::{PartialDate, YEARS};
pub use percentage::{Percentage, shares_summing_to_100};
pub use period::{ParsedPeriod, parse_period};
pub use review::{ReviewRefusal, ReviewSide, ReviewState, ReviewStep};
pub use school_year::SchoolYear;
pub use text::{TextError, TextKind, clean};
pub use vocabulary::{
    AppointmentRole, DiaryKind, MaterialKind, MeasureStatus, MembershipRole, OrganisationKind,
    PartnershipKind, Programme, Significance,
};

/// A value that failed to parse, with the reason in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidValue(pub String);
