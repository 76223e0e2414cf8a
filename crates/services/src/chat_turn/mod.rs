//! The chat turn (the web client's way of sending a message, Open WebUI's background mode):
//! `POST /api/chat/completions` with its socket's `session_id` writes the turn into the chat,
//! starts one cancellable task per answering model and answers `{status, task_ids, chat_id}`
//! at once; the answers stream to the user's sockets as `events` and are saved when done.

pub mod events;
mod metadata;
mod request;
mod run;
mod write;

pub use events::ChatEvents;

use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::models::{Models, viewer};
use crate::usage::Admission;
use hearth_domain::chat::ChatDocument;
use hearth_domain::ids::{ChatId, MessageId};
use hearth_domain::ports::{Edited, StopSignal};
use hearth_domain::time::now_epoch;
use hearth_domain::{User, UserId};
use request::Turn;
use run::Run;
use serde_json::{Map, Value, json};
use std::sync::Arc;

/// Whether a completion request asks for background mode (the web client's chat page).
pub fn wants_background(body: &Map<String, Value>) -> bool {
    let text = |key: &str| {
        body.get(key)
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty())
    };
    text("session_id") && (text("chat_id") || body.get("parent_id").is_some_and(Value::is_null))
}

fn model_not_found() -> ServiceError {
    ServiceError::invalid("Model not found")
}

/// Writes the turn into the chat and starts one task per answering model; each answer's
/// tokens are charged to `admission`.
pub async fn start(
    app: &Arc<App>,
    user: &User,
    mut body: Map<String, Value>,
    models: Models,
    admission: Admission,
) -> ServiceResult<Value> {
    let mut turn = Turn::read(user, &mut body);
    for target in &turn.targets {
        let allowed = models
            .catalog
            .get(&target.model_id)
            .is_some_and(|m| m.target.is_some() && models.catalog.allows(&viewer(app, user), m));
        if !allowed {
            return Err(model_not_found());
        }
    }
    let regenerating = body
        .get("assistant_message_id")
        .and_then(Value::as_str)
        .is_some_and(|s| !s.is_empty());
    if turn.saved && turn.is_new {
        write::new_chat(app, user, &turn, &body).await?;
    } else if turn.saved && !regenerating {
        turn.folder_id = write::next_turn(app, user, &turn).await?;
    }
    if turn.saved {
        let files = turn
            .user_message
            .as_ref()
            .and_then(|m| m.get("files"))
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        let message = turn.user_message_id();
        crate::files::attach::link_to_chat(app, user, &turn.chat_id, message.as_ref(), files)
            .await?;
    }
    let task_ids = spawn_answers(app, user, &turn, &mut body, &models, &admission).await?;
    if let (Some(first), false) = (turn.targets.first(), task_ids.is_empty()) {
        turn.events.emit(
            app,
            Some(&MessageId::from(first.message_id.as_str())),
            "chat:active",
            json!({"active": true, "folder_id": turn.folder_id}),
        );
    }
    Ok(json!({"status": true, "task_ids": task_ids, "chat_id": turn.chat_id}))
}

/// One task per target model; each task id is recorded on its assistant message.
async fn spawn_answers(
    app: &Arc<App>,
    user: &User,
    turn: &Turn,
    body: &mut Map<String, Value>,
    models: &Models,
    admission: &Admission,
) -> ServiceResult<Vec<String>> {
    let tasks = body.remove("background_tasks").unwrap_or(Value::Null);
    let mut task_ids = Vec::new();
    for (index, target) in turn.targets.iter().enumerate() {
        let Some(model) = models.catalog.get(&target.model_id) else {
            continue;
        };
        let Some(base) = model.target.clone() else {
            continue;
        };
        let run = Run {
            app: Arc::clone(app),
            user: user.clone(),
            events: turn.events.clone(),
            config: Arc::clone(&models.config),
            message_id: MessageId::from(target.message_id.as_str()),
            base,
            row_params: model.record.as_ref().map(|r| r.params.clone()),
            body: body.clone(),
            user_message_id: turn.user_message_id(),
            saved: turn.saved,
            first: index == 0,
            tasks: tasks.clone(),
            folder_id: turn.folder_id.clone(),
            admission: admission.clone(),
        };
        let job = Box::new(move |stop: Box<dyn StopSignal>| {
            Box::pin(run.execute(stop)) as hearth_domain::ports::TaskFuture
        });
        let task_id = app.tasks.spawn(Some(turn.chat_id.clone()), job).await;
        if turn.saved {
            record_task(app, &turn.chat_id, &target.message_id, task_id.as_str()).await?;
        }
        task_ids.push(task_id.into_string());
    }
    Ok(task_ids)
}

/// Records the answering task on its message (`meta.task_id`), so readers can find it.
async fn record_task(app: &App, chat: &ChatId, message: &str, task_id: &str) -> ServiceResult<()> {
    let message = MessageId::from(message);
    let id = task_id.to_owned();
    let edit = move |document: &mut ChatDocument, _: &UserId| {
        let mut meta = document
            .message(&message)
            .and_then(|m| m.get("meta"))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        meta.insert("task_id".into(), json!(id));
        let mut fields = Map::new();
        fields.insert("meta".into(), Value::Object(meta));
        if document.update_message(&message, &fields) {
            Edited::changed(vec![message.clone()])
        } else {
            Edited::default()
        }
    };
    app.storage
        .chats()
        .edit_document(chat, &edit, false, now_epoch())
        .await?;
    Ok(())
}
