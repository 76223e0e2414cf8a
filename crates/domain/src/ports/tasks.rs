//! Background work that outlives its request (a streamed answer), cancellable from any
//! instance.

use crate::ids::{ChatId, TaskId};
use async_trait::async_trait;
use std::future::Future;
use std::pin::Pin;

/// A future that a task runs.
pub type TaskFuture = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// What a running task sees: its id, and whether someone asked it to stop.
pub trait StopSignal: Send + Sync {
    /// The task's id.
    fn task_id(&self) -> &TaskId;
    /// Resolves when the task should stop (it then saves what it has and ends).
    fn stopped(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
}

/// The body of a task: given its stop signal, the work to run.
pub type TaskBody = Box<dyn FnOnce(Box<dyn StopSignal>) -> TaskFuture + Send>;

/// Runs and tracks background tasks by id and by the chat they belong to.
#[async_trait]
pub trait TaskRunner: Send + Sync {
    /// Starts `body` as a task of `chat`; returns its id at once.
    async fn spawn(&self, chat: Option<ChatId>, body: TaskBody) -> TaskId;
    /// Records the answer so far, for readers on any instance.
    async fn set_snapshot(&self, id: &TaskId, content: &str);
    /// The answer so far of a running task.
    async fn snapshot(&self, id: &TaskId) -> Option<String>;
    /// The running tasks of a chat.
    async fn of_chat(&self, chat: &ChatId) -> Vec<TaskId>;
    /// Every running task.
    async fn all(&self) -> Vec<TaskId>;
    /// The chats with a running task.
    async fn active_chats(&self) -> Vec<ChatId>;
    /// Asks a task to stop, wherever it runs; false when no such task exists.
    async fn stop(&self, id: &TaskId) -> bool;
}
