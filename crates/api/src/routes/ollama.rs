//! `/ollama`: the admin's Ollama connections, and Ollama's own API proxied for the models
//! the caller may use (`/api/tags`, `/api/version`, `/api/chat`, `/api/show`).

use crate::error::{ApiError, ApiResult};
use crate::extract::{AdminUser, VerifiedUser};
use crate::routes::models::{self, viewer};
use crate::routes::openai::{checked_url, configs_for};
use crate::state::AppState;
use crate::upstream;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, route, web};
use hearth_domain::User;
use hearth_domain::config::keys;
use hearth_providers::{Api, ChatAnswer, Connection};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

const DISABLED: &str = "The Ollama API is disabled. Please enable it to use this feature.";
const NOT_REACHABLE: &str = "Hearth could not connect to Ollama";

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

/// The Ollama connection settings.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[allow(non_snake_case)]
pub struct OllamaConfig {
    /// Whether Ollama connections are used (unchanged when absent).
    #[serde(default)]
    pub ENABLE_OLLAMA_API: Option<bool>,
    /// Base URLs.
    pub OLLAMA_BASE_URLS: Vec<String>,
    /// Per-connection settings keyed by position (`key`, `prefix_id`, `model_ids`, ...).
    #[serde(default)]
    pub OLLAMA_API_CONFIGS: Map<String, Value>,
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
        "ENABLE_OLLAMA_API": view.snapshot.value(keys::OLLAMA_ENABLE),
        "OLLAMA_BASE_URLS": view.snapshot.value(keys::OLLAMA_BASE_URLS),
        "OLLAMA_API_CONFIGS": view.snapshot.value(keys::OLLAMA_CONFIGS),
    })
}

fn enabled(state: &AppState) -> ApiResult<()> {
    if state.config.view().flag(keys::OLLAMA_ENABLE) {
        Ok(())
    } else {
        Err(ApiError::new(StatusCode::SERVICE_UNAVAILABLE, DISABLED))
    }
}

fn connection(state: &AppState, idx: usize) -> ApiResult<Connection> {
    state
        .config
        .view()
        .providers
        .get(Api::Ollama, idx)
        .cloned()
        .ok_or_else(|| ApiError::not_found("Connection not found"))
}

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
    web::Json(current(&state))
}

/// Replaces the Ollama connections (admin).
#[utoipa::path(tag = "ollama", request_body = OllamaConfig, responses((status = 200, body = OllamaConfig)))]
#[post("/ollama/config/update")]
pub async fn update_config(
    state: web::Data<AppState>,
    _admin: AdminUser,
    form: web::Json<OllamaConfig>,
) -> ApiResult<web::Json<Value>> {
    let form = form.into_inner();
    let urls = form
        .OLLAMA_BASE_URLS
        .iter()
        .map(|u| checked_url(u))
        .collect::<ApiResult<Vec<_>>>()?;
    let configs = configs_for(urls.len(), form.OLLAMA_API_CONFIGS);
    let mut values = vec![
        (keys::OLLAMA_BASE_URLS.to_owned(), json!(urls)),
        (keys::OLLAMA_CONFIGS.to_owned(), Value::Object(configs)),
    ];
    if let Some(enabled) = form.ENABLE_OLLAMA_API {
        values.push((keys::OLLAMA_ENABLE.to_owned(), json!(enabled)));
    }
    state.config.set(values).await?;
    state.providers.registry.clear();
    Ok(web::Json(current(&state)))
}

/// Tries a server's version with the given URL and key (admin).
#[utoipa::path(tag = "ollama", request_body = VerifyForm, responses((status = 200, body = Object)))]
#[post("/ollama/verify")]
pub async fn verify(
    state: web::Data<AppState>,
    _admin: AdminUser,
    form: web::Json<VerifyForm>,
) -> ApiResult<web::Json<Value>> {
    let url = checked_url(&form.url)?;
    let key = form.key.as_deref().unwrap_or_default();
    upstream::fetch(
        &state.providers.client,
        "Ollama connection being verified".into(),
        &url,
        key,
        "/api/version",
    )
    .await
}

/// The Ollama models the caller may use, in Ollama's `/api/tags` shape (`urls` added).
#[utoipa::path(tag = "ollama", responses((status = 200, body = Object)))]
#[get("/ollama/api/tags")]
pub async fn tags(state: web::Data<AppState>, caller: VerifiedUser) -> ApiResult<web::Json<Value>> {
    enabled(&state)?;
    let loaded = models::load(&state, false).await?;
    let list: Vec<Value> = loaded
        .catalog
        .visible(&viewer(&state, caller.user()), &[])
        .into_iter()
        .filter(|m| m.record.as_ref().is_none_or(|r| r.base_model_id.is_none()))
        .filter_map(|m| m.target.as_ref().filter(|t| t.api == Api::Ollama))
        .filter_map(|t| t.body.get("ollama").cloned())
        .collect();
    Ok(web::Json(json!({ "models": list })))
}

/// One server's own `/api/tags` (admin).
#[utoipa::path(tag = "ollama", responses((status = 200, body = Object)))]
#[get("/ollama/api/tags/{idx}")]
pub async fn connection_tags(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<usize>,
) -> ApiResult<web::Json<Value>> {
    let connection = connection(&state, path.into_inner())?;
    upstream::fetch(
        &state.providers.client,
        connection.label(),
        &connection.url,
        &connection.key,
        "/api/tags",
    )
    .await
}

