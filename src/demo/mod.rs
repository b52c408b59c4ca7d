//! The demo dataset: the five districts of the seeds, loaded into an empty database so that a
//! fresh `schoolnet serve` has something true to show.
//!
//! `dataset.toml` is written the way the seeds print things (names, «нет информации», «32,5»);
//! this module parses every value into its domain type, resolves every reference by name
//! (failing with the name it could not resolve) and writes every record through the same
//! commands as the API, so the demo obeys every rule the API enforces; the audit log names the
//! actor «система / демо-данные». The whole load is one transaction: all of it or nothing.

mod dataset;

use std::collections::HashMap;

use sea_orm::{DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, TransactionTrait};

use crate::auth::Actor;
use crate::changes::Patch;
use crate::changes::deficits::{DeficitCounts, DeficitKey, record_competency_deficit};
use crate::changes::evaluations::{Groups, record_evaluation};
use crate::changes::groups::{Members, create_partnership_group};
use crate::changes::identification::{DecisionTerms, record_identification_decision};
use crate::changes::materials::{MaterialTerms, record_material};
use crate::changes::meetings::{Protocol, record_meeting};
use crate::changes::partnerships::{NewPartnership, create_partnership};
use crate::changes::people::{NewAppointment, NewPerson, appoint, create_person, end_appointment};
use crate::changes::places::{
    NewMunicipality, NewOrganisation, create_municipality, create_organisation, create_region,
};
use crate::changes::plans::{MeasureTerms, PlanOwner, PlanTerms, add_measure, create_plan};
use crate::changes::programmes::{Inclusion, exclude_from_programme, include_in_programme};
use crate::changes::results::{Figures, ResultKey, record_result};
use crate::changes::risk_profiles::{ProfileTerms, record_risk_profile};
use crate::changes::schools::{NewSchool, create_school};
use crate::changes::{ChangeError, Rules, Session, Target, WriteGate};
use crate::domain::{InvalidValue, Mean, PartnershipKind, Percentage, Rated};
use crate::entities::region;
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
    /// A record breaks a rule of the change layer.
    #[error("the demo dataset breaks a rule: {0}")]
    Refused(#[from] ChangeError),
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
    let (actor, gate) = (Actor::system(), WriteGate::default());
    let session = Session {
        target: Target::Within(&txn),
        gate: &gate,
        actor: &actor,
        notices: None,
    };
    Loader::default().load(session, &dataset).await?;
    txn.commit().await?;
    Ok(true)
}

/// Ids of the records written so far, by the names the dataset uses for them.
#[derive(Default)]
struct Loader {
    organisations: HashMap<String, i32>,
    /// Keyed by "municipality-slug/short name".
    schools: HashMap<String, i32>,
}

fn unknown(what: &str, name: &str) -> InvalidValue {
    InvalidValue(format!("unknown {what} «{name}»"))
}

fn find(map: &HashMap<String, i32>, what: &str, name: &str) -> Result<i32, InvalidValue> {
    map.get(name).copied().ok_or_else(|| unknown(what, name))
}

/// A published group as the evaluation command reads it.
fn groups(quality: Rated, wellbeing: Rated) -> Groups {
    let number = |rated: Rated| rated.group().map(|g| i32::from(g.get()));
    Groups {
        quality_group: number(quality),
        quality_group_absence: quality.absence(),
        quality_level: quality.level(),
        wellbeing_group: number(wellbeing),
        wellbeing_group_absence: wellbeing.absence(),
        wellbeing_level: wellbeing.level(),
    }
}

impl Loader {
    async fn load(&mut self, session: Session<'_>, data: &Dataset) -> Result<(), DemoError> {
        self.places(session, data).await?;
        self.schools(session, data).await?;
        self.groups(session, data).await?;
        self.partnerships(session, data).await?;
        self.people(session, data).await?;
        self.participations(session, data).await?;
        self.results(session, data).await?;
        self.deficits(session, data).await?;
        self.decisions(session, data).await?;
        for p in &data.risk_profile {
            let terms = ProfileTerms {
                risk_group: p.risk_group.clone(),
                factors: p.factors.iter().map(|&n| (n, None)).collect(),
            };
            record_risk_profile(session, self.school(&p.school)?, p.year, terms).await?;
        }
        for m in &data.meeting {
            let protocol = Protocol {
                title: m.title.clone(),
                held_on: m.held_on,
                agenda: m.agenda.clone(),
                speakers: m.speakers.clone(),
                annexes: m.annexes.clone(),
                decisions: m.decisions.clone(),
                vote: m.vote.clone(),
                chair: m.chair.clone(),
            };
            record_meeting(session, m.municipality.clone(), protocol).await?;
        }
        self.plans(session, data).await?;
        for m in &data.material {
            let terms = MaterialTerms {
                kind: m.kind,
                title: m.title.clone(),
                audience: m.audience.clone(),
                tags: m.tags.clone(),
                programme: m.programme,
                body: m.body.clone(),
                attachment: Patch::Keep,
            };
            record_material(session, m.municipality.clone(), terms).await?;
        }
        Ok(())
    }

