//! What ties each kind of record to municipalities, which decides who may change it and whose
//! audit log shows the change.

use sea_orm::entity::prelude::*;

use super::session::Record;
use crate::auth::policy::Scope;
use crate::entities::{
    appointment, assessment_result, competency_deficit, curator_visit, diary_entry, evaluation,
    identification_decision, indicator_value, material, measure, meeting, municipality,
    organisation, partnership, partnership_group, person, plan, programme_participation,
    risk_profile, school, survey_round,
};

/// The municipality of a school.
async fn school_scope(db: &impl ConnectionTrait, school_id: i32) -> Result<Scope, DbErr> {
    let school = school::Entity::find_by_id(school_id).one(db).await?;
    Ok(Scope::of(school.map(|s| s.municipality_id)))
}

/// Every municipality a person is tied to: by the workplace (a school, or an organisation of a
/// municipality), and by every appointment (ended ones too: they are the person's history
/// there). `person_id` is none for a person not yet written.
pub async fn person_scope(
    db: &impl ConnectionTrait,
    person_id: Option<i32>,
    workplace_school: Option<i32>,
    workplace_organisation: Option<i32>,
) -> Result<Scope, DbErr> {
    let mut scope = match (workplace_school, workplace_organisation) {
        (Some(school_id), _) => school_scope(db, school_id).await?,
        (None, Some(organisation_id)) => Scope::of(
            organisation::Entity::find_by_id(organisation_id)
                .one(db)
                .await?
                .and_then(|o| o.municipality_id),
        ),
        (None, None) => Scope::untied(),
    };
    if let Some(id) = person_id {
        let appointments = appointment::Entity::find()
            .filter(appointment::Column::PersonId.eq(id))
            .all(db)
            .await?;
        scope
            .municipalities
            .extend(appointments.iter().map(|a| a.municipality_id));
    }
    Ok(scope)
}

impl Record for municipality::Entity {
    async fn scope(_: &impl ConnectionTrait, row: &municipality::Model) -> Result<Scope, DbErr> {
        Ok(Scope::municipality(row.id))
    }
}

impl Record for organisation::Entity {
    async fn scope(_: &impl ConnectionTrait, row: &organisation::Model) -> Result<Scope, DbErr> {
        Ok(Scope::of(row.municipality_id))
    }
}

impl Record for school::Entity {
    async fn scope(_: &impl ConnectionTrait, row: &school::Model) -> Result<Scope, DbErr> {
        Ok(Scope::municipality(row.municipality_id))
    }
}

impl Record for person::Entity {
    async fn scope(db: &impl ConnectionTrait, row: &person::Model) -> Result<Scope, DbErr> {
        person_scope(
            db,
            Some(row.id),
            row.workplace_school_id,
            row.workplace_organisation_id,
        )
        .await
    }
}

impl Record for evaluation::Entity {
    /// The curator data of its school.
    async fn scope(db: &impl ConnectionTrait, row: &evaluation::Model) -> Result<Scope, DbErr> {
        school_data_scope(db, row.school_id).await
    }
}

impl Record for partnership_group::Entity {
    async fn scope(
        _: &impl ConnectionTrait,
        row: &partnership_group::Model,
    ) -> Result<Scope, DbErr> {
        Ok(Scope::municipality(row.municipality_id))
    }
}

impl Record for partnership::Entity {
    /// The supported school's municipality: the agreement is its record, whoever the partner.
    async fn scope(db: &impl ConnectionTrait, row: &partnership::Model) -> Result<Scope, DbErr> {
        school_scope(db, row.school_id).await
    }
}

impl Record for appointment::Entity {
    async fn scope(_: &impl ConnectionTrait, row: &appointment::Model) -> Result<Scope, DbErr> {
        Ok(Scope::municipality(row.municipality_id))
    }
}

impl Record for programme_participation::Entity {
    async fn scope(
        db: &impl ConnectionTrait,
        row: &programme_participation::Model,
    ) -> Result<Scope, DbErr> {
        school_scope(db, row.school_id).await
    }
}

/// A school's own figures: its curator may record them as well as its municipality.
async fn school_data_scope(db: &impl ConnectionTrait, school_id: i32) -> Result<Scope, DbErr> {
    let municipalities = school_scope(db, school_id).await?.municipalities;
    Ok(Scope {
        municipalities,
        schools: [school_id].into(),
    })
}

impl Record for assessment_result::Entity {
    async fn scope(
        db: &impl ConnectionTrait,
        row: &assessment_result::Model,
    ) -> Result<Scope, DbErr> {
        school_data_scope(db, row.school_id).await
    }
}

impl Record for indicator_value::Entity {
    async fn scope(
        db: &impl ConnectionTrait,
        row: &indicator_value::Model,
    ) -> Result<Scope, DbErr> {
        school_data_scope(db, row.school_id).await
    }
}

impl Record for competency_deficit::Entity {
    async fn scope(
        _: &impl ConnectionTrait,
        row: &competency_deficit::Model,
    ) -> Result<Scope, DbErr> {
        Ok(Scope::municipality(row.municipality_id))
    }
}

impl Record for identification_decision::Entity {
    async fn scope(
        _: &impl ConnectionTrait,
        row: &identification_decision::Model,
    ) -> Result<Scope, DbErr> {
        Ok(Scope::municipality(row.municipality_id))
    }
}

impl Record for risk_profile::Entity {
    async fn scope(db: &impl ConnectionTrait, row: &risk_profile::Model) -> Result<Scope, DbErr> {
        school_data_scope(db, row.school_id).await
    }
}

impl Record for meeting::Entity {
    async fn scope(_: &impl ConnectionTrait, row: &meeting::Model) -> Result<Scope, DbErr> {
        Ok(Scope::municipality(row.municipality_id))
    }
}

impl Record for survey_round::Entity {
    async fn scope(db: &impl ConnectionTrait, row: &survey_round::Model) -> Result<Scope, DbErr> {
        school_data_scope(db, row.school_id).await
    }
}

impl Record for diary_entry::Entity {
    async fn scope(db: &impl ConnectionTrait, row: &diary_entry::Model) -> Result<Scope, DbErr> {
        school_data_scope(db, row.school_id).await
    }
}

/// A school's roadmap is the school's own record (its director may change it); the municipal
/// plan is the municipality's.
fn plan_scope(row: &plan::Model) -> Scope {
    match row.school_id {
        Some(school) => Scope::school(school, row.municipality_id),
        None => Scope::municipality(row.municipality_id),
    }
}

impl Record for plan::Entity {
    async fn scope(_: &impl ConnectionTrait, row: &plan::Model) -> Result<Scope, DbErr> {
        Ok(plan_scope(row))
    }
}

impl Record for measure::Entity {
    /// Its plan's.
    async fn scope(db: &impl ConnectionTrait, row: &measure::Model) -> Result<Scope, DbErr> {
        let plan = plan::Entity::find_by_id(row.plan_id)
            .one(db)
            .await?
            .ok_or_else(|| DbErr::RecordNotFound(format!("plan {}", row.plan_id)))?;
        Ok(plan_scope(&plan))
    }
}

impl Record for curator_visit::Entity {
    async fn scope(_: &impl ConnectionTrait, row: &curator_visit::Model) -> Result<Scope, DbErr> {
        Ok(Scope::school(row.school_id, row.municipality_id))
    }
}

impl Record for material::Entity {
    async fn scope(_: &impl ConnectionTrait, row: &material::Model) -> Result<Scope, DbErr> {
        Ok(Scope::municipality(row.municipality_id))
    }
}
