//! Background tasks (`main.py`'s task endpoints): list them, list a chat's, stop a chat's
//! (what the web client's stop button calls), stop one (admin). Use cases in
//! `hearth_services::tasks`.

use crate::error::ApiResult;
use crate::extract::{AdminUser, VerifiedUser};
use crate::json_body::JsonBody;
use crate::state::AppState;
use actix_web::{get, post, web};
use hearth_domain::ids::{ChatId, TaskId};
use hearth_services::tasks;
use serde_json::Value;
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(chat_tasks)
        .service(stop_chat)
        .service(stop_task)
        .service(task_config)
        .service(update_task_config);
}

/// Every running task (admin).
#[utoipa::path(tag = "tasks", responses((status = 200, body = Object)))]
#[get("/api/tasks")]
pub async fn list(state: web::Data<AppState>, _admin: AdminUser) -> web::Json<Value> {
    web::Json(tasks::list(&state.app).await)
}

/// The running tasks of one of the caller's chats (`[]` for others).
#[utoipa::path(tag = "tasks", responses((status = 200, body = Object)))]
#[get("/api/tasks/chat/{chat_id}")]
pub async fn chat_tasks(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<Value>> {
    let chat = ChatId::from(path.into_inner());
    Ok(web::Json(
        tasks::of_chat(&state.app, caller.user(), &chat).await?,
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
    let chat = ChatId::from(path.into_inner());
    Ok(web::Json(
        tasks::stop_chat(&state.app, caller.user(), &chat).await?,
    ))
}

/// Stops one task (admin).
#[utoipa::path(tag = "tasks", responses((status = 200, body = Object), (status = 404)))]
#[post("/api/tasks/stop/{task_id}")]
pub async fn stop_task(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<Value>> {
    let task = TaskId::from(path.into_inner());
    Ok(web::Json(tasks::stop(&state.app, &task).await?))
}

/// The task settings that are set (as `tasks.py`'s `GET /api/v1/tasks/config`).
#[utoipa::path(tag = "tasks", responses((status = 200, body = Object)))]
#[get("/api/v1/tasks/config")]
pub async fn task_config(state: web::Data<AppState>, _caller: VerifiedUser) -> web::Json<Value> {
    web::Json(tasks::config(&state.app))
}

/// Saves the task settings (as `tasks.py`'s `POST /api/v1/tasks/config/update`).
#[utoipa::path(
    tag = "tasks",
    request_body = Object,
    responses((status = 200, body = Object), (status = 422))
)]
#[post("/api/v1/tasks/config/update")]
pub async fn update_task_config(
    state: web::Data<AppState>,
    _admin: AdminUser,
    form: JsonBody<serde_json::Map<String, Value>>,
) -> ApiResult<web::Json<Value>> {
    Ok(web::Json(
        tasks::update_config(&state.app, form.into_inner()).await?,
    ))
}
