//! `/openai`: the admin's OpenAI-compatible connections (read, replace, verify), the merged
//! OpenAI model list, and a chat completion proxy limited to OpenAI models (use cases in
//! `hearth_services::connections::openai`).

use crate::error::ApiResult;
use crate::extract::{AdminUser, VerifiedUser};
use crate::json_body::JsonBody;
use crate::state::AppState;
use crate::upstream::openai_answer;
use actix_web::{HttpResponse, get, post, web};
use hearth_services::connections::openai::{self, OpenAiConfig, VerifyForm};
use serde_json::{Map, Value};
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_config)
        .service(update_config)
        .service(verify)
        .service(list_models)
        .service(connection_models)
        .service(chat_completions);
}

/// The OpenAI connections (admin; includes keys).
#[utoipa::path(tag = "openai", responses((status = 200, body = OpenAiConfig)))]
#[get("/openai/config")]
pub async fn get_config(state: web::Data<AppState>, _admin: AdminUser) -> web::Json<Value> {
    web::Json(openai::config(&state.app))
}

/// Replaces the OpenAI connections (admin).
#[utoipa::path(tag = "openai", request_body = OpenAiConfig, responses((status = 200, body = OpenAiConfig)))]
#[post("/openai/config/update")]
pub async fn update_config(
    state: web::Data<AppState>,
    _admin: AdminUser,
    form: JsonBody<OpenAiConfig>,
) -> ApiResult<web::Json<Value>> {
    Ok(web::Json(
        openai::set_config(&state.app, form.into_inner()).await?,
    ))
}

/// Tries a connection's model list with the given URL and key (admin).
#[utoipa::path(tag = "openai", request_body = VerifyForm, responses((status = 200, body = Object), (status = 502, description = "The model server could not be reached or failed"), (status = 503, description = "This API is turned off (`ENABLE_OPENAI_API` / `ENABLE_OLLAMA_API`)"), (status = 504, description = "The model server did not answer in time")))]
#[post("/openai/verify")]
pub async fn verify(
    state: web::Data<AppState>,
    _admin: AdminUser,
    form: JsonBody<VerifyForm>,
) -> ApiResult<web::Json<Value>> {
    Ok(web::Json(openai::verify(&state.app, &form).await?))
}

/// The OpenAI models the caller may use.
#[utoipa::path(tag = "openai", responses((status = 200, body = Object), (status = 502, description = "The model server could not be reached or failed"), (status = 503, description = "This API is turned off (`ENABLE_OPENAI_API` / `ENABLE_OLLAMA_API`)"), (status = 504, description = "The model server did not answer in time")))]
#[get("/openai/models")]
pub async fn list_models(
    state: web::Data<AppState>,
    caller: VerifiedUser,
) -> ApiResult<web::Json<Value>> {
    Ok(web::Json(openai::models(&state.app, caller.user()).await?))
}

/// One connection's own model list, as the server answers it (admin).
#[utoipa::path(tag = "openai", params(("idx" = usize, Path, maximum = 9_007_199_254_740_991_f64, description = "The connection's position in the settings")), responses((status = 200, body = Object), (status = 404), (status = 502, description = "The model server could not be reached or failed"), (status = 503, description = "This API is turned off (`ENABLE_OPENAI_API` / `ENABLE_OLLAMA_API`)"), (status = 504, description = "The model server did not answer in time")))]
#[get("/openai/models/{idx}")]
pub async fn connection_models(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<usize>,
) -> ApiResult<web::Json<Value>> {
    Ok(web::Json(
        openai::connection_models(&state.app, path.into_inner()).await?,
    ))
}

/// A chat completion for an OpenAI model (OpenAI format in and out).
#[utoipa::path(tag = "openai", request_body = Object, responses(
    (status = 200, description = "`chat.completion` JSON or SSE chunks"),
    (status = 404, description = "No such OpenAI model"), (status = 502, description = "The model server could not be reached or failed"), (status = 503, description = "This API is turned off (`ENABLE_OPENAI_API` / `ENABLE_OLLAMA_API`)"), (status = 504, description = "The model server did not answer in time")))]
#[post("/openai/chat/completions")]
pub async fn chat_completions(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    body: JsonBody<Map<String, Value>>,
) -> ApiResult<HttpResponse> {
    let answer = openai::chat(&state.app, caller.user(), body.into_inner()).await?;
    Ok(openai_answer(answer))
}
