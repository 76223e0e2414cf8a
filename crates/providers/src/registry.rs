//! The base model list: every enabled connection asked at once (each within its own time
//! limit, so a dead server costs at most that limit and never fails the list), merged into
//! Open WebUI's model objects, and reused for a short time.

use crate::client::ProviderClient;
use futures_util::future::join_all;
use hearth_domain::provider::{Api, BaseModel, BaseModels, Connection, ProviderConfig};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Model families OpenAI lists that are not chat models (skipped for api.openai.com).
const NOT_CHAT_MODELS: &[&str] = &[
    "babbage",
    "dall-e",
    "davinci",
    "embedding",
    "tts",
    "whisper",
];

struct Cached {
    at: Instant,
    config: Arc<ProviderConfig>,
    models: Arc<BaseModels>,
}

/// Fetches and caches the base model list.
pub struct ModelRegistry {
    client: ProviderClient,
    cache: Mutex<Option<Cached>>,
    refreshing: tokio::sync::Mutex<()>,
}

impl ModelRegistry {
    /// A registry using `client`.
    pub fn new(client: ProviderClient) -> Self {
        Self {
            client,
            cache: Mutex::new(None),
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    fn cached(&self, config: &ProviderConfig) -> Option<Arc<BaseModels>> {
        let ttl = self.client.settings().models_cache_ttl;
        let cache = self.cache.lock().ok()?;
        cache
            .as_ref()
            .filter(|c| c.at.elapsed() < ttl && *c.config == *config)
            .map(|c| Arc::clone(&c.models))
    }

    /// The base models for `config`: cached when fresh (and the config unchanged), else
    /// fetched; `refresh` always fetches. Concurrent callers share one fetch.
    pub async fn base_models(
        &self,
        config: &Arc<ProviderConfig>,
        refresh: bool,
    ) -> Arc<BaseModels> {
        if !refresh && let Some(models) = self.cached(config) {
            return models;
        }
        let _one_fetch = self.refreshing.lock().await;
        if !refresh && let Some(models) = self.cached(config) {
            return models;
        }
        let mut models = Arc::new(fetch_all(&self.client, config).await);
        if let Ok(mut cache) = self.cache.lock() {
            // When every connection failed, keep serving the last list of the same config.
            if models.models.is_empty()
                && let Some(previous) = cache.as_ref().filter(|c| *c.config == **config)
            {
                models = Arc::clone(&previous.models);
            }
            *cache = Some(Cached {
                at: Instant::now(),
                config: Arc::clone(config),
                models: Arc::clone(&models),
            });
        }
        models
    }

    /// Forgets the cached list (after the admin changes connections).
    pub fn clear(&self) {
        if let Ok(mut cache) = self.cache.lock() {
            *cache = None;
        }
    }
}

async fn fetch_all(client: &ProviderClient, config: &ProviderConfig) -> BaseModels {
    let openai = join_all(config.active(Api::OpenAi).map(|c| openai_models(client, c)));
    let ollama = join_all(config.active(Api::Ollama).map(|c| ollama_models(client, c)));
    let (openai, ollama) = tokio::join!(openai, ollama);
    let mut models: Vec<BaseModel> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for model in openai.into_iter().flatten() {
        if !seen.contains_key(&model.id) {
            seen.insert(model.id.clone(), models.len());
            models.push(model);
        }
    }
    let mut ollama_merged: Vec<BaseModel> = Vec::new();
    let mut ollama_seen: HashMap<String, usize> = HashMap::new();
    for model in ollama.into_iter().flatten() {
        match ollama_seen.get(&model.id) {
            Some(&i) => {
                let merged = &mut ollama_merged[i];
                merged.connections.extend(model.connections);
                let urls: Vec<Value> = merged.connections.iter().map(|&c| Value::from(c)).collect();
                if let Some(Value::Object(inner)) = merged.body.get_mut("ollama") {
                    inner.insert("urls".into(), Value::Array(urls));
                }
            }
            None => {
                ollama_seen.insert(model.id.clone(), ollama_merged.len());
                ollama_merged.push(model);
            }
        }
    }
    for model in ollama_merged {
        if !seen.contains_key(&model.id) {
            seen.insert(model.id.clone(), models.len());
            models.push(model);
        }
    }
    BaseModels::new(models)
}

async fn openai_models(client: &ProviderClient, connection: &Connection) -> Vec<BaseModel> {
    let raw: Vec<Value> = if connection.model_ids.is_empty() {
        match client
            .get_json(
                connection.label(),
                &connection.url,
                &connection.key,
                "/models",
            )
            .await
        {
            Ok(Value::Array(list)) => list,
            Ok(Value::Object(mut body)) => match body.remove("data") {
                Some(Value::Array(list)) => list,
                _ => Vec::new(),
            },
            Ok(_) => Vec::new(),
            Err(e) => {
                tracing::warn!(connection = %connection.label(), error = %e, "model list failed");
                return Vec::new();
            }
        }
    } else {
        connection
            .model_ids
            .iter()
            .map(|id| json!({"id": id, "name": id, "owned_by": "openai", "openai": {"id": id}}))
            .collect()
    };
    let openai_host = connection.url.contains("://api.openai.com");
    raw.into_iter()
        .filter_map(|item| {
            let Value::Object(mut item) = item else {
                return None;
            };
            if item.get("name").is_some_and(Value::is_null) {
                item.remove("name");
            }
            let upstream_id = item
                .get("id")
                .or_else(|| item.get("name"))
                .and_then(Value::as_str)?
                .to_owned();
            if openai_host && NOT_CHAT_MODELS.iter().any(|k| upstream_id.contains(k)) {
                return None;
            }
            let id = connection.public_model_id(&upstream_id);
            item.insert("id".into(), Value::from(id.as_str()));
            if let Some(name) = item.get("name").and_then(Value::as_str).map(str::to_owned) {
                item.insert(
                    "name".into(),
                    Value::from(connection.public_model_id(&name)),
                );
            }
            if !connection.tags.is_empty() {
                item.insert("tags".into(), Value::Array(connection.tags.clone()));
            }
            item.insert(
                "connection_type".into(),
                Value::from(connection.connection_type.as_str()),
            );
            if !connection.provider.is_empty() {
                item.insert("provider".into(), Value::from(connection.provider.as_str()));
            }
            let mut body = item.clone();
            body.entry("name")
                .or_insert_with(|| Value::from(id.as_str()));
            body.insert("owned_by".into(), Value::from("openai"));
            body.insert("openai".into(), Value::Object(item));
            body.insert("provider".into(), Value::from(connection.provider.as_str()));
            body.insert("urlIdx".into(), Value::from(connection.idx));
            Some(BaseModel {
                id,
                api: Api::OpenAi,
                connections: vec![connection.idx],
                body,
            })
        })
        .collect()
}

async fn ollama_models(client: &ProviderClient, connection: &Connection) -> Vec<BaseModel> {
    let list = match client
        .get_json(
            connection.label(),
            &connection.url,
            &connection.key,
            "/api/tags",
        )
        .await
    {
        Ok(mut body) => match body.get_mut("models").map(Value::take) {
            Some(Value::Array(list)) => list,
            _ => Vec::new(),
        },
        Err(e) => {
            tracing::warn!(connection = %connection.label(), error = %e, "model list failed");
            return Vec::new();
        }
    };
    list.into_iter()
        .filter_map(|item| {
            let Value::Object(mut item) = item else {
                return None;
            };
            let upstream_id = item.get("model").and_then(Value::as_str)?.to_owned();
            if !connection.model_ids.is_empty() && !connection.model_ids.contains(&upstream_id) {
                return None;
            }
            let id = connection.public_model_id(&upstream_id);
            item.insert("model".into(), Value::from(id.as_str()));
            let name = match item.get("name").and_then(Value::as_str) {
                Some(name) => connection.public_model_id(name),
                None => id.clone(),
            };
            item.insert("name".into(), Value::from(name.as_str()));
            if !connection.tags.is_empty() {
                item.insert("tags".into(), Value::Array(connection.tags.clone()));
            }
            item.insert(
                "connection_type".into(),
                Value::from(connection.connection_type.as_str()),
            );
            item.insert("urls".into(), json!([connection.idx]));
            let body = json!({
                "id": id,
                "name": name,
                "object": "model",
                "created": 0,
                "owned_by": "ollama",
                "loaded": item.contains_key("expires_at"),
                "connection_type": connection.connection_type,
                "tags": item.get("tags").cloned().unwrap_or_else(|| json!([])),
                "ollama": item,
            });
            let Value::Object(body) = body else {
                return None;
            };
            Some(BaseModel {
                id,
                api: Api::Ollama,
                connections: vec![connection.idx],
                body,
            })
        })
        .collect()
}
