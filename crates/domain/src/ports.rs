//! Ports: the capabilities Hearth needs from storage, as object-safe async traits.
//! `hearth-persistence` implements them with sea-orm; tests may implement them in memory.

use crate::access::AccessGrant;
use crate::account::{Credentials, NewAccount, SessionSubject};
use crate::api_key::ApiKey;
use crate::chat::search::ChatSearch;
use crate::chat::share::SharedChat;
use crate::chat::tags::Tag;
use crate::chat::{Chat, ChatListQuery, ChatTitle, MessageRecord};
use crate::folder::Folder;
use crate::model::ModelRecord;
use crate::oauth::OAuthSession;
use crate::user::{UserPage, UserPatch, UserQuery};
use crate::{StoreResult, User, UserId};
use async_trait::async_trait;
use serde_json::{Map, Value};
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

/// A chat together with the `chat_message` rows written with it.
pub type ChatWithMessages = (Chat, Vec<MessageRecord>);

/// A change to a chat document that reports the messages it changed.
pub trait DocumentEdit: Send + Sync {
    /// Changes `document`; returns the ids of changed messages.
    fn apply(&self, document: &mut Value) -> Vec<String>;
}

impl<F: Fn(&mut Value) -> Vec<String> + Send + Sync> DocumentEdit for F {
    fn apply(&self, document: &mut Value) -> Vec<String> {
        self(document)
    }
}

/// Chats, their message rows and tags.
#[async_trait]
pub trait ChatStore: Send + Sync {
    /// Inserts chats and their message rows in one transaction.
    async fn insert(&self, chats: &[ChatWithMessages]) -> StoreResult<()>;
    /// One chat by id (any owner).
    async fn get(&self, id: &str) -> StoreResult<Option<Chat>>;
    /// Applies a client's partial document (history merged, protected messages kept), writes
    /// changed messages to `chat_message`, and bumps `updated_at` when `touch`.
    async fn update_document(
        &self,
        id: &str,
        patch: &Map<String, Value>,
        touch: bool,
        now: i64,
    ) -> StoreResult<Option<Chat>>;
    /// Replaces a chat's document as given (message edits), rewriting the named messages.
    async fn replace_document(
        &self,
        chat: &Chat,
        messages: &[MessageRecord],
        removed: &[String],
    ) -> StoreResult<()>;
    /// Changes a chat's document under the chat's lock: `edit` changes it in place and returns
    /// the ids of the messages it changed (their `chat_message` rows are rewritten). `None`
    /// when the chat is gone.
    async fn edit_document(
        &self,
        id: &str,
        edit: &dyn DocumentEdit,
        touch: bool,
        now: i64,
    ) -> StoreResult<Option<Chat>>;
    /// Writes a chat's row fields other than the document (pin, archive, folder, meta,
    /// share, read marker).
    async fn save_flags(&self, chat: &Chat) -> StoreResult<()>;
    /// Title entries of a user's chats.
    async fn list_titles(
        &self,
        user_id: &UserId,
        query: &ChatListQuery,
    ) -> StoreResult<Vec<ChatTitle>>;
    /// Full chats of a user, `limit` at a time after the `(created_at, id)` cursor, oldest
    /// first (export).
    async fn list_full(
        &self,
        user_id: &UserId,
        after: Option<(i64, String)>,
        limit: u64,
        archived_only: bool,
    ) -> StoreResult<Vec<Chat>>;
    /// Full chats in the given folders.
    async fn in_folders(&self, user_id: &UserId, folder_ids: &[String]) -> StoreResult<Vec<Chat>>;
    /// Number of a user's archived chats.
    async fn count_archived(&self, user_id: &UserId) -> StoreResult<u64>;
    /// Deletes a chat (its messages and shared snapshot go with it).
    async fn delete(&self, id: &str) -> StoreResult<bool>;
    /// Deletes all of a user's chats; returns how many.
    async fn delete_for_user(&self, user_id: &UserId) -> StoreResult<u64>;
    /// Archives or unarchives all of a user's chats.
    async fn set_archived_for_user(&self, user_id: &UserId, archived: bool) -> StoreResult<()>;
    /// Marks a user's chats read at `now` (only those in `folder_ids` when given); returns
    /// how many changed.
    async fn mark_read(
        &self,
        user_id: &UserId,
        folder_ids: Option<&[String]>,
        now: i64,
    ) -> StoreResult<u64>;
    /// Unread chats per folder.
    async fn unread_by_folder(&self, user_id: &UserId) -> StoreResult<HashMap<String, u64>>;
    /// Moves every chat of the given folders to `target` (`None`: out of any folder).
    async fn move_out_of_folders(
        &self,
        user_id: &UserId,
        folder_ids: &[String],
        target: Option<&str>,
    ) -> StoreResult<()>;
    /// Deletes every chat in the given folders.
    async fn delete_in_folders(&self, user_id: &UserId, folder_ids: &[String]) -> StoreResult<()>;
    /// A user's tags.
    async fn tags(&self, user_id: &UserId) -> StoreResult<Vec<Tag>>;
    /// Creates a tag row if missing.
    async fn ensure_tag(&self, tag: &Tag) -> StoreResult<()>;
    /// Deletes the user's tags no chat uses any more.
    async fn delete_unused_tags(&self, user_id: &UserId) -> StoreResult<()>;
    /// Title entries matching a search (titles and message contents).
    async fn search(&self, user_id: &UserId, search: &ChatSearch) -> StoreResult<Vec<ChatTitle>>;
    /// Title entries of a user's chats carrying a tag.
    async fn titles_with_tag(
        &self,
        user_id: &UserId,
        tag_id: &str,
        offset: u64,
        limit: u64,
    ) -> StoreResult<Vec<ChatTitle>>;
}

