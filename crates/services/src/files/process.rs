//! Text-extraction jobs. A job waits for a free slot (`pending`), claims the file with a
//! compare-and-set on `updated_at` (so across instances one job runs it), extracts within the
//! time limit and records `completed` with the text or `failed` with the reason. Jobs that a
//! stop or crash interrupted are claimed again at start: at once on SQLite, and on a shared
//! database once no other instance can still be running them (their time limit has passed).

use crate::App;
use hearth_domain::StoreResult;
use hearth_domain::UserId;
use hearth_domain::file::{FileStatus, StoredFile};
use hearth_domain::ids::{FileId, KnowledgeId};
use hearth_domain::ports::ContentKind;
use hearth_domain::time::now_epoch;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;

/// Open WebUI's text for a file without text.
pub const EMPTY_CONTENT: &str = "The content provided is empty. Please ensure that there is text or data present before proceeding.";

/// Starts a job for a file last written at `seen`.
pub(crate) fn spawn(app: &Arc<App>, id: FileId, seen: i64) {
    let app = Arc::clone(app);
    tokio::spawn(run(app, id, seen));
}

/// Runs a job for a file last written at `seen` (does nothing if someone else took it).
pub(crate) async fn run(app: Arc<App>, id: FileId, seen: i64) {
    let slots = Arc::clone(&app.files.slots);
    let Ok(_slot) = slots.acquire_owned().await else {
        return;
    };
    let files = app.storage.files();
    match files.claim_file(&id, seen, now_epoch()).await {
        Ok(true) => {}
        Ok(false) => return,
        Err(e) => {
            tracing::warn!(error = %e, file = id.as_str(), "claiming a file job failed");
            return;
        }
    }
    let outcome = match files.file(&id).await {
        Ok(Some(file)) => {
            let work = extract(&app, &file);
            match tokio::time::timeout(app.files.timeout, work).await {
                Ok(outcome) => outcome,
                Err(_) => Err(format!(
                    "Processing took longer than {} seconds and was stopped",
                    app.files.timeout.as_secs()
                )),
            }
        }
        Ok(None) => return,
        Err(e) => Err(e.to_string()),
    };
    let outcome = match outcome {
        Ok(Some(text)) => index(&app, &id, text).await,
        other => other,
    };
    finish(&app, &id, outcome).await;
}

/// Indexes the extracted text for retrieval (when embedding runs here); the text stays the
/// outcome, an embedding failure fails the file as Open WebUI's does.
async fn index(app: &App, id: &FileId, text: String) -> Outcome {
    let Ok(Some(file)) = app.storage.files().file(id).await else {
        return Ok(Some(text));
    };
    let hash = text_hash(&text);
    index_and_record(app, &file, &text, &hash).await?;
    link_knowledge(app, &file, &text, &hash).await;
    Ok(Some(text))
}

