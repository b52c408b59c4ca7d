//! Writing plans and their measures: a school's roadmap (which its director may write, and which
//! is frozen while its curator reviews it and once confirmed) or the municipal plan in numbered
//! sections. A measure's period is kept as published, its dates read from it
//! (`domain::parse_period`).

use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::{QueryOrder, QuerySelect};
use serde::Serialize;

use super::risk_profiles::factor_ids;
use super::{Change, ChangeError, Command, Rules, Session, Violation};
use crate::domain::{MeasureStatus, ReviewState, SchoolYear, TextKind, parse_period};
use crate::entities::{
    measure, measure_risk_factor, measure_target, plan, plan_section, risk_factor, school,
};

/// At most this many sections in a plan, and target schools of a measure.
const MAX_ITEMS: usize = 100;

/// Whose plan it is.
#[derive(Clone, Debug)]
pub enum PlanOwner {
    /// A school's roadmap, by school id.
    School(i32),
    /// The municipal plan, by the municipality's slug.
    Municipality(String),
}

/// What a plan says besides its measures.
#[derive(Clone, Debug, Default)]
pub struct PlanTerms {
    /// As the document is headed.
    pub title: String,
    /// The numbered sections (number, title) of a municipal plan.
    pub sections: Vec<(i32, String)>,
}

/// A plan with its sections, as the audit log records it.
#[derive(Serialize)]
struct PlanState {
    plan: plan::Model,
    sections: Vec<plan_section::Model>,
}

/// What a measure says.
#[derive(Clone, Debug)]
pub struct MeasureTerms {
    /// The number of the section it is in (municipal plans).
    pub section: Option<i32>,
    /// Название мероприятия / форма проведения.
    pub title: String,
    /// Сроки, as published.
    pub period: Option<String>,
    /// Результат, as published.
    pub result: Option<String>,
    /// Ответственные.
    pub responsible: Option<String>,
    /// The schools it is aimed at, by id.
    pub targets: Vec<i32>,
    /// The target schools as published, when the text says more than the list.
    pub targets_text: Option<String>,
    /// Методы оценки качества.
    pub evaluation_method: Option<String>,
    /// The risk factors it addresses, by number.
    pub risk_factors: Vec<i32>,
    /// How far it has got.
    pub status: MeasureStatus,
}

/// A measure with its targets and factors, as the audit log records it.
#[derive(Serialize)]
struct MeasureState {
    measure: measure::Model,
    targets: Vec<i32>,
    factors: Vec<i32>,
}

/// Refuses a change to a roadmap the school may not change now (see `ReviewState::editable`).
pub(super) fn editable(plan: &plan::Model, field: &str) -> Result<(), ChangeError> {
    match plan.review_state {
        Some(state) if !state.editable() => Err(ChangeError::Invalid(vec![Violation {
            field: field.into(),
            en: format!("the roadmap is {state:?}: it changes only as a draft or once returned"),
            ru: format!(
                "дорожная карта {}: её можно менять только как черновик или после возврата",
                state.words()
            ),
        }])),
        _ => Ok(()),
    }
}

impl PlanTerms {
    fn validate(self, mut rules: Rules, roadmap: bool) -> Result<PlanTerms, ChangeError> {
        let title = rules.text(self.title, "terms.title", TextKind::Paragraph);
        rules.require(
            self.sections.len() <= MAX_ITEMS,
            "terms.sections",
            format!("at most {MAX_ITEMS} sections"),
            format!("не больше {MAX_ITEMS} разделов"),
        );
        rules.require(
            !roadmap || self.sections.is_empty(),
            "terms.sections",
            "a school's roadmap has no numbered sections; the municipal plan has",
            "у дорожной карты школы нет разделов; они есть у муниципального плана",
        );
        let mut sections: Vec<(i32, String)> = Vec::new();
        for (i, (number, section_title)) in self.sections.into_iter().take(MAX_ITEMS).enumerate() {
            rules.require(
                number > 0 && !sections.iter().any(|(n, _)| *n == number),
                format!("terms.sections[{i}].number"),
                format!("section {number} is numbered twice or not positive"),
                format!("раздел {number} пронумерован дважды или не положительно"),
            );
            let field = format!("terms.sections[{i}].title");
            sections.push((
                number,
                rules.text(section_title, &field, TextKind::Paragraph),
            ));
        }
        rules.check()?;
        Ok(PlanTerms { title, sections })
    }
}

