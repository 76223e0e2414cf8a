//! The `events` Socket.IO event the web client's chat page listens to: one message of one
//! chat changed, with a typed payload (`chat:completion`, `chat:active`, `chat:title`, ...).

use crate::App;
use hearth_domain::UserId;
use hearth_domain::ids::{ChatId, MessageId};
use hearth_domain::ports::user_room;
use serde_json::{Value, json};

/// Where a chat's events go.
#[derive(Clone, Debug)]
pub struct ChatEvents {
    /// The owner (their sockets get the events).
    pub user_id: UserId,
    /// The chat.
    pub chat_id: ChatId,
}

impl ChatEvents {
    /// Emits `{chat_id, message_id, data: {type, data}}` to the user's sockets.
    pub fn emit(&self, app: &App, message_id: Option<&MessageId>, kind: &str, data: Value) {
        let event = json!({
            "chat_id": self.chat_id,
            "message_id": message_id,
            "data": {"type": kind, "data": data},
        });
        app.clients
            .emit(&user_room(&self.user_id), "events", &event);
    }
}
