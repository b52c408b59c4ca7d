//! Writing the methodological bank: a material's text is Markdown that parses safely
//! (`domain::Markdown`), its file a known type its bytes confirm (`domain::Attachment`).

use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use serde::Serialize;

use super::{ChangeError, Command, Patch, Rules, Session};
use crate::domain::{Attachment, Markdown, MaterialKind, Programme, TextKind};
use crate::entities::material::{self, Tags};
use crate::entities::material_file;

/// What a material says.
#[derive(Clone, Debug)]
pub struct MaterialTerms {
    /// What it is.
    pub kind: MaterialKind,
    /// Its title (an FAQ entry's question).
    pub title: String,
    /// Для кого.
    pub audience: Option<String>,
    /// Its tags.
    pub tags: Vec<String>,
    /// The programme it is for.
    pub programme: Option<Programme>,
    /// The text, in Markdown (an FAQ entry's answer).
    pub body: String,
    /// The file: kept, removed, or replaced by (name, bytes).
    pub attachment: Patch<(String, Vec<u8>)>,
}

/// A material as the audit log records it: its file by name, type and size.
#[derive(Serialize)]
struct MaterialState {
    material: material::Model,
    file: Option<FileState>,
}

#[derive(Serialize)]
struct FileState {
    file_name: String,
    media_type: String,
    bytes: usize,
}

impl From<&material_file::Model> for FileState {
    fn from(f: &material_file::Model) -> Self {
        FileState {
            file_name: f.file_name.clone(),
            media_type: f.media_type.clone(),
            bytes: f.bytes.len(),
        }
    }
}

/// The checked terms: the row's columns and what to do with the file.
struct Checked {
    row: material::ActiveModel,
    attachment: Patch<Attachment>,
}

impl MaterialTerms {
    fn validate(self) -> Result<Checked, ChangeError> {
        let mut rules = Rules::new();
        let title = rules.text(self.title, "material.title", TextKind::Paragraph);
        let audience = rules.optional_text(self.audience, "material.audience", TextKind::Name);
        let tags = rules.text_list(self.tags, "material.tags", TextKind::Name, 20);
        let body = rules.parsed(
            Markdown::parse(&self.body),
            "material.body",
            "текст — Markdown без HTML и без опасных ссылок",
        );
        let attachment = match self.attachment {
            Patch::Keep => Patch::Keep,
            Patch::Clear => Patch::Clear,
            Patch::Set((name, bytes)) => rules
                .parsed(
                    Attachment::parse(&name, bytes),
                    "material.attachment",
                    "файл неизвестного типа, повреждён или слишком велик",
                )
                .map_or(Patch::Keep, Patch::Set),
        };
        rules.check()?;
        Ok(Checked {
            row: material::ActiveModel {
                kind: Set(self.kind),
                title: Set(title),
                audience: Set(audience),
                tags: Set(Tags(tags)),
                programme: Set(self.programme),
                body: Set(body.expect("no violation means it parsed")),
                updated_at: Set(chrono::Utc::now()),
                ..Default::default()
            },
            attachment,
        })
    }
}

/// Applies the file patch to material `id`; returns the file as it now is.
async fn write_file(
    db: &impl ConnectionTrait,
    id: i32,
    patch: Patch<Attachment>,
    before: Option<material_file::Model>,
) -> Result<Option<material_file::Model>, DbErr> {
    match patch {
        Patch::Keep => Ok(before),
        Patch::Clear => {
            material_file::Entity::delete_by_id(id).exec(db).await?;
            Ok(None)
        }
        Patch::Set(file) => {
            material_file::Entity::delete_by_id(id).exec(db).await?;
            let row = material_file::ActiveModel {
                material_id: Set(id),
                file_name: Set(file.file_name),
                media_type: Set(file.media_type.to_owned()),
                bytes: Set(file.bytes),
            }
            .insert(db)
            .await?;
            Ok(Some(row))
        }
    }
}

/// Adds a material to the bank of the municipality `slug`.
pub async fn record_material(
    session: Session<'_>,
    slug: String,
    terms: MaterialTerms,
) -> Result<material::Model, ChangeError> {
    let mut change = session.begin(Command::RecordMaterial).await?;
    let municipality = change.municipality(&slug).await?;
    let checked = terms.validate()?;
    let mut row = checked.row;
    row.municipality_id = Set(municipality.id);
    let row = row.insert(&*change).await?;
    let file = write_file(&*change, row.id, checked.attachment, None).await?;
    let after = MaterialState {
        file: file.as_ref().map(FileState::from),
        material: row,
    };
    change
        .finish_with::<material::Entity, _>(after.material.id, None, Some(&after))
        .await?;
    Ok(after.material)
}

/// Replaces what material `id` says, as it was at `version`.
pub async fn update_material(
    session: Session<'_>,
    id: i32,
    version: i32,
    terms: MaterialTerms,
) -> Result<material::Model, ChangeError> {
    let (change, before) = session
        .open::<material::Entity>(Command::UpdateMaterial, id, version)
        .await?;
    let checked = terms.validate()?;
    let file_before = material_file::Entity::find_by_id(id).one(&*change).await?;
    let before = MaterialState {
        file: file_before.as_ref().map(FileState::from),
        material: before,
    };
    let file_changes = !matches!(checked.attachment, Patch::Keep);
    let mut row =
        super::update_versioned::<material::Entity, _>(&*change, &before.material, checked.row)
            .await?;
    if file_changes && row.version == before.material.version {
        row = super::bump_version::<material::Entity>(&*change, &row).await?;
    }
    let file = write_file(&*change, id, checked.attachment, file_before).await?;
    let after = MaterialState {
        file: file.as_ref().map(FileState::from),
        material: row,
    };
    change
        .finish_with::<material::Entity, _>(id, Some(&before), Some(&after))
        .await?;
    Ok(after.material)
}

/// Removes material `id` from the bank.
pub async fn delete_material(
    session: Session<'_>,
    id: i32,
    version: i32,
) -> Result<material::Model, ChangeError> {
    session
        .delete::<material::Entity>(Command::DeleteMaterial, id, version)
        .await
}
