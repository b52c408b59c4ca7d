//! The mutations of regions, municipalities and organisations: they read the input, and
//! `changes::places` does the rest.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};

use super::{id_argument, patch, run};
use crate::changes::places::{
    MunicipalityChanges, NewMunicipality, NewOrganisation, OrganisationChanges,
    create_municipality, create_organisation, create_region, update_municipality,
    update_organisation,
};
use crate::domain::OrganisationKind;
use crate::graphql::ids::Kind;
use crate::graphql::types::{Municipality, Organisation, Region};

/// A new municipality.
#[derive(InputObject)]
pub struct CreateMunicipalityInput {
    /// The region's slug.
    region: String,
    /// For URLs and filters: `labinsky`.
    slug: String,
    /// The name the authority writes: «Лабинский район».
    name: String,
    /// The short name: «Лабинский».
    short_name: String,
    /// The published total of schools.
    school_count: Option<i32>,
    /// The published regional average share of ШНОР, in percent.
    regional_low_results_share: Option<f64>,
}

/// Changes to a municipality.
#[derive(InputObject)]
pub struct UpdateMunicipalityInput {
    /// The name.
    name: Option<String>,
    /// The short name.
    short_name: Option<String>,
    /// The published total of schools.
    school_count: MaybeUndefined<i32>,
    /// The published regional average share of ШНОР, in percent.
    regional_low_results_share: MaybeUndefined<f64>,
}

/// A new organisation.
#[derive(InputObject)]
pub struct OrganisationInput {
    /// The municipality's slug; omitted for regional and federal bodies (admins only).
    municipality: Option<String>,
    /// What it is.
    kind: OrganisationKind,
    /// The name as documents print it.
    name: String,
    /// The abbreviation.
    short_name: String,
    /// Other spellings.
    #[graphql(default)]
    aliases: Vec<String>,
}

/// Changes to an organisation.
#[derive(InputObject)]
pub struct UpdateOrganisationInput {
    /// What it is.
    kind: Option<OrganisationKind>,
    /// The name as documents print it.
    name: Option<String>,
    /// The abbreviation.
    short_name: Option<String>,
    /// Other spellings (replaces the list).
    aliases: Option<Vec<String>>,
}

impl From<CreateMunicipalityInput> for NewMunicipality {
    fn from(input: CreateMunicipalityInput) -> Self {
        NewMunicipality {
            region: input.region,
            slug: input.slug,
            name: input.name,
            short_name: input.short_name,
            school_count: input.school_count,
            regional_low_results_share: input.regional_low_results_share,
        }
    }
}

impl From<UpdateMunicipalityInput> for MunicipalityChanges {
    fn from(input: UpdateMunicipalityInput) -> Self {
        MunicipalityChanges {
            name: input.name,
            short_name: input.short_name,
            school_count: patch(input.school_count),
            regional_low_results_share: patch(input.regional_low_results_share),
        }
    }
}

impl From<OrganisationInput> for NewOrganisation {
    fn from(input: OrganisationInput) -> Self {
        NewOrganisation {
            municipality: input.municipality,
            kind: input.kind,
            name: input.name,
            short_name: input.short_name,
            aliases: input.aliases,
        }
    }
}

impl From<UpdateOrganisationInput> for OrganisationChanges {
    fn from(input: UpdateOrganisationInput) -> Self {
        OrganisationChanges {
            kind: input.kind,
            name: input.name,
            short_name: input.short_name,
            aliases: input.aliases,
        }
    }
}

/// Mutations of regions, municipalities and organisations.
#[derive(Default)]
pub struct PlaceMutations;

#[Object]
impl PlaceMutations {
    /// Adds a region (admins only).
    async fn create_region(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "For URLs: `tomskaya-oblast`.")] slug: String,
        #[graphql(desc = "The name: «Томская область».")] name: String,
    ) -> Result<Region> {
        run(ctx, |s| create_region(s, slug, name), Region).await
    }

    /// Adds a municipality (admins only).
    async fn create_municipality(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to record.")] input: CreateMunicipalityInput,
    ) -> Result<Municipality> {
        run(ctx, |s| create_municipality(s, input.into()), Municipality).await
    }

    /// Changes a municipality's names and published figures (admin or its coordinator).
    async fn update_municipality(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The municipality's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
        #[graphql(desc = "What to record.")] input: UpdateMunicipalityInput,
    ) -> Result<Municipality> {
        run(
            ctx,
            |s| async move {
                update_municipality(
                    s,
                    id_argument(Kind::Municipality, &id)?,
                    version,
                    input.into(),
                )
                .await
            },
            Municipality,
        )
        .await
    }

    /// Changes an organisation (admin, or the coordinator of its municipality).
    async fn update_organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organisation's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
        #[graphql(desc = "What to change.")] input: UpdateOrganisationInput,
    ) -> Result<Organisation> {
        run(
            ctx,
            |s| async move {
                update_organisation(
                    s,
                    id_argument(Kind::Organisation, &id)?,
                    version,
                    input.into(),
                )
                .await
            },
            Organisation,
        )
        .await
    }

    /// Adds an organisation: of a municipality (admin or its coordinator), or regional or
    /// federal (admins only).
    async fn create_organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to record.")] input: OrganisationInput,
    ) -> Result<Organisation> {
        run(ctx, |s| create_organisation(s, input.into()), Organisation).await
    }
}
