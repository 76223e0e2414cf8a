//! Creating, reading, updating and deleting chats.

use super::access::{
    NewChat, check_can_create, check_own_folder, insert_chat, own_chat, readable_chat,
};
use super::dto::ChatResponse;
use super::forms::{ChatForm, CloneForm};
use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::messages as msg;
use crate::permissions::may;
use hearth_domain::chat::{Chat, ChatDocument};
use hearth_domain::ids::{ChatId, FolderId, TaskId};
use hearth_domain::ports::Edited;
use hearth_domain::text::strip_nul_json;
use hearth_domain::time::now_epoch;
use hearth_domain::{Role, User, UserId};
use serde_json::{Map, Value, json};

/// Creates a chat from a document (the web client's first save).
pub async fn create(app: &App, user: &User, form: ChatForm) -> ServiceResult<ChatResponse> {
    let folder = form.folder_id.map(FolderId::from);
    check_own_folder(app, user, folder.as_ref()).await?;
    check_can_create(app, user)?;
    let mut document = ChatDocument::from(form.chat);
    document.attribute_messages(&user.id, &user.name);
    let new = NewChat {
        variables: form
            .variables
            .map(Value::Object)
            .unwrap_or_else(|| json!({})),
        folder_id: folder,
        ..NewChat::from_document(document)
    };
    insert_chat(app, user, new).await
}

/// Answers still streaming show what they have so far (from whichever instance streams them).
async fn overlay_streams(app: &App, document: &mut ChatDocument) {
    let Some(messages) = document
        .as_value_mut()
        .pointer_mut("/history/messages")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for message in messages.values_mut() {
        if message.get("done") != Some(&Value::Bool(false)) {
            continue;
        }
        let Some(task) = message.pointer("/meta/task_id").and_then(Value::as_str) else {
            continue;
        };
        if let Some(content) = app.tasks.snapshot(&TaskId::from(task)).await {
            message["content"] = Value::String(content);
        }
    }
}

/// One chat with its document (the owner's, or any for an admin); 401 when unknown.
pub async fn get(app: &App, user: &User, id: &ChatId) -> ServiceResult<ChatResponse> {
    let mut chat = readable_chat(app, user, id).await?;
    overlay_streams(app, &mut chat.document).await;
    let owner = chat.user_id == user.id;
    chat.document.set(
        "share_mode",
        if owner {
            json!("continue")
        } else {
            Value::Null
        },
    );
    Ok(chat.into())
}

/// Saves a client's change of one of its chats, as Open WebUI's save does: keys replace,
/// `history` merges with what is stored.
async fn save_client_change(
    app: &App,
    id: &ChatId,
    patch: Map<String, Value>,
    touch: bool,
) -> ServiceResult<Option<Chat>> {
    let edit = move |document: &mut ChatDocument, owner: &UserId| {
        Edited::changed(document.apply_client_update(&patch, owner))
    };
    Ok(app
        .storage
        .chats()
        .edit_document(id, &edit, touch, now_epoch())
        .await?)
}

/// Saves keys of the document. `history` is merged with what the server has, so messages
/// written since the client read survive; `updated_at` moves only for history changes.
pub async fn update(
    app: &App,
    user: &User,
    id: &ChatId,
    form: ChatForm,
) -> ServiceResult<ChatResponse> {
    let chat = own_chat(app, user, id, msg::ACCESS_PROHIBITED).await?;
    let mut patch = ChatDocument::from(form.chat);
    patch.attribute_messages(&user.id, &user.name);
    let Value::Object(patch) = patch.into_value() else {
        return Err(ServiceError::invalid(msg::DEFAULT));
    };
    let touch = patch.contains_key("history") || patch.contains_key("messages");
    let mut updated = save_client_change(app, &chat.id, patch, touch)
        .await?
        .ok_or_else(|| ServiceError::unauthorized(msg::ACCESS_PROHIBITED))?;
    if let Some(variables) = form.variables {
        let mut variables = Value::Object(variables);
        strip_nul_json(&mut variables);
        updated.variables = variables;
        app.storage.chats().save_flags(&updated).await?;
    }
    Ok(updated.into())
}

/// Merges keys into the chat's `params`; returns the merged params.
pub async fn update_params(
    app: &App,
    user: &User,
    id: &ChatId,
    form: Map<String, Value>,
) -> ServiceResult<Value> {
    let chat = own_chat(app, user, id, msg::ACCESS_PROHIBITED).await?;
    let mut params = chat.document.params();
    params.extend(form);
    let patch: Map<String, Value> = [("params".to_owned(), Value::Object(params))]
        .into_iter()
        .collect();
    let updated = save_client_change(app, &chat.id, patch, false)
        .await?
        .ok_or_else(|| ServiceError::not_found(msg::NOT_FOUND))?;
    Ok(Value::Object(updated.document.params()))
}

/// Deletes a chat (non-admins need `chat.delete`); unused tags go with it.
pub async fn delete(app: &App, user: &User, id: &ChatId) -> ServiceResult<bool> {
    if user.role != Role::Admin && !may(app, user, "chat.delete") {
        return Err(ServiceError::unauthorized(msg::ACCESS_PROHIBITED));
    }
    let chat = match app.storage.chats().get(id).await? {
        Some(chat) if chat.user_id == user.id || user.role == Role::Admin => chat,
        _ => return Err(ServiceError::not_found(msg::NOT_FOUND)),
    };
    let deleted = app.storage.chats().delete(&chat.id).await?;
    app.storage
        .chats()
        .delete_unused_tags(&chat.user_id)
        .await?;
    Ok(deleted)
}

/// Deletes every chat of the caller (users need `chat.delete`).
pub async fn delete_all(app: &App, user: &User) -> ServiceResult<bool> {
    if user.role == Role::User && !may(app, user, "chat.delete") {
        return Err(ServiceError::unauthorized(msg::ACCESS_PROHIBITED));
    }
    app.storage.chats().delete_for_user(&user.id).await?;
    app.storage.chats().delete_unused_tags(&user.id).await?;
    Ok(true)
}

/// Copies a chat (needs `chat.import`), remembering where it came from.
pub async fn clone(
    app: &App,
    user: &User,
    id: &ChatId,
    form: Option<CloneForm>,
) -> ServiceResult<ChatResponse> {
    if !may(app, user, "chat.import") {
        return Err(ServiceError::forbidden(msg::ACCESS_PROHIBITED));
    }
    let original = own_chat(app, user, id, msg::DEFAULT).await?;
    let title = form
        .and_then(|f| f.title)
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| format!("Clone of {}", original.title));
    let mut document = original.document.clone();
    let current = original
        .document
        .as_value()
        .pointer("/history/currentId")
        .cloned()
        .unwrap_or(Value::Null);
    document.set("originalChatId", json!(original.id));
    document.set("branchPointMessageId", current);
    document.set("title", json!(title));
    let new = NewChat {
        meta: original.meta.clone(),
        variables: original.variables.clone(),
        pinned: original.pinned,
        folder_id: original.folder_id.clone(),
        ..NewChat::from_document(document)
    };
    insert_chat(app, user, new).await
}
