//! Pins, archive, folder placement and read markers.

use super::access::{check_own_folder, folder_unread_counts, own_chat, own_folder_ids};
use super::dto::ChatResponse;
use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::messages as msg;
use hearth_domain::User;
use hearth_domain::ids::{ChatId, FolderId};
use hearth_domain::time::now_epoch;
use serde_json::{Value, json};

/// Whether a chat is pinned.
pub async fn pinned_status(app: &App, user: &User, id: &ChatId) -> ServiceResult<bool> {
    Ok(own_chat(app, user, id, msg::DEFAULT).await?.pinned)
}

/// Pins or unpins a chat.
pub async fn pin(app: &App, user: &User, id: &ChatId) -> ServiceResult<ChatResponse> {
    let mut chat = own_chat(app, user, id, msg::DEFAULT).await?;
    let now = now_epoch();
    chat.pinned = !chat.pinned;
    chat.updated_at = now;
    chat.last_read_at = Some(now);
    app.storage.chats().save_flags(&chat).await?;
    Ok(chat.into())
}

/// Archives or unarchives a chat (archiving takes it out of its folder).
pub async fn archive(app: &App, user: &User, id: &ChatId) -> ServiceResult<ChatResponse> {
    let mut chat = own_chat(app, user, id, msg::DEFAULT).await?;
    let now = now_epoch();
    chat.archived = !chat.archived;
    chat.folder_id = None;
    chat.updated_at = now;
    chat.last_read_at = Some(now);
    app.storage.chats().save_flags(&chat).await?;
    Ok(chat.into())
}

/// Archives every chat of the caller.
pub async fn archive_all(app: &App, user: &User) -> ServiceResult<bool> {
    let folders: Vec<FolderId> = own_folder_ids(app, user).await?;
    let chats = app.storage.chats();
    chats.move_out_of_folders(&user.id, &folders, None).await?;
    chats.set_archived_for_user(&user.id, true).await?;
    Ok(true)
}

/// Unarchives every chat of the caller.
pub async fn unarchive_all(app: &App, user: &User) -> ServiceResult<bool> {
    app.storage
        .chats()
        .set_archived_for_user(&user.id, false)
        .await?;
    Ok(true)
}

/// Moves a chat into a folder (or out, with `None`); it is unpinned and unarchived.
pub async fn move_to_folder(
    app: &App,
    user: &User,
    id: &ChatId,
    target: Option<FolderId>,
) -> ServiceResult<ChatResponse> {
    let mut chat = own_chat(app, user, id, msg::DEFAULT).await?;
    check_own_folder(app, user, target.as_ref()).await?;
    let now = now_epoch();
    chat.archived = chat.archived && target.is_none();
    chat.folder_id = target;
    chat.pinned = false;
    chat.updated_at = now;
    chat.last_read_at = Some(now);
    app.storage.chats().save_flags(&chat).await?;
    Ok(chat.into())
}

/// Marks every chat read.
pub async fn read_all(app: &App, user: &User) -> ServiceResult<Value> {
    let updated = app
        .storage
        .chats()
        .mark_read(&user.id, None, now_epoch())
        .await?;
    let counts = folder_unread_counts(app, user).await?;
    Ok(json!({"updated_count": updated, "folder_unread_counts": counts}))
}

/// Marks a chat unread.
pub async fn unread(app: &App, user: &User, id: &ChatId) -> ServiceResult<Value> {
    let mut chat = match app.storage.chats().get(id).await? {
        Some(chat) if chat.user_id == user.id => chat,
        _ => return Err(ServiceError::not_found(msg::NOT_FOUND)),
    };
    chat.last_read_at = Some(0);
    app.storage.chats().save_flags(&chat).await?;
    let counts = folder_unread_counts(app, user).await?;
    Ok(json!({
        "chat_id": chat.id, "last_read_at": 0, "folder_id": chat.folder_id,
        "folder_unread_counts": counts,
    }))
}