    async fn plans(&self, session: Session<'_>, data: &Dataset) -> Result<(), DemoError> {
        for p in &data.plan {
            let owner = match &p.school {
                Some(school) => PlanOwner::School(self.school(school)?),
                None => PlanOwner::Municipality(p.municipality.clone()),
            };
            let terms = PlanTerms {
                title: p.title.clone(),
                sections: p
                    .sections
                    .iter()
                    .map(|s| (s.number, s.title.clone()))
                    .collect(),
            };
            let plan = create_plan(session, owner, p.school_year, terms).await?;
            for m in &p.measure {
                let terms = MeasureTerms {
                    section: m.section,
                    title: m.title.clone(),
                    period: m.period.clone(),
                    result: m.result.clone(),
                    responsible: m.responsible.clone(),
                    targets: m
                        .targets
                        .iter()
                        .map(|t| self.school(t))
                        .collect::<Result<_, _>>()?,
                    targets_text: m.targets_text.clone(),
                    evaluation_method: m.evaluation_method.clone(),
                    risk_factors: Vec::new(),
                    status: m.status,
                };
                add_measure(session, plan.id, terms).await?;
            }
        }
        Ok(())
    }

    fn school(&self, reference: &str) -> Result<i32, InvalidValue> {
        find(&self.schools, "school", reference)
    }

    async fn places(&mut self, session: Session<'_>, data: &Dataset) -> Result<(), DemoError> {
        for r in &data.region {
            create_region(session, r.slug.clone(), r.name.clone()).await?;
        }
        for m in &data.municipality {
            let share = m
                .regional_low_results_share
                .as_deref()
                .map(Percentage::parse)
                .transpose()?;
            let municipality = NewMunicipality {
                region: m.region.clone(),
                slug: m.slug.clone(),
                name: m.name.clone(),
                short_name: m.short_name.clone(),
                school_count: m.school_count,
                regional_low_results_share: share.map(Percentage::as_f64),
            };
            create_municipality(session, municipality).await?;
        }
        for o in &data.organisation {
            let organisation = NewOrganisation {
                municipality: o.municipality.clone(),
                kind: o.kind,
                name: o.name.clone(),
                short_name: o.short_name.clone(),
                aliases: o.aliases.clone(),
            };
            let row = create_organisation(session, organisation).await?;
            self.organisations.insert(o.name.clone(), row.id);
        }
        Ok(())
    }

    async fn schools(&mut self, session: Session<'_>, data: &Dataset) -> Result<(), DemoError> {
        for s in &data.school {
            let parent_school = s
                .parent
                .as_deref()
                .map(|name| self.school(&format!("{}/{name}", s.municipality)))
                .transpose()?;
            let school = NewSchool {
                municipality: s.municipality.clone(),
                name: s.name.clone(),
                full_name: s.full_name.clone(),
                legal_form: s.legal_form.clone(),
                kind: None,
                parent_school,
                cluster_number: s.cluster,
                aliases: s.aliases.clone(),
            };
            let row = create_school(session, school, Rules::new()).await?;
            for e in &s.evaluations {
                let (quality, wellbeing) = e.parse()?;
                record_evaluation(session, row.id, e.year(), groups(quality, wellbeing)).await?;
            }
            let key = format!("{}/{}", s.municipality, s.name);
            if self.schools.insert(key.clone(), row.id).is_some() {
                return Err(InvalidValue(format!("school «{key}» is listed twice")).into());
            }
        }
        Ok(())
    }

    async fn groups(&mut self, session: Session<'_>, data: &Dataset) -> Result<(), DemoError> {
        for g in &data.group {
            let ids = |names: &[String]| -> Result<Vec<Option<i32>>, InvalidValue> {
                names
                    .iter()
                    .map(|name| self.school(&format!("{}/{name}", g.municipality)).map(Some))
                    .collect()
            };
            let members = Members {
                resource_centres: ids(&g.resource_centres)?,
                members: ids(&g.members)?,
            };
            create_partnership_group(
                session,
                g.municipality.clone(),
                g.number,
                members,
                Rules::new(),
            )
            .await?;
        }
        Ok(())
    }

    async fn partnerships(
        &mut self,
        session: Session<'_>,
        data: &Dataset,
    ) -> Result<(), DemoError> {
        for p in &data.partnership {
            let partnership = NewPartnership {
                kind: p.kind,
                school: self.school(&p.school)?,
                partner_school: p
                    .partner_school
                    .as_deref()
                    .map(|n| self.school(n))
                    .transpose()?,
                partner_organisation: p
                    .partner_organisation
                    .as_deref()
                    .map(|name| find(&self.organisations, "organisation", name))
                    .transpose()?,
                partner_named: p.partner_school.is_some() != p.partner_organisation.is_some(),
                starts_on: p.starts_on,
                ends_on: p.ends_on,
                document: p.document.clone(),
                description: p.description.clone(),
            };
            create_partnership(session, partnership, Rules::new()).await?;
        }
        // A base school supports every school of its municipality's programme list.
        for b in &data.base_school {
            let base = self.school(&b.school)?;
            let (slug, _) = b.school.split_once('/').unwrap_or_default();
            let lists = data
                .programme_list
                .iter()
                .filter(|l| l.municipality == slug && l.programme == b.programme);
            for name in lists.flat_map(|list| &list.schools) {
                let partnership = NewPartnership {
                    kind: PartnershipKind::BaseSite,
                    school: self.school(&format!("{slug}/{name}"))?,
                    partner_school: Some(base),
                    partner_organisation: None,
                    partner_named: true,
                    starts_on: None,
                    ends_on: None,
                    document: None,
                    description: Some(b.description.clone()),
                };
                create_partnership(session, partnership, Rules::new()).await?;
            }
        }
        Ok(())
    }

