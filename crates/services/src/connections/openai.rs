//! OpenAI-compatible connections: the admin's settings, the connection check, the OpenAI
//! models the caller may use, and a completion limited to OpenAI models.

use super::{checked_url, configs_for, no_connection};
use crate::App;
use crate::completions::{Refusals, complete};
use crate::error::{ServiceError, ServiceResult};
use crate::models::{load, viewer};
use hearth_domain::User;
use hearth_domain::config::keys;
use hearth_domain::provider::{Api, ChatAnswer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

/// The OpenAI connection settings.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct OpenAiConfig {
    /// Whether OpenAI connections are used (unchanged when absent).
    #[serde(default, rename = "ENABLE_OPENAI_API")]
    pub enable: Option<bool>,
    /// Base URLs.
    #[serde(rename = "OPENAI_API_BASE_URLS")]
    pub base_urls: Vec<String>,
    /// Keys, by position (padded or cut to the URL count).
    #[serde(default, rename = "OPENAI_API_KEYS")]
    pub keys: Vec<String>,
    /// Per-connection settings keyed by position.
    #[serde(default, rename = "OPENAI_API_CONFIGS")]
    pub configs: Map<String, Value>,
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

const REFUSALS: Refusals = Refusals {
    unknown: |id| ServiceError::not_found(format!("Model '{id}' was not found")),
    denied: |_| ServiceError::forbidden("Model not found"),
};

fn check_enabled(app: &App) -> ServiceResult<()> {
    if app.view().flag(keys::OPENAI_ENABLE) {
        Ok(())
    } else {
        Err(ServiceError::Unavailable("OpenAI API is disabled".into()))
    }
}

/// The OpenAI connections (keys included).
pub fn config(app: &App) -> Value {
    let view = app.view();
    json!({
        "ENABLE_OPENAI_API": view.snapshot.value(keys::OPENAI_ENABLE),
        "OPENAI_API_BASE_URLS": view.snapshot.value(keys::OPENAI_BASE_URLS),
        "OPENAI_API_KEYS": view.snapshot.value(keys::OPENAI_KEYS),
        "OPENAI_API_CONFIGS": view.snapshot.value(keys::OPENAI_CONFIGS),
    })
}

/// Replaces the OpenAI connections.
pub async fn set_config(app: &App, form: OpenAiConfig) -> ServiceResult<Value> {
    let urls = form
        .base_urls
        .iter()
        .map(|u| checked_url(u))
        .collect::<ServiceResult<Vec<_>>>()?;
    let mut api_keys = form.keys;
    api_keys.resize(urls.len(), String::new());
    let configs = configs_for(urls.len(), form.configs);
    let mut values = vec![
        (keys::OPENAI_BASE_URLS.to_owned(), json!(urls)),
        (keys::OPENAI_KEYS.to_owned(), json!(api_keys)),
        (keys::OPENAI_CONFIGS.to_owned(), Value::Object(configs)),
    ];
    if let Some(enabled) = form.enable {
        values.push((keys::OPENAI_ENABLE.to_owned(), json!(enabled)));
    }
    app.config.set(values).await?;
    app.models.forget_models();
    Ok(config(app))
}

/// Tries a connection's model list with the given URL and key.
pub async fn verify(app: &App, form: &VerifyForm) -> ServiceResult<Value> {
    let url = checked_url(&form.url)?;
    let key = form.key.as_deref().unwrap_or_default();
    let label = "OpenAI connection being verified".to_owned();
    Ok(app.models.get_json(label, &url, key, "/models").await?)
}

/// The OpenAI models the caller may use.
pub async fn models(app: &App, user: &User) -> ServiceResult<Value> {
    check_enabled(app)?;
    let loaded = load(app, false).await?;
    let data: Vec<&Map<String, Value>> = loaded
        .catalog
        .visible(&viewer(app, user), &[])
        .into_iter()
        .filter(|m| m.target.as_ref().is_some_and(|t| t.api == Api::OpenAi))
        .map(|m| &m.body)
        .collect();
    Ok(json!({ "data": data }))
}

/// One connection's own model list, as the server answers it.
pub async fn connection_models(app: &App, idx: usize) -> ServiceResult<Value> {
    let config = app.view().providers.clone();
    let connection = config.get(Api::OpenAi, idx).ok_or_else(no_connection)?;
    let answer = app
        .models
        .get_json(
            connection.label(),
            &connection.url,
            &connection.key,
            "/models",
        )
        .await?;
    Ok(answer)
}

/// A chat completion for an OpenAI model (OpenAI format in and out).
pub async fn chat(app: &App, user: &User, body: Map<String, Value>) -> ServiceResult<ChatAnswer> {
    check_enabled(app)?;
    let admission = crate::usage::admit(app, user).await?;
    let prompt = crate::usage::prompt_chars(&body);
    let answer = complete(app, user, body, Some(Api::OpenAi), &REFUSALS).await?;
    Ok(crate::usage::metered(answer, admission, prompt).await)
}
