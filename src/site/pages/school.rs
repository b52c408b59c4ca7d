//! A school's page: profile, group, partners, curators, programmes and results dynamics.

use serde_json::json;

use super::municipality::{programme_table, rated_cells};
use super::{
    Page, PageBuilder, group_url, link, municipality_url, plans, results, risk, school_url, surveys,
};
use crate::domain::MembershipRole;
use crate::entities::{appointment, school};
use crate::site::chart::{Point, evaluation_chart};
use crate::site::dataset::{Cell, Dataset};
use crate::site::russian;
use crate::site::snapshot::Snapshot;

fn evaluations_table(snapshot: &Snapshot, s: &school::Model, prefix: &str) -> Dataset {
    let mut ds = Dataset::new(
        format!("{prefix}-evaluations"),
        format!("Группы по годам: {}", s.name),
        "Группа качества (ГК) и группа по индексу социального благополучия школы (ГИСБШ) с уровнями, по годам.",
        &[
            ("year", "Год"),
            ("quality_group", "ГК"),
            ("quality_level", "Уровень по ГК"),
            ("wellbeing_group", "ГИСБШ"),
            ("wellbeing_level", "Уровень по ГИСБШ"),
        ],
    )
    .when_empty(
        "Группы по результатам и по благополучию (ГК, ГИСБШ) для этой школы не публиковались.",
    );
    for e in snapshot.detail.evaluations.get(&s.id).into_iter().flatten() {
        let mut row = vec![Cell::Int(e.year.into())];
        row.extend(rated_cells(e.quality()));
        row.extend(rated_cells(e.wellbeing()));
        ds.push(row);
    }
    ds
}

fn partners_table(snapshot: &Snapshot, s: &school::Model, prefix: &str) -> Dataset {
    let mut ds = Dataset::new(
        format!("{prefix}-partners"),
        format!("Партнёры: {}", s.name),
        "Соглашения школы: кто её поддерживает и кого поддерживает она.",
        &[
            ("kind", "Вид"),
            ("side", "Роль школы"),
            ("partner", "Партнёр"),
            ("starts_on", "Начало"),
            ("ends_on", "Окончание"),
            ("document", "Документ"),
            ("description", "Содержание"),
        ],
    );
    for p in snapshot
        .detail
        .partnerships
        .iter()
        .filter(|p| p.school_id == s.id || p.partner_school_id == Some(s.id))
    {
        let (side, partner) = if p.school_id == s.id {
            let partner = match (p.partner_school_id, p.partner_organisation_id) {
                (Some(id), _) => Cell::link(
                    &snapshot.schools[&id].full_name,
                    school_url(snapshot, &snapshot.schools[&id]),
                ),
                (None, Some(id)) => Cell::text(&snapshot.organisations[&id].name),
                (None, None) => Cell::Missing,
            };
            ("получает поддержку", partner)
        } else {
            let supported = &snapshot.schools[&p.school_id];
            (
                "оказывает поддержку",
                Cell::link(&supported.full_name, school_url(snapshot, supported)),
            )
        };
        ds.push(vec![
            Cell::text(russian::partnership_kind(p.kind)),
            Cell::text(side),
            partner,
            Cell::date(p.starts_on),
            Cell::date(p.ends_on),
            Cell::maybe(p.document.clone()),
            Cell::maybe(p.description.clone()),
        ]);
    }
    ds
}

fn curators_table(snapshot: &Snapshot, s: &school::Model, prefix: &str) -> Dataset {
    let mut ds = Dataset::new(
        format!("{prefix}-curators"),
        format!("Кураторы: {}", s.name),
        "Кураторы школы по программам поддержки, назначенные к школе и действующие сейчас. Кураторы программы во всём муниципалитете указаны на странице муниципалитета.",
        &[
            ("person", "ФИО"),
            ("position", "Должность"),
            ("programme", "Программа"),
            ("starts_on", "Начало"),
            ("ends_on", "Окончание"),
        ],
    )
    .when_empty(
        "Кураторов, назначенных к этой школе, нет; кураторы программы во всём муниципалитете указаны на странице муниципалитета.",
    );
    for a in snapshot
        .detail
        .appointments
        .iter()
        .filter(|a| a.curates_on(s.id, snapshot.as_of))
    {
        let person = &snapshot.people[&a.person_id];
        ds.push(vec![
            Cell::text(&person.full_name),
            Cell::maybe(person.position.clone()),
            a.programme
                .map_or(Cell::Missing, |p| Cell::text(russian::programme(p))),
            Cell::date(a.starts_on),
            Cell::date(a.ends_on),
        ]);
    }
    ds
}

