//! What every nested field loads, by key: one `WHERE column IN (…)` statement per key type for
//! all the keys of a round.
//!
//! How a nested query stays bounded: a field that needs related rows asks the request's
//! `Batcher` (see `batch`) for them by key. The batcher collects every key asked for while the
//! current level of the query resolves and then reads ONE statement per key type ([`Batched`])
//! for the round, all of the round's statements in one round trip on PostgreSQL
//! ([`read_round`]). A query therefore costs at most one statement per key type and one round
//! trip per nesting level, whatever the number of rows; `tests/it/graphql_api.rs` counts them.

use std::{collections::HashMap, hash::Hash, sync::Arc};

use futures_util::{StreamExt, future::join_all};
use sea_orm::sqlx::{self, Either};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, QueryFilter,
    QueryResult, RuntimeErr, Select,
    sea_query::{Condition, PostgresQueryBuilder, SelectStatement},
};

use crate::db::Tally;
use crate::entities::{
    appointment, assessment_result, cluster, competency_deficit, curator_visit, diary_entry,
    evaluation, group_membership, identification_decision, identified_school, indicator_value,
    material_file, measure, measure_risk_factor, measure_target, meeting, monitoring_indicator,
    municipality, organisation, partnership, partnership_group, person, plan, plan_section,
    programme_participation, region, review_comment, risk_factor, risk_profile,
    risk_profile_factor, school, subject, survey_answer, survey_round, survey_statement,
};

/// A key type of the batched loads: the one statement that reads the rows of a round's keys,
/// and which key each row belongs to.
pub trait Batched: Clone + Eq + Hash + Send + Sync + 'static {
    /// The table read.
    type Entity: EntityTrait;
    /// What a key gets: its row, or its rows.
    type Value: Clone + Send + Sync + 'static;
    /// The statement reading the rows of every key in `keys`.
    fn select(keys: &[Self]) -> Select<Self::Entity>;
    /// The rows read, by the key they belong to; a key without rows is left out.
    fn group(rows: Vec<Row<Self>>) -> HashMap<Self, Self::Value>;
}

/// A row of the table a key type reads.
pub type Row<K> = <<K as Batched>::Entity as EntityTrait>::Model;

/// The rows each of `statements` reads, in their order. On PostgreSQL a round of several goes
/// to the server as one message (the simple query protocol, its values written into the text
/// by sea-query's quoting): one round trip and one connection instead of one each (system
/// calls sending statements and waking tasks were ~30 % of the server's samples on a school's
/// page). The server runs such a message as one implicit transaction, so a round's statements
/// see one snapshot, and one failing fails them all. Elsewhere (SQLite, in the process) each
/// runs as a prepared statement of its own.
pub async fn read_round(
    db: &DatabaseConnection,
    tally: &Tally,
    statements: Vec<SelectStatement>,
) -> Vec<Result<Vec<QueryResult>, Arc<DbErr>>> {
    if statements.len() > 1 && db.get_database_backend() == DbBackend::Postgres {
        tally.add(statements.len());
        return match read_in_one_message(db, &statements).await {
            Ok(results) => results.into_iter().map(Ok).collect(),
            Err(error) => {
                let error = Arc::new(error);
                statements.iter().map(|_| Err(error.clone())).collect()
            }
        };
    }
    let backend = db.get_database_backend();
    join_all(statements.iter().map(|statement| async move {
        db.query_all_raw(backend.build(statement))
            .await
            .map_err(Arc::new)
    }))
    .await
}

