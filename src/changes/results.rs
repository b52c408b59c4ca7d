//! Recording assessment results (ВПР, ОГЭ, ЕГЭ…) and the yearly values of monitoring
//! indicators: the figures of a school. Missing is never zero: a figure goes only with the
//! status `RESULT`, and «not held» or «no participants» is a status, not a figure.

use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;

use super::{ChangeError, Command, Rules, Session};
use crate::domain::{
    ExamLevel, IndicatorKind, Mean, Percentage, Procedure, ResultStatus, TextKind,
};
use crate::entities::{assessment_result, indicator_value, monitoring_indicator, subject};

/// What a result is of: procedure × subject (× grade, × level).
#[derive(Clone, Debug)]
pub struct ResultKey {
    /// The procedure.
    pub procedure: Procedure,
    /// The subject's code: `mathematics`.
    pub subject: String,
    /// The grade; for ОГЭ and ЕГЭ the grade the procedure implies may be omitted, and a ВПР
    /// mean the source gives over all grades has none.
    pub grade: Option<i32>,
    /// `BASE` or `PROFILE` for the ЕГЭ in mathematics; none otherwise.
    pub level: Option<ExamLevel>,
}

/// A result's status and figures, as published.
#[derive(Clone, Debug)]
pub struct Figures {
    /// What the record says.
    pub status: ResultStatus,
    /// The mean mark (1–5) or score (0–100), as the procedure reports.
    pub mean: Option<f64>,
    /// Participants.
    pub participants: Option<i32>,
    /// Participants who got «2» or did not pass the minimum threshold.
    pub failed: Option<i32>,
    /// The cell as the source prints it: «3,2 /50», «-», «0».
    pub source_text: Option<String>,
}

/// The subject with `code`, or a violation of `field`.
pub(super) async fn subject_by_code(
    db: &impl ConnectionTrait,
    rules: &mut Rules,
    field: &str,
    code: &str,
) -> Result<Option<subject::Model>, DbErr> {
    let found = subject::Entity::find()
        .filter(subject::Column::Code.eq(code))
        .one(db)
        .await?;
    rules.require(
        found.is_some(),
        field,
        format!("«{code}» is not a subject code; see `subjects`"),
        format!("«{code}» — не код предмета; список в `subjects`"),
    );
    Ok(found)
}

/// Requires a plausible year.
pub(super) fn year(rules: &mut Rules, year: i32) {
    rules.require(
        (2000..=2100).contains(&year),
        "year",
        "the year must be between 2000 and 2100",
        "год должен быть от 2000 до 2100",
    );
}

/// Checks that the grade and level fit the procedure and subject.
fn key_rules(rules: &mut Rules, key: &ResultKey, subject: Option<&subject::Model>) -> Option<i16> {
    let grades = key.procedure.grades();
    let grade = key.grade.map(|g| i16::try_from(g).unwrap_or(i16::MAX));
    if let Some(g) = grade {
        rules.require(
            grades.contains(&g),
            "key.grade",
            format!(
                "{} is written in grades {}–{}, not in grade {g}",
                key.procedure.abbreviation(),
                grades.start(),
                grades.end()
            ),
            format!(
                "{} проводится в {}–{} классах, а не в {g}",
                key.procedure.abbreviation(),
                grades.start(),
                grades.end()
            ),
        );
    }
    let maths_exam =
        key.procedure == Procedure::Ege && subject.is_some_and(|s| s.code == "mathematics");
    if maths_exam {
        rules.require(
            key.level.is_some(),
            "key.level",
            "the ЕГЭ in mathematics is BASE or PROFILE",
            "для ЕГЭ по математике укажите уровень: базовый или профильный",
        );
    } else {
        rules.require(
            key.level.is_none(),
            "key.level",
            "a level is given only for the ЕГЭ in mathematics",
            "уровень указывается только для ЕГЭ по математике",
        );
    }
    // The one grade of the examinations is implied; recording it or not names the same result.
    (grades.start() != grades.end()).then_some(grade).flatten()
}

