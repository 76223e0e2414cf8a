//! Editing single messages, and forking a chat at a message.

use super::dto::ChatResponse;
use super::{NewChat, build_chat, check_can_create, may, message_records};
use crate::error::{ApiError, ApiResult};
use crate::extract::VerifiedUser;
use crate::messages as msg;
use crate::state::AppState;
use actix_web::{delete, post, web};
use hearth_domain::chat::Chat;
use hearth_domain::chat::document::{
    ForkError, current_message_id, delete_message, fork_branch, messages_of,
};
use hearth_domain::text::strip_nul;
use hearth_domain::time::now_epoch;
use hearth_domain::{Role, User};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

/// A chat the caller may edit: their own, or any for an admin (401 otherwise).
async fn editable_chat(state: &AppState, user: &User, id: &str) -> ApiResult<Chat> {
    match state.stores.chats.get(id).await? {
        Some(chat) if chat.user_id == user.id || user.role == Role::Admin => Ok(chat),
        _ => Err(ApiError::unauthorized(msg::ACCESS_PROHIBITED)),
    }
}

/// Body of `POST /{id}/messages/{message_id}`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MessageForm {
    /// New content.
    pub content: Option<String>,
    /// Voice metadata.
    #[schema(value_type = Option<Object>)]
    pub voice: Option<Value>,
}

/// Replaces one message's content (or voice metadata).
#[utoipa::path(tag = "chats", request_body = MessageForm, responses((status = 200, body = ChatResponse)))]
#[post("/{id}/messages/{message_id}")]
pub async fn update_message(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<(String, String)>,
    form: web::Json<MessageForm>,
) -> ApiResult<web::Json<ChatResponse>> {
    let (id, message_id) = path.into_inner();
    let mut chat = editable_chat(&state, caller.user(), &id).await?;
    let form = form.into_inner();
    if form.content.is_none() && form.voice.is_none() {
        return Err(ApiError::bad_request("No message changes supplied"));
    }
    let pointer = format!(
        "/history/messages/{}",
        message_id.replace('~', "~0").replace('/', "~1")
    );
    let Some(message) = chat
        .document
        .pointer_mut(&pointer)
        .filter(|m| m.is_object())
    else {
        return Err(ApiError::not_found(msg::NOT_FOUND));
    };
    if let Some(content) = form.content {
        message["content"] = json!(strip_nul(&content));
    }
    if let Some(voice) = form.voice {
        let mut meta = message
            .get("meta")
            .filter(|m| m.is_object())
            .cloned()
            .unwrap_or_else(|| json!({}));
        meta["voice"] = voice;
        message["meta"] = meta;
    }
    let record = message_records(
        &json!({"history": {"messages": {message_id.clone(): message.clone()}}}),
        chat.user_id.as_str(),
        now_epoch(),
    );
    state
        .stores
        .chats
        .replace_document(&chat, &record, &[])
        .await?;
    Ok(web::Json(chat.into()))
}

/// Deletes a message and its direct replies (their replies move up).
#[utoipa::path(tag = "chats", responses((status = 200, body = ChatResponse)))]
#[delete("/{id}/messages/{message_id}")]
pub async fn delete_message_route(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<(String, String)>,
) -> ApiResult<web::Json<ChatResponse>> {
    let (id, message_id) = path.into_inner();
    let mut chat = editable_chat(&state, caller.user(), &id).await?;
    let Some(history) = chat.document.get_mut("history").filter(|h| h.is_object()) else {
        return Err(ApiError::not_found(msg::NOT_FOUND));
    };
    let removed = delete_message(history, &message_id);
    if removed.is_empty() {
        return Err(ApiError::not_found(msg::NOT_FOUND));
    }
    let remaining = message_records(&chat.document, chat.user_id.as_str(), now_epoch());
    chat.current_message_id = current_message_id(&chat.document);
    chat.updated_at = now_epoch();
    state
        .stores
        .chats
        .replace_document(&chat, &remaining, &removed)
        .await?;
    Ok(web::Json(chat.into()))
}

/// Body of `POST /{id}/fork`.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ForkForm {
    /// Message to fork at (default: the current one).
    pub message_id: Option<String>,
}

/// Starts a new chat from the branch ending at a message (needs `chat.import`).
#[utoipa::path(tag = "chats", request_body = ForkForm, responses((status = 200, body = ChatResponse)))]
#[post("/{id}/fork")]
pub async fn fork(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: Option<web::Json<ForkForm>>,
) -> ApiResult<web::Json<ChatResponse>> {
    let user = caller.user();
    if !may(&state, user, "chat.import") {
        return Err(ApiError::forbidden(msg::ACCESS_PROHIBITED));
    }
    check_can_create(&state, user)?;
    let source = super::readable_chat(&state, user, &path).await?;
    let at = form
        .and_then(|f| f.into_inner().message_id)
        .or_else(|| source.current_message_id.clone())
        .or_else(|| current_message_id(&source.document))
        .ok_or_else(|| ApiError::bad_request("chat has no messages to fork"))?;
    let (history, ordered) =
        fork_branch(&messages_of(&source.document), &at).map_err(|e| match e {
            ForkError::NotFound => ApiError::not_found(e.to_string()),
            other => ApiError::bad_request(other.to_string()),
        })?;
    let mut document = source.document.clone();
    if let Value::Object(map) = &mut document {
        map.remove("currentId");
        map.remove("share_mode");
        map.insert("originalChatId".into(), json!(source.id));
        map.insert("branchPointMessageId".into(), json!(at));
        map.insert("title".into(), json!(format!("{} (fork)", source.title)));
        map.insert("history".into(), history);
        map.insert("messages".into(), Value::Array(ordered));
    }
    let owner = source.user_id == user.id;
    let mut meta = if owner {
        source.meta.clone()
    } else {
        json!({})
    };
    meta["forked_from"] = json!(source.id);
    meta["forked_from_message_id"] = json!(at);
    let new = NewChat {
        document,
        meta,
        variables: json!({}),
        pinned: false,
        archived: false,
        folder_id: if owner {
            source.folder_id.clone()
        } else {
            None
        },
        created_at: None,
        updated_at: None,
    };
    let (chat, records) = build_chat(user, new, now_epoch());
    state
        .stores
        .chats
        .insert(&[(chat.clone(), records)])
        .await?;
    Ok(web::Json(chat.into()))
}
