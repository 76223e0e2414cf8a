//! [`ChatDocument`]: the conversation document of a chat (`chat.chat`) as one typed value,
//! so that layers pass a document, not any JSON. It stays JSON inside (the web client owns
//! most of its keys and Hearth must keep them all); the rules it follows are the functions
//! of [`super::document`] and [`super::turn`].

use super::document::{
    apply_update, changed_message_ids, current_message_id, message_record, messages_of, title_of,
};
use super::turn::{self, TurnError, TurnTarget};
use super::{DEFAULT_TITLE, MessageRecord};
use crate::ids::{MessageId, UserId};
use crate::text::strip_nul_json;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// A chat's conversation document: `title`, `models`, `history` (the message tree),
/// `messages` (legacy list), `files`, `params` and whatever else the client stores.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ChatDocument(Value);

impl Default for ChatDocument {
    fn default() -> Self {
        Self(Value::Object(Map::new()))
    }
}

impl From<Map<String, Value>> for ChatDocument {
    fn from(map: Map<String, Value>) -> Self {
        Self(Value::Object(map))
    }
}

impl ChatDocument {
    /// Wraps a stored value; anything but an object reads as an empty document.
    pub fn from_value(value: Value) -> Self {
        match value {
            Value::Object(_) => Self(value),
            _ => Self::default(),
        }
    }

    /// The document as JSON.
    pub fn as_value(&self) -> &Value {
        &self.0
    }

    /// The document as JSON, to change keys the client owns.
    pub fn as_value_mut(&mut self) -> &mut Value {
        &mut self.0
    }

    /// Unwraps the JSON.
    pub fn into_value(self) -> Value {
        self.0
    }

    /// A top-level key.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }

    /// Sets a top-level key.
    pub fn set(&mut self, key: &str, value: Value) {
        if let Value::Object(map) = &mut self.0 {
            map.insert(key.to_owned(), value);
        }
    }

    /// Removes a top-level key.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        match &mut self.0 {
            Value::Object(map) => map.remove(key),
            _ => None,
        }
    }

    /// The title, or "New Chat".
    pub fn title(&self) -> String {
        title_of(&self.0)
    }

    /// Whether the chat still has the title every new chat starts with.
    pub fn has_default_title(&self) -> bool {
        self.title() == DEFAULT_TITLE
    }

    /// The leaf of the current branch.
    pub fn current_message_id(&self) -> Option<MessageId> {
        current_message_id(&self.0).map(MessageId::from)
    }

    /// The messages by id (`history.messages`, or the legacy list).
    pub fn messages(&self) -> Map<String, Value> {
        messages_of(&self.0)
    }

    /// One message of the history tree.
    pub fn message(&self, id: &MessageId) -> Option<&Value> {
        self.0.get("history")?.get("messages")?.get(id.as_str())
    }

    /// One message of the history tree, to change.
    pub fn message_mut(&mut self, id: &MessageId) -> Option<&mut Map<String, Value>> {
        self.0
            .get_mut("history")?
            .get_mut("messages")?
            .get_mut(id.as_str())?
            .as_object_mut()
    }

    /// The history tree (`{currentId, messages}`), to change.
    pub fn history_mut(&mut self) -> Option<&mut Value> {
        self.0.get_mut("history").filter(|h| h.is_object())
    }

    /// Merges `fields` into one message; false when it is not there.
    pub fn update_message(&mut self, id: &MessageId, fields: &Map<String, Value>) -> bool {
        turn::update_message(&mut self.0, id.as_str(), fields)
    }

    /// The chat parameters (`params`).
    pub fn params(&self) -> Map<String, Value> {
        match self.0.get("params") {
            Some(Value::Object(params)) => params.clone(),
            _ => Map::new(),
        }
    }

    /// Applies a client's partial document as Open WebUI's save does (history merged, other
    /// authors' and unfinished messages kept); returns the ids of the messages it changed.
    pub fn apply_client_update(
        &mut self,
        patch: &Map<String, Value>,
        owner: &UserId,
    ) -> Vec<MessageId> {
        let updated = apply_update(&self.0, patch, owner.as_str());
        let changed = changed_message_ids(&self.0, &updated, patch);
        self.0 = updated;
        changed.into_iter().map(MessageId::from).collect()
    }

    /// The `chat_message` row of one message, or `None` if it has no role.
    pub fn record(&self, id: &MessageId, owner: &UserId, now: i64) -> Option<MessageRecord> {
        message_record(id.as_str(), self.message(id)?, owner.as_str(), now)
    }

    /// The `chat_message` rows of every message.
    pub fn records(&self, owner: &UserId, now: i64) -> Vec<MessageRecord> {
        self.messages()
            .iter()
            .filter_map(|(id, message)| message_record(id, message, owner.as_str(), now))
            .collect()
    }

    /// Removes NUL characters from every string (PostgreSQL refuses them).
    pub fn strip_nul(&mut self) {
        strip_nul_json(&mut self.0);
    }

    /// Attributes client-written messages to `user`, as Open WebUI does on save: every
    /// message gets `user_id`, user messages the author's `{id, name}`.
    pub fn attribute_messages(&mut self, user: &UserId, name: &str) {
        let author = json!({"id": user.as_str(), "name": name});
        let mut stamp = |message: &mut Value| {
            if let Value::Object(message) = message {
                message.insert("user_id".into(), json!(user.as_str()));
                if message.get("role").and_then(Value::as_str) == Some("user") {
                    message.insert("user".into(), author.clone());
                }
            }
        };
        if let Some(Value::Object(messages)) = self.0.pointer_mut("/history/messages") {
            messages.values_mut().for_each(&mut stamp);
        }
        if let Some(Value::Array(messages)) = self.0.get_mut("messages") {
            messages.iter_mut().for_each(&mut stamp);
        }
    }

    /// The conversation up to `message` (inclusive), root first, as `{role, content}`.
    pub fn prompt_history(&self, message: &MessageId) -> Vec<Value> {
        turn::prompt_history(&self.0, message.as_str())
    }

    /// Adds a turn (the user message unless already there, and one placeholder per model);
    /// returns the ids of the messages written.
    pub fn add_turn(
        &mut self,
        author: (&UserId, &str),
        user_message: Option<&Value>,
        targets: &[TurnTarget],
        now: i64,
    ) -> Result<Vec<MessageId>, TurnError> {
        turn::add_turn(
            &mut self.0,
            (author.0.as_str(), author.1),
            user_message,
            targets,
            now,
        )
        .map(|ids| ids.into_iter().map(MessageId::from).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_reads_its_title_messages_and_params() {
        let mut document = ChatDocument::from_value(json!({
            "title": "Rust",
            "params": {"temperature": 0.2},
            "history": {"currentId": "b", "messages": {
                "a": {"id": "a", "role": "user", "content": "hi"},
                "b": {"id": "b", "parentId": "a", "role": "assistant", "content": "hello"},
            }},
        }));
        assert_eq!(document.title(), "Rust");
        assert_eq!(document.current_message_id(), Some(MessageId::from("b")));
        assert_eq!(document.params().len(), 1);
        assert_eq!(document.records(&UserId::from("u"), 1).len(), 2);
        let mut fields = Map::new();
        fields.insert("content".into(), json!("changed"));
        assert!(document.update_message(&MessageId::from("b"), &fields));
        assert_eq!(
            document
                .message(&MessageId::from("b"))
                .map(|m| m["content"].clone()),
            Some(json!("changed"))
        );
        assert_eq!(ChatDocument::from_value(json!([1])).title(), DEFAULT_TITLE);
    }
}
