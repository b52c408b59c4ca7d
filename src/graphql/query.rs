//! The query root.

use async_graphql::{Context, ErrorExtensions, ID, InputObject, Object, Result};
use sea_orm::sea_query::Order;
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, Query as Sql};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::connection::{Connection, Page, SortedBy, decode_cursor, page_size, paginate};
use super::error::{Code, bad_input, coded, internal, not_found};
use super::ids::{Kind, decode, decode_as};
use super::loaders::*;
use super::mutation::SiteExportJob;
use super::types::*;
use super::{db, load_one};
use crate::auth::Caller;
use crate::auth::policy::{self, Area, Reach, reach};
use crate::changes::site_exports::export_scope;
use crate::domain::{AppointmentRole, Programme, fold};
use crate::entities::{
    appointment, audit_entry, audit_municipality, cluster, municipality, organisation,
    partnership_group, person, programme_participation, region, school,
};

/// Which schools to list; every condition given must hold.
#[derive(InputObject, Default)]
pub struct SchoolFilter {
    /// The municipality's slug: `irbitskoye`.
    municipality: Option<String>,
    /// A part of any spelling of the name (short, full or alias), ignoring case (Cyrillic too),
    /// «ё»/«е», quotes and the space after «№»: «зайковская» finds «Зайковская СОШ №1».
    name_contains: Option<String>,
    /// Only schools currently in this programme (included and not excluded).
    programme: Option<Programme>,
    /// Only schools in a cluster with this number.
    cluster_number: Option<i32>,
}

/// The orders a list of schools or people comes in; each is served by an index.
#[derive(async_graphql::Enum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ListOrder {
    /// As added to schoolnet (by row id).
    #[default]
    Added,
    /// By name (a school's short name, a person's full name), as the database compares text
    /// (then as added, for equal names).
    Name,
}

impl ListOrder {
    /// How `paginate` sorts: by `name` from the name of the cursor's row (`name_of` reads it
    /// by primary key), or by id.
    async fn sorted_by<Col>(
        self,
        name: Col,
        after: Option<i32>,
        name_of: impl AsyncFnOnce(i32) -> Result<Option<String>>,
    ) -> Result<Option<SortedBy<Col>>> {
        Ok(match self {
            ListOrder::Added => None,
            ListOrder::Name => Some(SortedBy {
                column: name,
                after: match after {
                    Some(id) => Some(
                        name_of(id)
                            .await?
                            .ok_or_else(|| bad_input("after", "the cursor's row no longer exists"))?
                            .into(),
                    ),
                    None => None,
                },
            }),
        })
    }
}

/// Which people to list; every condition given must hold.
#[derive(InputObject, Default)]
pub struct PersonFilter {
    /// The municipality's slug: people who work there or are appointed there.
    municipality: Option<String>,
    /// A part of the name, ignoring case (Cyrillic too) and «ё»/«е»: «клименко».
    name_contains: Option<String>,
    /// Only people holding this role today (in the municipality, when one is given).
    role: Option<AppointmentRole>,
}

/// The longest `nameContains`: longer than any spelling of a school, so nothing it could find is
/// lost, and short enough that a pattern never strains the database.
const MAX_PATTERN: usize = 200;

/// `column` (a folded search key) holds `text` folded the same way; `filter.nameContains` is
/// at most [`MAX_PATTERN`] characters.
fn name_matches(
    column: impl sea_orm::IntoSimpleExpr,
    text: &str,
) -> Result<sea_orm::sea_query::SimpleExpr> {
    let chars = text.chars().count();
    if chars > MAX_PATTERN {
        return Err(bad_input(
            "filter.nameContains",
            format!("at most {MAX_PATTERN} characters, {chars} given"),
        ));
    }
    let pattern = format!("%{}%", like_literal(&fold(text)));
    Ok(Expr::expr(column.into_simple_expr()).like(LikeExpr::new(pattern).escape('\\')))
}

/// The network fields of the query root; the descriptions clients see are on its resolvers.
#[derive(Default)]
pub struct NetworkQuery;

async fn municipality_by_slug(
    ctx: &Context<'_>,
    slug: &str,
) -> Result<Option<municipality::Model>> {
    municipality::Entity::find()
        .filter(municipality::Column::Slug.eq(slug))
        .one(db(ctx))
        .await
        .map_err(internal)
}

