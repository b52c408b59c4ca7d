//! A person appointed as director, curator or coordinator, for a period.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use crate::domain::{AppointmentRole, PartialDate, Programme};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "appointments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Bumped by every update; an update naming an older version is refused.
    pub version: i32,
    pub person_id: i32,
    pub role: AppointmentRole,
    /// The programme curated or coordinated; none for a director.
    pub programme: Option<Programme>,
    pub municipality_id: i32,
    /// The school; none when a curator or coordinator serves the whole municipality.
    pub school_id: Option<i32>,
    pub starts_on: Option<PartialDate>,
    pub ends_on: Option<PartialDate>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The rules that decide who serves a school, in one place: the API, the site and the permission
/// check all ask these, so they always name the same people.
impl Model {
    /// In force on `date`: begun by then (or with no known start) and not ended before it. A date
    /// of reduced precision counts whole: an appointment ending in `2021` is in force all 2021.
    pub fn in_force_on(&self, date: chrono::NaiveDate) -> bool {
        self.starts_on.is_none_or(|start| start.earliest() <= date)
            && self.ends_on.is_none_or(|end| end.latest() >= date)
    }

    /// A curator of `school_id` on `date`: appointed to that school (not municipality-wide,
    /// which makes a curator of the programme in the municipality, listed there as such) and in
    /// force on the date.
    pub fn curates_on(&self, school_id: i32, date: chrono::NaiveDate) -> bool {
        self.role == AppointmentRole::Curator
            && self.school_id == Some(school_id)
            && self.in_force_on(date)
    }
}

/// The director of `school_id` on `date`, among `appointments`: of those in force, the latest
/// begun (a handover leaves both for a day at most; the database allows one open at a time).
pub fn director_on<'a>(
    appointments: impl IntoIterator<Item = &'a Model>,
    school_id: i32,
    date: chrono::NaiveDate,
) -> Option<&'a Model> {
    appointments
        .into_iter()
        .filter(|a| {
            a.role == AppointmentRole::Director
                && a.school_id == Some(school_id)
                && a.in_force_on(date)
        })
        .max_by_key(|a| (a.starts_on, a.id))
}

/// `in_force_on(date)` in SQL, for filters the database must apply (pages of people by role).
/// Dates are stored as ISO text of reduced precision, so a date compares with `date`'s prefix
/// of its own length: `2021` is in force all 2021, `2021-06` all June.
pub fn in_force_sql(date: chrono::NaiveDate) -> sea_orm::sea_query::Condition {
    use sea_orm::sea_query::{Expr, ExprTrait, Func};
    let day = date.format("%Y-%m-%d").to_string();
    // `day` cut to the length of the date in `column`.
    let prefix = |column: Column| {
        Func::cust("SUBSTR")
            .arg(day.clone())
            .arg(1)
            .arg(Func::cust("LENGTH").arg(Expr::col(column)))
    };
    sea_orm::Condition::all()
        .add(
            sea_orm::Condition::any()
                .add(Expr::col(Column::StartsOn).is_null())
                .add(Expr::col(Column::StartsOn).lte(prefix(Column::StartsOn))),
        )
        .add(
            sea_orm::Condition::any()
                .add(Expr::col(Column::EndsOn).is_null())
                .add(Expr::col(Column::EndsOn).gte(prefix(Column::EndsOn))),
        )
}

/// Today, as the rules above read «current»: the server's calendar date.
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}
