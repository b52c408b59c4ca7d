//! Regions, municipalities and clusters.

use async_graphql::{Context, ID, Object, Result};

use super::{
    Appointment, CompetencyDeficitRow, CompetencyDeficitTotal, IdentificationDecision, Meeting,
    MunicipalResults, Organisation, PartnershipGroup, School,
};
use crate::domain::{AppointmentRole, Percentage, Procedure, Programme};
use crate::entities::competency_deficit::{self, Levels};
use crate::entities::{cluster, municipality, programme_participation, region};
use crate::graphql::connection::Connection;
use crate::graphql::ids::{Kind, encode};
use crate::graphql::loaders::*;
use crate::graphql::{load_many, load_required};

/// The row behind the GraphQL `Region` object, described on its resolvers.
pub struct Region(pub region::Model);

/// Субъект РФ: область, край, республика.
#[Object]
impl Region {
    /// The global id.
    pub async fn id(&self) -> ID {
        encode(Kind::Region, self.0.id)
    }

    /// A stable name for URLs: `sverdlovskaya-oblast`.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// The name: «Свердловская область».
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The municipalities of the region held in schoolnet.
    async fn municipalities(&self, ctx: &Context<'_>) -> Result<Vec<Municipality>> {
        Ok(load_many(ctx, MunicipalitiesOfRegion(self.0.id))
            .await?
            .into_iter()
            .map(Municipality)
            .collect())
    }
}

/// The row behind the GraphQL `Municipality` object, described on its resolvers.
pub struct Municipality(pub municipality::Model);

impl Municipality {
    async fn appointments(
        &self,
        ctx: &Context<'_>,
        role: AppointmentRole,
    ) -> Result<Vec<Appointment>> {
        let all = load_many(ctx, AppointmentsInMunicipality(self.0.id)).await?;
        Ok(all
            .into_iter()
            .filter(|a| a.role == role)
            .map(Appointment)
            .collect())
    }

    /// The municipality's own deficit rows of `year` (the latest when none), in subject order.
    async fn deficits_of(
        &self,
        ctx: &Context<'_>,
        year: Option<i32>,
    ) -> Result<Vec<competency_deficit::Model>> {
        let own: Vec<_> = load_many(ctx, DeficitsOfMunicipality(self.0.id))
            .await?
            .into_iter()
            .filter(|d| d.school_id.is_none())
            .collect();
        let Some(year) = year.or_else(|| own.iter().map(|d| d.year).max()) else {
            return Ok(Vec::new());
        };
        let mut rows: Vec<_> = own.into_iter().filter(|d| d.year == year).collect();
        rows.sort_by_key(|d| d.subject_id);
        Ok(rows)
    }

    /// Schools of the municipality currently in ШНОР (included and not excluded).
    async fn current_low_results_count(&self, ctx: &Context<'_>) -> Result<u64> {
        let schools = load_many(ctx, SchoolsOfMunicipality(self.0.id)).await?;
        let keys = schools.iter().map(|s| ParticipationsOfSchool(s.id));
        let participations = crate::graphql::loader(ctx)
            .load_many(keys)
            .await
            .map_err(crate::graphql::error::internal)?;
        Ok(participations
            .values()
            .filter(|list| programme_participation::currently_in(*list, Programme::LowResults))
            .count() as u64)
    }
}

/// Муниципальный район, округ или МО: the unit whose education authority runs the programmes.
#[Object]
impl Municipality {
    /// The row version: name it when changing this object; every change bumps it.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The global id.
    pub async fn id(&self) -> ID {
        encode(Kind::Municipality, self.0.id)
    }

    /// A stable name for URLs and filters: `irbitskoye`.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// The name as the authority writes it: «Котельниковский муниципальный район».
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The short name: «Котельниковский».
    async fn short_name(&self) -> &str {
        &self.0.short_name
    }

    /// The region (субъект РФ).
    async fn region(&self, ctx: &Context<'_>) -> Result<Region> {
        load_required(ctx, RegionById(self.0.region_id))
            .await
            .map(Region)
    }

    /// Общее количество ОО: the total number of schools the authority publishes. Not every one
    /// of them is held in schoolnet; null when no source gives the total.
    async fn school_count(&self) -> Option<i32> {
        self.0.school_count
    }

    /// The schools held in schoolnet, a page at a time (Relay connection), in the order they were
    /// added.
    async fn schools(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many schools to return: 20 when omitted, at most 100.")]
        first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
    ) -> Result<Connection<School>> {
        let rows = load_many(ctx, SchoolsOfMunicipality(self.0.id)).await?;
        Connection::page_of(rows.into_iter().map(School).collect(), first, after)
    }

    /// Количество ШНОР: schools currently in the low-results programme.
    async fn low_results_school_count(&self, ctx: &Context<'_>) -> Result<u64> {
        self.current_low_results_count(ctx).await
    }

    /// Доля ШНОР, in percent with one decimal: current ШНОР against `schoolCount`. Null when the
    /// total is not published.
    async fn low_results_share(&self, ctx: &Context<'_>) -> Result<Option<f64>> {
        let Some(total) = self.0.school_count else {
            return Ok(None);
        };
        let count = self.current_low_results_count(ctx).await?;
        Ok(Percentage::of(count, total as u64).map(Percentage::as_f64))
    }

    /// Доля ШНОР в среднем по региону: the regional average published beside the municipality's
    /// own share, in percent.
    async fn regional_low_results_share(&self) -> Option<f64> {
        self.0.regional_low_results_share.map(Percentage::as_f64)
    }

