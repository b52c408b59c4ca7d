//! What an export leaves beside the site for the next one, so that a re-export renders only
//! the regions whose data changed and hard-links the files of the rest: for each region, the
//! fingerprints of its municipalities' reference rows, what the site-wide pages need of it (its
//! digest), its sitemap addresses and its files; for the whole site, a fingerprint of all else
//! pages depend on (the program, the templates, the settings, the shared vocabularies), the day
//! «current» was judged on, and how far the audit log went.
//!
//! A region is rendered again when it is new or lost a municipality; when the reference rows of
//! one of its municipalities differ, however they were changed (its schools and their groups,
//! clusters, organisations, the people working there, its region); when the audit log has a
//! change touching one of them or a municipality partnered with one (a school's page names its
//! partners), or one where people working in one are appointed (a curator from the next
//! district); when, on another day, one of its appointments came into or out of force (a
//! school's page names its director and curators as of the day); and everything is rendered
//! again when anything else differs. Changes written to the detail tables with plain SQL,
//! around the API, leave no audit entry: `--full` renders everything.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use chrono::NaiveDate;
use sea_orm::sea_query::{
    Alias, Expr, ExprTrait, Func, IntoColumnRef, JoinType, Query, SimpleExpr,
};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::pages::RegionDigest;
use super::snapshot::Snapshot;
use super::{ExportOptions, Templates, writer};
use crate::entities::{
    appointment, audit_entry, audit_municipality, organisation, partnership, person, school,
};

/// How far the audit log went when an export began: its last entry and how many there were
/// up to it. An entry that commits late with a smaller id (PostgreSQL hands ids out before
/// commit) changes the count, and then nothing is reused.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditMark {
    last: i32,
    count: i64,
}

impl AuditMark {
    /// Reads the mark; an export reads it before any data, so that what it reads is at least
    /// as new.
    pub async fn read(db: &impl ConnectionTrait) -> Result<Self, DbErr> {
        let statement = Query::select()
            .expr(Func::max(Expr::col(audit_entry::Column::Id)))
            .expr(Func::count(Expr::col(audit_entry::Column::Id)))
            .from(audit_entry::Entity)
            .to_owned();
        let row = db.query_one(&statement).await?;
        Ok(match row {
            Some(row) => AuditMark {
                last: row.try_get_by_index::<Option<i32>>(0)?.unwrap_or(0),
                count: row.try_get_by_index(1)?,
            },
            None => AuditMark::default(),
        })
    }
}

/// An export as the next one needs to know it.
#[derive(Serialize, Deserialize)]
pub struct Manifest {
    /// The fingerprint of what every page depends on besides its region's data.
    inputs: String,
    /// The audit log when the export began.
    audit: AuditMark,
    /// The day «current» meant.
    as_of: NaiveDate,
    /// Each region's record, by id.
    regions: BTreeMap<i32, RegionRecord>,
    /// The files outside the regions' (site-wide pages, the search index, the sitemap, assets).
    site_files: Vec<String>,
    /// How the export's swap changed the site, when the site it replaced is kept as the spare.
    changes: Option<writer::Changes>,
}

/// One region as an export wrote it.
#[derive(Serialize, Deserialize)]
pub struct RegionRecord {
    /// Its municipalities, each with the fingerprint of its reference rows.
    pub municipalities: BTreeMap<i32, String>,
    /// What the site-wide pages need of its pages.
    pub digest: RegionDigest,
    /// Its pages' addresses, for the sitemap.
    pub urls: Vec<String>,
    /// Its files (pages of both versions, datasets, its search bundle).
    pub files: Vec<String>,
    /// Its HTML pages (both versions).
    pub pages: usize,
}

impl Manifest {
    /// A manifest for an export of these inputs that began at `audit`, as of the day `as_of`.
    pub fn new(inputs: String, audit: AuditMark, as_of: NaiveDate) -> Self {
        Manifest {
            inputs,
            audit,
            as_of,
            regions: BTreeMap::new(),
            site_files: Vec::new(),
            changes: None,
        }
    }

    /// Notes the files outside the regions'.
    pub fn set_site_files(&mut self, files: Vec<String>) {
        self.site_files = files;
    }

    /// Notes how the swap changed the site.
    pub fn set_changes(&mut self, changes: Option<writer::Changes>) {
        self.changes = changes;
    }

