//! Schools, their yearly evaluations and their programme participation.

use async_graphql::{Context, ID, Object, Result};

use super::{
    Appointment, AssessmentResult, Cluster, DiaryEntry, IndicatorValue, Municipality,
    PartnershipGroup, Person, RiskProfile, SchoolPartnership, SurveyRound,
};
use crate::domain::{
    Absence, DiaryKind, Level, MembershipRole, PartialDate, Procedure, Programme, Rated, SchoolKind,
};
use crate::entities::{appointment, evaluation, programme_participation, school};
use crate::graphql::error::bad_input;
use crate::graphql::ids::{Kind, encode};
use crate::graphql::loaders::*;
use crate::graphql::{load_many, load_one, load_required};

/// The row behind the GraphQL `School` object, described on its resolvers.
#[derive(Clone)]
pub struct School(pub school::Model);

impl School {
    /// Starts, in the round that loads school `id` itself, the loads its fields will ask for by
    /// its id (evaluations, results, appointments…), as far as the query selects them under
    /// the field `ctx` resolves: a school's page then takes two rounds, not three. In a
    /// mutation this does nothing (see `batch`).
    pub fn prefetch(ctx: &Context<'_>, id: i32) {
        let selected = ctx.look_ahead();
        let asks = |field: &str| selected.field(field).exists();
        let batcher = crate::graphql::loader(ctx);
        // A field of School (or the fields that read the same rows) and the key it loads.
        macro_rules! when_asked {
            ($($field:literal $(| $also:literal)* => $key:ident,)*) => {
                $(if asks($field) $(|| asks($also))* {
                    batcher.prefetch([$key(id)]);
                })*
            };
        }
        when_asked! {
            "evaluations" => EvaluationsOfSchool,
            "programmes" => ParticipationsOfSchool,
            "curators" | "director" => AppointmentsAtSchool,
            "riskProfiles" => RiskProfilesOfSchool,
            "results" => ResultsOfSchool,
            "partnershipGroup" | "isResourceCentre" => MembershipOfSchool,
            "partnerships" => PartnershipsOfSchool,
            "branches" => BranchesOfSchool,
            "indicatorValues" => IndicatorValuesOfSchool,
            "roadmaps" => PlansOfSchool,
            "visits" => VisitsToSchool,
            "surveyRounds" => SurveyRoundsOfSchool,
            "diary" => DiaryOfSchool,
        }
    }
}

/// ОО — общеобразовательная организация: one record per real school, whatever the spelling.
#[Object]
impl School {
    /// The row version: name it when changing this object; every change bumps it.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The global id.
    pub async fn id(&self) -> ID {
        encode(Kind::School, self.0.id)
    }

    /// Short name, unique within the municipality: «Бердюгинская СОШ».
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Full name with the legal form, the fullest spelling the sources give:
    /// «МОУ «Бердюгинская СОШ»».
    async fn full_name(&self) -> &str {
        &self.0.full_name
    }

    /// Организационно-правовая форма (МОУ, МАОУ, МКОУ, МБОУ, МОБУ), where the sources give it.
    async fn legal_form(&self) -> Option<&str> {
        self.0.legal_form.as_deref()
    }

    /// The type of school (СОШ, ООШ, начальная школа-детский сад).
    async fn kind(&self) -> SchoolKind {
        self.0.kind
    }

    /// Other spellings found in the sources; `nameContains` matches them too.
    async fn aliases(&self) -> &[String] {
        &self.0.aliases.0
    }

    /// The municipality.
    async fn municipality(&self, ctx: &Context<'_>) -> Result<Municipality> {
        load_required(ctx, MunicipalityById(self.0.municipality_id))
            .await
            .map(Municipality)
    }

    /// Кластер, if the municipality clusters its schools.
    async fn cluster(&self, ctx: &Context<'_>) -> Result<Option<Cluster>> {
        let Some(id) = self.0.cluster_id else {
            return Ok(None);
        };
        Ok(load_one(ctx, ClusterById(id)).await?.map(Cluster))
    }

