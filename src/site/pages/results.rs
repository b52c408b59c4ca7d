//! Assessment results, deficits and indicators on the site: a school's tables and charts by
//! procedure, a municipality's tables with its mean, its deficits table, and the page on the
//! identification of low-results schools.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Value, json};

use super::{PageBuilder, school_url};
use crate::domain::{Figure, Mean, Procedure, ResultStatus};
use crate::entities::competency_deficit::{self, Levels};
use crate::entities::{assessment_result, municipality, school};
use crate::monitoring::Cell as ResultCell;
use crate::monitoring::table::table;
use crate::site::chart::{Chart, Line, line_charts};
use crate::site::dataset::{Cell, Dataset};
use crate::site::snapshot::Snapshot;

/// A table of a page with its chart (if any), under a heading.
pub struct Section {
    /// The heading.
    pub title: String,
    /// The chart, an SVG.
    pub chart: Option<String>,
    /// The table, also an open dataset.
    pub table: Dataset,
}

impl PageBuilder {
    /// Puts a list of sections on the page under `key` and publishes their tables.
    pub fn sections(mut self, key: &str, sections: Vec<Section>) -> Self {
        let sections: Vec<Section> = sections
            .into_iter()
            .map(|mut s| {
                s.table = self.adopt(s.table);
                s
            })
            .collect();
        let views: Vec<Value> = sections
            .iter()
            .map(|s| json!({ "title": s.title, "chart": s.chart, "table": s.table.view() }))
            .collect();
        self.0.context.insert(key.to_owned(), Value::Array(views));
        self.0
            .datasets
            .extend(sections.into_iter().map(|s| s.table));
        self
    }
}

/// What a row of a results table is of: «Математика, 5 класс», «Математика (проф.)».
fn cell_name(snapshot: &Snapshot, procedure: Procedure, cell: &ResultCell) -> String {
    let mut name = snapshot.subjects[&cell.subject_id].name.clone();
    let grades = procedure.grades();
    if let Some(grade) = cell.grade.filter(|_| grades.start() != grades.end()) {
        name.push_str(&format!(", {grade} класс"));
    }
    if let Some(level) = cell.level {
        name.push_str(&format!(" ({})", level.abbreviation()));
    }
    name
}

/// A record as a table cell: its mean as printed, or its status in words.
fn result_cell(record: Option<&assessment_result::Model>) -> Cell {
    match record {
        None => Cell::Missing,
        Some(r) => match (r.status, r.mean_hundredths) {
            (ResultStatus::Result, Some(mean)) => Cell::Printed(mean.as_f64(), mean.to_string()),
            (ResultStatus::Result, None) => Cell::Missing,
            (status, _) => Cell::text(status.words()),
        },
    }
}

/// The dataset id of a procedure: `vpr`, `gve-9`.
fn procedure_key(procedure: Procedure) -> String {
    format!("{procedure:?}")
        .to_lowercase()
        .replace("gve", "gve-")
}

/// The kind of mean a procedure's table shows, for its heading.
fn mean_words(procedure: Procedure) -> &'static str {
    match procedure {
        Procedure::Ege => "средний балл (база — средняя оценка)",
        Procedure::Regional => "средний балл",
        _ => "средняя оценка",
    }
}

/// A school's results: one table per procedure (subjects as rows, years as columns) with a
/// chart of the same figures.
pub fn school_sections(snapshot: &Snapshot, s: &school::Model, prefix: &str) -> Vec<Section> {
    let Some(results) = snapshot.detail.results.get(&s.id) else {
        return Vec::new();
    };
    let mut sections = Vec::new();
    for procedure in Procedure::ALL {
        let rows: Vec<&assessment_result::Model> = results
            .iter()
            .filter(|r| r.procedure == procedure)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let years: BTreeSet<i32> = rows.iter().map(|r| r.year).collect();
        let cells: BTreeSet<ResultCell> = rows.iter().map(|r| ResultCell::of(r)).collect();
        let by_key: HashMap<(ResultCell, i32), &assessment_result::Model> = rows
            .iter()
            .map(|r| ((ResultCell::of(r), r.year), *r))
            .collect();
        let name = procedure.abbreviation();
        let mut ds = Dataset::new(
            format!("{prefix}-results-{}", procedure_key(procedure)),
            format!("Результаты {name}: {}", s.name),
            format!(
                "Результаты {name} школы по предметам и годам ({}); «не проводилась» и «нет участников» — не нулевой результат.",
                mean_words(procedure)
            ),
            &[("subject", "Предмет")],
        );
        for year in &years {
            ds = ds.column(format!("y{year}"), year.to_string());
        }
        let mut lines = Vec::new();
        let mut figures = Vec::new();
        for cell in &cells {
            let label = cell_name(snapshot, procedure, cell);
            let records: Vec<Option<&assessment_result::Model>> = years
                .iter()
                .map(|y| by_key.get(&(*cell, *y)).copied())
                .collect();
            let mut row = vec![Cell::text(&label)];
            row.extend(records.iter().map(|r| result_cell(*r)));
            ds.push(row);
            figures.push(procedure.figure(cell.level));
            lines.push(Line {
                short: label.clone(),
                name: label,
                values: records
                    .iter()
                    .map(|r| r.and_then(|r| r.mean_hundredths).map(Mean::as_f64))
                    .collect(),
            });
        }
        // Marks and scores do not share an axis: the chart draws the scores where there are
        // any (the ЕГЭ), the marks otherwise; the table has both.
        let figure = if figures.contains(&Figure::Score) {
            Figure::Score
        } else {
            Figure::Mark
        };
        let (lines, subjects): (Vec<Line>, Vec<String>) = lines
            .into_iter()
            .zip(&cells)
            .zip(&figures)
            .filter(|(_, f)| **f == figure)
            .map(|((line, cell), _)| (line, snapshot.subjects[&cell.subject_id].name.clone()))
            .unzip();
        let (range, ticks, words) = match figure {
            Figure::Mark => ((2.0, 5.0), vec![2.0, 3.0, 4.0, 5.0], "средняя оценка"),
            Figure::Score => (
                (0.0, 100.0),
                vec![0.0, 25.0, 50.0, 75.0, 100.0],
                "средний балл",
            ),
        };
        let chart = line_charts(
            Chart {
                id: &format!("chart-{}-{}", s.id, procedure_key(procedure)),
                title: format!("Динамика результатов {name} ({words}): {}", s.name),
                years: years.iter().copied().collect(),
                lines,
                range,
                ticks,
                decimals: 2,
            },
            &subjects,
        );
        sections.push(Section {
            title: format!("{name}: {}", mean_words(procedure)),
            chart,
            table: ds,
        });
    }
    sections
}

