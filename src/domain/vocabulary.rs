//! The closed vocabularies of the domain (DOMAIN.md, glossary), stored as text and exposed as
//! GraphQL enums under the same names.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A support programme a school takes part in.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    async_graphql::Enum,
    Deserialize,
    Serialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Programme {
    /// ШНОР — школы с низкими образовательными результатами (schools with low results).
    #[sea_orm(string_value = "LOW_RESULTS")]
    LowResults,
    /// ШНСУ — школы, функционирующие в неблагоприятных социальных условиях.
    #[sea_orm(string_value = "UNFAVOURABLE_CONDITIONS")]
    UnfavourableConditions,
    /// «500+» — the federal project of ФИОКО for schools with low results.
    #[sea_orm(string_value = "PROJECT_500_PLUS")]
    #[graphql(name = "PROJECT_500_PLUS")]
    #[serde(rename = "PROJECT_500_PLUS")]
    Project500Plus,
}

impl Programme {
    /// The short name the reports use.
    pub fn abbreviation(self) -> &'static str {
        match self {
            Programme::LowResults => "ШНОР",
            Programme::UnfavourableConditions => "ШНСУ",
            Programme::Project500Plus => "500+",
        }
    }
}

/// What kind of organisation, other than a school, takes part in the network.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    async_graphql::Enum,
    Deserialize,
    Serialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OrganisationKind {
    /// Отдел / управление образования: the municipal education authority, publisher of the site.
    #[sea_orm(string_value = "EDUCATION_AUTHORITY")]
    EducationAuthority,
    /// РМК, ИМЦ, ЦРО: a municipal methodological centre.
    #[sea_orm(string_value = "METHODOLOGICAL_CENTRE")]
    MethodologicalCentre,
    /// ИРО: a regional institute for the development of education.
    #[sea_orm(string_value = "INSTITUTE")]
    Institute,
    /// ФИОКО and other federal bodies.
    #[sea_orm(string_value = "FEDERAL_AGENCY")]
    FederalAgency,
    /// Any other partner (a psychological centre, a university).
    #[sea_orm(string_value = "OTHER")]
    Other,
}

/// The nature of an agreement between a school and its partner.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    async_graphql::Enum,
    Deserialize,
    Serialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PartnershipKind {
    /// Наставничество: the partner is a mentor school (школа-наставник).
    #[sea_orm(string_value = "MENTORING")]
    Mentoring,
    /// The school is a pilot site (пилотная площадка) and the partner its base site (базовая
    /// площадка).
    #[sea_orm(string_value = "BASE_SITE")]
    BaseSite,
    /// Сетевая форма: the two carry out an educational programme together.
    #[sea_orm(string_value = "NETWORK_PROGRAMME")]
    NetworkProgramme,
    /// Methodological support by a centre or institute (ИМЦ, ИРО).
    #[sea_orm(string_value = "METHODOLOGICAL_SUPPORT")]
    MethodologicalSupport,
}

/// The role of a school in its partnership group.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    async_graphql::Enum,
    Deserialize,
    Serialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MembershipRole {
    /// Ресурсный центр: the school that leads the group; a group has none, one or two.
    #[sea_orm(string_value = "RESOURCE_CENTRE")]
    ResourceCentre,
    /// An ordinary member.
    #[sea_orm(string_value = "MEMBER")]
    Member,
}

/// What a person is appointed as.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    async_graphql::Enum,
    Deserialize,
    Serialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AppointmentRole {
    /// Директор: heads a school.
    #[sea_orm(string_value = "DIRECTOR")]
    Director,
    /// Куратор: supports a school (or the schools of a municipality) in a programme.
    #[sea_orm(string_value = "CURATOR")]
    Curator,
    /// Муниципальный координатор: coordinates a programme in a municipality.
    #[sea_orm(string_value = "COORDINATOR")]
    Coordinator,
}

/// How significant a risk factor is for a school, as ФИС ОКО grades it.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    async_graphql::Enum,
    Deserialize,
    Serialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Significance {
    /// Высокая значимость.
    #[sea_orm(string_value = "HIGH")]
    High,
    /// Средняя значимость.
    #[sea_orm(string_value = "MEDIUM")]
    Medium,
    /// Низкая значимость.
    #[sea_orm(string_value = "LOW")]
    Low,
}

impl Significance {
    /// In words, for the site.
    pub fn words(self) -> &'static str {
        match self {
            Significance::High => "высокая",
            Significance::Medium => "средняя",
            Significance::Low => "низкая",
        }
    }
}

/// Whose diary an entry is in (seed 000).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    EnumIter,
    DeriveActiveEnum,
    async_graphql::Enum,
    Deserialize,
    Serialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DiaryKind {
    /// Дневник школы: training events the school's people took part in.
    #[sea_orm(string_value = "SCHOOL")]
    School,
    /// Дневник педагога: how a teacher uses what was learnt.
    #[sea_orm(string_value = "TEACHER")]
    Teacher,
    /// Дневник директора: how the director uses it.
    #[sea_orm(string_value = "DIRECTOR")]
    Director,
}

/// How far a measure of a plan has got.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    async_graphql::Enum,
    Deserialize,
    Serialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MeasureStatus {
    /// Запланировано.
    #[sea_orm(string_value = "PLANNED")]
    Planned,
    /// Выполняется.
    #[sea_orm(string_value = "IN_PROGRESS")]
    InProgress,
    /// Выполнено.
    #[sea_orm(string_value = "DONE")]
    Done,
    /// Отменено.
    #[sea_orm(string_value = "CANCELLED")]
    Cancelled,
}

impl MeasureStatus {
    /// In words, for the site.
    pub fn words(self) -> &'static str {
        match self {
            MeasureStatus::Planned => "запланировано",
            MeasureStatus::InProgress => "выполняется",
            MeasureStatus::Done => "выполнено",
            MeasureStatus::Cancelled => "отменено",
        }
    }
}

/// What a material of the methodological bank is (seed 000, decisions 3 and 9).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    EnumIter,
    DeriveActiveEnum,
    async_graphql::Enum,
    Deserialize,
    Serialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MaterialKind {
    /// Методический материал.
    #[sea_orm(string_value = "METHODOLOGICAL")]
    Methodological,
    /// Инструмент мониторинга.
    #[sea_orm(string_value = "MONITORING_INSTRUMENT")]
    MonitoringInstrument,
    /// Описание позитивной практики (кейс).
    #[sea_orm(string_value = "BEST_PRACTICE")]
    BestPractice,
    /// Часто задаваемый вопрос и ответ на него.
    #[sea_orm(string_value = "FAQ")]
    Faq,
}

impl MaterialKind {
    /// In words, for the site (plural: the heading of a list).
    pub fn words(self) -> &'static str {
        match self {
            MaterialKind::Methodological => "Методические материалы",
            MaterialKind::MonitoringInstrument => "Инструменты мониторинга",
            MaterialKind::BestPractice => "Позитивные практики",
            MaterialKind::Faq => "Вопросы и ответы",
        }
    }

    /// The name of its page on the site.
    pub fn slug(self) -> &'static str {
        match self {
            MaterialKind::Methodological => "methods",
            MaterialKind::MonitoringInstrument => "instruments",
            MaterialKind::BestPractice => "practices",
            MaterialKind::Faq => "faq",
        }
    }
}
