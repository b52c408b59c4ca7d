//! The visiting rule of seed 002: a curator visits the school at least once a week while its
//! roadmap is being formed, and at least every 3–4 weeks (28 days unless configured) while it is
//! carried out. Which curator × school pairs have fallen behind on a given day, and by how much.

use chrono::NaiveDate;

use crate::domain::{ReviewState, SchoolYear};
use crate::entities::{appointment, curator_visit, plan};

/// The longest gap between visits while the roadmap is being formed.
pub const FORMING_DAYS: i64 = 7;

/// The default longest gap while the roadmap is carried out («не реже раза в 3—4 недели»).
pub const CARRIED_OUT_DAYS: i64 = 28;

/// Where a school's roadmap stands, for the rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, async_graphql::Enum)]
pub enum RoadmapStage {
    /// No roadmap confirmed for the school year yet: weekly visits.
    Forming,
    /// The curator confirmed the roadmap: visits every few weeks.
    CarriedOut,
}

/// A curator behind on visiting a school.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overdue {
    /// The curator's appointment to the school.
    pub appointment: appointment::Model,
    /// Their last visit on or before the day asked about.
    pub last_visit: Option<NaiveDate>,
    /// The stage that sets the allowed gap.
    pub stage: RoadmapStage,
    /// The longest gap the rule allows at this stage.
    pub allowed_days: i64,
    /// Days past the allowed gap, counted from the last visit (or, with none, from the start of
    /// the appointment); none when neither is known.
    pub days_overdue: Option<i64>,
}

/// The stage of `school_id`'s roadmap on `as_of`: carried out once its roadmap for that school
/// year is confirmed.
fn stage(plans: &[plan::Model], school_id: i32, as_of: NaiveDate) -> RoadmapStage {
    let year = SchoolYear::of(as_of);
    let confirmed = plans.iter().any(|p| {
        p.school_id == Some(school_id)
            && p.school_year == Some(year)
            && p.review_state == Some(ReviewState::Confirmed)
    });
    if confirmed {
        RoadmapStage::CarriedOut
    } else {
        RoadmapStage::Forming
    }
}

/// Every curator appointed to a school on `as_of` whose last visit is further back than the rule
/// allows, most overdue first. A gap of exactly the allowed days is in time.
pub fn overdue_curators(
    appointments: &[appointment::Model],
    visits: &[curator_visit::Model],
    plans: &[plan::Model],
    as_of: NaiveDate,
    carried_out_days: i64,
) -> Vec<Overdue> {
    let mut overdue: Vec<Overdue> = appointments
        .iter()
        .filter_map(|a| {
            let school_id = a.school_id?;
            if !a.curates_on(school_id, as_of) {
                return None;
            }
            let last_visit = visits
                .iter()
                .filter(|v| {
                    v.person_id == a.person_id && v.school_id == school_id && v.visited_on <= as_of
                })
                .map(|v| v.visited_on)
                .max();
            let stage = stage(plans, school_id, as_of);
            let allowed_days = match stage {
                RoadmapStage::Forming => FORMING_DAYS,
                RoadmapStage::CarriedOut => carried_out_days,
            };
            let since = last_visit.or_else(|| a.starts_on.map(|s| s.earliest()));
            let days_overdue = since.map(|day| (as_of - day).num_days() - allowed_days);
            if days_overdue.is_some_and(|days| days <= 0) {
                return None;
            }
            Some(Overdue {
                appointment: a.clone(),
                last_visit,
                stage,
                allowed_days,
                days_overdue,
            })
        })
        .collect();
    overdue.sort_by_key(|o| (std::cmp::Reverse(o.days_overdue), o.appointment.id));
    overdue
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AppointmentRole, PartialDate};

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn curator(id: i32, starts: &str) -> appointment::Model {
        appointment::Model {
            id,
            version: 1,
            person_id: id,
            role: AppointmentRole::Curator,
            programme: None,
            municipality_id: 1,
            school_id: Some(10),
            starts_on: Some(starts.parse().unwrap()),
            ends_on: None,
        }
    }

    fn visit(person: i32, on: &str) -> curator_visit::Model {
        curator_visit::Model {
            id: 0,
            version: 1,
            person_id: person,
            school_id: 10,
            municipality_id: 1,
            visited_on: day(on),
            purpose: "консультирование".into(),
            notes: None,
        }
    }

    fn roadmap(state: ReviewState) -> plan::Model {
        plan::Model {
            id: 1,
            version: 1,
            municipality_id: 1,
            school_id: Some(10),
            school_year: Some("2021-2022".parse().unwrap()),
            title: "Дорожная карта".into(),
            review_state: Some(state),
        }
    }

    fn days_overdue(visited: &str, as_of: &str, plans: &[plan::Model]) -> Option<Option<i64>> {
        let found = overdue_curators(
            &[curator(1, "2021-09-01")],
            &[visit(1, visited)],
            plans,
            day(as_of),
            CARRIED_OUT_DAYS,
        );
        found.first().map(|o| o.days_overdue)
    }

    #[test]
    fn weekly_while_the_roadmap_is_formed() {
        let drafted = [roadmap(ReviewState::Submitted)];
        assert_eq!(days_overdue("2021-10-01", "2021-10-08", &drafted), None);
        assert_eq!(
            days_overdue("2021-10-01", "2021-10-09", &drafted),
            Some(Some(1))
        );
        assert_eq!(days_overdue("2021-10-01", "2021-10-09", &[]), Some(Some(1)));
    }

    #[test]
    fn every_four_weeks_once_it_is_confirmed() {
        let confirmed = [roadmap(ReviewState::Confirmed)];
        assert_eq!(days_overdue("2021-10-01", "2021-10-29", &confirmed), None);
        assert_eq!(
            days_overdue("2021-10-01", "2021-10-30", &confirmed),
            Some(Some(1))
        );
        let found = overdue_curators(
            &[curator(1, "2021-09-01")],
            &[visit(1, "2021-10-01")],
            &confirmed,
            day("2021-10-30"),
            21,
        );
        assert_eq!(found[0].days_overdue, Some(8));
        assert_eq!(found[0].stage, RoadmapStage::CarriedOut);
    }

    #[test]
    fn no_visit_counts_from_the_appointment_and_later_visits_do_not_count() {
        let found = overdue_curators(
            &[curator(1, "2021-09-01")],
            &[visit(1, "2021-09-20")],
            &[],
            day("2021-09-10"),
            CARRIED_OUT_DAYS,
        );
        assert_eq!(found[0].last_visit, None);
        assert_eq!(found[0].days_overdue, Some(2));
        let mut ended = curator(2, "2021-09-01");
        ended.ends_on = Some(PartialDate::Month(2021, 9));
        let found = overdue_curators(&[ended], &[], &[], day("2021-10-10"), CARRIED_OUT_DAYS);
        assert!(found.is_empty(), "an ended appointment is not followed up");
    }
}
