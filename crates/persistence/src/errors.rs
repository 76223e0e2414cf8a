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
