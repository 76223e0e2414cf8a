//! Hearth's realtime layer: Socket.IO v5 over Engine.IO v4 (websocket and long-polling),
//! sockets authenticated from their connect payload, rooms (`user:{id}`, `chat:{id}`), and
//! events fanned out to rooms on this instance or, through Redis, on every instance.

pub mod engine;
pub mod hub;
pub mod protocol;
pub mod socket;

pub use engine::{Engine, EngineSettings, PollError, Session, SocketHandler};
pub use hub::Hub;
pub use socket::{Frame, Socket, SocketUser};
pub mod fanout;
pub mod pools;

pub use fanout::Fanout;
pub use pools::Pools;
mod realtime;

pub use realtime::{Manager, Realtime};
