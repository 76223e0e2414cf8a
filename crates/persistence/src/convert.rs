//! Row ↔ domain conversions.

use crate::entity::{auth, user};
use hearth_domain::account::Credentials;
use hearth_domain::{Role, User, UserId};

pub(crate) fn user_from_row(row: user::Model) -> User {
    User {
        id: UserId::from(row.id),
        email: row.email.unwrap_or_default(),
        username: row.username,
        role: Role::from_stored(row.role.as_deref().unwrap_or("pending")),
        name: row.name.unwrap_or_default(),
        profile_image_url: row.profile_image_url,
        profile_banner_image_url: row.profile_banner_image_url,
        bio: row.bio,
        gender: row.gender,
        date_of_birth: row.date_of_birth,
        timezone: row.timezone,
        presence_state: row.presence_state,
        status_emoji: row.status_emoji,
        status_message: row.status_message,
        status_expires_at: row.status_expires_at,
        info: row.info,
        variables: row.variables,
        settings: row.settings,
        oauth: row.oauth,
        scim: row.scim,
        last_active_at: row.last_active_at.unwrap_or_default(),
        updated_at: row.updated_at.unwrap_or_default(),
        created_at: row.created_at.unwrap_or_default(),
    }
}

pub(crate) fn credentials_from_row(row: auth::Model) -> Credentials {
    Credentials {
        user_id: UserId::from(row.id),
        email: row.email.unwrap_or_default(),
        password_hash: row.password.unwrap_or_default(),
        active: row.active.unwrap_or(false),
        session_stamp: row.session_stamp,
    }
}

/// A row count or offset as SQL takes it: SQL integers are signed 64-bit, so larger requests
/// (which can only mean "everything" or "past the end") are capped instead of overflowing.
pub(crate) fn sql_count(n: u64) -> u64 {
    n.min(i64::MAX.unsigned_abs())
}

/// Starts a transaction that writes. On SQLite it begins as a write (`BEGIN IMMEDIATE`), so
/// that concurrent writers wait their turn (busy timeout) instead of failing with "database is
/// locked" when a transaction that has read tries to write; PostgreSQL ignores the mode.
pub(crate) async fn write_transaction<C: sea_orm::TransactionTrait>(
    db: &C,
) -> Result<C::Transaction, sea_orm::DbErr> {
    db.begin_with_options(sea_orm::TransactionOptions {
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
        ..sea_orm::TransactionOptions::default()
    })
    .await
}

/// Runs one statement, and again (at most three more times) when PostgreSQL aborted it to
/// break a deadlock: concurrent multi-row updates of the same rows (fifty "archive all" at
/// once) can lock them in different orders. A single statement is safe to run again.
pub(crate) async fn retrying_deadlocks<T, F, Fut>(mut statement: F) -> Result<T, sea_orm::DbErr>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, sea_orm::DbErr>>,
{
    let mut retries = 0;
    loop {
        match statement().await {
            Err(error) if retries < 3 && error.to_string().contains("deadlock detected") => {
                retries += 1;
                tracing::debug!(
                    retries,
                    "statement chosen as a deadlock victim; running it again"
                );
            }
            outcome => return outcome,
        }
    }
}
