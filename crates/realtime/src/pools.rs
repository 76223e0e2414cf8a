//! The session pool (who is connected, as Open WebUI's `SESSION_POOL`) and the usage pool
//! (which models are being used right now, `USAGE_POOL`): in memory for one instance, or in
//! Redis hashes (`{prefix}:session_pool`, `{prefix}:usage_pool`) shared by all. While Redis is
//! away, writes are skipped and reads come back empty; nothing waits on it.

use fred::clients::Client;
use fred::interfaces::{ClientLike, HashesInterface};
use hearth_redis::Breaker;
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::sync::Mutex;

/// Seconds a usage report counts as current.
pub const USAGE_WINDOW_SECS: i64 = 10;

struct Shared {
    client: Client,
    sessions_key: String,
    usage_key: String,
    breaker: Breaker,
}

impl Shared {
    fn usable(&self) -> bool {
        self.client.is_connected() && self.breaker.closed()
    }

    fn note<T>(&self, result: Result<T, fred::error::Error>, what: &str) -> Option<T> {
        self.breaker.record(&result);
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                tracing::debug!(%error, "{what} failed");
                None
            }
        }
    }
}

enum Backend {
    Memory {
        sessions: Mutex<HashMap<String, Value>>,
        usage: Mutex<HashMap<String, HashMap<String, i64>>>,
    },
    Redis(Shared),
}

/// The pools.
pub struct Pools {
    backend: Backend,
}

fn recent(now: i64, updated: i64) -> bool {
    now - updated <= USAGE_WINDOW_SECS
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
        let client: Client = hearth_redis::builder(url)?.build()?;
        let connecting = client.clone();
        tokio::spawn(async move {
            if let Err(error) = connecting.init().await {
                tracing::error!(%error, "Redis (session pool) connection failed");
            }
        });
        Ok(Self {
            backend: Backend::Redis(Shared {
                client,
                sessions_key: format!("{prefix}:session_pool"),
                usage_key: format!("{prefix}:usage_pool"),
                breaker: Breaker::default(),
            }),
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
            Backend::Redis(shared) if shared.usable() => {
                let done = shared
                    .client
                    .hset::<(), _, _>(shared.sessions_key.as_str(), (socket_id, user.to_string()))
                    .await;
                shared.note(done, "session pool write");
            }
            Backend::Redis(_) => {}
        }
    }

    /// Forgets a socket (and its usage reports, in memory).
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
            Backend::Redis(shared) if shared.usable() => {
                let done = shared
                    .client
                    .hdel::<(), _, _>(shared.sessions_key.as_str(), socket_id)
                    .await;
                shared.note(done, "session pool delete");
            }
            Backend::Redis(_) => {}
        }
    }

    /// Every session: socket id → user.
    pub async fn sessions(&self) -> HashMap<String, Value> {
        match &self.backend {
            Backend::Memory { sessions, .. } => {
                sessions.lock().map(|m| m.clone()).unwrap_or_default()
            }
            Backend::Redis(shared) if shared.usable() => {
                let read = shared
                    .client
                    .hgetall::<HashMap<String, String>, _>(shared.sessions_key.as_str())
                    .await;
                shared
                    .note(read, "session pool read")
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|(k, v)| serde_json::from_str(&v).ok().map(|v| (k, v)))
                    .collect()
            }
            Backend::Redis(_) => HashMap::new(),
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
            Backend::Redis(shared) if shared.usable() => {
                let read = shared
                    .client
                    .hget::<Option<String>, _, _>(shared.usage_key.as_str(), model)
                    .await;
                let Some(current) = shared.note(read, "usage pool read") else {
                    return;
                };
                let mut entry: Map<String, Value> = current
                    .and_then(|c| serde_json::from_str(&c).ok())
                    .unwrap_or_default();
                entry.retain(|_, e| e["updated_at"].as_i64().is_some_and(|t| recent(now, t)));
                entry.insert(socket_id.to_owned(), json!({"updated_at": now}));
                let done = shared
                    .client
                    .hset::<(), _, _>(
                        shared.usage_key.as_str(),
                        (model, Value::Object(entry).to_string()),
                    )
                    .await;
                shared.note(done, "usage pool write");
            }
            Backend::Redis(_) => {}
        }
    }

    /// Models some socket reported using within the last [`USAGE_WINDOW_SECS`].
    pub async fn models_in_use(&self, now: i64) -> Vec<String> {
        let mut models: Vec<String> = match &self.backend {
            Backend::Memory { usage, .. } => usage
                .lock()
                .map(|m| {
                    m.iter()
                        .filter(|(_, s)| s.values().any(|t| recent(now, *t)))
                        .map(|(k, _)| k.clone())
                        .collect()
                })
                .unwrap_or_default(),
            Backend::Redis(shared) if shared.usable() => {
                let read = shared
                    .client
                    .hgetall::<HashMap<String, String>, _>(shared.usage_key.as_str())
                    .await;
                shared
                    .note(read, "usage pool read")
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|(_, v)| {
                        serde_json::from_str::<Map<String, Value>>(v).is_ok_and(|entries| {
                            entries
                                .values()
                                .any(|e| e["updated_at"].as_i64().is_some_and(|t| recent(now, t)))
                        })
                    })
                    .map(|(k, _)| k)
                    .collect()
            }
            Backend::Redis(_) => Vec::new(),
        };
        models.sort();
        models
    }

    /// Whether the Redis backend is reachable (always true in memory).
    pub fn healthy(&self) -> bool {
        match &self.backend {
            Backend::Memory { .. } => true,
            Backend::Redis(shared) => shared.usable(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn usage_counts_only_recent_reports_and_leaves_with_the_socket() {
        let pools = Pools::memory();
        pools.touch_usage("llama", "s1", 100).await;
        pools.touch_usage("qwen", "s2", 100).await;
        assert_eq!(pools.models_in_use(100).await, ["llama", "qwen"]);
        assert_eq!(
            pools.models_in_use(100 + USAGE_WINDOW_SECS + 1).await,
            Vec::<String>::new()
        );
        pools.remove_session("s2").await;
        assert_eq!(pools.models_in_use(101).await, ["llama"]);
    }

    #[tokio::test]
    async fn sessions_are_kept_by_socket() {
        let pools = Pools::memory();
        pools.set_session("s1", &json!({"id": "u1"})).await;
        pools.set_session("s2", &json!({"id": "u2"})).await;
        pools.remove_session("s1").await;
        let sessions = pools.sessions().await;
        assert_eq!(sessions.len(), 1);
        assert_eq!(sessions["s2"]["id"], "u2");
    }
}
