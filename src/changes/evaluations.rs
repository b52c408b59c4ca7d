//! Recording a school's yearly quality and well-being groups: the curator data of a school.

use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;

use super::{ChangeError, Command, Rules, Session};
use crate::domain::{Absence, GroupNumber, Level, Rated};
use crate::entities::evaluation;

/// A school's groups for one year, as published. Each group is a number or the reason it is
/// absent, never both; a level goes with a number and must be the level the number implies.
#[derive(Clone, Debug, Default)]
pub struct Groups {
    /// Группа качества, 1–10.
    pub quality_group: Option<i32>,
    /// Why there is no quality group.
    pub quality_group_absence: Option<Absence>,
    /// Уровень по ГК.
    pub quality_level: Option<Level>,
    /// Группа по ГИСБШ, 1–10.
    pub wellbeing_group: Option<i32>,
    /// Why there is no well-being group.
    pub wellbeing_group_absence: Option<Absence>,
    /// Уровень по ГИСБШ.
    pub wellbeing_level: Option<Level>,
}

/// Parses one group, recording every broken rule under `input.<prefix>…`.
fn rated(
    rules: &mut Rules,
    prefix: &str,
    group: Option<i32>,
    absence: Option<Absence>,
    level: Option<Level>,
) -> Option<Rated> {
    let group_field = format!("groups.{prefix}Group");
    match (group, absence) {
        (Some(_), Some(_)) | (None, None) => {
            rules.require(
                false,
                group_field,
                "give either a group or the reason it is absent",
                "укажите либо группу, либо причину её отсутствия",
            );
            None
        }
        (None, Some(reason)) => {
            rules.require(
                level.is_none(),
                format!("groups.{prefix}Level"),
                "a level needs a group",
                "уровень указывается только вместе с группой",
            );
            Some(Rated::Absent(reason))
        }
        (Some(number), None) => {
            let group = rules.parsed(
                GroupNumber::new(number.into()),
                &group_field,
                "группа должна быть от 1 до 10",
            )?;
            if let Some(level) = level {
                let implied = group.implied_level();
                rules.require(
                    implied == level,
                    format!("groups.{prefix}Level"),
                    format!(
                        "group {group} implies the level «{}», not «{}»",
                        implied.abbreviation(),
                        level.abbreviation()
                    ),
                    format!(
                        "группе {group} соответствует уровень «{}», а не «{}»",
                        implied.abbreviation(),
                        level.abbreviation()
                    ),
                );
            }
            Some(Rated::Group(group, level))
        }
    }
}

impl Groups {
    /// The columns to write, once every rule holds.
    fn validate(self, mut rules: Rules) -> Result<evaluation::ActiveModel, ChangeError> {
        let quality = rated(
            &mut rules,
            "quality",
            self.quality_group,
            self.quality_group_absence,
            self.quality_level,
        );
        let wellbeing = rated(
            &mut rules,
            "wellbeing",
            self.wellbeing_group,
            self.wellbeing_group_absence,
            self.wellbeing_level,
        );
        rules.check()?;
        let (quality, wellbeing) = (quality.expect("checked"), wellbeing.expect("checked"));
        Ok(evaluation::ActiveModel {
            quality_group: Set(quality.group()),
            quality_group_absence: Set(quality.absence()),
            quality_level: Set(quality.level()),
            wellbeing_group: Set(wellbeing.group()),
            wellbeing_group_absence: Set(wellbeing.absence()),
            wellbeing_level: Set(wellbeing.level()),
            ..Default::default()
        })
    }
}

/// Records a school's groups for a year.
pub async fn record_evaluation(
    session: Session<'_>,
    school_id: i32,
    year: i32,
    groups: Groups,
) -> Result<evaluation::Model, ChangeError> {
    let mut change = session.begin(Command::RecordEvaluation).await?;
    let school = change.school(school_id).await?;
    let mut rules = Rules::new();
    rules.require(
        (2000..=2100).contains(&year),
        "year",
        "the year must be between 2000 and 2100",
        "год должен быть от 2000 до 2100",
    );
    let existing = evaluation::Entity::find()
        .filter(evaluation::Column::SchoolId.eq(school.id))
        .filter(evaluation::Column::Year.eq(year))
        .one(&*change)
        .await?;
    rules.require(
        existing.is_none(),
        "year",
        format!("{year} is already recorded for this school; update that evaluation instead"),
        format!("за {year} год оценка уже внесена; измените её"),
    );
    let mut row = groups.validate(rules)?;
    row.school_id = Set(school.id);
    row.year = Set(year);
    let row = row.insert(&*change).await?;
    change
        .finish::<evaluation::Entity>(row.id, None, Some(&row))
        .await?;
    Ok(row)
}

/// Corrects the recorded year `id` as it was at `version`.
pub async fn update_evaluation(
    session: Session<'_>,
    id: i32,
    version: i32,
    groups: Groups,
) -> Result<evaluation::Model, ChangeError> {
    let (change, before) = session
        .open::<evaluation::Entity>(Command::UpdateEvaluation, id, version)
        .await?;
    let changes = groups.validate(Rules::new())?;
    change.update(before, changes).await
}

/// Removes the year `id` recorded by mistake.
pub async fn delete_evaluation(
    session: Session<'_>,
    id: i32,
    version: i32,
) -> Result<evaluation::Model, ChangeError> {
    session
        .delete::<evaluation::Entity>(Command::DeleteEvaluation, id, version)
        .await
}
