//! Ollama connections: the admin's settings and checks, and Ollama's native API for the
//! models the caller may use (`/api/tags`, `/api/version`, `/api/chat`, `/api/show`).

use super::{checked_url, configs_for, no_connection};
use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::models::{load, viewer};
use hearth_domain::User;
use hearth_domain::config::keys;
use hearth_domain::provider::{Api, ChatAnswer, Connection};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

const DISABLED: &str = "The Ollama API is disabled. Please enable it to use this feature.";
const NOT_REACHABLE: &str = "Hearth could not connect to Ollama";

/// The Ollama connection settings.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct OllamaConfig {
    /// Whether Ollama connections are used (unchanged when absent).
    #[serde(default, rename = "ENABLE_OLLAMA_API")]
    pub enable: Option<bool>,
    /// Base URLs.
    #[serde(rename = "OLLAMA_BASE_URLS")]
    pub base_urls: Vec<String>,
    /// Per-connection settings keyed by position (`key`, `prefix_id`, `model_ids`, ...).
    #[serde(default, rename = "OLLAMA_API_CONFIGS")]
    pub configs: Map<String, Value>,
}

fn check_enabled(app: &App) -> ServiceResult<()> {
    if app.view().flag(keys::OLLAMA_ENABLE) {
        Ok(())
    } else {
        Err(ServiceError::Unavailable(DISABLED.into()))
    }
}

fn connection(app: &App, idx: usize) -> ServiceResult<Connection> {
    app.view()
        .providers
        .get(Api::Ollama, idx)
        .cloned()
        .ok_or_else(no_connection)
}

/// The Ollama connections.
pub fn config(app: &App) -> Value {
    let view = app.view();
    json!({
        "ENABLE_OLLAMA_API": view.snapshot.value(keys::OLLAMA_ENABLE),
        "OLLAMA_BASE_URLS": view.snapshot.value(keys::OLLAMA_BASE_URLS),
        "OLLAMA_API_CONFIGS": view.snapshot.value(keys::OLLAMA_CONFIGS),
    })
}

/// Replaces the Ollama connections.
pub async fn set_config(app: &App, form: OllamaConfig) -> ServiceResult<Value> {
    let urls = form
        .base_urls
        .iter()
        .map(|u| checked_url(u))
        .collect::<ServiceResult<Vec<_>>>()?;
    let configs = configs_for(urls.len(), form.configs);
    let mut values = vec![
        (keys::OLLAMA_BASE_URLS.to_owned(), json!(urls)),
        (keys::OLLAMA_CONFIGS.to_owned(), Value::Object(configs)),
    ];
    if let Some(enabled) = form.enable {
        values.push((keys::OLLAMA_ENABLE.to_owned(), json!(enabled)));
    }
    app.config.set(values).await?;
    app.models.forget_models();
    Ok(config(app))
}

/// Tries a server's version with the given URL and key.
pub async fn verify(app: &App, url: &str, key: Option<&str>) -> ServiceResult<Value> {
    let url = checked_url(url)?;
    let label = "Ollama connection being verified".to_owned();
    let key = key.unwrap_or_default();
    Ok(app
        .models
        .get_json(label, &url, key, "/api/version")
        .await?)
}

/// The Ollama models the caller may use, in Ollama's `/api/tags` shape.
pub async fn tags(app: &App, user: &User) -> ServiceResult<Value> {
    check_enabled(app)?;
    let loaded = load(app, false).await?;
    let list: Vec<Value> = loaded
        .catalog
        .visible(&viewer(app, user), &[])
        .into_iter()
        .filter(|m| m.record.as_ref().is_none_or(|r| r.base_model_id.is_none()))
        .filter_map(|m| m.target.as_ref().filter(|t| t.api == Api::Ollama))
        .filter_map(|t| t.body.get("ollama").cloned())
        .collect();
    Ok(json!({ "models": list }))
}

/// One server's own answer at `path` (`/api/tags`, `/api/version`).
pub async fn connection_get(app: &App, idx: usize, path: &str) -> ServiceResult<Value> {
    let connection = connection(app, idx)?;
    let answer = app
        .models
        .get_json(connection.label(), &connection.url, &connection.key, path)
        .await?;
    Ok(answer)
}

fn version_key(text: &str) -> Vec<u64> {
    let core = text.trim_start_matches('v');
    let core = core.split('-').next().unwrap_or(core);
    core.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

/// The lowest version among the enabled servers (`{"version": false}` when Ollama is off).
pub async fn version(app: &App) -> ServiceResult<Value> {
    let config = app.view().providers.clone();
    if !config.ollama_enabled {
        return Ok(json!({"version": false}));
    }
    let asks = config.active(Api::Ollama).map(|c| async move {
        app.models
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
        Some(found) => Ok(json!({ "version": found })),
        None => Err(ServiceError::BadGateway(NOT_REACHABLE.into())),
    }
}

/// Resolves the Ollama model of a native body for the caller: the connection to use and
/// the body with the server's own model id.
async fn native_target(
    app: &App,
    user: &User,
    mut body: Map<String, Value>,
    idx: Option<usize>,
) -> ServiceResult<(Connection, Map<String, Value>)> {
    let model_id = body
        .get("model")
        .or_else(|| body.get("name"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let not_found = || ServiceError::invalid(format!("Model '{model_id}' was not found"));
    let loaded = load(app, false).await?;
    let model = loaded
        .catalog
        .get(&model_id)
        .filter(|m| m.target.as_ref().is_some_and(|t| t.api == Api::Ollama))
        .ok_or_else(not_found)?;
    if !loaded.catalog.allows(&viewer(app, user), model) {
        return Err(ServiceError::forbidden("Model not found"));
    }
    let target = model.target.as_ref().ok_or_else(not_found)?;
    let connection = match idx {
        Some(idx) => connection(app, idx)?,
        None => app.models.pick_connection(&loaded.config, target)?,
    };
    let upstream_id = connection.upstream_model_id(&target.id).to_owned();
    body.remove("name");
    body.remove("metadata");
    body.insert("model".into(), Value::from(upstream_id));
    Ok((connection, body))
}

/// Ollama's `/api/chat` for a model the caller may use (on server `idx`, or any serving it);
/// streams unless `stream` is false.
pub async fn chat(
    app: &App,
    user: &User,
    body: Map<String, Value>,
    idx: Option<usize>,
) -> ServiceResult<ChatAnswer> {
    check_enabled(app)?;
    if !body.get("messages").is_some_and(Value::is_array) {
        return Err(ServiceError::invalid(
            "messages: a list of messages is required",
        ));
    }
    let stream = body.get("stream").and_then(Value::as_bool).unwrap_or(true);
    let (connection, mut body) = native_target(app, user, body, idx).await?;
    body.insert("stream".into(), Value::Bool(stream));
    let admission = crate::usage::admit(app, user).await?;
    let prompt = crate::usage::prompt_chars(&body);
    let answer = app
        .models
        .ollama_native(&connection, "/api/chat", &body, stream)
        .await?;
    Ok(crate::usage::metered(answer, admission, prompt).await)
}

/// Ollama's `/api/show` (model details) for a model the caller may use.
pub async fn show(app: &App, user: &User, body: Map<String, Value>) -> ServiceResult<ChatAnswer> {
    check_enabled(app)?;
    let (connection, body) = native_target(app, user, body, None).await?;
    Ok(app
        .models
        .ollama_native(&connection, "/api/show", &body, false)
        .await?)
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
