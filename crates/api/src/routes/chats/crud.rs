//! Creating, reading, updating and deleting chats.

use super::dto::{ChatForm, ChatResponse, CloneForm};
use super::{
    NewChat, build_chat, check_can_create, check_own_folder, may, own_chat, readable_chat,
    set_message_authors,
};
use crate::error::{ApiError, ApiResult};
use crate::extract::VerifiedUser;
use crate::messages as msg;
use crate::state::AppState;
use actix_web::{delete, get, patch, post, web};
use hearth_domain::Role;
use hearth_domain::time::now_epoch;
use serde_json::{Map, Value, json};

/// Creates a chat from a document (the web client's first save).
#[utoipa::path(tag = "chats", request_body = ChatForm, responses((status = 200, body = ChatResponse)))]
#[post("/new")]
pub async fn create(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    form: web::Json<ChatForm>,
) -> ApiResult<web::Json<ChatResponse>> {
    let user = caller.user();
    let form = form.into_inner();
    check_own_folder(&state, user, form.folder_id.as_deref()).await?;
    check_can_create(&state, user)?;
    let mut document = Value::Object(form.chat);
    set_message_authors(&mut document, user);
    let new = NewChat {
        document,
        meta: json!({}),
        variables: form
            .variables
            .map(Value::Object)
            .unwrap_or_else(|| json!({})),
        pinned: false,
        archived: false,
        folder_id: form.folder_id,
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

/// Answers still streaming show what they have so far (from whichever instance streams them).
async fn overlay_streams(state: &AppState, document: &mut Value) {
    let Some(messages) = document
        .pointer_mut("/history/messages")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for message in messages.values_mut() {
        if message.get("done") != Some(&Value::Bool(false)) {
            continue;
        }
        let Some(task_id) = message
            .pointer("/meta/task_id")
            .and_then(Value::as_str)
            .map(str::to_owned)
        else {
            continue;
        };
        if let Some(content) = state.tasks.snapshot(&task_id).await {
            message["content"] = Value::String(content);
        }
    }
}

/// One chat with its document (the owner's, or any for an admin); 401 when unknown.
#[utoipa::path(tag = "chats", responses((status = 200, body = ChatResponse)))]
#[get("/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<ChatResponse>> {
    let mut chat = readable_chat(&state, caller.user(), &path).await?;
    overlay_streams(&state, &mut chat.document).await;
    let mut response: ChatResponse = chat.into();
    if let Value::Object(document) = &mut response.chat {
        let owner = response.user_id == caller.user().id.as_str();
        document.insert(
            "share_mode".into(),
            if owner {
                json!("continue")
            } else {
                Value::Null
            },
        );
    }
    Ok(web::Json(response))
}

/// Saves keys of the document. `history` is merged with what the server has, so messages
/// written since the client read survive; `updated_at` moves only for history changes.
#[utoipa::path(tag = "chats", request_body = ChatForm, responses((status = 200, body = ChatResponse)))]
#[post("/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: web::Json<ChatForm>,
) -> ApiResult<web::Json<ChatResponse>> {
    let user = caller.user();
    let chat = own_chat(&state, user, &path, msg::ACCESS_PROHIBITED).await?;
    let form = form.into_inner();
    let mut patch = Value::Object(form.chat);
    set_message_authors(&mut patch, user);
    let Value::Object(patch) = patch else {
        return Err(ApiError::bad_request(msg::DEFAULT));
    };
    let touch = patch.contains_key("history") || patch.contains_key("messages");
    let chats = &state.stores.chats;
    let mut updated = chats
        .update_document(&chat.id, &patch, touch, now_epoch())
        .await?
        .ok_or_else(|| ApiError::unauthorized(msg::ACCESS_PROHIBITED))?;
    if let Some(variables) = form.variables {
        let mut variables = Value::Object(variables);
        hearth_domain::text::strip_nul_json(&mut variables);
        updated.variables = variables;
        chats.save_flags(&updated).await?;
    }
    Ok(web::Json(updated.into()))
}

