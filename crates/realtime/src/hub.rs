//! The sockets connected to this instance and the rooms they are in. Delivering a frame to
//! a room is a read lock and one queue push per member.

use crate::socket::{Frame, Socket};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

/// Local sockets and rooms.
#[derive(Debug, Default)]
pub struct Hub {
    sockets: RwLock<HashMap<String, Arc<Socket>>>,
    rooms: RwLock<HashMap<String, HashSet<String>>>,
}

impl Hub {
    pub(crate) fn add(&self, socket: Arc<Socket>) {
        if let Ok(mut sockets) = self.sockets.write() {
            sockets.insert(socket.id.clone(), socket);
        }
    }

    pub(crate) fn join(&self, socket: &Arc<Socket>, room: &str) {
        if let Ok(mut rooms) = self.rooms.write() {
            rooms
                .entry(room.to_owned())
                .or_default()
                .insert(socket.id.clone());
        }
    }

    pub(crate) fn leave(&self, socket_id: &str, room: &str) {
        if let Ok(mut rooms) = self.rooms.write()
            && let Some(members) = rooms.get_mut(room)
        {
            members.remove(socket_id);
            if members.is_empty() {
                rooms.remove(room);
            }
        }
    }

    /// Forgets a socket and its memberships.
    pub(crate) fn remove(&self, socket: &Socket) {
        if let Ok(mut sockets) = self.sockets.write() {
            sockets.remove(&socket.id);
        }
        for room in socket.rooms() {
            self.leave(&socket.id, &room);
        }
    }

    /// A socket of this instance by id.
    pub fn socket(&self, id: &str) -> Option<Arc<Socket>> {
        self.sockets.read().ok()?.get(id).cloned()
    }

    /// Sockets on this instance.
    pub fn len(&self) -> usize {
        self.sockets.read().map(|s| s.len()).unwrap_or(0)
    }

    /// Whether no socket is connected here.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The local members of a room.
    pub fn members(&self, room: &str) -> Vec<Arc<Socket>> {
        let Ok(rooms) = self.rooms.read() else {
            return Vec::new();
        };
        let Some(ids) = rooms.get(room) else {
            return Vec::new();
        };
        let Ok(sockets) = self.sockets.read() else {
            return Vec::new();
        };
        ids.iter()
            .filter_map(|id| sockets.get(id).cloned())
            .collect()
    }

    /// Queues `frame` for every local member of `room` (or the socket with that id), except
    /// `skip`; returns how many got it (a socket whose queue is full is closed by its session).
    pub fn deliver(&self, room: &str, frame: &Frame, skip: Option<&str>) -> usize {
        let mut delivered = 0;
        let targets = match self.socket(room) {
            Some(socket) => vec![socket],
            None => self.members(room),
        };
        for socket in targets {
            if skip == Some(socket.id.as_str()) {
                continue;
            }
            if socket.send(Arc::clone(frame)) {
                delivered += 1;
            }
        }
        delivered
    }
}
