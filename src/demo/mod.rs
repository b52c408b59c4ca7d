//! The demo dataset: the five districts of the seeds, loaded into an empty database so that a
//! fresh `schoolnet serve` has something true to show.
//!
//! `dataset.toml` is written the way the seeds print things (names, «нет информации», «32,5»);
//! this module parses every value into its domain type and resolves every reference by name,
//! failing with the name it could not resolve. The whole load is one transaction.

mod dataset;

use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, TransactionTrait,
};

use crate::domain::{
    AppointmentRole, InvalidValue, MembershipRole, PartnershipKind, Percentage, SchoolKind, fold,
    search_key,
};
use crate::entities::{
    Aliases, appointment, cluster, evaluation, group_membership, municipality, organisation,
    partnership, partnership_group, person, programme_participation, region, school,
};
use dataset::Dataset;

/// The dataset, compiled in so that the binary works from any directory.
const DATASET: &str = include_str!("dataset.toml");

/// Why the demo could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The dataset file does not parse.
    #[error("the demo dataset is malformed: {0}")]
    Syntax(#[from] toml::de::Error),
    /// A value or a reference in the dataset is wrong.
    #[error("the demo dataset is inconsistent: {0}")]
    Invalid(#[from] InvalidValue),
    /// The database refused a row.
    #[error("the demo dataset could not be written: {0}")]
    Database(#[from] DbErr),
}

/// Loads the demo dataset if the database holds no region yet; says whether it did.
pub async fn load_if_empty(db: &DatabaseConnection) -> Result<bool, DemoError> {
    if region::Entity::find().count(db).await? > 0 {
        return Ok(false);
    }
    let dataset: Dataset = toml::from_str(DATASET)?;
    let txn = db.begin().await?;
    Loader::default().load(&txn, &dataset).await?;
    txn.commit().await?;
    Ok(true)
}

/// Ids of the rows written so far, by the names the dataset uses for them.
#[derive(Default)]
struct Loader {
    regions: HashMap<String, i32>,
    municipalities: HashMap<String, i32>,
    organisations: HashMap<String, i32>,
    clusters: HashMap<(i32, i32), i32>,
    /// Keyed by "municipality-slug/short name".
    schools: HashMap<String, school::Model>,
    people: HashMap<String, i32>,
}

fn unknown(what: &str, name: &str) -> InvalidValue {
    InvalidValue(format!("unknown {what} «{name}»"))
}

fn find<'a, T>(map: &'a HashMap<String, T>, what: &str, name: &str) -> Result<&'a T, InvalidValue> {
    map.get(name).ok_or_else(|| unknown(what, name))
}

impl Loader {
    async fn load(&mut self, db: &impl ConnectionTrait, data: &Dataset) -> Result<(), DemoError> {
        self.regions_and_municipalities(db, data).await?;
        self.organisations(db, data).await?;
        self.schools(db, data).await?;
        self.groups(db, data).await?;
        self.partnerships(db, data).await?;
        self.people(db, data).await?;
        self.participations(db, data).await?;
        Ok(())
    }

    fn school(&self, reference: &str) -> Result<&school::Model, InvalidValue> {
        find(&self.schools, "school", reference)
    }

    fn school_in(&self, municipality: &str, name: &str) -> Result<&school::Model, InvalidValue> {
        self.school(&format!("{municipality}/{name}"))
    }

    async fn regions_and_municipalities(
        &mut self,
        db: &impl ConnectionTrait,
        data: &Dataset,
    ) -> Result<(), DemoError> {
        for r in &data.region {
            let row = region::ActiveModel {
                slug: Set(r.slug.clone()),
                name: Set(r.name.clone()),
                ..Default::default()
            }
            .insert(db)
            .await?;
            self.regions.insert(r.slug.clone(), row.id);
        }
        for m in &data.municipality {
            let share = m
                .regional_low_results_share
                .as_deref()
                .map(Percentage::parse)
                .transpose()?;
            let row = municipality::ActiveModel {
                region_id: Set(*find(&self.regions, "region", &m.region)?),
                slug: Set(m.slug.clone()),
                name: Set(m.name.clone()),
                short_name: Set(m.short_name.clone()),
                school_count: Set(m.school_count),
                regional_low_results_share: Set(share),
                ..Default::default()
            }
            .insert(db)
            .await?;
            self.municipalities.insert(m.slug.clone(), row.id);
        }
        Ok(())
    }

