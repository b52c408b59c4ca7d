//! The school network: regions, municipalities, organisations, schools, their yearly evaluations,
//! partnership groups, partnerships, people, appointments and programme participation.
//!
//! Enumerations are stored as text and bounded by check constraints; dates that the seeds often
//! give only to the year or month are stored as ISO 8601 text of reduced precision (`2020`,
//! `2020-06`, `2021-05-20`), which sorts correctly as text.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Regions {
    Table,
    Id,
    Slug,
    Name,
}

#[derive(DeriveIden, Clone, Copy)]
enum Municipalities {
    Table,
    Id,
    Version,
    RegionId,
    Slug,
    Name,
    ShortName,
    SchoolCount,
    RegionalLowResultsPermille,
}

#[derive(DeriveIden, Clone, Copy)]
enum Organisations {
    Table,
    Id,
    Version,
    MunicipalityId,
    Kind,
    Name,
    ShortName,
    Aliases,
}

#[derive(DeriveIden, Clone, Copy)]
enum Clusters {
    Table,
    Id,
    MunicipalityId,
    Number,
}

#[derive(DeriveIden, Clone, Copy)]
enum Schools {
    Table,
    Id,
    Version,
    MunicipalityId,
    Name,
    FullName,
    LegalForm,
    Kind,
    ParentSchoolId,
    ClusterId,
    Aliases,
    SearchKey,
    NameKey,
}

#[derive(DeriveIden, Clone, Copy)]
enum People {
    Table,
    Id,
    Version,
    FullName,
    Position,
    WorkplaceSchoolId,
    WorkplaceOrganisationId,
}

#[derive(DeriveIden, Clone, Copy)]
enum Evaluations {
    Table,
    Id,
    Version,
    SchoolId,
    Year,
    QualityGroup,
    QualityGroupAbsence,
    QualityLevel,
    WellbeingGroup,
    WellbeingGroupAbsence,
    WellbeingLevel,
}

#[derive(DeriveIden, Clone, Copy)]
enum PartnershipGroups {
    Table,
    Id,
    Version,
    MunicipalityId,
    Number,
}

#[derive(DeriveIden, Clone, Copy)]
enum GroupMemberships {
    Table,
    Id,
    GroupId,
    SchoolId,
    Role,
}

#[derive(DeriveIden, Clone, Copy)]
enum Partnerships {
    Table,
    Id,
    Version,
    Kind,
    SchoolId,
    PartnerSchoolId,
    PartnerOrganisationId,
    StartsOn,
    EndsOn,
    Document,
    Description,
}

#[derive(DeriveIden, Clone, Copy)]
enum Appointments {
    Table,
    Id,
    Version,
    PersonId,
    Role,
    Programme,
    MunicipalityId,
    SchoolId,
    StartsOn,
    EndsOn,
}

#[derive(DeriveIden, Clone, Copy)]
enum ProgrammeParticipations {
    Table,
    Id,
    Version,
    SchoolId,
    Programme,
    IncludedOn,
    ExcludedOn,
    ExclusionJustification,
    RiskGroup,
}

const PROGRAMMES: [&str; 3] = ["LOW_RESULTS", "UNFAVOURABLE_CONDITIONS", "PROJECT_500_PLUS"];
const LEVELS: [&str; 5] = ["н", "н/с", "с", "в/с", "в"];
const ABSENCES: [&str; 2] = ["NO_GRADUATES", "NO_INFORMATION"];

/// A named check that `column` is one of `values`.
fn one_of<T: IntoIden + Copy>(name: &str, column: T, values: &[&str]) -> (String, SimpleExpr) {
    (
        name.to_owned(),
        Expr::col(column).is_in(values.iter().copied()),
    )
}

/// A named check that a text column is not blank.
fn not_blank<T: IntoIden + Copy>(name: &str, column: T) -> (String, SimpleExpr) {
    (name.to_owned(), has_text(column))
}

/// True when a text column holds more than white space (`LENGTH` and `TRIM` exist in both SQLite
/// and PostgreSQL; `CHAR_LENGTH` does not exist in SQLite).
fn has_text<T: IntoIden>(column: T) -> SimpleExpr {
    Expr::expr(Func::cust("LENGTH").arg(Func::cust("TRIM").arg(Expr::col(column)))).gt(0)
}

