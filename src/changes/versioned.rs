//! Optimistic concurrency: an update names the version it was based on, and lands only if the
//! row still has it (`UPDATE … WHERE id = ? AND version = ?`), bumping it.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
};

use super::ChangeError;

/// Something a change can be made to, named as the API and the audit log name it.
pub trait Named {
    /// The GraphQL type: `School`.
    const NAME: &'static str;
}

/// An entity with a `version` column.
pub trait Versioned: EntityTrait + Named {
    /// The `id` column.
    fn id_column() -> Self::Column;
    /// A row's id.
    fn id_of(model: &Self::Model) -> i32;
    /// The `version` column.
    fn version_column() -> Self::Column;
    /// A row's version.
    fn version_of(model: &Self::Model) -> i32;
}

/// Names every record and gives the versioned ones their columns, from the one list.
macro_rules! records {
    (
        versioned: [$($v:ident => $V:ident),* $(,)?],
        unversioned: [$($u:ident => $U:ident),* $(,)?],
        internal: [$($i:ident),* $(,)?] $(,)?
    ) => {
        $(
            impl Named for crate::entities::$v::Entity {
                const NAME: &'static str = stringify!($V);
            }

            impl Versioned for crate::entities::$v::Entity {
                fn id_column() -> Self::Column {
                    crate::entities::$v::Column::Id
                }
                fn id_of(model: &Self::Model) -> i32 {
                    model.id
                }
                fn version_column() -> Self::Column {
                    crate::entities::$v::Column::Version
                }
                fn version_of(model: &Self::Model) -> i32 {
                    model.version
                }
            }
        )*
        $(
            impl Named for crate::entities::$u::Entity {
                const NAME: &'static str = stringify!($U);
            }
        )*
    };
}

crate::for_each_record!(records);

/// Reads a row for a change and refuses a stale version before any rule is checked.
pub async fn check_version<E: Versioned>(
    db: &impl ConnectionTrait,
    id: i32,
    version: i32,
) -> Result<E::Model, ChangeError>
where
    E::Column: ColumnTrait,
{
    let row = E::find()
        .filter(E::id_column().eq(id))
        .one(db)
        .await?
        .ok_or_else(|| ChangeError::NotFound {
            entity: E::NAME,
            id: id.to_string(),
        })?;
    let current = E::version_of(&row);
    if current != version {
        return Err(stale::<E>(version, current));
    }
    Ok(row)
}

fn stale<E: Versioned>(given: i32, current: i32) -> ChangeError {
    ChangeError::Conflict(format!(
        "the {} changed since version {given} was read (it is now version {current}); read it again and reapply the change",
        E::NAME
    ))
}

/// Bumps the version of `row` if it is still at the version read, changing nothing else: for a
/// change to what belongs to the row (a group's members), which moves the row's version too.
pub async fn bump_version<E>(
    db: &impl ConnectionTrait,
    row: &E::Model,
) -> Result<E::Model, ChangeError>
where
    E: Versioned,
    E::Column: ColumnTrait,
{
    write_at_version::<E>(db, row, E::update_many()).await
}

/// Runs `update`, with the version bumped, on `row` if it is still at the version read, and
/// returns the row as written; a newer version is a CONFLICT, a deleted row NOT_FOUND.
async fn write_at_version<E>(
    db: &impl ConnectionTrait,
    row: &E::Model,
    update: sea_orm::UpdateMany<E>,
) -> Result<E::Model, ChangeError>
where
    E: Versioned,
    E::Column: ColumnTrait,
{
    let (id, version) = (E::id_of(row), E::version_of(row));
    let result = update
        .col_expr(E::version_column(), Expr::col(E::version_column()).add(1))
        .filter(E::id_column().eq(id))
        .filter(E::version_column().eq(version))
        .exec(db)
        .await?;
    let written = E::find().filter(E::id_column().eq(id)).one(db).await?;
    match (result.rows_affected, written) {
        (1, Some(written)) => Ok(written),
        (_, Some(current)) => Err(stale::<E>(version, E::version_of(&current))),
        (_, None) => Err(ChangeError::NotFound {
            entity: E::NAME,
            id: id.to_string(),
        }),
    }
}

/// True when writing `changes` would leave `row` as it is.
fn changes_nothing<E, A>(row: &E::Model, changes: &A) -> bool
where
    E: EntityTrait,
    A: ActiveModelTrait<Entity = E>,
{
    use sea_orm::{ActiveValue, Iterable, ModelTrait};
    E::Column::iter().all(|column| match changes.get(column) {
        ActiveValue::Set(value) | ActiveValue::Unchanged(value) => row.get(column) == value,
        ActiveValue::NotSet => true,
    })
}

/// Writes `changes` to `before` (the row as the change read it, at the version the client named)
/// if the row is still at that version, bumping the version, and returns the row as written.
/// Changes that would leave the row as it is write nothing and keep the version: `before` is
/// returned as it is.
pub async fn update_versioned<E, A>(
    db: &impl ConnectionTrait,
    before: &E::Model,
    changes: A,
) -> Result<E::Model, ChangeError>
where
    E: Versioned,
    E::Model: Clone,
    E::Column: ColumnTrait,
    A: ActiveModelTrait<Entity = E> + Send,
    E::Model: IntoActiveModel<A>,
{
    if changes_nothing(before, &changes) {
        return Ok(before.clone());
    }
    write_at_version::<E>(db, before, E::update_many().set(changes)).await
}
