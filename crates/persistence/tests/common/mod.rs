//! Shared by the store tests: a migrated scratch database and accounts in it.

use hearth_domain::account::NewAccount;
use hearth_domain::ports::CredentialStore;
use hearth_domain::{Role, UserId};
use hearth_persistence::SqlStore;
use hearth_persistence::scratch::ScratchDatabase;

/// Boxed error of the store tests.
pub type TestError = Box<dyn std::error::Error>;

/// A migrated scratch database with one user account (`email`).
pub async fn store_with_user(
    email: &str,
) -> Result<(SqlStore, ScratchDatabase, UserId), TestError> {
    let scratch = ScratchDatabase::create().await?;
    let store = SqlStore::connect(&scratch.settings()).await?;
    store.migrate().await?;
    let user = add_user(&store, email).await?;
    Ok((store, scratch, user))
}

/// Adds a user account with `email`.
pub async fn add_user(store: &SqlStore, email: &str) -> Result<UserId, TestError> {
    let user = store
        .create_account(&NewAccount {
            id: UserId::generate(),
            email: email.into(),
            name: "N".into(),
            profile_image_url: "/user.png".into(),
            role: Role::User,
            password_hash: "h".into(),
            session_stamp: "s".into(),
            now: 1,
        })
        .await?;
    Ok(user.id)
}