/// The sections of plan `id`, by number.
async fn sections_of(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Vec<plan_section::Model>, DbErr> {
    plan_section::Entity::find()
        .filter(plan_section::Column::PlanId.eq(id))
        .order_by_asc(plan_section::Column::Number)
        .all(db)
        .await
}

/// Writes `sections` as the sections of `plan`: kept by number (so measures keep theirs),
/// retitled, added, and removed when no measure is in them.
async fn write_sections(
    change: &Change<'_>,
    plan: i32,
    sections: Vec<(i32, String)>,
) -> Result<Vec<plan_section::Model>, ChangeError> {
    let existing = sections_of(&**change, plan).await?;
    let mut rules = Rules::new();
    for old in existing
        .iter()
        .filter(|s| !sections.iter().any(|(n, _)| *n == s.number))
    {
        let used = measure::Entity::find()
            .filter(measure::Column::SectionId.eq(old.id))
            .count(&**change)
            .await?;
        rules.require(
            used == 0,
            "terms.sections",
            format!(
                "section {} still has {used} measures; move or remove them first",
                old.number
            ),
            format!(
                "в разделе {} ещё есть мероприятия ({used}); сначала перенесите или удалите их",
                old.number
            ),
        );
        plan_section::Entity::delete_by_id(old.id)
            .exec(&**change)
            .await?;
    }
    rules.check()?;
    for (number, title) in sections {
        match existing.iter().find(|s| s.number == number) {
            Some(old) if old.title == title => {}
            Some(old) => {
                plan_section::ActiveModel {
                    id: Set(old.id),
                    title: Set(title),
                    ..Default::default()
                }
                .update(&**change)
                .await?;
            }
            None => {
                plan_section::ActiveModel {
                    plan_id: Set(plan),
                    number: Set(number),
                    title: Set(title),
                    ..Default::default()
                }
                .insert(&**change)
                .await?;
            }
        }
    }
    Ok(sections_of(&**change, plan).await?)
}

/// Starts a plan of `owner` for `year` (none where the document names none): a school's roadmap starts as a draft.
pub async fn create_plan(
    session: Session<'_>,
    owner: PlanOwner,
    year: Option<SchoolYear>,
    terms: PlanTerms,
) -> Result<plan::Model, ChangeError> {
    let mut change = session.begin(Command::CreatePlan).await?;
    let (municipality_id, school_id) = match owner {
        PlanOwner::School(id) => {
            let school = change.school(id).await?;
            (school.municipality_id, Some(school.id))
        }
        PlanOwner::Municipality(slug) => (change.municipality(&slug).await?.id, None),
    };
    let terms = terms.validate(Rules::new(), school_id.is_some())?;
    let taken = plan::Entity::find()
        .filter(plan::Column::MunicipalityId.eq(municipality_id))
        .filter(match school_id {
            Some(id) => plan::Column::SchoolId.eq(id),
            None => plan::Column::SchoolId.is_null(),
        })
        .filter(match year {
            Some(y) => plan::Column::SchoolYear.eq(y),
            None => plan::Column::SchoolYear.is_null(),
        })
        .filter(plan::Column::Title.eq(&terms.title))
        .count(&*change)
        .await?;
    let mut rules = Rules::new();
    rules.require(
        taken == 0,
        "terms.title",
        "a plan with this title for this year exists already",
        "план с таким названием на этот год уже есть",
    );
    rules.check()?;
    let row = plan::ActiveModel {
        municipality_id: Set(municipality_id),
        school_id: Set(school_id),
        school_year: Set(year),
        title: Set(terms.title),
        review_state: Set(school_id.map(|_| ReviewState::Draft)),
        ..Default::default()
    }
    .insert(&*change)
    .await?;
    let after = PlanState {
        sections: write_sections(&change, row.id, terms.sections).await?,
        plan: row,
    };
    change
        .finish_with::<plan::Entity, _>(after.plan.id, None, Some(&after))
        .await?;
    Ok(after.plan)
}

/// Retitles plan `id` as it was at `version` and replaces its sections.
pub async fn update_plan(
    session: Session<'_>,
    id: i32,
    version: i32,
    terms: PlanTerms,
) -> Result<plan::Model, ChangeError> {
    let (change, before) = session
        .open::<plan::Entity>(Command::UpdatePlan, id, version)
        .await?;
    editable(&before, "id")?;
    let terms = terms.validate(Rules::new(), before.school_id.is_some())?;
    let before = PlanState {
        sections: sections_of(&*change, id).await?,
        plan: before,
    };
    let sections = write_sections(&change, id, terms.sections).await?;
    let changes = plan::ActiveModel {
        title: Set(terms.title),
        ..Default::default()
    };
    let mut row =
        super::update_versioned::<plan::Entity, _>(&*change, &before.plan, changes).await?;
    if row.version == before.plan.version && sections != before.sections {
        row = super::bump_version::<plan::Entity>(&*change, &row).await?;
    }
    let after = PlanState {
        plan: row,
        sections,
    };
    change
        .finish_with::<plan::Entity, _>(id, Some(&before), Some(&after))
        .await?;
    Ok(after.plan)
}

/// Removes plan `id` made by mistake, with its measures.
pub async fn delete_plan(
    session: Session<'_>,
    id: i32,
    version: i32,
) -> Result<plan::Model, ChangeError> {
    let (change, before) = session
        .open::<plan::Entity>(Command::DeletePlan, id, version)
        .await?;
    editable(&before, "id")?;
    let before = PlanState {
        sections: sections_of(&*change, id).await?,
        plan: before,
    };
    plan::Entity::delete_by_id(id).exec(&*change).await?;
    change
        .finish_with::<plan::Entity, _>(id, Some(&before), None)
        .await?;
    Ok(before.plan)
}

/// The checked columns of a measure of `plan`, with its target schools and factor ids.
struct CheckedMeasure {
    row: measure::ActiveModel,
    targets: Vec<i32>,
    factors: Vec<i32>,
}

impl MeasureTerms {
    async fn validate(
        self,
        db: &impl ConnectionTrait,
        plan: &plan::Model,
    ) -> Result<CheckedMeasure, ChangeError> {
        let mut rules = Rules::new();
        let targets = self.checked_targets(db, plan, &mut rules).await?;
        let title = rules.text(self.title, "measure.title", TextKind::Paragraph);
        let period = rules.optional_text(self.period, "measure.period", TextKind::Name);
        let parsed = period
            .as_deref()
            .map(|text| parse_period(text, plan.school_year))
            .unwrap_or_default();
        rules.period(parsed.starts_on, parsed.ends_on, "measure.period");
        let result = rules.optional_text(self.result, "measure.result", TextKind::Paragraph);
        let responsible =
            rules.optional_text(self.responsible, "measure.responsible", TextKind::Paragraph);
        let targets_text = rules.optional_text(
            self.targets_text,
            "measure.targetsText",
            TextKind::Paragraph,
        );
        let evaluation_method = rules.optional_text(
            self.evaluation_method,
            "measure.evaluationMethod",
            TextKind::Paragraph,
        );
        let section_id = match self.section {
            None => None,
            Some(number) => {
                let found = plan_section::Entity::find()
                    .filter(plan_section::Column::PlanId.eq(plan.id))
                    .filter(plan_section::Column::Number.eq(number))
                    .one(db)
                    .await?;
                rules.require(
                    found.is_some(),
                    "measure.section",
                    format!("the plan has no section {number}"),
                    format!("в плане нет раздела {number}"),
                );
                found.map(|s| s.id)
            }
        };
        let known = risk_factor::Entity::find().all(db).await?;
        let factors = factor_ids(
            &known,
            self.risk_factors,
            "measure.riskFactors",
            None,
            &mut rules,
        );
        rules.check()?;
        Ok(CheckedMeasure {
            row: measure::ActiveModel {
                section_id: Set(section_id),
                title: Set(title),
                period_text: Set(period),
                starts_on: Set(parsed.starts_on),
                ends_on: Set(parsed.ends_on),
                result: Set(result),
                responsible: Set(responsible),
                targets_text: Set(targets_text),
                evaluation_method: Set(evaluation_method),
                status: Set(self.status),
                ..Default::default()
            },
            targets,
            factors: factors.into_iter().flatten().collect(),
        })
    }

    /// Target schools: schools of the plan's municipality, each once; a roadmap aims at its
    /// own school only.
    async fn checked_targets(
        &self,
        db: &impl ConnectionTrait,
        plan: &plan::Model,
        rules: &mut Rules,
    ) -> Result<Vec<i32>, DbErr> {
        rules.require(
            self.targets.len() <= MAX_ITEMS,
            "measure.targets",
            format!("at most {MAX_ITEMS} schools"),
            format!("не больше {MAX_ITEMS} школ"),
        );
        let found = school::Entity::find()
            .filter(school::Column::Id.is_in(self.targets.iter().copied().take(MAX_ITEMS)))
            .all(db)
            .await?;
        let mut targets = Vec::new();
        for (i, id) in self.targets.iter().take(MAX_ITEMS).enumerate() {
            let field = format!("measure.targets[{i}]");
            let of_plan = found
                .iter()
                .any(|s| s.id == *id && s.municipality_id == plan.municipality_id)
                && plan.school_id.is_none_or(|own| own == *id);
            rules.require(
                of_plan,
                &field,
                "a target is a school of the plan's municipality (a roadmap's, its own school)",
                "адресат — школа муниципалитета плана (у дорожной карты — сама школа)",
            );
            rules.require(
                !targets.contains(id),
                field,
                "the school is listed twice",
                "школа указана дважды",
            );
            targets.push(*id);
        }
        Ok(targets)
    }
}

/// The targets and factors of measure `id`.
async fn links_of(db: &impl ConnectionTrait, id: i32) -> Result<(Vec<i32>, Vec<i32>), DbErr> {
    let targets = measure_target::Entity::find()
        .filter(measure_target::Column::MeasureId.eq(id))
        .order_by_id_asc()
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.school_id)
        .collect();
    let factors = measure_risk_factor::Entity::find()
        .filter(measure_risk_factor::Column::MeasureId.eq(id))
        .order_by_id_asc()
        .all(db)
        .await?
        .into_iter()
        .map(|f| f.factor_id)
        .collect();
    Ok((targets, factors))
}