/// The id of the municipality with `slug` (if any), as a subquery: a list filtered by a
/// municipality reads its rows in one statement, not one round after the municipality's.
fn municipality_with_slug(slug: &str) -> sea_orm::sea_query::SelectStatement {
    Sql::select()
        .column(municipality::Column::Id)
        .from(municipality::Entity)
        .and_where(municipality::Column::Slug.eq(slug))
        .to_owned()
}

/// Refuses a slug no municipality has (naming the argument `field`). Asked only when a list
/// filtered by `municipality_with_slug` came back empty: a known slug costs no statement.
async fn known_municipality(ctx: &Context<'_>, field: &str, slug: &str) -> Result<()> {
    match municipality_by_slug(ctx, slug).await? {
        Some(_) => Ok(()),
        None => Err(bad_input(
            field,
            format!("no municipality has the slug «{slug}»"),
        )),
    }
}

/// Escapes LIKE wildcards so that user text matches literally.
fn like_literal(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Which audit entries to list; every condition given must hold.
#[derive(InputObject, Default)]
pub struct AuditFilter {
    /// Changes in this municipality (slug).
    municipality: Option<String>,
    /// Changes of one entity, by its global id.
    entity_id: Option<ID>,
    /// Changes made by this mutation: `updateSchool`.
    operation: Option<String>,
}

/// Read access to the school network.
#[Object]
impl NetworkQuery {
    /// Субъекты РФ held in schoolnet.
    async fn regions(&self, ctx: &Context<'_>) -> Result<Vec<Region>> {
        let rows = region::Entity::find()
            .order_by_id_asc()
            .all(db(ctx))
            .await
            .map_err(internal)?;
        Ok(rows.into_iter().map(Region).collect())
    }

    /// Every municipality, in the order they were added.
    async fn municipalities(&self, ctx: &Context<'_>) -> Result<Vec<Municipality>> {
        let rows = municipality::Entity::find()
            .order_by_id_asc()
            .all(db(ctx))
            .await
            .map_err(internal)?;
        Ok(rows.into_iter().map(Municipality).collect())
    }

    /// A municipality by its slug; a `NOT_FOUND` error when none has it.
    async fn municipality(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The municipality's slug: `labinsky`.")] slug: String,
    ) -> Result<Option<Municipality>> {
        match municipality_by_slug(ctx, &slug).await? {
            Some(row) => Ok(Some(Municipality(row))),
            None => Err(not_found("municipality", slug)),
        }
    }

    /// Schools, a page at a time (Relay connection), in the order they were added or by name.
    async fn schools(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which schools; all when omitted.")] filter: Option<SchoolFilter>,
        #[graphql(desc = "The order: as added when omitted.", default)] order_by: ListOrder,
        #[graphql(desc = "How many schools to return: 20 when omitted, at most 100.")]
        first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
    ) -> Result<Connection<School>> {
        let limit = page_size(first)?;
        let after = after.as_deref().map(decode_cursor::<School>).transpose()?;
        let filter = filter.unwrap_or_default();

        let mut select = school::Entity::find();
        if let Some(slug) = &filter.municipality {
            select = select
                .filter(school::Column::MunicipalityId.in_subquery(municipality_with_slug(slug)));
        }
        if let Some(text) = &filter.name_contains {
            select = select.filter(name_matches(school::Column::SearchKey, text)?);
        }
        if let Some(programme) = filter.programme {
            select = select.filter(
                school::Column::Id.in_subquery(
                    Sql::select()
                        .column(programme_participation::Column::SchoolId)
                        .from(programme_participation::Entity)
                        .and_where(programme_participation::Column::Programme.eq(programme))
                        .and_where(programme_participation::current())
                        .to_owned(),
                ),
            );
        }
        if let Some(number) = filter.cluster_number {
            select = select.filter(
                school::Column::ClusterId.in_subquery(
                    Sql::select()
                        .column(cluster::Column::Id)
                        .from(cluster::Entity)
                        .and_where(cluster::Column::Number.eq(number))
                        .to_owned(),
                ),
            );
        }

        // By name: the cursor's row gives the name to go on from (one primary-key read).
        let sorted = order_by
            .sorted_by(school::Column::Name, after, async |id| {
                Ok(load_one(ctx, SchoolById(id)).await?.map(|s| s.name))
            })
            .await?;
        let page = Page {
            after,
            limit,
            order: Order::Asc,
        };
        let schools = paginate(db(ctx), select, school::Column::Id, page, sorted, School).await?;
        if schools.total_count == 0
            && let Some(slug) = &filter.municipality
        {
            known_municipality(ctx, "filter.municipality", slug).await?;
        }
        Ok(schools)
    }

    /// People (директора, кураторы, координаторы, методисты), a page at a time (Relay
    /// connection), as added or by name: their public fields only, the name, position,
    /// workplace and current roles.
    async fn people(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which people; all when omitted.")] filter: Option<PersonFilter>,
        #[graphql(desc = "The order: as added when omitted.", default)] order_by: ListOrder,
        #[graphql(desc = "How many people to return: 20 when omitted, at most 100.")] first: Option<
            i32,
        >,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
    ) -> Result<Connection<Person>> {
        let limit = page_size(first)?;
        let after = after.as_deref().map(decode_cursor::<Person>).transpose()?;
        let filter = filter.unwrap_or_default();

        let mut select = person::Entity::find();
        let mut municipality_id = None;
        if let Some(slug) = &filter.municipality {
            let Some(m) = municipality_by_slug(ctx, slug).await? else {
                return Err(bad_input(
                    "filter.municipality",
                    format!("no municipality has the slug «{slug}»"),
                ));
            };
            municipality_id = Some(m.id);
            // Appointed there, or working at one of its schools or organisations.
            let appointed = Sql::select()
                .column(appointment::Column::PersonId)
                .from(appointment::Entity)
                .and_where(appointment::Column::MunicipalityId.eq(m.id))
                .to_owned();
            let schools = Sql::select()
                .column(school::Column::Id)
                .from(school::Entity)
                .and_where(school::Column::MunicipalityId.eq(m.id))
                .to_owned();
            let organisations = Sql::select()
                .column(organisation::Column::Id)
                .from(organisation::Entity)
                .and_where(organisation::Column::MunicipalityId.eq(m.id))
                .to_owned();
            select = select.filter(
                sea_orm::Condition::any()
                    .add(person::Column::Id.in_subquery(appointed))
                    .add(person::Column::WorkplaceSchoolId.in_subquery(schools))
                    .add(person::Column::WorkplaceOrganisationId.in_subquery(organisations)),
            );
        }
        if let Some(text) = &filter.name_contains {
            select = select.filter(name_matches(person::Column::SearchKey, text)?);
        }
        if let Some(role) = filter.role {
            let mut holders = Sql::select()
                .column(appointment::Column::PersonId)
                .from(appointment::Entity)
                .and_where(appointment::Column::Role.eq(role))
                .cond_where(appointment::in_force_sql(appointment::today()))
                .to_owned();
            if let Some(id) = municipality_id {
                holders.and_where(appointment::Column::MunicipalityId.eq(id));
            }
            select = select.filter(person::Column::Id.in_subquery(holders));
        }

        let sorted = order_by
            .sorted_by(person::Column::FullName, after, async |id| {
                Ok(load_one(ctx, PersonById(id)).await?.map(|p| p.full_name))
            })
            .await?;
        let page = Page {
            after,
            limit,
            order: Order::Asc,
        };
        paginate(db(ctx), select, person::Column::Id, page, sorted, Person).await
    }

    /// A school by its global id; a `NOT_FOUND` error when none has it.
    async fn school(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The school's global id, as `School.id` gives it.")] id: ID,
    ) -> Result<Option<School>> {
        let number = decode_as(Kind::School, "id", &id)?;
        School::prefetch(ctx, number);
        match load_one(ctx, SchoolById(number)).await? {
            Some(row) => Ok(Some(School(row))),
            None => Err(not_found("school", id.as_str())),
        }
    }

    /// Any object by its global id (Relay); a `NOT_FOUND` error when none has it.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global id from any object's `id` field.")] id: ID,
    ) -> Result<Option<Node>> {
        let (kind, number) = decode("id", &id)?;
        let node = load_node(db(ctx), kind, number).await.map_err(internal)?;
        node.map(Some)
            .ok_or_else(|| not_found("object", id.as_str()))
    }

    /// The caller's token and what it may change; null for an anonymous caller, an
    /// `UNAUTHENTICATED` error for an unknown or revoked token.
    async fn me(&self, ctx: &Context<'_>) -> Result<Option<Me>> {
        match ctx.data_opt::<Caller>() {
            Some(Caller::Token(actor)) => Ok(actor.token().cloned().map(Me)),
            Some(Caller::Rejected) => Err(coded(
                Code::Unauthenticated,
                "the bearer token is unknown or revoked",
            )),
            _ => Ok(None),
        }
    }

    /// Every successful change, newest first: admins see all, coordinators their municipality.
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which changes; all the caller may see when omitted.")] filter: Option<
            AuditFilter,
        >,
        #[graphql(desc = "How many entries to return: 20 when omitted, at most 100.")]
        first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
    ) -> Result<Connection<AuditEntry>> {
        let limit = page_size(first)?;
        let after = after
            .as_deref()
            .map(decode_cursor::<AuditEntry>)
            .transpose()?;
        let filter = filter.unwrap_or_default();
        let actor = match ctx.data_opt::<Caller>() {
            Some(Caller::Token(actor)) => actor,
            _ => return Err(coded(Code::Unauthenticated, "the audit log needs a token")),
        };
        // The entries that touched a municipality: every municipality a change touched is
        // recorded, so each one's coordinator sees it.
        let touching = |municipality_id: i32| {
            audit_entry::Column::Id.in_subquery(
                Sql::select()
                    .column(audit_municipality::Column::AuditEntryId)
                    .from(audit_municipality::Entity)
                    .and_where(audit_municipality::Column::MunicipalityId.eq(municipality_id))
                    .to_owned(),
            )
        };
        let mut select = audit_entry::Entity::find();
        if let Some(slug) = &filter.municipality {
            let Some(m) = municipality_by_slug(ctx, slug).await? else {
                return Err(bad_input(
                    "filter.municipality",
                    format!("no municipality has the slug «{slug}»"),
                ));
            };
            select = select.filter(touching(m.id));
        }
        match reach(actor.role(), Area::AuditLog) {
            Reach::Everywhere => {}
            Reach::OwnMunicipality if actor.municipality_id().is_some() => {
                let own = actor.municipality_id().expect("checked");
                select = select.filter(touching(own));
            }
            _ => {
                return Err(coded(
                    Code::Forbidden,
                    format!("{} may not read the audit log", actor.describe()),
                ));
            }
        }
        if let Some(id) = &filter.entity_id {
            let (kind, number) = decode("filter.entityId", id)?;
            select = select
                .filter(audit_entry::Column::Entity.eq(kind.name()))
                .filter(audit_entry::Column::EntityId.eq(number));
        }
        if let Some(operation) = &filter.operation {
            select = select.filter(audit_entry::Column::Operation.eq(operation.as_str()));
        }
        let page = Page {
            after,
            limit,
            order: Order::Desc,
        };
        paginate(
            db(ctx),
            select,
            audit_entry::Column::Id,
            page,
            None,
            AuditEntry,
        )
        .await
    }

    /// A site export started with `startSiteExport` (admins and coordinators).
    async fn site_export(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The job's number.")] id: i32,
    ) -> Result<Option<SiteExportJob>> {
        let Some(Caller::Token(actor)) = ctx.data_opt::<Caller>() else {
            return Err(coded(
                Code::Forbidden,
                "export jobs are for admins and coordinators",
            ));
        };
        let job = crate::site::job(db(ctx), id)
            .await
            .map_err(internal)?
            .map(SiteExportJob::from)
            .ok_or_else(|| not_found("site export", id))?;
        let scope = export_scope(db(ctx), &job.municipalities)
            .await
            .map_err(|e| e.extend())?;
        // Someone else's export is as unknown to the caller as one that does not exist.
        match policy::permits(db(ctx), actor, Area::SiteExports, &scope).await {
            Ok(true) => Ok(Some(job)),
            Ok(false) => Err(not_found("site export", id)),
            Err(error) => Err(internal(error)),
        }
    }

    /// Группы партнёрского взаимодействия, of one municipality (by slug) or of all, by
    /// municipality and number.
    async fn partnership_groups(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The municipality's slug; all municipalities when omitted.")] municipality: Option<String>,
    ) -> Result<Vec<PartnershipGroup>> {
        let mut select = partnership_group::Entity::find();
        if let Some(slug) = &municipality {
            select = select.filter(
                partnership_group::Column::MunicipalityId.in_subquery(municipality_with_slug(slug)),
            );
        }
        let rows = select
            .order_by_asc(partnership_group::Column::MunicipalityId)
            .order_by_asc(partnership_group::Column::Number)
            .all(db(ctx))
            .await
            .map_err(internal)?;
        if rows.is_empty()
            && let Some(slug) = &municipality
        {
            known_municipality(ctx, "municipality", slug).await?;
        }
        Ok(rows.into_iter().map(PartnershipGroup).collect())
    }
}
