//! Schools: adding, changing, and deleting one entered by mistake. One set of rules checks a
//! school as it would be after any of these, whoever asks (the API, an import, the demo).

use sea_orm::entity::prelude::*;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{ActiveValue::Set, ConnectionTrait, PaginatorTrait};

use super::{ChangeError, Command, Patch, Rules, Session, spellings, update_versioned};
use crate::auth::policy::Scope;
use crate::domain::{SchoolKind, TextKind, fold, identity, search_key};
use crate::entities::{
    Aliases, appointment, assessment_result, cluster, competency_deficit, diary_entry, evaluation,
    group_membership, identified_school, indicator_value, municipality, partnership, person,
    programme_participation, risk_profile, school, survey_round,
};

/// A new school.
pub struct NewSchool {
    /// The municipality's slug.
    pub municipality: String,
    /// Short name, unique within the municipality.
    pub name: String,
    /// Full name with the legal form.
    pub full_name: String,
    /// МОУ, МАОУ, МКОУ, МБОУ, МОБУ.
    pub legal_form: Option<String>,
    /// The type; read from the name when none.
    pub kind: Option<SchoolKind>,
    /// For a branch: the school it belongs to, in the same municipality.
    pub parent_school: Option<i32>,
    /// The cluster's number within the municipality; the cluster is created if new.
    pub cluster_number: Option<i32>,
    /// Other spellings found in documents.
    pub aliases: Vec<String>,
}

/// Changes to a school; `None` and `Patch::Keep` keep a value.
pub struct SchoolChanges {
    /// Short name.
    pub name: Option<String>,
    /// Full name.
    pub full_name: Option<String>,
    /// The legal form.
    pub legal_form: Patch<String>,
    /// The type.
    pub kind: Option<SchoolKind>,
    /// The parent school of a branch.
    pub parent_school: Patch<i32>,
    /// The cluster's number.
    pub cluster_number: Patch<i32>,
    /// Other spellings (replaces the list).
    pub aliases: Option<Vec<String>>,
}

/// A school as it would be after the change; one set of rules checks creations and updates.
struct Draft {
    municipality_id: i32,
    name: String,
    full_name: String,
    legal_form: Option<String>,
    kind: Option<SchoolKind>,
    parent_school_id: Option<i32>,
    cluster_number: Option<i32>,
    aliases: Vec<String>,
}

impl Draft {
    fn spellings(&self) -> impl Iterator<Item = &str> {
        [self.name.as_str(), self.full_name.as_str()]
            .into_iter()
            .chain(self.aliases.iter().map(String::as_str))
    }

