//! The mutation root: admin changes through `crate::changes` (authorised, validated, versioned,
//! audited, one transaction each). Each area has its module; a resolver only maps its result.

mod evaluations;
mod groups;
mod partnerships;
mod people;
mod places;
mod programmes;
mod schools;
mod site;

use async_graphql::{Context, ErrorExtensions, ID, MaybeUndefined, MergedObject};
use sea_orm::DatabaseConnection;

use super::ids::{Kind, parse_as};
use crate::auth::policy::{self, Scope};
use crate::auth::{Actor, Caller};
use crate::changes::{ChangeError, Command, Notices, Rules, Write, WriteGate};

pub use site::{SiteExportJob, export_scope, job as site_export_job};

/// Every mutation.
#[derive(MergedObject, Default)]
pub struct Mutation(
    schools::SchoolMutations,
    evaluations::EvaluationMutations,
    groups::GroupMutations,
    partnerships::PartnershipMutations,
    programmes::ProgrammeMutations,
    people::PeopleMutations,
    places::PlaceMutations,
    site::SiteMutations,
);

/// What a change needs from the request.
struct Session<'a> {
    db: &'a DatabaseConnection,
    gate: &'a WriteGate,
    actor: &'a Actor,
    notices: Option<&'a Notices>,
}

impl<'a> Session<'a> {
    /// The session of a caller with a valid token; anyone else is refused.
    fn of(ctx: &Context<'a>) -> Result<Self, ChangeError> {
        let actor = match ctx.data_opt::<Caller>() {
            Some(Caller::Token(actor)) => actor,
            Some(Caller::Rejected) => {
                return Err(ChangeError::Unauthenticated(
                    "the bearer token is unknown or revoked".into(),
                ));
            }
            _ => {
                return Err(ChangeError::Unauthenticated(
                    "changes need `Authorization: Bearer <token>`; see `schoolnet token create`"
                        .into(),
                ));
            }
        };
        Ok(Session {
            db: super::db(ctx),
            gate: ctx.data_unchecked::<WriteGate>(),
            actor,
            notices: ctx.data_opt::<Notices>(),
        })
    }

    /// Begins the change's write transaction; a change that changes nothing says so in the
    /// request's notices.
    async fn begin(&self) -> Result<Write, sea_orm::DbErr> {
        let write = self.gate.begin(self.db).await?;
        Ok(match self.notices {
            Some(notices) => write.noting(notices.clone()),
            None => write,
        })
    }

    /// Refuses unless the permission policy lets the actor make `command` on a record of
    /// `scope`; `db` is the change's transaction, so the check sees what the change sees.
    async fn authorise(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        command: Command,
        scope: &Scope,
    ) -> Result<(), ChangeError> {
        if policy::permits(db, self.actor, command.area(), scope).await? {
            Ok(())
        } else {
            Err(ChangeError::Forbidden(format!(
                "{} may not {} here: {}",
                self.actor.describe(),
                command.name(),
                policy::explain(self.actor.role(), command.area())
            )))
        }
    }
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
    let outcome = match Session::of(ctx) {
        Ok(session) => change(session).await,
        Err(error) => Err(error),
    };
    outcome.map(object).map_err(|e| e.extend())
}

/// The value after a patch: unchanged when the field was omitted, cleared by null.
fn patched<T>(change: MaybeUndefined<T>, current: Option<T>) -> Option<T> {
    match change {
        MaybeUndefined::Undefined => current,
        MaybeUndefined::Null => None,
        MaybeUndefined::Value(value) => Some(value),
    }
}

/// Other spellings of a name (`input.aliases`): cleaned, at most 20.
fn aliases(rules: &mut Rules, raw: Vec<String>) -> Vec<String> {
    rules.text_list(raw, "input.aliases", crate::domain::TextKind::Name, 20)
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
