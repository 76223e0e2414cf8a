//! API keys (table `api_key`): one `sk-...` key per user, stored as Open WebUI stores it.

use crate::UserId;

/// A user's API key row.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiKey {
    /// `key_{user_id}`.
    pub id: String,
    /// Owner.
    pub user_id: UserId,
    /// The key itself: `sk-` followed by 32 lowercase hex digits.
    pub key: String,
    /// Expiry (epoch seconds), if any.
    pub expires_at: Option<i64>,
    /// Last use (epoch seconds), if recorded.
    pub last_used_at: Option<i64>,
    /// Creation time (epoch seconds).
    pub created_at: i64,
}

impl ApiKey {
    /// The row id Open WebUI uses for a user's key.
    pub fn row_id(user_id: &UserId) -> String {
        format!("key_{user_id}")
    }
}
