//! Recording a municipality's published identification of low-results schools (выявление ШНОР,
//! seed 004): the threshold and procedures it applied, its conclusion in words and the schools
//! it named. The decision is kept as published; `crate::monitoring::identification` computes
//! what the stored results say, beside it.

use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use serde::Serialize;

use super::results::{subject_by_code, year};
use super::{Change, ChangeError, Command, Rules, Session};
use crate::domain::{Percentage, Procedure, ProcedureSubject, TextKind};
use crate::entities::identification_decision::{self, Procedures};
use crate::entities::{identified_school, school};

/// At most this many procedures in one decision.
const MAX_PROCEDURES: usize = 50;
/// At most this many schools named by one decision.
const MAX_SCHOOLS: usize = 500;

/// What a decision says.
#[derive(Clone, Debug)]
pub struct DecisionTerms {
    /// The share of failed participants that makes a result low, in percent: 30.
    pub threshold: f64,
    /// The procedures analysed.
    pub procedures: Vec<ProcedureSubject>,
    /// The conclusion, as published.
    pub conclusion: String,
    /// The document that records it.
    pub document: Option<String>,
    /// The schools identified (ids; none where the input was not an id).
    pub schools: Vec<Option<i32>>,
}

/// A decision with the schools it names, as the audit log records it.
#[derive(Serialize)]
struct DecisionState {
    decision: identification_decision::Model,
    schools: Vec<i32>,
}

impl DecisionTerms {
    /// Checks the terms against the municipality; returns the row's columns and the schools.
    async fn validate(
        self,
        db: &impl ConnectionTrait,
        mut rules: Rules,
        municipality_id: i32,
    ) -> Result<(identification_decision::ActiveModel, Vec<i32>), ChangeError> {
        let threshold = rules.parsed(
            Percentage::from_f64(self.threshold).and_then(|p| {
                if p.as_f64() > 0.0 {
                    Ok(p)
                } else {
                    Err(crate::domain::InvalidValue(
                        "the threshold must be above 0 %".into(),
                    ))
                }
            }),
            "terms.threshold",
            "порог — от 0,1 до 100 %",
        );
        rules.require(
            !self.procedures.is_empty() && self.procedures.len() <= MAX_PROCEDURES,
            "terms.procedures",
            format!("name 1 to {MAX_PROCEDURES} procedures"),
            format!("укажите от 1 до {MAX_PROCEDURES} процедур"),
        );
        for (i, p) in self.procedures.iter().take(MAX_PROCEDURES).enumerate() {
            let field = format!("terms.procedures[{i}]");
            subject_by_code(db, &mut rules, &format!("{field}.subject"), &p.subject).await?;
            if let Some(grade) = p.grade {
                rules.require(
                    p.procedure.grades().contains(&grade),
                    format!("{field}.grade"),
                    format!(
                        "{} is not written in grade {grade}",
                        p.procedure.abbreviation()
                    ),
                    format!(
                        "{} не проводится в {grade} классе",
                        p.procedure.abbreviation()
                    ),
                );
            }
            rules.require(
                p.level.is_none() || p.procedure == Procedure::Ege,
                format!("{field}.level"),
                "a level is given only for the ЕГЭ in mathematics",
                "уровень указывается только для ЕГЭ по математике",
            );
        }
        let conclusion = rules.text(self.conclusion, "terms.conclusion", TextKind::Paragraph);
        let document = rules.optional_text(self.document, "terms.document", TextKind::Name);
        rules.require(
            self.schools.len() <= MAX_SCHOOLS,
            "terms.schools",
            format!("at most {MAX_SCHOOLS} schools"),
            format!("не больше {MAX_SCHOOLS} школ"),
        );
        let mut schools = Vec::new();
        for (i, id) in self.schools.iter().take(MAX_SCHOOLS).enumerate() {
            let Some(id) = *id else { continue };
            let found = school::Entity::find_by_id(id).one(db).await?;
            rules.require(
                found.is_some_and(|s| s.municipality_id == municipality_id),
                format!("terms.schools[{i}]"),
                "not a school of this municipality",
                "не школа этого муниципалитета",
            );
            if !schools.contains(&id) {
                schools.push(id);
            }
        }
        rules.check()?;
        let mut procedures = self.procedures;
        procedures.dedup();
        Ok((
            identification_decision::ActiveModel {
                threshold: Set(threshold.expect("checked")),
                procedures: Set(Procedures(procedures)),
                conclusion: Set(conclusion),
                document: Set(document),
                ..Default::default()
            },
            schools,
        ))
    }
}