impl Figures {
    /// The columns to write for a result of `procedure` at `level` in `year`, once every rule
    /// holds.
    fn validate(
        self,
        mut rules: Rules,
        procedure: Procedure,
        level: Option<ExamLevel>,
        year: i32,
    ) -> Result<assessment_result::ActiveModel, ChangeError> {
        let has_figure =
            self.mean.is_some() || self.participants.is_some() || self.failed.is_some();
        if self.status == ResultStatus::Result {
            rules.require(
                has_figure,
                "figures.status",
                "a RESULT needs a mean, participants or failed",
                "для результата нужен средний балл, число участников или не справившихся",
            );
            rules.require(
                procedure.held_in(year),
                "year",
                format!("{} was not held in {year}", procedure.abbreviation()),
                format!("{} в {year} году не проводилась", procedure.abbreviation()),
            );
        } else {
            for (field, given) in [
                ("figures.mean", self.mean.is_some()),
                ("figures.participants", self.participants.is_some()),
                ("figures.failed", self.failed.is_some()),
            ] {
                rules.require(
                    !given,
                    field,
                    format!(
                        "a figure goes only with the status RESULT, not {:?}",
                        self.status
                    ),
                    format!(
                        "число указывается только для результата, а не для «{}»",
                        self.status.words()
                    ),
                );
            }
        }
        let figure = procedure.figure(level);
        let mean = self.mean.and_then(|m| {
            rules.parsed(
                Mean::from_f64(m, figure),
                "figures.mean",
                match figure {
                    crate::domain::Figure::Mark => "средняя оценка — от 1 до 5",
                    crate::domain::Figure::Score => "средний балл — от 0 до 100",
                },
            )
        });
        for (field, count) in [
            ("figures.participants", self.participants),
            ("figures.failed", self.failed),
        ] {
            rules.require(
                count.is_none_or(|n| n >= 0),
                field,
                "a count cannot be negative",
                "число не может быть отрицательным",
            );
        }
        if let (Some(failed), Some(participants)) = (self.failed, self.participants) {
            rules.require(
                failed <= participants,
                "figures.failed",
                format!("{failed} failed of {participants} participants"),
                format!("не справившихся ({failed}) больше, чем участников ({participants})"),
            );
        }
        let source_text =
            rules.optional_text(self.source_text, "figures.sourceText", TextKind::Name);
        rules.check()?;
        Ok(assessment_result::ActiveModel {
            status: Set(self.status),
            mean_hundredths: Set(mean),
            participants: Set(self.participants),
            failed: Set(self.failed),
            source_text: Set(source_text),
            ..Default::default()
        })
    }
}

/// Records a school's result of one procedure, subject (grade, level) and year.
pub async fn record_result(
    session: Session<'_>,
    school_id: i32,
    year_of: i32,
    key: ResultKey,
    figures: Figures,
) -> Result<assessment_result::Model, ChangeError> {
    let mut change = session.begin(Command::RecordResult).await?;
    let school = change.school(school_id).await?;
    let mut rules = Rules::new();
    year(&mut rules, year_of);
    let subject = subject_by_code(&*change, &mut rules, "key.subject", &key.subject).await?;
    let grade = key_rules(&mut rules, &key, subject.as_ref());
    if let Some(subject) = &subject {
        let existing = assessment_result::Entity::find()
            .filter(assessment_result::Column::SchoolId.eq(school.id))
            .filter(assessment_result::Column::Year.eq(year_of))
            .filter(assessment_result::Column::Procedure.eq(key.procedure))
            .filter(assessment_result::Column::SubjectId.eq(subject.id))
            .filter(match grade {
                Some(g) => assessment_result::Column::Grade.eq(g),
                None => assessment_result::Column::Grade.is_null(),
            })
            .filter(match key.level {
                Some(l) => assessment_result::Column::Level.eq(l),
                None => assessment_result::Column::Level.is_null(),
            })
            .one(&*change)
            .await?;
        rules.require(
            existing.is_none(),
            "key",
            "this result is already recorded for this school and year; update it instead",
            "этот результат за этот год уже внесён; измените его",
        );
    }
    let mut row = figures.validate(rules, key.procedure, key.level, year_of)?;
    row.school_id = Set(school.id);
    row.year = Set(year_of);
    row.procedure = Set(key.procedure);
    row.subject_id = Set(subject.expect("checked").id);
    row.grade = Set(grade);
    row.level = Set(key.level);
    let row = row.insert(&*change).await?;
    change
        .finish::<assessment_result::Entity>(row.id, None, Some(&row))
        .await?;
    Ok(row)
}

/// Corrects the status and figures of result `id` as it was at `version`; what it is a result
/// of stays (delete and record again to change that).
pub async fn update_result(
    session: Session<'_>,
    id: i32,
    version: i32,
    figures: Figures,
) -> Result<assessment_result::Model, ChangeError> {
    let (change, before) = session
        .open::<assessment_result::Entity>(Command::UpdateResult, id, version)
        .await?;
    let changes = figures.validate(Rules::new(), before.procedure, before.level, before.year)?;
    change.update(before, changes).await
}

