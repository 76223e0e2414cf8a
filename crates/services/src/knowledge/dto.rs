//! Bodies of the knowledge use cases (`/api/v1/knowledge`), in Open WebUI's shapes.

use crate::files::dto::FileResponse;
use crate::grants::{GrantBody, bodies};
use hearth_domain::knowledge::Knowledge;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

/// A knowledge base (`KnowledgeModel`), with what the caller may do and, when asked, its files.
#[derive(Debug, Serialize, ToSchema)]
pub struct KnowledgeResponse {
    /// Id.
    pub id: String,
    /// Owner.
    pub user_id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Metadata.
    #[schema(value_type = Option<Object>)]
    pub meta: Option<Value>,
    /// Who else may read or write it.
    pub access_grants: Vec<GrantBody>,
    /// Whether the caller may change it.
    pub write_access: bool,
    /// Its files (on the routes that answer them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub files: Option<Vec<FileResponse>>,
    /// Creation.
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
}

impl KnowledgeResponse {
    /// The answer for a caller with `write_access`.
    pub fn of(knowledge: Knowledge, write_access: bool, files: Option<Vec<FileResponse>>) -> Self {
        Self {
            id: knowledge.id.into_string(),
            user_id: knowledge.user_id.into_string(),
            name: knowledge.name,
            description: knowledge.description,
            meta: knowledge.meta,
            access_grants: bodies(knowledge.access_grants),
            write_access,
            files,
            created_at: knowledge.created_at,
            updated_at: knowledge.updated_at,
        }
    }
}

/// A page of knowledge bases.
#[derive(Debug, Serialize, ToSchema)]
pub struct KnowledgeList {
    /// The knowledge bases.
    pub items: Vec<KnowledgeResponse>,
    /// How many the caller can see.
    pub total: u64,
}

/// A file of a knowledge base with where it sits.
#[derive(Debug, Serialize, ToSchema)]
pub struct KnowledgeFileItem {
    /// The file.
    #[serde(flatten)]
    pub file: FileResponse,
    /// Its folder (null: the root).
    pub directory_id: Option<String>,
    /// The folder's `/`-separated path (`""`: the root).
    pub directory_path: String,
}

/// The files of a knowledge base (`KnowledgeFileListResponse`).
#[derive(Debug, Serialize, ToSchema)]
pub struct KnowledgeFileList {
    /// The files.
    pub items: Vec<KnowledgeFileItem>,
    /// The folders at the level listed.
    pub directories: Vec<DirectoryResponse>,
    /// The folders from the root down to the one listed.
    pub breadcrumbs: Vec<DirectoryResponse>,
    /// How many.
    pub total: u64,
}

/// `POST /create` and `POST /{id}/update`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct KnowledgeForm {
    /// Name (not blank).
    #[schema(pattern = r"[^\s\u0000]")]
    pub name: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Grants (kept as they are when absent on update).
    pub access_grants: Option<Vec<GrantBody>>,
}

/// `POST /{id}/access/update`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AccessForm {
    /// The grants replacing the current ones.
    pub access_grants: Vec<GrantBody>,
}

/// `POST /{id}/file/add`, `/file/remove`, `/file/update`, `/files/batch/add`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct FileIdForm {
    /// The file.
    pub file_id: String,
    /// The folder to put it in when adding (absent or null: the root).
    #[serde(default)]
    pub directory_id: Option<String>,
}

/// `GET /` and `GET /search`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ListParams {
    /// Page (1-based, 30 per page).
    pub page: Option<i64>,
    /// Text the name or description contains.
    pub query: Option<String>,
}

/// A folder of a knowledge base (`KnowledgeDirectoryModel`).
#[derive(Debug, Serialize, ToSchema)]
pub struct DirectoryResponse {
    /// Id.
    pub id: String,
    /// The knowledge base.
    pub knowledge_id: String,
    /// The folder it is in (null: the root).
    pub parent_id: Option<String>,
    /// Name.
    pub name: String,
    /// Who made it.
    pub user_id: String,
    /// Creation.
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
}

