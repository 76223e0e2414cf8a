//! Keeping a knowledge base's index in step with its files: re-indexing one file, adding
//! several at once, emptying a knowledge base, and (admins) re-indexing every knowledge base
//! after the embedding engine or chunking changed.

use super::access::{delete_if_mine, knowledge_for};
use super::dto::{FileIdForm, KnowledgeResponse};
use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::files::readable_file;
use crate::messages as msg;
use crate::retrieval::index_into;
use hearth_domain::file::StoredFile;
use hearth_domain::ids::{FileId, KnowledgeId};
use hearth_domain::time::now_epoch;
use hearth_domain::{Role, User};

/// The stored text of a file, or the error of a file that has none.
fn text_of(file: &StoredFile) -> ServiceResult<String> {
    file.content()
        .filter(|t| !t.trim().is_empty())
        .map(str::to_owned)
        .ok_or_else(|| ServiceError::invalid(crate::files::EMPTY_CONTENT))
}

/// Re-indexes one of a knowledge base's files from its stored text.
pub async fn update_file(
    app: &App,
    user: &User,
    id: &KnowledgeId,
    form: FileIdForm,
) -> ServiceResult<KnowledgeResponse> {
    let knowledge = knowledge_for(app, user, id, true).await?;
    let file_id = FileId::from(form.file_id);
    let linked = app
        .storage
        .knowledge()
        .knowledge_files(&knowledge.id)
        .await?
        .contains(&file_id);
    let file = match app.storage.files().file(&file_id).await? {
        Some(file) if linked => file,
        _ => return Err(ServiceError::invalid(msg::NOT_FOUND)),
    };
    let text = text_of(&file)?;
    let hash = file.hash.clone().unwrap_or_default();
    index_into(app, knowledge.id.as_str(), &file, &text, &hash, false)
        .await
        .map_err(ServiceError::invalid)?;
    super::manage::get(app, user, id).await
}

/// Adds several processed files the caller may read (those linked already are skipped); one
/// missing file refuses the whole batch.
pub async fn add_files(
    app: &App,
    user: &User,
    id: &KnowledgeId,
    forms: Vec<FileIdForm>,
) -> ServiceResult<KnowledgeResponse> {
    let knowledge = knowledge_for(app, user, id, true).await?;
    let store = app.storage.knowledge();
    let linked = store.knowledge_files(&knowledge.id).await?;
    let mut files = Vec::new();
    for form in forms {
        let file_id = FileId::from(form.file_id);
        let Some(file) = readable_file(app, user, &file_id).await? else {
            return Err(ServiceError::invalid(format!(
                "File {} not found",
                file_id.as_str()
            )));
        };
        if !linked.contains(&file.id) && !files.iter().any(|f: &StoredFile| f.id == file.id) {
            files.push(file);
        }
    }
    for file in files {
        match index_text_of(app, knowledge.id.as_str(), &file).await {
            Ok(()) => {
                store
                    .add_knowledge_file(&knowledge.id, &file.id, &user.id, now_epoch())
                    .await?;
            }
            Err(e) => tracing::warn!(error = %e, file = file.id.as_str(), "not adding a file"),
        }
    }
    super::manage::get(app, user, id).await
}

/// Empties a knowledge base: its chunks and file links go, and the files the caller owns (an
/// admin: all of them) are deleted, as Open WebUI does without file retention.
pub async fn reset(app: &App, user: &User, id: &KnowledgeId) -> ServiceResult<KnowledgeResponse> {
    let mut knowledge = knowledge_for(app, user, id, true).await?;
    let store = app.storage.knowledge();
    if let Err(e) = app.retrieval.vectors.delete_collection(id.as_str()).await {
        tracing::warn!(error = %e, knowledge = id.as_str(), "removing a knowledge base's chunks failed");
    }
    for file_id in store.knowledge_files(&knowledge.id).await? {
        store.remove_knowledge_file(&knowledge.id, &file_id).await?;
        delete_if_mine(app, user, &file_id).await?;
    }
    knowledge.updated_at = now_epoch();
    store.save_knowledge(&knowledge).await?;
    let write = super::access::can_write(app, user, &knowledge);
    Ok(KnowledgeResponse::of(knowledge, write, None))
}

/// Re-indexes every knowledge base and its files from their stored text (admins): each
/// collection is dropped and built again with the current engine and chunking.
pub async fn reindex(app: &App, user: &User) -> ServiceResult<bool> {
    if user.role != Role::Admin {
        return Err(ServiceError::unauthorized(msg::UNAUTHORIZED));
    }
    for knowledge in app.storage.knowledge().knowledge_bases().await? {
        reindex_knowledge(app, &knowledge.id).await?;
    }
    Ok(true)
}

/// Builds one knowledge base's collection again (skipped when it cannot be dropped).
async fn reindex_knowledge(app: &App, id: &KnowledgeId) -> ServiceResult<()> {
    if let Err(e) = app.retrieval.vectors.delete_collection(id.as_str()).await {
        tracing::warn!(error = %e, knowledge = id.as_str(), "skipping a knowledge base");
        return Ok(());
    }
    for file_id in app.storage.knowledge().knowledge_files(id).await? {
        if let Err(e) = reindex_file(app, id.as_str(), &file_id).await {
            tracing::warn!(error = %e, file = file_id.as_str(), "re-indexing a file failed");
        }
    }
    Ok(())
}

/// Indexes a file's stored text into `collection` (replacing its chunks there).
async fn index_text_of(app: &App, collection: &str, file: &StoredFile) -> Result<(), String> {
    let text = text_of(file).map_err(|e| e.to_string())?;
    let hash = file.hash.clone().unwrap_or_default();
    index_into(app, collection, file, &text, &hash, false).await?;
    Ok(())
}

/// Indexes a file again into its own collection and the knowledge base's `collection`.
async fn reindex_file(app: &App, collection: &str, file_id: &FileId) -> Result<(), String> {
    let Some(file) = app
        .storage
        .files()
        .file(file_id)
        .await
        .map_err(|e| e.to_string())?
    else {
        return Ok(());
    };
    let text = text_of(&file).map_err(|e| e.to_string())?;
    let hash = file.hash.clone().unwrap_or_default();
    crate::files::index_and_record(app, &file, &text, &hash).await?;
    index_into(app, collection, &file, &text, &hash, false).await?;
    Ok(())
}
