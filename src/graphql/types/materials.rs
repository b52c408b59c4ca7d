//! The methodological bank: materials with their text as written and as HTML, and their file.

use async_graphql::{Context, ID, Object, Result, SimpleObject};

use super::Municipality;
use crate::domain::{MaterialKind, Programme};
use crate::entities::material;
use crate::graphql::ids::{Kind, encode};
use crate::graphql::loaders::*;
use crate::graphql::{load_one, load_required};

/// A file attached to a material.
#[derive(SimpleObject)]
pub struct MaterialFile {
    /// The file name.
    file_name: String,
    /// Its media type: `application/pdf`.
    media_type: String,
    /// Its size in bytes.
    size: i32,
}

/// The row behind the GraphQL `Material` object, described on its resolvers.
pub struct Material(pub material::Model);

/// A material of the methodological bank (seed 000, decisions 3 and 9).
#[Object]
impl Material {
    /// The global id.
    pub async fn id(&self) -> ID {
        encode(Kind::Material, self.0.id)
    }

    /// The row version: name it when changing this object; every change bumps it.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The municipality whose bank it is in.
    async fn municipality(&self, ctx: &Context<'_>) -> Result<Municipality> {
        load_required(ctx, MunicipalityById(self.0.municipality_id))
            .await
            .map(Municipality)
    }

    /// What it is.
    async fn kind(&self) -> MaterialKind {
        self.0.kind
    }

    /// Its title; an FAQ entry's question.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Для кого.
    async fn audience(&self) -> Option<&str> {
        self.0.audience.as_deref()
    }

    /// Its tags.
    async fn tags(&self) -> &[String] {
        &self.0.tags.0
    }

    /// The programme it is for.
    async fn programme(&self) -> Option<Programme> {
        self.0.programme
    }

    /// The text as written, in Markdown; an FAQ entry's answer.
    async fn body(&self) -> &str {
        self.0.body.as_str()
    }

    /// The text as HTML, safe to show: the source has no raw HTML and every character is
    /// escaped.
    async fn body_html(&self) -> String {
        self.0.body.to_html(&self.0.title)
    }

    /// When its text last changed.
    async fn updated_at(&self) -> chrono::DateTime<chrono::Utc> {
        self.0.updated_at
    }

    /// The attached file; its bytes are on the published site.
    async fn file(&self, ctx: &Context<'_>) -> Result<Option<MaterialFile>> {
        let file = load_one(ctx, FileOfMaterial(self.0.id)).await?;
        Ok(file.map(|f| MaterialFile {
            size: i32::try_from(f.bytes.len()).unwrap_or(i32::MAX),
            file_name: f.file_name,
            media_type: f.media_type,
        }))
    }
}
