//! The school mutations: they read the input, and `changes::schools` does the rest.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};

use super::{id_argument, id_field, patch, patch_id, run};
use crate::changes::Rules;
use crate::changes::schools::{
    NewSchool, SchoolChanges, create_school, delete_school, update_school,
};
use crate::domain::SchoolKind;
use crate::graphql::ids::Kind;
use crate::graphql::types::School;

/// A new school.
#[derive(InputObject)]
pub struct CreateSchoolInput {
    /// The municipality's slug.
    municipality: String,
    /// Short name, unique within the municipality (ignoring case, quotes, «ё»).
    name: String,
    /// Full name with the legal form: «МОУ «Бердюгинская СОШ»».
    full_name: String,
    /// МОУ, МАОУ, МКОУ, МБОУ, МОБУ.
    legal_form: Option<String>,
    /// The type; read from the name when omitted.
    kind: Option<SchoolKind>,
    /// For a branch (филиал): the id of the school it belongs to, in the same municipality.
    parent_school: Option<ID>,
    /// The cluster's number within the municipality; the cluster is created if new.
    cluster_number: Option<i32>,
    /// Other spellings found in documents.
    #[graphql(default)]
    aliases: Vec<String>,
}

/// Changes to a school: omitted fields keep their value, null clears an optional one.
#[derive(InputObject)]
pub struct UpdateSchoolInput {
    /// Short name, unique within the municipality.
    name: Option<String>,
    /// Full name with the legal form.
    full_name: Option<String>,
    /// The legal form.
    legal_form: MaybeUndefined<String>,
    /// The type.
    kind: Option<SchoolKind>,
    /// The parent school of a branch.
    parent_school: MaybeUndefined<ID>,
    /// The cluster's number.
    cluster_number: MaybeUndefined<i32>,
    /// Other spellings (replaces the list).
    aliases: Option<Vec<String>>,
}

/// Mutations of schools.
#[derive(Default)]
pub struct SchoolMutations;

#[Object]
impl SchoolMutations {
    /// Adds a school to a municipality (admin, or the municipality's coordinator).
    async fn create_school(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to record.")] input: CreateSchoolInput,
    ) -> Result<School> {
        let mut edge = Rules::new();
        let input = NewSchool {
            parent_school: input
                .parent_school
                .and_then(|id| id_field(&mut edge, Kind::School, "input.parentSchool", &id)),
            municipality: input.municipality,
            name: input.name,
            full_name: input.full_name,
            legal_form: input.legal_form,
            kind: input.kind,
            cluster_number: input.cluster_number,
            aliases: input.aliases,
        };
        run(ctx, |session| create_school(session, input, edge), School).await
    }

    /// Changes a school; `version` is the `School.version` the change is based on.
    async fn update_school(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The school's id.")] id: ID,
        #[graphql(desc = "The version read; a newer one in the database refuses the change.")]
        version: i32,
        #[graphql(desc = "What to record.")] input: UpdateSchoolInput,
    ) -> Result<School> {
        let mut edge = Rules::new();
        let parent_school = patch_id(
            &mut edge,
            Kind::School,
            "input.parentSchool",
            input.parent_school,
        );
        let input = SchoolChanges {
            name: input.name,
            full_name: input.full_name,
            legal_form: patch(input.legal_form),
            kind: input.kind,
            parent_school,
            cluster_number: patch(input.cluster_number),
            aliases: input.aliases,
        };
        run(
            ctx,
            |session| async move {
                update_school(
                    session,
                    id_argument(Kind::School, &id)?,
                    version,
                    input,
                    edge,
                )
                .await
            },
            School,
        )
        .await
    }

    /// Deletes a school entered by mistake; a school with any history is refused (`CONFLICT`).
    /// Returns the school as it was.
    async fn delete_school(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The school's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
    ) -> Result<School> {
        run(
            ctx,
            |session| async move {
                delete_school(session, id_argument(Kind::School, &id)?, version).await
            },
            School,
        )
        .await
    }
}
