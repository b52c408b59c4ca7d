//! Risk profiles on the site: a school's profiles, and a municipality's factor × school matrix
//! with how many schools share each factor.

use std::collections::BTreeSet;

use super::results::Section;
use crate::entities::{municipality, risk_profile, school};
use crate::site::dataset::{Cell, Dataset};
use crate::site::snapshot::Snapshot;

/// «2020» or «год не указан».
fn year_words(profile: &risk_profile::Model) -> String {
    profile
        .year
        .map_or("год не указан".to_owned(), |y| y.to_string())
}

/// The risk group of a school's latest profile that names one, with the profile's year.
pub fn risk_group(snapshot: &Snapshot, s: &school::Model) -> Option<String> {
    let profiles = snapshot.detail.risk_profiles.get(&s.id)?;
    let p = profiles
        .iter()
        .filter(|p| p.risk_group.is_some())
        .max_by_key(|p| p.year)?;
    Some(format!(
        "{} (рисковый профиль, {})",
        p.risk_group.as_deref().unwrap_or_default(),
        year_words(p)
    ))
}

/// A school's risk profiles that list factors, newest first: the factors with their
/// significance (the risk group is among the school's facts, see [`risk_group`]).
pub fn school_sections(snapshot: &Snapshot, s: &school::Model, prefix: &str) -> Vec<Section> {
    let mut profiles: Vec<&risk_profile::Model> = snapshot
        .detail
        .risk_profiles
        .get(&s.id)
        .into_iter()
        .flatten()
        .filter(|p| snapshot.detail.profile_factors.contains_key(&p.id))
        .collect();
    profiles.sort_by_key(|p| std::cmp::Reverse(p.year));
    profiles
        .into_iter()
        .map(|p| {
            let year = year_words(p);
            let mut title = format!("Рисковый профиль ({year})");
            if let Some(group) = &p.risk_group {
                title.push_str(&format!(", группа риска «{group}»"));
            }
            let mut ds = Dataset::new(
                format!("{prefix}-risk-profile-{}", p.year.unwrap_or(0)),
                format!("{title}: {}", s.name),
                "Факторы риска учебной неуспешности, актуальные для школы, и их значимость по оценке ФИС ОКО.",
                &[("factor", "Фактор риска"), ("significance", "Значимость")],
            );
            for f in snapshot.detail.profile_factors.get(&p.id).into_iter().flatten() {
                let factor = &snapshot.risk_factors[&f.factor_id];
                ds.push(vec![
                    Cell::text(format!("{}. {}", factor.number, factor.name)),
                    f.significance
                        .map_or(Cell::text("не указана"), |s| Cell::text(s.words())),
                ]);
            }
            Section {
                title,
                chart: None,
                table: ds,
            }
        })
        .collect()
}

/// The factors × schools of a municipality's latest profiles, with how many schools share each
/// factor; none when no profile lists a factor.
pub fn municipal_section(snapshot: &Snapshot, m: &municipality::Model) -> Option<Section> {
    let latest: Vec<(&school::Model, &risk_profile::Model)> = snapshot
        .schools_of(m.id)
        .filter_map(|s| {
            let profiles = snapshot.detail.risk_profiles.get(&s.id)?;
            profiles.iter().max_by_key(|p| p.year).map(|p| (s, p))
        })
        .filter(|(_, p)| snapshot.detail.profile_factors.contains_key(&p.id))
        .collect();
    if latest.is_empty() {
        return None;
    }
    let factors: BTreeSet<i32> = latest
        .iter()
        .flat_map(|(_, p)| {
            snapshot.detail.profile_factors[&p.id]
                .iter()
                .map(|f| f.factor_id)
        })
        .collect();
    let mut ds = Dataset::new(
        format!("{}-risk-factors", m.slug),
        format!("Факторы риска школ: {}", m.name),
        "Факторы риска из последних рисковых профилей школ муниципалитета: у каких школ фактор актуален (со значимостью, где она указана) и у скольких школ он общий.",
        &[("factor", "Фактор риска")],
    );
    for (s, p) in &latest {
        ds = ds.column(
            format!("school_{}", s.id),
            format!("{} ({})", s.name, year_words(p)),
        );
    }
    ds = ds.column("schools", "Школ с фактором");
    for factor_id in factors {
        let factor = &snapshot.risk_factors[&factor_id];
        let mut row = vec![Cell::text(format!("{}. {}", factor.number, factor.name))];
        let mut count = 0;
        for (_, p) in &latest {
            let found = snapshot.detail.profile_factors[&p.id]
                .iter()
                .find(|f| f.factor_id == factor_id);
            if found.is_some() {
                count += 1;
            }
            row.push(match found {
                None => Cell::Missing,
                Some(f) => Cell::text(f.significance.map_or("да", |s| s.words())),
            });
        }
        row.push(Cell::Int(count));
        ds.push(row);
    }
    Some(Section {
        title: "Факторы риска школ".into(),
        chart: None,
        table: ds,
    })
}