/// A municipality's results: per procedure, its schools as rows and year × subject as columns
/// (the seeds' layout), with the municipality's mean as the last row.
pub fn municipal_sections(snapshot: &Snapshot, m: &municipality::Model) -> Vec<Section> {
    let schools: Vec<&school::Model> = snapshot.schools_of(m.id).collect();
    let ids: Vec<i32> = schools.iter().map(|s| s.id).collect();
    let mut sections = Vec::new();
    for procedure in Procedure::ALL {
        let all: Vec<assessment_result::Model> = ids
            .iter()
            .flat_map(|id| snapshot.detail.results.get(id).into_iter().flatten())
            .filter(|r| r.procedure == procedure)
            .cloned()
            .collect();
        if all.is_empty() {
            continue;
        }
        let years: BTreeSet<i32> = all.iter().map(|r| r.year).collect();
        let name = procedure.abbreviation();
        let mut ds = Dataset::new(
            format!("{}-results-{}", m.slug, procedure_key(procedure)),
            format!("Результаты {name}: {}", m.name),
            format!(
                "Результаты {name} школ муниципалитета по годам и предметам ({}) и среднее по муниципалитету (взвешенное по числу участников, где оно известно у всех школ).",
                mean_words(procedure)
            ),
            &[("school", "Школа")],
        );
        let mut columns = Vec::new();
        let mut tables = BTreeMap::new();
        for year in &years {
            let of_year: Vec<assessment_result::Model> =
                all.iter().filter(|r| r.year == *year).cloned().collect();
            tables.insert(*year, of_year);
        }
        let built: BTreeMap<i32, _> = tables
            .iter()
            .map(|(year, rows)| (*year, table(&ids, rows, |subject| subject)))
            .collect();
        for (year, t) in &built {
            for cell in &t.columns {
                let key = format!(
                    "y{year}_{}{}{}",
                    snapshot.subjects[&cell.subject_id].code,
                    cell.grade.map_or(String::new(), |g| format!("_{g}")),
                    cell.level
                        .map_or(String::new(), |l| format!("_{l:?}").to_lowercase())
                );
                ds = ds.column(
                    key,
                    format!("{year}: {}", cell_name(snapshot, procedure, cell)),
                );
                columns.push((*year, *cell));
            }
        }
        let lookup = |school_id: i32, year: i32, cell: ResultCell| {
            tables[&year]
                .iter()
                .find(|r| r.school_id == school_id && ResultCell::of(r) == cell)
        };
        for s in &schools {
            if !columns.iter().any(|(y, c)| lookup(s.id, *y, *c).is_some()) {
                continue;
            }
            let mut row = vec![Cell::link(&s.name, school_url(snapshot, s))];
            row.extend(
                columns
                    .iter()
                    .map(|(y, c)| result_cell(lookup(s.id, *y, *c))),
            );
            ds.push(row);
        }
        let mut mean_row = vec![Cell::text("Среднее по муниципалитету")];
        for t in built.values() {
            mean_row.extend(t.means.iter().map(|mean| match mean.mean {
                Some(m) => Cell::Decimal(f64::from(m) / 100.0, 2),
                None => Cell::Missing,
            }));
        }
        ds.push(mean_row);
        sections.push(Section {
            title: format!("{name}: {}", mean_words(procedure)),
            chart: None,
            table: ds,
        });
    }
    sections
}

