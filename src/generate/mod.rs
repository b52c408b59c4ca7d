//! `schoolnet generate`: a deterministic synthetic country for measuring schoolnet at national
//! scale (85 regions, 2,400 municipalities, 40,000 schools, six years of history). The same
//! scale and seed give the same rows on every machine. Everything is written in one
//! transaction, in batches (see `rows`) with ids assigned here (so rows can point at each other
//! without reading them back): a failed run leaves the database as it was.

mod bulk;
mod names;
mod rows;

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseConnection, DbErr, EntityName, EntityTrait,
    PaginatorTrait, TransactionTrait,
};

use crate::domain::{
    Absence, AppointmentRole, Figure, GroupNumber, Mean, MembershipRole, PartialDate,
    PartnershipKind, Procedure, Programme, ResultStatus, SchoolKind, Significance, fold, identity,
    search_key,
};
use crate::entities::{
    appointment, assessment_result, cluster, curator_visit, evaluation, group_membership,
    municipality, partnership, partnership_group, person, programme_participation, region,
    risk_factor, risk_profile, risk_profile_factor, school, school_spelling, subject,
};
use rows::Rows;

/// How big a country to generate.
#[derive(Clone, Debug)]
pub struct Scale {
    /// Regions (субъекты РФ).
    pub regions: usize,
    /// Municipalities, spread evenly over the regions.
    pub municipalities: usize,
    /// Schools, spread evenly over the municipalities.
    pub schools: usize,
    /// Years of evaluations and results, ending with `last_year`.
    pub years: usize,
    /// Assessment results per school and year (ВПР, ОГЭ, ЕГЭ cells).
    pub results_per_year: usize,
    /// The last school year's calendar year.
    pub last_year: i32,
    /// The seed: the same seed and scale give the same country.
    pub seed: u64,
}

/// Why nothing was generated.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// The database already holds municipalities; generating beside them was not asked for.
    #[error(
        "the database already holds {0} municipalities; generate into an empty database, or pass --into-non-empty to add the synthetic country beside them"
    )]
    NotEmpty(u64),
    /// The scale cannot be generated.
    #[error("{0}")]
    Scale(String),
    /// The database refused a row; nothing was written.
    #[error("cannot write the synthetic country (nothing was written): {0}")]
    Database(#[from] DbErr),
}

/// What was written.
#[derive(Debug)]
pub struct Report {
    /// Rows written, by table.
    pub tables: Vec<(&'static str, u64)>,
    /// Time taken, the commit included.
    pub elapsed: Duration,
}

impl Report {
    /// Rows written in all.
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }
}