/// Chat folders.
#[async_trait]
pub trait FolderStore: Send + Sync {
    /// All of a user's folders.
    async fn folders(&self, user_id: &UserId) -> StoreResult<Vec<Folder>>;
    /// One of the user's folders.
    async fn folder(&self, user_id: &UserId, id: &str) -> StoreResult<Option<Folder>>;
    /// Inserts a folder.
    async fn insert_folder(&self, folder: &Folder) -> StoreResult<()>;
    /// Writes a folder's fields.
    async fn save_folder(&self, folder: &Folder) -> StoreResult<()>;
    /// Deletes the given folders of the user.
    async fn delete_folders(&self, user_id: &UserId, ids: &[String]) -> StoreResult<()>;
}

/// Shared chat snapshots and their access grants.
#[async_trait]
pub trait ShareStore: Send + Sync {
    /// Takes (or refreshes) the snapshot of a chat; sets `chat.share_id`; returns the token.
    /// `share_mode` replaces the stored mode when given.
    async fn snapshot(
        &self,
        chat_id: &str,
        share_mode: Option<Option<String>>,
        now: i64,
    ) -> StoreResult<Option<String>>;
    /// A snapshot by token.
    async fn shared(&self, share_id: &str) -> StoreResult<Option<SharedChat>>;
    /// A user's snapshots, newest first.
    async fn shared_by_user(
        &self,
        user_id: &UserId,
        offset: u64,
        limit: u64,
    ) -> StoreResult<Vec<SharedChat>>;
    /// Removes a chat's snapshot and grants and clears `chat.share_id`.
    async fn unshare(&self, chat_id: &str) -> StoreResult<()>;
    /// The grants of a shared chat.
    async fn grants(&self, chat_id: &str) -> StoreResult<Vec<AccessGrant>>;
    /// Replaces the grants of a shared chat.
    async fn set_grants(&self, chat_id: &str, grants: &[AccessGrant], now: i64) -> StoreResult<()>;
}

/// Workspace models and their access grants.
#[async_trait]
pub trait ModelStore: Send + Sync {
    /// Every model row with its grants.
    async fn all(&self) -> StoreResult<Vec<ModelRecord>>;
    /// One model row.
    async fn get(&self, id: &str) -> StoreResult<Option<ModelRecord>>;
    /// Inserts a row with its grants; `Conflict` if the id exists.
    async fn insert(&self, model: &ModelRecord) -> StoreResult<()>;
    /// Replaces a row's fields and grants; `NotFound` if it is gone.
    async fn update(&self, model: &ModelRecord) -> StoreResult<()>;
    /// Deletes a row and its grants; false if there was none.
    async fn delete(&self, id: &str) -> StoreResult<bool>;
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
