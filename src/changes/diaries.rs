//! Recording diary entries (seed 000): the school's diary of training events, and the
//! teachers' and the director's diaries of how they use what was learnt, with the curator's
//! comments. Each kind has its columns; a column of another kind is refused, not dropped.

use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;

use super::{ChangeError, Command, Rules, Session};
use crate::domain::{DiaryKind, TextKind};
use crate::entities::diary_entry;

/// An entry as written, by column.
#[derive(Clone, Debug, Default)]
pub struct Entry {
    /// Мероприятие.
    pub event: Option<String>,
    /// Организатор.
    pub organiser: Option<String>,
    /// Даты, as written.
    pub dates: Option<String>,
    /// Участники курса.
    pub participants: Option<String>,
    /// Основные элементы курса.
    pub course_elements: Option<String>,
    /// Соответствующие им элементы школьной программы улучшения результатов.
    pub programme_element: Option<String>,
    /// Педагог, ФИО.
    pub teacher: Option<String>,
    /// Используемые методы / форма использования.
    pub method: Option<String>,
    /// Где использует.
    pub where_used: Option<String>,
    /// Результаты использования.
    pub results: Option<String>,
    /// Комментарии педагога / директора.
    pub author_comment: Option<String>,
    /// Комментарии куратора.
    pub curator_comment: Option<String>,
}

/// The columns of each kind: (field, required).
fn columns(kind: DiaryKind) -> &'static [(&'static str, bool)] {
    match kind {
        DiaryKind::School => &[
            ("event", true),
            ("organiser", false),
            ("dates", false),
            ("participants", false),
            ("courseElements", false),
            ("programmeElement", false),
        ],
        DiaryKind::Teacher => &[
            ("teacher", true),
            ("method", true),
            ("whereUsed", false),
            ("results", false),
            ("authorComment", false),
            ("curatorComment", false),
        ],
        DiaryKind::Director => &[
            ("method", true),
            ("whereUsed", false),
            ("results", false),
            ("authorComment", false),
            ("curatorComment", false),
        ],
    }
}

impl Entry {
    fn validate(
        self,
        kind: DiaryKind,
        mut rules: Rules,
    ) -> Result<diary_entry::ActiveModel, ChangeError> {
        let fields = [
            ("event", self.event),
            ("organiser", self.organiser),
            ("dates", self.dates),
            ("participants", self.participants),
            ("courseElements", self.course_elements),
            ("programmeElement", self.programme_element),
            ("teacher", self.teacher),
            ("method", self.method),
            ("whereUsed", self.where_used),
            ("results", self.results),
            ("authorComment", self.author_comment),
            ("curatorComment", self.curator_comment),
        ];
        let own = columns(kind);
        let mut cleaned = Vec::with_capacity(fields.len());
        for (name, value) in fields {
            let field = format!("entry.{name}");
            let column = own.iter().find(|(n, _)| *n == name);
            match column {
                None => rules.require(
                    value.is_none(),
                    &field,
                    format!("a {kind:?} diary has no column «{name}»"),
                    "в дневнике этого вида нет такого столбца",
                ),
                Some((_, required)) => rules.require(
                    !required || value.is_some(),
                    &field,
                    "required in this diary",
                    "обязательно для этого дневника",
                ),
            }
            let kind = if name == "teacher" || name == "organiser" {
                TextKind::Name
            } else {
                TextKind::Paragraph
            };
            cleaned.push(rules.optional_text(value, &field, kind));
        }
        rules.check()?;
        let mut c = cleaned.into_iter();
        let mut next = || Set(c.next().expect("one value per column"));
        Ok(diary_entry::ActiveModel {
            kind: Set(kind),
            event: next(),
            organiser: next(),
            dates: next(),
            participants: next(),
            course_elements: next(),
            programme_element: next(),
            teacher: next(),
            method: next(),
            where_used: next(),
            results: next(),
            author_comment: next(),
            curator_comment: next(),
            ..Default::default()
        })
    }
}

/// Adds an entry of `kind` to the diaries of school `school_id`.
pub async fn record_diary_entry(
    session: Session<'_>,
    school_id: i32,
    kind: DiaryKind,
    entry: Entry,
) -> Result<diary_entry::Model, ChangeError> {
    let mut change = session.begin(Command::RecordDiaryEntry).await?;
    let school = change.school(school_id).await?;
    let mut row = entry.validate(kind, Rules::new())?;
    row.school_id = Set(school.id);
    let row = row.insert(&*change).await?;
    change
        .finish::<diary_entry::Entity>(row.id, None, Some(&row))
        .await?;
    Ok(row)
}

/// Replaces the columns of entry `id` as it was at `version`; its kind stays.
pub async fn update_diary_entry(
    session: Session<'_>,
    id: i32,
    version: i32,
    entry: Entry,
) -> Result<diary_entry::Model, ChangeError> {
    let (change, before) = session
        .open::<diary_entry::Entity>(Command::UpdateDiaryEntry, id, version)
        .await?;
    let changes = entry.validate(before.kind, Rules::new())?;
    change.update(before, changes).await
}

/// Removes entry `id` made by mistake.
pub async fn delete_diary_entry(
    session: Session<'_>,
    id: i32,
    version: i32,
) -> Result<diary_entry::Model, ChangeError> {
    session
        .delete::<diary_entry::Entity>(Command::DeleteDiaryEntry, id, version)
        .await
}