    /// How this export's swap changed the site, if the site it replaced was kept.
    pub fn changes(&self) -> Option<&writer::Changes> {
        self.changes.as_ref()
    }

    /// Every file of the site: the regions' still recorded here and the site-wide ones.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.regions
            .values()
            .flat_map(|record| &record.files)
            .chain(&self.site_files)
            .map(String::as_str)
    }

    /// The folders the files lie in, the site's own (`""`) included.
    pub fn folders(&self) -> BTreeSet<String> {
        let mut folders = BTreeSet::new();
        let mut last = None;
        // Files come sorted by region, so a folder's files mostly follow each other.
        for file in self.files() {
            let folder = file.rsplit_once('/').map_or("", |(folder, _)| folder);
            if last != Some(folder) {
                if !folders.contains(folder) {
                    folders.insert(folder.to_owned());
                }
                last = Some(folder);
            }
        }
        folders
    }

    /// The manifest beside the site at `target`, if there is one. One that cannot be read only
    /// costs a full export that starts empty.
    pub fn read(target: &Path) -> Option<Self> {
        let path = writer::manifest_path(&std::path::absolute(target).ok()?);
        let text = std::fs::read(&path).ok()?;
        serde_json::from_slice::<Manifest>(&text)
            .inspect_err(|e| tracing::warn!("{}: {e}; exporting every region", path.display()))
            .ok()
    }

    /// Whether the export was made of the same `inputs`: otherwise no region's files can be
    /// reused, though the site's files and spare still can.
    pub fn made_of(&self, inputs: &str) -> bool {
        self.inputs == inputs
    }

    /// Adds a region's record.
    pub fn insert(&mut self, region: i32, record: RegionRecord) {
        self.regions.insert(region, record);
    }

    /// The manifest as written beside the site.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a manifest is plain data")
    }

    /// What changed since this export, when the database is at `audit`, its municipalities'
    /// reference rows have these `fingerprints` and «current» means `as_of`: the
    /// municipalities whose pages may differ, or none when any page may (a change tied to no
    /// municipality, an audit log rewritten).
    pub async fn changed(
        &self,
        db: &impl ConnectionTrait,
        audit: AuditMark,
        fingerprints: &BTreeMap<i32, String>,
        as_of: NaiveDate,
    ) -> Result<Option<BTreeSet<i32>>, DbErr> {
        if audit.last < self.audit.last
            || audit_count_up_to(db, self.audit.last).await? != self.audit.count
        {
            return Ok(None);
        }
        let recorded: BTreeMap<i32, &String> = self
            .regions
            .values()
            .flat_map(|r| r.municipalities.iter().map(|(&id, f)| (id, f)))
            .collect();
        let mut changed: BTreeSet<i32> = fingerprints
            .iter()
            .filter(|(id, fingerprint)| recorded.get(id) != Some(fingerprint))
            .map(|(&id, _)| id)
            .collect();
        if self.audit.last < audit.last {
            match touched_since(db, self.audit.last, audit.last).await? {
                Some(touched) => changed.extend(touched),
                None => return Ok(None),
            }
        }
        if self.as_of != as_of {
            changed.extend(
                appointment::Entity::find()
                    .all(db)
                    .await?
                    .into_iter()
                    .filter(|a| a.in_force_on(self.as_of) != a.in_force_on(as_of))
                    .map(|a| a.municipality_id),
            );
        }
        if !changed.is_empty() {
            let neighbours = neighbours_of(db, &changed).await?;
            changed.extend(neighbours);
        }
        Ok(Some(changed))
    }

    /// The record of `region` if its files can be reused: its municipalities are the same and
    /// none is in `changed`.
    pub fn reusable(
        &mut self,
        region: i32,
        fingerprints: &BTreeMap<i32, String>,
        changed: &BTreeSet<i32>,
    ) -> Option<RegionRecord> {
        let record = self.regions.get(&region)?;
        let same = record.municipalities == *fingerprints
            && fingerprints.keys().all(|id| !changed.contains(id));
        if same {
            self.regions.remove(&region)
        } else {
            None
        }
    }
}

async fn audit_count_up_to(db: &impl ConnectionTrait, last: i32) -> Result<i64, DbErr> {
    let statement = Query::select()
        .expr(Func::count(Expr::col(audit_entry::Column::Id)))
        .from(audit_entry::Entity)
        .and_where(Expr::col(audit_entry::Column::Id).lte(last))
        .to_owned();
    match db.query_one(&statement).await? {
        Some(row) => row.try_get_by_index(0),
        None => Ok(0),
    }
}

