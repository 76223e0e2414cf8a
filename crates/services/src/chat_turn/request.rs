//! The turn as the web client's request describes it: the chat (new or existing), the models
//! answering, the user's message and the folder.

use super::events::ChatEvents;
use hearth_domain::User;
use hearth_domain::chat::is_saved_chat_id;
use hearth_domain::chat::turn::{self, TurnTarget};
use hearth_domain::ids::{ChatId, FolderId, MessageId};
use serde_json::{Map, Value};

/// The turn as the request describes it.
pub(super) struct Turn {
    pub chat_id: ChatId,
    pub is_new: bool,
    pub saved: bool,
    pub targets: Vec<TurnTarget>,
    pub user_message: Option<Value>,
    pub folder_id: Option<FolderId>,
    pub events: ChatEvents,
}

impl Turn {
    pub(super) fn read(user: &User, body: &mut Map<String, Value>) -> Self {
        let given = body
            .get("chat_id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let is_new = given.is_empty() && body.get("parent_id").is_some_and(Value::is_null);
        let chat_id = if is_new {
            ChatId::generate()
        } else {
            ChatId::from(given)
        };
        let user_message = body
            .remove("user_message")
            .or_else(|| body.remove("parent_message"))
            .filter(Value::is_object);
        Self {
            saved: is_saved_chat_id(&chat_id),
            is_new,
            targets: turn::targets(body),
            user_message,
            folder_id: body
                .get("folder_id")
                .and_then(Value::as_str)
                .map(FolderId::from),
            events: ChatEvents {
                user_id: user.id.clone(),
                chat_id: chat_id.clone(),
            },
            chat_id,
        }
    }

    pub(super) fn user_message_id(&self) -> Option<MessageId> {
        self.user_message
            .as_ref()
            .and_then(|m| m.get("id"))
            .and_then(Value::as_str)
            .map(MessageId::from)
    }
}
