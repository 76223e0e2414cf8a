//! [`LocalTasks`]: background tasks on the test's runtime, stoppable by id.

use async_trait::async_trait;
use hearth_domain::ids::{ChatId, TaskId};
use hearth_domain::ports::{StopSignal, TaskBody, TaskRunner};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::watch;

struct Running {
    chat: Option<ChatId>,
    stop: watch::Sender<bool>,
    snapshot: Option<String>,
}

/// Tasks of one process, as the registry keeps them without Redis.
#[derive(Default)]
pub struct LocalTasks {
    running: Arc<Mutex<HashMap<TaskId, Running>>>,
    finished: Mutex<Vec<tokio::task::JoinHandle<()>>>,
}

struct Signal {
    id: TaskId,
    stop: watch::Receiver<bool>,
}

impl StopSignal for Signal {
    fn task_id(&self) -> &TaskId {
        &self.id
    }

    fn stopped(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        let mut stop = self.stop.clone();
        Box::pin(async move {
            let _ = stop.wait_for(|stopped| *stopped).await;
        })
    }
}

impl LocalTasks {
    /// Waits for every task started so far to end.
    pub async fn settle(&self) {
        let handles: Vec<_> =
            std::mem::take(&mut *self.finished.lock().unwrap_or_else(PoisonError::into_inner));
        for handle in handles {
            let _ = handle.await;
        }
    }
}

#[async_trait]
impl TaskRunner for LocalTasks {
    async fn spawn(&self, chat: Option<ChatId>, body: TaskBody) -> TaskId {
        let id = TaskId::generate();
        let (stop, rx) = watch::channel(false);
        self.running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(
                id.clone(),
                Running {
                    chat,
                    stop,
                    snapshot: None,
                },
            );
        let signal = Signal {
            id: id.clone(),
            stop: rx,
        };
        let running = Arc::clone(&self.running);
        let done = id.clone();
        let handle = tokio::spawn(async move {
            body(Box::new(signal)).await;
            running
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(&done);
        });
        self.finished
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(handle);
        id
    }

    async fn set_snapshot(&self, id: &TaskId, content: &str) {
        if let Some(task) = self
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get_mut(id)
        {
            task.snapshot = Some(content.to_owned());
        }
    }

    async fn snapshot(&self, id: &TaskId) -> Option<String> {
        self.running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(id)
            .and_then(|t| t.snapshot.clone())
    }

    async fn of_chat(&self, chat: &ChatId) -> Vec<TaskId> {
        self.running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .filter(|(_, t)| t.chat.as_ref() == Some(chat))
            .map(|(id, _)| id.clone())
            .collect()
    }

    async fn all(&self) -> Vec<TaskId> {
        self.running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .keys()
            .cloned()
            .collect()
    }

    async fn active_chats(&self) -> Vec<ChatId> {
        self.running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .filter_map(|t| t.chat.clone())
            .collect()
    }

    async fn stop(&self, id: &TaskId) -> bool {
        match self
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(id)
        {
            Some(task) => {
                let _ = task.stop.send(true);
                true
            }
            None => false,
        }
    }
}
