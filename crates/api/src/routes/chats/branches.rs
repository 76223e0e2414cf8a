//! Editing single messages, and forking a chat at a message.

use crate::error::ApiResult;
use crate::extract::VerifiedUser;
use crate::json_body::JsonBody;
use crate::state::AppState;
use actix_web::{delete, post, web};
use hearth_domain::ids::{ChatId, MessageId};
use hearth_services::chats::branches;
use hearth_services::chats::dto::ChatResponse;
use hearth_services::chats::forms::{ForkForm, MessageForm};

/// Replaces one message's content (or voice metadata).
#[utoipa::path(tag = "chats", request_body = MessageForm, responses((status = 200, body = ChatResponse)))]
#[post("/{id}/messages/{message_id}")]
pub async fn update_message(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<(String, String)>,
    form: JsonBody<MessageForm>,
) -> ApiResult<web::Json<ChatResponse>> {
    let (id, message) = path.into_inner();
    let (id, message) = (ChatId::from(id), MessageId::from(message));
    let form = form.into_inner();
    let chat = branches::update_message(&state.app, caller.user(), &id, message, form).await?;
    Ok(web::Json(chat))
}

/// Deletes a message and its direct replies (their replies move up).
#[utoipa::path(tag = "chats", responses((status = 200, body = ChatResponse)))]
#[delete("/{id}/messages/{message_id}")]
pub async fn delete_message_route(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<(String, String)>,
) -> ApiResult<web::Json<ChatResponse>> {
    let (id, message) = path.into_inner();
    let (id, message) = (ChatId::from(id), MessageId::from(message));
    let chat =
        branches::delete_message_and_replies(&state.app, caller.user(), &id, message).await?;
    Ok(web::Json(chat))
}

/// Starts a new chat from the branch ending at a message (needs `chat.import`).
#[utoipa::path(tag = "chats", request_body = ForkForm, responses((status = 200, body = ChatResponse)))]
#[post("/{id}/fork")]
pub async fn fork(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: JsonBody<Option<ForkForm>>,
) -> ApiResult<web::Json<ChatResponse>> {
    let id = ChatId::from(path.into_inner());
    let form = form.into_inner();
    Ok(web::Json(
        branches::fork(&state.app, caller.user(), &id, form).await?,
    ))
}
