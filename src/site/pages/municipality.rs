//! A municipality's page and its partnership groups' pages.

use serde_json::json;

use super::identification::identification_url;
use super::plans::plans_url;
use super::protocols::protocols_url;
use super::{Page, PageBuilder, group_url, link, municipality_url, results, risk, school_url};
use crate::domain::{AppointmentRole, MembershipRole, Percentage, Programme, Rated};
use crate::entities::{evaluation, municipality, person, programme_participation, school};
use crate::site::dataset::{Cell, Dataset};
use crate::site::russian::{self, plural};
use crate::site::snapshot::Snapshot;

/// The figures a municipality is judged by.
#[derive(Clone, serde::Deserialize, serde::Serialize)]
pub struct Headline {
    /// Schools held in schoolnet.
    pub held: usize,
    /// The published total of schools, if known.
    pub published: Option<i32>,
    /// Schools currently in ШНОР.
    pub low_results: usize,
    /// ШНОР against the published total.
    pub share: Option<Percentage>,
    /// The published regional average.
    pub regional: Option<Percentage>,
}

/// The headline figures of a municipality.
pub fn headline(snapshot: &Snapshot, m: &municipality::Model) -> Headline {
    let schools: Vec<i32> = snapshot.schools_of(m.id).map(|s| s.id).collect();
    let low_results = schools
        .iter()
        .filter(|id| {
            programme_participation::currently_in(
                snapshot
                    .detail
                    .participations
                    .iter()
                    .filter(|p| p.school_id == **id),
                Programme::LowResults,
            )
        })
        .count();
    Headline {
        held: schools.len(),
        published: m.school_count,
        low_results,
        share: m
            .school_count
            .and_then(|total| Percentage::of(low_results as u64, total as u64)),
        regional: m.regional_low_results_share,
    }
}

/// A published group as table cells: the number and its level, or the reason it is absent.
pub fn rated_cells(rated: Rated) -> [Cell; 2] {
    match rated {
        Rated::Group(group, level) => [
            Cell::Int(group.get().into()),
            level.map_or(Cell::Missing, |l| Cell::text(russian::level(l))),
        ],
        Rated::Absent(reason) => [Cell::text(reason.wording()), Cell::Missing],
    }
}

fn latest(snapshot: &Snapshot, school_id: i32) -> Option<&evaluation::Model> {
    snapshot
        .detail
        .evaluations
        .get(&school_id)
        .and_then(|list| list.last())
}

fn school_table(snapshot: &Snapshot, m: &municipality::Model) -> Dataset {
    let mut ds = Dataset::new(
        format!("{}-schools", m.slug),
        format!("Общеобразовательные организации: {}", m.name),
        "Школы муниципалитета с кластером, группой качества (ГК), группой по индексу социального благополучия школы (ГИСБШ) и уровнями по последней оценке.",
        &[
            ("school", "Школа"),
            ("cluster", "Кластер"),
            ("year", "Год оценки"),
            ("quality_group", "ГК"),
            ("quality_level", "Уровень по ГК"),
            ("wellbeing_group", "ГИСБШ"),
            ("wellbeing_level", "Уровень по ГИСБШ"),
        ],
    );
    for s in snapshot.schools_of(m.id) {
        let cluster = s
            .cluster_id
            .and_then(|id| snapshot.clusters.get(&id))
            .map_or(Cell::Missing, |c| Cell::Int(c.number.into()));
        let mut row = vec![Cell::link(&s.name, school_url(snapshot, s)), cluster];
        match latest(snapshot, s.id) {
            Some(e) => {
                row.push(Cell::Int(e.year.into()));
                row.extend(rated_cells(e.quality()));
                row.extend(rated_cells(e.wellbeing()));
            }
            None => row.extend(std::iter::repeat_n(Cell::Missing, 5)),
        }
        ds.push(row);
    }
    ds
}

