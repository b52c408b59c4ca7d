//! A municipality's page «Выявление ШНОР»: the criteria of seed 004 in words, the procedures
//! analysed, what the rules find in the stored results (candidates with their reasons, schools
//! lacking data), and the decision the municipality published.

use std::collections::HashMap;

use serde_json::json;

use super::{Page, PageBuilder, link, municipality_url, school_url};
use crate::domain::{Percentage, Procedure, ProcedureSubject, Programme};
use crate::entities::{identification_decision, municipality, programme_participation};
use crate::monitoring::identification::{Criteria, Finding, identify, seed_procedures};
use crate::site::dataset::{Cell, Dataset};
use crate::site::russian::plural;
use crate::site::snapshot::Snapshot;

/// The site-relative address of a municipality's identification page.
pub fn identification_url(m: &municipality::Model) -> String {
    format!("{}/identification.html", m.slug)
}

/// «ВПР, математика, 5 класс».
fn procedure_words(snapshot: &Snapshot, p: &ProcedureSubject) -> String {
    let subject = snapshot
        .subjects
        .values()
        .find(|s| s.code == p.subject)
        .map_or(p.subject.clone(), |s| s.name.to_lowercase());
    let mut words = format!("{}, {subject}", p.procedure.abbreviation());
    if let Some(grade) = p.grade {
        words.push_str(&format!(", {grade} класс"));
    }
    if let Some(level) = p.level {
        words.push_str(&format!(" ({})", level.abbreviation()));
    }
    words
}

/// The criteria applied on the page: the published decision's, or seed 004's for the year
/// after the latest results; none when there is neither.
fn criteria<'a>(
    snapshot: &'a Snapshot,
    m: &municipality::Model,
) -> Option<(Criteria, Option<&'a identification_decision::Model>)> {
    let decision = snapshot
        .detail
        .decisions
        .get(&m.id)
        .and_then(|list| list.iter().max_by_key(|d| d.year));
    if let Some(d) = decision {
        return Some((
            Criteria {
                year: d.year,
                threshold: d.threshold,
                procedures: d.procedures.0.clone(),
            },
            Some(d),
        ));
    }
    let latest = snapshot
        .schools_of(m.id)
        .flat_map(|s| snapshot.detail.results.get(&s.id).into_iter().flatten())
        .map(|r| r.year)
        .max()?;
    Some((
        Criteria {
            year: latest + 1,
            threshold: Percentage::from_permille(300).expect("30 %"),
            procedures: seed_procedures(),
        },
        None,
    ))
}

fn candidates_table(
    snapshot: &Snapshot,
    m: &municipality::Model,
    year: i32,
    found: &[Finding],
) -> Dataset {
    let mut ds = Dataset::new(
        format!("{}-identification-{year}-candidates", m.slug),
        format!("Выявление ШНОР на {year} год: {}", m.name),
        "Школы, которые правила выявления относят к школам с низкими образовательными результатами по внесённым результатам оценочных процедур, с основаниями.",
        &[
            ("school", "Школа"),
            ("rules", "Критерии"),
            ("evidence", "Основания"),
            ("in_programme", "Сейчас в списке ШНОР"),
        ],
    );
    for f in found {
        let s = &snapshot.schools[&f.school_id];
        let evidence: Vec<String> = f
            .evidence
            .iter()
            .map(|e| {
                format!(
                    "{}, {} г.: {} ({} из {})",
                    procedure_words(snapshot, &e.procedure),
                    e.year,
                    e.share(),
                    e.failed,
                    e.participants
                )
            })
            .collect();
        let rules: Vec<String> = f.rules.iter().map(|r| r.to_string()).collect();
        let in_programme = programme_participation::currently_in(
            snapshot
                .detail
                .participations
                .iter()
                .filter(|p| p.school_id == s.id),
            Programme::LowResults,
        );
        ds.push(vec![
            Cell::link(&s.name, school_url(snapshot, s)),
            Cell::text(rules.join(", ")),
            Cell::text(evidence.join("; ")),
            Cell::text(if in_programme { "да" } else { "нет" }),
        ]);
    }
    ds
}