fn version_key(text: &str) -> Vec<u64> {
    let core = text.trim_start_matches('v');
    let core = core.split('-').next().unwrap_or(core);
    core.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

/// The lowest version among the enabled servers (`{"version": false}` when Ollama is off).
#[utoipa::path(tag = "ollama", responses((status = 200, body = Object), (status = 502)))]
#[get("/ollama/api/version")]
pub async fn version(
    state: web::Data<AppState>,
    _caller: VerifiedUser,
) -> ApiResult<web::Json<Value>> {
    let config = state.config.view().providers.clone();
    if !config.ollama_enabled {
        return Ok(web::Json(json!({"version": false})));
    }
    let client = &state.providers.client;
    let asks = config.active(Api::Ollama).map(|c| async move {
        client
            .get_json(c.label(), &c.url, &c.key, "/api/version")
            .await
            .ok()
            .and_then(|answer| {
                answer
                    .get("version")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
    });
    let lowest = futures_util::future::join_all(asks)
        .await
        .into_iter()
        .flatten()
        .min_by_key(|found| version_key(found));
    match lowest {
        Some(found) => Ok(web::Json(json!({ "version": found }))),
        None => Err(ApiError::new(StatusCode::BAD_GATEWAY, NOT_REACHABLE)),
    }
}

/// One server's version (admin).
#[utoipa::path(tag = "ollama", responses((status = 200, body = Object)))]
#[get("/ollama/api/version/{idx}")]
pub async fn connection_version(
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<usize>,
) -> ApiResult<web::Json<Value>> {
    let connection = connection(&state, path.into_inner())?;
    upstream::fetch(
        &state.providers.client,
        connection.label(),
        &connection.url,
        &connection.key,
        "/api/version",
    )
    .await
}

/// Resolves the Ollama model of a native body for the caller: the connection to use and
/// the body with the server's own model id.
async fn native_target(
    state: &AppState,
    user: &User,
    mut body: Map<String, Value>,
    idx: Option<usize>,
) -> ApiResult<(Connection, Map<String, Value>)> {
    let model_id = body
        .get("model")
        .or_else(|| body.get("name"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let loaded = models::load(state, false).await?;
    let model = loaded
        .catalog
        .get(&model_id)
        .filter(|m| m.target.as_ref().is_some_and(|t| t.api == Api::Ollama))
        .ok_or_else(|| ApiError::bad_request(format!("Model '{model_id}' was not found")))?;
    if !loaded.catalog.allows(&viewer(state, user), model) {
        return Err(ApiError::forbidden("Model not found"));
    }
    let Some(target) = model.target.as_ref() else {
        return Err(ApiError::bad_request(format!(
            "Model '{model_id}' was not found"
        )));
    };
    let connection = match idx {
        Some(idx) => connection(state, idx)?,
        None => state
            .providers
            .completions
            .connection(&loaded.config, target)
            .map_err(upstream::provider_error)?
            .clone(),
    };
    let upstream_id = connection.upstream_model_id(&target.id).to_owned();
    body.remove("name");
    body.remove("metadata");
    body.insert("model".into(), Value::from(upstream_id));
    Ok((connection, body))
}

async fn native_chat(
    state: &AppState,
    user: &User,
    body: Map<String, Value>,
    idx: Option<usize>,
) -> ApiResult<HttpResponse> {
    enabled(state)?;
    if !body.get("messages").is_some_and(Value::is_array) {
        return Err(ApiError::bad_request(
            "messages: a list of messages is required",
        ));
    }
    let stream = body.get("stream").and_then(Value::as_bool).unwrap_or(true);
    let (connection, mut body) = native_target(state, user, body, idx).await?;
    body.insert("stream".into(), Value::Bool(stream));
    let answer = state
        .providers
        .completions
        .ollama_native(&connection, "/api/chat", &body, stream)
        .await
        .map_err(upstream::provider_error)?;
    Ok(match answer {
        ChatAnswer::Json(value) => upstream::json_answer(value),
        ChatAnswer::Stream(lines) => upstream::ndjson(lines),
    })
}

/// Ollama's `/api/chat` for a model the caller may use (NDJSON unless `stream` is false).
#[utoipa::path(tag = "ollama", request_body = Object, responses((status = 200, description = "NDJSON lines or one JSON answer")))]
#[post("/ollama/api/chat")]
pub async fn chat(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    body: web::Json<Map<String, Value>>,
) -> ApiResult<HttpResponse> {
    native_chat(&state, caller.user(), body.into_inner(), None).await
}

/// Ollama's `/api/chat` on one server.
#[utoipa::path(tag = "ollama", request_body = Object, responses((status = 200, description = "NDJSON lines or one JSON answer")))]
#[post("/ollama/api/chat/{idx}")]
pub async fn connection_chat(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<usize>,
    body: web::Json<Map<String, Value>>,
) -> ApiResult<HttpResponse> {
    native_chat(
        &state,
        caller.user(),
        body.into_inner(),
        Some(path.into_inner()),
    )
    .await
}

/// Ollama's `/api/show` (model details) for a model the caller may use.
#[utoipa::path(tag = "ollama", request_body = Object, responses((status = 200, body = Object)))]
#[post("/ollama/api/show")]
pub async fn show(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    body: web::Json<Map<String, Value>>,
) -> ApiResult<HttpResponse> {
    enabled(&state)?;
    let (connection, body) = native_target(&state, caller.user(), body.into_inner(), None).await?;
    let answer = state
        .providers
        .completions
        .ollama_native(&connection, "/api/show", &body, false)
        .await
        .map_err(upstream::provider_error)?;
    Ok(match answer {
        ChatAnswer::Json(value) => upstream::json_answer(value),
        ChatAnswer::Stream(lines) => upstream::ndjson(lines),
    })
}

#[cfg(test)]
mod tests {
    use super::version_key;

    #[test]
    fn versions_compare_numerically() {
        assert!(version_key("0.10.1") > version_key("0.9.9"));
        assert!(version_key("v0.5.0-rc1") == version_key("0.5.0"));
    }
}
