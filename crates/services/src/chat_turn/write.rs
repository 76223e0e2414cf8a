//! Writing a turn into the stored chat: a new chat created by its first message, or the next
//! turn of an existing one (refused with 409 when its ids clash with the stored history).

use super::request::Turn;
use crate::App;
use crate::chats::access::{NewChat, build_chat};
use crate::error::{ServiceError, ServiceResult};
use crate::messages as msg;
use hearth_domain::chat::ChatDocument;
use hearth_domain::chat::turn;
use hearth_domain::ids::FolderId;
use hearth_domain::ports::Edited;
use hearth_domain::time::now_epoch;
use hearth_domain::{Role, User, UserId};
use serde_json::{Map, Value, json};

/// Creates the chat the turn starts.
pub(super) async fn new_chat(
    app: &App,
    user: &User,
    turn: &Turn,
    body: &Map<String, Value>,
) -> ServiceResult<()> {
    let now = now_epoch();
    let files = body.get("files").cloned().unwrap_or(json!([]));
    let mut document = ChatDocument::from_value(turn::new_document(
        &turn.chat_id,
        (user.id.as_str(), &user.name),
        turn.user_message.as_ref(),
        &turn.targets,
        files,
        now,
    ));
    document.set("id", json!(turn.chat_id));
    let new = NewChat {
        variables: body.get("chat_variables").cloned().unwrap_or(json!({})),
        folder_id: turn.folder_id.clone(),
        ..NewChat::from_document(document)
    };
    let (mut chat, records) = build_chat(user, new, now);
    chat.id = turn.chat_id.clone();
    app.storage.chats().insert(&[(chat, records)]).await?;
    list_changed(app, turn, turn.folder_id.as_ref());
    Ok(())
}

/// Adds the turn to the stored chat; returns the chat's folder.
pub(super) async fn next_turn(
    app: &App,
    user: &User,
    turn: &Turn,
) -> ServiceResult<Option<FolderId>> {
    let Some(chat) = app.storage.chats().get(&turn.chat_id).await? else {
        return Err(ServiceError::not_found(msg::NOT_FOUND));
    };
    if chat.user_id != user.id && user.role != Role::Admin {
        return Err(ServiceError::not_found(msg::NOT_FOUND));
    }
    let now = now_epoch();
    let mut probe = chat.document.clone();
    probe
        .add_turn(
            (&user.id, &user.name),
            turn.user_message.as_ref(),
            &turn.targets,
            now,
        )
        .map_err(|e| ServiceError::conflict(e.to_string()))?;
    let models_used: Vec<String> = turn
        .user_message
        .as_ref()
        .and_then(|m| m.get("models"))
        .and_then(Value::as_array)
        .map(|m| {
            m.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_else(|| turn.targets.iter().map(|t| t.model_id.clone()).collect());
    let author = (user.id.clone(), user.name.clone());
    let (message, targets) = (turn.user_message.clone(), turn.targets.clone());
    let edit = move |document: &mut ChatDocument, _: &UserId| {
        document.set("models", json!(models_used));
        let written = document
            .add_turn((&author.0, &author.1), message.as_ref(), &targets, now)
            .unwrap_or_default();
        Edited::changed(written)
    };
    app.storage
        .chats()
        .edit_document(&turn.chat_id, &edit, true, now)
        .await?;
    list_changed(app, turn, chat.folder_id.as_ref());
    Ok(chat.folder_id)
}

/// Tells the user's sidebars the chat list changed.
fn list_changed(app: &App, turn: &Turn, folder: Option<&FolderId>) {
    turn.events.emit(
        app,
        None,
        "chat:list",
        json!({"chat_id": turn.chat_id, "folder_id": folder}),
    );
}
