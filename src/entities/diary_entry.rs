//! An entry of a school's diary (seed 000): of the school (a training event), of a teacher or of
//! the director (how a method is used, with the curator's comment). The kind decides which
//! columns are filled.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use crate::domain::DiaryKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "diary_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Bumped by every update; an update naming an older version is refused.
    pub version: i32,
    pub school_id: i32,
    pub kind: DiaryKind,
    /// Мероприятие (school).
    pub event: Option<String>,
    /// Организатор (school).
    pub organiser: Option<String>,
    /// Даты, as written (school).
    pub dates: Option<String>,
    /// Участники курса (school).
    pub participants: Option<String>,
    /// Основные элементы курса (school).
    pub course_elements: Option<String>,
    /// Соответствующие им элементы школьной программы улучшения результатов (school).
    pub programme_element: Option<String>,
    /// Педагог, ФИО (teacher).
    pub teacher: Option<String>,
    /// Используемые методы / форма использования (teacher, director).
    pub method: Option<String>,
    /// Где использует (teacher, director).
    pub where_used: Option<String>,
    /// Результаты использования (teacher, director).
    pub results: Option<String>,
    /// Комментарии педагога / директора.
    pub author_comment: Option<String>,
    /// Комментарии куратора.
    pub curator_comment: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
