//! One connected socket: its id, the queue of frames waiting to be written to it, the user
//! it authenticated as, and the rooms it joined.

use crate::hub::Hub;
use crate::protocol;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashSet;
use std::sync::{Arc, Mutex, RwLock, Weak};
use tokio::sync::mpsc;

/// An encoded Engine.IO packet, shared by every socket it is sent to.
pub type Frame = Arc<str>;

/// Who a socket authenticated as.
#[derive(Clone, Debug, PartialEq)]
pub struct SocketUser {
    /// User id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// `admin`, `user`, ...
    pub role: String,
    /// The token it authenticated with (re-checked periodically).
    pub token: String,
    /// The user as stored in the session pool.
    pub profile: Value,
}

/// A connected socket.
#[derive(Debug)]
pub struct Socket {
    /// The Socket.IO socket id (`socket.id` on the client; the web client's `session_id`).
    pub id: String,
    tx: mpsc::Sender<Frame>,
    user: RwLock<Option<SocketUser>>,
    rooms: Mutex<HashSet<String>>,
    hub: Weak<Hub>,
    overflow: tokio::sync::Notify,
}

impl Socket {
    pub(crate) fn new(id: String, tx: mpsc::Sender<Frame>, hub: Weak<Hub>) -> Self {
        Self {
            id,
            tx,
            user: RwLock::new(None),
            rooms: Mutex::new(HashSet::new()),
            hub,
            overflow: tokio::sync::Notify::new(),
        }
    }

    /// Queues a frame; false when the socket is gone or its queue is full (a client that
    /// stopped reading is dropped rather than buffered without bound).
    pub fn send(&self, frame: Frame) -> bool {
        match self.tx.try_send(frame) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Full(_)) => {
                self.overflow.notify_one();
                false
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        }
    }

    /// Resolves when the socket's queue overflowed (its session should end).
    pub(crate) async fn overflowed(&self) {
        self.overflow.notified().await;
    }

    /// Queues an event for this socket only.
    pub fn emit<T: Serialize + ?Sized>(&self, event: &str, data: &T) -> bool {
        match protocol::event("/", event, data) {
            Some(frame) => self.send(Frame::from(frame)),
            None => false,
        }
    }

    /// The authenticated user, if any.
    pub fn user(&self) -> Option<SocketUser> {
        self.user.read().ok().and_then(|u| u.clone())
    }

    /// Records the authenticated user.
    pub fn set_user(&self, user: Option<SocketUser>) {
        if let Ok(mut slot) = self.user.write() {
            *slot = user;
        }
    }

    /// Joins a room on this instance.
    pub fn join(self: &Arc<Self>, room: &str) {
        if let Ok(mut rooms) = self.rooms.lock() {
            rooms.insert(room.to_owned());
        }
        if let Some(hub) = self.hub.upgrade() {
            hub.join(self, room);
        }
    }

    /// Leaves a room.
    pub fn leave(self: &Arc<Self>, room: &str) {
        if let Ok(mut rooms) = self.rooms.lock() {
            rooms.remove(room);
        }
        if let Some(hub) = self.hub.upgrade() {
            hub.leave(&self.id, room);
        }
    }

    /// Whether the socket is in a room.
    pub fn in_room(&self, room: &str) -> bool {
        self.rooms.lock().is_ok_and(|r| r.contains(room))
    }

    /// The rooms joined.
    pub fn rooms(&self) -> Vec<String> {
        self.rooms
            .lock()
            .map(|r| r.iter().cloned().collect())
            .unwrap_or_default()
    }
}
