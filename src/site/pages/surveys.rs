//! A school's rounds of the change survey «Есть ли изменения?»: per section, how many answered
//! «no change», «slight» and «noticeable», as a chart and its table.

use super::results::Section;
use crate::entities::school;
use crate::monitoring::survey::sections;
use crate::site::chart::stacked_bars;
use crate::site::dataset::{Cell, Dataset};
use crate::site::russian;
use crate::site::snapshot::Snapshot;

const ANSWERS: [&str; 3] = [
    "Изменений нет",
    "Незначительные изменения",
    "Заметные изменения",
];

/// A section per round, newest first.
pub fn school_sections(snapshot: &Snapshot, s: &school::Model, prefix: &str) -> Vec<Section> {
    let mut rounds: Vec<_> = snapshot
        .detail
        .survey_rounds
        .get(&s.id)
        .into_iter()
        .flatten()
        .collect();
    rounds.sort_by_key(|r| std::cmp::Reverse(r.held_on.earliest()));
    rounds
        .into_iter()
        .map(|round| {
            let answers = snapshot
                .detail.survey_answers
                .get(&round.id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let totals = sections(answers, &snapshot.survey_statements);
            let date = russian::date(round.held_on);
            let title = format!(
                "Анкета «Есть ли изменения?», {date}: {} {}",
                round.respondents,
                russian::plural(round.respondents.into(), ["ответивший", "ответивших", "ответивших"])
            );
            let mut ds = Dataset::new(
                format!("{prefix}-survey-{}", round.held_on),
                format!("{title}: {}", s.name),
                "Ответы на утверждения анкеты, сложенные по разделам, с долями ответов (в сумме 100 %).",
                &[
                    ("section", "Раздел"),
                    ("no_change", "Изменений нет"),
                    ("slight", "Незначительные изменения"),
                    ("noticeable", "Заметные изменения"),
                    ("shares", "Доли, %"),
                ],
            );
            let mut rows = Vec::new();
            for t in &totals {
                let shares = t.shares();
                let mut row = vec![Cell::text(&t.name)];
                row.extend(t.counts.iter().map(|&c| Cell::Int(c.into())));
                row.push(Cell::text(format!("{} / {} / {}", shares[0], shares[1], shares[2])));
                ds.push(row);
                rows.push((t.name.clone(), t.counts, shares));
            }
            Section {
                chart: stacked_bars(
                    &format!("survey-{}-{}", s.id, round.id),
                    &title,
                    ANSWERS,
                    &rows,
                ),
                title,
                table: ds,
            }
        })
        .collect()
}
