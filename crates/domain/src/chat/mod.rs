//! Chats: the `chat` row, its JSON document (`chat.chat`), list entries and the queries the
//! chat history API runs. The document logic (history merge, message deletion, current
//! message) is pure and lives in [`document`].

mod chat_document;
pub mod document;
pub mod search;
pub mod share;
pub mod tags;
pub mod turn;

pub use chat_document::ChatDocument;

use crate::ids::{ChatId, FolderId, MessageId, ModelId, ShareId, UserId};
use serde_json::Value;

/// Whether a chat id names a stored chat (not a temporary, local or channel one).
pub fn is_saved_chat_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with("temporary:")
        && !id.starts_with("local:")
        && !id.starts_with("channel:")
}

/// Title Open WebUI gives chats without one.
pub const DEFAULT_TITLE: &str = "New Chat";

/// One chat row.
#[derive(Clone, Debug, PartialEq)]
pub struct Chat {
    /// Id (UUID v4).
    pub id: ChatId,
    /// Owner.
    pub user_id: UserId,
    /// Title (mirrors `document.title`).
    pub title: String,
    /// The conversation document: title, models, history tree, messages, files, timestamp.
    pub document: ChatDocument,
    /// Creation (epoch seconds).
    pub created_at: i64,
    /// Last change of the conversation (epoch seconds).
    pub updated_at: i64,
    /// Token of the shared snapshot, when shared.
    pub share_id: Option<ShareId>,
    /// Hidden from the main list.
    pub archived: bool,
    /// Pinned to the top of the sidebar.
    pub pinned: bool,
    /// `{tags: [tag ids], internal?: bool, ...}`.
    pub meta: Value,
    /// Chat variables.
    pub variables: Value,
    /// Folder, if filed.
    pub folder_id: Option<FolderId>,
    /// Background tasks recorded on the chat.
    pub tasks: Option<Value>,
    /// Summary written by context compaction.
    pub summary: Option<String>,
    /// Leaf message of the current branch.
    pub current_message_id: Option<MessageId>,
    /// When the owner last read it (epoch seconds).
    pub last_read_at: Option<i64>,
}

impl Chat {
    /// Tag ids in `meta.tags`.
    pub fn tag_ids(&self) -> Vec<String> {
        tags::ids_in_meta(&self.meta)
    }

    /// Whether the chat is internal (created by the server for its own work, never listed).
    pub fn is_internal(&self) -> bool {
        self.meta.get("internal") == Some(&Value::Bool(true))
    }
}

/// A chat as the lists show it (no document).
#[derive(Clone, Debug, PartialEq)]
pub struct ChatTitle {
    /// Id.
    pub id: ChatId,
    /// Title.
    pub title: String,
    /// Last change.
    pub updated_at: i64,
    /// Creation.
    pub created_at: i64,
    /// Last read.
    pub last_read_at: Option<i64>,
    /// Archived.
    pub archived: bool,
}

/// How a chat list is sorted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ChatSort {
    /// By last change (the default).
    #[default]
    UpdatedAt,
    /// By title.
    Title,
    /// By creation time.
    CreatedAt,
    /// Unread first, then by last change.
    UnreadUpdatedAt,
}

impl ChatSort {
    /// Reads Open WebUI's `sort_by` value; unknown values sort by last change.
    pub fn from_query(value: Option<&str>) -> Self {
        match value {
            Some("title") => ChatSort::Title,
            Some("unread_updated_at") => ChatSort::UnreadUpdatedAt,
            _ => ChatSort::UpdatedAt,
        }
    }
}

/// Which of a user's chats a list shows, and which page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChatListQuery {
    /// Only chats in this folder (otherwise chats in folders are left out unless
    /// `include_folders`).
    pub folder_id: Option<FolderId>,
    /// Keep pinned chats in the list.
    pub include_pinned: bool,
    /// Keep chats that are in folders.
    pub include_folders: bool,
    /// Only archived chats (otherwise archived chats are left out).
    pub archived: bool,
    /// Only pinned chats.
    pub pinned_only: bool,
    /// Sort order.
    pub sort: ChatSort,
    /// Ascending instead of descending.
    pub ascending: bool,
    /// Case-insensitive title filter (archived list).
    pub title_contains: Option<String>,
    /// Rows to skip.
    pub offset: u64,
    /// Rows to return at most; `None` for all.
    pub limit: Option<u64>,
}

/// A message row (`chat_message`), derived from a message of the document.
#[derive(Clone, Debug, PartialEq)]
pub struct MessageRecord {
    /// The message id inside the document (the row id is `{chat_id}-{message_id}`).
    pub message_id: MessageId,
    /// Author.
    pub user_id: UserId,
    /// `user`, `assistant` or `system`.
    pub role: String,
    /// Parent message.
    pub parent_id: Option<MessageId>,
    /// The message content.
    pub content: Option<Value>,
    /// Output items.
    pub output: Option<Value>,
    /// Model of an assistant message.
    pub model_id: Option<ModelId>,
    /// Attached files.
    pub files: Option<Value>,
    /// Sources.
    pub sources: Option<Value>,
    /// Embeds.
    pub embeds: Option<Value>,
    /// Metadata.
    pub meta: Option<Value>,
    /// Finished.
    pub done: bool,
    /// Status history.
    pub status_history: Option<Value>,
    /// Error.
    pub error: Option<Value>,
    /// Token usage.
    pub usage: Option<Value>,
    /// Compaction summary.
    pub context_summary: Option<String>,
    /// Creation (epoch seconds).
    pub created_at: i64,
}
