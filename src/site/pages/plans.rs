//! Plans on the site: a school's roadmaps and its curator visits on the school page, and a
//! municipality's «Планы мероприятий» page with each plan's numbered sections. A column no
//! measure of a plan fills is left out; visit notes are never published.

use super::results::Section;
use super::{Page, PageBuilder, link, municipality_url};
use crate::domain::ReviewState;
use crate::entities::{measure, municipality, plan, school};
use crate::site::dataset::{Cell, Dataset};
use crate::site::russian;
use crate::site::snapshot::Snapshot;

/// The site-relative address of a municipality's plans.
pub fn plans_url(m: &municipality::Model) -> String {
    format!("{}/plans.html", m.slug)
}

/// « (2021-2022 учебный год)», or nothing where the plan names no year or its title does.
fn year_words(p: &plan::Model) -> String {
    match p.school_year {
        Some(y) if !p.title.contains(&y.to_string()) => format!(" ({y} учебный год)"),
        _ => String::new(),
    }
}

/// An optional column of a measure table: its key, its heading, and how a measure fills it.
type OptionalColumn = (
    &'static str,
    &'static str,
    fn(&measure::Model) -> Option<&str>,
);

/// The optional columns of a measure table.
const OPTIONAL: [OptionalColumn; 5] = [
    ("period", "Сроки", |m| m.period_text.as_deref()),
    ("result", "Результат", |m| m.result.as_deref()),
    ("responsible", "Ответственные", |m| {
        m.responsible.as_deref()
    }),
    ("evaluation", "Методы оценки", |m| {
        m.evaluation_method.as_deref()
    }),
    ("report", "Отчёт школы", |m| m.report.as_deref()),
];

/// A table of `measures`, numbered `number(i)`, with the columns some measure fills, the target
/// schools where any measure names them, and the status.
fn measure_table(
    snapshot: &Snapshot,
    id: String,
    title: String,
    measures: &[&measure::Model],
    number: impl Fn(usize) -> String,
) -> Dataset {
    let used: Vec<_> = OPTIONAL
        .iter()
        .filter(|(_, _, value)| measures.iter().any(|m| value(m).is_some()))
        .collect();
    let targets = |m: &measure::Model| -> Vec<&school::Model> {
        snapshot
            .detail
            .measure_targets
            .get(&m.id)
            .into_iter()
            .flatten()
            .filter_map(|id| snapshot.schools.get(id))
            .collect()
    };
    let with_targets = measures.iter().any(|m| !targets(m).is_empty());
    let mut table = Dataset::new(
        id,
        title,
        "Мероприятия плана, как их публикуют: сроки, результат, ответственные, адресаты, методы оценки и ход выполнения.",
        &[("number", "№"), ("title", "Мероприятие")],
    );
    for (key, heading, _) in &used {
        table = table.column(*key, *heading);
    }
    if with_targets {
        table = table.column("targets", "Адресаты");
    }
    table = table.column("status", "Ход выполнения");
    for (i, m) in measures.iter().enumerate() {
        let mut row = vec![Cell::text(number(i)), Cell::text(&m.title)];
        row.extend(used.iter().map(|(_, _, value)| Cell::maybe(value(m))));
        if with_targets {
            let names: Vec<&str> = targets(m).iter().map(|s| s.name.as_str()).collect();
            row.push(Cell::maybe(
                m.targets_text
                    .clone()
                    .or((!names.is_empty()).then(|| names.join("; "))),
            ));
        }
        row.push(Cell::text(m.status.words()));
        table.push(row);
    }
    table
}

/// The measures of plan `id`, in its order.
fn measures_of(snapshot: &Snapshot, id: i32) -> Vec<&measure::Model> {
    let mut list: Vec<_> = snapshot
        .detail
        .measures
        .get(&id)
        .into_iter()
        .flatten()
        .collect();
    list.sort_by_key(|m| m.position);
    list
}