/// Receives progress: the table being written and the rows written so far in all.
pub type Progress<'a> = &'a (dyn Fn(&'static str, u64) + Sync);

/// The result cells a school reports each year, in the order they are taken.
const CELLS: [(Procedure, &str, Option<i16>); 24] = [
    (Procedure::Vpr, "russian", Some(4)),
    (Procedure::Vpr, "mathematics", Some(4)),
    (Procedure::Vpr, "surrounding_world", Some(4)),
    (Procedure::Vpr, "russian", Some(5)),
    (Procedure::Vpr, "mathematics", Some(5)),
    (Procedure::Vpr, "history", Some(5)),
    (Procedure::Vpr, "biology", Some(5)),
    (Procedure::Vpr, "russian", Some(6)),
    (Procedure::Vpr, "mathematics", Some(6)),
    (Procedure::Vpr, "geography", Some(6)),
    (Procedure::Vpr, "russian", Some(7)),
    (Procedure::Vpr, "mathematics", Some(7)),
    (Procedure::Vpr, "physics", Some(7)),
    (Procedure::Vpr, "russian", Some(8)),
    (Procedure::Vpr, "mathematics", Some(8)),
    (Procedure::Vpr, "chemistry", Some(8)),
    (Procedure::Oge, "russian", Some(9)),
    (Procedure::Oge, "mathematics", Some(9)),
    (Procedure::Oge, "social_studies", Some(9)),
    (Procedure::Ege, "russian", Some(11)),
    (Procedure::Ege, "mathematics", Some(11)),
    (Procedure::Ege, "social_studies", Some(11)),
    (Procedure::Vpr, "english", Some(7)),
    (Procedure::Vpr, "social_studies", Some(8)),
];

/// Writes the synthetic country of `scale` into `db`; unless `into_non_empty`, only into a
/// database without municipalities.
pub async fn generate(
    db: &DatabaseConnection,
    scale: &Scale,
    into_non_empty: bool,
    progress: Progress<'_>,
) -> Result<Report, GenerateError> {
    check(scale)?;
    let started = Instant::now();
    let existing = municipality::Entity::find().count(db).await?;
    if existing > 0 && !into_non_empty {
        return Err(GenerateError::NotEmpty(existing));
    }
    let subjects: Vec<subject::Model> = subject::Entity::find().all(db).await?;
    let subject = |code: &str| {
        subjects
            .iter()
            .find(|s| s.code == code)
            .map(|s| s.id)
            .ok_or_else(|| DbErr::Custom(format!("the subject «{code}» is not in the database")))
    };
    let cells = CELLS
        .iter()
        .take(scale.results_per_year)
        .map(|&(procedure, code, grade)| Ok((procedure, subject(code)?, grade)))
        .collect::<Result<Vec<_>, DbErr>>()?;

    let txn = db.begin().await?;
    // The tables of yearly history, which hold nearly all the rows and have no triggers.
    let suspended = bulk::suspend(
        &txn,
        &[
            assessment_result::Entity.table_name(),
            evaluation::Entity.table_name(),
            curator_visit::Entity.table_name(),
        ],
    )
    .await?;
    let mut rng = ChaCha8Rng::seed_from_u64(scale.seed);
    let mut out = Rows::new(&txn, progress);
    let first_year = scale.last_year - scale.years as i32 + 1;
    let prefix = format!("syn{}", scale.seed);

    let region_ids = out.ids::<region::Entity>(scale.regions).await?;
    // Regions are «…ская область», then «…ский край»; municipalities are named, as officially,
    // with their region in the genitive, which keeps the names unique across the country.
    let oblast = |r: usize| r < names::PLACE_STEMS.len();
    for (r, &id) in region_ids.iter().enumerate() {
        let suffix = if oblast(r) {
            "ская область"
        } else {
            "ский край"
        };
        out.push(region::ActiveModel {
            id: Set(id),
            slug: Set(format!("{prefix}-r{:02}", r + 1)),
            name: Set(format!("{}{suffix}", names::place(0, r))),
        })
        .await?;
    }
    out.flush().await?;

    let municipality_ids = out
        .ids::<municipality::Entity>(scale.municipalities)
        .await?;
    let schools_in = |m: usize| spread(scale.schools, scale.municipalities, m);
    for (m, &id) in municipality_ids.iter().enumerate() {
        let r = m * scale.regions / scale.municipalities;
        let within = m - (r * scale.municipalities).div_ceil(scale.regions);
        let stem = names::place(r * 7, within);
        out.push(municipality::ActiveModel {
            id: Set(id),
            version: Set(1),
            region_id: Set(region_ids[r]),
            slug: Set(format!("{prefix}-{:04}", m + 1)),
            name: Set(format!(
                "{stem}ский муниципальный район {}{}",
                names::place(0, r),
                if oblast(r) {
                    "ской области"
                } else {
                    "ского края"
                }
            )),
            short_name: Set(format!("{stem}ский")),
            school_count: Set(Some(schools_in(m) as i32)),
            regional_low_results_share: Set(None),
        })
        .await?;
    }
    out.flush().await?;

    // Three clusters (кластеры) per municipality.
    let cluster_ids = out.ids::<cluster::Entity>(scale.municipalities * 3).await?;
    for (c, &id) in cluster_ids.iter().enumerate() {
        out.push(cluster::ActiveModel {
            id: Set(id),
            municipality_id: Set(municipality_ids[c / 3]),
            number: Set((c % 3 + 1) as i32),
        })
        .await?;
    }
    out.flush().await?;

    // Schools, each with a base quality group its yearly evaluations drift around.
    let school_ids = out.ids::<school::Entity>(scale.schools).await?;
    let mut schools = Vec::with_capacity(scale.schools);
    let mut next = 0;
    for (m, &municipality_id) in municipality_ids.iter().enumerate() {
        for j in 0..schools_in(m) {
            let id = school_ids[next];
            next += 1;
            let (kind, abbreviation) = match rng.random_range(0..10) {
                0..6 => (SchoolKind::Secondary, "СОШ"),
                6..9 => (SchoolKind::Basic, "ООШ"),
                _ => (SchoolKind::PrimaryKindergarten, "НШ-ДС"),
            };
            let name = if j < names::PLACE_STEMS.len() {
                format!("{}ская {abbreviation}", names::place(m * 5, j))
            } else {
                format!("{abbreviation} № {}", j + 1)
            };
            let full_name = format!("МБОУ «{name}»");
            let base = weighted_group(&mut rng);
            schools.push(Synthetic {
                id,
                municipality: m,
                kind,
                base,
            });
            out.push(school::ActiveModel {
                id: Set(id),
                version: Set(1),
                municipality_id: Set(municipality_id),
                search_key: Set(search_key([name.as_str(), full_name.as_str()])),
                name_key: Set(fold(&name)),
                legal_form: Set(Some("МБОУ".into())),
                kind: Set(kind),
                parent_school_id: Set(None),
                cluster_id: Set(Some(cluster_ids[m * 3 + j % 3])),
                aliases: Set(Default::default()),
                name: Set(name.clone()),
                full_name: Set(full_name.clone()),
            })
            .await?;
            for spelling in
                std::collections::BTreeSet::from([identity(&name), identity(&full_name)])
            {
                out.push(school_spelling::ActiveModel {
                    id: sea_orm::ActiveValue::NotSet,
                    school_id: Set(id),
                    municipality_id: Set(municipality_id),
                    spelling: Set(spelling),
                })
                .await?;
            }
        }
    }
    out.flush().await?;

    for school in &schools {
        for year in first_year..=scale.last_year {
            let drift = rng.random_range(-1i64..=1);
            let group = GroupNumber::new((school.base + drift).clamp(1, 10)).expect("1 to 10");
            let wellbeing = GroupNumber::new(rng.random_range(1..=10)).expect("1 to 10");
            let graduates = school.kind != SchoolKind::PrimaryKindergarten;
            out.push(evaluation::ActiveModel {
                id: sea_orm::ActiveValue::NotSet,
                version: Set(1),
                school_id: Set(school.id),
                year: Set(year),
                quality_group: Set(graduates.then_some(group)),
                quality_group_absence: Set((!graduates).then_some(Absence::NoGraduates)),
                quality_level: Set(graduates.then(|| group.implied_level())),
                wellbeing_group: Set(Some(wellbeing)),
                wellbeing_group_absence: Set(None),
                wellbeing_level: Set(Some(wellbeing.implied_level())),
            })
            .await?;
        }
    }
    out.flush().await?;

    // Programmes: the weakest schools in ШНОР (some left it in the last year), a few in ШНСУ,
    // and «500+» for a share of ШНОР.
    // Entries a year or two into the history; with a history of one year, in that year.
    let entered = |after: i32| (first_year + after).min(scale.last_year);
    for school in &schools {
        let low = school.base <= 3;
        if low {
            let left = scale.years > 1 && rng.random_bool(0.3);
            out.push(participation(
                school.id,
                Programme::LowResults,
                entered(1),
                left.then_some(scale.last_year),
            ))
            .await?;
            if rng.random_bool(0.4) {
                out.push(participation(
                    school.id,
                    Programme::Project500Plus,
                    entered(2),
                    None,
                ))
                .await?;
            }
        }
        if rng.random_bool(0.05) {
            out.push(participation(
                school.id,
                Programme::UnfavourableConditions,
                first_year,
                None,
            ))
            .await?;
        }
    }
    out.flush().await?;

    // Risk profiles (ФИС ОКО) of the ШНОР schools for the last year: two to four of the ten
    // factors, each with its significance.
    let factors: Vec<i32> = risk_factor::Entity::find()
        .all(&txn)
        .await?
        .iter()
        .map(|f| f.id)
        .collect();
    for school in schools
        .iter()
        .filter(|s| s.base <= 3 && !factors.is_empty())
    {
        let profile = out.ids::<risk_profile::Entity>(1).await?[0];
        out.push(risk_profile::ActiveModel {
            id: Set(profile),
            version: Set(1),
            school_id: Set(school.id),
            year: Set(Some(scale.last_year)),
            risk_group: Set(Some(
                RISK_GROUPS[rng.random_range(0..RISK_GROUPS.len())].to_owned(),
            )),
        })
        .await?;
        let mut chosen = factors.clone();
        for _ in 0..rng.random_range(2..=4).min(factors.len()) {
            let factor = chosen.swap_remove(rng.random_range(0..chosen.len()));
            out.push(risk_profile_factor::ActiveModel {
                id: sea_orm::ActiveValue::NotSet,
                profile_id: Set(profile),
                factor_id: Set(factor),
                significance: Set(Some(
                    [Significance::High, Significance::Medium, Significance::Low]
                        [rng.random_range(0..3)],
                )),
            })
            .await?;
        }
    }
    out.flush().await?;

    // Partnership groups of about six schools, the strongest of each its resource centre.
    // Schools come by municipality, and every municipality has one.
    let by_municipality = || schools.chunk_by(|a, b| a.municipality == b.municipality);
    for (local, &municipality_id) in by_municipality().zip(&municipality_ids) {
        for (n, chunk) in local.chunks(6).enumerate() {
            let group = out.ids::<partnership_group::Entity>(1).await?[0];
            out.push(partnership_group::ActiveModel {
                id: Set(group),
                version: Set(1),
                municipality_id: Set(municipality_id),
                number: Set(n as i32 + 1),
            })
            .await?;
            let centre = chunk.iter().max_by_key(|s| s.base).map(|s| s.id);
            for school in chunk {
                out.push(group_membership::ActiveModel {
                    id: sea_orm::ActiveValue::NotSet,
                    group_id: Set(group),
                    school_id: Set(school.id),
                    role: Set(if Some(school.id) == centre {
                        MembershipRole::ResourceCentre
                    } else {
                        MembershipRole::Member
                    }),
                })
                .await?;
            }
            // Half of the other members are mentored by their resource centre under an
            // agreement.
            for school in chunk.iter().filter(|s| Some(s.id) != centre) {
                if rng.random_bool(0.5) {
                    let from = rng.random_range(first_year..=scale.last_year);
                    out.push(partnership::ActiveModel {
                        id: sea_orm::ActiveValue::NotSet,
                        version: Set(1),
                        kind: Set(PartnershipKind::Mentoring),
                        school_id: Set(school.id),
                        partner_school_id: Set(centre),
                        partner_organisation_id: Set(None),
                        starts_on: Set(Some(PartialDate::Year(from))),
                        ends_on: Set(None),
                        document: Set(Some(format!(
                            "Соглашение о наставничестве № {}-{} от {from} г.",
                            n + 1,
                            school.id
                        ))),
                        description: Set(None),
                    })
                    .await?;
                }
            }
        }
    }
    out.flush().await?;

    // People: a director per school, a coordinator per municipality, a curator per three ШНОР
    // schools (working at a school of the municipality).
    let since = |rng: &mut ChaCha8Rng| PartialDate::Year(rng.random_range(2005..first_year));
    for school in &schools {
        let id = out.ids::<person::Entity>(1).await?[0];
        let name = names::person(&mut rng);
        out.push(staff(id, name, "директор", Some(school.id)))
            .await?;
        out.push(appointment_of(
            id,
            AppointmentRole::Director,
            None,
            municipality_ids[school.municipality],
            Some(school.id),
            since(&mut rng),
        ))
        .await?;
    }
    for (local, &municipality_id) in by_municipality().zip(&municipality_ids) {
        let id = out.ids::<person::Entity>(1).await?[0];
        let name = names::person(&mut rng);
        out.push(staff(id, name, "специалист управления образования", None))
            .await?;
        out.push(appointment_of(
            id,
            AppointmentRole::Coordinator,
            Some(Programme::LowResults),
            municipality_id,
            None,
            since(&mut rng),
        ))
        .await?;
        let supported: Vec<&Synthetic> = local.iter().filter(|s| s.base <= 3).collect();
        for three in supported.chunks(3) {
            let id = out.ids::<person::Entity>(1).await?[0];
            let workplace = local.iter().max_by_key(|s| s.base).map(|s| s.id);
            let name = names::person(&mut rng);
            out.push(staff(id, name, "заместитель директора", workplace))
                .await?;
            for school in three {
                out.push(appointment_of(
                    id,
                    AppointmentRole::Curator,
                    Some(Programme::LowResults),
                    municipality_id,
                    Some(school.id),
                    PartialDate::Year(first_year + 1),
                ))
                .await?;
                // Visits every three to four weeks through the last school year (seed 002).
                let mut day = NaiveDate::from_ymd_opt(scale.last_year - 1, 9, 1).expect("a date");
                let end = NaiveDate::from_ymd_opt(scale.last_year, 5, 31).expect("a date");
                while day <= end {
                    out.push(curator_visit::ActiveModel {
                        id: sea_orm::ActiveValue::NotSet,
                        version: Set(1),
                        person_id: Set(id),
                        school_id: Set(school.id),
                        municipality_id: Set(municipality_id),
                        visited_on: Set(day),
                        purpose: Set(PURPOSES[rng.random_range(0..PURPOSES.len())].to_owned()),
                        notes: Set(None),
                    })
                    .await?;
                    day = day + chrono::Days::new(rng.random_range(21..=28));
                }
            }
        }
    }
    out.flush().await?;

    // Results: the first `results_per_year` cells, each school and year.
    for school in &schools {
        for year in first_year..=scale.last_year {
            for &(procedure, subject_id, grade) in &cells {
                let (figure, centre) = match procedure {
                    Procedure::Ege => (Figure::Score, 3500 + 400 * school.base),
                    _ => (Figure::Mark, 280 + 12 * school.base),
                };
                let mean = Mean::from_hundredths(centre + rng.random_range(-40..=40), figure)
                    .expect("a mean in range");
                let participants = rng.random_range(4..=60);
                out.push(assessment_result::ActiveModel {
                    id: sea_orm::ActiveValue::NotSet,
                    version: Set(1),
                    school_id: Set(school.id),
                    year: Set(year),
                    procedure: Set(procedure),
                    subject_id: Set(subject_id),
                    grade: Set(grade),
                    level: Set(None),
                    status: Set(ResultStatus::Result),
                    mean_hundredths: Set(Some(mean)),
                    participants: Set(Some(participants)),
                    failed: Set(Some(rng.random_range(0..=participants / 4))),
                    source_text: Set(None),
                })
                .await?;
            }
        }
    }
    out.flush().await?;

    let tables = out.finish().await?;
    suspended.restore(&txn).await?;
    txn.commit().await?;
    // Planner statistics for the new rows now, not when autovacuum gets to them: PostgreSQL
    // plans joins over a freshly loaded table as if it were empty (seen here: one of the
    // benchmark queries took 213 ms instead of 2 ms before it).
    db.execute_unprepared("ANALYZE").await?;
    Ok(Report {
        tables,
        elapsed: started.elapsed(),
    })
}

/// Risk groups as ФИС ОКО names them (seed 002).
const RISK_GROUPS: [&str; 3] = [
    "Базово неуспевающие",
    "Неустойчиво неуспевающие",
    "Ситуативно неуспевающие",
];

/// Why a curator comes (seed 002's visit purposes).
const PURPOSES: [&str; 4] = [
    "Консультация по формированию дорожной карты",
    "Мониторинг выполнения мер",
    "Посещение уроков и анализ",
    "Методическая помощь педагогам",
];

/// A generated school, as later tables need it.
struct Synthetic {
    id: i32,
    /// Index of its municipality.
    municipality: usize,
    kind: SchoolKind,
    /// Its usual quality group, 1 (weakest) to 10.
    base: i64,
}

fn check(scale: &Scale) -> Result<(), GenerateError> {
    let refuse = |why: &str| Err(GenerateError::Scale(why.to_owned()));
    if scale.regions == 0 || scale.municipalities < scale.regions {
        return refuse(
            "every region needs a municipality: --municipalities must be at least --regions (and both above 0)",
        );
    }
    if scale.regions > 2 * names::PLACE_STEMS.len() {
        return refuse("at most 128 regions");
    }
    if scale.municipalities.div_ceil(scale.regions) > names::PLACE_STEMS.len() {
        return refuse("at most 64 municipalities per region");
    }
    if scale.schools < scale.municipalities {
        return refuse(
            "every municipality needs a school: --schools must be at least --municipalities",
        );
    }
    if !(1..=20).contains(&scale.years) {
        return refuse("--years must be 1 to 20");
    }
    if scale.results_per_year > CELLS.len() {
        return refuse(&format!(
            "at most {} results per school and year",
            CELLS.len()
        ));
    }
    Ok(())
}

/// How many of `total` things the `n`-th of `parts` gets, spread as evenly as possible.
fn spread(total: usize, parts: usize, n: usize) -> usize {
    (n + 1) * total / parts - n * total / parts
}

/// A quality group as Russia's schools spread: few in 1–3, most in 4–8.
fn weighted_group(rng: &mut ChaCha8Rng) -> i64 {
    const WEIGHTS: [u32; 10] = [3, 5, 7, 14, 16, 16, 14, 12, 8, 5];
    let mut pick = rng.random_range(0..WEIGHTS.iter().sum::<u32>());
    for (group, weight) in WEIGHTS.iter().enumerate() {
        if pick < *weight {
            return group as i64 + 1;
        }
        pick -= weight;
    }
    10
}

fn participation(
    school_id: i32,
    programme: Programme,
    included: i32,
    excluded: Option<i32>,
) -> programme_participation::ActiveModel {
    programme_participation::ActiveModel {
        id: sea_orm::ActiveValue::NotSet,
        version: Set(1),
        school_id: Set(school_id),
        programme: Set(programme),
        included_on: Set(Some(PartialDate::Year(included))),
        excluded_on: Set(excluded.map(PartialDate::Year)),
        exclusion_justification: Set(excluded.map(|year| {
            format!("Результаты улучшились: по итогам {year} года школа вышла из группы риска")
        })),
        risk_group: Set(None),
    }
}

fn staff(id: i32, full_name: String, position: &str, school: Option<i32>) -> person::ActiveModel {
    person::ActiveModel {
        id: Set(id),
        version: Set(1),
        search_key: Set(fold(&full_name)),
        full_name: Set(full_name),
        position: Set(Some(position.to_owned())),
        workplace_school_id: Set(school),
        workplace_organisation_id: Set(None),
    }
}

fn appointment_of(
    person: i32,
    role: AppointmentRole,
    programme: Option<Programme>,
    municipality: i32,
    school: Option<i32>,
    since: PartialDate,
) -> appointment::ActiveModel {
    appointment::ActiveModel {
        id: sea_orm::ActiveValue::NotSet,
        version: Set(1),
        person_id: Set(person),
        role: Set(role),
        programme: Set(programme),
        municipality_id: Set(municipality),
        school_id: Set(school),
        starts_on: Set(Some(since)),
        ends_on: Set(None),
    }
}