    /// Checks every rule and returns the row to write (without id and version).
    async fn validate(
        mut self,
        db: &impl ConnectionTrait,
        mut rules: Rules,
        this: Option<i32>,
    ) -> Result<school::ActiveModel, ChangeError> {
        self.name = rules.text(self.name, "input.name", TextKind::Name);
        self.full_name = rules.text(self.full_name, "input.fullName", TextKind::Name);
        self.legal_form = rules.optional_text(self.legal_form, "input.legalForm", TextKind::Name);
        self.aliases = rules.aliases(self.aliases);
        let kind = match self.kind {
            Some(kind) => Some(kind),
            None => rules.parsed(
                SchoolKind::from_name(&self.name),
                "input.kind",
                "тип школы не следует из названия; укажите его",
            ),
        };
        if let Some(number) = self.cluster_number {
            rules.require(
                number > 0,
                "input.clusterNumber",
                "a cluster number is positive",
                "номер кластера должен быть положительным",
            );
        }

        // One school, one record: no spelling of this school may name another one.
        let others = school::Entity::find()
            .filter(school::Column::MunicipalityId.eq(self.municipality_id))
            .all(db)
            .await?;
        let mut mine = vec![
            ("input.name".to_owned(), &self.name),
            ("input.fullName".to_owned(), &self.full_name),
        ];
        mine.extend(
            self.aliases
                .iter()
                .enumerate()
                .map(|(i, a)| (format!("input.aliases[{i}]"), a)),
        );
        for other in others.iter().filter(|o| Some(o.id) != this) {
            let theirs: Vec<String> = [&other.name, &other.full_name]
                .into_iter()
                .chain(other.aliases.0.iter())
                .map(|s| identity(s))
                .collect();
            for (field, spelling) in &mine {
                if theirs.contains(&identity(spelling)) {
                    rules.require(
                        false,
                        field.as_str(),
                        format!(
                            "«{spelling}» already names «{}» in this municipality",
                            other.full_name
                        ),
                        format!(
                            "«{spelling}» уже обозначает «{}» в этом муниципалитете",
                            other.full_name
                        ),
                    );
                }
            }
        }

        if let Some(parent) = self.parent_school_id {
            match others.iter().find(|o| o.id == parent) {
                None => rules.require(
                    false,
                    "input.parentSchool",
                    "the parent school must be a school of the same municipality",
                    "головная школа должна быть школой того же муниципалитета",
                ),
                Some(_) => {
                    // No branch cycles: walking up from the new parent must not come back here.
                    let mut cursor = Some(parent);
                    let mut steps = 0;
                    while let (Some(id), Some(me)) = (cursor, this) {
                        if id == me || steps > others.len() {
                            rules.require(
                                false,
                                "input.parentSchool",
                                "a school cannot be a branch of itself or of its own branch",
                                "школа не может быть филиалом самой себя или своего филиала",
                            );
                            break;
                        }
                        cursor = others
                            .iter()
                            .find(|o| o.id == id)
                            .and_then(|o| o.parent_school_id);
                        steps += 1;
                    }
                }
            }
        }
        rules.check()?;

        let cluster_id = match self.cluster_number {
            Some(number) => Some(cluster_id(db, self.municipality_id, number).await?),
            None => None,
        };
        Ok(school::ActiveModel {
            municipality_id: Set(self.municipality_id),
            search_key: Set(search_key(self.spellings())),
            name_key: Set(fold(&self.name)),
            name: Set(self.name),
            full_name: Set(self.full_name),
            legal_form: Set(self.legal_form),
            kind: Set(kind.expect("checked above")),
            parent_school_id: Set(self.parent_school_id),
            cluster_id: Set(cluster_id),
            aliases: Set(Aliases(self.aliases)),
            ..Default::default()
        })
    }
}

/// The cluster with this number in the municipality, created if new.
async fn cluster_id(
    db: &impl ConnectionTrait,
    municipality_id: i32,
    number: i32,
) -> Result<i32, DbErr> {
    let existing = cluster::Entity::find()
        .filter(cluster::Column::MunicipalityId.eq(municipality_id))
        .filter(cluster::Column::Number.eq(number))
        .one(db)
        .await?;
    match existing {
        Some(c) => Ok(c.id),
        None => Ok(cluster::ActiveModel {
            municipality_id: Set(municipality_id),
            number: Set(number),
            ..Default::default()
        }
        .insert(db)
        .await?
        .id),
    }
}

/// Adds a school to a municipality. `edge` holds what could not be read from the input at the
/// edge (an id that is not one), reported with every other broken rule.
pub async fn create_school(
    session: Session<'_>,
    input: NewSchool,
    edge: Rules,
) -> Result<school::Model, ChangeError> {
    let mut change = session.begin(Command::CreateSchool).await?;
    let municipality = municipality::Entity::find()
        .filter(municipality::Column::Slug.eq(&input.municipality))
        .one(&*change)
        .await?
        .ok_or_else(|| ChangeError::NotFound {
            entity: "Municipality",
            id: input.municipality.clone(),
        })?;
    change
        .authorise(Scope::municipality(municipality.id))
        .await?;
    let row = Draft {
        municipality_id: municipality.id,
        name: input.name,
        full_name: input.full_name,
        legal_form: input.legal_form,
        kind: input.kind,
        parent_school_id: input.parent_school,
        cluster_number: input.cluster_number,
        aliases: input.aliases,
    }
    .validate(&*change, edge, None)
    .await?
    .insert(&*change)
    .await?;
    spellings::record(&*change, &row).await?;
    change
        .finish::<school::Entity>(row.id, None, Some(&row))
        .await?;
    Ok(row)
}

