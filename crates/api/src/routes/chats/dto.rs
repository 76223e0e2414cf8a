//! Bodies of `/api/v1/chats`.

use hearth_domain::chat::tags::Tag;
use hearth_domain::chat::{Chat, ChatTitle};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};

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
    pub chat: Value,
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
            id: chat.id,
            user_id: chat.user_id.into_string(),
            title: chat.title,
            chat: chat.document,
            updated_at: chat.updated_at,
            created_at: chat.created_at,
            share_id: chat.share_id,
            archived: chat.archived,
            pinned: chat.pinned,
            meta: chat.meta,
            variables: chat.variables,
            folder_id: chat.folder_id,
            tasks: chat.tasks,
            summary: chat.summary,
            current_message_id: chat.current_message_id,
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
            id: title.id,
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

/// `POST /new` and `POST /{id}`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ChatForm {
    /// The document (new chat) or the keys to change (update).
    #[schema(value_type = Object)]
    pub chat: Map<String, Value>,
    /// Chat variables.
    #[schema(value_type = Option<Object>)]
    pub variables: Option<Map<String, Value>>,
    /// Folder.
    pub folder_id: Option<String>,
}

/// Query of the main chat lists.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ChatListParams {
    /// Page (60 per page); without it, every chat.
    pub page: Option<i64>,
    /// Keep pinned chats.
    #[serde(default)]
    pub include_pinned: bool,
    /// Keep chats that are in folders.
    #[serde(default)]
    pub include_folders: bool,
    /// `updated_at`, `title` or `unread_updated_at`.
    pub sort_by: Option<String>,
    /// `asc` or `desc` (default).
    pub sort_dir: Option<String>,
}

/// Query of the archived list.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ArchivedParams {
    /// Page (60 per page).
    pub page: Option<i64>,
    /// Title filter.
    pub query: Option<String>,
    /// `updated_at`, `created_at` or `title`.
    pub order_by: Option<String>,
    /// `asc` or `desc`.
    pub direction: Option<String>,
}

/// `POST /{id}/folder`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct FolderMove {
    /// Target folder, `null` for none.
    pub folder_id: Option<String>,
}

/// A tag name (`POST`/`DELETE /{id}/tags`).
#[derive(Debug, Deserialize, ToSchema)]
pub struct TagForm {
    /// Name.
    pub name: String,
}

/// `POST /tags`: chats carrying a tag.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TagFilterForm {
    /// Tag name.
    pub name: String,
    /// Rows to skip.
    #[serde(default)]
    pub skip: u64,
    /// Rows to return (default 50).
    pub limit: Option<u64>,
}

/// `POST /{id}/clone`.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CloneForm {
    /// Title of the copy (default `Clone of <title>`).
    pub title: Option<String>,
}
