//! The session pool (who is connected, as Open WebUI's `SESSION_POOL`) and the usage pool
//! (which models are being used right now, `USAGE_POOL`): in memory for one instance, or in
//! Redis hashes (`{prefix}:session_pool`, `{prefix}:usage_pool`) shared by all.

use fred::clients::Client;
use fred::interfaces::{ClientLike, HashesInterface};
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::sync::Mutex;

/// Seconds a usage report counts as current.
pub const USAGE_WINDOW_SECS: i64 = 10;

enum Backend {
    Memory {
        sessions: Mutex<HashMap<String, Value>>,
        usage: Mutex<HashMap<String, HashMap<String, i64>>>,
    },
    Redis {
        client: Client,
        sessions_key: String,
        usage_key: String,
    },
}

/// The pools.
pub struct Pools {
    backend: Backend,
}

impl Pools {
    /// Pools in this process.
    pub fn memory() -> Self {
        Self {
            backend: Backend::Memory {
                sessions: Mutex::new(HashMap::new()),
                usage: Mutex::new(HashMap::new()),
            },
        }
    }

    /// Pools in Redis under `prefix`.
    pub fn redis(url: &str, prefix: &str) -> Result<Self, fred::error::Error> {
        let client: Client = crate::redis::builder(url)?.build()?;
        let connecting = client.clone();
        tokio::spawn(async move {
            if let Err(error) = connecting.init().await {
                tracing::error!(%error, "Redis (session pool) connection failed");
            }
        });
        Ok(Self {
            backend: Backend::Redis {
                client,
                sessions_key: format!("{prefix}:session_pool"),
                usage_key: format!("{prefix}:usage_pool"),
            },
        })
    }

    /// Records (or refreshes) a socket's user.
    pub async fn set_session(&self, socket_id: &str, user: &Value) {
        match &self.backend {
            Backend::Memory { sessions, .. } => {
                if let Ok(mut map) = sessions.lock() {
                    map.insert(socket_id.to_owned(), user.clone());
                }
            }
            Backend::Redis {
                client,
                sessions_key,
                ..
            } => {
                let done: Result<(), _> = client
                    .hset(sessions_key.as_str(), (socket_id, user.to_string()))
                    .await;
                if let Err(error) = done {
                    tracing::debug!(%error, "session pool write failed");
                }
            }
        }
    }

    /// Forgets a socket (and its usage reports).
    pub async fn remove_session(&self, socket_id: &str) {
        match &self.backend {
            Backend::Memory { sessions, usage } => {
                if let Ok(mut map) = sessions.lock() {
                    map.remove(socket_id);
                }
                if let Ok(mut map) = usage.lock() {
                    map.values_mut().for_each(|s| {
                        s.remove(socket_id);
                    });
                    map.retain(|_, s| !s.is_empty());
                }
            }
            Backend::Redis {
                client,
                sessions_key,
                ..
            } => {
                let done: Result<(), _> = client.hdel(sessions_key.as_str(), socket_id).await;
                if let Err(error) = done {
                    tracing::debug!(%error, "session pool delete failed");
                }
            }
        }
    }

    /// Every session: socket id → user.
    pub async fn sessions(&self) -> HashMap<String, Value> {
        match &self.backend {
            Backend::Memory { sessions, .. } => {
                sessions.lock().map(|m| m.clone()).unwrap_or_default()
            }
            Backend::Redis {
                client,
                sessions_key,
                ..
            } => {
                let raw: HashMap<String, String> = client
                    .hgetall(sessions_key.as_str())
                    .await
                    .unwrap_or_default();
                raw.into_iter()
                    .filter_map(|(k, v)| serde_json::from_str(&v).ok().map(|v| (k, v)))
                    .collect()
            }
        }
    }

    /// Records that a socket is using `model` at `now`.
    pub async fn touch_usage(&self, model: &str, socket_id: &str, now: i64) {
        match &self.backend {
            Backend::Memory { usage, .. } => {
                if let Ok(mut map) = usage.lock() {
                    map.entry(model.to_owned())
                        .or_default()
                        .insert(socket_id.to_owned(), now);
                }
            }
            Backend::Redis {
                client, usage_key, ..
            } => {
                let current: Option<String> =
                    client.hget(usage_key.as_str(), model).await.unwrap_or(None);
                let mut entry: Map<String, Value> = current
                    .and_then(|c| serde_json::from_str(&c).ok())
                    .unwrap_or_default();
                entry.insert(socket_id.to_owned(), json!({"updated_at": now}));
                let done: Result<(), _> = client
                    .hset(
                        usage_key.as_str(),
                        (model, Value::Object(entry).to_string()),
                    )
                    .await;
                if let Err(error) = done {
                    tracing::debug!(%error, "usage pool write failed");
                }
            }
        }
    }

    /// Models some socket reported using within the last [`USAGE_WINDOW_SECS`].
    pub async fn models_in_use(&self, now: i64) -> Vec<String> {
        let recent = |updated: i64| now - updated <= USAGE_WINDOW_SECS;
        let mut models: Vec<String> = match &self.backend {
            Backend::Memory { usage, .. } => usage
                .lock()
                .map(|m| {
                    m.iter()
                        .filter(|(_, s)| s.values().any(|t| recent(*t)))
                        .map(|(k, _)| k.clone())
                        .collect()
                })
                .unwrap_or_default(),
            Backend::Redis {
                client, usage_key, ..
            } => {
                let raw: HashMap<String, String> =
                    client.hgetall(usage_key.as_str()).await.unwrap_or_default();
                raw.into_iter()
                    .filter(|(_, v)| {
                        serde_json::from_str::<Map<String, Value>>(v).is_ok_and(|entries| {
                            entries
                                .values()
                                .any(|e| e["updated_at"].as_i64().is_some_and(recent))
                        })
                    })
                    .map(|(k, _)| k)
                    .collect()
            }
        };
        models.sort();
        models
    }

    /// Whether the Redis backend is connected (always true in memory).
    pub fn healthy(&self) -> bool {
        match &self.backend {
            Backend::Memory { .. } => true,
            Backend::Redis { client, .. } => client.is_connected(),
        }
    }
}