fn group_table(snapshot: &Snapshot, m: &municipality::Model) -> Dataset {
    let mut ds = Dataset::new(
        format!("{}-groups", m.slug),
        format!("Группы партнёрского взаимодействия: {}", m.name),
        "Группы школ по территориальному признаку с ресурсными центрами и участниками.",
        &[
            ("group", "Группа"),
            ("resource_centres", "Ресурсный центр"),
            ("members", "Участники"),
            ("count", "Число ОО"),
        ],
    );
    for g in snapshot.groups_of(m.id) {
        let members = snapshot
            .members
            .get(&g.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let names = |role: MembershipRole| {
            let names: Vec<&str> = members
                .iter()
                .filter(|x| x.role == role)
                .map(|x| snapshot.schools[&x.school_id].name.as_str())
                .collect();
            (!names.is_empty()).then(|| names.join(", "))
        };
        ds.push(vec![
            Cell::link(format!("Группа {}", g.number), group_url(snapshot, g)),
            Cell::maybe(names(MembershipRole::ResourceCentre)),
            Cell::maybe(names(MembershipRole::Member)),
            Cell::Int(members.len() as i64),
        ]);
    }
    ds
}

/// A table that spans several municipalities leads with the municipality of each row.
fn leading_municipality_column(columns: &mut Vec<(&'static str, &'static str)>, spans: bool) {
    if spans {
        columns.insert(0, ("municipality", "Муниципалитет"));
    }
}

/// The leading municipality cell of a row of a table that spans several municipalities.
fn leading_municipality_cell(
    snapshot: &Snapshot,
    row: &mut Vec<Cell>,
    s: &school::Model,
    spans: bool,
) {
    if spans {
        row.insert(
            0,
            Cell::text(&snapshot.municipality(s.municipality_id).short_name),
        );
    }
}

/// Agreements of the given schools (as the supported side); with a municipality column when
/// the table spans several.
pub fn agreement_table(
    snapshot: &Snapshot,
    id: String,
    title: String,
    schools: impl Fn(&school::Model) -> bool,
    with_municipality: bool,
) -> Dataset {
    let mut columns = vec![
        ("school", "Школа"),
        ("kind", "Вид"),
        ("partner", "Партнёр"),
        ("starts_on", "Начало"),
        ("ends_on", "Окончание"),
        ("document", "Документ"),
        ("description", "Содержание"),
    ];
    leading_municipality_column(&mut columns, with_municipality);
    let mut ds = Dataset::new(
        id,
        title,
        "Соглашения школ с партнёрами: наставничество, базовые и пилотные площадки, сетевое партнёрство, методическое сопровождение.",
        &columns,
    );
    for p in &snapshot.detail.partnerships {
        let s = &snapshot.schools[&p.school_id];
        if !schools(s) {
            continue;
        }
        let partner = match (p.partner_school_id, p.partner_organisation_id) {
            (Some(id), _) => {
                let partner = &snapshot.schools[&id];
                Cell::link(&partner.full_name, school_url(snapshot, partner))
            }
            (None, Some(id)) => Cell::text(&snapshot.organisations[&id].name),
            (None, None) => Cell::Missing,
        };
        let mut row = vec![
            Cell::link(&s.name, school_url(snapshot, s)),
            Cell::text(russian::partnership_kind(p.kind)),
            partner,
            Cell::date(p.starts_on),
            Cell::date(p.ends_on),
            Cell::maybe(p.document.clone()),
            Cell::maybe(p.description.clone()),
        ];
        leading_municipality_cell(snapshot, &mut row, s, with_municipality);
        ds.push(row);
    }
    ds
}

/// Programme participation of the given schools, with inclusions, exclusions and justifications.
pub fn programme_table(
    snapshot: &Snapshot,
    id: String,
    title: String,
    schools: impl Fn(&school::Model) -> bool,
    with_municipality: bool,
) -> Dataset {
    let mut columns = vec![
        ("programme", "Программа"),
        ("school", "Школа"),
        ("included_on", "Включена"),
        ("excluded_on", "Исключена"),
        ("justification", "Обоснование исключения"),
        ("risk_group", "Группа риска"),
    ];
    leading_municipality_column(&mut columns, with_municipality);
    let mut ds = Dataset::new(
        id,
        title,
        "Участие школ в программах ШНОР, ШНСУ и проекте «500+»: включение, исключение и его обоснование.",
        &columns,
    );
    let mut rows: Vec<_> = snapshot
        .detail
        .participations
        .iter()
        .filter(|p| schools(&snapshot.schools[&p.school_id]))
        .collect();
    rows.sort_by_key(|p| (p.programme as u8, p.school_id, p.id));
    for p in rows {
        let s = &snapshot.schools[&p.school_id];
        let mut row = vec![
            Cell::text(russian::programme(p.programme)),
            Cell::link(&s.name, school_url(snapshot, s)),
            Cell::date(p.included_on),
            Cell::date(p.excluded_on),
            Cell::maybe(p.exclusion_justification.clone()),
            Cell::maybe(p.risk_group.clone()),
        ];
        leading_municipality_cell(snapshot, &mut row, s, with_municipality);
        ds.push(row);
    }
    ds
}

/// Who runs the programmes in the municipality: the appointed coordinators, curators and
/// directors, then the staff of its education authority and methodological centre (the head of
/// the department, the РМК's head, methodists), who hold no appointment but do the work.
fn staff_table(snapshot: &Snapshot, m: &municipality::Model) -> Dataset {
    let mut ds = Dataset::new(
        format!("{}-staff", m.slug),
        format!("Кто ведёт программы: {}", m.name),
        "Муниципальные координаторы, кураторы и директора школ по назначениям, а также работники органа управления образованием и методической службы муниципалитета.",
        &[
            ("role", "Роль"),
            ("person", "ФИО"),
            ("position", "Должность"),
            ("workplace", "Место работы"),
            ("programme", "Программа"),
            ("scope", "Школа"),
            ("starts_on", "Начало"),
            ("ends_on", "Окончание"),
        ],
    );
    let workplace = |person: &person::Model| match (
        person.workplace_school_id,
        person.workplace_organisation_id,
    ) {
        (Some(id), _) => {
            let s = &snapshot.schools[&id];
            Cell::link(&s.name, school_url(snapshot, s))
        }
        (None, Some(id)) => Cell::text(&snapshot.organisations[&id].name),
        (None, None) => Cell::Missing,
    };
    let mut appointments: Vec<_> = snapshot
        .detail
        .appointments
        .iter()
        .filter(|a| a.municipality_id == m.id)
        .collect();
    appointments.sort_by_key(|a| {
        (
            a.role != AppointmentRole::Coordinator,
            a.role != AppointmentRole::Curator,
            a.id,
        )
    });
    for a in &appointments {
        let person = &snapshot.people[&a.person_id];
        let scope = match a.school_id {
            Some(id) => {
                let s = &snapshot.schools[&id];
                Cell::link(&s.name, school_url(snapshot, s))
            }
            None => Cell::text("все школы муниципалитета"),
        };
        ds.push(vec![
            Cell::text(russian::role(a.role)),
            Cell::text(&person.full_name),
            Cell::maybe(person.position.clone()),
            workplace(person),
            a.programme
                .map_or(Cell::Missing, |p| Cell::text(russian::programme(p))),
            scope,
            Cell::date(a.starts_on),
            Cell::date(a.ends_on),
        ]);
    }
    let staff = snapshot
        .workers_in(m.id)
        .filter(|p| !appointments.iter().any(|a| a.person_id == p.id));
    for person in staff {
        let organisation = &snapshot.organisations[&person
            .workplace_organisation_id
            .expect("filtered on a workplace organisation")];
        ds.push(vec![
            Cell::text(russian::organisation_role(organisation.kind)),
            Cell::text(&person.full_name),
            Cell::maybe(person.position.clone()),
            workplace(person),
            Cell::Missing,
            Cell::Missing,
            Cell::Missing,
            Cell::Missing,
        ]);
    }
    ds
}

/// The agreements of a municipality's schools: its page's table, and its section of the
/// site-wide list.
pub fn agreements(snapshot: &Snapshot, m: &municipality::Model) -> Dataset {
    agreement_table(
        snapshot,
        format!("{}-agreements", m.slug),
        format!("Соглашения и наставничество: {}", m.name),
        |s| s.municipality_id == m.id,
        false,
    )
}

/// The programme participation of a municipality's schools: its page's table, and its section
/// of the site-wide list.
pub fn programmes(snapshot: &Snapshot, m: &municipality::Model) -> Dataset {
    programme_table(
        snapshot,
        format!("{}-programmes", m.slug),
        format!("Программы поддержки: {}", m.name),
        |s| s.municipality_id == m.id,
        false,
    )
}

/// The municipality's page.
pub fn page(snapshot: &Snapshot, m: &municipality::Model) -> Page {
    let h = headline(snapshot, m);
    let mut summary = match h.published {
        Some(total) => format!(
            "В муниципалитете {total} {}",
            plural(
                total.into(),
                [
                    "общеобразовательная организация",
                    "общеобразовательные организации",
                    "общеобразовательных организаций"
                ]
            )
        ),
        None => format!(
            "В системе {} {}",
            h.held,
            plural(h.held as i64, ["школа", "школы", "школ"])
        ),
    };
    summary.push_str(&format!(
        "; в программе ШНОР сейчас {} {}",
        h.low_results,
        plural(h.low_results as i64, ["школа", "школы", "школ"])
    ));
    if let Some(share) = h.share {
        summary.push_str(&format!(" ({share}"));
        if let Some(regional) = h.regional {
            summary.push_str(&format!(" при среднем по региону {regional}"));
        }
        summary.push(')');
    }
    summary.push('.');
    let slug = m.slug.clone();
    PageBuilder::new(municipality_url(m), "municipality.html", m.name.clone())
        .set(
            "municipality",
            json!({
                "name": m.name,
                "region": snapshot.regions[&m.region_id].name,
                "authority": snapshot.authority(m.id).map(|a| a.name.clone()),
            }),
        )
        .set("summary", summary)
        .set(
            "identification",
            link("Выявление ШНОР", identification_url(m)),
        )
        .set(
            "protocols",
            snapshot
                .detail
                .meetings
                .contains_key(&m.id)
                .then(|| link("Протоколы", protocols_url(m))),
        )
        .set(
            "plans",
            snapshot
                .detail
                .plans
                .get(&m.id)
                .is_some_and(|list| list.iter().any(|p| p.school_id.is_none()))
                .then(|| link("Планы мероприятий", plans_url(m))),
        )
        .table("schools", school_table(snapshot, m))
        .sections("results", results::municipal_sections(snapshot, m))
        .sections(
            "deficits",
            risk::municipal_section(snapshot, m)
                .into_iter()
                .chain(results::deficit_section(snapshot, m, None, &slug))
                .collect(),
        )
        .table("groups", group_table(snapshot, m))
        .table("agreements", agreements(snapshot, m))
        .table("programmes", programmes(snapshot, m))
        .table("staff", staff_table(snapshot, m))
        .build()
}

/// A page per partnership group: the members side by side.
pub fn group_pages<'a>(
    snapshot: &'a Snapshot,
    m: &'a municipality::Model,
) -> impl Iterator<Item = Page> + 'a {
    snapshot.groups_of(m.id).map(move |g| {
        let members = snapshot.members.get(&g.id).map(Vec::as_slice).unwrap_or_default();
        let id = format!("{}-group-{}", m.slug, g.number);
        let mut ds = Dataset::new(
            id.clone(),
            format!("Участники групп: группа № {} ({})", g.number, m.name),
            "Школы группы партнёрского взаимодействия с их ролью, кластером и группами по последней оценке.",
            &[("school", "Школа"), ("role", "Роль"), ("cluster", "Кластер"), ("quality_group", "ГК"), ("quality_level", "Уровень по ГК"), ("wellbeing_group", "ГИСБШ"), ("wellbeing_level", "Уровень по ГИСБШ")],
        );
        let mut cards = Vec::new();
        for member in members {
            let s = &snapshot.schools[&member.school_id];
            let role = match member.role {
                MembershipRole::ResourceCentre => "Ресурсный центр",
                MembershipRole::Member => "Участник",
            };
            let cluster = s.cluster_id.and_then(|id| snapshot.clusters.get(&id)).map(|c| c.number);
            let mut row = vec![Cell::link(&s.name, school_url(snapshot, s)), Cell::text(role), cluster.map_or(Cell::Missing, |c| Cell::Int(c.into()))];
            match latest(snapshot, s.id) {
                Some(e) => {
                    row.extend(rated_cells(e.quality()));
                    row.extend(rated_cells(e.wellbeing()));
                }
                None => row.extend(std::iter::repeat_n(Cell::Missing, 4)),
            }
            ds.push(row);
            cards.push(json!({ "school": link(&s.full_name, school_url(snapshot, s)), "role": role, "kind": russian::school_kind(s.kind) }));
        }
        PageBuilder::new(group_url(snapshot, g), "group.html", format!("Группа партнёрского взаимодействия № {} — {}", g.number, m.name))
            .parts_of(id, format!("{}-groups-members", m.slug))
            .set("municipality", link(&m.name, municipality_url(m)))
            .set("cards", cards)
            .set("count", format!("{} {}", members.len(), plural(members.len() as i64, ["школа", "школы", "школ"])))
            .table("members", ds)
            .build()
    })
}