    async fn organisations(
        &mut self,
        db: &impl ConnectionTrait,
        data: &Dataset,
    ) -> Result<(), DemoError> {
        for o in &data.organisation {
            let municipality_id = o
                .municipality
                .as_deref()
                .map(|slug| find(&self.municipalities, "municipality", slug).copied())
                .transpose()?;
            let row = organisation::ActiveModel {
                municipality_id: Set(municipality_id),
                kind: Set(o.kind),
                name: Set(o.name.clone()),
                short_name: Set(o.short_name.clone()),
                aliases: Set(Aliases(o.aliases.clone())),
                ..Default::default()
            }
            .insert(db)
            .await?;
            if self.organisations.insert(o.name.clone(), row.id).is_some() {
                return Err(
                    InvalidValue(format!("organisation «{}» is listed twice", o.name)).into(),
                );
            }
        }
        Ok(())
    }

    async fn cluster(
        &mut self,
        db: &impl ConnectionTrait,
        municipality_id: i32,
        number: i32,
    ) -> Result<i32, DbErr> {
        if let Some(id) = self.clusters.get(&(municipality_id, number)) {
            return Ok(*id);
        }
        let row = cluster::ActiveModel {
            municipality_id: Set(municipality_id),
            number: Set(number),
            ..Default::default()
        }
        .insert(db)
        .await?;
        self.clusters.insert((municipality_id, number), row.id);
        Ok(row.id)
    }

    async fn schools(
        &mut self,
        db: &impl ConnectionTrait,
        data: &Dataset,
    ) -> Result<(), DemoError> {
        for s in &data.school {
            let municipality_id = *find(&self.municipalities, "municipality", &s.municipality)?;
            let cluster_id = match s.cluster {
                Some(number) => Some(self.cluster(db, municipality_id, number).await?),
                None => None,
            };
            let parent_school_id = s
                .parent
                .as_deref()
                .map(|name| self.school_in(&s.municipality, name).map(|p| p.id))
                .transpose()?;
            let spellings = [s.name.as_str(), s.full_name.as_str()]
                .into_iter()
                .chain(s.aliases.iter().map(String::as_str));
            let row = school::ActiveModel {
                municipality_id: Set(municipality_id),
                name: Set(s.name.clone()),
                full_name: Set(s.full_name.clone()),
                legal_form: Set(s.legal_form.clone()),
                kind: Set(SchoolKind::from_name(&s.name)?),
                parent_school_id: Set(parent_school_id),
                cluster_id: Set(cluster_id),
                aliases: Set(Aliases(s.aliases.clone())),
                search_key: Set(search_key(spellings)),
                name_key: Set(fold(&s.name)),
                ..Default::default()
            }
            .insert(db)
            .await?;
            crate::changes::spellings::record(db, &row).await?;
            for e in &s.evaluations {
                let (quality, wellbeing) = e.parse()?;
                evaluation::ActiveModel {
                    school_id: Set(row.id),
                    year: Set(e.year()),
                    quality_group: Set(quality.group()),
                    quality_group_absence: Set(quality.absence()),
                    quality_level: Set(quality.level()),
                    wellbeing_group: Set(wellbeing.group()),
                    wellbeing_group_absence: Set(wellbeing.absence()),
                    wellbeing_level: Set(wellbeing.level()),
                    ..Default::default()
                }
                .insert(db)
                .await?;
            }
            let key = format!("{}/{}", s.municipality, s.name);
            if self.schools.insert(key.clone(), row).is_some() {
                return Err(InvalidValue(format!("school «{key}» is listed twice")).into());
            }
        }
        Ok(())
    }

    async fn groups(&mut self, db: &impl ConnectionTrait, data: &Dataset) -> Result<(), DemoError> {
        for g in &data.group {
            let group = partnership_group::ActiveModel {
                municipality_id: Set(*find(
                    &self.municipalities,
                    "municipality",
                    &g.municipality,
                )?),
                number: Set(g.number),
                ..Default::default()
            }
            .insert(db)
            .await?;
            let roles = g
                .resource_centres
                .iter()
                .map(|name| (name, MembershipRole::ResourceCentre))
                .chain(g.members.iter().map(|name| (name, MembershipRole::Member)));
            for (name, role) in roles {
                group_membership::ActiveModel {
                    group_id: Set(group.id),
                    school_id: Set(self.school_in(&g.municipality, name)?.id),
                    role: Set(role),
                    ..Default::default()
                }
                .insert(db)
                .await?;
            }
        }
        Ok(())
    }

