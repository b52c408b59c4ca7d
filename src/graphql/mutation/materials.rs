//! The methodological bank.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};
use base64::Engine;

use super::{id_argument, patch, run};
use crate::changes::materials::{MaterialTerms, delete_material, record_material, update_material};
use crate::changes::{ChangeError, Patch, Rules};
use crate::domain::{MaterialKind, Programme};
use crate::graphql::ids::Kind;
use crate::graphql::types::Material;

/// A file to attach.
#[derive(InputObject)]
pub struct AttachmentInput {
    /// The file name, with its extension: `кейс.pdf`.
    file_name: String,
    /// The contents, base64-encoded (at most 512 KiB of file).
    content_base64: String,
}

/// What a material says.
#[derive(InputObject)]
pub struct MaterialInput {
    /// What it is.
    kind: MaterialKind,
    /// Its title; an FAQ entry's question.
    title: String,
    /// Для кого.
    audience: Option<String>,
    /// Its tags.
    #[graphql(default)]
    tags: Vec<String>,
    /// The programme it is for.
    programme: Option<Programme>,
    /// The text in Markdown (no raw HTML); an FAQ entry's answer.
    body: String,
    /// The file: omitted keeps it, null removes it, a file replaces it.
    attachment: MaybeUndefined<AttachmentInput>,
}

impl MaterialInput {
    fn terms(self) -> Result<MaterialTerms, ChangeError> {
        let attachment = match patch(self.attachment) {
            Patch::Keep => Patch::Keep,
            Patch::Clear => Patch::Clear,
            Patch::Set(file) => {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(file.content_base64.trim())
                    .map_err(|_| {
                        let mut rules = Rules::new();
                        rules.require(
                            false,
                            "material.attachment",
                            "the contents are not base64",
                            "содержимое файла не в base64",
                        );
                        ChangeError::Invalid(rules.check().expect_err("just recorded"))
                    })?;
                Patch::Set((file.file_name, bytes))
            }
        };
        Ok(MaterialTerms {
            kind: self.kind,
            title: self.title,
            audience: self.audience,
            tags: self.tags,
            programme: self.programme,
            body: self.body,
            attachment,
        })
    }
}

/// Mutations of the methodological bank.
#[derive(Default)]
pub struct MaterialMutations;

#[Object]
impl MaterialMutations {
    /// Adds a material to a municipality's bank (admin, or its coordinator).
    async fn record_material(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The municipality's slug.")] municipality: String,
        #[graphql(desc = "The material.")] material: MaterialInput,
    ) -> Result<Material> {
        run(
            ctx,
            |s| async move { record_material(s, municipality, material.terms()?).await },
            Material,
        )
        .await
    }

    /// Replaces what a material says; its `updatedAt` becomes now.
    async fn update_material(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The material's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
        #[graphql(desc = "The material.")] material: MaterialInput,
    ) -> Result<Material> {
        run(
            ctx,
            |s| async move {
                let id = id_argument(Kind::Material, &id)?;
                update_material(s, id, version, material.terms()?).await
            },
            Material,
        )
        .await
    }

    /// Removes a material from the bank; returns it as it was.
    async fn delete_material(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The material's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
    ) -> Result<Material> {
        run(
            ctx,
            |s| async move { delete_material(s, id_argument(Kind::Material, &id)?, version).await },
            Material,
        )
        .await
    }
}
