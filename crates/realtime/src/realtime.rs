//! The application's handle on realtime delivery: emit an event to a room (a user's sockets,
//! a chat's viewers, one socket) wherever those sockets are connected.

use crate::fanout::Fanout;
use crate::hub::Hub;
use crate::pools::Pools;
use crate::protocol;
use crate::socket::Frame;
use serde::Serialize;
use std::sync::Arc;

pub use hearth_settings::Manager;

/// Sockets, rooms, delivery and pools.
pub struct Realtime {
    /// This instance's sockets and rooms.
    pub hub: Arc<Hub>,
    /// Delivery to other instances.
    pub fanout: Fanout,
    /// Session and usage pools.
    pub pools: Pools,
}

impl Realtime {
    /// Sets up delivery through `manager` (Redis connects in the background).
    pub fn new(manager: &Manager) -> Result<Self, fred::error::Error> {
        let hub = Arc::new(Hub::default());
        let (fanout, pools) = match manager {
            Manager::Local => (Fanout::local(), Pools::memory()),
            Manager::Redis { url, prefix } => (
                Fanout::redis(url, format!("{prefix}:socket:emit"), Arc::clone(&hub))?,
                Pools::redis(url, prefix)?,
            ),
        };
        Ok(Self { hub, fanout, pools })
    }

    /// Emits `event` with `data` to every socket in `room` (on every instance).
    pub fn emit<T: Serialize + ?Sized>(&self, room: &str, event: &str, data: &T) {
        self.emit_except(room, event, data, None);
    }

    /// Like [`Realtime::emit`], skipping one socket.
    pub fn emit_except<T: Serialize + ?Sized>(
        &self,
        room: &str,
        event: &str,
        data: &T,
        skip: Option<&str>,
    ) {
        let Some(frame) = protocol::event("/", event, data) else {
            return;
        };
        let frame = Frame::from(frame);
        self.hub.deliver(room, &frame, skip);
        self.fanout.publish(room, &frame, skip);
    }
}

/// The services' view of connected clients.
#[async_trait::async_trait]
impl hearth_domain::ports::Clients for Realtime {
    fn emit(&self, room: &str, event: &str, data: &serde_json::Value) {
        self.emit_except(room, event, data, None);
    }

    async fn models_in_use(&self, now: i64) -> Vec<String> {
        self.pools.models_in_use(now).await
    }
}
