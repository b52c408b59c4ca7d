//! Recording a school's risk profile (рисковый профиль школы): its risk group and the risk
//! factors of the «500+» project that apply, each at most once, with the significance ФИС ОКО
//! grades it at.

use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use serde::Serialize;

use super::results::year;
use super::{Change, ChangeError, Command, Rules, Session};
use crate::domain::{Significance, TextKind};
use crate::entities::{risk_factor, risk_profile, risk_profile_factor};

/// What a profile says.
#[derive(Clone, Debug, Default)]
pub struct ProfileTerms {
    /// Группа риска, as published: «Базово неуспевающие».
    pub risk_group: Option<String>,
    /// The factors that apply, by number (1–10), with their significance where graded.
    pub factors: Vec<(i32, Option<Significance>)>,
}

/// A profile with its factors, as the audit log records it.
#[derive(Serialize)]
struct ProfileState {
    profile: risk_profile::Model,
    factors: Vec<risk_profile_factor::Model>,
}

impl ProfileTerms {
    /// Checks the terms; returns the risk group and the factors to write (by factor id).
    async fn validate(
        self,
        db: &impl ConnectionTrait,
        mut rules: Rules,
    ) -> Result<(Option<String>, Vec<(i32, Option<Significance>)>), ChangeError> {
        let risk_group = rules.optional_text(self.risk_group, "terms.riskGroup", TextKind::Name);
        let known = risk_factor::Entity::find().all(db).await?;
        let mut factors: Vec<(i32, Option<Significance>)> = Vec::new();
        let numbers = self.factors.iter().map(|(number, _)| *number).collect();
        let ids = factor_ids(&known, numbers, "terms.factors", Some("factor"), &mut rules);
        for (id, (_, significance)) in ids.into_iter().zip(self.factors) {
            if let Some(id) = id {
                factors.push((id, significance));
            }
        }
        rules.check()?;
        Ok((risk_group, factors))
    }
}

/// The ids of the risk factors numbered `numbers` (field `{field}[i]`, or `{field}[i].{item}`,
/// names a bad one): each known, none twice, at most all of them.
pub(super) fn factor_ids(
    known: &[risk_factor::Model],
    numbers: Vec<i32>,
    field: &str,
    item: Option<&str>,
    rules: &mut Rules,
) -> Vec<Option<i32>> {
    rules.require(
        numbers.len() <= known.len(),
        field,
        format!("at most {} factors", known.len()),
        format!("не больше {} факторов", known.len()),
    );
    let mut ids: Vec<Option<i32>> = Vec::new();
    for (i, number) in numbers.into_iter().take(known.len()).enumerate() {
        let field = match item {
            Some(item) => format!("{field}[{i}].{item}"),
            None => format!("{field}[{i}]"),
        };
        let factor = known.iter().find(|f| f.number == number);
        let id = match factor {
            None => {
                rules.require(
                    false,
                    field,
                    format!("there is no risk factor {number}; see `riskFactors`"),
                    format!("фактора риска {number} нет; список в `riskFactors`"),
                );
                None
            }
            Some(factor) if ids.contains(&Some(factor.id)) => {
                rules.require(
                    false,
                    field,
                    format!("factor {number} is listed twice"),
                    format!("фактор {number} указан дважды"),
                );
                None
            }
            Some(factor) => Some(factor.id),
        };
        ids.push(id);
    }
    ids
}

/// Replaces the factors of `profile` with `factors`.
async fn write_factors(
    change: &Change<'_>,
    profile: i32,
    factors: &[(i32, Option<Significance>)],
) -> Result<Vec<risk_profile_factor::Model>, DbErr> {
    risk_profile_factor::Entity::delete_many()
        .filter(risk_profile_factor::Column::ProfileId.eq(profile))
        .exec(&**change)
        .await?;
    let mut written = Vec::with_capacity(factors.len());
    for &(factor_id, significance) in factors {
        let row = risk_profile_factor::ActiveModel {
            profile_id: Set(profile),
            factor_id: Set(factor_id),
            significance: Set(significance),
            ..Default::default()
        }
        .insert(&**change)
        .await?;
        written.push(row);
    }
    Ok(written)
}

