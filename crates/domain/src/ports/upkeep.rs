//! Scheduled upkeep of the stored data: jobs that one instance at a time runs, and chat
//! retention (finding and deleting old chats, then giving the space back).

use crate::ids::{ChatId, FileId};
use crate::{StoreResult, UserId};
use async_trait::async_trait;

/// A chat past its retention: its id and owner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpiredChat {
    /// The chat.
    pub id: ChatId,
    /// Its owner.
    pub user_id: UserId,
}

/// Storage side of scheduled upkeep.
#[async_trait]
pub trait UpkeepStore: Send + Sync {
    /// Claims `job` for this run if no instance has run it in the last `every` seconds;
    /// `true` means the caller runs it now (at most one claimant per interval).
    async fn claim_job(&self, job: &str, now: i64, every: i64) -> StoreResult<bool>;
    /// Up to `limit` chats last updated before `cutoff` (epoch seconds), oldest first.
    async fn expired_chats(&self, cutoff: i64, limit: u64) -> StoreResult<Vec<ExpiredChat>>;
    /// The files linked to these chats (`chat_file`).
    async fn chat_files(&self, chats: &[ChatId]) -> StoreResult<Vec<FileId>>;
    /// Deletes these chats with their message rows, shares and file links.
    async fn delete_chats(&self, chats: &[ChatId]) -> StoreResult<u64>;
    /// Whether a chat or a knowledge base still uses the file.
    async fn file_in_use(&self, file: &FileId) -> StoreResult<bool>;
    /// Gives freed space back to the file system (SQLite: incremental vacuum).
    async fn reclaim_space(&self) -> StoreResult<()>;
}