/// Sends `statements` in one simple-protocol message and splits the rows by statement: the
/// server ends each statement's rows with its own completion, rows or none.
async fn read_in_one_message(
    db: &DatabaseConnection,
    statements: &[SelectStatement],
) -> Result<Vec<Vec<QueryResult>>, DbErr> {
    let failed = |error: sqlx::Error| DbErr::Query(RuntimeErr::SqlxError(Arc::new(error)));
    let sql = statements
        .iter()
        .map(|statement| statement.to_string(PostgresQueryBuilder))
        .collect::<Vec<_>>()
        .join(";\n");
    let mut connection = db
        .get_postgres_connection_pool()
        .acquire()
        .await
        .map_err(failed)?;
    let mut results = vec![Vec::new()];
    let mut stream = sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).fetch_many(&mut *connection);
    while let Some(item) = stream.next().await {
        match item.map_err(failed)? {
            Either::Left(_completed) => results.push(Vec::new()),
            Either::Right(row) => results
                .last_mut()
                .expect("a statement's rows")
                .push(row.into()),
        }
    }
    results.pop();
    if results.len() != statements.len() {
        return Err(DbErr::Custom(format!(
            "{} statements sent in one message, {} answered",
            statements.len(),
            results.len()
        )));
    }
    Ok(results)
}

/// The statement reading the rows whose `column` is one of `keys`, in id order.
fn rows_where<E: EntityTrait, K>(column: E::Column, keys: &[K], key: fn(&K) -> i32) -> Select<E> {
    E::find()
        .filter(column.is_in(keys.iter().map(key)))
        .order_by_id_asc()
}

