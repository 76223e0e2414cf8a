//! The task registry's Redis side, with Open WebUI's key names.

use crate::TaskRegistry;
use fred::clients::{Client, SubscriberClient};
use fred::interfaces::{
    ClientLike, EventInterface, HashesInterface, KeysInterface, PubsubInterface, SetsInterface,
};
use fred::prelude::Expiration;
use hearth_redis::{Breaker, builder};
use serde_json::{Value, json};
use std::sync::Weak;
use std::time::Duration;

pub(crate) struct RedisTasks {
    client: Client,
    subscriber: SubscriberClient,
    tasks_key: String,
    item_key: String,
    streams_key: String,
    channel: String,
    ttl: Duration,
    breaker: Breaker,
}

impl RedisTasks {
    pub(crate) fn new(url: &str, prefix: &str, ttl: Duration) -> Result<Self, fred::error::Error> {
        Ok(Self {
            client: builder(url)?.build()?,
            subscriber: builder(url)?.build_subscriber_client()?,
            tasks_key: format!("{prefix}:tasks"),
            item_key: format!("{prefix}:tasks:item"),
            streams_key: format!("{prefix}:tasks:response_streams"),
            channel: format!("{prefix}:tasks:commands"),
            ttl,
            breaker: Breaker::default(),
        })
    }

    /// Connects in the background, listens for stop commands, refreshes TTLs.
    pub(crate) fn start(&self, registry: Weak<TaskRegistry>) {
        let client = self.client.clone();
        tokio::spawn(async move {
            if let Err(error) = client.init().await {
                tracing::error!(%error, "Redis (tasks) connection failed");
            }
        });
        let subscriber = self.subscriber.clone();
        let channel = self.channel.clone();
        let mut messages = subscriber.message_rx();
        let _resubscribe = subscriber.manage_subscriptions();
        tokio::spawn({
            let subscriber = subscriber.clone();
            let channel = channel.clone();
            async move {
                if let Err(error) = subscriber.init().await {
                    tracing::error!(%error, "Redis (task commands) connection failed");
                    return;
                }
                if let Err(error) = subscriber.subscribe(channel).await {
                    tracing::error!(%error, "Redis (task commands) subscribe failed");
                }
            }
        });
        let listener = registry.clone();
        tokio::spawn(async move {
            loop {
                let message = match messages.recv().await {
                    Ok(message) => message,
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
                };
                if message.channel != channel {
                    continue;
                }
                let Some(text) = message.value.as_str() else {
                    continue;
                };
                let Ok(command) = serde_json::from_str::<Value>(&text) else {
                    continue;
                };
                if command["action"] != "stop" {
                    continue;
                }
                let Some(task_id) = command["task_id"].as_str() else {
                    continue;
                };
                let Some(registry) = listener.upgrade() else {
                    break;
                };
                registry.stop_local(task_id);
            }
        });
        let client = self.client.clone();
        let tasks_key = self.tasks_key.clone();
        let ttl = self.ttl;
        tokio::spawn(async move {
            loop {
                tokio::time::sleep((ttl / 4).max(Duration::from_secs(1))).await;
                let Some(registry) = registry.upgrade() else {
                    break;
                };
                for (id, item) in registry.local_entries() {
                    let refreshed: Result<i64, _> = client
                        .expire(format!("{tasks_key}:{id}"), ttl.as_secs() as i64, None)
                        .await;
                    match refreshed {
                        Err(_) => break,
                        // Not recorded (Redis was away when the task started): record it.
                        Ok(0) => {
                            if let Some(redis) = registry.redis() {
                                redis.save(&id, item.as_deref()).await;
                            }
                        }
                        Ok(_) => {}
                    }
                }
            }
        });
    }

    /// Whether to use Redis now: connected, and no command failed in the last seconds (an
    /// outage costs one short timeout now and then, not one per command).
    fn up(&self) -> bool {
        self.client.is_connected() && self.breaker.closed()
    }

    fn record<T>(&self, result: &Result<T, fred::error::Error>) {
        self.breaker.record(result);
    }

    pub(crate) async fn save(&self, task_id: &str, item: Option<&str>) {
        if !self.up() {
            tracing::warn!("Redis unavailable; task known to this instance only");
            return;
        }
        let expiry = Some(Expiration::EX(self.ttl.as_secs() as i64));
        let saved: Result<(), fred::error::Error> = async {
            let _: () = self
                .client
                .set(
                    format!("{}:{task_id}", self.tasks_key),
                    "1",
                    expiry,
                    None,
                    false,
                )
                .await?;
            let _: () = self
                .client
                .hset(self.tasks_key.as_str(), (task_id, item.unwrap_or_default()))
                .await?;
            if let Some(item) = item {
                let _: () = self
                    .client
                    .sadd(format!("{}:{item}", self.item_key), task_id)
                    .await?;
            }
            Ok(())
        }
        .await;
        self.record(&saved);
        if let Err(error) = saved {
            tracing::warn!(%error, "task not recorded in Redis; other instances will not see it");
        }
    }