impl From<hearth_domain::knowledge::Directory> for DirectoryResponse {
    fn from(d: hearth_domain::knowledge::Directory) -> Self {
        Self {
            id: d.id,
            knowledge_id: d.knowledge_id.into_string(),
            parent_id: d.parent_id,
            name: d.name,
            user_id: d.user_id.into_string(),
            created_at: d.created_at,
            updated_at: d.updated_at,
        }
    }
}

/// `POST /{id}/dirs/create`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DirectoryForm {
    /// Name.
    pub name: String,
    /// The folder to create it in (absent or null: the root).
    #[serde(default)]
    pub parent_id: Option<String>,
}

/// `POST /{id}/dirs/{dir_id}/update`: a new name, and a new parent (`null`: the root;
/// absent or `"__unset__"`: unchanged).
#[derive(Debug, Deserialize, ToSchema)]
pub struct DirectoryUpdateForm {
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New parent.
    #[serde(default = "unset")]
    #[schema(value_type = Option<String>)]
    pub parent_id: Value,
}

fn unset() -> Value {
    Value::String("__unset__".into())
}

/// `DELETE /{id}/dirs/{dir_id}/delete`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct DirectoryDeleteParams {
    /// Move the folder's files to its parent (default) or remove them from the knowledge base.
    pub move_files: Option<bool>,
}

/// What deleting a folder answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct DirectoryDeleted {
    /// Always true.
    pub status: bool,
    /// The files removed from the knowledge base (none when they were moved).
    pub file_ids: Vec<String>,
}

/// `POST /{id}/file/move`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct FileMoveForm {
    /// The file.
    pub file_id: String,
    /// The folder (absent or null: the root).
    #[serde(default)]
    pub directory_id: Option<String>,
}

/// `GET /{id}/files`: one folder's files (`""`: the root; absent: every file).
#[derive(Debug, Deserialize, IntoParams)]
pub struct FolderParams {
    /// The folder.
    pub directory_id: Option<String>,
}

/// One file of a local folder, as the web client's folder sync lists it.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SyncEntry {
    /// File name.
    pub filename: String,
    /// Its folder, `/`-separated (`""`: the root).
    #[serde(default)]
    pub path: String,
    /// SHA-256 of its bytes.
    #[serde(default)]
    pub checksum: Option<String>,
    /// Size in bytes.
    #[serde(default)]
    pub size: Option<u64>,
}

/// `POST /{id}/sync/diff`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SyncDiffForm {
    /// The local folder's files.
    pub manifest: Vec<SyncEntry>,
}

/// What a sync must do (`SyncDiffResponse`).
#[derive(Debug, Serialize, ToSchema)]
pub struct SyncDiff {
    /// `{filename, path}` to upload.
    #[schema(value_type = Vec<Object>)]
    pub added: Vec<Value>,
    /// `{filename, path, stale_file_id}` to upload again.
    #[schema(value_type = Vec<Object>)]
    pub modified: Vec<Value>,
    /// `{file_id, filename}` to remove.
    #[schema(value_type = Vec<Object>)]
    pub deleted: Vec<Value>,
    /// Folder paths to create, parents first.
    pub mkdir: Vec<String>,
    /// Folders to remove.
    pub rmdir: Vec<String>,
    /// Files already in place.
    pub unmodified_count: u64,
    /// Folder path → folder id.
    pub directory_map: std::collections::BTreeMap<String, String>,
}

/// `POST /{id}/sync/cleanup`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SyncCleanupForm {
    /// Files to remove from the knowledge base.
    #[serde(default)]
    pub file_ids: Vec<String>,
    /// Folders to remove (children before parents).
    #[serde(default)]
    pub dir_ids: Vec<String>,
}

/// `GET /{id}/files/pending`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct PendingParams {
    /// Server-sent events: the list every 3 seconds until it is empty.
    pub stream: Option<bool>,
}
