//! Changing files: replacing the extracted text, renaming, deleting one, deleting all.

use super::access::{Need, file_for};
use super::dto::{ContentForm, FileResponse, MessageResponse, RenameForm};
use super::limits::{max_size_mb, too_large};
use super::process::{EMPTY_CONTENT, index_and_record, text_hash};
use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::messages as msg;
use hearth_domain::file::{FileStatus, StoredFile, clean_filename};
use hearth_domain::ids::FileId;
use hearth_domain::text::strip_nul;
use hearth_domain::time::now_epoch;
use hearth_domain::{Role, User};
use serde_json::{Map, Value, json};

/// Replaces a file's extracted text (the owner, an admin); the file counts as processed.
pub async fn update_content(
    app: &App,
    user: &User,
    id: &FileId,
    form: ContentForm,
) -> ServiceResult<ContentForm> {
    file_for(app, user, id, Need::Write).await?;
    let content = strip_nul(&form.content);
    if content.trim().is_empty() {
        return Err(ServiceError::invalid(EMPTY_CONTENT));
    }
    if let Some(max) = max_size_mb(app)
        && u64::try_from(content.len()).unwrap_or(u64::MAX) > max.saturating_mul(1024 * 1024)
    {
        return Err(too_large(max));
    }
    let mut data = Map::new();
    data.insert("content".into(), Value::from(content.clone()));
    data.insert("status".into(), json!(FileStatus::Completed.as_str()));
    data.insert("error".into(), Value::Null);
    let hash = text_hash(&content);
    let files = app.storage.files();
    files
        .update_file_data(id, data, Some(hash.clone()), now_epoch())
        .await?;
    if let Some(file) = files.file(id).await?
        && let Err(reason) = index_and_record(app, &file, &content, &hash).await
    {
        tracing::warn!(%reason, file = id.as_str(), "re-indexing edited text failed");
        return Err(ServiceError::Internal(reason));
    }
    Ok(ContentForm { content })
}

/// Renames a file (display name only; the stored blob keeps its generated name).
pub async fn rename(
    app: &App,
    user: &User,
    id: &FileId,
    form: RenameForm,
) -> ServiceResult<FileResponse> {
    file_for(app, user, id, Need::Write).await?;
    let name = clean_filename(&form.filename);
    let files = app.storage.files();
    if !files.rename_file(id, &name, now_epoch()).await? {
        return Err(ServiceError::invalid("[ERROR: Error renaming file]"));
    }
    let file = files
        .file(id)
        .await?
        .ok_or_else(|| ServiceError::not_found(msg::NOT_FOUND))?;
    Ok(FileResponse::of(file, true))
}

/// Deletes a file: its record, its chat links and its bytes.
pub async fn delete(app: &App, user: &User, id: &FileId) -> ServiceResult<MessageResponse> {
    let file = file_for(app, user, id, Need::Write).await?;
    purge(app, &file).await?;
    Ok(MessageResponse {
        message: "File deleted successfully".into(),
    })
}

/// Removes a file everywhere: its record (with its chat links), its chunks and its bytes.
pub async fn purge(app: &App, file: &StoredFile) -> ServiceResult<()> {
    let id = &file.id;
    if !app.storage.files().delete_file(id).await? {
        return Err(ServiceError::invalid("[ERROR: Error deleting file]"));
    }
    let collection = format!("file-{}", id.as_str());
    if let Err(e) = app.retrieval.vectors.delete_collection(&collection).await {
        tracing::warn!(error = %e, file = id.as_str(), "removing a deleted file's chunks failed");
    }
    if let Some(path) = file.path.as_deref()
        && let Err(e) = app.files.blobs.delete(path).await
    {
        tracing::warn!(error = %e, file = id.as_str(), "removing a deleted file's bytes failed");
        return Err(ServiceError::invalid("[ERROR: Error deleting files]"));
    }
    Ok(())
}

/// Deletes every file of every user (admins only).
pub async fn delete_all(app: &App, user: &User) -> ServiceResult<MessageResponse> {
    if user.role != Role::Admin {
        return Err(ServiceError::unauthorized(msg::ACCESS_PROHIBITED));
    }
    app.storage.files().delete_all_files().await?;
    if let Err(e) = app.retrieval.vectors.reset().await {
        tracing::warn!(error = %e, "removing all chunks failed");
    }
    app.files.blobs.delete_all().await.map_err(|e| {
        tracing::warn!(error = %e, "removing all files' bytes failed");
        ServiceError::invalid("[ERROR: Error deleting files]")
    })?;
    Ok(MessageResponse {
        message: "All files deleted successfully".into(),
    })
}
