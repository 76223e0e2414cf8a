//! The files of a knowledge base: listed, added (the caller must be able to read the file;
//! its chunks go into the knowledge base's collection) and removed.

use super::access::knowledge_for;
use super::dto::{FileIdForm, KnowledgeFileItem, KnowledgeFileList, KnowledgeResponse, ListParams};
use super::listing::placed_files;
use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::files::dto::FileResponse;
use crate::files::readable_file;
use crate::messages as msg;
use crate::retrieval::index_into;
use hearth_domain::User;
use hearth_domain::ids::{FileId, KnowledgeId};
use hearth_domain::time::now_epoch;

/// Files of the knowledge bases the caller may read whose name contains `query`.
pub async fn search_files(
    app: &App,
    user: &User,
    params: &ListParams,
) -> ServiceResult<KnowledgeFileList> {
    let query = params
        .query
        .as_deref()
        .map(str::to_lowercase)
        .unwrap_or_default();
    let mut items: Vec<KnowledgeFileItem> = Vec::new();
    for base in app.storage.knowledge().knowledge_bases().await? {
        if !super::access::can_read(app, user, &base) {
            continue;
        }
        for item in placed_files(app, &base.id, |_| true).await? {
            let name = item.file.filename.to_lowercase();
            let matches = query.is_empty() || name.contains(&query);
            if matches && !items.iter().any(|f| f.file.id == item.file.id) {
                items.push(item);
            }
        }
    }
    Ok(KnowledgeFileList {
        total: u64::try_from(items.len()).unwrap_or(u64::MAX),
        items,
        directories: Vec::new(),
        breadcrumbs: Vec::new(),
    })
}

/// Adds a processed file the caller may read; its chunks are indexed into the knowledge
/// base's collection.
pub async fn add_file(
    app: &App,
    user: &User,
    id: &KnowledgeId,
    form: FileIdForm,
) -> ServiceResult<KnowledgeResponse> {
    let knowledge = knowledge_for(app, user, id, true).await?;
    let folder = form.directory_id.filter(|d| !d.is_empty());
    if let Some(dir) = &folder
        && !app
            .storage
            .knowledge()
            .directories(&knowledge.id)
            .await?
            .iter()
            .any(|d| &d.id == dir)
    {
        return Err(ServiceError::not_found("Target directory not found."));
    }
    let file_id = FileId::from(form.file_id);
    let Some(file) = readable_file(app, user, &file_id).await? else {
        return Err(ServiceError::invalid(msg::NOT_FOUND));
    };
    let Some(text) = file
        .content()
        .filter(|t| !t.trim().is_empty())
        .map(str::to_owned)
    else {
        return Err(ServiceError::invalid(crate::files::EMPTY_CONTENT));
    };
    let hash = file.hash.clone().unwrap_or_default();
    index_into(app, knowledge.id.as_str(), &file, &text, &hash, false)
        .await
        .map_err(ServiceError::invalid)?;
    let store = app.storage.knowledge();
    store
        .add_knowledge_file(&knowledge.id, &file.id, &user.id, now_epoch())
        .await?;
    if folder.is_some() {
        store
            .move_files(
                &knowledge.id,
                std::slice::from_ref(&file.id),
                folder.as_deref(),
                now_epoch(),
            )
            .await?;
    }
    super::manage::get(app, user, id).await
}

/// Removes a file from a knowledge base (and its chunks there); the file itself stays.
pub async fn remove_file(
    app: &App,
    user: &User,
    id: &KnowledgeId,
    form: FileIdForm,
) -> ServiceResult<KnowledgeResponse> {
    let knowledge = knowledge_for(app, user, id, true).await?;
    let file_id = FileId::from(form.file_id);
    if !app
        .storage
        .knowledge()
        .remove_knowledge_file(&knowledge.id, &file_id)
        .await?
    {
        return Err(ServiceError::invalid(msg::NOT_FOUND));
    }
    if let Err(e) = app
        .retrieval
        .vectors
        .delete_file(knowledge.id.as_str(), file_id.as_str())
        .await
    {
        tracing::warn!(error = %e, "removing a file's chunks from a knowledge base failed");
    }
    super::manage::get(app, user, id).await
}

/// Files uploaded into a knowledge base (`meta.data.knowledge_id`) whose processing has not
/// ended, so not linked yet: what its page shows as processing after a reload.
pub async fn pending(app: &App, user: &User, id: &KnowledgeId) -> ServiceResult<Vec<FileResponse>> {
    let knowledge = knowledge_for(app, user, id, false).await?;
    pending_of(app, &knowledge.id).await
}

async fn pending_of(app: &App, id: &KnowledgeId) -> ServiceResult<Vec<FileResponse>> {
    let linked = app.storage.knowledge().knowledge_files(id).await?;
    let mut files: Vec<_> = app
        .storage
        .files()
        .unfinished_files()
        .await?
        .into_iter()
        .filter(|f| {
            let target = f.meta.get("data").and_then(|d| d.get("knowledge_id"));
            target.and_then(serde_json::Value::as_str) == Some(id.as_str())
                && !linked.contains(&f.id)
        })
        .collect();
    files.sort_by_key(|f| std::cmp::Reverse(f.created_at));
    Ok(files
        .into_iter()
        .map(|f| FileResponse::of(f, false))
        .collect())
}

/// How often the pending list is sent again, and for how long at most (an hour).
const PENDING_EVERY: std::time::Duration = std::time::Duration::from_secs(3);
const PENDING_POLLS: u32 = 1200;

/// [`pending`] as a stream: the list now, then every 3 seconds, ending after an empty one.
pub async fn pending_events(
    app: &std::sync::Arc<App>,
    user: &User,
    id: &KnowledgeId,
) -> ServiceResult<impl futures_util::Stream<Item = serde_json::Value> + Send + 'static> {
    let knowledge = knowledge_for(app, user, id, false).await?;
    let state = (std::sync::Arc::clone(app), knowledge.id, 0_u32, false);
    Ok(futures_util::stream::unfold(
        state,
        |(app, id, polls, done)| async move {
            if done || polls >= PENDING_POLLS {
                return None;
            }
            if polls > 0 {
                tokio::time::sleep(PENDING_EVERY).await;
            }
            let files = match pending_of(&app, &id).await {
                Ok(files) => files,
                Err(e) => {
                    tracing::warn!(error = %e, "listing pending knowledge files failed");
                    return None;
                }
            };
            let done = files.is_empty();
            let event = serde_json::to_value(files).unwrap_or_default();
            Some((event, (app, id, polls + 1, done)))
        },
    ))
}
