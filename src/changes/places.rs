//! Regions, municipalities and organisations: the frame the schools sit in.

use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::ExprTrait;

use super::{ChangeError, Command, Patch, Rules, Session, update_versioned};
use crate::auth::policy::Scope;
use crate::domain::{OrganisationKind, Percentage, TextKind};
use crate::entities::{Aliases, municipality, organisation, region};

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
pub struct NewMunicipality {
    /// The region's slug.
    pub region: String,
    /// For URLs and filters: `labinsky`.
    pub slug: String,
    /// The name the authority writes: «Лабинский район».
    pub name: String,
    /// The short name: «Лабинский».
    pub short_name: String,
    /// The published total of schools.
    pub school_count: Option<i32>,
    /// The published regional average share of ШНОР, in percent.
    pub regional_low_results_share: Option<f64>,
}

/// Changes to a municipality.
pub struct MunicipalityChanges {
    /// The name.
    pub name: Option<String>,
    /// The short name.
    pub short_name: Option<String>,
    /// The published total of schools.
    pub school_count: Patch<i32>,
    /// The published regional average share of ШНОР, in percent.
    pub regional_low_results_share: Patch<f64>,
}

/// A new organisation.
pub struct NewOrganisation {
    /// The municipality's slug; omitted for regional and federal bodies (admins only).
    pub municipality: Option<String>,
    /// What it is.
    pub kind: OrganisationKind,
    /// The name as documents print it.
    pub name: String,
    /// The abbreviation.
    pub short_name: String,
    /// Other spellings.
    pub aliases: Vec<String>,
}

/// Changes to an organisation.
pub struct OrganisationChanges {
    /// What it is.
    pub kind: Option<OrganisationKind>,
    /// The name as documents print it.
    pub name: Option<String>,
    /// The abbreviation.
    pub short_name: Option<String>,
    /// Other spellings (replaces the list).
    pub aliases: Option<Vec<String>>,
}

/// A name and a short name as they will be after a change (given, or kept as they are),
/// cleaned.
fn names(
    rules: &mut Rules,
    given: (Option<String>, Option<String>),
    current: (&str, &str),
) -> (String, String) {
    let name = given.0.unwrap_or_else(|| current.0.to_owned());
    let short_name = given.1.unwrap_or_else(|| current.1.to_owned());
    (
        rules.text(name, "input.name", TextKind::Name),
        rules.text(short_name, "input.shortName", TextKind::Name),
    )
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

/// Adds a region (admins).
pub async fn create_region(
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

/// Adds a municipality (admins).
pub async fn create_municipality(
    session: Session<'_>,
    input: NewMunicipality,
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

/// Changes the municipality `id` as it was at `version`.
pub async fn update_municipality(
    session: Session<'_>,
    id: i32,
    version: i32,
    input: MunicipalityChanges,
) -> Result<municipality::Model, ChangeError> {
    let (change, before) = session
        .open::<municipality::Entity>(Command::UpdateMunicipality, id, version)
        .await?;
    let mut rules = Rules::new();
    let (name, short_name) = names(
        &mut rules,
        (input.name, input.short_name),
        (&before.name, &before.short_name),
    );
    let school_count = input.school_count.apply(before.school_count);
    let share = match input.regional_low_results_share {
        Patch::Keep => before.regional_low_results_share,
        Patch::Clear => None,
        Patch::Set(percent) => figures(&mut rules, None, Some(percent)),
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
    let after = update_versioned::<municipality::Entity, _>(&*change, &before, changes).await?;
    change
        .finish::<municipality::Entity>(after.id, Some(&before), Some(&after))
        .await?;
    Ok(after)
}

/// Adds an organisation: of a municipality, or regional (admins).
pub async fn create_organisation(
    session: Session<'_>,
    input: NewOrganisation,
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

/// Changes the organisation `id` as it was at `version`.
pub async fn update_organisation(
    session: Session<'_>,
    id: i32,
    version: i32,
    input: OrganisationChanges,
) -> Result<organisation::Model, ChangeError> {
    let (change, before) = session
        .open::<organisation::Entity>(Command::UpdateOrganisation, id, version)
        .await?;
    let mut rules = Rules::new();
    let (name, short_name) = names(
        &mut rules,
        (input.name, input.short_name),
        (&before.name, &before.short_name),
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
    let after = update_versioned::<organisation::Entity, _>(&*change, &before, changes).await?;
    change
        .finish::<organisation::Entity>(id, Some(&before), Some(&after))
        .await?;
    Ok(after)
}
