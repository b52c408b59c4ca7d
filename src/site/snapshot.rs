//! Everything the site shows, read in two parts so that memory follows a region, not the
//! country: the reference tables (places, schools, people, groups: what any page may link to)
//! are read once, whole; the detail (evaluations, results, agreements, appointments, plans, …)
//! is read for one region's municipalities at a time as a [`Detail`]. Each read is one
//! query per table, rows in id order (so the same database always gives the same site), and
//! the look-ups pages make are indexed once here, so no page scans a whole table.

use std::collections::{BTreeMap, HashMap};

use sea_orm::sea_query::{ExprTrait, Query, SelectStatement, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use super::freshness::LastChanges;
use crate::domain::OrganisationKind;
use crate::entities::{
    appointment, assessment_result, cluster, competency_deficit, curator_visit, evaluation,
    group_membership, identification_decision, identified_school, indicator_value, material,
    material_file, measure, measure_target, meeting, monitoring_indicator, municipality,
    organisation, partnership, partnership_group, person, plan, plan_section,
    programme_participation, region, risk_factor, risk_profile, risk_profile_factor, school,
    subject, survey_answer, survey_round, survey_statement,
};

/// The database as the site sees it: the reference tables whole, and the [`Detail`] of the
/// region being rendered (empty until the export puts the first one in).
pub struct Snapshot {
    pub regions: BTreeMap<i32, region::Model>,
    pub municipalities: Vec<municipality::Model>,
    pub organisations: BTreeMap<i32, organisation::Model>,
    pub clusters: BTreeMap<i32, cluster::Model>,
    pub schools: BTreeMap<i32, school::Model>,
    pub people: BTreeMap<i32, person::Model>,
    /// Groups, by municipality and number.
    pub groups: Vec<partnership_group::Model>,
    /// Memberships of each group, as listed.
    pub members: BTreeMap<i32, Vec<group_membership::Model>>,
    /// The group of each school.
    pub group_of_school: BTreeMap<i32, group_membership::Model>,
    /// Subjects, by id (ids follow the order reports list them in).
    pub subjects: BTreeMap<i32, subject::Model>,
    /// Monitoring indicators, by id.
    pub indicators: BTreeMap<i32, monitoring_indicator::Model>,
    /// Risk factors, by id.
    pub risk_factors: BTreeMap<i32, risk_factor::Model>,
    /// Survey statements, by id.
    pub survey_statements: BTreeMap<i32, survey_statement::Model>,
    /// The methodological bank, in id order.
    pub materials: Vec<material::Model>,
    /// The file of each material that has one.
    pub material_files: BTreeMap<i32, material_file::Model>,
    /// When people last changed the data, per municipality.
    pub last_changes: LastChanges,
    /// The day «current» means on the site (who directs and curates a school).
    pub as_of: chrono::NaiveDate,
    /// The detail of the region being rendered.
    pub detail: Detail,
    index: Index,
}

/// The detail of some municipalities (one region's, as the export goes): read apart from the
/// reference tables so that the next region's can be read while this one's pages render.
#[derive(Default)]
pub struct Detail {
    /// Agreements with a school of the scope on either side.
    pub partnerships: Vec<partnership::Model>,
    /// Appointments in the scope's municipalities.
    pub appointments: Vec<appointment::Model>,
    /// Programme participation of the scope's schools.
    pub participations: Vec<programme_participation::Model>,
    /// Evaluations of each school, oldest year first.
    pub evaluations: BTreeMap<i32, Vec<evaluation::Model>>,
    /// Assessment results of each school.
    pub results: BTreeMap<i32, Vec<assessment_result::Model>>,
    /// Competency deficit rows, by municipality.
    pub deficits: BTreeMap<i32, Vec<competency_deficit::Model>>,
    /// Indicator values of each school.
    pub indicator_values: BTreeMap<i32, Vec<indicator_value::Model>>,
    /// Identification decisions, by municipality.
    pub decisions: BTreeMap<i32, Vec<identification_decision::Model>>,
    /// The schools each decision named, as listed.
    pub identified: BTreeMap<i32, Vec<i32>>,
    /// Risk profiles of each school.
    pub risk_profiles: BTreeMap<i32, Vec<risk_profile::Model>>,
    /// The factors of each profile, as recorded.
    pub profile_factors: BTreeMap<i32, Vec<risk_profile_factor::Model>>,
    /// Survey rounds of each school.
    pub survey_rounds: BTreeMap<i32, Vec<survey_round::Model>>,
    /// The answers of each round.
    pub survey_answers: BTreeMap<i32, Vec<survey_answer::Model>>,
    /// Meetings of each municipality.
    pub meetings: BTreeMap<i32, Vec<meeting::Model>>,
    /// Plans of each municipality (its own and its schools' roadmaps).
    pub plans: BTreeMap<i32, Vec<plan::Model>>,
    /// The sections of each plan, by number.
    pub plan_sections: BTreeMap<i32, Vec<plan_section::Model>>,
    /// The measures of each plan.
    pub measures: BTreeMap<i32, Vec<measure::Model>>,
    /// The target schools of each measure.
    pub measure_targets: BTreeMap<i32, Vec<i32>>,
    /// Curator visits to each school.
    pub visits: BTreeMap<i32, Vec<curator_visit::Model>>,
}

/// The look-ups pages make, built once from the reference tables.
#[derive(Default)]
struct Index {
    /// Position of each municipality in `municipalities`.
    municipality_at: HashMap<i32, usize>,
    /// Position of each municipality in `municipalities`, by slug.
    municipality_with_slug: HashMap<String, usize>,
    /// Position of each group in `groups`.
    group_at: HashMap<i32, usize>,
    /// The schools of each municipality, in id order.
    schools_in: HashMap<i32, Vec<i32>>,
    /// The branches of each school, in id order.
    branches_of: HashMap<i32, Vec<i32>>,
    /// The education authority of each municipality.
    authority_of: HashMap<i32, i32>,
    /// The people working in each municipality's own organisations (not its schools).
    workers_in: HashMap<i32, Vec<i32>>,
}

async fn all<E: EntityTrait>(db: &impl ConnectionTrait) -> Result<Vec<E::Model>, DbErr> {
    E::find().order_by_id_asc().all(db).await
}

/// The rows of `E` that `condition` picks, in id order.
async fn matching<E: EntityTrait>(
    db: &impl ConnectionTrait,
    condition: SimpleExpr,
) -> Result<Vec<E::Model>, DbErr> {
    E::find().filter(condition).order_by_id_asc().all(db).await
}

fn by_id<M>(rows: Vec<M>, id: fn(&M) -> i32) -> BTreeMap<i32, M> {
    rows.into_iter().map(|row| (id(&row), row)).collect()
}

/// `rows` grouped under `key` (a parent's id), in id order within each group.
fn grouped<M>(rows: Vec<M>, key: fn(&M) -> i32) -> BTreeMap<i32, Vec<M>> {
    let mut groups: BTreeMap<i32, Vec<M>> = BTreeMap::new();
    for row in rows {
        groups.entry(key(&row)).or_default().push(row);
    }
    groups
}

/// `SELECT id FROM E WHERE condition`: the rows of a parent table, for their children's filter.
fn ids<E: EntityTrait>(id: E::Column, condition: SimpleExpr) -> SelectStatement {
    Query::select()
        .column(id)
        .from(E::default())
        .and_where(condition)
        .to_owned()
}

/// The municipalities whose detail is read.
struct Scope<'a>(&'a [i32]);

