//! `/ollama`: the admin's Ollama connections, and Ollama's native API for the models the
//! caller may use (`/api/tags`, `/api/version`, `/api/chat`, `/api/show`). Use cases in
//! `hearth_services::connections::ollama`.

use crate::error::ApiResult;
use crate::extract::{AdminUser, VerifiedUser};
use crate::json_body::JsonBody;
use crate::state::AppState;
use crate::upstream::ollama_answer;
use actix_web::{HttpResponse, get, post, route, web};
use hearth_services::connections::ollama::{self, OllamaConfig};
use hearth_services::connections::openai::VerifyForm;
use serde_json::{Map, Value, json};
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(status)
        .service(get_config)
        .service(update_config)
        .service(verify)
        .service(tags)
        .service(connection_tags)
        .service(version)
        .service(connection_version)
        .service(chat)
        .service(connection_chat)
        .service(show);
}

type Answer = ApiResult<web::Json<Value>>;

/// Answers that Ollama support is reachable.
#[utoipa::path(tag = "ollama", responses((status = 200, body = Object)))]
#[route("/ollama/", method = "GET", method = "HEAD")]
pub async fn status() -> web::Json<Value> {
    web::Json(json!({"status": true}))
}

/// The Ollama connections (admin).
#[utoipa::path(tag = "ollama", responses((status = 200, body = OllamaConfig)))]
#[get("/ollama/config")]
pub async fn get_config(state: web::Data<AppState>, _admin: AdminUser) -> web::Json<Value> {
    web::Json(ollama::config(&state.app))
}

/// Replaces the Ollama connections (admin).
#[utoipa::path(tag = "ollama", request_body = OllamaConfig, responses((status = 200, body = OllamaConfig)))]
#[post("/ollama/config/update")]
pub async fn update_config(
    state: web::Data<AppState>,
    _admin: AdminUser,
    form: JsonBody<OllamaConfig>,
) -> Answer {
    Ok(web::Json(
        ollama::set_config(&state.app, form.into_inner()).await?,
    ))
}

/// Tries a server's version with the given URL and key (admin).
#[utoipa::path(tag = "ollama", request_body = VerifyForm, responses((status = 200, body = Object), (status = 502, description = "The model server could not be reached or failed"), (status = 503, description = "This API is turned off (`ENABLE_OPENAI_API` / `ENABLE_OLLAMA_API`)"), (status = 504, description = "The model server did not answer in time")))]
#[post("/ollama/verify")]
pub async fn verify(
    state: web::Data<AppState>,
    _admin: AdminUser,
    form: JsonBody<VerifyForm>,
) -> Answer {
    Ok(web::Json(
        ollama::verify(&state.app, &form.url, form.key.as_deref()).await?,
    ))
}

/// The Ollama models the caller may use, in Ollama's `/api/tags` shape.
#[utoipa::path(tag = "ollama", responses((status = 200, body = Object), (status = 502, description = "The model server could not be reached or failed"), (status = 503, description = "This API is turned off (`ENABLE_OPENAI_API` / `ENABLE_OLLAMA_API`)"), (status = 504, description = "The model server did not answer in time")))]
#[get("/ollama/api/tags")]
pub async fn tags(state: web::Data<AppState>, caller: VerifiedUser) -> Answer {
    Ok(web::Json(ollama::tags(&state.app, caller.user()).await?))
}

/// One server's own `/api/tags` (admin).
#[utoipa::path(tag = "ollama", params(("idx" = usize, Path, maximum = 9_007_199_254_740_991_f64, description = "The connection's position in the settings")), responses((status = 200, body = Object), (status = 502, description = "The model server could not be reached or failed"), (status = 503, description = "This API is turned off (`ENABLE_OPENAI_API` / `ENABLE_OLLAMA_API`)"), (status = 504, description = "The model server did not answer in time")))]
#[get("/ollama/api/tags/{idx}")]
pub async fn connection_tags(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<usize>,
) -> Answer {
    let idx = path.into_inner();
    Ok(web::Json(
        ollama::connection_get(&state.app, idx, "/api/tags").await?,
    ))
}

/// The lowest version among the enabled servers (`{"version": false}` when Ollama is off).
#[utoipa::path(tag = "ollama", responses((status = 200, body = Object), (status = 502), (status = 503, description = "This API is turned off (`ENABLE_OPENAI_API` / `ENABLE_OLLAMA_API`)"), (status = 504, description = "The model server did not answer in time")))]
#[get("/ollama/api/version")]
pub async fn version(state: web::Data<AppState>, _caller: VerifiedUser) -> Answer {
    Ok(web::Json(ollama::version(&state.app).await?))
}

/// One server's version (admin).
#[utoipa::path(tag = "ollama", params(("idx" = usize, Path, maximum = 9_007_199_254_740_991_f64, description = "The connection's position in the settings")), responses((status = 200, body = Object), (status = 502, description = "The model server could not be reached or failed"), (status = 503, description = "This API is turned off (`ENABLE_OPENAI_API` / `ENABLE_OLLAMA_API`)"), (status = 504, description = "The model server did not answer in time")))]
#[get("/ollama/api/version/{idx}")]
pub async fn connection_version(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<usize>,
) -> Answer {
    let idx = path.into_inner();
    Ok(web::Json(
        ollama::connection_get(&state.app, idx, "/api/version").await?,
    ))
}

/// Ollama's `/api/chat` for a model the caller may use (NDJSON unless `stream` is false).
#[utoipa::path(tag = "ollama", request_body = Object, responses((status = 200, description = "NDJSON lines or one JSON answer"), (status = 502, description = "The model server could not be reached or failed"), (status = 503, description = "This API is turned off (`ENABLE_OPENAI_API` / `ENABLE_OLLAMA_API`)"), (status = 504, description = "The model server did not answer in time")))]
#[post("/ollama/api/chat")]
pub async fn chat(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    body: JsonBody<Map<String, Value>>,
) -> ApiResult<HttpResponse> {
    let answer = ollama::chat(&state.app, caller.user(), body.into_inner(), None).await?;
    Ok(ollama_answer(answer))
}

/// Ollama's `/api/chat` on one server.
#[utoipa::path(tag = "ollama", params(("idx" = usize, Path, maximum = 9_007_199_254_740_991_f64, description = "The connection's position in the settings")), request_body = Object, responses((status = 200, description = "NDJSON lines or one JSON answer"), (status = 502, description = "The model server could not be reached or failed"), (status = 503, description = "This API is turned off (`ENABLE_OPENAI_API` / `ENABLE_OLLAMA_API`)"), (status = 504, description = "The model server did not answer in time")))]
#[post("/ollama/api/chat/{idx}")]
pub async fn connection_chat(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<usize>,
    body: JsonBody<Map<String, Value>>,
) -> ApiResult<HttpResponse> {
    let idx = Some(path.into_inner());
    let answer = ollama::chat(&state.app, caller.user(), body.into_inner(), idx).await?;
    Ok(ollama_answer(answer))
}

/// Ollama's `/api/show` (model details) for a model the caller may use.
#[utoipa::path(tag = "ollama", request_body = Object, responses((status = 200, body = Object), (status = 502, description = "The model server could not be reached or failed"), (status = 503, description = "This API is turned off (`ENABLE_OPENAI_API` / `ENABLE_OLLAMA_API`)"), (status = 504, description = "The model server did not answer in time")))]
#[post("/ollama/api/show")]
pub async fn show(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    body: JsonBody<Map<String, Value>>,
) -> ApiResult<HttpResponse> {
    let answer = ollama::show(&state.app, caller.user(), body.into_inner()).await?;
    Ok(ollama_answer(answer))
}