    pub(crate) async fn cleanup(&self, task_id: &str, item: Option<&str>) {
        if !self.up() {
            return;
        }
        let done: Result<(), fred::error::Error> = async {
            let _: () = self
                .client
                .del(format!("{}:{task_id}", self.tasks_key))
                .await?;
            let _: () = self.client.hdel(self.tasks_key.as_str(), task_id).await?;
            let _: () = self
                .client
                .del(format!("{}:{task_id}", self.streams_key))
                .await?;
            if let Some(item) = item {
                let _: () = self
                    .client
                    .srem(format!("{}:{item}", self.item_key), task_id)
                    .await?;
            }
            Ok(())
        }
        .await;
        self.record(&done);
        if let Err(error) = done {
            tracing::debug!(%error, "task cleanup in Redis failed (its key expires)");
        }
    }

    /// Live task ids (of `item`); `None` when Redis cannot answer.
    pub(crate) async fn list(&self, item: Option<&str>) -> Option<Vec<String>> {
        if !self.up() {
            return None;
        }
        let read: Result<Vec<String>, fred::error::Error> = match item {
            Some(item) => {
                self.client
                    .smembers(format!("{}:{item}", self.item_key))
                    .await
            }
            None => self.client.hkeys(self.tasks_key.as_str()).await,
        };
        self.record(&read);
        let ids = read.ok()?;
        let mut live = Vec::new();
        for id in ids {
            let exists: i64 = self
                .client
                .exists(format!("{}:{id}", self.tasks_key))
                .await
                .ok()?;
            if exists > 0 {
                live.push(id);
            } else {
                self.cleanup(&id, item).await;
            }
        }
        Some(live)
    }

    /// Items (chats) with a task recorded in the tasks hash, in one read. Entries of tasks
    /// whose instance died linger until their key expires and a listing cleans them up.
    pub(crate) async fn items(&self) -> Option<std::collections::HashSet<String>> {
        if !self.up() {
            return None;
        }
        let read: Result<Vec<String>, fred::error::Error> =
            self.client.hvals(self.tasks_key.as_str()).await;
        self.record(&read);
        Some(read.ok()?.into_iter().filter(|i| !i.is_empty()).collect())
    }

    /// Stores a task's answer so far (kept an hour at most).
    pub(crate) async fn save_snapshot(&self, task_id: &str, content: &str) {
        if !self.up() {
            return;
        }
        let value = json!({"content": content}).to_string();
        let saved: Result<(), _> = self
            .client
            .set(
                format!("{}:{task_id}", self.streams_key),
                value,
                Some(Expiration::EX(3600)),
                None,
                false,
            )
            .await;
        self.record(&saved);
        if let Err(error) = saved {
            tracing::debug!(%error, "snapshot not shared");
        }
    }

    /// A task's answer so far, if another instance shared it.
    pub(crate) async fn snapshot(&self, task_id: &str) -> Option<String> {
        if !self.up() {
            return None;
        }
        let read: Result<Option<String>, fred::error::Error> = self
            .client
            .get(format!("{}:{task_id}", self.streams_key))
            .await;
        self.record(&read);
        let raw = read.ok()?;
        let value: Value = serde_json::from_str(&raw?).ok()?;
        value["content"].as_str().map(str::to_owned)
    }

    /// Publishes a stop; true when the task is known to Redis.
    pub(crate) async fn send_stop(&self, task_id: &str) -> bool {
        if !self.up() {
            tracing::warn!("Redis unavailable; a stop cannot reach other instances");
            return false;
        }
        let exists: Result<i64, fred::error::Error> = self
            .client
            .exists(format!("{}:{task_id}", self.tasks_key))
            .await;
        self.record(&exists);
        let known = exists.unwrap_or(0);
        let command = json!({"action": "stop", "task_id": task_id}).to_string();
        let sent: Result<(), _> = self.client.publish(self.channel.as_str(), command).await;
        self.record(&sent);
        if let Err(error) = &sent {
            tracing::warn!(%error, "stop command not published");
        }
        known > 0 && sent.is_ok()
    }
}