    async fn people(&mut self, session: Session<'_>, data: &Dataset) -> Result<(), DemoError> {
        for p in &data.person {
            let person = NewPerson {
                full_name: p.full_name.clone(),
                position: p.position.clone(),
                workplace_school: p.school.as_deref().map(|n| self.school(n)).transpose()?,
                workplace_organisation: p
                    .organisation
                    .as_deref()
                    .map(|name| find(&self.organisations, "organisation", name))
                    .transpose()?,
            };
            let person = create_person(session, person, Rules::new()).await?;
            for a in &p.appointments {
                let appointment = NewAppointment {
                    person: Some(person.id),
                    role: a.role,
                    programme: a.programme,
                    school: a.school.as_deref().map(|n| self.school(n)).transpose()?,
                    municipality: a.municipality.clone(),
                    starts_on: a.starts_on,
                };
                let row = appoint(session, appointment, Rules::new()).await?;
                if let Some(ends_on) = a.ends_on {
                    end_appointment(session, row.id, row.version, ends_on).await?;
                }
            }
        }
        Ok(())
    }

    async fn participations(
        &mut self,
        session: Session<'_>,
        data: &Dataset,
    ) -> Result<(), DemoError> {
        let listed = data
            .programme_list
            .iter()
            .flat_map(dataset::ProgrammeList::entries);
        for p in data.participation.iter().cloned().chain(listed) {
            let inclusion = Inclusion {
                school: self.school(&p.school)?,
                programme: p.programme,
                included_on: p.included_on,
                risk_group: p.risk_group,
            };
            let row = include_in_programme(session, inclusion).await?;
            if let Some(excluded_on) = p.excluded_on {
                let justification = p.exclusion_justification.unwrap_or_default();
                exclude_from_programme(session, row.id, row.version, excluded_on, justification)
                    .await?;
            }
        }
        Ok(())
    }

    async fn results(&mut self, session: Session<'_>, data: &Dataset) -> Result<(), DemoError> {
        for table in &data.result_table {
            for row in &table.rows {
                let (name, cells) = row
                    .split_first()
                    .ok_or_else(|| InvalidValue("a result row without a school".into()))?;
                if cells.len() != table.columns.len() {
                    return Err(InvalidValue(format!(
                        "the row of «{name}» has {} cells for {} columns",
                        cells.len(),
                        table.columns.len()
                    ))
                    .into());
                }
                let school = self.school(&format!("{}/{name}", table.municipality))?;
                for (column, cell) in table.columns.iter().zip(cells) {
                    for record in column.records(table.procedure, cell)? {
                        let key = ResultKey {
                            procedure: record.procedure,
                            subject: column.subject.clone(),
                            grade: None,
                            level: record.level,
                        };
                        let figures = Figures {
                            status: record.status,
                            mean: record.mean.map(Mean::as_f64),
                            participants: None,
                            failed: None,
                            source_text: Some(cell.clone()),
                        };
                        record_result(session, school, column.year, key, figures).await?;
                    }
                }
            }
        }
        Ok(())
    }

    async fn deficits(&mut self, session: Session<'_>, data: &Dataset) -> Result<(), DemoError> {
        for table in &data.deficit_table {
            for &(ref subject, teachers, a, b, c, d, pa, pb, pc, pd) in &table.rows {
                let key = DeficitKey {
                    municipality: table.municipality.clone(),
                    school: None,
                    year: table.year,
                    subject: subject.clone(),
                };
                let counts = DeficitCounts {
                    teachers,
                    levels: [a, b, c, d],
                    published_shares: Some([pa, pb, pc, pd]),
                };
                record_competency_deficit(session, key, counts, Rules::new()).await?;
            }
        }
        Ok(())
    }

    async fn decisions(&mut self, session: Session<'_>, data: &Dataset) -> Result<(), DemoError> {
        for d in &data.identification_decision {
            let schools = d
                .schools
                .iter()
                .map(|name| self.school(&format!("{}/{name}", d.municipality)).map(Some))
                .collect::<Result<_, _>>()?;
            let terms = DecisionTerms {
                threshold: d.threshold,
                procedures: d.procedures.clone(),
                conclusion: d.conclusion.clone(),
                document: d.document.clone(),
                schools,
            };
            record_identification_decision(
                session,
                d.municipality.clone(),
                d.year,
                terms,
                Rules::new(),
            )
            .await?;
        }
        Ok(())
    }
}
