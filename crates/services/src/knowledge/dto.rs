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

/// The files of a knowledge base (`KnowledgeFileListResponse`).
#[derive(Debug, Serialize, ToSchema)]
pub struct KnowledgeFileList {
    /// The files.
    pub items: Vec<FileResponse>,
    /// Folders (not kept yet: always empty).
    #[schema(value_type = Vec<Object>)]
    pub directories: Vec<Value>,
    /// The folder path (always empty).
    #[schema(value_type = Vec<Object>)]
    pub breadcrumbs: Vec<Value>,
    /// How many.
    pub total: u64,
}

/// `POST /create` and `POST /{id}/update`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct KnowledgeForm {
    /// Name.
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

/// `POST /{id}/file/add`, `/file/remove`, `/file/update`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct FileIdForm {
    /// The file.
    pub file_id: String,
}

/// `GET /` and `GET /search`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ListParams {
    /// Page (1-based, 30 per page).
    pub page: Option<i64>,
    /// Text the name or description contains.
    pub query: Option<String>,
}