/// Replaces the targets and factors of `measure`.
async fn write_links(
    change: &Change<'_>,
    measure: &measure::Model,
    targets: &[i32],
    factors: &[i32],
) -> Result<(), DbErr> {
    measure_target::Entity::delete_many()
        .filter(measure_target::Column::MeasureId.eq(measure.id))
        .exec(&**change)
        .await?;
    measure_risk_factor::Entity::delete_many()
        .filter(measure_risk_factor::Column::MeasureId.eq(measure.id))
        .exec(&**change)
        .await?;
    for &school_id in targets {
        measure_target::ActiveModel {
            measure_id: Set(measure.id),
            municipality_id: Set(measure.municipality_id),
            school_id: Set(school_id),
            ..Default::default()
        }
        .insert(&**change)
        .await?;
    }
    for &factor_id in factors {
        measure_risk_factor::ActiveModel {
            measure_id: Set(measure.id),
            factor_id: Set(factor_id),
            ..Default::default()
        }
        .insert(&**change)
        .await?;
    }
    Ok(())
}

/// Adds a measure at the end of plan `plan_id` (of its section, by number).
pub async fn add_measure(
    session: Session<'_>,
    plan_id: i32,
    terms: MeasureTerms,
) -> Result<measure::Model, ChangeError> {
    let mut change = session.begin(Command::AddMeasure).await?;
    let plan = plan::Entity::find_by_id(plan_id)
        .one(&*change)
        .await?
        .ok_or_else(|| ChangeError::NotFound {
            entity: "Plan",
            id: plan_id.to_string(),
        })?;
    change
        .authorise(<plan::Entity as super::Record>::scope(&*change, &plan).await?)
        .await?;
    editable(&plan, "plan")?;
    let checked = terms.validate(&*change, &plan).await?;
    let last: Option<i32> = measure::Entity::find()
        .select_only()
        .column_as(measure::Column::Position.max(), "last")
        .filter(measure::Column::PlanId.eq(plan.id))
        .into_tuple::<Option<i32>>()
        .one(&*change)
        .await?
        .flatten();
    let mut row = checked.row;
    row.plan_id = Set(plan.id);
    row.municipality_id = Set(plan.municipality_id);
    row.position = Set(last.unwrap_or(0) + 1);
    let row = row.insert(&*change).await?;
    write_links(&change, &row, &checked.targets, &checked.factors).await?;
    let after = MeasureState {
        measure: row,
        targets: checked.targets,
        factors: checked.factors,
    };
    change
        .finish_with::<measure::Entity, _>(after.measure.id, None, Some(&after))
        .await?;
    Ok(after.measure)
}

