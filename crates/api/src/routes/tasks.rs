//! Background tasks (`main.py`'s task endpoints): list them, list a chat's, stop a chat's
//! (what the web client's stop button calls), stop one (admin).

use crate::chat_flow::ChatEvents;
use crate::error::ApiResult;
use crate::extract::{AdminUser, VerifiedUser};
use crate::state::AppState;
use actix_web::{get, post, web};
use hearth_domain::Role;
use hearth_domain::chat::turn;
use hearth_domain::time::now_epoch;
use serde_json::{Map, Value, json};
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(chat_tasks)
        .service(stop_chat)
        .service(stop_task)
        .service(task_config);
}

/// Every running task (admin).
#[utoipa::path(tag = "tasks", responses((status = 200, body = Object)))]
#[get("/api/tasks")]
pub async fn list(state: web::Data<AppState>, _admin: AdminUser) -> web::Json<Value> {
    web::Json(json!({"tasks": state.tasks.list().await}))
}

async fn own_chat(
    state: &AppState,
    caller: &VerifiedUser,
    chat_id: &str,
) -> ApiResult<Option<hearth_domain::chat::Chat>> {
    let user = caller.user();
    Ok(state
        .stores
        .chats
        .get(chat_id)
        .await?
        .filter(|chat| chat.user_id == user.id || user.role == Role::Admin))
}

/// The running tasks of one of the caller's chats (`[]` for others).
#[utoipa::path(tag = "tasks", responses((status = 200, body = Object)))]
#[get("/api/tasks/chat/{chat_id}")]
pub async fn chat_tasks(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<Value>> {
    let chat_id = path.into_inner();
    let saved = crate::socket::events::is_saved_chat_id(&chat_id);
    if saved && own_chat(&state, &caller, &chat_id).await?.is_none() {
        return Ok(web::Json(json!({"task_ids": []})));
    }
    Ok(web::Json(
        json!({"task_ids": state.tasks.list_by_item(&chat_id).await}),
    ))
}

/// Stops every task of one of the caller's chats, on whichever instance runs it. With none
/// running, unfinished answers are marked done so the client stops waiting.
#[utoipa::path(tag = "tasks", responses((status = 200, body = Object)))]
#[post("/api/tasks/chat/{chat_id}/stop")]
pub async fn stop_chat(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<Value>> {
    let chat_id = path.into_inner();
    let chat = if crate::socket::events::is_saved_chat_id(&chat_id) {
        match own_chat(&state, &caller, &chat_id).await? {
            Some(chat) => Some(chat),
            None => {
                return Err(crate::error::ApiError::not_found(
                    crate::messages::NOT_FOUND,
                ));
            }
        }
    } else {
        None
    };
    let ids = state.tasks.list_by_item(&chat_id).await;
    let mut stopped = 0;
    for id in &ids {
        if state.tasks.stop(id).await {
            stopped += 1;
        }
    }
    if stopped == 0
        && let Some(chat) = chat
    {
        let pending: Vec<String> = chat
            .document
            .pointer("/history/messages")
            .and_then(Value::as_object)
            .map(|messages| {
                messages
                    .iter()
                    .filter(|(_, m)| {
                        m["role"] == "assistant" && m.get("done") == Some(&Value::Bool(false))
                    })
                    .map(|(id, _)| id.clone())
                    .collect()
            })
            .unwrap_or_default();
        if !pending.is_empty() {
            let ids = pending.clone();
            let edit = move |document: &mut Value| {
                let mut fields = Map::new();
                fields.insert("done".into(), json!(true));
                ids.iter()
                    .filter(|id| turn::update_message(document, id, &fields))
                    .cloned()
                    .collect()
            };
            state
                .stores
                .chats
                .edit_document(&chat.id, &edit, false, now_epoch())
                .await?;
            let events = ChatEvents {
                user_id: chat.user_id.as_str().to_owned(),
                chat_id: chat.id.clone(),
            };
            for id in &pending {
                events.emit(&state, Some(id), "chat:completion", json!({"done": true}));
                events.emit(&state, Some(id), "chat:tasks:cancel", json!({}));
            }
        }
    }
    Ok(web::Json(json!({
        "status": true,
        "message": format!("Stopped {stopped} task(s) of chat {chat_id}."),
    })))
}

/// Stops one task (admin).
#[utoipa::path(tag = "tasks", responses((status = 200, body = Object), (status = 404)))]
#[post("/api/tasks/stop/{task_id}")]
pub async fn stop_task(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<Value>> {
    let task_id = path.into_inner();
    if !state.tasks.stop(&task_id).await {
        return Err(crate::error::ApiError::not_found("Task not found"));
    }
    Ok(web::Json(
        json!({"status": true, "message": format!("Stop signal sent for {task_id}")}),
    ))
}

/// Background task settings (title, tags, follow-ups, ...) under Open WebUI's field names.
const TASK_CONFIG_KEYS: [(&str, &str); 19] = [
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

/// The task settings that are set (as `tasks.py`'s `GET /api/v1/tasks/config`).
#[utoipa::path(tag = "tasks", responses((status = 200, body = Object)))]
#[get("/api/v1/tasks/config")]
pub async fn task_config(state: web::Data<AppState>, _caller: VerifiedUser) -> web::Json<Value> {
    let snapshot = &state.config.view().snapshot;
    let values: Map<String, Value> = TASK_CONFIG_KEYS
        .iter()
        .filter_map(|(field, key)| match snapshot.value(key) {
            Value::Null => None,
            value => Some(((*field).to_owned(), value)),
        })
        .collect();
    web::Json(Value::Object(values))
}
