//! Bodies of the file use cases (`/api/v1/files`), in Open WebUI's shapes.

use hearth_domain::file::StoredFile;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};

/// A file record (`FileModel`); the upload answer adds `status: true`.
#[derive(Debug, Serialize, ToSchema)]
pub struct FileResponse {
    /// Set on the answer to an upload.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<bool>,
    /// Id.
    pub id: String,
    /// Owner.
    pub user_id: String,
    /// SHA-256 of the extracted text.
    pub hash: Option<String>,
    /// The client's file name.
    pub filename: String,
    /// Where the bytes are kept.
    pub path: Option<String>,
    /// `{status?, error?, content?}`.
    #[schema(value_type = Object)]
    pub data: Map<String, Value>,
    /// `{name, content_type, size, file_hash, data}`.
    #[schema(value_type = Object)]
    pub meta: Map<String, Value>,
    /// Upload (epoch seconds).
    pub created_at: i64,
    /// Last change (epoch seconds).
    pub updated_at: i64,
}

impl FileResponse {
    /// The record as answered; without the extracted text unless `content`.
    pub fn of(file: StoredFile, content: bool) -> Self {
        let mut data = file.data;
        if !content {
            data.remove("content");
        }
        Self {
            status: None,
            id: file.id.into_string(),
            user_id: file.user_id.into_string(),
            hash: file.hash,
            filename: file.filename,
            path: file.path,
            data,
            meta: file.meta,
            created_at: file.created_at,
            updated_at: file.updated_at,
        }
    }
}

/// A page of files.
#[derive(Debug, Serialize, ToSchema)]
pub struct FileList {
    /// The files, newest first.
    pub items: Vec<FileResponse>,
    /// How many there are in all.
    pub total: u64,
}

/// `GET /api/v1/files/`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ListParams {
    /// Page (1-based, 50 per page).
    #[param(minimum = 1)]
    pub page: Option<i64>,
    /// Include the extracted text (default true).
    pub content: Option<bool>,
}

/// `GET /api/v1/files/search` and `/user/search`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SearchParams {
    /// File name pattern; `*` and `?` are wildcards.
    pub filename: Option<String>,
    /// Include the extracted text.
    pub content: Option<bool>,
    /// Files to skip.
    #[param(minimum = 0)]
    pub skip: Option<i64>,
    /// Most files to return (1–1000).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

/// The query of `GET /api/v1/files/search` as documented: the pattern is required there.
/// Requests are read as [`SearchParams`], so that a missing pattern gets FastAPI's exact
/// problem list rather than the query parser's message.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchByNameParams {
    /// File name pattern; `*` and `?` are wildcards.
    pub filename: String,
    /// Include the extracted text (default true).
    pub content: Option<bool>,
    /// Files to skip.
    #[param(minimum = 0)]
    pub skip: Option<i64>,
    /// Most files to return (1–1000, default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

/// `GET /api/v1/files/{id}/process/status`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct StatusParams {
    /// Answer with server-sent events until processing ends.
    pub stream: Option<bool>,
}

/// `GET /api/v1/files/{id}/content`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ContentParams {
    /// Always download (`Content-Disposition: attachment`).
    pub attachment: Option<bool>,
}

/// `POST /api/v1/files/` query.
#[derive(Debug, Deserialize, IntoParams)]
pub struct UploadParams {
    /// Extract the text (default true).
    pub process: Option<bool>,
    /// Extract in the background (default true); false waits for the text.
    pub process_in_background: Option<bool>,
}

/// `{status}` of a file's processing.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusResponse {
    /// `pending`, `processing`, `completed` or `failed`.
    pub status: String,
}

/// The extracted text.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ContentForm {
    /// The text.
    pub content: String,
}

/// `POST /api/v1/files/{id}/rename`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RenameForm {
    /// The new name.
    pub filename: String,
}

/// `{message}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageResponse {
    /// What was done.
    pub message: String,
}
