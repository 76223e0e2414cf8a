//! Maps sea-orm errors onto the domain's `StoreError`.

use hearth_domain::StoreError;
use sea_orm::{DbErr, SqlErr};

/// Classifies a database error: unique violations become `Conflict`, a missing row
/// `NotFound`, everything else `Backend`.
pub(crate) fn store_err(err: DbErr) -> StoreError {
    if let Some(SqlErr::UniqueConstraintViolation(detail)) = err.sql_err() {
        return StoreError::Conflict(detail);
    }
    match err {
        DbErr::RecordNotFound(_) | DbErr::RecordNotUpdated => StoreError::NotFound,
        other => StoreError::Backend(other.to_string()),
    }
}

/// Whether a lookup key can exist at all. Stored text never contains NUL (it is stripped on
/// the way in) and PostgreSQL rejects NUL in parameters, so such keys match nothing.
pub(crate) fn storable(key: &str) -> bool {
    !key.contains('\0')
}
