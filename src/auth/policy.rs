//! Who may do what, decided in one place.
//!
//! Every change and every protected read names its [`Area`] and its [`Scope`] (the
//! municipalities the record is tied to, before and after the change, and the schools whose
//! curator data it is); [`reach`] is the whole policy, as a table a reader can check against the
//! README:
//!
//! | area                       | ADMIN      | COORDINATOR                 | CURATOR             | DIRECTOR   |
//! |----------------------------|------------|-----------------------------|---------------------|------------|
//! | regions                    | everywhere | —                           | —                   | —          |
//! | municipalities             | everywhere | own municipality            | —                   | —          |
//! | organisations              | everywhere | own municipality            | —                   | —          |
//! | schools                    | everywhere | own municipality            | —                   | —          |
//! | evaluations                | everywhere | own municipality            | schools they curate | —          |
//! | results and indicators     | everywhere | own municipality            | schools they curate | —          |
//! | competency deficits        | everywhere | own municipality            | —                   | —          |
//! | identification decisions   | everywhere | own municipality            | —                   | —          |
//! | meetings and protocols     | everywhere | own municipality            | —                   | —          |
//! | plans, measures, reports   | everywhere | own municipality            | —                   | own school |
//! | curator review             | —          | —                           | schools they curate | own school |
//! | curator visits             | everywhere | own municipality            | schools they curate | —          |
//! | methodological bank        | everywhere | own municipality            | —                   | —          |
//! | partnership groups         | everywhere | own municipality            | —                   | —          |
//! | partnerships               | everywhere | own municipality            | —                   | —          |
//! | people                     | everywhere | own municipality, or untied | —                   | —          |
//! | appointments               | everywhere | own municipality            | —                   | —          |
//! | programme participation    | everywhere | own municipality            | —                   | —          |
//! | site exports (start, read) | everywhere | own municipality            | —                   | —          |
//! | audit log (read)           | everywhere | own municipality            | —                   | —          |
//!
//! The curator review is the appointed curator's own judgement and the school's answer to it:
//! no one else takes part, not even an admin. Which side may take which step of it is the
//! workflow's table (`domain::ReviewStep::apply`).
//!
//! «Own municipality» holds when every municipality of the scope is the coordinator's: a person
//! who works or is appointed in another municipality is out of reach even if also tied to one's
//! own. «Untied» is a record tied to no municipality at all, which only people can be (someone
//! just added, before a workplace or appointment). «Schools they curate» asks the one rule of who
//! curates a school (`appointment::Model::curates_on`); «own school» is the one school a
//! director token names.

use std::collections::BTreeSet;

use sea_orm::entity::prelude::*;

use super::{Actor, Role};
use crate::entities::appointment;

/// What a change or a protected read is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Area {
    /// Субъекты РФ.
    Regions,
    /// Municipalities: their names and published figures.
    Municipalities,
    /// Organisations that are not schools (ИМЦ, ИРО).
    Organisations,
    /// Schools and their branches.
    Schools,
    /// Quality and well-being groups by year: the curator data.
    Evaluations,
    /// Assessment results and monitoring indicator values of schools.
    Results,
    /// Teacher competency deficits of a municipality.
    Deficits,
    /// Published decisions on which schools have low results.
    Identification,
    /// Meetings and their protocols.
    Meetings,
    /// Plans (school roadmaps, municipal plans), their measures and the reports on them.
    Plans,
    /// The curator review of roadmaps and reports: its steps and its thread.
    Reviews,
    /// Curator visits to schools.
    Visits,
    /// The methodological bank.
    Materials,
    /// Partnership groups and their members.
    PartnershipGroups,
    /// Agreements between schools and partners.
    Partnerships,
    /// People.
    People,
    /// Directors, curators and coordinators.
    Appointments,
    /// Inclusion in and exclusion from ШНОР, ШНСУ, 500+.
    Programmes,
    /// Exports of the district site.
    SiteExports,
    /// The record of changes.
    AuditLog,
}

impl Area {
    /// Every area, for the policy's tests and documentation.
    pub const ALL: [Area; 20] = [
        Area::Regions,
        Area::Municipalities,
        Area::Organisations,
        Area::Schools,
        Area::Evaluations,
        Area::Results,
        Area::Deficits,
        Area::Identification,
        Area::Meetings,
        Area::Plans,
        Area::Reviews,
        Area::Visits,
        Area::Materials,
        Area::PartnershipGroups,
        Area::Partnerships,
        Area::People,
        Area::Appointments,
        Area::Programmes,
        Area::SiteExports,
        Area::AuditLog,
    ];
}

/// How far a role reaches in an area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// Any record.
    Everywhere,
    /// Records of the actor's municipality only (and, for people, records tied to none).
    OwnMunicipality,
    /// The curator data of the schools the actor's person curates today.
    CuratedSchools,
    /// The records of the one school the actor's token names.
    OwnSchool,
    /// No record.
    Nowhere,
}