/// The factors of profile `id`, as recorded.
async fn factors_of(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Vec<risk_profile_factor::Model>, DbErr> {
    risk_profile_factor::Entity::find()
        .filter(risk_profile_factor::Column::ProfileId.eq(id))
        .order_by_id_asc()
        .all(db)
        .await
}

/// Records a school's risk profile for `year` (none where the source gives no year).
pub async fn record_risk_profile(
    session: Session<'_>,
    school_id: i32,
    year_of: Option<i32>,
    terms: ProfileTerms,
) -> Result<risk_profile::Model, ChangeError> {
    let mut change = session.begin(Command::RecordRiskProfile).await?;
    let school = change.school(school_id).await?;
    let mut rules = Rules::new();
    if let Some(y) = year_of {
        year(&mut rules, y);
    }
    let existing = risk_profile::Entity::find()
        .filter(risk_profile::Column::SchoolId.eq(school.id))
        .filter(match year_of {
            Some(y) => risk_profile::Column::Year.eq(y),
            None => risk_profile::Column::Year.is_null(),
        })
        .one(&*change)
        .await?;
    rules.require(
        existing.is_none(),
        "year",
        "this school's profile for this year is recorded already; update it instead",
        "профиль школы за этот год уже внесён; измените его",
    );
    let (risk_group, factors) = terms.validate(&*change, rules).await?;
    let profile = risk_profile::ActiveModel {
        school_id: Set(school.id),
        year: Set(year_of),
        risk_group: Set(risk_group),
        ..Default::default()
    }
    .insert(&*change)
    .await?;
    let after = ProfileState {
        factors: write_factors(&change, profile.id, &factors).await?,
        profile,
    };
    change
        .finish_with::<risk_profile::Entity, _>(after.profile.id, None, Some(&after))
        .await?;
    Ok(after.profile)
}

/// Replaces the risk group and factors of profile `id` as it was at `version`.
pub async fn update_risk_profile(
    session: Session<'_>,
    id: i32,
    version: i32,
    terms: ProfileTerms,
) -> Result<risk_profile::Model, ChangeError> {
    let (change, before) = session
        .open::<risk_profile::Entity>(Command::UpdateRiskProfile, id, version)
        .await?;
    let before = ProfileState {
        factors: factors_of(&*change, id).await?,
        profile: before,
    };
    let (risk_group, factors) = terms.validate(&*change, Rules::new()).await?;
    let changes = risk_profile::ActiveModel {
        risk_group: Set(risk_group),
        ..Default::default()
    };
    let mut profile =
        super::update_versioned::<risk_profile::Entity, _>(&*change, &before.profile, changes)
            .await?;
    let same: Vec<(i32, Option<Significance>)> = before
        .factors
        .iter()
        .map(|f| (f.factor_id, f.significance))
        .collect();
    let factors = if same == factors {
        before.factors.clone()
    } else {
        if profile.version == before.profile.version {
            profile = super::bump_version::<risk_profile::Entity>(&*change, &profile).await?;
        }
        write_factors(&change, id, &factors).await?
    };
    let after = ProfileState { profile, factors };
    change
        .finish_with::<risk_profile::Entity, _>(id, Some(&before), Some(&after))
        .await?;
    Ok(after.profile)
}

/// Removes profile `id` recorded by mistake.
pub async fn delete_risk_profile(
    session: Session<'_>,
    id: i32,
    version: i32,
) -> Result<risk_profile::Model, ChangeError> {
    let (change, before) = session
        .open::<risk_profile::Entity>(Command::DeleteRiskProfile, id, version)
        .await?;
    let before = ProfileState {
        factors: factors_of(&*change, id).await?,
        profile: before,
    };
    risk_profile::Entity::delete_by_id(id)
        .exec(&*change)
        .await?;
    change
        .finish_with::<risk_profile::Entity, _>(id, Some(&before), None)
        .await?;
    Ok(before.profile)
}
