//! People, and their appointments as director, curator or coordinator; an appointment is ended,
//! never deleted.

use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;

use super::{Change, ChangeError, Command, Patch, Rules, Session, person_scope, update_versioned};
use crate::auth::policy::Scope;
use crate::domain::{AppointmentRole, PartialDate, Programme, TextKind, fold};
use crate::entities::{appointment, municipality, organisation, person, school};

/// A new person; the workplace is a school or an organisation, not both.
pub struct NewPerson {
    /// The name as documents print it.
    pub full_name: String,
    /// Должность.
    pub position: Option<String>,
    /// The school the person works at.
    pub workplace_school: Option<i32>,
    /// The organisation the person works at.
    pub workplace_organisation: Option<i32>,
}

/// Changes to a person; `None` and `Patch::Keep` keep a value.
pub struct PersonChanges {
    /// The name.
    pub full_name: Option<String>,
    /// Должность.
    pub position: Patch<String>,
    /// The school the person works at.
    pub workplace_school: Patch<i32>,
    /// The organisation the person works at.
    pub workplace_organisation: Patch<i32>,
}

/// An appointment.
pub struct NewAppointment {
    /// The person appointed; none when the input named no readable person.
    pub person: Option<i32>,
    /// Director, curator or coordinator.
    pub role: AppointmentRole,
    /// The programme; required for curators and coordinators.
    pub programme: Option<Programme>,
    /// The school; required for a director, none for a municipality-wide appointment.
    pub school: Option<i32>,
    /// The municipality's slug; taken from the school when none.
    pub municipality: Option<String>,
    /// Start, to the precision known.
    pub starts_on: Option<PartialDate>,
}

/// Checks a person (`person_id` once written) as it would be, authorises the change on everything
/// the person will be tied to, and returns the row to write.
async fn person_row(
    change: &mut Change<'_>,
    person_id: Option<i32>,
    mut rules: Rules,
    full_name: String,
    position: Option<String>,
    school_id: Option<i32>,
    organisation_id: Option<i32>,
) -> Result<person::ActiveModel, ChangeError> {
    let db = &**change;
    let full_name = rules.text(full_name, "input.fullName", TextKind::Name);
    let position = rules.optional_text(position, "input.position", TextKind::Name);
    rules.require(
        school_id.is_none() || organisation_id.is_none(),
        "input.workplaceSchool",
        "a person works at a school or an organisation, not both",
        "место работы — школа или организация, но не обе",
    );
    if let Some(id) = school_id {
        let exists = school::Entity::find_by_id(id).one(db).await?.is_some();
        rules.require(
            exists,
            "input.workplaceSchool",
            "no school has this id",
            "школы с таким идентификатором нет",
        );
    }
    if let Some(id) = organisation_id {
        let exists = organisation::Entity::find_by_id(id)
            .one(db)
            .await?
            .is_some();
        rules.require(
            exists,
            "input.workplaceOrganisation",
            "no organisation has this id",
            "организации с таким идентификатором нет",
        );
    }
    rules.check()?;
    let scope = person_scope(db, person_id, school_id, organisation_id).await?;
    change.authorise(scope).await?;
    Ok(person::ActiveModel {
        search_key: Set(fold(&full_name)),
        full_name: Set(full_name),
        position: Set(position),
        workplace_school_id: Set(school_id),
        workplace_organisation_id: Set(organisation_id),
        ..Default::default()
    })
}

/// Gives people written before `people.search_key` existed their key (a name is never empty,
/// so an empty key is a missing one).
pub async fn backfill_search_keys(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let missing = person::Entity::find()
        .filter(person::Column::SearchKey.eq(""))
        .all(db)
        .await?;
    for row in missing {
        let key = fold(&row.full_name);
        let mut row: person::ActiveModel = row.into();
        row.search_key = Set(key);
        row.update(db).await?;
    }
    Ok(())
}

/// Adds a person; `edge` holds what could not be read from the input at the edge.
pub async fn create_person(
    session: Session<'_>,
    input: NewPerson,
    edge: Rules,
) -> Result<person::Model, ChangeError> {
    let mut change = session.begin(Command::CreatePerson).await?;
    let row = person_row(
        &mut change,
        None,
        edge,
        input.full_name,
        input.position,
        input.workplace_school,
        input.workplace_organisation,
    )
    .await?;
    let row = row.insert(&*change).await?;
    change
        .finish::<person::Entity>(row.id, None, Some(&row))
        .await?;
    Ok(row)
}

