//! Background tasks (Open WebUI's task endpoints): list them, a chat's, stop a chat's (what
//! the web client's stop button calls) and one; the task settings.

use crate::App;
use crate::chat_turn::ChatEvents;
use crate::config::forms::{self, Fields};
use crate::error::{ServiceError, ServiceResult};
use crate::messages as msg;
use hearth_domain::chat::{Chat, ChatDocument, is_saved_chat_id};
use hearth_domain::ids::{ChatId, MessageId, TaskId};
use hearth_domain::ports::Edited;
use hearth_domain::time::now_epoch;
use hearth_domain::{Role, User, UserId};
use serde_json::{Map, Value, json};

/// Background task settings (title, tags, follow-ups, ...) under Open WebUI's field names.
const TASK_FIELDS: &Fields = &[
    ("TASK_MODEL", "task.model.default"),
    ("TASK_MODEL_EXTERNAL", "task.model.external"),
    ("TASK_MODEL_PARAMS", "task.model.params"),
    (
        "TITLE_GENERATION_PROMPT_TEMPLATE",
        "task.title.prompt_template",
    ),
    (
        "IMAGE_PROMPT_GENERATION_PROMPT_TEMPLATE",
        "task.image.prompt_template",
    ),
    ("ENABLE_AUTOCOMPLETE_GENERATION", "task.autocomplete.enable"),
    (
        "AUTOCOMPLETE_GENERATION_INPUT_MAX_LENGTH",
        "task.autocomplete.input_max_length",
    ),
    (
        "AUTOCOMPLETE_GENERATION_PROMPT_TEMPLATE",
        "task.autocomplete.prompt_template",
    ),
    (
        "TAGS_GENERATION_PROMPT_TEMPLATE",
        "task.tags.prompt_template",
    ),
    (
        "FOLLOW_UP_GENERATION_PROMPT_TEMPLATE",
        "task.follow_up.prompt_template",
    ),
    ("ENABLE_FOLLOW_UP_GENERATION", "task.follow_up.enable"),
    ("ENABLE_TAGS_GENERATION", "task.tags.enable"),
    ("ENABLE_TITLE_GENERATION", "task.title.enable"),
    ("ENABLE_SEARCH_QUERY_GENERATION", "task.query.search.enable"),
    (
        "ENABLE_RETRIEVAL_QUERY_GENERATION",
        "task.query.retrieval.enable",
    ),
    (
        "QUERY_GENERATION_PROMPT_TEMPLATE",
        "task.query.prompt_template",
    ),
    (
        "TOOLS_FUNCTION_CALLING_PROMPT_TEMPLATE",
        "task.tools.prompt_template",
    ),
    ("ENABLE_VOICE_MODE_PROMPT", "task.voice.prompt.enable"),
    ("VOICE_MODE_PROMPT_TEMPLATE", "task.voice.prompt_template"),
];

/// Every running task.
pub async fn list(app: &App) -> Value {
    json!({"tasks": app.tasks.all().await})
}

async fn own_chat(app: &App, user: &User, chat: &ChatId) -> ServiceResult<Option<Chat>> {
    Ok(app
        .storage
        .chats()
        .get(chat)
        .await?
        .filter(|c| c.user_id == user.id || user.role == Role::Admin))
}

/// The running tasks of one of the caller's chats (`[]` for others).
pub async fn of_chat(app: &App, user: &User, chat: &ChatId) -> ServiceResult<Value> {
    if is_saved_chat_id(chat) && own_chat(app, user, chat).await?.is_none() {
        return Ok(json!({"task_ids": []}));
    }
    Ok(json!({"task_ids": app.tasks.of_chat(chat).await}))
}

