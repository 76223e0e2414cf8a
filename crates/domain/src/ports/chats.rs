//! The chat history: chats with their message rows and tags, folders, shared snapshots.

use crate::access::AccessGrant;
use crate::chat::search::ChatSearch;
use crate::chat::share::SharedChat;
use crate::chat::tags::Tag;
use crate::chat::{Chat, ChatDocument, ChatListQuery, ChatTitle, MessageRecord};
use crate::folder::Folder;
use crate::ids::{ChatId, FolderId, MessageId, ShareId};
use crate::{StoreResult, UserId};
use async_trait::async_trait;
use std::collections::HashMap;

/// A chat together with the `chat_message` rows written with it.
pub type ChatWithMessages = (Chat, Vec<MessageRecord>);

/// What a [`DocumentEdit`] changed: the messages whose `chat_message` rows must be written
/// again, and those whose rows must go.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Edited {
    /// Messages added or changed.
    pub changed: Vec<MessageId>,
    /// Messages removed from the document.
    pub removed: Vec<MessageId>,
}

impl Edited {
    /// Only these messages changed.
    pub fn changed(changed: Vec<MessageId>) -> Self {
        Self {
            changed,
            removed: Vec::new(),
        }
    }
}

/// A change to a chat document, applied under the chat's lock by
/// [`ChatStore::edit_document`]: every write of a stored document goes through one.
pub trait DocumentEdit: Send + Sync {
    /// Changes `document` (of a chat owned by `owner`); reports the messages it changed.
    fn apply(&self, document: &mut ChatDocument, owner: &UserId) -> Edited;
}

impl<F: Fn(&mut ChatDocument, &UserId) -> Edited + Send + Sync> DocumentEdit for F {
    fn apply(&self, document: &mut ChatDocument, owner: &UserId) -> Edited {
        self(document, owner)
    }
}

/// Chats, their message rows and tags.
#[async_trait]
pub trait ChatStore: Send + Sync {
    /// Inserts chats and their message rows in one transaction.
    async fn insert(&self, chats: &[ChatWithMessages]) -> StoreResult<()>;
    /// One chat by id (any owner).
    async fn get(&self, id: &ChatId) -> StoreResult<Option<Chat>>;
    /// Changes a chat's document under the chat's lock: `edit` changes it in place and says
    /// which messages it changed or removed (their `chat_message` rows are written or
    /// deleted in the same transaction); title and current message follow the document and
    /// `updated_at` moves when `touch`. `None` when the chat is gone.
    async fn edit_document(
        &self,
        id: &ChatId,
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
        after: Option<(i64, ChatId)>,
        limit: u64,
        archived_only: bool,
    ) -> StoreResult<Vec<Chat>>;
    /// Full chats in the given folders.
    async fn in_folders(&self, user_id: &UserId, folder_ids: &[FolderId])
    -> StoreResult<Vec<Chat>>;
    /// Number of a user's archived chats.
    async fn count_archived(&self, user_id: &UserId) -> StoreResult<u64>;
    /// Deletes a chat (its messages and shared snapshot go with it).
    async fn delete(&self, id: &ChatId) -> StoreResult<bool>;
    /// Deletes all of a user's chats; returns how many.
    async fn delete_for_user(&self, user_id: &UserId) -> StoreResult<u64>;
    /// Archives or unarchives all of a user's chats.
    async fn set_archived_for_user(&self, user_id: &UserId, archived: bool) -> StoreResult<()>;
    /// Marks a user's chats read at `now` (only those in `folder_ids` when given); returns
    /// how many changed.
    async fn mark_read(
        &self,
        user_id: &UserId,
        folder_ids: Option<&[FolderId]>,
        now: i64,
    ) -> StoreResult<u64>;
    /// Unread chats per folder.
    async fn unread_by_folder(&self, user_id: &UserId) -> StoreResult<HashMap<FolderId, u64>>;
    /// Moves every chat of the given folders to `target` (`None`: out of any folder).
    async fn move_out_of_folders(
        &self,
        user_id: &UserId,
        folder_ids: &[FolderId],
        target: Option<&FolderId>,
    ) -> StoreResult<()>;
    /// Deletes every chat in the given folders.
    async fn delete_in_folders(&self, user_id: &UserId, folder_ids: &[FolderId])
    -> StoreResult<()>;
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
    async fn folder(&self, user_id: &UserId, id: &FolderId) -> StoreResult<Option<Folder>>;
    /// Inserts a folder.
    async fn insert_folder(&self, folder: &Folder) -> StoreResult<()>;
    /// Writes a folder's fields.
    async fn save_folder(&self, folder: &Folder) -> StoreResult<()>;
    /// Deletes the given folders of the user.
    async fn delete_folders(&self, user_id: &UserId, ids: &[FolderId]) -> StoreResult<()>;
}

/// Shared chat snapshots and their access grants.
#[async_trait]
pub trait ShareStore: Send + Sync {
    /// Takes (or refreshes) the snapshot of a chat; sets `chat.share_id`; returns the token.
    /// `share_mode` replaces the stored mode when given.
    async fn snapshot(
        &self,
        chat_id: &ChatId,
        share_mode: Option<Option<String>>,
        now: i64,
    ) -> StoreResult<Option<ShareId>>;
    /// A snapshot by token.
    async fn shared(&self, share_id: &ShareId) -> StoreResult<Option<SharedChat>>;
    /// A user's snapshots, newest first.
    async fn shared_by_user(
        &self,
        user_id: &UserId,
        offset: u64,
        limit: u64,
    ) -> StoreResult<Vec<SharedChat>>;
    /// Removes a chat's snapshot and grants and clears `chat.share_id`.
    async fn unshare(&self, chat_id: &ChatId) -> StoreResult<()>;
    /// The grants of a shared chat.
    async fn grants(&self, chat_id: &ChatId) -> StoreResult<Vec<AccessGrant>>;
    /// Replaces the grants of a shared chat.
    async fn set_grants(
        &self,
        chat_id: &ChatId,
        grants: &[AccessGrant],
        now: i64,
    ) -> StoreResult<()>;
}