/// Changes the school `id` as it was at `version`; `edge` as for [`create_school`].
pub async fn update_school(
    session: Session<'_>,
    id: i32,
    version: i32,
    input: SchoolChanges,
    edge: Rules,
) -> Result<school::Model, ChangeError> {
    let (change, before) = session
        .open::<school::Entity>(Command::UpdateSchool, id, version)
        .await?;
    let current_cluster = match before.cluster_id {
        Some(cid) => cluster::Entity::find_by_id(cid)
            .one(&*change)
            .await?
            .map(|c| c.number),
        None => None,
    };
    let draft = Draft {
        municipality_id: before.municipality_id,
        name: input.name.unwrap_or_else(|| before.name.clone()),
        full_name: input.full_name.unwrap_or_else(|| before.full_name.clone()),
        legal_form: input.legal_form.apply(before.legal_form.clone()),
        kind: Some(input.kind.unwrap_or(before.kind)),
        parent_school_id: input.parent_school.apply(before.parent_school_id),
        cluster_number: input.cluster_number.apply(current_cluster),
        aliases: input.aliases.unwrap_or_else(|| before.aliases.0.clone()),
    };
    let changes = draft.validate(&*change, edge, Some(id)).await?;
    let after = update_versioned::<school::Entity, _>(&*change, &before, changes).await?;
    spellings::record(&*change, &after).await?;
    change
        .finish::<school::Entity>(id, Some(&before), Some(&after))
        .await?;
    Ok(after)
}

/// Deletes a school that has no history; one with history is kept (its agreements and
/// programmes are ended instead), so nothing historical is destroyed.
pub async fn delete_school(
    session: Session<'_>,
    id: i32,
    version: i32,
) -> Result<school::Model, ChangeError> {
    let (change, before) = session
        .open::<school::Entity>(Command::DeleteSchool, id, version)
        .await?;
    let db = &*change;
    let history = [
        (
            "evaluations",
            evaluation::Entity::find()
                .filter(evaluation::Column::SchoolId.eq(id))
                .count(db)
                .await?,
        ),
        (
            "programme participations",
            programme_participation::Entity::find()
                .filter(programme_participation::Column::SchoolId.eq(id))
                .count(db)
                .await?,
        ),
        (
            "partnerships",
            partnership::Entity::find()
                .filter(
                    partnership::Column::SchoolId
                        .eq(id)
                        .or(partnership::Column::PartnerSchoolId.eq(id)),
                )
                .count(db)
                .await?,
        ),
        (
            "appointments",
            appointment::Entity::find()
                .filter(appointment::Column::SchoolId.eq(id))
                .count(db)
                .await?,
        ),
        (
            "group memberships",
            group_membership::Entity::find()
                .filter(group_membership::Column::SchoolId.eq(id))
                .count(db)
                .await?,
        ),
        (
            "branches",
            school::Entity::find()
                .filter(school::Column::ParentSchoolId.eq(id))
                .count(db)
                .await?,
        ),
        (
            "assessment results",
            assessment_result::Entity::find()
                .filter(assessment_result::Column::SchoolId.eq(id))
                .count(db)
                .await?,
        ),
        (
            "indicator values",
            indicator_value::Entity::find()
                .filter(indicator_value::Column::SchoolId.eq(id))
                .count(db)
                .await?,
        ),
        (
            "competency deficits",
            competency_deficit::Entity::find()
                .filter(competency_deficit::Column::SchoolId.eq(id))
                .count(db)
                .await?,
        ),
        (
            "identification decisions",
            identified_school::Entity::find()
                .filter(identified_school::Column::SchoolId.eq(id))
                .count(db)
                .await?,
        ),
        (
            "risk profiles",
            risk_profile::Entity::find()
                .filter(risk_profile::Column::SchoolId.eq(id))
                .count(db)
                .await?,
        ),
        (
            "diary entries",
            diary_entry::Entity::find()
                .filter(diary_entry::Column::SchoolId.eq(id))
                .count(db)
                .await?,
        ),
        (
            "survey rounds",
            survey_round::Entity::find()
                .filter(survey_round::Column::SchoolId.eq(id))
                .count(db)
                .await?,
        ),
        (
            "staff",
            person::Entity::find()
                .filter(person::Column::WorkplaceSchoolId.eq(id))
                .count(db)
                .await?,
        ),
    ];
    let kept: Vec<String> = history
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(what, n)| format!("{n} {what}"))
        .collect();
    if !kept.is_empty() {
        return Err(ChangeError::Conflict(format!(
            "«{}» has history ({}); end its agreements and programmes instead of deleting it",
            before.full_name,
            kept.join(", ")
        )));
    }
    school::Entity::delete_by_id(id).exec(db).await?;
    change
        .finish::<school::Entity>(id, Some(&before), None)
        .await?;
    Ok(before)
}