/// A school's roadmaps, newest first, one section each; the curator's review is named once it
/// has begun.
pub fn school_sections(snapshot: &Snapshot, s: &school::Model) -> Vec<Section> {
    let mut plans: Vec<&plan::Model> = snapshot
        .detail
        .plans
        .get(&s.municipality_id)
        .into_iter()
        .flatten()
        .filter(|p| p.school_id == Some(s.id))
        .collect();
    plans.sort_by_key(|p| std::cmp::Reverse(p.school_year));
    plans
        .into_iter()
        .map(|p| {
            let mut title = format!("{}{}", p.title, year_words(p));
            if let Some(state) = p.review_state.filter(|st| *st != ReviewState::Draft) {
                title.push_str(&format!(" — {}", state.words()));
            }
            let measures = measures_of(snapshot, p.id);
            Section {
                // A roadmap is one school's: published on its own, not as a part of a
                // dataset of all schools (the page's other tables are).
                table: measure_table(
                    snapshot,
                    format!(
                        "{}-roadmap-{}",
                        snapshot.municipality(s.municipality_id).slug,
                        p.id
                    ),
                    format!("{}: {}", title, s.name),
                    &measures,
                    |i| (i + 1).to_string(),
                ),
                title,
                chart: None,
            }
        })
        .collect()
}

/// The visits of a school's curators: dates and curators, never the notes; none without visits.
pub fn visits_section(snapshot: &Snapshot, s: &school::Model, prefix: &str) -> Option<Section> {
    let mut visits: Vec<_> = snapshot.detail.visits.get(&s.id)?.iter().collect();
    visits.sort_by_key(|v| std::cmp::Reverse(v.visited_on));
    let title = format!(
        "Посещения куратора: {} {}, последнее — {}",
        visits.len(),
        russian::plural(visits.len() as i64, ["посещение", "посещения", "посещений"]),
        visits[0].visited_on.format("%d.%m.%Y")
    );
    let mut table = Dataset::new(
        format!("{prefix}-visits"),
        format!("Посещения куратора: {}", s.name),
        "Даты посещений школы кураторами (заметки кураторов не публикуются).",
        &[("date", "Дата"), ("curator", "Куратор")],
    );
    for v in visits {
        table.push(vec![
            Cell::text(v.visited_on.format("%d.%m.%Y").to_string()),
            Cell::maybe(
                snapshot
                    .people
                    .get(&v.person_id)
                    .map(|p| p.full_name.clone()),
            ),
        ]);
    }
    Some(Section {
        title,
        chart: None,
        table,
    })
}

/// The municipality's plans page, each plan in its numbered sections; none without plans.
pub fn pages(snapshot: &Snapshot, m: &municipality::Model) -> Vec<Page> {
    let mut plans: Vec<&plan::Model> = snapshot
        .detail
        .plans
        .get(&m.id)
        .into_iter()
        .flatten()
        .filter(|p| p.school_id.is_none())
        .collect();
    if plans.is_empty() {
        return Vec::new();
    }
    plans.sort_by_key(|p| std::cmp::Reverse(p.school_year));
    let mut sections = Vec::new();
    for p in plans {
        let measures = measures_of(snapshot, p.id);
        let numbered = snapshot
            .detail
            .plan_sections
            .get(&p.id)
            .into_iter()
            .flatten();
        let mut parts: Vec<(String, Vec<&measure::Model>, Option<i32>)> = numbered
            .map(|section| {
                let inside = measures
                    .iter()
                    .copied()
                    .filter(|x| x.section_id == Some(section.id))
                    .collect();
                (
                    format!("{}. {}", section.number, section.title),
                    inside,
                    Some(section.number),
                )
            })
            .collect();
        let loose: Vec<_> = measures
            .iter()
            .copied()
            .filter(|x| x.section_id.is_none())
            .collect();
        if !loose.is_empty() {
            parts.insert(0, (String::new(), loose, None));
        }
        for (i, (heading, list, number)) in parts.into_iter().enumerate() {
            let title = match heading.is_empty() {
                true => format!("{}{}", p.title, year_words(p)),
                false => format!("{}{} — {heading}", p.title, year_words(p)),
            };
            sections.push(Section {
                table: measure_table(
                    snapshot,
                    format!("{}-plan-{}-{}", m.slug, p.id, i + 1),
                    title.clone(),
                    &list,
                    |k| number.map_or((k + 1).to_string(), |n| format!("{n}.{}", k + 1)),
                ),
                title,
                chart: None,
            });
        }
    }
    vec![
        PageBuilder::new(
            plans_url(m),
            "plans.html",
            format!("Планы мероприятий: {}", m.name),
        )
        .set("municipality", link(&m.name, municipality_url(m)))
        .sections("plans", sections)
        .build(),
    ]
}