    /// For a branch (филиал): the school it belongs to.
    async fn parent_school(&self, ctx: &Context<'_>) -> Result<Option<School>> {
        let Some(id) = self.0.parent_school_id else {
            return Ok(None);
        };
        Ok(load_one(ctx, SchoolById(id)).await?.map(School))
    }

    /// The school's branches (филиалы).
    async fn branches(&self, ctx: &Context<'_>) -> Result<Vec<School>> {
        Ok(load_many(ctx, BranchesOfSchool(self.0.id))
            .await?
            .into_iter()
            .map(School)
            .collect())
    }

    /// Quality group (ГК) and social well-being group (ГИСБШ) by year, oldest first.
    async fn evaluations(&self, ctx: &Context<'_>) -> Result<Vec<Evaluation>> {
        let mut rows = load_many(ctx, EvaluationsOfSchool(self.0.id)).await?;
        rows.sort_by_key(|e| e.year);
        Ok(rows.into_iter().map(Evaluation).collect())
    }

    /// Группа партнёрского взаимодействия the school belongs to, if any.
    async fn partnership_group(&self, ctx: &Context<'_>) -> Result<Option<PartnershipGroup>> {
        let Some(membership) = load_one(ctx, MembershipOfSchool(self.0.id)).await? else {
            return Ok(None);
        };
        Ok(load_one(ctx, GroupById(membership.group_id))
            .await?
            .map(PartnershipGroup))
    }

    /// True when the school is a resource centre (ресурсный центр) of its group.
    async fn is_resource_centre(&self, ctx: &Context<'_>) -> Result<bool> {
        let membership = load_one(ctx, MembershipOfSchool(self.0.id)).await?;
        Ok(membership.is_some_and(|m| m.role == MembershipRole::ResourceCentre))
    }

    /// Agreements on either side: those supporting this school and those in which it supports
    /// another (as mentor, base site or network partner), each saying which side this school
    /// is on (`role`) and who is on the other (`counterpart`).
    async fn partnerships(&self, ctx: &Context<'_>) -> Result<Vec<SchoolPartnership>> {
        let rows = load_many(ctx, PartnershipsOfSchool(self.0.id)).await?;
        Ok(rows
            .into_iter()
            .map(|row| SchoolPartnership::seen_from(row, self.0.id))
            .collect())
    }

    /// Кураторы of this school today: appointed to the school and in force. A curator appointed
    /// for a programme in the whole municipality is listed as such in `Municipality.curators`.
    async fn curators(&self, ctx: &Context<'_>) -> Result<Vec<Appointment>> {
        let rows = load_many(ctx, AppointmentsAtSchool(self.0.id)).await?;
        let today = appointment::today();
        Ok(rows
            .into_iter()
            .filter(|a| a.curates_on(self.0.id, today))
            .map(Appointment)
            .collect())
    }

    /// The director (директор) today, if known: of the director appointments in force, the
    /// latest begun.
    async fn director(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        let rows = load_many(ctx, AppointmentsAtSchool(self.0.id)).await?;
        let Some(current) = appointment::director_on(&rows, self.0.id, appointment::today()) else {
            return Ok(None);
        };
        Ok(load_one(ctx, PersonById(current.person_id))
            .await?
            .map(Person))
    }