/// The municipalities the audit entries after `after` up to `last` touched; none if one of
/// them is tied to no municipality (a region renamed).
async fn touched_since(
    db: &impl ConnectionTrait,
    after: i32,
    last: i32,
) -> Result<Option<BTreeSet<i32>>, DbErr> {
    fn window<Col: IntoColumnRef + Copy>(column: Col, after: i32, last: i32) -> SimpleExpr {
        Expr::col(column).gt(after).and(Expr::col(column).lte(last))
    }
    let untied = Query::select()
        .expr(Func::count(Expr::col(audit_entry::Column::Id)))
        .from(audit_entry::Entity)
        .and_where(window(audit_entry::Column::Id, after, last))
        .and_where(
            Expr::col(audit_entry::Column::Id).not_in_subquery(
                Query::select()
                    .column(audit_municipality::Column::AuditEntryId)
                    .from(audit_municipality::Entity)
                    .to_owned(),
            ),
        )
        .to_owned();
    let untied: i64 = match db.query_one(&untied).await? {
        Some(row) => row.try_get_by_index(0)?,
        None => 0,
    };
    if untied > 0 {
        return Ok(None);
    }
    let touched = Query::select()
        .distinct()
        .column(audit_municipality::Column::MunicipalityId)
        .from(audit_municipality::Entity)
        .and_where(window(
            audit_municipality::Column::AuditEntryId,
            after,
            last,
        ))
        .to_owned();
    db.query_all(&touched)
        .await?
        .into_iter()
        .map(|row| row.try_get_by_index(0))
        .collect::<Result<_, _>>()
        .map(Some)
}

/// The municipalities whose pages name something of `municipalities`: those of the schools
/// partnered with one of their schools or organisations (either side), and those where people
/// working there are appointed (a curator from the next district).
async fn neighbours_of(
    db: &impl ConnectionTrait,
    municipalities: &BTreeSet<i32>,
) -> Result<BTreeSet<i32>, DbErr> {
    let (own, partner, body) = (Alias::new("own"), Alias::new("partner"), Alias::new("body"));
    let ids = || municipalities.iter().copied();
    let statement = Query::select()
        .column((own.clone(), school::Column::MunicipalityId))
        .column((partner.clone(), school::Column::MunicipalityId))
        .column((body.clone(), organisation::Column::MunicipalityId))
        .from(partnership::Entity)
        .join_as(
            JoinType::InnerJoin,
            school::Entity,
            own.clone(),
            Expr::col((own.clone(), school::Column::Id))
                .equals((partnership::Entity, partnership::Column::SchoolId)),
        )
        .join_as(
            JoinType::LeftJoin,
            school::Entity,
            partner.clone(),
            Expr::col((partner.clone(), school::Column::Id))
                .equals((partnership::Entity, partnership::Column::PartnerSchoolId)),
        )
        .join_as(
            JoinType::LeftJoin,
            organisation::Entity,
            body.clone(),
            Expr::col((body.clone(), organisation::Column::Id)).equals((
                partnership::Entity,
                partnership::Column::PartnerOrganisationId,
            )),
        )
        .and_where(
            Expr::col((own.clone(), school::Column::MunicipalityId))
                .is_in(ids())
                .or(Expr::col((partner.clone(), school::Column::MunicipalityId)).is_in(ids()))
                .or(Expr::col((body.clone(), organisation::Column::MunicipalityId)).is_in(ids())),
        )
        .to_owned();
    let mut neighbours = BTreeSet::new();
    for row in db.query_all(&statement).await? {
        for column in 0..3 {
            neighbours.extend(row.try_get_by_index::<Option<i32>>(column)?);
        }
    }
    let appointed = Query::select()
        .column((appointment::Entity, appointment::Column::MunicipalityId))
        .from(appointment::Entity)
        .inner_join(
            person::Entity,
            Expr::col((person::Entity, person::Column::Id))
                .equals((appointment::Entity, appointment::Column::PersonId)),
        )
        .left_join(
            school::Entity,
            Expr::col((school::Entity, school::Column::Id))
                .equals((person::Entity, person::Column::WorkplaceSchoolId)),
        )
        .left_join(
            organisation::Entity,
            Expr::col((organisation::Entity, organisation::Column::Id))
                .equals((person::Entity, person::Column::WorkplaceOrganisationId)),
        )
        .and_where(
            Expr::col((school::Entity, school::Column::MunicipalityId))
                .is_in(ids())
                .or(
                    Expr::col((organisation::Entity, organisation::Column::MunicipalityId))
                        .is_in(ids()),
                ),
        )
        .to_owned();
    for row in db.query_all(&appointed).await? {
        neighbours.insert(row.try_get_by_index::<i32>(0)?);
    }
    Ok(neighbours)
}