/// Stops every task of one of the caller's chats, on whichever instance runs it. With none
/// running, unfinished answers are marked done so the client stops waiting.
pub async fn stop_chat(app: &App, user: &User, chat_id: &ChatId) -> ServiceResult<Value> {
    let chat = if is_saved_chat_id(chat_id) {
        let chat = own_chat(app, user, chat_id).await?;
        Some(chat.ok_or_else(|| ServiceError::not_found(msg::NOT_FOUND))?)
    } else {
        None
    };
    let mut stopped = 0;
    for id in app.tasks.of_chat(chat_id).await {
        if app.tasks.stop(&id).await {
            stopped += 1;
        }
    }
    if stopped == 0
        && let Some(chat) = chat
    {
        finish_waiting(app, &chat).await?;
    }
    Ok(json!({
        "status": true,
        "message": format!("Stopped {stopped} task(s) of chat {chat_id}."),
    }))
}

/// Marks the chat's unfinished answers done and tells the user's sockets.
async fn finish_waiting(app: &App, chat: &Chat) -> ServiceResult<()> {
    let pending: Vec<MessageId> = chat
        .document
        .messages()
        .iter()
        .filter(|(_, m)| m["role"] == "assistant" && m.get("done") == Some(&Value::Bool(false)))
        .map(|(id, _)| MessageId::from(id))
        .collect();
    if pending.is_empty() {
        return Ok(());
    }
    let ids = pending.clone();
    let edit = move |document: &mut ChatDocument, _: &UserId| {
        let mut fields = Map::new();
        fields.insert("done".into(), json!(true));
        let changed = ids
            .iter()
            .filter(|id| document.update_message(id, &fields))
            .cloned()
            .collect();
        Edited::changed(changed)
    };
    app.storage
        .chats()
        .edit_document(&chat.id, &edit, false, now_epoch())
        .await?;
    let events = ChatEvents {
        user_id: chat.user_id.clone(),
        chat_id: chat.id.clone(),
    };
    for id in &pending {
        events.emit(app, Some(id), "chat:completion", json!({"done": true}));
        events.emit(app, Some(id), "chat:tasks:cancel", json!({}));
    }
    Ok(())
}

/// Stops one task, wherever it runs.
pub async fn stop(app: &App, task: &TaskId) -> ServiceResult<Value> {
    if !app.tasks.stop(task).await {
        return Err(ServiceError::not_found("Task not found"));
    }
    Ok(json!({"status": true, "message": format!("Stop signal sent for {task}")}))
}

/// The task settings that are set.
pub fn config(app: &App) -> Value {
    forms::read_set(app, TASK_FIELDS)
}

/// What a task setting holds, as Open WebUI's `TaskConfigForm` types it.
fn field_fits(field: &str, value: &Value) -> bool {
    match field {
        "TASK_MODEL_PARAMS" => value.is_object() || value.is_null(),
        "AUTOCOMPLETE_GENERATION_INPUT_MAX_LENGTH" => value.is_i64() || value.is_null(),
        "TASK_MODEL" | "TASK_MODEL_EXTERNAL" | "VOICE_MODE_PROMPT_TEMPLATE" => {
            value.is_string() || value.is_null()
        }
        f if f.starts_with("ENABLE_") => value.is_boolean(),
        _ => value.is_string(),
    }
}

/// Saves the admin's task settings (Admin ▸ Settings ▸ Interface); fields the form leaves
/// out keep their values, a field of the wrong kind is refused. Answers the settings.
pub async fn update_config(app: &App, mut form: Map<String, Value>) -> ServiceResult<Value> {
    if let Some((field, _)) = form
        .iter()
        .find(|(f, v)| TASK_FIELDS.iter().any(|(known, _)| known == f) && !field_fits(f, v))
    {
        return Err(ServiceError::Unprocessable(
            format!("{field} has the wrong type").into(),
        ));
    }
    // No length limit sent: the current one stays (Open WebUI puts its default back).
    if form
        .get("AUTOCOMPLETE_GENERATION_INPUT_MAX_LENGTH")
        .is_some_and(Value::is_null)
    {
        form.remove("AUTOCOMPLETE_GENERATION_INPUT_MAX_LENGTH");
    }
    forms::write(app, TASK_FIELDS, form).await?;
    Ok(config(app))
}