/// Changes the person `id` as it was at `version`; `edge` as for [`create_person`].
pub async fn update_person(
    session: Session<'_>,
    id: i32,
    version: i32,
    input: PersonChanges,
    edge: Rules,
) -> Result<person::Model, ChangeError> {
    let (mut change, before) = session
        .open::<person::Entity>(Command::UpdatePerson, id, version)
        .await?;
    let changes = person_row(
        &mut change,
        Some(id),
        edge,
        input.full_name.unwrap_or_else(|| before.full_name.clone()),
        input.position.apply(before.position.clone()),
        input.workplace_school.apply(before.workplace_school_id),
        input
            .workplace_organisation
            .apply(before.workplace_organisation_id),
    )
    .await?;
    let after = update_versioned::<person::Entity, _>(&*change, &before, changes).await?;
    change
        .finish::<person::Entity>(id, Some(&before), Some(&after))
        .await?;
    Ok(after)
}

/// Appoints a director to a school, or a curator or coordinator for a programme, to a school or
/// a whole municipality; `edge` as for [`create_person`].
pub async fn appoint(
    session: Session<'_>,
    input: NewAppointment,
    edge: Rules,
) -> Result<appointment::Model, ChangeError> {
    let mut change = session.begin(Command::Appoint).await?;
    let mut rules = edge;
    let (person_id, school_id) = (input.person, input.school);
    let school = match school_id {
        Some(id) => school::Entity::find_by_id(id).one(&*change).await?,
        None => None,
    };
    let municipality = match &input.municipality {
        Some(slug) => municipality::Entity::find()
            .filter(municipality::Column::Slug.eq(slug))
            .one(&*change)
            .await?
            .map(|m| m.id),
        None => school.as_ref().map(|s| s.municipality_id),
    };
    let Some(municipality_id) = municipality else {
        rules.require(
            false,
            "input.municipality",
            "name the municipality, or a school to take it from",
            "укажите муниципалитет или школу",
        );
        return Err(rules.check().expect_err("a violation was recorded").into());
    };
    change
        .authorise(Scope::municipality(municipality_id))
        .await?;
    if let Some(id) = person_id {
        let exists = person::Entity::find_by_id(id)
            .one(&*change)
            .await?
            .is_some();
        rules.require(
            exists,
            "input.person",
            "no person has this id",
            "нет человека с таким идентификатором",
        );
    }
    rules.require(
        school_id.is_none()
            || school
                .as_ref()
                .is_some_and(|s| s.municipality_id == municipality_id),
        "input.school",
        "the school must be a school of the municipality",
        "школа должна относиться к муниципалитету",
    );
    rules.require(
        input.role != AppointmentRole::Director || school_id.is_some(),
        "input.school",
        "a director is appointed to a school",
        "директор назначается в школу",
    );
    rules.require(
        input.role == AppointmentRole::Director || input.programme.is_some(),
        "input.programme",
        "a curator or coordinator is appointed for a programme",
        "куратор и координатор назначаются по программе",
    );
    if let (AppointmentRole::Director, Some(school_id)) = (input.role, school_id) {
        let current = appointment::Entity::find()
            .filter(appointment::Column::SchoolId.eq(school_id))
            .filter(appointment::Column::Role.eq(AppointmentRole::Director))
            .filter(appointment::Column::EndsOn.is_null())
            .one(&*change)
            .await?;
        rules.require(
            current.is_none(),
            "input.school",
            "the school has a current director; end that appointment first",
            "у школы есть действующий директор; сначала завершите его назначение",
        );
    }
    rules.check()?;
    let row = appointment::ActiveModel {
        person_id: Set(person_id.expect("checked")),
        role: Set(input.role),
        programme: Set(input.programme),
        municipality_id: Set(municipality_id),
        school_id: Set(school_id),
        starts_on: Set(input.starts_on),
        ..Default::default()
    }
    .insert(&*change)
    .await?;
    change
        .finish::<appointment::Entity>(row.id, None, Some(&row))
        .await?;
    Ok(row)
}

/// Ends the appointment `id` as it was at `version`; it stays in the history.
pub async fn end_appointment(
    session: Session<'_>,
    id: i32,
    version: i32,
    ends_on: PartialDate,
) -> Result<appointment::Model, ChangeError> {
    let (change, before) = session
        .open::<appointment::Entity>(Command::EndAppointment, id, version)
        .await?;
    let mut rules = Rules::new();
    rules.require(
        before.ends_on.is_none(),
        "endsOn",
        "the appointment has already ended",
        "назначение уже завершено",
    );
    rules.period(before.starts_on, Some(ends_on), "endsOn");
    rules.check()?;
    let changes = appointment::ActiveModel {
        ends_on: Set(Some(ends_on)),
        ..Default::default()
    };
    let after = update_versioned::<appointment::Entity, _>(&*change, &before, changes).await?;
    change
        .finish::<appointment::Entity>(id, Some(&before), Some(&after))
        .await?;
    Ok(after)
}
