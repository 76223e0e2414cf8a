//! Hearth's background tasks: work that outlives the request that started it (a streamed
//! chat completion), registered by task id and by the item (chat) it belongs to, and
//! cancellable from any instance. Cancellation is cooperative first (the task sees
//! [`CancelToken::cancelled`] and saves what it has), then forced.
//!
//! With Redis the registry mirrors Open WebUI's keys (`{prefix}:tasks:{id}` with a TTL,
//! `{prefix}:tasks` hash, `{prefix}:tasks:item:{item}` sets) and listens on
//! `{prefix}:tasks:commands` for `{"action": "stop", "task_id": ...}`, so a stop sent to any
//! instance reaches the instance running the task.

mod redis_keys;

use async_trait::async_trait;
use hearth_domain::ids::{ChatId, TaskId};
use hearth_domain::ports::{StopSignal, TaskBody, TaskRunner};
use std::pin::Pin;

use redis_keys::RedisTasks;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;
use tokio::sync::watch;

/// How long a stopped task may take to wrap up before it is aborted.
const GRACE: Duration = Duration::from_secs(10);
/// Least time between two snapshot writes to Redis for one task.
const SNAPSHOT_INTERVAL: Duration = Duration::from_millis(250);

/// Seen by a running task: whether someone asked it to stop.
#[derive(Clone, Debug)]
pub struct CancelToken {
    rx: watch::Receiver<bool>,
    task_id: String,
    id: TaskId,
}

impl CancelToken {
    /// The id of the task holding this token.
    pub fn task_id(&self) -> &str {
        &self.task_id
    }

    /// Resolves when the task should stop.
    pub async fn cancelled(&self) {
        let mut rx = self.rx.clone();
        let _ = rx.wait_for(|stop| *stop).await;
    }

    /// Whether the task should stop.
    pub fn is_cancelled(&self) -> bool {
        *self.rx.borrow()
    }
}

struct LocalTask {
    item: Option<String>,
    stop: watch::Sender<bool>,
    handle: Option<tokio::task::AbortHandle>,
    snapshot: Option<String>,
    shared_at: Option<std::time::Instant>,
}

/// Registry settings.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskSettings {
    /// `REDIS_URL` with its `REDIS_KEY_PREFIX`, to share tasks across instances.
    pub redis: Option<(String, String)>,
    /// `REDIS_TASK_TTL`: how long a task's key lives without its owner refreshing it (300 s).
    pub ttl: Duration,
}

impl TaskSettings {
    /// The registry settings from Redis settings: shared when `REDIS_URL` is set.
    pub fn from_redis(redis: &hearth_settings::RedisSettings) -> Self {
        Self {
            redis: redis
                .url()
                .map(|url| (url.to_owned(), redis.key_prefix.clone())),
            ttl: redis.task_ttl,
        }
    }
}

/// The running tasks.
pub struct TaskRegistry {
    local: Mutex<HashMap<String, LocalTask>>,
    redis: Option<RedisTasks>,
    me: Weak<TaskRegistry>,
}

impl TaskRegistry {
    /// A registry (with Redis, its command listener and TTL refresh start here).
    pub fn new(settings: &TaskSettings) -> Result<Arc<Self>, fred::error::Error> {
        let redis = match &settings.redis {
            Some((url, prefix)) => Some(RedisTasks::new(url, prefix, settings.ttl)?),
            None => None,
        };
        let registry = Arc::new_cyclic(|me| Self {
            local: Mutex::new(HashMap::new()),
            redis,
            me: me.clone(),
        });
        if let Some(redis) = &registry.redis {
            redis.start(Arc::downgrade(&registry));
        }
        Ok(registry)
    }

