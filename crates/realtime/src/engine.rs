//! Engine.IO sessions: the handshake, the server-driven heartbeat, long-polling (held GET,
//! POST, upgrade to websocket), and the Socket.IO namespace connect, events and acks. It
//! knows no HTTP framework: transports hand it text packets and take frames from
//! [`Session::next_frame`].

use crate::hub::Hub;
use crate::protocol::{self, Inbound};
use crate::socket::{Frame, Socket};
use async_trait::async_trait;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Instant;
use tokio::sync::{Mutex, mpsc, watch};

/// What the application does with sockets (authentication, events).
#[async_trait]
pub trait SocketHandler: Send + Sync + 'static {
    /// A socket connected to `/` with its `auth` payload (`{"token": ...}`); unauthenticated
    /// sockets stay connected but join no rooms.
    async fn connect(&self, socket: &Arc<Socket>, auth: Option<Value>);
    /// An event; the returned value answers the client's ack, if it asked for one.
    async fn event(&self, socket: &Arc<Socket>, name: &str, args: Vec<Value>) -> Option<Value>;
    /// The socket is gone.
    async fn disconnect(&self, socket: &Arc<Socket>);
}

pub use hearth_settings::EngineSettings;

/// Why a long-polling request was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PollError {
    /// No such session.
    #[error("Session ID unknown")]
    UnknownSession,
    /// Another GET is already waiting on this session.
    #[error("overlapping GET requests")]
    Overlap,
    /// The session moved to websocket.
    #[error("the session was upgraded")]
    Upgraded,
    /// A packet could not be understood.
    #[error("invalid payload")]
    BadPayload,
}

/// One Engine.IO session (one socket on `/`).
#[derive(Debug)]
pub struct Session {
    /// The Engine.IO session id.
    pub sid: String,
    /// The socket it carries.
    pub socket: Arc<Socket>,
    outbound: Mutex<mpsc::Receiver<Frame>>,
    connected: AtomicBool,
    upgraded: AtomicBool,
    last_pong: AtomicU64,
    closed: watch::Sender<bool>,
    born: Instant,
}

impl Session {
    fn millis(&self) -> u64 {
        self.born.elapsed().as_millis() as u64
    }

    /// Whether the session ended.
    pub fn is_closed(&self) -> bool {
        *self.closed.borrow()
    }

    /// Waits until the session ends.
    pub async fn closed(&self) {
        let mut rx = self.closed.subscribe();
        let _ = rx.wait_for(|closed| *closed).await;
    }

    /// The next frame to write (websocket transport), or `None` once the session ended.
    /// Holds the session's queue for the caller's lifetime of the returned guard.
    pub async fn frames(&self) -> tokio::sync::MutexGuard<'_, mpsc::Receiver<Frame>> {
        self.outbound.lock().await
    }

    /// Whether the session moved to websocket.
    pub fn is_upgraded(&self) -> bool {
        self.upgraded.load(Ordering::Acquire)
    }
}

/// All sessions of this instance.
pub struct Engine {
    settings: EngineSettings,
    hub: Arc<Hub>,
    handler: Arc<dyn SocketHandler>,
    sessions: RwLock<HashMap<String, Arc<Session>>>,
}

impl Engine {
    /// An engine delivering events to `handler`.
    pub fn new(settings: EngineSettings, hub: Arc<Hub>, handler: Arc<dyn SocketHandler>) -> Self {
        Self {
            settings,
            hub,
            handler,
            sessions: RwLock::new(HashMap::new()),
        }
    }

    /// The settings.
    pub fn settings(&self) -> &EngineSettings {
        &self.settings
    }

    /// Starts a session; returns it with its open packet (which the transport sends first).
    pub fn open(self: &Arc<Self>, websocket: bool) -> (Arc<Session>, String) {
        let sid = protocol::new_sid().to_string();
        let socket_id = protocol::new_sid().to_string();
        let (tx, rx) = mpsc::channel(self.settings.send_queue.max(8));
        let socket = Arc::new(Socket::new(socket_id, tx, Arc::downgrade(&self.hub)));
        let (closed, _) = watch::channel(false);
        let session = Arc::new(Session {
            sid: sid.clone(),
            socket: Arc::clone(&socket),
            outbound: Mutex::new(rx),
            connected: AtomicBool::new(false),
            upgraded: AtomicBool::new(websocket),
            last_pong: AtomicU64::new(0),
            closed,
            born: Instant::now(),
        });
        if let Ok(mut sessions) = self.sessions.write() {
            sessions.insert(sid, Arc::clone(&session));
        }
        self.hub.add(socket);
        self.spawn_heartbeat(Arc::clone(&session));
        let open = protocol::open(
            session.sid.parse().unwrap_or_default(),
            self.settings.websocket && !websocket,
            self.settings.ping_interval,
            self.settings.ping_timeout,
            self.settings.max_payload,
        );
        (session, open)
    }

    /// A session by Engine.IO id.
    pub fn session(&self, sid: &str) -> Option<Arc<Session>> {
        self.sessions.read().ok()?.get(sid).cloned()
    }

    /// Every session of this instance.
    pub fn sessions(&self) -> Vec<Arc<Session>> {
        self.sessions
            .read()
            .map(|s| s.values().cloned().collect())
            .unwrap_or_default()
    }

