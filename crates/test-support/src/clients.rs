//! [`RecordingClients`]: connected clients that keep every event emitted to them.

use async_trait::async_trait;
use hearth_domain::ports::Clients;
use serde_json::Value;
use std::sync::Mutex;

/// One emitted event.
#[derive(Clone, Debug, PartialEq)]
pub struct Emitted {
    /// The room.
    pub room: String,
    /// The event name.
    pub event: String,
    /// Its data.
    pub data: Value,
}

/// Clients that record events; no model is in use on them.
#[derive(Default)]
pub struct RecordingClients {
    emitted: Mutex<Vec<Emitted>>,
}

impl RecordingClients {
    /// Every event so far.
    pub fn emitted(&self) -> Vec<Emitted> {
        self.emitted
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The `type` of every chat event (`events` with `{data: {type}}`) so far, in order.
    pub fn chat_event_types(&self) -> Vec<String> {
        self.emitted()
            .iter()
            .filter(|e| e.event == "events")
            .filter_map(|e| e.data.pointer("/data/type").and_then(Value::as_str))
            .map(str::to_owned)
            .collect()
    }
}

#[async_trait]
impl Clients for RecordingClients {
    fn emit(&self, room: &str, event: &str, data: &Value) {
        self.emitted
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(Emitted {
                room: room.to_owned(),
                event: event.to_owned(),
                data: data.clone(),
            });
    }

    async fn models_in_use(&self, _: i64) -> Vec<String> {
        Vec::new()
    }
}