    /// Runs `work` as a task of `item`; returns its id at once.
    pub async fn spawn<F, Fut>(&self, item: Option<String>, work: F) -> String
    where
        F: FnOnce(CancelToken) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let task_id = uuid::Uuid::new_v4().to_string();
        let (stop, rx) = watch::channel(false);
        if let Ok(mut local) = self.local.lock() {
            local.insert(
                task_id.clone(),
                LocalTask {
                    item: item.clone(),
                    stop,
                    handle: None,
                    snapshot: None,
                    shared_at: None,
                },
            );
        }
        if let Some(redis) = &self.redis {
            redis.save(&task_id, item.as_deref()).await;
        }
        // The work runs in its own task so that aborting it still lets the bookkeeping run.
        let work = tokio::spawn(work(CancelToken {
            rx,
            task_id: task_id.clone(),
            id: TaskId::from(task_id.as_str()),
        }));
        if let Ok(mut local) = self.local.lock()
            && let Some(task) = local.get_mut(&task_id)
        {
            task.handle = Some(work.abort_handle());
        }
        let registry = self.me.clone();
        let id = task_id.clone();
        tokio::spawn(async move {
            if let Err(error) = work.await
                && error.is_panic()
            {
                tracing::error!(task = %id, "background task panicked");
            }
            if let Some(registry) = registry.upgrade() {
                registry.finished(&id).await;
            }
        });
        task_id
    }

    async fn finished(&self, task_id: &str) {
        let item = self
            .local
            .lock()
            .ok()
            .and_then(|mut local| local.remove(task_id))
            .and_then(|task| task.item);
        if let Some(redis) = &self.redis {
            redis.cleanup(task_id, item.as_deref()).await;
        }
    }

    /// Records a task's answer so far (what a reader of the chat sees while it streams);
    /// shared through Redis at most every 250 ms.
    pub async fn set_snapshot(&self, task_id: &str, content: &str) {
        let share = {
            let Ok(mut local) = self.local.lock() else {
                return;
            };
            let Some(task) = local.get_mut(task_id) else {
                return;
            };
            task.snapshot = Some(content.to_owned());
            let due = task
                .shared_at
                .is_none_or(|at| at.elapsed() >= SNAPSHOT_INTERVAL);
            if due {
                task.shared_at = Some(std::time::Instant::now());
            }
            due && self.redis.is_some()
        };
        if share && let Some(redis) = &self.redis {
            redis.save_snapshot(task_id, content).await;
        }
    }

    /// A running task's answer so far (from any instance with Redis).
    pub async fn snapshot(&self, task_id: &str) -> Option<String> {
        let local = self
            .local
            .lock()
            .ok()
            .and_then(|l| l.get(task_id).and_then(|t| t.snapshot.clone()));
        match (local, &self.redis) {
            (Some(content), _) => Some(content),
            (None, Some(redis)) => redis.snapshot(task_id).await,
            (None, None) => None,
        }
    }

    /// Ids of tasks running on this instance.
    pub fn local_ids(&self) -> Vec<String> {
        self.local_where(|_| true)
    }

    /// This instance's tasks with their items.
    fn local_entries(&self) -> Vec<(String, Option<String>)> {
        self.local
            .lock()
            .map(|l| {
                l.iter()
                    .map(|(id, t)| (id.clone(), t.item.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The Redis side of the registry, if any.
    fn redis(&self) -> Option<&RedisTasks> {
        self.redis.as_ref()
    }

    /// Every running task id (all instances with Redis).
    pub async fn list(&self) -> Vec<String> {
        let listed = match &self.redis {
            Some(redis) => redis.list(None).await,
            None => None,
        };
        with_own(listed, self.local_ids())
    }

    /// Running task ids of one item (chat).
    pub async fn list_by_item(&self, item: &str) -> Vec<String> {
        let listed = match &self.redis {
            Some(redis) => redis.list(Some(item)).await,
            None => None,
        };
        with_own(
            listed,
            self.local_where(|t| t.item.as_deref() == Some(item)),
        )
    }

    /// Items (chats) that have a running task, on any instance with Redis.
    pub async fn active_items(&self) -> std::collections::HashSet<String> {
        let own = self
            .local
            .lock()
            .map(|l| l.values().filter_map(|t| t.item.clone()).collect())
            .unwrap_or_default();
        match &self.redis {
            Some(redis) => match redis.items().await {
                Some(mut items) => {
                    items.extend(own);
                    items
                }
                None => own,
            },
            None => own,
        }
    }

    /// Ids of this instance's tasks that `keep` selects.
    fn local_where(&self, keep: impl Fn(&LocalTask) -> bool) -> Vec<String> {
        self.local
            .lock()
            .map(|l| {
                l.iter()
                    .filter(|(_, t)| keep(t))
                    .map(|(id, _)| id.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Asks a task to stop: here if it runs here, else through Redis. False when unknown.
    pub async fn stop(&self, task_id: &str) -> bool {
        if self.stop_local(task_id) {
            return true;
        }
        match &self.redis {
            Some(redis) => redis.send_stop(task_id).await,
            None => false,
        }
    }

    /// Stops a task of this instance: signals it, and aborts it if it has not finished
    /// after a grace period.
    pub(crate) fn stop_local(&self, task_id: &str) -> bool {
        let Ok(local) = self.local.lock() else {
            return false;
        };
        let Some(task) = local.get(task_id) else {
            return false;
        };
        let _ = task.stop.send(true);
        if let Some(handle) = task.handle.clone() {
            tokio::spawn(async move {
                tokio::time::sleep(GRACE).await;
                handle.abort();
            });
        }
        true
    }
}

/// The domain's view of a task's cancel token.
impl StopSignal for CancelToken {
    fn task_id(&self) -> &TaskId {
        &self.id
    }

    fn stopped(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(self.cancelled())
    }
}

#[async_trait]
impl TaskRunner for TaskRegistry {
    async fn spawn(&self, chat: Option<ChatId>, body: TaskBody) -> TaskId {
        let item = chat.map(ChatId::into_string);
        let id = TaskRegistry::spawn(self, item, move |token| body(Box::new(token))).await;
        TaskId::from(id)
    }

    async fn set_snapshot(&self, id: &TaskId, content: &str) {
        TaskRegistry::set_snapshot(self, id.as_str(), content).await;
    }

    async fn snapshot(&self, id: &TaskId) -> Option<String> {
        TaskRegistry::snapshot(self, id.as_str()).await
    }

    async fn of_chat(&self, chat: &ChatId) -> Vec<TaskId> {
        self.list_by_item(chat.as_str())
            .await
            .into_iter()
            .map(TaskId::from)
            .collect()
    }

    async fn all(&self) -> Vec<TaskId> {
        self.list().await.into_iter().map(TaskId::from).collect()
    }

    async fn active_chats(&self) -> Vec<ChatId> {
        self.active_items()
            .await
            .into_iter()
            .map(ChatId::from)
            .collect()
    }

    async fn stop(&self, id: &TaskId) -> bool {
        TaskRegistry::stop(self, id.as_str()).await
    }
}

/// What Redis listed plus this instance's own tasks: a task whose Redis record could not be
/// written (Redis was still connecting, or away for a moment) is listed all the same.
fn with_own(listed: Option<Vec<String>>, own: Vec<String>) -> Vec<String> {
    let Some(mut ids) = listed else {
        return own;
    };
    for id in own {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn tasks_are_listed_by_item_and_stop_when_asked() {
        let registry = TaskRegistry::new(&TaskSettings::from_redis(
            &hearth_settings::RedisSettings::default(),
        ))
        .unwrap();
        let (saw_stop_tx, saw_stop) = tokio::sync::oneshot::channel();
        let id = registry
            .spawn(Some("chat-1".into()), |cancel| async move {
                cancel.cancelled().await;
                let _ = saw_stop_tx.send(cancel.is_cancelled());
            })
            .await;
        let other = registry.spawn(None, |_| async {}).await;
        assert_eq!(registry.list_by_item("chat-1").await, vec![id.clone()]);
        assert!(registry.list_by_item("chat-2").await.is_empty());
        assert_eq!(
            registry.active_items().await,
            std::collections::HashSet::from(["chat-1".to_owned()])
        );
        assert!(registry.stop(&id).await);
        assert_eq!(saw_stop.await.ok(), Some(true));
        for _ in 0..100 {
            if registry.list().await.is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert!(
            registry.list().await.is_empty(),
            "finished tasks leave the registry"
        );
        assert!(!registry.stop(&other).await, "a finished task is unknown");
        assert!(!registry.stop("nope").await);
    }

    #[tokio::test(start_paused = true)]
    async fn a_task_that_ignores_stop_is_aborted_after_the_grace_period() {
        let registry = TaskRegistry::new(&TaskSettings::from_redis(
            &hearth_settings::RedisSettings::default(),
        ))
        .unwrap();
        let id = registry
            .spawn(Some("c".into()), |_| async {
                std::future::pending::<()>().await;
            })
            .await;
        assert!(registry.stop(&id).await);
        tokio::time::sleep(GRACE + Duration::from_secs(1)).await;
        tokio::task::yield_now().await;
        assert!(registry.list().await.is_empty());
    }
}
