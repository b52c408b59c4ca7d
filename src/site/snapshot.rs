//! Everything the site shows, read once: one query per table, rows in id order (so the same
//! database always gives the same site), indexed for the page builders.

use std::collections::BTreeMap;

use sea_orm::{ConnectionTrait, DbErr, EntityTrait};

use super::freshness::LastChanges;
use crate::entities::{
    appointment, assessment_result, cluster, competency_deficit, curator_visit, evaluation,
    group_membership, identification_decision, identified_school, indicator_value, material,
    material_file, measure, measure_target, meeting, monitoring_indicator, municipality,
    organisation, partnership, partnership_group, person, plan, plan_section,
    programme_participation, region, risk_factor, risk_profile, risk_profile_factor, school,
    subject, survey_answer, survey_round, survey_statement,
};

/// The database as the site sees it.
pub struct Snapshot {
    pub regions: BTreeMap<i32, region::Model>,
    pub municipalities: Vec<municipality::Model>,
    pub organisations: BTreeMap<i32, organisation::Model>,
    pub clusters: BTreeMap<i32, cluster::Model>,
    pub schools: BTreeMap<i32, school::Model>,
    pub people: BTreeMap<i32, person::Model>,
    pub groups: Vec<partnership_group::Model>,
    pub partnerships: Vec<partnership::Model>,
    pub appointments: Vec<appointment::Model>,
    pub participations: Vec<programme_participation::Model>,
    /// Evaluations of each school, oldest year first.
    pub evaluations: BTreeMap<i32, Vec<evaluation::Model>>,
    /// Memberships of each group, as listed.
    pub members: BTreeMap<i32, Vec<group_membership::Model>>,
    /// The group of each school.
    pub group_of_school: BTreeMap<i32, group_membership::Model>,
    /// Subjects, by id (ids follow the order reports list them in).
    pub subjects: BTreeMap<i32, subject::Model>,
    /// Assessment results of each school.
    pub results: BTreeMap<i32, Vec<assessment_result::Model>>,
    /// Competency deficit rows, by municipality.
    pub deficits: BTreeMap<i32, Vec<competency_deficit::Model>>,
    /// Monitoring indicators, by id.
    pub indicators: BTreeMap<i32, monitoring_indicator::Model>,
    /// Indicator values of each school.
    pub indicator_values: BTreeMap<i32, Vec<indicator_value::Model>>,
    /// Identification decisions, by municipality.
    pub decisions: BTreeMap<i32, Vec<identification_decision::Model>>,
    /// The schools each decision named, as listed.
    pub identified: BTreeMap<i32, Vec<i32>>,
    /// Risk factors, by id.
    pub risk_factors: BTreeMap<i32, risk_factor::Model>,
    /// Risk profiles of each school.
    pub risk_profiles: BTreeMap<i32, Vec<risk_profile::Model>>,
    /// The factors of each profile, as recorded.
    pub profile_factors: BTreeMap<i32, Vec<risk_profile_factor::Model>>,
    /// Survey statements, by id.
    pub survey_statements: BTreeMap<i32, survey_statement::Model>,
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
    /// The methodological bank, in id order.
    pub materials: Vec<material::Model>,
    /// The file of each material that has one.
    pub material_files: BTreeMap<i32, material_file::Model>,
    /// Curator visits to each school.
    pub visits: BTreeMap<i32, Vec<curator_visit::Model>>,
    /// When people last changed the data, per municipality.
    pub last_changes: LastChanges,
    /// The day «current» means on the site (who directs and curates a school).
    pub as_of: chrono::NaiveDate,
}

async fn all<E: EntityTrait>(db: &impl ConnectionTrait) -> Result<Vec<E::Model>, DbErr> {
    E::find().order_by_id_asc().all(db).await
}

fn by_id<M>(rows: Vec<M>, id: fn(&M) -> i32) -> BTreeMap<i32, M> {
    rows.into_iter().map(|row| (id(&row), row)).collect()
}

/// Every row of `E`, grouped under `key` (a parent's id), in id order within each group.
async fn grouped<E: EntityTrait>(
    db: &impl ConnectionTrait,
    key: fn(&E::Model) -> i32,
) -> Result<BTreeMap<i32, Vec<E::Model>>, DbErr> {
    let mut groups: BTreeMap<i32, Vec<E::Model>> = BTreeMap::new();
    for row in all::<E>(db).await? {
        groups.entry(key(&row)).or_default().push(row);
    }
    Ok(groups)
}