impl Scope<'_> {
    fn municipality(&self, column: impl ColumnTrait) -> SimpleExpr {
        column.is_in(self.0.iter().copied())
    }

    fn school(&self, column: impl ColumnTrait) -> SimpleExpr {
        column.in_subquery(ids::<school::Entity>(
            school::Column::Id,
            self.municipality(school::Column::MunicipalityId),
        ))
    }
}

impl Detail {
    /// Reads the detail of `municipalities`: one statement per table.
    pub async fn load(db: &impl ConnectionTrait, municipalities: &[i32]) -> Result<Self, DbErr> {
        let mut detail = Detail::default();
        let scope = Scope(municipalities);
        let plans = || {
            ids::<plan::Entity>(
                plan::Column::Id,
                scope.municipality(plan::Column::MunicipalityId),
            )
        };
        let decisions = matching::<identification_decision::Entity>(
            db,
            scope.municipality(identification_decision::Column::MunicipalityId),
        )
        .await?;
        detail.identified = grouped(
            matching::<identified_school::Entity>(
                db,
                identified_school::Column::DecisionId.in_subquery(ids::<
                    identification_decision::Entity,
                >(
                    identification_decision::Column::Id,
                    scope.municipality(identification_decision::Column::MunicipalityId),
                )),
            )
            .await?,
            |i| i.decision_id,
        )
        .into_iter()
        .map(|(decision, rows)| (decision, rows.iter().map(|i| i.school_id).collect()))
        .collect();
        detail.decisions = grouped(decisions, |d| d.municipality_id);
        detail.partnerships = matching::<partnership::Entity>(
            db,
            scope
                .school(partnership::Column::SchoolId)
                .or(scope.school(partnership::Column::PartnerSchoolId)),
        )
        .await?;
        detail.appointments = matching::<appointment::Entity>(
            db,
            scope.municipality(appointment::Column::MunicipalityId),
        )
        .await?;
        detail.participations = matching::<programme_participation::Entity>(
            db,
            scope.school(programme_participation::Column::SchoolId),
        )
        .await?;
        detail.evaluations = grouped(
            matching::<evaluation::Entity>(db, scope.school(evaluation::Column::SchoolId)).await?,
            |e| e.school_id,
        );
        for list in detail.evaluations.values_mut() {
            list.sort_by_key(|e| e.year);
        }
        detail.results = grouped(
            matching::<assessment_result::Entity>(
                db,
                scope.school(assessment_result::Column::SchoolId),
            )
            .await?,
            |r| r.school_id,
        );
        detail.deficits = grouped(
            matching::<competency_deficit::Entity>(
                db,
                scope.municipality(competency_deficit::Column::MunicipalityId),
            )
            .await?,
            |d| d.municipality_id,
        );
        detail.indicator_values = grouped(
            matching::<indicator_value::Entity>(
                db,
                scope.school(indicator_value::Column::SchoolId),
            )
            .await?,
            |v| v.school_id,
        );
        detail.risk_profiles = grouped(
            matching::<risk_profile::Entity>(db, scope.school(risk_profile::Column::SchoolId))
                .await?,
            |p| p.school_id,
        );
        detail.profile_factors = grouped(
            matching::<risk_profile_factor::Entity>(
                db,
                risk_profile_factor::Column::ProfileId.in_subquery(ids::<risk_profile::Entity>(
                    risk_profile::Column::Id,
                    scope.school(risk_profile::Column::SchoolId),
                )),
            )
            .await?,
            |f| f.profile_id,
        );
        detail.survey_rounds = grouped(
            matching::<survey_round::Entity>(db, scope.school(survey_round::Column::SchoolId))
                .await?,
            |r| r.school_id,
        );
        detail.survey_answers = grouped(
            matching::<survey_answer::Entity>(
                db,
                survey_answer::Column::RoundId.in_subquery(ids::<survey_round::Entity>(
                    survey_round::Column::Id,
                    scope.school(survey_round::Column::SchoolId),
                )),
            )
            .await?,
            |a| a.round_id,
        );
        detail.meetings = grouped(
            matching::<meeting::Entity>(db, scope.municipality(meeting::Column::MunicipalityId))
                .await?,
            |m| m.municipality_id,
        );
        detail.plans = grouped(
            matching::<plan::Entity>(db, scope.municipality(plan::Column::MunicipalityId)).await?,
            |p| p.municipality_id,
        );
        detail.plan_sections = grouped(
            matching::<plan_section::Entity>(db, plan_section::Column::PlanId.in_subquery(plans()))
                .await?,
            |s| s.plan_id,
        );
        for list in detail.plan_sections.values_mut() {
            list.sort_by_key(|s| s.number);
        }
        detail.measures = grouped(
            matching::<measure::Entity>(db, measure::Column::PlanId.in_subquery(plans())).await?,
            |m| m.plan_id,
        );
        detail.measure_targets = grouped(
            matching::<measure_target::Entity>(
                db,
                measure_target::Column::MeasureId.in_subquery(ids::<measure::Entity>(
                    measure::Column::Id,
                    measure::Column::PlanId.in_subquery(plans()),
                )),
            )
            .await?,
            |t| t.measure_id,
        )
        .into_iter()
        .map(|(measure, rows)| (measure, rows.iter().map(|t| t.school_id).collect()))
        .collect();
        detail.visits = grouped(
            matching::<curator_visit::Entity>(db, scope.school(curator_visit::Column::SchoolId))
                .await?,
            |v| v.school_id,
        );
        Ok(detail)
    }
}

