//! Accounts: users, credentials, API keys, identity-provider links; the config table and
//! liveness.

use crate::account::{Credentials, NewAccount, SessionSubject};
use crate::api_key::ApiKey;
use crate::oauth::OAuthSession;
use crate::user::{UserPage, UserPatch, UserQuery};
use crate::{StoreResult, User, UserId};
use async_trait::async_trait;
use serde_json::Value;
use std::collections::HashMap;

/// Reads and changes user rows.
#[async_trait]
pub trait UserStore: Send + Sync {
    /// Number of users.
    async fn count(&self) -> StoreResult<u64>;
    /// Number of users active at or after `since` (epoch seconds).
    async fn count_active_since(&self, since: i64) -> StoreResult<u64>;
    /// Whether at least one user exists.
    async fn any_exist(&self) -> StoreResult<bool>;
    /// One user by id.
    async fn get(&self, id: &UserId) -> StoreResult<Option<User>>;
    /// One user by (lower-cased) email.
    async fn get_by_email(&self, email: &str) -> StoreResult<Option<User>>;
    /// The primary admin: the earliest user (admins first on ties).
    async fn first(&self) -> StoreResult<Option<User>>;
    /// A filtered, sorted page of users.
    async fn list(&self, query: &UserQuery) -> StoreResult<UserPage>;
    /// Applies a patch; `NotFound` if the user is gone, `Conflict` if the email is taken.
    async fn update(&self, id: &UserId, patch: &UserPatch, now: i64) -> StoreResult<User>;
    /// Replaces the settings document.
    async fn set_settings(&self, id: &UserId, settings: &Value, now: i64) -> StoreResult<User>;
    /// Records activity.
    async fn touch(&self, id: &UserId, now: i64) -> StoreResult<()>;
    /// Deletes a user with its credentials, API key and memberships.
    async fn delete(&self, id: &UserId) -> StoreResult<()>;
    /// The ids of the groups the user is a member of.
    async fn group_ids(&self, id: &UserId) -> StoreResult<Vec<String>>;
}

/// Creates accounts and reads or changes their credentials (table `auth`).
#[async_trait]
pub trait CredentialStore: Send + Sync {
    /// Inserts the `auth` and `user` rows together; `Conflict` if the email is taken.
    async fn create_account(&self, account: &NewAccount) -> StoreResult<User>;
    /// Promotes `id` to admin if it is the earliest account and no admin exists yet.
    /// Returns whether it was promoted.
    async fn promote_if_first(&self, id: &UserId) -> StoreResult<bool>;
    /// The user and credentials for a (lower-cased) email.
    async fn by_email(&self, email: &str) -> StoreResult<Option<(User, Credentials)>>;
    /// The user and current session stamp for an id, in one read.
    async fn session_subject(&self, id: &UserId) -> StoreResult<Option<SessionSubject>>;
    /// Sets a new password hash and a new session stamp (revoking every session).
    async fn set_password(&self, id: &UserId, hash: &str, new_stamp: &str) -> StoreResult<()>;
    /// Sets a new session stamp, revoking every session of the user.
    async fn set_session_stamp(&self, id: &UserId, new_stamp: &str) -> StoreResult<()>;
}

/// API keys (table `api_key`), one per user.
#[async_trait]
pub trait ApiKeyStore: Send + Sync {
    /// Replaces the user's key with `key`.
    async fn replace(&self, user_id: &UserId, key: &str, now: i64) -> StoreResult<ApiKey>;
    /// The user's key, if any.
    async fn for_user(&self, user_id: &UserId) -> StoreResult<Option<ApiKey>>;
    /// Deletes the user's key; `true` if there was one.
    async fn delete_for_user(&self, user_id: &UserId) -> StoreResult<bool>;
    /// The owner of a key.
    async fn owner(&self, key: &str) -> StoreResult<Option<User>>;
}

/// The per-key configuration table.
#[async_trait]
pub trait ConfigStore: Send + Sync {
    /// Every stored key and value.
    async fn load_all(&self) -> StoreResult<HashMap<String, Value>>;
    /// Inserts the given keys that are not stored yet; returns how many were inserted.
    async fn seed_missing(&self, defaults: &HashMap<String, Value>, now: i64)
    -> StoreResult<usize>;
    /// Inserts or replaces the given keys.
    async fn upsert(&self, values: &[(String, Value)], now: i64) -> StoreResult<()>;
}

/// Liveness of the storage backend.
#[async_trait]
pub trait HealthCheck: Send + Sync {
    /// Runs a trivial query.
    async fn ping(&self) -> StoreResult<()>;
}

/// Links between accounts and identity providers, and the provider sessions.
#[async_trait]
pub trait OAuthStore: Send + Sync {
    /// The account whose `user.oauth.<provider>.sub` is `sub`.
    async fn user_by_subject(&self, provider: &str, sub: &str) -> StoreResult<Option<User>>;
    /// Records `sub` as the account's subject at `provider` (other providers' links stay).
    async fn link_subject(
        &self,
        user_id: &UserId,
        provider: &str,
        sub: &str,
        now: i64,
    ) -> StoreResult<User>;
    /// Stores a provider session, first removing the owner's oldest sessions at that
    /// provider so that at most `keep` remain with the new one.
    async fn insert_session(&self, session: &OAuthSession, keep: usize) -> StoreResult<()>;
    /// A provider session by id.
    async fn session(&self, id: &str) -> StoreResult<Option<OAuthSession>>;
    /// Deletes a provider session.
    async fn delete_session(&self, id: &str) -> StoreResult<()>;
}
