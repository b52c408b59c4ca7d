//! The people mutations: they read the input, and `changes::people` does the rest.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};

use super::{id_argument, id_field, patch, patch_id, run};
use crate::changes::Rules;
use crate::changes::people::{
    NewAppointment, NewPerson, PersonChanges, appoint, create_person, end_appointment,
    update_person,
};
use crate::domain::{AppointmentRole, PartialDate, Programme};
use crate::graphql::ids::Kind;
use crate::graphql::types::{Appointment, Person};

/// A person's details; the workplace is a school or an organisation, not both.
#[derive(InputObject)]
pub struct PersonInput {
    /// The name as documents print it.
    full_name: String,
    /// Должность.
    position: Option<String>,
    /// The school the person works at.
    workplace_school: Option<ID>,
    /// The organisation the person works at.
    workplace_organisation: Option<ID>,
}

/// Changes to a person: omitted fields keep their value, null clears an optional one.
#[derive(InputObject)]
pub struct UpdatePersonInput {
    /// The name.
    full_name: Option<String>,
    /// Должность.
    position: MaybeUndefined<String>,
    /// The school the person works at.
    workplace_school: MaybeUndefined<ID>,
    /// The organisation the person works at.
    workplace_organisation: MaybeUndefined<ID>,
}

/// An appointment.
#[derive(InputObject)]
pub struct AppointInput {
    /// The person appointed.
    person: ID,
    /// Director, curator or coordinator.
    role: AppointmentRole,
    /// The programme; required for curators and coordinators.
    programme: Option<Programme>,
    /// The school; required for a director, omitted for a municipality-wide appointment.
    school: Option<ID>,
    /// The municipality's slug; taken from the school when omitted.
    municipality: Option<String>,
    /// Start, to the precision known.
    starts_on: Option<PartialDate>,
}

/// Mutations of people and appointments.
#[derive(Default)]
pub struct PeopleMutations;

#[Object]
impl PeopleMutations {
    /// Adds a person (director, curator, coordinator, methodologist).
    async fn create_person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to record.")] input: PersonInput,
    ) -> Result<Person> {
        let mut edge = Rules::new();
        let input = NewPerson {
            workplace_school: input
                .workplace_school
                .and_then(|id| id_field(&mut edge, Kind::School, "input.workplaceSchool", &id)),
            workplace_organisation: input.workplace_organisation.and_then(|id| {
                id_field(
                    &mut edge,
                    Kind::Organisation,
                    "input.workplaceOrganisation",
                    &id,
                )
            }),
            full_name: input.full_name,
            position: input.position,
        };
        run(ctx, |s| create_person(s, input, edge), Person).await
    }

    /// Changes a person's details.
    async fn update_person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The person's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
        #[graphql(desc = "What to record.")] input: UpdatePersonInput,
    ) -> Result<Person> {
        run(
            ctx,
            |s| async move {
                let mut edge = Rules::new();
                let input = PersonChanges {
                    workplace_school: patch_id(
                        &mut edge,
                        Kind::School,
                        "input.workplaceSchool",
                        input.workplace_school,
                    ),
                    workplace_organisation: patch_id(
                        &mut edge,
                        Kind::Organisation,
                        "input.workplaceOrganisation",
                        input.workplace_organisation,
                    ),
                    full_name: input.full_name,
                    position: patch(input.position),
                };
                update_person(s, id_argument(Kind::Person, &id)?, version, input, edge).await
            },
            Person,
        )
        .await
    }

    /// Appoints a director to a school, or a curator or coordinator for a programme, to a school
    /// or a whole municipality.
    async fn appoint(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to record.")] input: AppointInput,
    ) -> Result<Appointment> {
        let mut edge = Rules::new();
        let input = NewAppointment {
            person: id_field(&mut edge, Kind::Person, "input.person", &input.person),
            school: input
                .school
                .and_then(|id| id_field(&mut edge, Kind::School, "input.school", &id)),
            role: input.role,
            programme: input.programme,
            municipality: input.municipality,
            starts_on: input.starts_on,
        };
        run(ctx, |s| appoint(s, input, edge), Appointment).await
    }

    /// Ends an appointment; it stays in the history.
    async fn end_appointment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The appointment's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
        #[graphql(desc = "The last day (or month, or year) in office.")] ends_on: PartialDate,
    ) -> Result<Appointment> {
        run(
            ctx,
            |s| async move {
                end_appointment(s, id_argument(Kind::Appointment, &id)?, version, ends_on).await
            },
            Appointment,
        )
        .await
    }
}