    async fn partnerships(
        &mut self,
        db: &impl ConnectionTrait,
        data: &Dataset,
    ) -> Result<(), DemoError> {
        for p in &data.partnership {
            let partner_organisation_id = p
                .partner_organisation
                .as_deref()
                .map(|name| find(&self.organisations, "organisation", name).copied())
                .transpose()?;
            let partner_school_id = p
                .partner_school
                .as_deref()
                .map(|name| self.school(name).map(|s| s.id))
                .transpose()?;
            partnership::ActiveModel {
                kind: Set(p.kind),
                school_id: Set(self.school(&p.school)?.id),
                partner_school_id: Set(partner_school_id),
                partner_organisation_id: Set(partner_organisation_id),
                starts_on: Set(p.starts_on),
                ends_on: Set(p.ends_on),
                document: Set(p.document.clone()),
                description: Set(p.description.clone()),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
        // A base school supports every school of its municipality's programme list.
        for b in &data.base_school {
            let base = self.school(&b.school)?;
            let (slug, _) = b.school.split_once('/').unwrap_or_default();
            for list in data
                .programme_list
                .iter()
                .filter(|l| l.municipality == slug)
            {
                if list.programme != b.programme {
                    continue;
                }
                for name in &list.schools {
                    partnership::ActiveModel {
                        kind: Set(PartnershipKind::BaseSite),
                        school_id: Set(self.school_in(slug, name)?.id),
                        partner_school_id: Set(Some(base.id)),
                        description: Set(Some(b.description.clone())),
                        ..Default::default()
                    }
                    .insert(db)
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn people(&mut self, db: &impl ConnectionTrait, data: &Dataset) -> Result<(), DemoError> {
        for p in &data.person {
            let workplace_school_id = p
                .school
                .as_deref()
                .map(|name| self.school(name).map(|s| s.id))
                .transpose()?;
            let workplace_organisation_id = p
                .organisation
                .as_deref()
                .map(|name| find(&self.organisations, "organisation", name).copied())
                .transpose()?;
            let person = person::ActiveModel {
                full_name: Set(p.full_name.clone()),
                position: Set(p.position.clone()),
                workplace_school_id: Set(workplace_school_id),
                workplace_organisation_id: Set(workplace_organisation_id),
                ..Default::default()
            }
            .insert(db)
            .await?;
            self.people.insert(p.full_name.clone(), person.id);
            for a in &p.appointments {
                let school = a
                    .school
                    .as_deref()
                    .map(|name| self.school(name))
                    .transpose()?;
                let municipality_id = match (&a.municipality, school) {
                    (Some(slug), _) => *find(&self.municipalities, "municipality", slug)?,
                    (None, Some(school)) => school.municipality_id,
                    (None, None) => {
                        return Err(InvalidValue(format!(
                            "an appointment of «{}» names neither a school nor a municipality",
                            p.full_name
                        ))
                        .into());
                    }
                };
                if a.role != AppointmentRole::Director && a.programme.is_none() {
                    return Err(InvalidValue(format!(
                        "the {:?} appointment of «{}» names no programme",
                        a.role, p.full_name
                    ))
                    .into());
                }
                appointment::ActiveModel {
                    person_id: Set(person.id),
                    role: Set(a.role),
                    programme: Set(a.programme),
                    municipality_id: Set(municipality_id),
                    school_id: Set(school.map(|s| s.id)),
                    starts_on: Set(a.starts_on),
                    ends_on: Set(a.ends_on),
                    ..Default::default()
                }
                .insert(db)
                .await?;
            }
        }
        Ok(())
    }

    async fn participations(
        &mut self,
        db: &impl ConnectionTrait,
        data: &Dataset,
    ) -> Result<(), DemoError> {
        let listed = data
            .programme_list
            .iter()
            .flat_map(dataset::ProgrammeList::entries);
        for p in data.participation.iter().cloned().chain(listed) {
            programme_participation::ActiveModel {
                school_id: Set(self.school(&p.school)?.id),
                programme: Set(p.programme),
                included_on: Set(p.included_on),
                excluded_on: Set(p.excluded_on),
                exclusion_justification: Set(p
                    .exclusion_justification
                    .map(|t| t.trim().to_owned())),
                risk_group: Set(p.risk_group),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
        Ok(())
    }
}
