//! Upload: check the limits, move the staged bytes into the blob store under a generated
//! name, record the file, and start (or run) its text extraction. A refused upload leaves
//! nothing behind: the staged bytes are the caller's to drop, and a failed record removes
//! the stored blob.

use super::dto::FileResponse;
use super::limits::{allowed_extensions, max_size_mb, too_large};
use super::process;
use crate::App;
use crate::error::{ServiceError, ServiceResult};
use hearth_domain::User;
use hearth_domain::file::{StoredFile, blob_name, clean_filename};
use hearth_domain::ids::FileId;
use hearth_domain::text::strip_nul_json;
use hearth_domain::time::now_epoch;
use serde_json::{Map, Value, json};
use std::path::PathBuf;
use std::sync::Arc;

/// An upload as the HTTP edge staged it.
#[derive(Debug)]
pub struct Upload {
    /// The name the client gave.
    pub filename: String,
    /// The content type the client declared.
    pub content_type: Option<String>,
    /// The bytes, staged in the blob store's staging folder.
    pub staged: PathBuf,
    /// How many bytes.
    pub size: u64,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
    /// The `metadata` form field (a JSON object), as sent.
    pub metadata: Option<String>,
    /// Extract the text.
    pub process: bool,
    /// Extract in the background (false: answer when done).
    pub in_background: bool,
}

fn error(text: &str) -> ServiceError {
    ServiceError::invalid(format!("[ERROR: {text}]"))
}

fn metadata(raw: Option<&str>) -> ServiceResult<Map<String, Value>> {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(Map::new());
    };
    match serde_json::from_str::<Value>(raw) {
        Ok(Value::Object(mut map)) => {
            let mut value = Value::Object(std::mem::take(&mut map));
            strip_nul_json(&mut value);
            Ok(value.as_object().cloned().unwrap_or_default())
        }
        Ok(Value::Null) => Ok(Map::new()),
        _ => Err(error("Invalid metadata format")),
    }
}

/// The extension Open WebUI checks against the allowed list: after the last dot, lower-cased.
fn extension_of(name: &str) -> String {
    name.rsplit_once('.')
        .filter(|(stem, _)| !stem.is_empty())
        .map(|(_, ext)| ext.to_lowercase())
        .unwrap_or_default()
}

fn check_limits(app: &App, upload: &Upload, name: &str) -> ServiceResult<()> {
    let allowed = allowed_extensions(app);
    let extension = extension_of(name);
    if upload.process && !allowed.is_empty() && !allowed.contains(&extension) {
        return Err(error(&format!("File type {extension} is not allowed")));
    }
    if let Some(max) = max_size_mb(app)
        && upload.size > max.saturating_mul(1024 * 1024)
    {
        return Err(too_large(max));
    }
    Ok(())
}

fn record(
    user: &User,
    upload: &Upload,
    name: String,
    path: String,
    meta: Map<String, Value>,
) -> StoredFile {
    let now = now_epoch();
    let file_hash = meta
        .get("file_hash")
        .and_then(Value::as_str)
        .map_or_else(|| upload.sha256.clone(), str::to_owned);
    let mut data = Map::new();
    if upload.process {
        data.insert("status".into(), json!("pending"));
    }
    let meta = json!({
        "name": name,
        "content_type": upload.content_type,
        "size": upload.size,
        "file_hash": file_hash,
        "data": meta,
    });
    StoredFile {
        id: FileId::generate(),
        user_id: user.id.clone(),
        hash: None,
        filename: name,
        path: Some(path),
        data,
        meta: meta.as_object().cloned().unwrap_or_default(),
        created_at: now,
        updated_at: now,
    }
}

/// Stores an upload and starts its processing.
pub async fn upload(app: &Arc<App>, user: &User, upload: Upload) -> ServiceResult<FileResponse> {
    let meta = metadata(upload.metadata.as_deref())?;
    let name = clean_filename(&upload.filename);
    check_limits(app, &upload, &name)?;
    let id = FileId::generate();
    let path = app
        .files
        .blobs
        .put(&blob_name(&id, &name), &upload.staged)
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "storing an upload failed");
            error("Error uploading file")
        })?;
    let mut file = record(user, &upload, name, path.clone(), meta);
    file.id = id;
    if let Err(e) = app.storage.files().insert_file(&file).await {
        if let Err(cleanup) = app.files.blobs.delete(&path).await {
            tracing::warn!(error = %cleanup, "removing the blob of an unrecorded upload failed");
        }
        return Err(e.into());
    }
    if !upload.process {
        return Ok(FileResponse::of(file, true));
    }
    let seen = file.updated_at;
    let id = file.id.clone();
    if upload.in_background {
        process::spawn(app, id, seen);
    } else {
        process::run(Arc::clone(app), id.clone(), seen).await;
        if let Some(done) = app.storage.files().file(&id).await? {
            file = done;
        }
    }
    let mut answer = FileResponse::of(file, true);
    answer.status = Some(true);
    Ok(answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_must_be_an_object() {
        assert!(metadata(None).is_ok_and(|m| m.is_empty()));
        assert!(metadata(Some("null")).is_ok_and(|m| m.is_empty()));
        assert!(metadata(Some(r#"{"a":"x\u0000y"}"#)).is_ok_and(|m| m["a"] == "xy"));
        assert!(metadata(Some("[1]")).is_err());
        assert!(metadata(Some("{")).is_err());
        assert_eq!(extension_of("A.TXT"), "txt");
        assert_eq!(extension_of(".env"), "");
        assert_eq!(extension_of("noext"), "");
    }
}
