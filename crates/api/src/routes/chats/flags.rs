//! Pins, archive, folder placement and read markers.

use super::dto::{ChatResponse, FolderMove};
use super::{check_own_folder, folder_unread_counts, own_chat};
use crate::error::{ApiError, ApiResult};
use crate::extract::VerifiedUser;
use crate::messages as msg;
use crate::state::AppState;
use actix_web::{get, post, web};
use hearth_domain::time::now_epoch;
use serde_json::{Value, json};

/// Whether a chat is pinned.
#[utoipa::path(tag = "chats", responses((status = 200, body = bool)))]
#[get("/{id}/pinned")]
pub async fn pinned_status(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<bool>> {
    Ok(web::Json(
        own_chat(&state, caller.user(), &path, msg::DEFAULT)
            .await?
            .pinned,
    ))
}

/// Pins or unpins a chat.
#[utoipa::path(tag = "chats", responses((status = 200, body = ChatResponse)))]
#[post("/{id}/pin")]
pub async fn pin(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<ChatResponse>> {
    let mut chat = own_chat(&state, caller.user(), &path, msg::DEFAULT).await?;
    let now = now_epoch();
    chat.pinned = !chat.pinned;
    chat.updated_at = now;
    chat.last_read_at = Some(now);
    state.stores.chats.save_flags(&chat).await?;
    Ok(web::Json(chat.into()))
}

/// Archives or unarchives a chat (archiving takes it out of its folder).
#[utoipa::path(tag = "chats", responses((status = 200, body = ChatResponse)))]
#[post("/{id}/archive")]
pub async fn archive(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<ChatResponse>> {
    let mut chat = own_chat(&state, caller.user(), &path, msg::DEFAULT).await?;
    let now = now_epoch();
    chat.archived = !chat.archived;
    chat.folder_id = None;
    chat.updated_at = now;
    chat.last_read_at = Some(now);
    state.stores.chats.save_flags(&chat).await?;
    Ok(web::Json(chat.into()))
}

/// Archives every chat of the caller.
#[utoipa::path(tag = "chats", responses((status = 200, body = bool)))]
#[post("/archive/all")]
pub async fn archive_all(
    state: web::Data<AppState>,
    caller: VerifiedUser,
) -> ApiResult<web::Json<bool>> {
    let user = &caller.user().id;
    let folders: Vec<String> = state
        .stores
        .folders
        .folders(user)
        .await?
        .into_iter()
        .map(|f| f.id)
        .collect();
    state
        .stores
        .chats
        .move_out_of_folders(user, &folders, None)
        .await?;
    state.stores.chats.set_archived_for_user(user, true).await?;
    Ok(web::Json(true))
}

/// Unarchives every chat of the caller.
#[utoipa::path(tag = "chats", responses((status = 200, body = bool)))]
#[post("/unarchive/all")]
pub async fn unarchive_all(
    state: web::Data<AppState>,
    caller: VerifiedUser,
) -> ApiResult<web::Json<bool>> {
    state
        .stores
        .chats
        .set_archived_for_user(&caller.user().id, false)
        .await?;
    Ok(web::Json(true))
}

/// Moves a chat into a folder (or out, with `null`); it is unpinned and unarchived.
#[utoipa::path(tag = "chats", request_body = FolderMove, responses((status = 200, body = ChatResponse)))]
#[post("/{id}/folder")]
pub async fn move_to_folder(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: web::Json<FolderMove>,
) -> ApiResult<web::Json<ChatResponse>> {
    let user = caller.user();
    let mut chat = own_chat(&state, user, &path, msg::DEFAULT).await?;
    let target = form.into_inner().folder_id;
    check_own_folder(&state, user, target.as_deref()).await?;
    let now = now_epoch();
    chat.archived = chat.archived && target.is_none();
    chat.folder_id = target;
    chat.pinned = false;
    chat.updated_at = now;
    chat.last_read_at = Some(now);
    state.stores.chats.save_flags(&chat).await?;
    Ok(web::Json(chat.into()))
}

/// Marks every chat read.
#[utoipa::path(tag = "chats", responses((status = 200, body = Object)))]
#[post("/read")]
pub async fn read_all(
    state: web::Data<AppState>,
    caller: VerifiedUser,
) -> ApiResult<web::Json<Value>> {
    let user = caller.user();
    let updated = state
        .stores
        .chats
        .mark_read(&user.id, None, now_epoch())
        .await?;
    let counts = folder_unread_counts(&state, user).await?;
    Ok(web::Json(
        json!({"updated_count": updated, "folder_unread_counts": counts}),
    ))
}

/// Marks a chat unread.
#[utoipa::path(tag = "chats", responses((status = 200, body = Object)))]
#[post("/{id}/unread")]
pub async fn unread(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<Value>> {
    let user = caller.user();
    let mut chat = match state.stores.chats.get(&path).await? {
        Some(chat) if chat.user_id == user.id => chat,
        _ => return Err(ApiError::not_found(msg::NOT_FOUND)),
    };
    chat.last_read_at = Some(0);
    state.stores.chats.save_flags(&chat).await?;
    let counts = folder_unread_counts(&state, user).await?;
    Ok(web::Json(json!({
        "chat_id": chat.id, "last_read_at": 0, "folder_id": chat.folder_id, "folder_unread_counts": counts,
    })))
}
