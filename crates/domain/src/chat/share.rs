//! Shared chats: a frozen snapshot (`shared_chat`) reachable by its token, and the access
//! grants (`access_grant`, resource type `shared_chat`) that say who may open it.

use crate::UserId;
use serde_json::Value;

/// A shared snapshot.
#[derive(Clone, Debug, PartialEq)]
pub struct SharedChat {
    /// The share token (used at `/s/{token}`).
    pub id: String,
    /// The chat it was taken from.
    pub chat_id: String,
    /// Owner.
    pub user_id: UserId,
    /// Title at snapshot time.
    pub title: String,
    /// Document at snapshot time, with `share_mode`.
    pub document: Value,
    /// First shared.
    pub created_at: i64,
    /// Last re-snapshot.
    pub updated_at: i64,
}

/// Who may read a shared chat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareGrant {
    /// Row id.
    pub id: String,
    /// `user` or `group`.
    pub principal_type: String,
    /// A user or group id; `*` with `user` means anyone signed in.
    pub principal_id: String,
    /// `read` or `write`.
    pub permission: String,
}

impl ShareGrant {
    /// Whether the grant lets `user` read.
    pub fn lets_read(&self, user: &UserId) -> bool {
        self.principal_type == "user"
            && (self.principal_id == "*" || self.principal_id == user.as_str())
    }
}
