//! Export (NDJSON in batches), import, archived chats and whole folders.

use super::access::{NewChat, build_chat, check_can_create, own_folder_ids};
use super::dto::ChatResponse;
use super::forms::ChatsImport;
use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::messages as msg;
use crate::permissions::may;
use futures_util::stream::{self, Stream};
use hearth_domain::chat::ChatDocument;
use hearth_domain::chat::tags::Tag;
use hearth_domain::folder::subtree_ids;
use hearth_domain::ids::{ChatId, FolderId};
use hearth_domain::ports::Storage;
use hearth_domain::time::now_epoch;
use hearth_domain::{User, UserId};
use serde_json::json;
use std::sync::Arc;

/// Chats read per database round trip while exporting.
const EXPORT_BATCH: u64 = 200;

/// Every chat of the caller as NDJSON (one `ChatResponse` per line), read in batches so
/// memory stays flat however many chats there are. A storage failure ends the stream.
pub fn export_all(app: &App, user: &User) -> impl Stream<Item = Vec<u8>> + Send + 'static {
    let storage: Arc<dyn Storage> = Arc::clone(&app.storage);
    let owner: UserId = user.id.clone();
    stream::unfold(Some(None), move |cursor: Option<Option<(i64, ChatId)>>| {
        let storage = Arc::clone(&storage);
        let owner = owner.clone();
        async move {
            let after = cursor?;
            match storage
                .chats()
                .list_full(&owner, after, EXPORT_BATCH, false)
                .await
            {
                Ok(batch) if batch.is_empty() => None,
                Ok(batch) => {
                    let next = batch.last().map(|c| (c.created_at, c.id.clone()));
                    let full = batch.len() as u64 == EXPORT_BATCH;
                    let mut lines = Vec::new();
                    for chat in batch {
                        if serde_json::to_writer(&mut lines, &ChatResponse::from(chat)).is_ok() {
                            lines.push(b'\n');
                        }
                    }
                    Some((lines, full.then_some(next)))
                }
                Err(error) => {
                    tracing::error!(%error, "chat export failed part way");
                    None
                }
            }
        }
    })
}

/// Every archived chat of the caller, with documents.
pub async fn all_archived(app: &App, user: &User) -> ServiceResult<Vec<ChatResponse>> {
    let chats = app
        .storage
        .chats()
        .list_full(&user.id, None, u64::MAX >> 1, true)
        .await?;
    Ok(chats.into_iter().map(Into::into).collect())
}

/// The chats of a folder and its subfolders, with documents.
pub async fn folder_chats(
    app: &App,
    user: &User,
    folder: &FolderId,
) -> ServiceResult<Vec<ChatResponse>> {
    let folders = app.storage.folders().folders(&user.id).await?;
    let ids = subtree_ids(&folders, folder);
    let chats = app.storage.chats().in_folders(&user.id, &ids).await?;
    Ok(chats.into_iter().map(Into::into).collect())
}

/// Imports chats (needs `chat.import`): each gets a new id; messages keep their authors;
/// tags named in `meta.tags` are created.
pub async fn import(app: &App, user: &User, form: ChatsImport) -> ServiceResult<Vec<ChatResponse>> {
    if !may(app, user, "chat.import") {
        return Err(ServiceError::forbidden(msg::ACCESS_PROHIBITED));
    }
    check_can_create(app, user)?;
    let own_folders: Vec<FolderId> = own_folder_ids(app, user).await?;
    let now = now_epoch();
    let mut built = Vec::new();
    for item in form.chats {
        let new = NewChat {
            document: ChatDocument::from(item.chat),
            meta: item.meta.unwrap_or_else(|| json!({})),
            variables: item.variables.unwrap_or_else(|| json!({})),
            pinned: item.pinned.unwrap_or(false),
            archived: item.archived.unwrap_or(false),
            folder_id: item
                .folder_id
                .map(FolderId::from)
                .filter(|f| own_folders.contains(f)),
            created_at: item.created_at,
            updated_at: item.updated_at,
        };
        built.push(build_chat(user, new, now));
    }
    for (chat, _) in &built {
        for id in chat.tag_ids() {
            let tag = Tag {
                name: id.clone(),
                id,
                user_id: user.id.to_string(),
                meta: None,
            };
            app.storage.chats().ensure_tag(&tag).await?;
        }
    }
    app.storage.chats().insert(&built).await?;
    Ok(built.into_iter().map(|(chat, _)| chat.into()).collect())
}
