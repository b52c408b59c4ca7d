//! Regions, municipalities and organisations: the frame the schools sit in.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::ExprTrait;

use super::{id_argument, patched, run};
use crate::auth::policy::Scope;
use crate::changes::{ChangeError, Command, Rules, Session, update_versioned};
use crate::domain::{OrganisationKind, Percentage, TextKind};
use crate::entities::{Aliases, municipality, organisation, region};
use crate::graphql::ids::Kind;
use crate::graphql::types::{Municipality, Organisation, Region};

/// A slug is what URLs and filters use: lower-case Latin letters, digits and hyphens.
fn slug(rules: &mut Rules, value: &str, field: &str) {
    let word = |w: &str| {
        !w.is_empty()
            && w.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    rules.require(
        value.len() <= 64 && value.split('-').all(word),
        field,
        "a slug is up to 64 lower-case Latin letters and digits, words joined by single hyphens: `labinsky`, `go-irbit`",
        "краткое имя для адресов — до 64 строчных латинских букв и цифр, слова через один дефис: `labinsky`, `go-irbit`",
    );
}

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

/// Checks the published figures of a municipality.
fn figures(rules: &mut Rules, school_count: Option<i32>, share: Option<f64>) -> Option<Percentage> {
    if let Some(count) = school_count {
        rules.require(
            count > 0,
            "input.schoolCount",
            "the school count is positive",
            "число школ должно быть положительным",
        );
    }
    share.and_then(|percent| {
        rules.parsed(
            Percentage::from_permille((percent * 10.0).round() as i64),
            "input.regionalLowResultsShare",
            "доля должна быть от 0 до 100 %",
        )
    })
}

async fn create_region(
    session: Session<'_>,
    slug_text: String,
    name: String,
) -> Result<region::Model, ChangeError> {
    let mut change = session.begin(Command::CreateRegion).await?;
    change.authorise(Scope::untied()).await?;
    let mut rules = Rules::new();
    slug(&mut rules, &slug_text, "slug");
    let name = rules.text(name, "name", TextKind::Name);
    let taken = region::Entity::find()
        .filter(
            region::Column::Slug
                .eq(&slug_text)
                .or(region::Column::Name.eq(&name)),
        )
        .one(&*change)
        .await?;
    rules.require(
        taken.is_none(),
        "slug",
        "a region has this slug or name already",
        "такой регион уже есть",
    );
    rules.check()?;
    let row = region::ActiveModel {
        slug: Set(slug_text),
        name: Set(name),
        ..Default::default()
    }
    .insert(&*change)
    .await?;
    change
        .finish_with::<region::Entity, _>(row.id, None, Some(&row))
        .await?;
    Ok(row)
}

async fn create_municipality(
    session: Session<'_>,
    input: CreateMunicipalityInput,
) -> Result<municipality::Model, ChangeError> {
    let mut change = session.begin(Command::CreateMunicipality).await?;
    change.authorise(Scope::untied()).await?;
    let mut rules = Rules::new();
    let region = region::Entity::find()
        .filter(region::Column::Slug.eq(&input.region))
        .one(&*change)
        .await?;
    rules.require(
        region.is_some(),
        "input.region",
        "no region has this slug",
        "региона с таким кратким именем нет",
    );
    slug(&mut rules, &input.slug, "input.slug");
    let name = rules.text(input.name, "input.name", TextKind::Name);
    let short_name = rules.text(input.short_name, "input.shortName", TextKind::Name);
    let taken = municipality::Entity::find()
        .filter(
            municipality::Column::Slug
                .eq(&input.slug)
                .or(municipality::Column::Name.eq(&name)),
        )
        .one(&*change)
        .await?;
    rules.require(
        taken.is_none(),
        "input.slug",
        "a municipality has this slug or name already",
        "такой муниципалитет уже есть",
    );
    let share = figures(
        &mut rules,
        input.school_count,
        input.regional_low_results_share,
    );
    rules.check()?;
    let row = municipality::ActiveModel {
        region_id: Set(region.expect("checked").id),
        slug: Set(input.slug),
        name: Set(name),
        short_name: Set(short_name),
        school_count: Set(input.school_count),
        regional_low_results_share: Set(share),
        ..Default::default()
    }
    .insert(&*change)
    .await?;
    change
        .finish::<municipality::Entity>(row.id, None, Some(&row))
        .await?;
    Ok(row)
}

async fn update_municipality(
    session: Session<'_>,
    id: i32,
    version: i32,
    input: UpdateMunicipalityInput,
) -> Result<municipality::Model, ChangeError> {
    let (change, before) = session
        .open::<municipality::Entity>(Command::UpdateMunicipality, id, version)
        .await?;
    let mut rules = Rules::new();
    let name = rules.text(
        input.name.unwrap_or_else(|| before.name.clone()),
        "input.name",
        TextKind::Name,
    );
    let short_name = rules.text(
        input
            .short_name
            .unwrap_or_else(|| before.short_name.clone()),
        "input.shortName",
        TextKind::Name,
    );
    let school_count = patched(input.school_count, before.school_count);
    let share = match input.regional_low_results_share {
        MaybeUndefined::Undefined => before.regional_low_results_share,
        MaybeUndefined::Null => None,
        MaybeUndefined::Value(percent) => figures(&mut rules, None, Some(percent)),
    };
    figures(&mut rules, school_count, None);
    rules.check()?;
    let changes = municipality::ActiveModel {
        name: Set(name),
        short_name: Set(short_name),
        school_count: Set(school_count),
        regional_low_results_share: Set(share),
        ..Default::default()
    };
    let after = update_versioned::<municipality::Entity, _>(&*change, id, version, changes).await?;
    change
        .finish::<municipality::Entity>(after.id, Some(&before), Some(&after))
        .await?;
    Ok(after)
}

async fn create_organisation(
    session: Session<'_>,
    input: OrganisationInput,
) -> Result<organisation::Model, ChangeError> {
    let mut change = session.begin(Command::CreateOrganisation).await?;
    let municipality_id = match &input.municipality {
        Some(slug) => {
            let id = municipality::Entity::find()
                .filter(municipality::Column::Slug.eq(slug))
                .one(&*change)
                .await?
                .ok_or(ChangeError::NotFound {
                    entity: "Municipality",
                    id: slug.clone(),
                })?
                .id;
            Some(id)
        }
        None => None,
    };
    change.authorise(Scope::of(municipality_id)).await?;
    let mut rules = Rules::new();
    let name = rules.text(input.name, "input.name", TextKind::Name);
    let short_name = rules.text(input.short_name, "input.shortName", TextKind::Name);
    let aliases = rules.aliases(input.aliases);
    let taken = organisation::Entity::find()
        .filter(organisation::Column::Name.eq(&name))
        .one(&*change)
        .await?;
    rules.require(
        taken.is_none(),
        "input.name",
        "an organisation has this name already",
        "организация с таким названием уже есть",
    );
    rules.check()?;
    let row = organisation::ActiveModel {
        municipality_id: Set(municipality_id),
        kind: Set(input.kind),
        name: Set(name),
        short_name: Set(short_name),
        aliases: Set(Aliases(aliases)),
        ..Default::default()
    }
    .insert(&*change)
    .await?;
    change
        .finish::<organisation::Entity>(row.id, None, Some(&row))
        .await?;
    Ok(row)
}

async fn update_organisation(
    session: Session<'_>,
    id: i32,
    version: i32,
    input: UpdateOrganisationInput,
) -> Result<organisation::Model, ChangeError> {
    let (change, before) = session
        .open::<organisation::Entity>(Command::UpdateOrganisation, id, version)
        .await?;
    let mut rules = Rules::new();
    let name = rules.text(
        input.name.unwrap_or_else(|| before.name.clone()),
        "input.name",
        TextKind::Name,
    );
    let short_name = rules.text(
        input
            .short_name
            .unwrap_or_else(|| before.short_name.clone()),
        "input.shortName",
        TextKind::Name,
    );
    let aliases = rules.aliases(input.aliases.unwrap_or_else(|| before.aliases.0.clone()));
    let taken = organisation::Entity::find()
        .filter(organisation::Column::Name.eq(&name))
        .filter(organisation::Column::Id.ne(id))
        .one(&*change)
        .await?;
    rules.require(
        taken.is_none(),
        "input.name",
        "an organisation has this name already",
        "организация с таким названием уже есть",
    );
    rules.check()?;
    let changes = organisation::ActiveModel {
        kind: Set(input.kind.unwrap_or(before.kind)),
        name: Set(name),
        short_name: Set(short_name),
        aliases: Set(Aliases(aliases)),
        ..Default::default()
    };
    let after = update_versioned::<organisation::Entity, _>(&*change, id, version, changes).await?;
    change
        .finish::<organisation::Entity>(id, Some(&before), Some(&after))
        .await?;
    Ok(after)
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
        run(ctx, |s| create_municipality(s, input), Municipality).await
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
                update_municipality(s, id_argument(Kind::Municipality, &id)?, version, input).await
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
                update_organisation(s, id_argument(Kind::Organisation, &id)?, version, input).await
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
        run(ctx, |s| create_organisation(s, input), Organisation).await
    }
}