impl Snapshot {
    /// Reads the reference tables: one statement per table, whatever its size.
    pub async fn load(db: &impl ConnectionTrait) -> Result<Self, DbErr> {
        let mut members: BTreeMap<i32, Vec<group_membership::Model>> = BTreeMap::new();
        let mut group_of_school = BTreeMap::new();
        for m in all::<group_membership::Entity>(db).await? {
            group_of_school.insert(m.school_id, m.clone());
            members.entry(m.group_id).or_default().push(m);
        }
        let mut groups = all::<partnership_group::Entity>(db).await?;
        groups.sort_by_key(|g| (g.municipality_id, g.number));
        let mut snapshot = Snapshot {
            regions: by_id(all::<region::Entity>(db).await?, |r| r.id),
            municipalities: all::<municipality::Entity>(db).await?,
            organisations: by_id(all::<organisation::Entity>(db).await?, |o| o.id),
            clusters: by_id(all::<cluster::Entity>(db).await?, |c| c.id),
            schools: by_id(all::<school::Entity>(db).await?, |s| s.id),
            people: by_id(all::<person::Entity>(db).await?, |p| p.id),
            groups,
            members,
            group_of_school,
            subjects: by_id(all::<subject::Entity>(db).await?, |s| s.id),
            indicators: by_id(all::<monitoring_indicator::Entity>(db).await?, |i| i.id),
            risk_factors: by_id(all::<risk_factor::Entity>(db).await?, |f| f.id),
            survey_statements: by_id(all::<survey_statement::Entity>(db).await?, |s| s.id),
            materials: all::<material::Entity>(db).await?,
            material_files: by_id(all::<material_file::Entity>(db).await?, |f| f.material_id),
            last_changes: LastChanges::load(db).await?,
            as_of: appointment::today(),
            detail: Detail::default(),
            index: Index::default(),
        };
        snapshot.index = snapshot.build_index();
        Ok(snapshot)
    }

