//! What the chat history answers (Open WebUI's response models).

use hearth_domain::chat::tags::Tag;
use hearth_domain::chat::{Chat, ChatDocument, ChatTitle};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// A chat with its document (`ChatResponse`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ChatResponse {
    /// Id.
    pub id: String,
    /// Owner.
    pub user_id: String,
    /// Title.
    pub title: String,
    /// The conversation document.
    #[schema(value_type = Object)]
    pub chat: ChatDocument,
    /// Last change.
    pub updated_at: i64,
    /// Creation.
    pub created_at: i64,
    /// Share token.
    pub share_id: Option<String>,
    /// Archived.
    pub archived: bool,
    /// Pinned.
    pub pinned: bool,
    /// `{tags: [...], ...}`.
    #[schema(value_type = Object)]
    pub meta: Value,
    /// Variables.
    #[schema(value_type = Object)]
    pub variables: Value,
    /// Folder.
    pub folder_id: Option<String>,
    /// Tasks.
    #[schema(value_type = Option<Vec<Object>>)]
    pub tasks: Option<Value>,
    /// Summary.
    pub summary: Option<String>,
    /// Current leaf message.
    pub current_message_id: Option<String>,
    /// Context usage (not computed yet: `null`).
    #[schema(value_type = Option<Object>)]
    pub context_usage: Option<Value>,
}

impl From<Chat> for ChatResponse {
    fn from(chat: Chat) -> Self {
        Self {
            id: chat.id.into_string(),
            user_id: chat.user_id.into_string(),
            title: chat.title,
            chat: chat.document,
            updated_at: chat.updated_at,
            created_at: chat.created_at,
            share_id: chat.share_id.map(String::from),
            archived: chat.archived,
            pinned: chat.pinned,
            meta: chat.meta,
            variables: chat.variables,
            folder_id: chat.folder_id.map(String::from),
            tasks: chat.tasks,
            summary: chat.summary,
            current_message_id: chat.current_message_id.map(String::from),
            context_usage: None,
        }
    }
}

/// A list entry (`ChatTitleIdResponse`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ChatTitleResponse {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Last change.
    pub updated_at: i64,
    /// Creation.
    pub created_at: i64,
    /// Last read.
    pub last_read_at: Option<i64>,
    /// Matching text (search only).
    pub snippet: Option<String>,
    /// A task is streaming into the chat.
    pub active: bool,
    /// Archived.
    pub archived: bool,
}

impl From<ChatTitle> for ChatTitleResponse {
    fn from(title: ChatTitle) -> Self {
        Self {
            id: title.id.into_string(),
            title: title.title,
            updated_at: title.updated_at,
            created_at: title.created_at,
            last_read_at: title.last_read_at,
            snippet: None,
            active: false,
            archived: title.archived,
        }
    }
}

/// A tag (`TagModel`).
#[derive(Debug, Serialize, ToSchema)]
pub struct TagResponse {
    /// Id (lower-cased name, spaces as `_`).
    pub id: String,
    /// Name.
    pub name: String,
    /// Owner.
    pub user_id: String,
    /// Metadata.
    #[schema(value_type = Option<Object>)]
    pub meta: Option<Value>,
}

impl From<Tag> for TagResponse {
    fn from(tag: Tag) -> Self {
        Self {
            id: tag.id,
            name: tag.name,
            user_id: tag.user_id,
            meta: tag.meta,
        }
    }
}

/// A shared chat as the share list shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SharedEntry {
    /// The chat's id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Share token.
    pub share_id: Option<String>,
    /// Last re-snapshot.
    pub updated_at: i64,
    /// First shared.
    pub created_at: i64,
}
