//! Sharing: a frozen snapshot reachable by its token, who may open it, and the lists.

use crate::error::ApiResult;
use crate::extract::{MaybeUser, VerifiedUser};
use crate::json_body::JsonBody;
use crate::state::AppState;
use actix_web::{delete, get, post, web};
use hearth_domain::ids::{ChatId, ShareId};
use hearth_services::chats::dto::{ChatResponse, SharedEntry};
use hearth_services::chats::forms::{AccessForm, ShareForm, SharedParams};
use hearth_services::chats::share as sharing;
use hearth_services::grants::GrantBody;

/// Shares a chat (needs `chat.share`), or refreshes its snapshot if already shared.
#[utoipa::path(tag = "chats", request_body = ShareForm, responses((status = 200, body = ChatResponse)))]
#[post("/{id}/share")]
pub async fn share(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: JsonBody<Option<ShareForm>>,
) -> ApiResult<web::Json<ChatResponse>> {
    let id = ChatId::from(path.into_inner());
    let form = form.into_inner();
    Ok(web::Json(
        sharing::share(&state.app, caller.user(), &id, form).await?,
    ))
}

/// Stops sharing a chat.
#[utoipa::path(tag = "chats", responses((status = 200, body = bool)))]
#[delete("/{id}/share")]
pub async fn unshare(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<bool>> {
    let id = ChatId::from(path.into_inner());
    Ok(web::Json(
        sharing::unshare(&state.app, caller.user(), &id).await?,
    ))
}

/// Stops sharing every chat of the caller.
#[utoipa::path(tag = "chats", responses((status = 200, body = bool)))]
#[delete("/share/all")]
pub async fn unshare_all(
    state: web::Data<AppState>,
    caller: VerifiedUser,
) -> ApiResult<web::Json<bool>> {
    Ok(web::Json(
        sharing::unshare_all(&state.app, caller.user()).await?,
    ))
}

/// The caller's shared chats.
#[utoipa::path(tag = "chats", params(SharedParams), responses((status = 200, body = Vec<SharedEntry>)))]
#[get("/shared")]
pub async fn shared_list(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    params: web::Query<SharedParams>,
) -> ApiResult<web::Json<Vec<SharedEntry>>> {
    Ok(web::Json(
        sharing::shared_list(&state.app, caller.user(), params.page).await?,
    ))
}

/// Shows a shared chat to signed-in users allowed by its grants (the owner and admins
/// always): the snapshot, or the live chat for its owner in `continue` mode.
#[utoipa::path(tag = "chats", responses((status = 200, body = ChatResponse)))]
#[get("/share/{share_id}")]
pub async fn shared_chat(
    state: web::Data<AppState>,
    caller: MaybeUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<ChatResponse>> {
    let share_id = ShareId::from(path.into_inner());
    Ok(web::Json(
        sharing::shared_chat(&state.app, caller.0.as_ref(), &share_id).await?,
    ))
}

/// Who may open a shared chat.
#[utoipa::path(tag = "chats", responses((status = 200, body = Vec<GrantBody>)))]
#[get("/shared/{id}/access")]
pub async fn access(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<Vec<GrantBody>>> {
    let id = ChatId::from(path.into_inner());
    Ok(web::Json(
        sharing::access(&state.app, caller.user(), &id).await?,
    ))
}

/// Replaces who may open a shared chat (sharing with everyone needs `sharing.public_chats`).
#[utoipa::path(tag = "chats", request_body = AccessForm, responses((status = 200, body = ChatResponse)))]
#[post("/shared/{id}/access/update")]
pub async fn update_access(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: JsonBody<AccessForm>,
) -> ApiResult<web::Json<ChatResponse>> {
    let id = ChatId::from(path.into_inner());
    let chat = sharing::update_access(&state.app, caller.user(), &id, form.into_inner()).await?;
    Ok(web::Json(chat))
}
