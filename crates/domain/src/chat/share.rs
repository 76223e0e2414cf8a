//! Shared chats: a frozen snapshot (`shared_chat`) reachable by its token, and the access
//! grants (`access_grant`, resource type `shared_chat`) that say who may open it.

use crate::chat::ChatDocument;
use crate::ids::{ChatId, ShareId, UserId};

/// A shared snapshot.
#[derive(Clone, Debug, PartialEq)]
pub struct SharedChat {
    /// The share token (used at `/s/{token}`).
    pub id: ShareId,
    /// The chat it was taken from.
    pub chat_id: ChatId,
    /// Owner.
    pub user_id: UserId,
    /// Title at snapshot time.
    pub title: String,
    /// Document at snapshot time, with `share_mode`.
    pub document: ChatDocument,
    /// First shared.
    pub created_at: i64,
    /// Last re-snapshot.
    pub updated_at: i64,
}
