//! The error every storage port returns.

/// A storage failure. `NotFound` and `Conflict` are expected outcomes callers branch on;
/// `Backend` is everything else (connection lost, bad SQL, corrupt row) and maps to a 500.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row the operation needs does not exist.
    #[error("not found")]
    NotFound,
    /// A unique constraint was violated (for example an email already registered).
    #[error("conflict: {0}")]
    Conflict(String),
    /// Any other database failure; the message is for logs, not for clients.
    #[error("storage backend error: {0}")]
    Backend(String),
}

/// Result alias for storage ports.
pub type StoreResult<T> = Result<T, StoreError>;
