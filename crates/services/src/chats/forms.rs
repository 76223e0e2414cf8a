//! What the chat history accepts: request bodies and query strings, as the web client sends
//! them.

use crate::grants::GrantBody;
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};

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
    #[schema(maximum = 9_007_199_254_740_991_f64)]
    pub skip: u64,
    /// Rows to return (default 50).
    #[schema(maximum = 9_007_199_254_740_991_f64)]
    pub limit: Option<u64>,
}

/// `POST /{id}/clone`.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CloneForm {
    /// Title of the copy (default `Clone of <title>`).
    pub title: Option<String>,
}

/// Query of a folder's chat list.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct FolderListParams {
    /// Page (10 per page, from 1).
    pub page: Option<i64>,
    /// `unread_updated_at` (default), `updated_at` or `title`.
    pub sort_by: Option<String>,
    /// `desc` (default) or `asc`.
    pub sort_dir: Option<String>,
}

/// Query of the search.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SearchParams {
    /// Words to find in titles and messages, plus `tag:`, `folder:`, `pinned:`, `archived:`,
    /// `shared:` filters.
    pub text: String,
    /// Page (60 per page, from 1).
    pub page: Option<i64>,
}

/// Query of an admin's view of a user's chats.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct UserChatsParams {
    /// Page (60 per page).
    pub page: Option<i64>,
    /// Title filter.
    pub query: Option<String>,
    /// `updated_at` (default), `created_at` or `title`.
    pub order_by: Option<String>,
    /// `asc` or `desc`.
    pub direction: Option<String>,
}

/// Query of the share list.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct SharedParams {
    /// Page (60 per page).
    pub page: Option<i64>,
}

/// Body of `POST /{id}/share`.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ShareForm {
    /// `continue` lets readers with access continue the live chat; `null` shows the snapshot.
    #[serde(default, deserialize_with = "present")]
    pub share_mode: Option<Option<String>>,
}

/// A field that is present (even as `null`) reads as `Some`.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// Body of `POST /shared/{id}/access/update`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AccessForm {
    /// The grants replacing the current ones.
    pub access_grants: Vec<GrantBody>,
    /// New share mode, when sent.
    #[serde(default, deserialize_with = "present")]
    pub share_mode: Option<Option<String>>,
}

/// Body of `POST /{id}/messages/{message_id}`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MessageForm {
    /// New content.
    pub content: Option<String>,
    /// Voice metadata.
    #[schema(value_type = Option<Object>)]
    pub voice: Option<Value>,
}

/// Body of `POST /{id}/fork`.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ForkForm {
    /// Message to fork at (default: the current one).
    pub message_id: Option<String>,
}

/// One chat to import.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ChatImport {
    /// The document.
    #[schema(value_type = Object)]
    pub chat: Map<String, Value>,
    /// `meta` (tags).
    #[schema(value_type = Option<Object>)]
    pub meta: Option<Value>,
    /// Pinned.
    #[serde(default)]
    pub pinned: Option<bool>,
    /// Archived.
    #[serde(default)]
    pub archived: Option<bool>,
    /// Folder (dropped when it is not one of the caller's).
    pub folder_id: Option<String>,
    /// Variables.
    #[schema(value_type = Option<Object>)]
    pub variables: Option<Value>,
    /// Original creation time.
    pub created_at: Option<i64>,
    /// Original update time.
    pub updated_at: Option<i64>,
}

/// `POST /import`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ChatsImport {
    /// The chats.
    pub chats: Vec<ChatImport>,
}