impl Snapshot {
    /// Reads the database: one statement per table, whatever its size.
    pub async fn load(db: &impl ConnectionTrait) -> Result<Self, DbErr> {
        let mut evaluations = grouped::<evaluation::Entity>(db, |e| e.school_id).await?;
        for list in evaluations.values_mut() {
            list.sort_by_key(|e| e.year);
        }
        let mut members: BTreeMap<i32, Vec<group_membership::Model>> = BTreeMap::new();
        let mut group_of_school = BTreeMap::new();
        for m in all::<group_membership::Entity>(db).await? {
            group_of_school.insert(m.school_id, m.clone());
            members.entry(m.group_id).or_default().push(m);
        }
        let identified = grouped::<identified_school::Entity>(db, |i| i.decision_id)
            .await?
            .into_iter()
            .map(|(decision, rows)| (decision, rows.iter().map(|i| i.school_id).collect()))
            .collect();
        let measure_targets = grouped::<measure_target::Entity>(db, |t| t.measure_id)
            .await?
            .into_iter()
            .map(|(measure, rows)| (measure, rows.iter().map(|t| t.school_id).collect()))
            .collect();
        let mut plan_sections = grouped::<plan_section::Entity>(db, |s| s.plan_id).await?;
        for list in plan_sections.values_mut() {
            list.sort_by_key(|s| s.number);
        }
        let mut groups = all::<partnership_group::Entity>(db).await?;
        groups.sort_by_key(|g| (g.municipality_id, g.number));
        Ok(Snapshot {
            regions: by_id(all::<region::Entity>(db).await?, |r| r.id),
            municipalities: all::<municipality::Entity>(db).await?,
            organisations: by_id(all::<organisation::Entity>(db).await?, |o| o.id),
            clusters: by_id(all::<cluster::Entity>(db).await?, |c| c.id),
            schools: by_id(all::<school::Entity>(db).await?, |s| s.id),
            people: by_id(all::<person::Entity>(db).await?, |p| p.id),
            groups,
            partnerships: all::<partnership::Entity>(db).await?,
            appointments: all::<appointment::Entity>(db).await?,
            participations: all::<programme_participation::Entity>(db).await?,
            evaluations,
            subjects: by_id(all::<subject::Entity>(db).await?, |s| s.id),
            results: grouped::<assessment_result::Entity>(db, |r| r.school_id).await?,
            deficits: grouped::<competency_deficit::Entity>(db, |d| d.municipality_id).await?,
            indicators: by_id(all::<monitoring_indicator::Entity>(db).await?, |i| i.id),
            indicator_values: grouped::<indicator_value::Entity>(db, |v| v.school_id).await?,
            decisions: grouped::<identification_decision::Entity>(db, |d| d.municipality_id)
                .await?,
            identified,
            survey_statements: by_id(all::<survey_statement::Entity>(db).await?, |s| s.id),
            survey_rounds: grouped::<survey_round::Entity>(db, |r| r.school_id).await?,
            survey_answers: grouped::<survey_answer::Entity>(db, |a| a.round_id).await?,
            meetings: grouped::<meeting::Entity>(db, |m| m.municipality_id).await?,
            plans: grouped::<plan::Entity>(db, |p| p.municipality_id).await?,
            plan_sections,
            measures: grouped::<measure::Entity>(db, |m| m.plan_id).await?,
            measure_targets,
            visits: grouped::<curator_visit::Entity>(db, |v| v.school_id).await?,
            materials: all::<material::Entity>(db).await?,
            material_files: by_id(all::<material_file::Entity>(db).await?, |f| f.material_id),
            risk_factors: by_id(all::<risk_factor::Entity>(db).await?, |f| f.id),
            risk_profiles: grouped::<risk_profile::Entity>(db, |p| p.school_id).await?,
            profile_factors: grouped::<risk_profile_factor::Entity>(db, |f| f.profile_id).await?,
            members,
            group_of_school,
            last_changes: LastChanges::load(db).await?,
            as_of: appointment::today(),
        })
    }

    /// The schools of a municipality, in id order.
    pub fn schools_of(&self, municipality_id: i32) -> impl Iterator<Item = &school::Model> {
        self.schools
            .values()
            .filter(move |s| s.municipality_id == municipality_id)
    }

    /// The municipality of a school.
    pub fn municipality(&self, id: i32) -> &municipality::Model {
        self.municipalities
            .iter()
            .find(|m| m.id == id)
            .expect("foreign key")
    }

    /// The education authority of a municipality: the publisher of its pages and data.
    pub fn authority(&self, municipality_id: i32) -> Option<&organisation::Model> {
        self.organisations.values().find(|o| {
            o.municipality_id == Some(municipality_id)
                && o.kind == crate::domain::OrganisationKind::EducationAuthority
        })
    }
}