    /// Sessions on this instance.
    pub fn len(&self) -> usize {
        self.sessions.read().map(|s| s.len()).unwrap_or(0)
    }

    /// Whether there are no sessions.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn spawn_heartbeat(self: &Arc<Self>, session: Arc<Session>) {
        let engine = Arc::downgrade(self);
        let interval = self.settings.ping_interval;
        let timeout = self.settings.ping_timeout;
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = tokio::time::sleep(interval) => {}
                    _ = session.closed() => return,
                    _ = session.socket.overflowed() => {
                        tracing::warn!(sid = %session.sid, "client too slow; closing its socket");
                        break;
                    }
                }
                let sent = session.millis();
                if !session.socket.send(Frame::from(protocol::ping())) {
                    break;
                }
                tokio::select! {
                    _ = tokio::time::sleep(timeout) => {}
                    _ = session.closed() => return,
                }
                if session.last_pong.load(Ordering::Acquire) < sent {
                    tracing::debug!(sid = %session.sid, "no pong in time; closing");
                    break;
                }
            }
            if let Some(engine) = engine.upgrade() {
                engine.close(&session).await;
            }
        });
    }

    /// Ends a session: the socket leaves its rooms and the application hears of it once.
    pub async fn close(&self, session: &Arc<Session>) {
        if session.closed.send_replace(true) {
            return;
        }
        if let Ok(mut sessions) = self.sessions.write() {
            sessions.remove(&session.sid);
        }
        self.hub.remove(&session.socket);
        if session.connected.swap(false, Ordering::AcqRel) {
            self.handler.disconnect(&session.socket).await;
        }
    }

    /// Handles one packet from the client. Protocol errors end the session.
    pub async fn receive(&self, session: &Arc<Session>, text: &str) {
        let packet = match protocol::decode(text) {
            Ok(packet) => packet,
            Err(error) => {
                tracing::debug!(sid = %session.sid, %error, "bad packet; closing");
                self.close(session).await;
                return;
            }
        };
        match packet {
            Inbound::Pong => session
                .last_pong
                .store(session.millis().max(1), Ordering::Release),
            Inbound::Close | Inbound::Disconnect => self.close(session).await,
            Inbound::Noop | Inbound::Ack | Inbound::ProbePing | Inbound::Upgrade => {}
            Inbound::Connect { namespace, auth } => {
                if namespace != "/" {
                    session.socket.send(Frame::from(protocol::connect_error(
                        &namespace,
                        "Invalid namespace",
                    )));
                    return;
                }
                if !session.connected.swap(true, Ordering::AcqRel) {
                    self.handler.connect(&session.socket, auth).await;
                }
                session
                    .socket
                    .send(Frame::from(protocol::connected("/", &session.socket.id)));
            }
            Inbound::Event {
                namespace,
                name,
                args,
                ack,
            } => {
                if namespace != "/" || !session.connected.load(Ordering::Acquire) {
                    return;
                }
                let answer = self.handler.event(&session.socket, &name, args).await;
                if let Some(id) = ack {
                    let frame = protocol::ack("/", id, &answer.unwrap_or(Value::Null));
                    if let Some(frame) = frame {
                        session.socket.send(Frame::from(frame));
                    }
                }
            }
        }
    }

    /// A long-polling GET: waits for frames (at most one ping interval plus the timeout) and
    /// returns them as one payload.
    pub async fn poll(&self, session: &Arc<Session>) -> Result<String, PollError> {
        if session.is_upgraded() {
            return Err(PollError::Upgraded);
        }
        let Ok(mut rx) = session.outbound.try_lock() else {
            return Err(PollError::Overlap);
        };
        let wait = self.settings.ping_interval + self.settings.ping_timeout;
        let first = tokio::select! {
            frame = tokio::time::timeout(wait, rx.recv()) => match frame {
                Ok(Some(frame)) => frame,
                Ok(None) | Err(_) => Frame::from(protocol::noop()),
            },
            _ = session.closed() => Frame::from(protocol::close()),
        };
        let mut frames = vec![first];
        let mut size = frames[0].len();
        while (size as u64) < self.settings.max_payload {
            match rx.try_recv() {
                Ok(frame) => {
                    size += frame.len() + 1;
                    frames.push(frame);
                }
                Err(_) => break,
            }
        }
        Ok(protocol::join_payload(&frames))
    }

    /// A long-polling POST: every packet of the payload, in order.
    pub async fn post(&self, session: &Arc<Session>, body: &str) -> Result<(), PollError> {
        if body.len() as u64 > self.settings.max_payload {
            self.close(session).await;
            return Err(PollError::BadPayload);
        }
        for packet in protocol::split_payload(body) {
            self.receive(session, packet).await;
        }
        Ok(())
    }

    /// Upgrade step 1 (on the new websocket): answers the probe and releases a waiting GET.
    pub fn probe(&self, session: &Session) -> Option<String> {
        if session.is_upgraded() {
            return None;
        }
        session.socket.send(Frame::from(protocol::noop()));
        Some(protocol::probe_pong())
    }

    /// Upgrade step 2: the client switched; frames now go to the websocket.
    pub fn upgrade(&self, session: &Session) {
        session.upgraded.store(true, Ordering::Release);
    }
}
