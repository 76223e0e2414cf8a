//! Creating, reading, updating and deleting chats.

use crate::error::ApiResult;
use crate::extract::VerifiedUser;
use crate::json_body::JsonBody;
use crate::state::AppState;
use actix_web::{delete, get, patch, post, web};
use hearth_domain::ids::ChatId;
use hearth_services::chats::crud;
use hearth_services::chats::dto::ChatResponse;
use hearth_services::chats::forms::{ChatForm, CloneForm};
use serde_json::{Map, Value};

/// Creates a chat from a document (the web client's first save).
#[utoipa::path(tag = "chats", request_body = ChatForm, responses((status = 200, body = ChatResponse)))]
#[post("/new")]
pub async fn create(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    form: JsonBody<ChatForm>,
) -> ApiResult<web::Json<ChatResponse>> {
    let chat = crud::create(&state.app, caller.user(), form.into_inner()).await?;
    Ok(web::Json(chat))
}

/// One chat with its document (the owner's, or any for an admin); 401 when unknown.
#[utoipa::path(tag = "chats", responses((status = 200, body = ChatResponse)))]
#[get("/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<ChatResponse>> {
    Ok(web::Json(
        crud::get(&state.app, caller.user(), &ChatId::from(path.into_inner())).await?,
    ))
}

/// Saves keys of the document. `history` is merged with what the server has, so messages
/// written since the client read survive; `updated_at` moves only for history changes.
#[utoipa::path(tag = "chats", request_body = ChatForm, responses((status = 200, body = ChatResponse)))]
#[post("/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: JsonBody<ChatForm>,
) -> ApiResult<web::Json<ChatResponse>> {
    let chat = crud::update(
        &state.app,
        caller.user(),
        &ChatId::from(path.into_inner()),
        form.into_inner(),
    )
    .await?;
    Ok(web::Json(chat))
}

/// Merges keys into the chat's `params`; returns the merged params.
#[utoipa::path(tag = "chats", request_body = Object, responses((status = 200, body = Object)))]
#[patch("/{id}/params")]
pub async fn update_params(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: JsonBody<Map<String, Value>>,
) -> ApiResult<web::Json<Value>> {
    let params = crud::update_params(
        &state.app,
        caller.user(),
        &ChatId::from(path.into_inner()),
        form.into_inner(),
    )
    .await?;
    Ok(web::Json(params))
}

/// Deletes a chat (non-admins need `chat.delete`); unused tags go with it.
#[utoipa::path(tag = "chats", responses((status = 200, body = bool)))]
#[delete("/{id}")]
pub async fn delete(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<bool>> {
    Ok(web::Json(
        crud::delete(&state.app, caller.user(), &ChatId::from(path.into_inner())).await?,
    ))
}

/// Deletes every chat of the caller (users need `chat.delete`).
#[utoipa::path(tag = "chats", responses((status = 200, body = bool)))]
#[delete("/")]
pub async fn delete_all(
    state: web::Data<AppState>,
    caller: VerifiedUser,
) -> ApiResult<web::Json<bool>> {
    Ok(web::Json(
        crud::delete_all(&state.app, caller.user()).await?,
    ))
}

/// Copies a chat (needs `chat.import`), remembering where it came from.
#[utoipa::path(tag = "chats", request_body = CloneForm, responses((status = 200, body = ChatResponse)))]
#[post("/{id}/clone")]
pub async fn clone(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: JsonBody<Option<CloneForm>>,
) -> ApiResult<web::Json<ChatResponse>> {
    let form = form.into_inner();
    Ok(web::Json(
        crud::clone(
            &state.app,
            caller.user(),
            &ChatId::from(path.into_inner()),
            form,
        )
        .await?,
    ))
}
