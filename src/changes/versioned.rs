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

/// Bumps the version of the row `id` if it is still at `version`, changing nothing else: for a
/// change to what belongs to the row (a group's members), which moves the row's version too.
pub async fn bump_version<E>(
    db: &impl ConnectionTrait,
    id: i32,
    version: i32,
) -> Result<E::Model, ChangeError>
where
    E: Versioned,
    E::Column: ColumnTrait,
{
    let result = E::update_many()
        .col_expr(E::version_column(), Expr::col(E::version_column()).add(1))
        .filter(E::id_column().eq(id))
        .filter(E::version_column().eq(version))
        .exec(db)
        .await?;
    written::<E>(db, id, version, result.rows_affected).await
}

/// The row `id` after an update that touched `rows_affected` rows: stale or gone when none.
async fn written<E>(
    db: &impl ConnectionTrait,
    id: i32,
    version: i32,
    rows_affected: u64,
) -> Result<E::Model, ChangeError>
where
    E: Versioned,
    E::Column: ColumnTrait,
{
    let row = E::find().filter(E::id_column().eq(id)).one(db).await?;
    match (rows_affected, row) {
        (1, Some(row)) => Ok(row),
        (_, Some(row)) => Err(stale::<E>(version, E::version_of(&row))),
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

/// Writes `changes` to the row `id` if it is still at `version`, bumping the version, and returns
/// the row as written. Changes that would leave the row as it is write nothing and keep the
/// version: the row is returned as it is.
pub async fn update_versioned<E, A>(
    db: &impl ConnectionTrait,
    id: i32,
    version: i32,
    changes: A,
) -> Result<E::Model, ChangeError>
where
    E: Versioned,
    E::Column: ColumnTrait,
    A: ActiveModelTrait<Entity = E> + Send,
    E::Model: IntoActiveModel<A>,
{
    let current = E::find().filter(E::id_column().eq(id)).one(db).await?;
    if let Some(row) = current
        && E::version_of(&row) == version
        && changes_nothing(&row, &changes)
    {
        return Ok(row);
    }
    let result = E::update_many()
        .set(changes)
        .col_expr(E::version_column(), Expr::col(E::version_column()).add(1))
        .filter(E::id_column().eq(id))
        .filter(E::version_column().eq(version))
        .exec(db)
        .await?;
    written::<E>(db, id, version, result.rows_affected).await
}
