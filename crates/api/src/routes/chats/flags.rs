//! Pins, archive, folder placement and read markers.

use crate::error::ApiResult;
use crate::extract::VerifiedUser;
use crate::json_body::JsonBody;
use crate::state::AppState;
use actix_web::{get, post, web};
use hearth_domain::ids::{ChatId, FolderId};
use hearth_services::chats::dto::ChatResponse;
use hearth_services::chats::flags;
use hearth_services::chats::forms::FolderMove;
use serde_json::Value;

/// Whether a chat is pinned.
#[utoipa::path(tag = "chats", responses((status = 200, body = bool)))]
#[get("/{id}/pinned")]
pub async fn pinned_status(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<bool>> {
    let id = ChatId::from(path.into_inner());
    Ok(web::Json(
        flags::pinned_status(&state.app, caller.user(), &id).await?,
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
    let id = ChatId::from(path.into_inner());
    Ok(web::Json(flags::pin(&state.app, caller.user(), &id).await?))
}

/// Archives or unarchives a chat (archiving takes it out of its folder).
#[utoipa::path(tag = "chats", responses((status = 200, body = ChatResponse)))]
#[post("/{id}/archive")]
pub async fn archive(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<ChatResponse>> {
    let id = ChatId::from(path.into_inner());
    Ok(web::Json(
        flags::archive(&state.app, caller.user(), &id).await?,
    ))
}

/// Archives every chat of the caller.
#[utoipa::path(tag = "chats", responses((status = 200, body = bool)))]
#[post("/archive/all")]
pub async fn archive_all(
    state: web::Data<AppState>,
    caller: VerifiedUser,
) -> ApiResult<web::Json<bool>> {
    Ok(web::Json(
        flags::archive_all(&state.app, caller.user()).await?,
    ))
}

/// Unarchives every chat of the caller.
#[utoipa::path(tag = "chats", responses((status = 200, body = bool)))]
#[post("/unarchive/all")]
pub async fn unarchive_all(
    state: web::Data<AppState>,
    caller: VerifiedUser,
) -> ApiResult<web::Json<bool>> {
    Ok(web::Json(
        flags::unarchive_all(&state.app, caller.user()).await?,
    ))
}

/// Moves a chat into a folder (or out, with `null`); it is unpinned and unarchived.
#[utoipa::path(tag = "chats", request_body = FolderMove, responses((status = 200, body = ChatResponse)))]
#[post("/{id}/folder")]
pub async fn move_to_folder(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: JsonBody<FolderMove>,
) -> ApiResult<web::Json<ChatResponse>> {
    let id = ChatId::from(path.into_inner());
    let target = form.into_inner().folder_id.map(FolderId::from);
    Ok(web::Json(
        flags::move_to_folder(&state.app, caller.user(), &id, target).await?,
    ))
}

/// Marks every chat read.
#[utoipa::path(tag = "chats", responses((status = 200, body = Object)))]
#[post("/read")]
pub async fn read_all(
    state: web::Data<AppState>,
    caller: VerifiedUser,
) -> ApiResult<web::Json<Value>> {
    Ok(web::Json(flags::read_all(&state.app, caller.user()).await?))
}

/// Marks a chat unread.
#[utoipa::path(tag = "chats", responses((status = 200, body = Object)))]
#[post("/{id}/unread")]
pub async fn unread(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<Value>> {
    let id = ChatId::from(path.into_inner());
    Ok(web::Json(
        flags::unread(&state.app, caller.user(), &id).await?,
    ))
}