    /// Every school's results in one procedure and year side by side, with the municipality's
    /// mean of each subject (weighted by participants where every count is known).
    async fn results(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The year.")] year: i32,
        #[graphql(desc = "The procedure.")] procedure: Procedure,
    ) -> Result<MunicipalResults> {
        let schools = load_many(ctx, SchoolsOfMunicipality(self.0.id)).await?;
        let ids: Vec<i32> = schools.iter().map(|s| s.id).collect();
        let results: Vec<_> = crate::graphql::loader(ctx)
            .load_many(ids.iter().map(|&id| ResultsOfSchool(id)))
            .await
            .map_err(crate::graphql::error::internal)?
            .into_values()
            .flatten()
            .filter(|r| r.year == year && r.procedure == procedure)
            .collect();
        let table = crate::monitoring::table::table(&ids, &results, |subject_id| subject_id);
        Ok(MunicipalResults::of(year, procedure, table))
    }

    /// Предметные дефициты педагогов of the municipality (not of single schools) in `year`, or in
    /// the latest year recorded; in subject order.
    async fn competency_deficits(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The year; the latest recorded when omitted.")] year: Option<i32>,
    ) -> Result<Vec<CompetencyDeficitRow>> {
        Ok(self
            .deficits_of(ctx, year)
            .await?
            .into_iter()
            .map(CompetencyDeficitRow)
            .collect())
    }

    /// The total line of `competencyDeficits`: every subject summed, with computed shares; null
    /// when nothing is recorded.
    async fn competency_deficit_total(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The year; the latest recorded when omitted.")] year: Option<i32>,
    ) -> Result<Option<CompetencyDeficitTotal>> {
        let rows = self.deficits_of(ctx, year).await?;
        Ok(rows.first().map(|first| CompetencyDeficitTotal {
            year: first.year,
            levels: Levels::total(&rows),
        }))
    }

    /// The identification decisions the municipality published, newest year first.
    async fn identification_decisions(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<IdentificationDecision>> {
        let mut rows = load_many(ctx, DecisionsOfMunicipality(self.0.id)).await?;
        rows.sort_by_key(|d| std::cmp::Reverse(d.year));
        Ok(rows.into_iter().map(IdentificationDecision).collect())
    }

    /// The municipal plans (not the schools' roadmaps, which are on each school), newest school
    /// year first.
    async fn plans(&self, ctx: &Context<'_>) -> Result<Vec<super::Plan>> {
        let mut rows = load_many(ctx, PlansOfMunicipality(self.0.id)).await?;
        rows.retain(|p| p.school_id.is_none());
        rows.sort_by_key(|p| (std::cmp::Reverse(p.school_year), p.id));
        Ok(rows.into_iter().map(super::Plan).collect())
    }

    /// Meetings and their protocols (протоколы), newest first; undated last.
    async fn meetings(&self, ctx: &Context<'_>) -> Result<Vec<Meeting>> {
        let mut rows = load_many(ctx, MeetingsOfMunicipality(self.0.id)).await?;
        rows.sort_by_key(|m| std::cmp::Reverse(m.held_on.map(|d| d.earliest())));
        Ok(rows.into_iter().map(Meeting).collect())
    }

    /// Кластеры of the municipality.
    async fn clusters(&self, ctx: &Context<'_>) -> Result<Vec<Cluster>> {
        Ok(load_many(ctx, ClustersOfMunicipality(self.0.id))
            .await?
            .into_iter()
            .map(Cluster)
            .collect())
    }

    /// Группы партнёрского взаимодействия, by number.
    async fn partnership_groups(&self, ctx: &Context<'_>) -> Result<Vec<PartnershipGroup>> {
        let mut groups = load_many(ctx, GroupsOfMunicipality(self.0.id)).await?;
        groups.sort_by_key(|g| g.number);
        Ok(groups.into_iter().map(PartnershipGroup).collect())
    }

    /// The education authority, methodological centres and other organisations of the
    /// municipality.
    async fn organisations(&self, ctx: &Context<'_>) -> Result<Vec<Organisation>> {
        Ok(load_many(ctx, OrganisationsOfMunicipality(self.0.id))
            .await?
            .into_iter()
            .map(Organisation)
            .collect())
    }

    /// Муниципальные координаторы of the programmes.
    async fn coordinators(&self, ctx: &Context<'_>) -> Result<Vec<Appointment>> {
        self.appointments(ctx, AppointmentRole::Coordinator).await
    }

    /// Кураторы: everyone appointed curator in the municipality, of one school or of all.
    async fn curators(&self, ctx: &Context<'_>) -> Result<Vec<Appointment>> {
        self.appointments(ctx, AppointmentRole::Curator).await
    }
}

/// The row behind the GraphQL `Cluster` object, described on its resolvers.
pub struct Cluster(pub cluster::Model);

/// Кластер: a numbered set of schools of a municipality.
#[Object]
impl Cluster {
    /// The global id.
    pub async fn id(&self) -> ID {
        encode(Kind::Cluster, self.0.id)
    }

    /// The cluster's number within its municipality.
    async fn number(&self) -> i32 {
        self.0.number
    }

    /// The municipality.
    async fn municipality(&self, ctx: &Context<'_>) -> Result<Municipality> {
        load_required(ctx, MunicipalityById(self.0.municipality_id))
            .await
            .map(Municipality)
    }

    /// The schools of the cluster, a page at a time (Relay connection).
    async fn schools(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many schools to return: 20 when omitted, at most 100.")]
        first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
    ) -> Result<Connection<School>> {
        let rows = load_many(ctx, SchoolsOfCluster(self.0.id)).await?;
        Connection::page_of(rows.into_iter().map(School).collect(), first, after)
    }
}