/// The policy: how far `role` reaches in `area`.
pub const fn reach(role: Role, area: Area) -> Reach {
    match (role, area) {
        (Role::Curator, Area::Reviews) => Reach::CuratedSchools,
        (Role::Director, Area::Reviews) => Reach::OwnSchool,
        (_, Area::Reviews) => Reach::Nowhere,
        (Role::Admin, _) => Reach::Everywhere,
        (Role::Coordinator, Area::Regions) => Reach::Nowhere,
        (Role::Coordinator, _) => Reach::OwnMunicipality,
        (Role::Curator, Area::Evaluations | Area::Results | Area::Visits) => Reach::CuratedSchools,
        (Role::Curator, _) => Reach::Nowhere,
        (Role::Director, Area::Plans) => Reach::OwnSchool,
        (Role::Director, _) => Reach::Nowhere,
    }
}

/// The policy in words, for a refusal: what `role` may do in `area`.
pub fn explain(role: Role, area: Area) -> &'static str {
    match reach(role, area) {
        Reach::Everywhere => "anything",
        Reach::OwnMunicipality if area == Area::People => {
            "only people of their own municipality, or tied to none"
        }
        Reach::OwnMunicipality => "only records of their own municipality",
        Reach::CuratedSchools => "only the schools they curate",
        Reach::OwnSchool => "only their own school's records",
        Reach::Nowhere => "nothing of this kind",
    }
}

/// What a change touches: every municipality its record is tied to, before and after, and the
/// schools whose curator data it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    /// The municipalities; none for an untied record (a new region, a person tied nowhere).
    pub municipalities: BTreeSet<i32>,
    /// The schools whose curator data the change is (evaluations).
    pub schools: BTreeSet<i32>,
}

impl Scope {
    /// A record of one municipality.
    pub fn municipality(id: i32) -> Self {
        Scope {
            municipalities: BTreeSet::from([id]),
            schools: BTreeSet::new(),
        }
    }

    /// A record tied to no municipality.
    pub fn untied() -> Self {
        Scope::default()
    }

    /// A record of a municipality, or tied to none.
    pub fn of(municipality_id: Option<i32>) -> Self {
        municipality_id.map_or_else(Scope::untied, Scope::municipality)
    }

    /// The curator data of a school of a municipality.
    pub fn school(id: i32, municipality_id: i32) -> Self {
        Scope {
            municipalities: BTreeSet::from([municipality_id]),
            schools: BTreeSet::from([id]),
        }
    }

    /// Both scopes: a change reaches what the record was tied to and what it will be.
    pub fn and(mut self, other: Scope) -> Self {
        self.municipalities.extend(other.municipalities);
        self.schools.extend(other.schools);
        self
    }
}

/// True when `actor` may act in `area` on a record of `scope`.
pub async fn permits(
    db: &impl ConnectionTrait,
    actor: &Actor,
    area: Area,
    scope: &Scope,
) -> Result<bool, DbErr> {
    Ok(match reach(actor.role(), area) {
        Reach::Everywhere => true,
        Reach::Nowhere => false,
        Reach::OwnMunicipality if scope.municipalities.is_empty() => area == Area::People,
        Reach::OwnMunicipality => scope
            .municipalities
            .iter()
            .all(|m| actor.municipality_id() == Some(*m)),
        Reach::OwnSchool => {
            !scope.schools.is_empty()
                && scope
                    .schools
                    .iter()
                    .all(|school| actor.school_id() == Some(*school))
        }
        Reach::CuratedSchools => {
            let Some(person_id) = actor.person_id() else {
                return Ok(false);
            };
            if scope.schools.is_empty() {
                return Ok(false);
            }
            let today = appointment::today();
            let appointments = appointment::Entity::find()
                .filter(appointment::Column::PersonId.eq(person_id))
                .all(db)
                .await?;
            scope
                .schools
                .iter()
                .all(|school| appointments.iter().any(|a| a.curates_on(*school, today)))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admins_reach_everywhere_and_curators_only_their_schools_data() {
        for area in Area::ALL {
            let review = area == Area::Reviews;
            let admin = if review {
                Reach::Nowhere
            } else {
                Reach::Everywhere
            };
            assert_eq!(reach(Role::Admin, area), admin, "{area:?}");
            let curator = reach(Role::Curator, area);
            assert_eq!(
                curator == Reach::CuratedSchools,
                matches!(
                    area,
                    Area::Evaluations | Area::Results | Area::Visits | Area::Reviews
                ),
                "{area:?}"
            );
            assert!(matches!(curator, Reach::CuratedSchools | Reach::Nowhere));
            assert_ne!(reach(Role::Coordinator, area), Reach::Everywhere);
            let director = reach(Role::Director, area);
            assert_eq!(
                director == Reach::OwnSchool,
                matches!(area, Area::Plans | Area::Reviews),
                "{area:?}"
            );
        }
    }
}
