//! When the data a page shows last changed: «Данные изменены» on the page and `modified` in its
//! datasets' passports. Each change people make with a token is in the audit log with the
//! municipalities it touched, so a municipality's pages date from its own latest change, and a
//! change in Лабинский leaves every other municipality's files as they were (an export rewrites
//! only files whose content changed). Loading the demo is not an edit of the data and dates
//! nothing.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::entities::{audit_entry, audit_municipality};

/// The day of the latest change, per municipality and for changes tied to none.
#[derive(Debug, Default)]
pub struct LastChanges {
    by_municipality: BTreeMap<i32, NaiveDate>,
    /// Changes no municipality is tied to (a region, a person without a workplace).
    unattributed: Option<NaiveDate>,
}

/// What a page's data is about, for dating it.
#[derive(Clone, Copy, Debug)]
pub enum DataOf<'a> {
    /// Nothing from the database (search, contacts, the 404 page): no date.
    Nothing,
    /// One municipality's data.
    Municipality(i32),
    /// The data of all these municipalities, and what is tied to none (site-wide lists).
    All(&'a [i32]),
}

impl LastChanges {
    /// Reads the latest change per municipality: two aggregate statements and one for the dates.
    pub async fn load(db: &impl ConnectionTrait) -> Result<Self, DbErr> {
        let latest = Alias::new("latest");
        let by_municipality = Query::select()
            .column((
                audit_municipality::Entity,
                audit_municipality::Column::MunicipalityId,
            ))
            .expr_as(
                Func::max(Expr::col((audit_entry::Entity, audit_entry::Column::Id))),
                latest.clone(),
            )
            .from(audit_municipality::Entity)
            .inner_join(
                audit_entry::Entity,
                Expr::col((audit_entry::Entity, audit_entry::Column::Id)).equals((
                    audit_municipality::Entity,
                    audit_municipality::Column::AuditEntryId,
                )),
            )
            .and_where(Expr::col((audit_entry::Entity, audit_entry::Column::TokenId)).is_not_null())
            .group_by_col((
                audit_municipality::Entity,
                audit_municipality::Column::MunicipalityId,
            ))
            .to_owned();
        let mut latest_entry = BTreeMap::new();
        for row in db.query_all(&by_municipality).await? {
            let municipality: i32 = row.try_get_by_index(0)?;
            let entry: i32 = row.try_get_by_index(1)?;
            latest_entry.insert(municipality, entry);
        }
        let tied = Query::select()
            .column(audit_municipality::Column::AuditEntryId)
            .from(audit_municipality::Entity)
            .to_owned();
        let unattributed = Query::select()
            .expr(Func::max(Expr::col(audit_entry::Column::Id)))
            .from(audit_entry::Entity)
            .and_where(Expr::col(audit_entry::Column::TokenId).is_not_null())
            .and_where(Expr::col(audit_entry::Column::Id).not_in_subquery(tied))
            .to_owned();
        let unattributed_entry: Option<i32> = match db.query_one(&unattributed).await? {
            Some(row) => row.try_get_by_index(0)?,
            None => None,
        };
        let ids: Vec<i32> = latest_entry
            .values()
            .copied()
            .chain(unattributed_entry)
            .collect();
        let days: BTreeMap<i32, NaiveDate> = audit_entry::Entity::find()
            .filter(audit_entry::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|e| (e.id, e.occurred_at.date_naive()))
            .collect();
        Ok(LastChanges {
            by_municipality: latest_entry
                .into_iter()
                .map(|(m, entry)| (m, days[&entry]))
                .collect(),
            unattributed: unattributed_entry.map(|entry| days[&entry]),
        })
    }

    /// The day the data of `of` last changed; none when people never changed it.
    pub fn of(&self, of: DataOf<'_>) -> Option<NaiveDate> {
        match of {
            DataOf::Nothing => None,
            DataOf::Municipality(id) => self.by_municipality.get(&id).copied(),
            DataOf::All(ids) => ids
                .iter()
                .filter_map(|id| self.by_municipality.get(id))
                .copied()
                .chain(self.unattributed)
                .max(),
        }
    }
}