/// Opens measure `id` for `command`, with its plan, once the plan may be changed.
async fn open_measure<'a>(
    session: &Session<'a>,
    command: Command,
    id: i32,
    version: i32,
) -> Result<(Change<'a>, measure::Model, plan::Model), ChangeError> {
    let (change, before) = session
        .open::<measure::Entity>(command, id, version)
        .await?;
    let plan = plan::Entity::find_by_id(before.plan_id)
        .one(&*change)
        .await?
        .ok_or_else(|| ChangeError::NotFound {
            entity: "Plan",
            id: before.plan_id.to_string(),
        })?;
    Ok((change, before, plan))
}

/// Replaces what measure `id` says, as it was at `version`.
pub async fn update_measure(
    session: Session<'_>,
    id: i32,
    version: i32,
    terms: MeasureTerms,
) -> Result<measure::Model, ChangeError> {
    let (change, before, plan) =
        open_measure(&session, Command::UpdateMeasure, id, version).await?;
    editable(&plan, "id")?;
    let checked = terms.validate(&*change, &plan).await?;
    let (targets, factors) = links_of(&*change, id).await?;
    let before = MeasureState {
        measure: before,
        targets,
        factors,
    };
    let mut row =
        super::update_versioned::<measure::Entity, _>(&*change, &before.measure, checked.row)
            .await?;
    if (&checked.targets, &checked.factors) != (&before.targets, &before.factors) {
        if row.version == before.measure.version {
            row = super::bump_version::<measure::Entity>(&*change, &row).await?;
        }
        write_links(&change, &row, &checked.targets, &checked.factors).await?;
    }
    let after = MeasureState {
        measure: row,
        targets: checked.targets,
        factors: checked.factors,
    };
    change
        .finish_with::<measure::Entity, _>(id, Some(&before), Some(&after))
        .await?;
    Ok(after.measure)
}