/// Defines a key type that loads the single row with that id.
macro_rules! load_by_id {
    ($(#[$doc:meta])* $key:ident => $entity:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub struct $key(pub i32);

        impl Batched for $key {
            type Entity = $entity::Entity;
            type Value = $entity::Model;

            fn select(keys: &[Self]) -> Select<Self::Entity> {
                rows_where($entity::Column::Id, keys, |k| k.0)
            }

            fn group(rows: Vec<$entity::Model>) -> HashMap<Self, Self::Value> {
                rows.into_iter().map(|row| ($key(row.id), row)).collect()
            }
        }
    };
}

/// Defines a key type that loads every row whose `field` (column `Column`) equals the key.
macro_rules! load_many_by {
    ($(#[$doc:meta])* $key:ident => $entity:ident . $field:ident / $column:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub struct $key(pub i32);

        impl Batched for $key {
            type Entity = $entity::Entity;
            type Value = Vec<$entity::Model>;

            fn select(keys: &[Self]) -> Select<Self::Entity> {
                rows_where($entity::Column::$column, keys, |k| k.0)
            }

            fn group(rows: Vec<$entity::Model>) -> HashMap<Self, Self::Value> {
                group_by(rows, |row| Option::<i32>::from(row.$field).map($key))
            }
        }
    };
}

/// Groups rows under the key each yields (rows without a key are dropped), keeping their order.
fn group_by<K: Eq + Hash, T>(rows: Vec<T>, key: impl Fn(&T) -> Option<K>) -> HashMap<K, Vec<T>> {
    let mut grouped: HashMap<K, Vec<T>> = HashMap::new();
    for row in rows {
        if let Some(k) = key(&row) {
            grouped.entry(k).or_default().push(row);
        }
    }
    grouped
}

load_by_id!(
    /// A region by id.
    RegionById => region
);
load_by_id!(
    /// A municipality by id.
    MunicipalityById => municipality
);
load_by_id!(
    /// A cluster by id.
    ClusterById => cluster
);
load_by_id!(
    /// A school by id.
    SchoolById => school
);
load_by_id!(
    /// An organisation by id.
    OrganisationById => organisation
);
load_by_id!(
    /// A person by id.
    PersonById => person
);
load_by_id!(
    /// A partnership group by id.
    GroupById => partnership_group
);
load_by_id!(
    /// A subject by id.
    SubjectById => subject
);
load_by_id!(
    /// A monitoring indicator by id.
    IndicatorById => monitoring_indicator
);

load_by_id!(
    /// A risk factor by id.
    RiskFactorById => risk_factor
);
load_many_by!(
    /// The risk profiles of a school.
    RiskProfilesOfSchool => risk_profile.school_id / SchoolId
);
load_many_by!(
    /// The factors of a risk profile, as recorded.
    FactorsOfProfile => risk_profile_factor.profile_id / ProfileId
);
load_by_id!(
    /// A survey statement by id.
    StatementById => survey_statement
);
load_many_by!(
    /// The survey rounds of a school.
    SurveyRoundsOfSchool => survey_round.school_id / SchoolId
);
load_many_by!(
    /// The answers of a survey round.
    AnswersOfRound => survey_answer.round_id / RoundId
);
load_many_by!(
    /// The diary entries of a school.
    DiaryOfSchool => diary_entry.school_id / SchoolId
);
load_by_id!(
    /// A plan by id.
    PlanById => plan
);
load_by_id!(
    /// A plan section by id.
    SectionById => plan_section
);
load_many_by!(
    /// The plans of a municipality (its own and its schools' roadmaps).
    PlansOfMunicipality => plan.municipality_id / MunicipalityId
);
load_many_by!(
    /// The roadmaps of a school.
    PlansOfSchool => plan.school_id / SchoolId
);
load_many_by!(
    /// The sections of a plan.
    SectionsOfPlan => plan_section.plan_id / PlanId
);
load_many_by!(
    /// The measures of a plan.
    MeasuresOfPlan => measure.plan_id / PlanId
);
load_many_by!(
    /// The target schools of a measure.
    TargetsOfMeasure => measure_target.measure_id / MeasureId
);
load_many_by!(
    /// The risk factors a measure addresses.
    FactorsOfMeasure => measure_risk_factor.measure_id / MeasureId
);
load_many_by!(
    /// The review thread of a roadmap.
    ThreadOfPlan => review_comment.plan_id / PlanId
);
load_many_by!(
    /// The review thread of a measure's report.
    ThreadOfMeasure => review_comment.measure_id / MeasureId
);
load_many_by!(
    /// The curator visits to a school.
    VisitsToSchool => curator_visit.school_id / SchoolId
);
load_many_by!(
    /// The meetings of a municipality.
    MeetingsOfMunicipality => meeting.municipality_id / MunicipalityId
);
load_many_by!(
    /// The assessment results of a school.
    ResultsOfSchool => assessment_result.school_id / SchoolId
);
load_many_by!(
    /// The monitoring indicator values of a school.
    IndicatorValuesOfSchool => indicator_value.school_id / SchoolId
);
load_many_by!(
    /// The competency deficit rows of a municipality (its own and its schools').
    DeficitsOfMunicipality => competency_deficit.municipality_id / MunicipalityId
);
load_many_by!(
    /// The identification decisions of a municipality.
    DecisionsOfMunicipality => identification_decision.municipality_id / MunicipalityId
);
load_many_by!(
    /// The schools an identification decision names.
    SchoolsOfDecision => identified_school.decision_id / DecisionId
);
load_many_by!(
    /// The municipalities of a region.
    MunicipalitiesOfRegion => municipality.region_id / RegionId
);
load_many_by!(
    /// The schools of a municipality.
    SchoolsOfMunicipality => school.municipality_id / MunicipalityId
);
load_many_by!(
    /// The schools of a cluster.
    SchoolsOfCluster => school.cluster_id / ClusterId
);
load_many_by!(
    /// The branches of a school.
    BranchesOfSchool => school.parent_school_id / ParentSchoolId
);
load_many_by!(
    /// The clusters of a municipality.
    ClustersOfMunicipality => cluster.municipality_id / MunicipalityId
);
load_many_by!(
    /// The organisations of a municipality.
    OrganisationsOfMunicipality => organisation.municipality_id / MunicipalityId
);
load_many_by!(
    /// The partnership groups of a municipality.
    GroupsOfMunicipality => partnership_group.municipality_id / MunicipalityId
);
load_many_by!(
    /// The memberships of a group, resource centres first as the sources list them.
    MembersOfGroup => group_membership.group_id / GroupId
);
load_many_by!(
    /// The yearly evaluations of a school.
    EvaluationsOfSchool => evaluation.school_id / SchoolId
);
load_many_by!(
    /// The programme participations of a school.
    ParticipationsOfSchool => programme_participation.school_id / SchoolId
);
load_many_by!(
    /// The appointments at a school (directors, school curators).
    AppointmentsAtSchool => appointment.school_id / SchoolId
);
load_many_by!(
    /// The appointments of a person, in any municipality.
    AppointmentsOfPerson => appointment.person_id / PersonId
);
load_many_by!(
    /// The appointments in a municipality (coordinators, curators of all its schools).
    AppointmentsInMunicipality => appointment.municipality_id / MunicipalityId
);

/// The group membership of a school (a school is in at most one group).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MembershipOfSchool(pub i32);

impl Batched for MembershipOfSchool {
    type Entity = group_membership::Entity;
    type Value = group_membership::Model;

    fn select(keys: &[Self]) -> Select<Self::Entity> {
        rows_where(group_membership::Column::SchoolId, keys, |k| k.0)
    }

    fn group(rows: Vec<Row<Self>>) -> HashMap<Self, Self::Value> {
        rows.into_iter()
            .map(|row| (MembershipOfSchool(row.school_id), row))
            .collect()
    }
}

/// The partnerships of a school on either side: as the supported school or as the partner.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PartnershipsOfSchool(pub i32);

impl Batched for PartnershipsOfSchool {
    type Entity = partnership::Entity;
    type Value = Vec<partnership::Model>;

    fn select(keys: &[Self]) -> Select<Self::Entity> {
        let ids: Vec<i32> = keys.iter().map(|k| k.0).collect();
        partnership::Entity::find()
            .filter(
                Condition::any()
                    .add(partnership::Column::SchoolId.is_in(ids.clone()))
                    .add(partnership::Column::PartnerSchoolId.is_in(ids)),
            )
            .order_by_id_asc()
    }

    fn group(rows: Vec<Row<Self>>) -> HashMap<Self, Self::Value> {
        let mut grouped: HashMap<Self, Self::Value> = HashMap::new();
        for row in rows {
            for side in [Some(row.school_id), row.partner_school_id]
                .into_iter()
                .flatten()
            {
                grouped
                    .entry(PartnershipsOfSchool(side))
                    .or_default()
                    .push(row.clone());
            }
        }
        grouped
    }
}

/// A subject by its code (the identification's procedures name subjects by code).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SubjectByCode(pub String);

impl Batched for SubjectByCode {
    type Entity = subject::Entity;
    type Value = subject::Model;

    fn select(keys: &[Self]) -> Select<Self::Entity> {
        subject::Entity::find()
            .filter(subject::Column::Code.is_in(keys.iter().map(|k| k.0.clone())))
            .order_by_id_asc()
    }

    fn group(rows: Vec<Row<Self>>) -> HashMap<Self, Self::Value> {
        rows.into_iter()
            .map(|row| (SubjectByCode(row.code.clone()), row))
            .collect()
    }
}

/// The file of a material, by the material's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FileOfMaterial(pub i32);

impl Batched for FileOfMaterial {
    type Entity = material_file::Entity;
    type Value = material_file::Model;

    fn select(keys: &[Self]) -> Select<Self::Entity> {
        rows_where(material_file::Column::MaterialId, keys, |k| k.0)
    }

    fn group(rows: Vec<Row<Self>>) -> HashMap<Self, Self::Value> {
        rows.into_iter()
            .map(|row| (FileOfMaterial(row.material_id), row))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::QueryTrait;

    /// The one-message path writes values into the text: a key is one quoted literal, whatever
    /// quotes, backslashes or semicolons it holds.
    #[test]
    fn a_key_written_into_the_statement_stays_one_literal() {
        let hostile = SubjectByCode("a'b\\c; DROP TABLE subjects; --".into());
        let sql = SubjectByCode::select(&[hostile])
            .into_query()
            .to_string(PostgresQueryBuilder);
        assert!(
            sql.ends_with(
                r#"WHERE "subjects"."code" IN (E'a\'b\\c; DROP TABLE subjects; --') ORDER BY "subjects"."id" ASC"#
            ),
            "{sql}"
        );
    }
}
