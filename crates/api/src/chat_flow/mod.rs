//! The web client's way of sending a message (background mode): `POST /api/chat/completions`
//! with its socket's `session_id` writes the turn into the chat, starts one cancellable task
//! per answering model and returns `{status, task_ids, chat_id}` at once; the answers stream
//! to the user's sockets as `events` and are saved when done.

pub mod events;
mod metadata;
mod run;

pub use events::ChatEvents;

use crate::error::{ApiError, ApiResult};
use crate::messages as msg;
use crate::routes::chats::{NewChat, build_chat};
use crate::routes::models::{Models, viewer};
use crate::socket::events::is_saved_chat_id;
use crate::state::AppState;
use actix_web::web;
use hearth_domain::chat::turn::{self, TurnTarget};
use hearth_domain::time::now_epoch;
use hearth_domain::{Role, User};
use run::Run;
use serde_json::{Map, Value, json};

/// Whether a completion request asks for background mode (the web client's chat page).
pub fn wants_background(body: &Map<String, Value>) -> bool {
    let text = |key: &str| {
        body.get(key)
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty())
    };
    text("session_id") && (text("chat_id") || body.get("parent_id").is_some_and(Value::is_null))
}

fn conflict(error: turn::TurnError) -> ApiError {
    ApiError::new(actix_web::http::StatusCode::CONFLICT, error.to_string())
}

/// Writes the turn and starts the tasks.
pub async fn start(
    state: &web::Data<AppState>,
    user: &User,
    mut body: Map<String, Value>,
    models: Models,
) -> ApiResult<Value> {
    let targets = turn::targets(&body);
    for target in &targets {
        let allowed = models
            .catalog
            .get(&target.model_id)
            .is_some_and(|m| m.target.is_some() && models.catalog.allows(&viewer(state, user), m));
        if !allowed {
            return Err(ApiError::bad_request("Model not found"));
        }
    }
    let given_chat_id = body
        .get("chat_id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let is_new = given_chat_id.is_empty() && body.get("parent_id").is_some_and(Value::is_null);
    let chat_id = if is_new {
        uuid::Uuid::new_v4().to_string()
    } else {
        given_chat_id
    };
    let user_message = body
        .remove("user_message")
        .or_else(|| body.remove("parent_message"))
        .filter(Value::is_object);
    let saved = is_saved_chat_id(&chat_id);
    let events = ChatEvents {
        user_id: user.id.as_str().to_owned(),
        chat_id: chat_id.clone(),
    };
    let now = now_epoch();
    let mut folder_id = body
        .get("folder_id")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if saved && is_new {
        let files = body.get("files").cloned().unwrap_or(json!([]));
        let mut document = turn::new_document(
            &chat_id,
            (user.id.as_str(), &user.name),
            user_message.as_ref(),
            &targets,
            files,
            now,
        );
        document["id"] = json!(chat_id);
        let new = NewChat {
            document,
            meta: json!({}),
            variables: body.get("chat_variables").cloned().unwrap_or(json!({})),
            pinned: false,
            archived: false,
            folder_id: folder_id.clone(),
            created_at: None,
            updated_at: None,
        };
        let (mut chat, records) = build_chat(user, new, now);
        chat.id = chat_id.clone();
        state.stores.chats.insert(&[(chat, records)]).await?;
        events.emit(
            state,
            None,
            "chat:list",
            json!({"chat_id": chat_id, "folder_id": folder_id}),
        );
    } else if saved
        && body
            .get("assistant_message_id")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
    {
        let Some(chat) = state.stores.chats.get(&chat_id).await? else {
            return Err(ApiError::not_found(msg::NOT_FOUND));
        };
        if chat.user_id != user.id && user.role != Role::Admin {
            return Err(ApiError::not_found(msg::NOT_FOUND));
        }
        folder_id = chat.folder_id.clone();
        let mut probe = chat.document.clone();
        turn::add_turn(
            &mut probe,
            (user.id.as_str(), &user.name),
            user_message.as_ref(),
            &targets,
            now,
        )
        .map_err(conflict)?;
        let models_used: Vec<String> = user_message
            .as_ref()
            .and_then(|m| m.get("models"))
            .and_then(Value::as_array)
            .map(|m| {
                m.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_else(|| targets.iter().map(|t| t.model_id.clone()).collect());
        let author = (user.id.as_str().to_owned(), user.name.clone());
        let turn_message = user_message.clone();
        let turn_targets = targets.clone();
        let edit = move |document: &mut Value| {
            document["models"] = json!(models_used);
            turn::add_turn(
                document,
                (&author.0, &author.1),
                turn_message.as_ref(),
                &turn_targets,
                now,
            )
            .unwrap_or_default()
        };
        state
            .stores
            .chats
            .edit_document(&chat_id, &edit, true, now)
            .await?;
        events.emit(
            state,
            None,
            "chat:list",
            json!({"chat_id": chat_id, "folder_id": folder_id}),
        );
    }
    let user_message_id = user_message
        .as_ref()
        .and_then(|m| m.get("id"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let tasks = body.remove("background_tasks").unwrap_or(Value::Null);
    let mut task_ids = Vec::new();
    for (index, target) in targets.iter().enumerate() {
        let Some(model) = models.catalog.get(&target.model_id) else {
            continue;
        };
        let Some(base) = model.target.clone() else {
            continue;
        };
        let run = Run {
            state: state.clone(),
            events: events.clone(),
            config: models.config.clone(),
            target: TurnTarget { ..target.clone() },
            base,
            row_params: model.record.as_ref().map(|r| r.params.clone()),
            body: body.clone(),
            user_message_id: user_message_id.clone(),
            saved,
            first: index == 0,
            tasks: tasks.clone(),
            folder_id: folder_id.clone(),
        };
        let task_id = state
            .tasks
            .spawn(Some(chat_id.clone()), move |cancel| run.execute(cancel))
            .await;
        if saved {
            let message_id = target.message_id.clone();
            let id = task_id.clone();
            let edit = move |document: &mut Value| {
                let mut fields = Map::new();
                let mut meta = document
                    .pointer(&format!("/history/messages/{message_id}/meta"))
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default();
                meta.insert("task_id".into(), json!(id));
                fields.insert("meta".into(), Value::Object(meta));
                if turn::update_message(document, &message_id, &fields) {
                    vec![message_id.clone()]
                } else {
                    Vec::new()
                }
            };
            state
                .stores
                .chats
                .edit_document(&chat_id, &edit, false, now)
                .await?;
        }
        task_ids.push(task_id);
    }
    if let (Some(first), false) = (targets.first(), task_ids.is_empty()) {
        events.emit(
            state,
            Some(&first.message_id),
            "chat:active",
            json!({"active": true, "folder_id": folder_id}),
        );
    }
    Ok(json!({"status": true, "task_ids": task_ids, "chat_id": chat_id}))
}
