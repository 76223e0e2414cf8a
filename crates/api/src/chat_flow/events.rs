//! The `events` Socket.IO event the web client's chat page listens to: one message of one
//! chat changed, with a typed payload (`chat:completion`, `chat:active`, `chat:title`, ...).

use crate::socket::events::user_room;
use crate::state::AppState;
use serde_json::{Value, json};

/// Where a chat's events go.
#[derive(Clone, Debug)]
pub struct ChatEvents {
    /// The owner (their sockets get the events).
    pub user_id: String,
    /// The chat.
    pub chat_id: String,
}

impl ChatEvents {
    /// Emits `{chat_id, message_id, data: {type, data}}` to the user's sockets.
    pub fn emit(&self, state: &AppState, message_id: Option<&str>, kind: &str, data: Value) {
        let event = json!({
            "chat_id": self.chat_id,
            "message_id": message_id,
            "data": {"type": kind, "data": data},
        });
        state
            .realtime
            .emit(&user_room(&self.user_id), "events", &event);
    }
}
