//! `POST /api/chat/completions`: an OpenAI-format chat request for any model of the catalog
//! (use cases in `hearth_services::completions`): the web client's background mode, or the
//! direct answer API clients (and the `openai` SDK) read — SSE chunk by chunk or one JSON.

use crate::error::ApiResult;
use crate::extract::VerifiedUser;
use crate::json_body::JsonBody;
use crate::state::AppState;
use crate::upstream::openai_answer_citing;
use actix_web::{HttpResponse, post, web};
use hearth_services::completions::{self, Completion};
use serde_json::{Map, Value};
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(chat_completions).service(chat_completions_v1);
}

async fn chat(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    body: Map<String, Value>,
) -> ApiResult<HttpResponse> {
    Ok(
        match completions::chat(&state.app, caller.user(), body).await? {
            Completion::Started(started) => HttpResponse::Ok().json(started),
            Completion::Answer(answer, sources) => openai_answer_citing(answer, sources),
        },
    )
}

/// A chat completion: with the web client's `session_id` (and a chat), the turn is saved and
/// answered in the background over Socket.IO (`{status, task_ids, chat_id}`); otherwise the
/// answer comes back directly (OpenAI format; `stream: true` answers `text/event-stream`).
#[utoipa::path(tag = "chat", request_body = Object, responses(
    (status = 200, description = "`chat.completion` JSON, or SSE `chat.completion.chunk` events ending with `[DONE]`"),
    (status = 400, description = "Model not found"),
    (status = 502, description = "The model server could not be reached or failed"), (status = 503, description = "This API is turned off (`ENABLE_OPENAI_API` / `ENABLE_OLLAMA_API`)"), (status = 504, description = "The model server did not answer in time")))]
#[post("/api/chat/completions")]
pub async fn chat_completions(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    body: JsonBody<Map<String, Value>>,
) -> ApiResult<HttpResponse> {
    chat(state, caller, body.into_inner()).await
}

/// Same as `POST /api/chat/completions` (the path OpenAI clients use).
#[utoipa::path(tag = "chat", request_body = Object, responses(
    (status = 200, description = "`chat.completion` JSON or SSE chunks"),
    (status = 400, description = "Model not found"), (status = 502, description = "The model server could not be reached or failed"), (status = 503, description = "This API is turned off (`ENABLE_OPENAI_API` / `ENABLE_OLLAMA_API`)"), (status = 504, description = "The model server did not answer in time")))]
#[post("/api/v1/chat/completions")]
pub async fn chat_completions_v1(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    body: JsonBody<Map<String, Value>>,
) -> ApiResult<HttpResponse> {
    chat(state, caller, body.into_inner()).await
}