fn incomplete_table(
    snapshot: &Snapshot,
    m: &municipality::Model,
    year: i32,
    found: &[Finding],
) -> Dataset {
    let mut ds = Dataset::new(
        format!("{}-identification-{year}-incomplete", m.slug),
        format!(
            "Школы с неполными данными для выявления на {year} год: {}",
            m.name
        ),
        "Школы, по которым правила выявления нельзя применить полностью: каких результатов не хватает и почему.",
        &[("school", "Школа"), ("missing", "Чего не хватает")],
    );
    for f in found {
        let s = &snapshot.schools[&f.school_id];
        let mut by_gap: Vec<(&str, Vec<String>)> = Vec::new();
        for missing in &f.missing {
            let item = format!(
                "{} ({})",
                procedure_words(snapshot, &missing.procedure),
                missing.year
            );
            match by_gap
                .iter_mut()
                .find(|(gap, _)| *gap == missing.gap.words())
            {
                Some((_, items)) => items.push(item),
                None => by_gap.push((missing.gap.words(), vec![item])),
            }
        }
        let words: Vec<String> = by_gap
            .into_iter()
            .map(|(gap, items)| format!("{gap}: {}", items.join(", ")))
            .collect();
        ds.push(vec![
            Cell::link(&s.name, school_url(snapshot, s)),
            Cell::text(words.join("; ")),
        ]);
    }
    ds
}

/// The page.
pub fn page(snapshot: &Snapshot, m: &municipality::Model) -> Page {
    let builder = PageBuilder::new(
        identification_url(m),
        "identification.html",
        format!("Выявление ШНОР: {}", m.name),
    )
    .set("municipality", link(&m.name, municipality_url(m)));
    let Some((criteria, decision)) = criteria(snapshot, m) else {
        return builder.set("analysis", None::<()>).build();
    };
    let schools: Vec<i32> = snapshot.schools_of(m.id).map(|s| s.id).collect();
    let results: Vec<_> = schools
        .iter()
        .flat_map(|id| snapshot.detail.results.get(id).into_iter().flatten())
        .filter(|r| criteria.years().contains(&r.year))
        .cloned()
        .collect();
    let subjects: HashMap<String, i32> = snapshot
        .subjects
        .values()
        .map(|s| (s.code.clone(), s.id))
        .collect();
    let found = identify(&criteria, &schools, &results, &subjects);
    let [previous, before] = criteria.years();
    let threshold = criteria.threshold.to_string();
    let procedures: Vec<String> = criteria
        .procedures
        .iter()
        .map(|p| procedure_words(snapshot, p))
        .collect();
    let examinations = criteria
        .procedures
        .iter()
        .any(|p| p.procedure.failure() != Procedure::Vpr.failure());
    let low = if examinations {
        format!(
            "не менее {threshold} участников получили отметку «2» (ВПР) или не преодолели минимальный порог (ОГЭ, ЕГЭ)"
        )
    } else {
        format!("не менее {threshold} участников получили отметку «2»")
    };
    let decision = decision.map(|d| {
        let named: Vec<_> = snapshot
            .detail
            .identified
            .get(&d.id)
            .into_iter()
            .flatten()
            .map(|id| {
                let s = &snapshot.schools[id];
                link(&s.full_name, school_url(snapshot, s))
            })
            .collect();
        json!({ "conclusion": d.conclusion, "document": d.document, "schools": named })
    });
    let count = found.candidates.len();
    let summary = if count == 0 {
        "По внесённым результатам правила не выявили ни одной школы.".to_owned()
    } else {
        format!(
            "По внесённым результатам правила выявили {count} {}.",
            plural(count as i64, ["школу", "школы", "школ"])
        )
    };
    let mut builder = builder
        .set(
            "analysis",
            json!({
                "year": criteria.year,
                "previous": previous,
                "before": before,
                "low": low,
                "procedures": procedures,
                "summary": summary,
                "has_candidates": count > 0,
                "has_incomplete": !found.incomplete.is_empty(),
            }),
        )
        .set("decision", decision);
    if count > 0 {
        builder = builder.table(
            "candidates",
            candidates_table(snapshot, m, criteria.year, &found.candidates),
        );
    }
    if !found.incomplete.is_empty() {
        builder = builder.table(
            "incomplete",
            incomplete_table(snapshot, m, criteria.year, &found.incomplete),
        );
    }
    builder.build()
}
