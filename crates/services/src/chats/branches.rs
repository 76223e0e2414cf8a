//! Editing single messages, and forking a chat at a message.

use super::access::{NewChat, check_can_create, insert_chat, managed_chat, readable_chat};
use super::dto::ChatResponse;
use super::forms::{ForkForm, MessageForm};
use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::messages as msg;
use crate::permissions::may;
use hearth_domain::chat::document::{ForkError, delete_message, fork_branch};
use hearth_domain::chat::{Chat, ChatDocument};
use hearth_domain::ids::{ChatId, MessageId};
use hearth_domain::ports::Edited;
use hearth_domain::text::strip_nul;
use hearth_domain::time::now_epoch;
use hearth_domain::{User, UserId};
use serde_json::{Map, Value, json};

/// A chat the caller may edit: their own, or any for an admin (401 otherwise).
async fn editable_chat(app: &App, user: &User, id: &ChatId) -> ServiceResult<Chat> {
    managed_chat(
        app,
        user,
        id,
        ServiceError::unauthorized(msg::ACCESS_PROHIBITED),
    )
    .await
}

/// Writes `form` into one message: its content, or its voice metadata.
fn apply_message_form(message: &mut Map<String, Value>, form: &MessageForm) {
    if let Some(content) = &form.content {
        message.insert("content".into(), json!(strip_nul(content)));
    }
    if let Some(voice) = &form.voice {
        let mut meta = message
            .get("meta")
            .filter(|m| m.is_object())
            .cloned()
            .unwrap_or_else(|| json!({}));
        meta["voice"] = voice.clone();
        message.insert("meta".into(), meta);
    }
}

/// Replaces one message's content (or voice metadata).
pub async fn update_message(
    app: &App,
    user: &User,
    id: &ChatId,
    message: MessageId,
    form: MessageForm,
) -> ServiceResult<ChatResponse> {
    let chat = editable_chat(app, user, id).await?;
    if form.content.is_none() && form.voice.is_none() {
        return Err(ServiceError::invalid("No message changes supplied"));
    }
    if chat
        .document
        .message(&message)
        .is_none_or(|m| !m.is_object())
    {
        return Err(ServiceError::not_found(msg::NOT_FOUND));
    }
    let edit = move |document: &mut ChatDocument, _: &UserId| match document.message_mut(&message) {
        Some(stored) => {
            apply_message_form(stored, &form);
            Edited::changed(vec![message.clone()])
        }
        None => Edited::default(),
    };
    let edited = app
        .storage
        .chats()
        .edit_document(&chat.id, &edit, false, now_epoch())
        .await?
        .ok_or_else(|| ServiceError::not_found(msg::NOT_FOUND))?;
    Ok(edited.into())
}

/// Removes a message and its direct replies from a document's history.
fn remove_message(document: &mut ChatDocument, message: &MessageId) -> Vec<MessageId> {
    match document.history_mut() {
        Some(history) => delete_message(history, message.as_str())
            .into_iter()
            .map(MessageId::from)
            .collect(),
        None => Vec::new(),
    }
}

/// Deletes a message and its direct replies (their replies move up).
pub async fn delete_message_and_replies(
    app: &App,
    user: &User,
    id: &ChatId,
    message: MessageId,
) -> ServiceResult<ChatResponse> {
    let chat = editable_chat(app, user, id).await?;
    if remove_message(&mut chat.document.clone(), &message).is_empty() {
        return Err(ServiceError::not_found(msg::NOT_FOUND));
    }
    let edit = move |document: &mut ChatDocument, _: &UserId| {
        let removed = remove_message(document, &message);
        let changed = if removed.is_empty() {
            Vec::new()
        } else {
            document.messages().keys().map(MessageId::from).collect()
        };
        Edited { changed, removed }
    };
    let edited = app
        .storage
        .chats()
        .edit_document(&chat.id, &edit, true, now_epoch())
        .await?
        .ok_or_else(|| ServiceError::not_found(msg::NOT_FOUND))?;
    Ok(edited.into())
}

/// Starts a new chat from the branch ending at a message (needs `chat.import`).
pub async fn fork(
    app: &App,
    user: &User,
    id: &ChatId,
    form: Option<ForkForm>,
) -> ServiceResult<ChatResponse> {
    if !may(app, user, "chat.import") {
        return Err(ServiceError::forbidden(msg::ACCESS_PROHIBITED));
    }
    check_can_create(app, user)?;
    let source = readable_chat(app, user, id).await?;
    let at = form
        .and_then(|f| f.message_id)
        .map(MessageId::from)
        .or_else(|| source.current_message_id.clone())
        .or_else(|| source.document.current_message_id())
        .ok_or_else(|| ServiceError::invalid("chat has no messages to fork"))?;
    let (history, ordered) =
        fork_branch(&source.document.messages(), at.as_str()).map_err(|e| match e {
            ForkError::NotFound => ServiceError::not_found(e.to_string()),
            other => ServiceError::invalid(other.to_string()),
        })?;
    let mut document = source.document.clone();
    document.remove("currentId");
    document.remove("share_mode");
    document.set("originalChatId", json!(source.id));
    document.set("branchPointMessageId", json!(at));
    document.set("title", json!(format!("{} (fork)", source.title)));
    document.set("history", history);
    document.set("messages", Value::Array(ordered));
    let owner = source.user_id == user.id;
    let mut meta = if owner {
        source.meta.clone()
    } else {
        json!({})
    };
    meta["forked_from"] = json!(source.id);
    meta["forked_from_message_id"] = json!(at);
    let new = NewChat {
        meta,
        folder_id: if owner {
            source.folder_id.clone()
        } else {
            None
        },
        ..NewChat::from_document(document)
    };
    insert_chat(app, user, new).await
}