/// The school's page.
pub fn page(snapshot: &Snapshot, s: &school::Model) -> Page {
    let m = snapshot.municipality(s.municipality_id);
    let prefix = format!("{}-school-{}", m.slug, s.id);
    let director = appointment::director_on(&snapshot.detail.appointments, s.id, snapshot.as_of)
        .map(|a| snapshot.people[&a.person_id].full_name.clone());
    let group = snapshot.group_of_school.get(&s.id).map(|membership| {
        let g = snapshot.group(membership.group_id);
        let centres: Vec<_> = snapshot.members[&g.id]
            .iter()
            .filter(|x| x.role == MembershipRole::ResourceCentre)
            .map(|x| {
                let rc = &snapshot.schools[&x.school_id];
                link(&rc.name, school_url(snapshot, rc))
            })
            .collect();
        json!({
            "link": link(format!("Группа {}", g.number), group_url(snapshot, g)),
            "is_resource_centre": membership.role == MembershipRole::ResourceCentre,
            "resource_centres": centres,
        })
    });
    let parent = s.parent_school_id.map(|id| {
        let p = &snapshot.schools[&id];
        link(&p.full_name, school_url(snapshot, p))
    });
    let branches: Vec<_> = snapshot
        .branches_of(s.id)
        .map(|b| link(&b.full_name, school_url(snapshot, b)))
        .collect();
    let points: Vec<Point> = snapshot
        .detail
        .evaluations
        .get(&s.id)
        .into_iter()
        .flatten()
        .map(|e| Point {
            year: e.year,
            quality: e.quality().group().map(|g| g.get()),
            wellbeing: e.wellbeing().group().map(|g| g.get()),
        })
        .collect();
    PageBuilder::new(school_url(snapshot, s), "school.html", s.full_name.clone())
        .parts_of(prefix.clone(), format!("{}-schools", m.slug))
        .set(
            "school",
            json!({
                "name": s.name,
                "full_name": s.full_name,
                "legal_form": s.legal_form,
                "kind": russian::school_kind(s.kind),
                "aliases": s.aliases.0,
                "cluster": s.cluster_id.and_then(|id| snapshot.clusters.get(&id)).map(|c| c.number),
                "director": director,
                "parent": parent,
                "risk_group": risk::risk_group(snapshot, s),
                "branches": branches,
            }),
        )
        .set("municipality", link(&m.name, municipality_url(m)))
        .set("group", group)
        .set(
            "chart",
            evaluation_chart(&format!("chart-{}", s.id), &s.name, &points),
        )
        .table("evaluations", evaluations_table(snapshot, s, &prefix))
        .sections("results", results::school_sections(snapshot, s, &prefix))
        .sections(
            "support",
            plans::school_sections(snapshot, s)
                .into_iter()
                .chain(plans::visits_section(snapshot, s, &prefix))
                .collect(),
        )
        .sections(
            "monitoring",
            risk::school_sections(snapshot, s, &prefix)
                .into_iter()
                .chain(results::deficit_section(snapshot, m, Some(s), &prefix))
                .chain(results::indicator_section(snapshot, s, &prefix))
                .chain(surveys::school_sections(snapshot, s, &prefix))
                .collect(),
        )
        .table("partners", partners_table(snapshot, s, &prefix))
        .table("curators", curators_table(snapshot, s, &prefix))
        .table(
            "programmes",
            programme_table(
                snapshot,
                format!("{prefix}-programmes"),
                format!("Программы поддержки: {}", s.name),
                |x| x.id == s.id,
                false,
            ),
        )
        .build()
}