/// A named check that an optional period does not end before it starts.
fn period_in_order<T: IntoIden + Copy>(name: &str, starts: T, ends: T) -> (String, SimpleExpr) {
    (
        name.to_owned(),
        Expr::col(starts)
            .is_null()
            .or(Expr::col(ends).is_null())
            .or(Expr::col(starts).lte(Expr::col(ends))),
    )
}

/// The row version for optimistic concurrency: an update names the version it read and bumps it.
fn version<T: IntoIden>(column: T) -> ColumnDef {
    ColumnDef::new(column)
        .integer()
        .not_null()
        .default(1)
        .check(Expr::col(Alias::new("version")).gt(0))
        .to_owned()
}

/// A foreign key from `from.0.from.1` to `to.id`.
fn reference<F: IntoIden + Copy, C: IntoIden, T: IntoIden, I: IntoIden>(
    from: (F, C),
    to: (T, I),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .on_update(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};

        manager
            .create_table(
                Table::create()
                    .table(Regions::Table)
                    .col(pk_auto(Regions::Id))
                    .col(string_uniq(Regions::Slug))
                    .col(string_uniq(Regions::Name))
                    .check(not_blank("regions_name_not_blank", Regions::Name))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Municipalities::Table)
                    .col(pk_auto(Municipalities::Id))
                    .col(version(Municipalities::Version))
                    .col(integer(Municipalities::RegionId))
                    .col(string_uniq(Municipalities::Slug))
                    .col(string_uniq(Municipalities::Name))
                    .col(string(Municipalities::ShortName))
                    .col(integer_null(Municipalities::SchoolCount))
                    .col(integer_null(Municipalities::RegionalLowResultsPermille))
                    .foreign_key(&mut reference(
                        (Municipalities::Table, Municipalities::RegionId),
                        (Regions::Table, Regions::Id),
                        Restrict,
                    ))
                    .check(not_blank(
                        "municipalities_name_not_blank",
                        Municipalities::Name,
                    ))
                    .check((
                        "municipalities_school_count_positive",
                        Expr::col(Municipalities::SchoolCount).gt(0),
                    ))
                    .check((
                        "municipalities_regional_share_is_a_share",
                        Expr::col(Municipalities::RegionalLowResultsPermille).between(0, 1000),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Organisations::Table)
                    .col(pk_auto(Organisations::Id))
                    .col(version(Organisations::Version))
                    .col(integer_null(Organisations::MunicipalityId))
                    .col(string(Organisations::Kind))
                    .col(string_uniq(Organisations::Name))
                    .col(string(Organisations::ShortName))
                    .col(json(Organisations::Aliases))
                    .foreign_key(&mut reference(
                        (Organisations::Table, Organisations::MunicipalityId),
                        (Municipalities::Table, Municipalities::Id),
                        Restrict,
                    ))
                    .check(one_of(
                        "organisations_kind_known",
                        Organisations::Kind,
                        &[
                            "EDUCATION_AUTHORITY",
                            "METHODOLOGICAL_CENTRE",
                            "INSTITUTE",
                            "FEDERAL_AGENCY",
                            "OTHER",
                        ],
                    ))
                    .check(not_blank(
                        "organisations_name_not_blank",
                        Organisations::Name,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Clusters::Table)
                    .col(pk_auto(Clusters::Id))
                    .col(integer(Clusters::MunicipalityId))
                    .col(integer(Clusters::Number))
                    .foreign_key(&mut reference(
                        (Clusters::Table, Clusters::MunicipalityId),
                        (Municipalities::Table, Municipalities::Id),
                        Cascade,
                    ))
                    .check((
                        "clusters_number_positive",
                        Expr::col(Clusters::Number).gt(0),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("clusters_number_unique")
                    .table(Clusters::Table)
                    .col(Clusters::MunicipalityId)
                    .col(Clusters::Number)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Schools::Table)
                    .col(pk_auto(Schools::Id))
                    .col(version(Schools::Version))
                    .col(integer(Schools::MunicipalityId))
                    .col(string(Schools::Name))
                    .col(string(Schools::FullName))
                    .col(string_null(Schools::LegalForm))
                    .col(string(Schools::Kind))
                    .col(integer_null(Schools::ParentSchoolId))
                    .col(integer_null(Schools::ClusterId))
                    .col(json(Schools::Aliases))
                    .col(text(Schools::SearchKey))
                    .col(string(Schools::NameKey))
                    .foreign_key(&mut reference(
                        (Schools::Table, Schools::MunicipalityId),
                        (Municipalities::Table, Municipalities::Id),
                        Restrict,
                    ))
                    .foreign_key(&mut reference(
                        (Schools::Table, Schools::ParentSchoolId),
                        (Schools::Table, Schools::Id),
                        Restrict,
                    ))
                    .foreign_key(&mut reference(
                        (Schools::Table, Schools::ClusterId),
                        (Clusters::Table, Clusters::Id),
                        SetNull,
                    ))
                    .check(one_of(
                        "schools_kind_known",
                        Schools::Kind,
                        &["SECONDARY", "BASIC", "PRIMARY_KINDERGARTEN"],
                    ))
                    .check(not_blank("schools_name_not_blank", Schools::Name))
                    .check(not_blank("schools_full_name_not_blank", Schools::FullName))
                    .check((
                        "schools_not_own_branch",
                        Expr::col(Schools::ParentSchoolId).ne(Expr::col(Schools::Id)),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("schools_name_unique_in_municipality")
                    .table(Schools::Table)
                    .col(Schools::MunicipalityId)
                    .col(Schools::NameKey)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(People::Table)
                    .col(pk_auto(People::Id))
                    .col(version(People::Version))
                    .col(string(People::FullName))
                    .col(string_null(People::Position))
                    .col(integer_null(People::WorkplaceSchoolId))
                    .col(integer_null(People::WorkplaceOrganisationId))
                    .foreign_key(&mut reference(
                        (People::Table, People::WorkplaceSchoolId),
                        (Schools::Table, Schools::Id),
                        SetNull,
                    ))
                    .foreign_key(&mut reference(
                        (People::Table, People::WorkplaceOrganisationId),
                        (Organisations::Table, Organisations::Id),
                        SetNull,
                    ))
                    .check(not_blank("people_full_name_not_blank", People::FullName))
                    .check((
                        "people_one_workplace",
                        Expr::col(People::WorkplaceSchoolId)
                            .is_null()
                            .or(Expr::col(People::WorkplaceOrganisationId).is_null()),
                    ))
                    .to_owned(),
            )
            .await?;

        let levels = |name: &str, column| one_of(name, column, &LEVELS);
        let absences = |name: &str, column| one_of(name, column, &ABSENCES);
        manager
            .create_table(
                Table::create()
                    .table(Evaluations::Table)
                    .col(pk_auto(Evaluations::Id))
                    .col(version(Evaluations::Version))
                    .col(integer(Evaluations::SchoolId))
                    .col(integer(Evaluations::Year))
                    .col(small_integer_null(Evaluations::QualityGroup))
                    .col(string_null(Evaluations::QualityGroupAbsence))
                    .col(string_null(Evaluations::QualityLevel))
                    .col(small_integer_null(Evaluations::WellbeingGroup))
                    .col(string_null(Evaluations::WellbeingGroupAbsence))
                    .col(string_null(Evaluations::WellbeingLevel))
                    .foreign_key(&mut reference(
                        (Evaluations::Table, Evaluations::SchoolId),
                        (Schools::Table, Schools::Id),
                        Cascade,
                    ))
                    .check((
                        "evaluations_year_plausible",
                        Expr::col(Evaluations::Year).between(2000, 2100),
                    ))
                    .check((
                        "evaluations_quality_group_in_range",
                        Expr::col(Evaluations::QualityGroup).between(1, 10),
                    ))
                    .check((
                        "evaluations_wellbeing_group_in_range",
                        Expr::col(Evaluations::WellbeingGroup).between(1, 10),
                    ))
                    .check((
                        "evaluations_quality_group_or_reason",
                        Expr::col(Evaluations::QualityGroup)
                            .is_null()
                            .ne(Expr::col(Evaluations::QualityGroupAbsence).is_null()),
                    ))
                    .check((
                        "evaluations_wellbeing_group_or_reason",
                        Expr::col(Evaluations::WellbeingGroup)
                            .is_null()
                            .ne(Expr::col(Evaluations::WellbeingGroupAbsence).is_null()),
                    ))
                    .check(absences(
                        "evaluations_quality_absence_known",
                        Evaluations::QualityGroupAbsence,
                    ))
                    .check(absences(
                        "evaluations_wellbeing_absence_known",
                        Evaluations::WellbeingGroupAbsence,
                    ))
                    .check(levels(
                        "evaluations_quality_level_known",
                        Evaluations::QualityLevel,
                    ))
                    .check(levels(
                        "evaluations_wellbeing_level_known",
                        Evaluations::WellbeingLevel,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("evaluations_one_per_school_year")
                    .table(Evaluations::Table)
                    .col(Evaluations::SchoolId)
                    .col(Evaluations::Year)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PartnershipGroups::Table)
                    .col(pk_auto(PartnershipGroups::Id))
                    .col(version(PartnershipGroups::Version))
                    .col(integer(PartnershipGroups::MunicipalityId))
                    .col(integer(PartnershipGroups::Number))
                    .foreign_key(&mut reference(
                        (PartnershipGroups::Table, PartnershipGroups::MunicipalityId),
                        (Municipalities::Table, Municipalities::Id),
                        Cascade,
                    ))
                    .check((
                        "partnership_groups_number_positive",
                        Expr::col(PartnershipGroups::Number).gt(0),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("partnership_groups_number_unique")
                    .table(PartnershipGroups::Table)
                    .col(PartnershipGroups::MunicipalityId)
                    .col(PartnershipGroups::Number)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(GroupMemberships::Table)
                    .col(pk_auto(GroupMemberships::Id))
                    .col(integer(GroupMemberships::GroupId))
                    // A school is in at most one group of its municipality's programme.
                    .col(integer_uniq(GroupMemberships::SchoolId))
                    .col(string(GroupMemberships::Role))
                    .foreign_key(&mut reference(
                        (GroupMemberships::Table, GroupMemberships::GroupId),
                        (PartnershipGroups::Table, PartnershipGroups::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut reference(
                        (GroupMemberships::Table, GroupMemberships::SchoolId),
                        (Schools::Table, Schools::Id),
                        Cascade,
                    ))
                    .check(one_of(
                        "group_memberships_role_known",
                        GroupMemberships::Role,
                        &["RESOURCE_CENTRE", "MEMBER"],
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Partnerships::Table)
                    .col(pk_auto(Partnerships::Id))
                    .col(version(Partnerships::Version))
                    .col(string(Partnerships::Kind))
                    .col(integer(Partnerships::SchoolId))
                    .col(integer_null(Partnerships::PartnerSchoolId))
                    .col(integer_null(Partnerships::PartnerOrganisationId))
                    .col(string_null(Partnerships::StartsOn))
                    .col(string_null(Partnerships::EndsOn))
                    .col(text_null(Partnerships::Document))
                    .col(text_null(Partnerships::Description))
                    .foreign_key(&mut reference(
                        (Partnerships::Table, Partnerships::SchoolId),
                        (Schools::Table, Schools::Id),
                        Restrict,
                    ))
                    .foreign_key(&mut reference(
                        (Partnerships::Table, Partnerships::PartnerSchoolId),
                        (Schools::Table, Schools::Id),
                        Restrict,
                    ))
                    .foreign_key(&mut reference(
                        (Partnerships::Table, Partnerships::PartnerOrganisationId),
                        (Organisations::Table, Organisations::Id),
                        Restrict,
                    ))
                    .check(one_of(
                        "partnerships_kind_known",
                        Partnerships::Kind,
                        &[
                            "MENTORING",
                            "BASE_SITE",
                            "NETWORK_PROGRAMME",
                            "METHODOLOGICAL_SUPPORT",
                        ],
                    ))
                    .check((
                        "partnerships_exactly_one_partner",
                        Expr::col(Partnerships::PartnerSchoolId)
                            .is_null()
                            .ne(Expr::col(Partnerships::PartnerOrganisationId).is_null()),
                    ))
                    .check((
                        "partnerships_not_with_itself",
                        Expr::col(Partnerships::PartnerSchoolId)
                            .ne(Expr::col(Partnerships::SchoolId)),
                    ))
                    .check(period_in_order(
                        "partnerships_period_in_order",
                        Partnerships::StartsOn,
                        Partnerships::EndsOn,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Appointments::Table)
                    .col(pk_auto(Appointments::Id))
                    .col(version(Appointments::Version))
                    .col(integer(Appointments::PersonId))
                    .col(string(Appointments::Role))
                    .col(string_null(Appointments::Programme))
                    .col(integer(Appointments::MunicipalityId))
                    .col(integer_null(Appointments::SchoolId))
                    .col(string_null(Appointments::StartsOn))
                    .col(string_null(Appointments::EndsOn))
                    .foreign_key(&mut reference(
                        (Appointments::Table, Appointments::PersonId),
                        (People::Table, People::Id),
                        Restrict,
                    ))
                    .foreign_key(&mut reference(
                        (Appointments::Table, Appointments::MunicipalityId),
                        (Municipalities::Table, Municipalities::Id),
                        Restrict,
                    ))
                    .foreign_key(&mut reference(
                        (Appointments::Table, Appointments::SchoolId),
                        (Schools::Table, Schools::Id),
                        Restrict,
                    ))
                    .check(one_of(
                        "appointments_role_known",
                        Appointments::Role,
                        &["DIRECTOR", "CURATOR", "COORDINATOR"],
                    ))
                    .check(one_of(
                        "appointments_programme_known",
                        Appointments::Programme,
                        &PROGRAMMES,
                    ))
                    .check((
                        "appointments_director_of_a_school",
                        Expr::col(Appointments::Role)
                            .ne("DIRECTOR")
                            .or(Expr::col(Appointments::SchoolId).is_not_null()),
                    ))
                    .check((
                        "appointments_programme_role_names_programme",
                        Expr::col(Appointments::Role)
                            .eq("DIRECTOR")
                            .or(Expr::col(Appointments::Programme).is_not_null()),
                    ))
                    .check(period_in_order(
                        "appointments_period_in_order",
                        Appointments::StartsOn,
                        Appointments::EndsOn,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ProgrammeParticipations::Table)
                    .col(pk_auto(ProgrammeParticipations::Id))
                    .col(version(ProgrammeParticipations::Version))
                    .col(integer(ProgrammeParticipations::SchoolId))
                    .col(string(ProgrammeParticipations::Programme))
                    .col(string_null(ProgrammeParticipations::IncludedOn))
                    .col(string_null(ProgrammeParticipations::ExcludedOn))
                    .col(text_null(ProgrammeParticipations::ExclusionJustification))
                    .col(string_null(ProgrammeParticipations::RiskGroup))
                    .foreign_key(&mut reference(
                        (
                            ProgrammeParticipations::Table,
                            ProgrammeParticipations::SchoolId,
                        ),
                        (Schools::Table, Schools::Id),
                        Restrict,
                    ))
                    .check(one_of(
                        "programme_participations_programme_known",
                        ProgrammeParticipations::Programme,
                        &PROGRAMMES,
                    ))
                    .check((
                        "programme_participations_exclusion_justified",
                        Expr::col(ProgrammeParticipations::ExcludedOn)
                            .is_null()
                            .or(has_text(ProgrammeParticipations::ExclusionJustification)),
                    ))
                    .check(period_in_order(
                        "programme_participations_period_in_order",
                        ProgrammeParticipations::IncludedOn,
                        ProgrammeParticipations::ExcludedOn,
                    ))
                    .to_owned(),
            )
            .await?;

        for (table, column) in [
            (
                Schools::Table.into_iden(),
                Schools::MunicipalityId.into_iden(),
            ),
            (
                People::Table.into_iden(),
                People::WorkplaceSchoolId.into_iden(),
            ),
            (
                Evaluations::Table.into_iden(),
                Evaluations::SchoolId.into_iden(),
            ),
            (
                GroupMemberships::Table.into_iden(),
                GroupMemberships::GroupId.into_iden(),
            ),
            (
                Partnerships::Table.into_iden(),
                Partnerships::SchoolId.into_iden(),
            ),
            (
                Partnerships::Table.into_iden(),
                Partnerships::PartnerSchoolId.into_iden(),
            ),
            (
                Appointments::Table.into_iden(),
                Appointments::SchoolId.into_iden(),
            ),
            (
                Appointments::Table.into_iden(),
                Appointments::MunicipalityId.into_iden(),
            ),
            (
                ProgrammeParticipations::Table.into_iden(),
                ProgrammeParticipations::SchoolId.into_iden(),
            ),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(format!("{}_{}_idx", table, column))
                        .table(table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