/// Whole percentages with the printed ones beside them where they differ.
fn share_cells(levels: &Levels, printed: Option<[i16; 4]>) -> Vec<Cell> {
    let computed = levels.shares();
    let mut cells: Vec<Cell> = computed.iter().map(|&s| Cell::Int(s.into())).collect();
    let differ = printed.is_some_and(|p| {
        p.iter()
            .zip(computed)
            .any(|(p, c)| i64::from(*p) != i64::from(c))
    });
    cells.push(match printed {
        Some(p) if differ => Cell::text(format!(
            "{} / {} / {} / {} — не совпадают с расчётом по численности",
            p[0], p[1], p[2], p[3]
        )),
        Some(_) => Cell::text("совпадают"),
        None => Cell::Missing,
    });
    cells
}

/// The competency deficits of a municipality's (or one school's) teachers, latest year, with
/// the total line; none when nothing is recorded.
pub fn deficit_section(
    snapshot: &Snapshot,
    m: &municipality::Model,
    school: Option<&school::Model>,
    prefix: &str,
) -> Option<Section> {
    let rows: Vec<&competency_deficit::Model> = snapshot
        .detail
        .deficits
        .get(&m.id)
        .into_iter()
        .flatten()
        .filter(|d| d.school_id == school.map(|s| s.id))
        .collect();
    let year = rows.iter().map(|d| d.year).max()?;
    let mut rows: Vec<_> = rows.into_iter().filter(|d| d.year == year).collect();
    rows.sort_by_key(|d| d.subject_id);
    let whose = school.map_or(m.name.as_str(), |s| s.name.as_str());
    let mut ds = Dataset::new(
        format!("{prefix}-deficits-{year}"),
        format!("Предметные дефициты педагогов, {year}: {whose}"),
        "Численность педагогов по уровням сформированности предметных компетенций: A — системные дефициты, B — локальные, C — несущественные, D — дефицитов нет. Доли рассчитаны по численности (метод наибольшего остатка, в сумме 100 %); опубликованные доли приведены, где они расходятся с расчётом.",
        &[
            ("subject", "Предмет"),
            ("teachers", "Педагогов"),
            ("level_a", "A"),
            ("level_b", "B"),
            ("level_c", "C"),
            ("level_d", "D"),
            ("share_a", "Доля A, %"),
            ("share_b", "Доля B, %"),
            ("share_c", "Доля C, %"),
            ("share_d", "Доля D, %"),
            ("published_shares", "Опубликованные доли A / B / C / D"),
        ],
    );
    let counts = |levels: &Levels| -> Vec<Cell> {
        std::iter::once(Cell::Int(levels.teachers.into()))
            .chain(levels.counts.iter().map(|&c| Cell::Int(c.into())))
            .collect()
    };
    for d in &rows {
        let levels = Levels::of(d);
        let mut row = vec![Cell::text(&snapshot.subjects[&d.subject_id].name)];
        row.extend(counts(&levels));
        row.extend(share_cells(&levels, d.published_shares()));
        ds.push(row);
    }
    let total = Levels::total(rows.iter().copied());
    let mut row = vec![Cell::text("Всего")];
    row.extend(counts(&total));
    row.extend(share_cells(&total, None));
    ds.push(row);
    Some(Section {
        title: format!("Предметные дефициты педагогов, {year}"),
        chart: None,
        table: ds,
    })
}

/// A school's monitoring indicators by year; none when nothing is recorded.
pub fn indicator_section(snapshot: &Snapshot, s: &school::Model, prefix: &str) -> Option<Section> {
    let values = snapshot.detail.indicator_values.get(&s.id)?;
    let years: BTreeSet<i32> = values.iter().map(|v| v.year).collect();
    let indicators: BTreeSet<i32> = values.iter().map(|v| v.indicator_id).collect();
    let mut ds = Dataset::new(
        format!("{prefix}-indicators"),
        format!("Показатели мониторинга: {}", s.name),
        "Критерии и показатели мониторинга реализации программы улучшения результатов, по годам.",
        &[("criterion", "Критерий"), ("indicator", "Показатель")],
    );
    for year in &years {
        ds = ds.column(format!("y{year}"), year.to_string());
    }
    for id in indicators {
        let indicator = &snapshot.indicators[&id];
        let mut row = vec![
            Cell::text(&indicator.criterion),
            Cell::text(&indicator.name),
        ];
        for year in &years {
            let value = values
                .iter()
                .find(|v| v.indicator_id == id && v.year == *year);
            row.push(match value {
                None => Cell::Missing,
                Some(v) => match (v.percentage, v.count, v.present) {
                    (Some(p), _, _) => Cell::Printed(p.as_f64(), p.to_string()),
                    (_, Some(n), _) => Cell::Int(n.into()),
                    (_, _, Some(yes)) => Cell::text(if yes { "да" } else { "нет" }),
                    _ => Cell::Missing,
                },
            });
        }
        ds.push(row);
    }
    Some(Section {
        title: "Показатели мониторинга".into(),
        chart: None,
        table: ds,
    })
}
