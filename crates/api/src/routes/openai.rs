//! `/openai`: the admin's OpenAI-compatible connections (read, replace, verify), the merged
//! OpenAI model list, and a chat completion proxy limited to OpenAI models.

use crate::error::{ApiError, ApiResult};
use crate::extract::{AdminUser, VerifiedUser};
use crate::routes::completions::{Refusals, complete};
use crate::routes::models::{self, viewer};
use crate::state::AppState;
use crate::upstream;
use actix_web::{HttpResponse, get, post, web};
use hearth_domain::config::keys;
use hearth_providers::Api;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use utoipa::ToSchema;
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

/// The OpenAI connection settings.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[allow(non_snake_case)]
pub struct OpenAiConfig {
    /// Whether OpenAI connections are used (unchanged when absent).
    #[serde(default)]
    pub ENABLE_OPENAI_API: Option<bool>,
    /// Base URLs.
    pub OPENAI_API_BASE_URLS: Vec<String>,
    /// Keys, by position (padded or cut to the URL count).
    #[serde(default)]
    pub OPENAI_API_KEYS: Vec<String>,
    /// Per-connection settings keyed by position.
    #[serde(default)]
    pub OPENAI_API_CONFIGS: Map<String, Value>,
}

/// Body of the connection check.
#[derive(Debug, Deserialize, ToSchema)]
pub struct VerifyForm {
    /// Base URL to try.
    pub url: String,
    /// Key to try.
    #[serde(default)]
    pub key: Option<String>,
}

fn current(state: &AppState) -> Value {
    let view = state.config.view();
    json!({
        "ENABLE_OPENAI_API": view.snapshot.value(keys::OPENAI_ENABLE),
        "OPENAI_API_BASE_URLS": view.snapshot.value(keys::OPENAI_BASE_URLS),
        "OPENAI_API_KEYS": view.snapshot.value(keys::OPENAI_KEYS),
        "OPENAI_API_CONFIGS": view.snapshot.value(keys::OPENAI_CONFIGS),
    })
}

/// Settings of connections that no longer exist are dropped.
pub(crate) fn configs_for(urls: usize, configs: Map<String, Value>) -> Map<String, Value> {
    configs
        .into_iter()
        .filter(|(key, _)| key.parse::<usize>().is_ok_and(|i| i < urls))
        .collect()
}

/// Checks a base URL before it is saved.
pub(crate) fn checked_url(url: &str) -> ApiResult<String> {
    let url = url.trim().trim_end_matches('/');
    if !(url.starts_with("http://") || url.starts_with("https://")) || url.contains('\0') {
        return Err(ApiError::bad_request(format!(
            "Invalid connection URL: {url:?} (expected http:// or https://)"
        )));
    }
    Ok(url.to_owned())
}

/// The OpenAI connections (admin; includes keys).
#[utoipa::path(tag = "openai", responses((status = 200, body = OpenAiConfig)))]
#[get("/openai/config")]
pub async fn get_config(state: web::Data<AppState>, _admin: AdminUser) -> web::Json<Value> {
    web::Json(current(&state))
}

/// Replaces the OpenAI connections (admin).
#[utoipa::path(tag = "openai", request_body = OpenAiConfig, responses((status = 200, body = OpenAiConfig)))]
#[post("/openai/config/update")]
pub async fn update_config(
    state: web::Data<AppState>,
    _admin: AdminUser,
    form: web::Json<OpenAiConfig>,
) -> ApiResult<web::Json<Value>> {
    let form = form.into_inner();
    let urls = form
        .OPENAI_API_BASE_URLS
        .iter()
        .map(|u| checked_url(u))
        .collect::<ApiResult<Vec<_>>>()?;
    let mut api_keys = form.OPENAI_API_KEYS;
    api_keys.resize(urls.len(), String::new());
    let configs = configs_for(urls.len(), form.OPENAI_API_CONFIGS);
    let mut values = vec![
        (keys::OPENAI_BASE_URLS.to_owned(), json!(urls)),
        (keys::OPENAI_KEYS.to_owned(), json!(api_keys)),
        (keys::OPENAI_CONFIGS.to_owned(), Value::Object(configs)),
    ];
    if let Some(enabled) = form.ENABLE_OPENAI_API {
        values.push((keys::OPENAI_ENABLE.to_owned(), json!(enabled)));
    }
    state.config.set(values).await?;
    state.providers.registry.clear();
    Ok(web::Json(current(&state)))
}

/// Tries a connection's model list with the given URL and key (admin).
#[utoipa::path(tag = "openai", request_body = VerifyForm, responses((status = 200, body = Object)))]
#[post("/openai/verify")]
pub async fn verify(
    state: web::Data<AppState>,
    _admin: AdminUser,
    form: web::Json<VerifyForm>,
) -> ApiResult<web::Json<Value>> {
    let url = checked_url(&form.url)?;
    let key = form.key.as_deref().unwrap_or_default();
    upstream::fetch(
        &state.providers.client,
        "OpenAI connection being verified".into(),
        &url,
        key,
        "/models",
    )
    .await
}

/// The OpenAI models the caller may use.
#[utoipa::path(tag = "openai", responses((status = 200, body = Object)))]
#[get("/openai/models")]
pub async fn list_models(
    state: web::Data<AppState>,
    caller: VerifiedUser,
) -> ApiResult<web::Json<Value>> {
    if !state.config.view().flag(keys::OPENAI_ENABLE) {
        return Err(ApiError::new(
            actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
            "OpenAI API is disabled",
        ));
    }
    let loaded = models::load(&state, false).await?;
    let data: Vec<&Map<String, Value>> = loaded
        .catalog
        .visible(&viewer(&state, caller.user()), &[])
        .into_iter()
        .filter(|m| m.target.as_ref().is_some_and(|t| t.api == Api::OpenAi))
        .map(|m| &m.body)
        .collect();
    Ok(web::Json(json!({ "data": data })))
}

/// One connection's own model list, as the server answers it (admin).
#[utoipa::path(tag = "openai", responses((status = 200, body = Object), (status = 404)))]
#[get("/openai/models/{idx}")]
pub async fn connection_models(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<usize>,
) -> ApiResult<web::Json<Value>> {
    let config = state.config.view().providers.clone();
    let Some(connection) = config.get(Api::OpenAi, path.into_inner()) else {
        return Err(ApiError::not_found("Connection not found"));
    };
    upstream::fetch(
        &state.providers.client,
        connection.label(),
        &connection.url,
        &connection.key,
        "/models",
    )
    .await
}

const OPENAI_REFUSALS: Refusals = Refusals {
    unknown: |id| ApiError::not_found(format!("Model '{id}' was not found")),
    denied: |_| ApiError::forbidden("Model not found"),
};

/// A chat completion for an OpenAI model (OpenAI format in and out).
#[utoipa::path(tag = "openai", request_body = Object, responses(
    (status = 200, description = "`chat.completion` JSON or SSE chunks"),
    (status = 404, description = "No such OpenAI model"),
))]
#[post("/openai/chat/completions")]
pub async fn chat_completions(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    body: web::Json<Map<String, Value>>,
) -> ApiResult<HttpResponse> {
    if !state.config.view().flag(keys::OPENAI_ENABLE) {
        return Err(ApiError::new(
            actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
            "OpenAI API is disabled",
        ));
    }
    complete(
        &state,
        caller.user(),
        body.into_inner(),
        Some(Api::OpenAi),
        &OPENAI_REFUSALS,
    )
    .await
}
