//! Bodies of the folder use cases (`/api/v1/folders`).

use hearth_domain::folder::Folder;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

/// A folder as the sidebar lists it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FolderEntry {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// `{icon?}`.
    #[schema(value_type = Option<Object>)]
    pub meta: Option<Value>,
    /// Parent.
    pub parent_id: Option<String>,
    /// Open in the sidebar.
    pub is_expanded: bool,
    /// Unread chats in it and below.
    pub unread_count: u64,
    /// Creation.
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
}

/// A folder with all its fields.
#[derive(Debug, Serialize, ToSchema)]
pub struct FolderResponse {
    /// Id.
    pub id: String,
    /// Parent.
    pub parent_id: Option<String>,
    /// Owner.
    pub user_id: String,
    /// Name.
    pub name: String,
    /// Legacy items.
    #[schema(value_type = Option<Object>)]
    pub items: Option<Value>,
    /// Metadata.
    #[schema(value_type = Option<Object>)]
    pub meta: Option<Value>,
    /// Data (system prompt, files).
    #[schema(value_type = Option<Object>)]
    pub data: Option<Value>,
    /// Open in the sidebar.
    pub is_expanded: bool,
    /// Creation.
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
}

impl From<Folder> for FolderResponse {
    fn from(f: Folder) -> Self {
        Self {
            id: f.id.into_string(),
            parent_id: f.parent_id.map(String::from),
            user_id: f.user_id.into_string(),
            name: f.name,
            items: f.items,
            meta: f.meta,
            data: f.data,
            is_expanded: f.is_expanded,
            created_at: f.created_at,
            updated_at: f.updated_at,
        }
    }
}

/// `POST /`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FolderForm {
    /// Name.
    pub name: String,
    /// Data.
    #[schema(value_type = Option<Object>)]
    pub data: Option<Value>,
    /// Metadata.
    #[schema(value_type = Option<Object>)]
    pub meta: Option<Value>,
    /// Parent folder.
    pub parent_id: Option<String>,
}

/// `POST /{id}/update`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FolderUpdateForm {
    /// New name.
    pub name: Option<String>,
    /// New data.
    #[schema(value_type = Option<Object>)]
    pub data: Option<Value>,
    /// New metadata.
    #[schema(value_type = Option<Object>)]
    pub meta: Option<Value>,
}

/// `POST /{id}/update/parent`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ParentForm {
    /// New parent, `null` for the root.
    pub parent_id: Option<String>,
}

/// `POST /{id}/update/expanded`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ExpandedForm {
    /// Open in the sidebar.
    pub is_expanded: bool,
}

/// Query of `DELETE /{id}`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct DeleteParams {
    /// Delete the chats inside too (default); otherwise they move out of the folder.
    pub delete_contents: Option<bool>,
}
