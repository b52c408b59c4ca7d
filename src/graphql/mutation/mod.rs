//! The mutation root: admin changes through `crate::changes` (authorised, validated, versioned,
//! audited, one transaction each). Each area has its module; a resolver only maps its result.

mod deficits;
mod diaries;
mod evaluations;
mod groups;
mod materials;
mod meetings;
mod partnerships;
mod people;
mod places;
mod plans;
mod programmes;
mod results;
mod risk;
mod schools;
mod site;
mod surveys;

use async_graphql::{Context, ErrorExtensions, ID, MaybeUndefined, MergedObject};

use super::ids::{Kind, parse_as};
use crate::auth::Caller;
use crate::changes::{ChangeError, Notices, Patch, Rules, Session, Target, WriteGate};

pub use site::SiteExportJob;

/// Every mutation.
#[derive(MergedObject, Default)]
pub struct Mutation(
    schools::SchoolMutations,
    evaluations::EvaluationMutations,
    results::ResultMutations,
    deficits::DeficitMutations,
    risk::RiskMutations,
    meetings::MeetingMutations,
    surveys::SurveyMutations,
    diaries::DiaryMutations,
    plans::PlanMutations,
    materials::MaterialMutations,
    groups::GroupMutations,
    partnerships::PartnershipMutations,
    programmes::ProgrammeMutations,
    people::PeopleMutations,
    places::PlaceMutations,
    site::SiteMutations,
);

/// The change session of a caller with a valid token; anyone else is refused.
fn session<'a>(ctx: &Context<'a>) -> Result<Session<'a>, ChangeError> {
    let actor = match ctx.data_opt::<Caller>() {
        Some(Caller::Token(actor)) => actor,
        Some(Caller::Rejected) => {
            return Err(ChangeError::Unauthenticated(
                "the bearer token is unknown or revoked".into(),
            ));
        }
        _ => {
            return Err(ChangeError::Unauthenticated(
                "changes need `Authorization: Bearer <token>`; see `schoolnet token create`".into(),
            ));
        }
    };
    Ok(Session {
        target: Target::Database(super::db(ctx)),
        gate: ctx.data_unchecked::<WriteGate>(),
        actor,
        notices: ctx.data_opt::<Notices>(),
    })
}

/// Runs a change for the request's caller and maps its outcome to the GraphQL result, keeping
/// the error codes.
async fn run<'a, T, U, Fut>(
    ctx: &Context<'a>,
    change: impl FnOnce(Session<'a>) -> Fut,
    object: impl FnOnce(T) -> U,
) -> async_graphql::Result<U>
where
    Fut: Future<Output = Result<T, ChangeError>>,
{
    let outcome = match session(ctx) {
        Ok(session) => change(session).await,
        Err(error) => Err(error),
    };
    outcome.map(object).map_err(|e| e.extend())
}

/// An optional input field as a change: omitted keeps the value, null clears it.
fn patch<T>(field: MaybeUndefined<T>) -> Patch<T> {
    match field {
        MaybeUndefined::Undefined => Patch::Keep,
        MaybeUndefined::Null => Patch::Clear,
        MaybeUndefined::Value(value) => Patch::Set(value),
    }
}

/// An optional id field as a change; an id that is not one is recorded in `edge`.
fn patch_id(edge: &mut Rules, kind: Kind, field: &str, id: MaybeUndefined<ID>) -> Patch<i32> {
    match id {
        MaybeUndefined::Value(id) => {
            id_field(edge, kind, field, &id).map_or(Patch::Keep, Patch::Set)
        }
        MaybeUndefined::Null => Patch::Clear,
        MaybeUndefined::Undefined => Patch::Keep,
    }
}

/// Decodes the id argument of a mutation.
fn id_argument(kind: Kind, id: &ID) -> Result<i32, ChangeError> {
    let mut rules = Rules::new();
    let number = id_field(&mut rules, kind, "id", id);
    rules.check()?;
    Ok(number.expect("no violation means the id decoded"))
}

/// Decodes an id of an input field, recording a violation when it is not one.
fn id_field(rules: &mut Rules, kind: Kind, field: &str, id: &ID) -> Option<i32> {
    match parse_as(kind, id) {
        Ok(number) => Some(number),
        Err(message) => {
            rules.require(
                false,
                field,
                message,
                "не является идентификатором нужного типа",
            );
            None
        }
    }
}
