//! Recording diary entries.

use async_graphql::{Context, ID, InputObject, Object, Result};

use super::{id_argument, run};
use crate::changes::diaries::{Entry, delete_diary_entry, record_diary_entry, update_diary_entry};
use crate::domain::DiaryKind;
use crate::graphql::ids::Kind;
use crate::graphql::types::DiaryEntry;

/// An entry's columns: the school's diary takes `event` (required), `organiser`, `dates`,
/// `participants`, `courseElements`, `programmeElement`; a teacher's `teacher` and `method`
/// (required), `whereUsed`, `results`, `authorComment`, `curatorComment`; the director's the
/// same without `teacher`. A column of another diary is refused.
#[derive(InputObject, Default)]
pub struct DiaryEntryInput {
    /// Мероприятие.
    event: Option<String>,
    /// Организатор.
    organiser: Option<String>,
    /// Даты, as written.
    dates: Option<String>,
    /// Участники курса.
    participants: Option<String>,
    /// Основные элементы курса.
    course_elements: Option<String>,
    /// Соответствующие им элементы школьной программы улучшения результатов.
    programme_element: Option<String>,
    /// Педагог, ФИО.
    teacher: Option<String>,
    /// Используемые методы / форма использования.
    method: Option<String>,
    /// Где использует.
    where_used: Option<String>,
    /// Результаты использования.
    results: Option<String>,
    /// Комментарии педагога / директора.
    author_comment: Option<String>,
    /// Комментарии куратора.
    curator_comment: Option<String>,
}

impl From<DiaryEntryInput> for Entry {
    fn from(i: DiaryEntryInput) -> Self {
        Entry {
            event: i.event,
            organiser: i.organiser,
            dates: i.dates,
            participants: i.participants,
            course_elements: i.course_elements,
            programme_element: i.programme_element,
            teacher: i.teacher,
            method: i.method,
            where_used: i.where_used,
            results: i.results,
            author_comment: i.author_comment,
            curator_comment: i.curator_comment,
        }
    }
}

/// Mutations of diaries.
#[derive(Default)]
pub struct DiaryMutations;

#[Object]
impl DiaryMutations {
    /// Adds an entry to a school's diaries (admin, the municipality's coordinator, or a curator
    /// of the school).
    async fn record_diary_entry(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The school's id.")] school: ID,
        #[graphql(desc = "Which diary.")] kind: DiaryKind,
        #[graphql(desc = "The columns.")] entry: DiaryEntryInput,
    ) -> Result<DiaryEntry> {
        run(
            ctx,
            |s| async move {
                let school = id_argument(Kind::School, &school)?;
                record_diary_entry(s, school, kind, entry.into()).await
            },
            DiaryEntry,
        )
        .await
    }

    /// Replaces an entry's columns; its diary stays.
    async fn update_diary_entry(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The entry's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
        #[graphql(desc = "The columns.")] entry: DiaryEntryInput,
    ) -> Result<DiaryEntry> {
        run(
            ctx,
            |s| async move {
                let id = id_argument(Kind::DiaryEntry, &id)?;
                update_diary_entry(s, id, version, entry.into()).await
            },
            DiaryEntry,
        )
        .await
    }

    /// Removes an entry made by mistake; returns it as it was.
    async fn delete_diary_entry(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The entry's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
    ) -> Result<DiaryEntry> {
        run(
            ctx,
            |s| async move { delete_diary_entry(s, id_argument(Kind::DiaryEntry, &id)?, version).await },
            DiaryEntry,
        )
        .await
    }
}
