//! People and their appointments as director, curator or coordinator.

use async_graphql::{Context, ID, Object, Result, Union};

use super::{Municipality, Organisation, School};
use crate::domain::{AppointmentRole, PartialDate, Programme};
use crate::entities::{appointment, person};
use crate::graphql::ids::{Kind, encode};
use crate::graphql::loaders::*;
use crate::graphql::{load_many, load_one, load_required};

/// The row behind the GraphQL `Person` object, described on its resolvers.
#[derive(Clone)]
pub struct Person(pub person::Model);

/// Where a person works.
#[derive(Union)]
pub enum Workplace {
    School(School),
    Organisation(Organisation),
}

/// A person: director, curator, coordinator, methodologist.
#[Object]
impl Person {
    /// The row version: name it when changing this object; every change bumps it.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The global id.
    pub async fn id(&self) -> ID {
        encode(Kind::Person, self.0.id)
    }

    /// The name as the source prints it: «Клименко Сергей Иванович» or «Алиев М.А.».
    async fn full_name(&self) -> &str {
        &self.0.full_name
    }

    /// Должность: «заместитель директора по УВР».
    async fn position(&self) -> Option<&str> {
        self.0.position.as_deref()
    }

    /// The school or organisation the person works at.
    async fn workplace(&self, ctx: &Context<'_>) -> Result<Option<Workplace>> {
        if let Some(id) = self.0.workplace_school_id {
            return Ok(load_one(ctx, SchoolById(id))
                .await?
                .map(|s| Workplace::School(School(s))));
        }
        let Some(id) = self.0.workplace_organisation_id else {
            return Ok(None);
        };
        Ok(load_one(ctx, OrganisationById(id))
            .await?
            .map(|o| Workplace::Organisation(Organisation(o))))
    }

    /// What the person is appointed to today: director, curator or coordinator, with the
    /// programme, school and municipality (one batched statement for every person asked).
    async fn current_roles(&self, ctx: &Context<'_>) -> Result<Vec<Appointment>> {
        let today = appointment::today();
        Ok(load_many(ctx, AppointmentsOfPerson(self.0.id))
            .await?
            .into_iter()
            .filter(|a| a.in_force_on(today))
            .map(Appointment)
            .collect())
    }
}

/// The row behind the GraphQL `Appointment` object, described on its resolvers.
pub struct Appointment(pub appointment::Model);

/// A person appointed as director, curator (куратор) or municipal coordinator, for a period.
#[Object]
impl Appointment {
    /// The row version: name it when changing this object; every change bumps it.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The global id.
    pub async fn id(&self) -> ID {
        encode(Kind::Appointment, self.0.id)
    }

    /// Director, curator or coordinator.
    async fn role(&self) -> AppointmentRole {
        self.0.role
    }

    /// The person appointed.
    async fn person(&self, ctx: &Context<'_>) -> Result<Person> {
        load_required(ctx, PersonById(self.0.person_id))
            .await
            .map(Person)
    }

    /// The programme curated or coordinated; null for a director.
    async fn programme(&self) -> Option<Programme> {
        self.0.programme
    }

    /// The municipality served.
    async fn municipality(&self, ctx: &Context<'_>) -> Result<Municipality> {
        load_required(ctx, MunicipalityById(self.0.municipality_id))
            .await
            .map(Municipality)
    }

    /// The school served; null when the appointment covers the whole municipality.
    async fn school(&self, ctx: &Context<'_>) -> Result<Option<School>> {
        let Some(id) = self.0.school_id else {
            return Ok(None);
        };
        Ok(load_one(ctx, SchoolById(id)).await?.map(School))
    }

    /// Start, to the precision the source gives.
    async fn starts_on(&self) -> Option<PartialDate> {
        self.0.starts_on
    }

    /// End; null while in office.
    async fn ends_on(&self) -> Option<PartialDate> {
        self.0.ends_on
    }
}