/// Removes result `id` recorded by mistake.
pub async fn delete_result(
    session: Session<'_>,
    id: i32,
    version: i32,
) -> Result<assessment_result::Model, ChangeError> {
    session
        .delete::<assessment_result::Entity>(Command::DeleteResult, id, version)
        .await
}

/// A value of a monitoring indicator: the one field its kind takes.
#[derive(Clone, Debug, Default)]
pub struct IndicatorInput {
    /// For a percentage indicator, 0–100 with one decimal.
    pub percentage: Option<f64>,
    /// For a count.
    pub count: Option<i32>,
    /// For a yes/no indicator.
    pub present: Option<bool>,
}

impl IndicatorInput {
    fn validate(
        self,
        mut rules: Rules,
        indicator: Option<&monitoring_indicator::Model>,
    ) -> Result<indicator_value::ActiveModel, ChangeError> {
        let kind = indicator.map(|i| i.kind);
        for (field, given, wanted) in [
            (
                "value.percentage",
                self.percentage.is_some(),
                IndicatorKind::Percentage,
            ),
            ("value.count", self.count.is_some(), IndicatorKind::Count),
            (
                "value.present",
                self.present.is_some(),
                IndicatorKind::YesNo,
            ),
        ] {
            if let Some(kind) = kind {
                rules.require(
                    given == (kind == wanted),
                    field,
                    format!("this indicator takes {kind:?} values: give that field and only it"),
                    "укажите значение в поле, соответствующем виду показателя, и только в нём",
                );
            }
        }
        let percentage = self.percentage.and_then(|p| {
            rules.parsed(
                Percentage::from_f64(p),
                "value.percentage",
                "доля — от 0 до 100 %, не больше одного знака после запятой",
            )
        });
        rules.require(
            self.count.is_none_or(|n| n >= 0),
            "value.count",
            "a count cannot be negative",
            "число не может быть отрицательным",
        );
        rules.check()?;
        Ok(indicator_value::ActiveModel {
            percentage: Set(percentage),
            count: Set(self.count),
            present: Set(self.present),
            ..Default::default()
        })
    }
}

/// Records a school's value of indicator number `indicator` for a year.
pub async fn record_indicator_value(
    session: Session<'_>,
    school_id: i32,
    indicator: i32,
    year_of: i32,
    value: IndicatorInput,
) -> Result<indicator_value::Model, ChangeError> {
    let mut change = session.begin(Command::RecordIndicatorValue).await?;
    let school = change.school(school_id).await?;
    let mut rules = Rules::new();
    year(&mut rules, year_of);
    let found = monitoring_indicator::Entity::find()
        .filter(monitoring_indicator::Column::Number.eq(indicator))
        .one(&*change)
        .await?;
    rules.require(
        found.is_some(),
        "indicator",
        format!("there is no indicator number {indicator}; see `monitoringIndicators`"),
        format!("показателя № {indicator} нет; список в `monitoringIndicators`"),
    );
    if let Some(found) = &found {
        let existing = indicator_value::Entity::find()
            .filter(indicator_value::Column::SchoolId.eq(school.id))
            .filter(indicator_value::Column::IndicatorId.eq(found.id))
            .filter(indicator_value::Column::Year.eq(year_of))
            .one(&*change)
            .await?;
        rules.require(
            existing.is_none(),
            "year",
            "this indicator is already recorded for this school and year; update it instead",
            "значение показателя за этот год уже внесено; измените его",
        );
    }
    let mut row = value.validate(rules, found.as_ref())?;
    row.school_id = Set(school.id);
    row.indicator_id = Set(found.expect("checked").id);
    row.year = Set(year_of);
    let row = row.insert(&*change).await?;
    change
        .finish::<indicator_value::Entity>(row.id, None, Some(&row))
        .await?;
    Ok(row)
}

/// Corrects indicator value `id` as it was at `version`.
pub async fn update_indicator_value(
    session: Session<'_>,
    id: i32,
    version: i32,
    value: IndicatorInput,
) -> Result<indicator_value::Model, ChangeError> {
    let (change, before) = session
        .open::<indicator_value::Entity>(Command::UpdateIndicatorValue, id, version)
        .await?;
    let indicator = monitoring_indicator::Entity::find_by_id(before.indicator_id)
        .one(&*change)
        .await?;
    let changes = value.validate(Rules::new(), indicator.as_ref())?;
    change.update(before, changes).await
}

/// Removes indicator value `id` recorded by mistake.
pub async fn delete_indicator_value(
    session: Session<'_>,
    id: i32,
    version: i32,
) -> Result<indicator_value::Model, ChangeError> {
    session
        .delete::<indicator_value::Entity>(Command::DeleteIndicatorValue, id, version)
        .await
}
