//! `POST /api/chat/completions`: an OpenAI-format chat request for any model of the catalog,
//! answered by the connection serving it, streamed as SSE chunk by chunk or as one JSON
//! answer. This is the direct mode API clients (and the `openai` SDK) use.

use crate::error::{ApiError, ApiResult};
use crate::extract::VerifiedUser;
use crate::routes::models::{self, viewer};
use crate::state::AppState;
use crate::upstream;
use actix_web::{HttpResponse, post, web};
use hearth_domain::User;
use hearth_providers::request::prepare;
use hearth_providers::{Api, ChatAnswer};
use serde_json::{Map, Value};
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(chat_completions).service(chat_completions_v1);
}

/// How a route answers for a model it cannot serve.
pub(crate) struct Refusals {
    /// The model does not exist (or is not of the route's API).
    pub unknown: fn(&str) -> ApiError,
    /// The caller may not use it.
    pub denied: fn(&str) -> ApiError,
}

/// `/api/chat/completions` answers both with 400 `Model not found`.
const CHAT_REFUSALS: Refusals = Refusals {
    unknown: |_| ApiError::bad_request("Model not found"),
    denied: |_| ApiError::bad_request("Model not found"),
};

/// Resolves the model of `body`, checks access, shapes the request and sends it.
pub(crate) async fn complete(
    state: &AppState,
    user: &User,
    body: Map<String, Value>,
    only: Option<Api>,
    refusals: &Refusals,
) -> ApiResult<HttpResponse> {
    let model_id = body
        .get("model")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let loaded = models::load(state, false).await?;
    let Some(model) = loaded.catalog.get(&model_id) else {
        return Err((refusals.unknown)(&model_id));
    };
    if !loaded.catalog.allows(&viewer(state, user), model) {
        return Err((refusals.denied)(&model_id));
    }
    let Some(target) = model
        .target
        .as_ref()
        .filter(|t| only.is_none_or(|api| t.api == api))
    else {
        return Err((refusals.unknown)(&model_id));
    };
    let row_params = model.record.as_ref().map(|r| &r.params);
    let request = prepare(body, &target.id, row_params);
    let answer = state
        .providers
        .completions
        .chat(&loaded.config, target, request)
        .await
        .map_err(upstream::provider_error)?;
    Ok(match answer {
        ChatAnswer::Json(value) => upstream::json_answer(value),
        ChatAnswer::Stream(chunks) => upstream::sse(chunks),
    })
}

/// The web client's background mode, or a direct completion.
async fn chat(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    body: Map<String, Value>,
) -> ApiResult<HttpResponse> {
    if crate::chat_flow::wants_background(&body) {
        let loaded = models::load(&state, false).await?;
        let model_id = body
            .get("model")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let allowed = loaded
            .catalog
            .get(model_id)
            .is_some_and(|m| loaded.catalog.allows(&viewer(&state, caller.user()), m));
        if !allowed {
            return Err((CHAT_REFUSALS.unknown)(model_id));
        }
        let started = crate::chat_flow::start(&state, caller.user(), body, loaded).await?;
        return Ok(HttpResponse::Ok().json(started));
    }
    complete(&state, caller.user(), body, None, &CHAT_REFUSALS).await
}

/// A chat completion: with the web client's `session_id` (and a chat), the turn is saved and
/// answered in the background over Socket.IO (`{status, task_ids, chat_id}`); otherwise the
/// answer comes back directly (OpenAI format; `stream: true` answers `text/event-stream`).
#[utoipa::path(tag = "chat", request_body = Object, responses(
    (status = 200, description = "`chat.completion` JSON, or SSE `chat.completion.chunk` events ending with `[DONE]`"),
    (status = 400, description = "Model not found"),
    (status = 502, description = "The model server could not be reached or failed"),
))]
#[post("/api/chat/completions")]
pub async fn chat_completions(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    body: web::Json<Map<String, Value>>,
) -> ApiResult<HttpResponse> {
    chat(state, caller, body.into_inner()).await
}

/// Same as `POST /api/chat/completions` (the path OpenAI clients use).
#[utoipa::path(tag = "chat", request_body = Object, responses(
    (status = 200, description = "`chat.completion` JSON or SSE chunks"),
    (status = 400, description = "Model not found"),
))]
#[post("/api/v1/chat/completions")]
pub async fn chat_completions_v1(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    body: web::Json<Map<String, Value>>,
) -> ApiResult<HttpResponse> {
    chat(state, caller, body.into_inner()).await
}