/// Replaces the schools a decision names.
async fn write_schools(
    change: &Change<'_>,
    decision: &identification_decision::Model,
    schools: &[i32],
) -> Result<(), DbErr> {
    identified_school::Entity::delete_many()
        .filter(identified_school::Column::DecisionId.eq(decision.id))
        .exec(&**change)
        .await?;
    for &school_id in schools {
        identified_school::ActiveModel {
            decision_id: Set(decision.id),
            school_id: Set(school_id),
            municipality_id: Set(decision.municipality_id),
            ..Default::default()
        }
        .insert(&**change)
        .await?;
    }
    Ok(())
}

/// The schools decision `id` names, in the order given.
pub async fn schools_of(db: &impl ConnectionTrait, id: i32) -> Result<Vec<i32>, DbErr> {
    Ok(identified_school::Entity::find()
        .filter(identified_school::Column::DecisionId.eq(id))
        .order_by_id_asc()
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.school_id)
        .collect())
}

/// Records a municipality's (by slug) decision for `year`; `edge` holds what could not be read
/// from the input at the edge.
pub async fn record_identification_decision(
    session: Session<'_>,
    municipality: String,
    year_of: i32,
    terms: DecisionTerms,
    edge: Rules,
) -> Result<identification_decision::Model, ChangeError> {
    let mut change = session.begin(Command::RecordIdentificationDecision).await?;
    let municipality = change.municipality(&municipality).await?;
    let mut rules = edge;
    year(&mut rules, year_of);
    let existing = identification_decision::Entity::find()
        .filter(identification_decision::Column::MunicipalityId.eq(municipality.id))
        .filter(identification_decision::Column::Year.eq(year_of))
        .one(&*change)
        .await?;
    rules.require(
        existing.is_none(),
        "year",
        format!("a decision for {year_of} is already recorded; update it instead"),
        format!("решение на {year_of} год уже внесено; измените его"),
    );
    let (mut row, schools) = terms.validate(&*change, rules, municipality.id).await?;
    row.municipality_id = Set(municipality.id);
    row.year = Set(year_of);
    let decision = row.insert(&*change).await?;
    write_schools(&change, &decision, &schools).await?;
    let after = DecisionState { decision, schools };
    change
        .finish_with::<identification_decision::Entity, _>(after.decision.id, None, Some(&after))
        .await?;
    Ok(after.decision)
}

/// Replaces the terms of decision `id` as it was at `version`; `edge` as for recording.
pub async fn update_identification_decision(
    session: Session<'_>,
    id: i32,
    version: i32,
    terms: DecisionTerms,
    edge: Rules,
) -> Result<identification_decision::Model, ChangeError> {
    let (change, before) = session
        .open::<identification_decision::Entity>(Command::UpdateIdentificationDecision, id, version)
        .await?;
    let before = DecisionState {
        schools: schools_of(&*change, id).await?,
        decision: before,
    };
    let (changes, schools) = terms
        .validate(&*change, edge, before.decision.municipality_id)
        .await?;
    let mut decision = super::update_versioned::<identification_decision::Entity, _>(
        &*change,
        &before.decision,
        changes,
    )
    .await?;
    if schools != before.schools {
        if decision.version == before.decision.version {
            decision =
                super::bump_version::<identification_decision::Entity>(&*change, &decision).await?;
        }
        write_schools(&change, &decision, &schools).await?;
    }
    let after = DecisionState { decision, schools };
    change
        .finish_with::<identification_decision::Entity, _>(id, Some(&before), Some(&after))
        .await?;
    Ok(after.decision)
}

/// Removes decision `id` recorded by mistake.
pub async fn delete_identification_decision(
    session: Session<'_>,
    id: i32,
    version: i32,
) -> Result<identification_decision::Model, ChangeError> {
    let (change, before) = session
        .open::<identification_decision::Entity>(Command::DeleteIdentificationDecision, id, version)
        .await?;
    let before = DecisionState {
        schools: schools_of(&*change, id).await?,
        decision: before,
    };
    identification_decision::Entity::delete_by_id(id)
        .exec(&*change)
        .await?;
    change
        .finish_with::<identification_decision::Entity, _>(id, Some(&before), None)
        .await?;
    Ok(before.decision)
}
