//! The connected clients (Socket.IO sockets), wherever they are connected: events to rooms,
//! and what the clients report about themselves.

use async_trait::async_trait;
use serde_json::Value;

/// The room of every socket a user has open.
pub fn user_room(user: &crate::UserId) -> String {
    format!("user:{user}")
}

/// The room of a chat's viewers.
pub fn chat_room(chat: &str) -> String {
    format!("chat:{chat}")
}

/// Connected clients on this instance and every other one.
#[async_trait]
pub trait Clients: Send + Sync {
    /// Emits `event` with `data` to every socket in `room` (`user:{id}`, a chat's viewers,
    /// one socket).
    fn emit(&self, room: &str, event: &str, data: &Value);
    /// The models clients reported using recently (`usage` events).
    async fn models_in_use(&self, now: i64) -> Vec<String>;
}
