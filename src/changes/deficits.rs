//! Recording teacher competency deficits (seed 001): per municipality (or one of its schools),
//! year and subject, the teachers assessed and how many are at levels A–D. The levels add up to
//! the teachers assessed; shares are computed when read, and the shares a source printed are
//! kept only to show where they differ.

use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;

use super::results::{subject_by_code, year};
use super::{ChangeError, Command, Rules, Session};
use crate::entities::{competency_deficit, school};

/// The counts of one row, as published.
#[derive(Clone, Debug, Default)]
pub struct DeficitCounts {
    /// Teachers of the subject assessed.
    pub teachers: i32,
    /// Levels A, B, C, D.
    pub levels: [i32; 4],
    /// The shares A–D the source printed, if it printed them.
    pub published_shares: Option<[i32; 4]>,
}

/// Where and when a row was measured.
#[derive(Clone, Debug)]
pub struct DeficitKey {
    /// The municipality's slug.
    pub municipality: String,
    /// One school of it, or none for the whole municipality.
    pub school: Option<i32>,
    /// The year of the assessment.
    pub year: i32,
    /// The subject's code.
    pub subject: String,
}

const LEVEL_FIELDS: [&str; 4] = [
    "counts.levelA",
    "counts.levelB",
    "counts.levelC",
    "counts.levelD",
];

impl DeficitCounts {
    fn validate(self, mut rules: Rules) -> Result<competency_deficit::ActiveModel, ChangeError> {
        rules.require(
            self.teachers > 0,
            "counts.teachers",
            "at least one teacher is assessed",
            "должен быть оценён хотя бы один педагог",
        );
        for (field, n) in LEVEL_FIELDS.iter().zip(self.levels) {
            rules.require(
                n >= 0,
                *field,
                "a count cannot be negative",
                "число не может быть отрицательным",
            );
        }
        let sum: i64 = self.levels.iter().map(|&n| i64::from(n)).sum();
        rules.require(
            sum == i64::from(self.teachers),
            "counts",
            format!(
                "A + B + C + D = {sum}, but {} teachers were assessed",
                self.teachers
            ),
            format!(
                "A + B + C + D = {sum}, а оценено педагогов: {}",
                self.teachers
            ),
        );
        let published = self.published_shares.map(|shares| {
            for (i, share) in shares.iter().enumerate() {
                rules.require(
                    (0..=100).contains(share),
                    format!("counts.publishedShares[{i}]"),
                    "a share is 0–100",
                    "доля — от 0 до 100",
                );
            }
            shares.map(|s| s.clamp(0, 100) as i16)
        });
        rules.check()?;
        let [a, b, c, d] = self.levels;
        let share = |i: usize| Set(published.map(|p| p[i]));
        Ok(competency_deficit::ActiveModel {
            teachers: Set(self.teachers),
            level_a: Set(a),
            level_b: Set(b),
            level_c: Set(c),
            level_d: Set(d),
            published_share_a: share(0),
            published_share_b: share(1),
            published_share_c: share(2),
            published_share_d: share(3),
            ..Default::default()
        })
    }
}

/// Records one subject's row of competency deficits; `edge` holds what could not be read from
/// the input at the edge.
pub async fn record_competency_deficit(
    session: Session<'_>,
    key: DeficitKey,
    counts: DeficitCounts,
    edge: Rules,
) -> Result<competency_deficit::Model, ChangeError> {
    let mut change = session.begin(Command::RecordCompetencyDeficit).await?;
    let municipality = change.municipality(&key.municipality).await?;
    let mut rules = edge;
    year(&mut rules, key.year);
    if let Some(id) = key.school {
        let school = school::Entity::find_by_id(id).one(&*change).await?;
        rules.require(
            school.is_some_and(|s| s.municipality_id == municipality.id),
            "key.school",
            "the school is not one of this municipality",
            "школа не из этого муниципалитета",
        );
    }
    let subject = subject_by_code(&*change, &mut rules, "key.subject", &key.subject).await?;
    if let Some(subject) = &subject {
        let existing = competency_deficit::Entity::find()
            .filter(competency_deficit::Column::MunicipalityId.eq(municipality.id))
            .filter(match key.school {
                Some(id) => competency_deficit::Column::SchoolId.eq(id),
                None => competency_deficit::Column::SchoolId.is_null(),
            })
            .filter(competency_deficit::Column::Year.eq(key.year))
            .filter(competency_deficit::Column::SubjectId.eq(subject.id))
            .one(&*change)
            .await?;
        rules.require(
            existing.is_none(),
            "key.subject",
            "this subject is already recorded for this year; update it instead",
            "этот предмет за этот год уже внесён; измените его",
        );
    }
    let mut row = counts.validate(rules)?;
    row.municipality_id = Set(municipality.id);
    row.school_id = Set(key.school);
    row.year = Set(key.year);
    row.subject_id = Set(subject.expect("checked").id);
    let row = row.insert(&*change).await?;
    change
        .finish::<competency_deficit::Entity>(row.id, None, Some(&row))
        .await?;
    Ok(row)
}

/// Corrects the counts of row `id` as it was at `version`; `edge` as for recording.
pub async fn update_competency_deficit(
    session: Session<'_>,
    id: i32,
    version: i32,
    counts: DeficitCounts,
    edge: Rules,
) -> Result<competency_deficit::Model, ChangeError> {
    let (change, before) = session
        .open::<competency_deficit::Entity>(Command::UpdateCompetencyDeficit, id, version)
        .await?;
    let changes = counts.validate(edge)?;
    change.update(before, changes).await
}

/// Removes row `id` recorded by mistake.
pub async fn delete_competency_deficit(
    session: Session<'_>,
    id: i32,
    version: i32,
) -> Result<competency_deficit::Model, ChangeError> {
    session
        .delete::<competency_deficit::Entity>(Command::DeleteCompetencyDeficit, id, version)
        .await
}
