//! Opening and finishing a change, the same way for every command: one helper opens it
//! (begins the write transaction, loads the row at the version the client read, authorises the
//! command on everything the row is tied to) and one finishes it (audits it with the same
//! scope and commits). What lies between is the command's own rules.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter,
};
use serde::Serialize;

use super::{
    Audited, ChangeError, Command, Named, Notices, Versioned, Write, WriteGate, check_version,
};
use crate::auth::Actor;
use crate::auth::policy::{self, Scope};
use crate::entities::{municipality, school};

/// Where a session's changes go.
#[derive(Clone, Copy)]
pub enum Target<'a> {
    /// The database: each change is its own transaction.
    Database(&'a DatabaseConnection),
    /// A transaction that holds many changes (the demo load: all of them or none); each change
    /// is a savepoint within it.
    Within(&'a DatabaseTransaction),
}

/// Who changes what, through which database: what every command needs besides its input.
#[derive(Clone, Copy)]
pub struct Session<'a> {
    /// Where the changes go.
    pub target: Target<'a>,
    /// Orders the writers of a SQLite database.
    pub gate: &'a WriteGate,
    /// Who acts.
    pub actor: &'a Actor,
    /// Where a change that changes nothing says so.
    pub notices: Option<&'a Notices>,
}

/// A record a change can open by id: the rows that tie it to municipalities decide who may
/// change it and whose audit log shows the change.
pub trait Record: Versioned {
    /// Everything `row` is tied to.
    fn scope(
        db: &impl ConnectionTrait,
        row: &Self::Model,
    ) -> impl Future<Output = Result<Scope, DbErr>> + Send;
}

impl<'a> Session<'a> {
    /// Begins `command`, a change that creates (or one whose record is found by other means):
    /// authorise it with [`Change::authorise`] before writing.
    pub async fn begin(&self, command: Command) -> Result<Change<'a>, ChangeError> {
        let write = match self.target {
            Target::Database(db) => self.gate.begin(db).await?,
            Target::Within(txn) => Write::within(txn).await?,
        };
        let write = match self.notices {
            Some(notices) => write.noting(notices.clone()),
            None => write,
        };
        Ok(Change {
            write,
            command,
            actor: self.actor,
            scope: Scope::untied(),
        })
    }

    /// The database itself, for work that outlives the change (a site export runs after it).
    pub fn database(&self) -> Result<&'a DatabaseConnection, ChangeError> {
        match self.target {
            Target::Database(db) => Ok(db),
            Target::Within(_) => Err(ChangeError::Conflict(
                "this runs on the database itself, not within a larger change".into(),
            )),
        }
    }

    /// Opens `command` on the row `id` of `E` as it was at `version`: a newer version is a
    /// CONFLICT, an unknown id NOT_FOUND, and a row out of the actor's reach FORBIDDEN.
    pub async fn open<E: Record>(
        &self,
        command: Command,
        id: i32,
        version: i32,
    ) -> Result<(Change<'a>, E::Model), ChangeError>
    where
        E::Model: Sync,
        E::Column: sea_orm::ColumnTrait,
    {
        let mut change = self.begin(command).await?;
        let row = check_version::<E>(&*change, id, version).await?;
        let scope = E::scope(&*change, &row).await?;
        change.authorise(scope).await?;
        Ok((change, row))
    }
}

impl Session<'_> {
    /// Deletes the row `id` of `E` as it was at `version` (a record made by mistake), audited;
    /// returns the row as it was.
    pub async fn delete<E: Record>(
        &self,
        command: Command,
        id: i32,
        version: i32,
    ) -> Result<E::Model, ChangeError>
    where
        E::Model: Sync + Serialize,
        E::Column: sea_orm::ColumnTrait,
    {
        let (change, before) = self.open::<E>(command, id, version).await?;
        E::delete_many()
            .filter(sea_orm::ColumnTrait::eq(&E::id_column(), id))
            .exec(&*change)
            .await?;
        change.finish::<E>(id, Some(&before), None).await?;
        Ok(before)
    }
}

/// A change in progress: its transaction, its command, and the scope it was authorised on.
pub struct Change<'a> {
    write: Write,
    command: Command,
    actor: &'a Actor,
    scope: Scope,
}

impl Change<'_> {
    /// Refuses unless the policy lets the actor make this change on a record of `scope` (asked
    /// within the change's transaction, so it sees what the change sees); the scope joins what
    /// the audit entry records.
    pub async fn authorise(&mut self, scope: Scope) -> Result<(), ChangeError> {
        if !policy::permits(&*self.write, self.actor, self.command.area(), &scope).await? {
            return Err(ChangeError::Forbidden(format!(
                "{} may not {} here: {}",
                self.actor.describe(),
                self.command.name(),
                policy::explain(self.actor.role(), self.command.area())
            )));
        }
        self.scope = std::mem::take(&mut self.scope).and(scope);
        Ok(())
    }

    /// Records the change of the row `id` of `E` in the audit log and commits.
    pub async fn finish<E: Versioned>(
        self,
        id: i32,
        before: Option<&E::Model>,
        after: Option<&E::Model>,
    ) -> Result<(), ChangeError>
    where
        E::Model: Serialize,
    {
        self.finish_with::<E, _>(id, before, after).await
    }

    /// The municipality with `slug` whose record this change makes, once the actor may make it
    /// there; an unknown slug is NOT_FOUND.
    pub async fn municipality(&mut self, slug: &str) -> Result<municipality::Model, ChangeError> {
        let found = municipality::Entity::find()
            .filter(municipality::Column::Slug.eq(slug))
            .one(&*self.write)
            .await?
            .ok_or_else(|| ChangeError::NotFound {
                entity: "Municipality",
                id: slug.to_owned(),
            })?;
        self.authorise(Scope::municipality(found.id)).await?;
        Ok(found)
    }

    /// The school `id` whose own data (curator data, results, diaries) this change records, once
    /// the actor may record it: its curators may, as well as its municipality.
    pub async fn school(&mut self, id: i32) -> Result<school::Model, ChangeError> {
        let found = school::Entity::find_by_id(id)
            .one(&*self.write)
            .await?
            .ok_or_else(|| ChangeError::NotFound {
                entity: "School",
                id: id.to_string(),
            })?;
        self.authorise(Scope::school(found.id, found.municipality_id))
            .await?;
        Ok(found)
    }

    /// Writes `changes` (checked) to `before`, the row as [`Session::open`] read it, and records
    /// the change; returns the row as written.
    pub async fn update<E, A>(self, before: E::Model, changes: A) -> Result<E::Model, ChangeError>
    where
        E: Versioned,
        E::Model: Clone + Serialize,
        E::Column: sea_orm::ColumnTrait,
        A: sea_orm::ActiveModelTrait<Entity = E> + Send,
        E::Model: sea_orm::IntoActiveModel<A>,
    {
        let after = super::update_versioned::<E, A>(&*self, &before, changes).await?;
        let id = E::id_of(&before);
        self.finish::<E>(id, Some(&before), Some(&after)).await?;
        Ok(after)
    }

    /// Records the change of `N` number `id`, as the state `T` shows it (a group with its
    /// members, a site export), and commits.
    pub async fn finish_with<N: Named, T: Serialize>(
        self,
        id: i32,
        before: Option<&T>,
        after: Option<&T>,
    ) -> Result<(), ChangeError> {
        let change = Audited {
            operation: self.command,
            entity: N::NAME,
            entity_id: id,
            scope: &self.scope,
            before,
            after,
        };
        Ok(self.write.finish(self.actor, change).await?)
    }
}

impl std::ops::Deref for Change<'_> {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        &self.write
    }
}