/// Merges keys into the chat's `params`; returns the merged params.
#[utoipa::path(tag = "chats", request_body = Object, responses((status = 200, body = Object)))]
#[patch("/{id}/params")]
pub async fn update_params(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: web::Json<Map<String, Value>>,
) -> ApiResult<web::Json<Value>> {
    let chat = own_chat(&state, caller.user(), &path, msg::ACCESS_PROHIBITED).await?;
    let mut params = match chat.document.get("params") {
        Some(Value::Object(params)) => params.clone(),
        _ => Map::new(),
    };
    params.extend(form.into_inner());
    let patch: Map<String, Value> = [("params".to_owned(), Value::Object(params))]
        .into_iter()
        .collect();
    let updated = state
        .stores
        .chats
        .update_document(&chat.id, &patch, false, now_epoch())
        .await?;
    let updated = updated.ok_or_else(|| ApiError::not_found(msg::NOT_FOUND))?;
    Ok(web::Json(
        updated
            .document
            .get("params")
            .cloned()
            .unwrap_or_else(|| json!({})),
    ))
}

/// Deletes a chat (non-admins need `chat.delete`); unused tags go with it.
#[utoipa::path(tag = "chats", responses((status = 200, body = bool)))]
#[delete("/{id}")]
pub async fn delete(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<bool>> {
    let user = caller.user();
    if user.role != Role::Admin && !may(&state, user, "chat.delete") {
        return Err(ApiError::unauthorized(msg::ACCESS_PROHIBITED));
    }
    let chat = match state.stores.chats.get(&path).await? {
        Some(chat) if chat.user_id == user.id || user.role == Role::Admin => chat,
        _ => return Err(ApiError::not_found(msg::NOT_FOUND)),
    };
    let deleted = state.stores.chats.delete(&chat.id).await?;
    state.stores.chats.delete_unused_tags(&chat.user_id).await?;
    Ok(web::Json(deleted))
}

/// Deletes every chat of the caller (users need `chat.delete`).
#[utoipa::path(tag = "chats", responses((status = 200, body = bool)))]
#[delete("/")]
pub async fn delete_all(
    state: web::Data<AppState>,
    caller: VerifiedUser,
) -> ApiResult<web::Json<bool>> {
    let user = caller.user();
    if user.role == Role::User && !may(&state, user, "chat.delete") {
        return Err(ApiError::unauthorized(msg::ACCESS_PROHIBITED));
    }
    state.stores.chats.delete_for_user(&user.id).await?;
    state.stores.chats.delete_unused_tags(&user.id).await?;
    Ok(web::Json(true))
}

/// Copies a chat (needs `chat.import`), remembering where it came from.
#[utoipa::path(tag = "chats", request_body = CloneForm, responses((status = 200, body = ChatResponse)))]
#[post("/{id}/clone")]
pub async fn clone(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: Option<web::Json<CloneForm>>,
) -> ApiResult<web::Json<ChatResponse>> {
    let user = caller.user();
    if !may(&state, user, "chat.import") {
        return Err(ApiError::forbidden(msg::ACCESS_PROHIBITED));
    }
    let original = own_chat(&state, user, &path, msg::DEFAULT).await?;
    let title = form
        .and_then(|f| f.into_inner().title)
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| format!("Clone of {}", original.title));
    let mut document = original.document.clone();
    if let Value::Object(map) = &mut document {
        map.insert("originalChatId".into(), json!(original.id));
        map.insert(
            "branchPointMessageId".into(),
            document_current(&original.document),
        );
        map.insert("title".into(), json!(title));
    }
    let new = NewChat {
        document,
        meta: original.meta.clone(),
        variables: original.variables.clone(),
        pinned: original.pinned,
        archived: false,
        folder_id: original.folder_id.clone(),
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

fn document_current(document: &Value) -> Value {
    document
        .pointer("/history/currentId")
        .cloned()
        .unwrap_or(Value::Null)
}