/// A SHA-256 fed with `Debug` text, so that anything can be fingerprinted, or with JSON, which
/// rows are fed as: `Debug` escapes every Cyrillic letter on its way, which made fingerprinting
/// a country's rows a tenth of a re-export.
#[derive(Default)]
struct Fingerprint(Sha256);

impl fmt::Write for Fingerprint {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}

impl std::io::Write for Fingerprint {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Fingerprint {
    fn add(&mut self, value: &impl fmt::Debug) {
        fmt::write(self, format_args!("{value:?}\n")).expect("hashing cannot fail");
    }

    fn add_row(&mut self, row: &impl Serialize) {
        serde_json::to_writer(&mut *self, row).expect("rows are plain data");
        self.0.update(b"\n");
    }

    fn finish(self) -> String {
        self.0
            .finalize()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }
}

/// The fingerprint of what every page depends on besides its region's data: the program (its
/// version and the executable itself, so that a rebuilt one renders again), the templates, the
/// export's options and the shared vocabularies.
pub fn inputs(templates: &Templates, options: &ExportOptions, snapshot: &Snapshot) -> String {
    let mut f = Fingerprint::default();
    f.add(&env!("CARGO_PKG_VERSION"));
    let executable = std::env::current_exe().and_then(std::fs::metadata);
    f.add(&executable.map(|m| (m.len(), m.modified().ok())).ok());
    f.add(&templates.sources());
    f.add(&(
        &options.base_url,
        &options.settings,
        &options.municipalities,
    ));
    f.add(&snapshot.subjects);
    f.add(&snapshot.indicators);
    f.add(&snapshot.risk_factors);
    f.add(&snapshot.survey_statements);
    f.add(&snapshot.materials);
    f.add(&snapshot.material_files);
    f.finish()
}

/// The fingerprint of each municipality's reference rows: itself and its region, its schools,
/// clusters, groups with their members (and the member schools), organisations and the people
/// working in its schools and organisations. Each table is read once, in id order.
pub fn municipalities(snapshot: &Snapshot) -> BTreeMap<i32, String> {
    let mut by: BTreeMap<i32, Fingerprint> = BTreeMap::new();
    for m in &snapshot.municipalities {
        let f = by.entry(m.id).or_default();
        f.add_row(m);
        f.add_row(&snapshot.regions.get(&m.region_id));
    }
    fn add(by: &mut BTreeMap<i32, Fingerprint>, municipality: i32, row: &impl Serialize) {
        by.entry(municipality).or_default().add_row(row);
    }
    for s in snapshot.schools.values() {
        add(&mut by, s.municipality_id, s);
    }
    for c in snapshot.clusters.values() {
        add(&mut by, c.municipality_id, c);
    }
    for g in &snapshot.groups {
        add(&mut by, g.municipality_id, g);
        for member in snapshot.members.get(&g.id).into_iter().flatten() {
            add(&mut by, g.municipality_id, member);
            add(
                &mut by,
                g.municipality_id,
                &snapshot.schools.get(&member.school_id),
            );
        }
    }
    for o in snapshot.organisations.values() {
        if let Some(m) = o.municipality_id {
            add(&mut by, m, o);
        }
    }
    for person in snapshot.people.values() {
        let workplace = match (person.workplace_school_id, person.workplace_organisation_id) {
            (Some(school), _) => snapshot.schools.get(&school).map(|s| s.municipality_id),
            (None, Some(body)) => snapshot
                .organisations
                .get(&body)
                .and_then(|o| o.municipality_id),
            (None, None) => None,
        };
        if let Some(m) = workplace {
            add(&mut by, m, person);
        }
    }
    by.into_iter().map(|(id, f)| (id, f.finish())).collect()
}
