//! Diary entries (seed 000). Their columns name teachers and carry the curator's comments on
//! their work, so they are not public: only those who may record a school's entries may read
//! them (`DiaryEntry.columns`), however the entry is reached (`School.diary` or `node`).

use async_graphql::{Context, ID, Object, Result, SimpleObject};

use super::School;
use crate::auth::Caller;
use crate::auth::policy::{self, Area, Scope};
use crate::domain::DiaryKind;
use crate::entities::diary_entry;
use crate::graphql::error::{Code, coded, internal};
use crate::graphql::ids::{Kind, encode};
use crate::graphql::loaders::*;
use crate::graphql::{db, load_required};

/// The columns of an entry; those of other kinds are null.
#[derive(SimpleObject)]
pub struct DiaryColumns {
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
    /// Используемые методы (технологии, способы) / форма использования.
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

/// Refuses unless the caller may record the diaries of school `school_id`.
pub async fn may_read_diaries(ctx: &Context<'_>, school_id: i32) -> Result<()> {
    let Some(Caller::Token(actor)) = ctx.data_opt::<Caller>() else {
        return Err(coded(Code::Unauthenticated, "diaries need a token"));
    };
    let school = load_required(ctx, SchoolById(school_id)).await?;
    let scope = Scope::school(school.id, school.municipality_id);
    if policy::permits(db(ctx), actor, Area::Results, &scope)
        .await
        .map_err(internal)?
    {
        Ok(())
    } else {
        Err(coded(
            Code::Forbidden,
            format!("{} may not read this school's diaries", actor.describe()),
        ))
    }
}

/// The row behind the GraphQL `DiaryEntry` object, described on its resolvers.
pub struct DiaryEntry(pub diary_entry::Model);

/// An entry of the school's, a teacher's or the director's diary.
#[Object]
impl DiaryEntry {
    /// The global id.
    pub async fn id(&self) -> ID {
        encode(Kind::DiaryEntry, self.0.id)
    }

    /// The row version: name it when changing this object; every change bumps it.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// Whose diary.
    async fn kind(&self) -> DiaryKind {
        self.0.kind
    }

    /// The school.
    async fn school(&self, ctx: &Context<'_>) -> Result<School> {
        load_required(ctx, SchoolById(self.0.school_id))
            .await
            .map(School)
    }

    /// The entry's columns: for the school's admin, coordinator and curators only.
    async fn columns(&self, ctx: &Context<'_>) -> Result<DiaryColumns> {
        may_read_diaries(ctx, self.0.school_id).await?;
        let e = self.0.clone();
        Ok(DiaryColumns {
            event: e.event,
            organiser: e.organiser,
            dates: e.dates,
            participants: e.participants,
            course_elements: e.course_elements,
            programme_element: e.programme_element,
            teacher: e.teacher,
            method: e.method,
            where_used: e.where_used,
            results: e.results,
            author_comment: e.author_comment,
            curator_comment: e.curator_comment,
        })
    }
}