/// Indexes a file's text into its own collection and records the collection's name
/// (`meta.collection_name`); nothing when embedding is off. The error is the indexing failure.
pub(crate) async fn index_and_record(
    app: &App,
    file: &StoredFile,
    text: &str,
    hash: &str,
) -> Result<(), String> {
    if let Some(collection) = crate::retrieval::index_file(app, file, text, hash).await? {
        let mut meta = Map::new();
        meta.insert("collection_name".into(), Value::from(collection));
        app.storage
            .files()
            .update_file_meta(&file.id, meta)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The knowledge base an upload names (`metadata.knowledge_id`) when its uploader may change
/// it (Open WebUI ignores the others).
async fn target_knowledge(app: &App, file: &StoredFile) -> Option<(KnowledgeId, UserId)> {
    let named = file.meta.get("data")?.get("knowledge_id")?.as_str()?;
    let id = KnowledgeId::from(named);
    let knowledge = app.storage.knowledge().knowledge(&id).await.ok()??;
    let uploader = app.storage.users().get(&file.user_id).await.ok()??;
    if crate::permissions::may_write_knowledge(app, &uploader, &knowledge) {
        Some((id, uploader.id))
    } else {
        tracing::warn!(
            file = file.id.as_str(),
            "not linking an upload to a knowledge base its uploader may not change"
        );
        None
    }
}

/// Adds a file uploaded from a knowledge base's page to it, indexed into its collection.
async fn link_knowledge(app: &App, file: &StoredFile, text: &str, hash: &str) {
    let Some((id, uploader)) = target_knowledge(app, file).await else {
        return;
    };
    let indexed = crate::retrieval::index_into(app, id.as_str(), file, text, hash, false).await;
    if let Err(e) = indexed {
        tracing::warn!(error = %e, "indexing an upload into its knowledge base failed");
        return;
    }
    let knowledge = app.storage.knowledge();
    if let Err(e) = knowledge
        .add_knowledge_file(&id, &file.id, &uploader, now_epoch())
        .await
    {
        tracing::warn!(error = %e, "linking an upload to its knowledge base failed");
        return;
    }
    place_in_folder(app, &id, file).await;
}

/// Puts an upload made inside a knowledge base's folder (`metadata.directory_id`) into it,
/// when the folder is still there.
async fn place_in_folder(app: &App, id: &KnowledgeId, file: &StoredFile) {
    let Some(folder) = file
        .meta
        .get("data")
        .and_then(|d| d.get("directory_id"))
        .and_then(Value::as_str)
    else {
        return;
    };
    let knowledge = app.storage.knowledge();
    let exists = knowledge
        .directories(id)
        .await
        .is_ok_and(|all| all.iter().any(|d| d.id == folder));
    if !exists {
        return;
    }
    let moved = knowledge
        .move_files(
            id,
            std::slice::from_ref(&file.id),
            Some(folder),
            now_epoch(),
        )
        .await;
    if let Err(e) = moved {
        tracing::warn!(error = %e, "putting an upload into its folder failed");
    }
}

/// What a job found: the text (`None`: nothing to extract), or the error to show.
type Outcome = Result<Option<String>, String>;

async fn extract(app: &App, file: &StoredFile) -> Outcome {
    let Some(path) = file.path.as_deref() else {
        return Err("Original file is unavailable.".into());
    };
    let bytes = match app.files.blobs.read(path).await {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Err("Original file is unavailable.".into()),
        Err(e) => return Err(e.to_string()),
    };
    let declared = file.content_type();
    let head = bytes.get(..bytes.len().min(8192)).unwrap_or_default();
    match app.files.extractor.kind(file.name(), declared, head) {
        ContentKind::Video => Ok(None),
        ContentKind::Image | ContentKind::Audio => Err(format!(
            "File type {} is not supported for processing",
            declared.unwrap_or("application/octet-stream")
        )),
        ContentKind::Document => {
            let extracted = app
                .files
                .extractor
                .extract(bytes, file.name(), declared)
                .await?;
            let text = extracted.text();
            if text.trim().is_empty() {
                Err(EMPTY_CONTENT.into())
            } else {
                Ok(Some(text))
            }
        }
    }
}

/// SHA-256 of a text, hex (the file's `hash`).
pub(crate) fn text_hash(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn finish(app: &App, id: &FileId, outcome: Outcome) {
    let mut data = Map::new();
    let mut hash = None;
    match outcome {
        Ok(text) => {
            data.insert("status".into(), json!(FileStatus::Completed.as_str()));
            data.insert("error".into(), Value::Null);
            if let Some(text) = text {
                hash = Some(text_hash(&text));
                data.insert("content".into(), Value::from(text));
            }
        }
        Err(reason) => {
            tracing::info!(file = id.as_str(), %reason, "file processing failed");
            data.insert("status".into(), json!(FileStatus::Failed.as_str()));
            data.insert("error".into(), Value::from(reason));
        }
    }
    let saved = app
        .storage
        .files()
        .update_file_data(id, data, hash, now_epoch())
        .await;
    if let Err(e) = saved {
        tracing::warn!(error = %e, file = id.as_str(), "recording a file job's end failed");
    }
}

/// How long to wait before taking over an unfinished job last written at `updated_at`.
fn takeover_delay(app: &App, updated_at: i64, now: i64) -> Duration {
    if app.settings.database().url.starts_with("sqlite") {
        return Duration::ZERO;
    }
    let limit = i64::try_from(app.files.timeout.as_secs()).unwrap_or(i64::MAX);
    let due = updated_at.saturating_add(limit).saturating_add(30);
    Duration::from_secs(u64::try_from(due.saturating_sub(now)).unwrap_or(0))
}

/// Schedules the jobs a stop or crash left unfinished; returns how many.
pub async fn recover_unfinished(app: &Arc<App>) -> StoreResult<usize> {
    let unfinished = app.storage.files().unfinished_files().await?;
    let now = now_epoch();
    for file in &unfinished {
        let delay = takeover_delay(app, file.updated_at, now);
        let (app, id, seen) = (Arc::clone(app), file.id.clone(), file.updated_at);
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            run(app, id, seen).await;
        });
    }
    if !unfinished.is_empty() {
        tracing::info!(
            jobs = unfinished.len(),
            "resuming interrupted file processing"
        );
    }
    Ok(unfinished.len())
}