    /// Assessment results (ВПР, ОГЭ, ЕГЭ…), oldest year first, then by procedure, subject, grade
    /// and level; only those of `procedure`, `subject` (a code: `mathematics`) and `years` when
    /// given.
    async fn results(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only results of this procedure.")] procedure: Option<Procedure>,
        #[graphql(desc = "Only results of the subject with this code: `mathematics`.")]
        subject: Option<String>,
        #[graphql(desc = "Only results of these years.")] years: Option<Vec<i32>>,
    ) -> Result<Vec<AssessmentResult>> {
        let subject_id = match subject {
            Some(code) => match super::results::subject_by_code(ctx, &code).await? {
                Some(s) => Some(s.0.id),
                None => {
                    return Err(bad_input(
                        "subject",
                        format!("«{code}» is not a subject code; see `subjects`"),
                    ));
                }
            },
            None => None,
        };
        let mut rows: Vec<_> = load_many(ctx, ResultsOfSchool(self.0.id))
            .await?
            .into_iter()
            .filter(|r| procedure.is_none_or(|p| r.procedure == p))
            .filter(|r| subject_id.is_none_or(|s| r.subject_id == s))
            .filter(|r| years.as_ref().is_none_or(|y| y.contains(&r.year)))
            .collect();
        rows.sort_by_key(|r| (r.year, r.procedure, r.subject_id, r.grade, r.level));
        Ok(rows.into_iter().map(AssessmentResult).collect())
    }

    /// Values of the monitoring indicators (критерии и показатели мониторинга), by year and
    /// indicator number; only `year`'s when given.
    async fn indicator_values(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only values of this year.")] year: Option<i32>,
    ) -> Result<Vec<IndicatorValue>> {
        let mut rows: Vec<_> = load_many(ctx, IndicatorValuesOfSchool(self.0.id))
            .await?
            .into_iter()
            .filter(|v| year.is_none_or(|y| v.year == y))
            .collect();
        rows.sort_by_key(|v| (v.year, v.indicator_id));
        Ok(rows.into_iter().map(IndicatorValue).collect())
    }

    /// Risk profiles (рисковый профиль школы), newest year first; a profile without a year last.
    async fn risk_profiles(&self, ctx: &Context<'_>) -> Result<Vec<RiskProfile>> {
        let mut rows = load_many(ctx, RiskProfilesOfSchool(self.0.id)).await?;
        rows.sort_by_key(|p| std::cmp::Reverse(p.year));
        Ok(rows.into_iter().map(RiskProfile).collect())
    }

    /// Its roadmaps (дорожные карты), newest school year first.
    async fn roadmaps(&self, ctx: &Context<'_>) -> Result<Vec<super::Plan>> {
        let mut rows = load_many(ctx, PlansOfSchool(self.0.id)).await?;
        rows.sort_by_key(|p| (std::cmp::Reverse(p.school_year), p.id));
        Ok(rows.into_iter().map(super::Plan).collect())
    }

    /// Curator visits, newest first. Their notes are not public.
    async fn visits(&self, ctx: &Context<'_>) -> Result<Vec<super::CuratorVisit>> {
        let mut rows = load_many(ctx, VisitsToSchool(self.0.id)).await?;
        rows.sort_by_key(|v| (std::cmp::Reverse(v.visited_on), v.id));
        Ok(rows.into_iter().map(super::CuratorVisit).collect())
    }

    /// Rounds of the change survey «Есть ли изменения?», newest first.
    async fn survey_rounds(&self, ctx: &Context<'_>) -> Result<Vec<SurveyRound>> {
        let mut rows = load_many(ctx, SurveyRoundsOfSchool(self.0.id)).await?;
        rows.sort_by_key(|r| std::cmp::Reverse(r.held_on.earliest()));
        Ok(rows.into_iter().map(SurveyRound).collect())
    }

    /// The school's, its teachers' and its director's diaries (seed 000), in the order written;
    /// only `kind`'s when given. For the school's admin, coordinator and curators only: the
    /// entries name teachers and carry the curators' comments.
    async fn diary(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only this diary.")] kind: Option<DiaryKind>,
    ) -> Result<Vec<DiaryEntry>> {
        super::may_read_diaries(ctx, self.0.id).await?;
        Ok(load_many(ctx, DiaryOfSchool(self.0.id))
            .await?
            .into_iter()
            .filter(|e| kind.is_none_or(|k| e.kind == k))
            .map(DiaryEntry)
            .collect())
    }

