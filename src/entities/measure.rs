//! A measure (мероприятие) of a plan, with its period as published and the dates read from it,
//! and the school's report on it under the curator's review. Target schools are in
//! `measure_target`, the risk factors it addresses in `measure_risk_factor`.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use crate::domain::{MeasureStatus, PartialDate, ReviewState};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "measures")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Bumped by every update; an update naming an older version is refused.
    pub version: i32,
    pub plan_id: i32,
    /// The plan's municipality, so that the database ties target schools to it.
    pub municipality_id: i32,
    /// The section of a municipal plan it is in.
    pub section_id: Option<i32>,
    /// Its place in the plan (within its section, the number after the dot: 1.2 is 2).
    pub position: i32,
    /// Название мероприятия / форма проведения.
    pub title: String,
    /// Сроки проведения, as published.
    pub period_text: Option<String>,
    /// The first date the period names, when it names one.
    pub starts_on: Option<PartialDate>,
    /// The last date the period names.
    pub ends_on: Option<PartialDate>,
    /// Результат, as published.
    pub result: Option<String>,
    /// Ответственные.
    pub responsible: Option<String>,
    /// The target schools as published («педагоги, учащиеся и родители» included).
    pub targets_text: Option<String>,
    /// Методы оценки качества проведённого мероприятия (seed 002).
    pub evaluation_method: Option<String>,
    pub status: MeasureStatus,
    /// The school's report on the measure, reviewed by its curator.
    pub report: Option<String>,
    pub report_state: Option<ReviewState>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