    fn build_index(&self) -> Index {
        let mut index = Index::default();
        for (at, m) in self.municipalities.iter().enumerate() {
            index.municipality_at.insert(m.id, at);
            index.municipality_with_slug.insert(m.slug.clone(), at);
        }
        for (at, g) in self.groups.iter().enumerate() {
            index.group_at.insert(g.id, at);
        }
        for s in self.schools.values() {
            index
                .schools_in
                .entry(s.municipality_id)
                .or_default()
                .push(s.id);
            if let Some(parent) = s.parent_school_id {
                index.branches_of.entry(parent).or_default().push(s.id);
            }
        }
        for o in self.organisations.values() {
            if let (Some(m), OrganisationKind::EducationAuthority) = (o.municipality_id, o.kind) {
                index.authority_of.entry(m).or_insert(o.id);
            }
        }
        for p in self.people.values() {
            let municipality = p
                .workplace_organisation_id
                .and_then(|id| self.organisations[&id].municipality_id);
            if let Some(m) = municipality {
                index.workers_in.entry(m).or_default().push(p.id);
            }
        }
        index
    }

    /// The schools of a municipality, in id order.
    pub fn schools_of(&self, municipality_id: i32) -> impl Iterator<Item = &school::Model> {
        self.index
            .schools_in
            .get(&municipality_id)
            .into_iter()
            .flatten()
            .map(|id| &self.schools[id])
    }

    /// The branches of a school, in id order.
    pub fn branches_of(&self, school_id: i32) -> impl Iterator<Item = &school::Model> {
        self.index
            .branches_of
            .get(&school_id)
            .into_iter()
            .flatten()
            .map(|id| &self.schools[id])
    }

    /// The people working in a municipality's own organisations (its education authority,
    /// methodological centre), in id order.
    pub fn workers_in(&self, municipality_id: i32) -> impl Iterator<Item = &person::Model> {
        self.index
            .workers_in
            .get(&municipality_id)
            .into_iter()
            .flatten()
            .map(|id| &self.people[id])
    }

    /// The municipality of a school.
    pub fn municipality(&self, id: i32) -> &municipality::Model {
        &self.municipalities[self.index.municipality_at[&id]]
    }

    /// The municipality with a slug (the first segment of its pages' paths).
    pub fn municipality_by_slug(&self, slug: &str) -> Option<&municipality::Model> {
        self.index
            .municipality_with_slug
            .get(slug)
            .map(|&at| &self.municipalities[at])
    }

    /// A partnership group.
    pub fn group(&self, id: i32) -> &partnership_group::Model {
        &self.groups[self.index.group_at[&id]]
    }

    /// The groups of a municipality, by number.
    pub fn groups_of(
        &self,
        municipality_id: i32,
    ) -> impl Iterator<Item = &partnership_group::Model> {
        let start = self
            .groups
            .partition_point(|g| g.municipality_id < municipality_id);
        self.groups[start..]
            .iter()
            .take_while(move |g| g.municipality_id == municipality_id)
    }

    /// The education authority of a municipality: the publisher of its pages and data.
    pub fn authority(&self, municipality_id: i32) -> Option<&organisation::Model> {
        self.index
            .authority_of
            .get(&municipality_id)
            .map(|id| &self.organisations[id])
    }
}