    /// Participation in ШНОР, ШНСУ and 500+, with inclusion and exclusion.
    async fn programmes(&self, ctx: &Context<'_>) -> Result<Vec<ProgrammeParticipation>> {
        let rows = load_many(ctx, ParticipationsOfSchool(self.0.id)).await?;
        Ok(rows.into_iter().map(ProgrammeParticipation).collect())
    }
}

/// The row behind the GraphQL `Evaluation` object, described on its resolvers.
pub struct Evaluation(pub evaluation::Model);

/// A school's quality group (группа качества, ГК) and social well-being group (группа по индексу
/// социального благополучия школы, ГИСБШ) for one year, with the levels printed beside them.
/// A missing group carries its reason and is never zero.
#[Object]
impl Evaluation {
    /// The global id.
    pub async fn id(&self) -> ID {
        encode(Kind::Evaluation, self.0.id)
    }

    /// The row version: name it when changing this object; every change bumps it.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The year of the identification.
    async fn year(&self) -> i32 {
        self.0.year
    }

    /// Группа качества (1–10); null when absent, see `qualityGroupAbsence`.
    async fn quality_group(&self) -> Option<i16> {
        self.0.quality().group().map(|g| g.get())
    }

    /// Why the quality group is absent («нет выпускников», «нет информации»).
    async fn quality_group_absence(&self) -> Option<Absence> {
        self.0.quality().absence()
    }

    /// Уровень по ГК, as published.
    async fn quality_level(&self) -> Option<Level> {
        self.0.quality().level()
    }

    /// Группа по ГИСБШ (1–10); null when absent, see `wellbeingGroupAbsence`.
    async fn wellbeing_group(&self) -> Option<i16> {
        self.0.wellbeing().group().map(|g| g.get())
    }

    /// Why the well-being group is absent.
    async fn wellbeing_group_absence(&self) -> Option<Absence> {
        self.0.wellbeing().absence()
    }

    /// Уровень по ГИСБШ, as published.
    async fn wellbeing_level(&self) -> Option<Level> {
        self.0.wellbeing().level()
    }

    /// False when a published level disagrees with the level its group implies (3–4 н, 5 н/с,
    /// 6 с, 7–9 в/с, 10 в). The published level is kept; the mismatch is reported here.
    async fn levels_agree(&self) -> bool {
        [self.0.quality(), self.0.wellbeing()]
            .into_iter()
            .all(Rated::level_agrees)
    }
}

/// The row behind the GraphQL `ProgrammeParticipation` object, described on its resolvers.
pub struct ProgrammeParticipation(pub programme_participation::Model);

/// A school's participation in a programme: ШНОР, ШНСУ or 500+.
#[Object]
impl ProgrammeParticipation {
    /// The global id.
    pub async fn id(&self) -> ID {
        encode(Kind::ProgrammeParticipation, self.0.id)
    }

    /// The row version: name it when changing this object; every change bumps it.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The programme.
    async fn programme(&self) -> Programme {
        self.0.programme
    }

    /// When the school was included, to the precision the source gives; null if unknown.
    async fn included_on(&self) -> Option<PartialDate> {
        self.0.included_on
    }

    /// When the school was excluded; null while it takes part.
    async fn excluded_on(&self) -> Option<PartialDate> {
        self.0.excluded_on
    }

    /// Обоснование исключения: why the school left the programme.
    async fn exclusion_justification(&self) -> Option<&str> {
        self.0.exclusion_justification.as_deref()
    }

    /// Группа риска (500+): «Базово неуспевающие».
    async fn risk_group(&self) -> Option<&str> {
        self.0.risk_group.as_deref()
    }

    /// True while the school takes part (not excluded).
    async fn is_active(&self) -> bool {
        self.0.is_current()
    }
}