/// Removes measure `id` made by mistake.
pub async fn delete_measure(
    session: Session<'_>,
    id: i32,
    version: i32,
) -> Result<measure::Model, ChangeError> {
    let (change, before, plan) =
        open_measure(&session, Command::DeleteMeasure, id, version).await?;
    editable(&plan, "id")?;
    let (targets, factors) = links_of(&*change, id).await?;
    let before = MeasureState {
        measure: before,
        targets,
        factors,
    };
    measure::Entity::delete_by_id(id).exec(&*change).await?;
    change
        .finish_with::<measure::Entity, _>(id, Some(&before), None)
        .await?;
    Ok(before.measure)
}

/// Records how far measure `id` has got and the school's report on it. A new report on a
/// roadmap's measure goes back to draft for the curator's review; a report under review cannot
/// change.
pub async fn report_on_measure(
    session: Session<'_>,
    id: i32,
    version: i32,
    status: MeasureStatus,
    report: Option<String>,
) -> Result<measure::Model, ChangeError> {
    let (change, before, plan) =
        open_measure(&session, Command::ReportOnMeasure, id, version).await?;
    let mut rules = Rules::new();
    let report = rules.optional_text(report, "report", TextKind::Paragraph);
    rules.require(
        before.report_state != Some(ReviewState::Submitted) || report == before.report,
        "report",
        "the report is with the curator; it changes once confirmed or returned",
        "отчёт на согласовании у куратора; его можно менять после ответа куратора",
    );
    rules.check()?;
    let report_state = match (&report, plan.school_id) {
        (None, _) | (Some(_), None) => None,
        (Some(_), Some(_)) if report == before.report => before.report_state,
        (Some(_), Some(_)) => Some(ReviewState::Draft),
    };
    let changes = measure::ActiveModel {
        status: Set(status),
        report: Set(report),
        report_state: Set(report_state),
        ..Default::default()
    };
    change.update(before, changes).await
}
