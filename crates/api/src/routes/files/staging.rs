//! Reading a `multipart/form-data` upload: the `file` part is streamed into the blob store's
//! staging folder (hashed and counted on the way, stopped at the size limit), the `metadata`
//! part is read as text; other parts are skipped. A staged file that is not taken is removed
//! when it is dropped.

use crate::error::ApiError;
use actix_multipart::{Field, Multipart};
use futures_util::TryStreamExt;
use hearth_services::error::ServiceError;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::path::Path;
use tempfile::TempPath;
use tokio::io::AsyncWriteExt;

/// The most bytes of the `metadata` part.
const METADATA_LIMIT: usize = 64 * 1024;

/// The staged `file` part.
pub(super) struct StagedFile {
    pub path: TempPath,
    pub filename: String,
    pub content_type: Option<String>,
    pub size: u64,
    pub sha256: String,
}

/// What the form held.
pub(super) struct UploadForm {
    pub file: StagedFile,
    pub metadata: Option<String>,
}

fn bad_form(err: impl std::fmt::Display) -> ApiError {
    ApiError::from(ServiceError::invalid(format!(
        "[ERROR: Invalid upload: {err}]"
    )))
}

fn missing_file() -> ApiError {
    ApiError::from(ServiceError::Validation(json!([{
        "type": "missing", "loc": ["body", "file"], "msg": "Field required", "input": null
    }])))
}

async fn stage(
    mut field: Field,
    dir: &Path,
    limit: Option<u64>,
    too_large: &dyn Fn() -> ApiError,
) -> Result<StagedFile, ApiError> {
    let filename = field
        .content_disposition()
        .and_then(|d| d.get_filename())
        .unwrap_or("file")
        .to_owned();
    let content_type = field.content_type().map(ToString::to_string);
    let (file, path) = tempfile::Builder::new()
        .prefix("upload-")
        .tempfile_in(dir)
        .map_err(ApiError::internal)?
        .into_parts();
    let mut out = tokio::fs::File::from_std(file);
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    while let Some(piece) = field.try_next().await.map_err(bad_form)? {
        size = size.saturating_add(u64::try_from(piece.len()).unwrap_or(u64::MAX));
        if limit.is_some_and(|max| size > max) {
            return Err(too_large());
        }
        hasher.update(&piece);
        out.write_all(&piece).await.map_err(ApiError::internal)?;
    }
    out.flush().await.map_err(ApiError::internal)?;
    let sha256 = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(StagedFile {
        path,
        filename,
        content_type,
        size,
        sha256,
    })
}

async fn text(mut field: Field) -> Result<String, ApiError> {
    let mut bytes = Vec::new();
    while let Some(piece) = field.try_next().await.map_err(bad_form)? {
        if bytes.len() + piece.len() > METADATA_LIMIT {
            return Err(bad_form("metadata is too long"));
        }
        bytes.extend_from_slice(&piece);
    }
    String::from_utf8(bytes).map_err(bad_form)
}

/// Reads the form, staging the first `file` part in `dir`.
pub(super) async fn read_form(
    mut form: Multipart,
    dir: &Path,
    limit: Option<u64>,
    too_large: &dyn Fn() -> ApiError,
) -> Result<UploadForm, ApiError> {
    let mut file = None;
    let mut metadata = None;
    while let Some(field) = form.try_next().await.map_err(bad_form)? {
        match field.name() {
            Some("file") if file.is_none() => {
                file = Some(stage(field, dir, limit, too_large).await?);
            }
            Some("metadata") if metadata.is_none() => metadata = Some(text(field).await?),
            _ => {
                let mut skipped = field;
                while skipped.try_next().await.map_err(bad_form)?.is_some() {}
            }
        }
    }
    let file = file.ok_or_else(missing_file)?;
    Ok(UploadForm { file, metadata })
}
