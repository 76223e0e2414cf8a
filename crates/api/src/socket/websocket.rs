//! The websocket transport. actix-http hands every HTTP/1.1 upgrade request to [`serve`]
//! (see `server::listen`) together with the connection; this module answers the handshake,
//! then reads and writes frames with actix-http's websocket codec directly on the TCP stream.
//! Taking the connection over frees the HTTP dispatcher and its two 8 KiB buffers, and an
//! idle socket here holds no buffer at all: ~8 KiB per socket instead of ~27 KiB.

use super::{EngineQuery, engine_error_body};
use actix_codec::{Decoder, Encoder, Framed, FramedParts};
use actix_http::body::BodySize;
use actix_http::ws::{Codec, Frame, Item, Message};
use actix_http::{Request, h1};
use actix_web::web::Query;
use bytes::{Bytes, BytesMut};
use futures_util::SinkExt;
use hearth_realtime::{Engine, Session};
use std::sync::Arc;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

/// Bytes read from the socket at once.
const READ_CHUNK: usize = 4096;

/// Handles one upgrade request: a Socket.IO websocket, or an error answer.
pub async fn serve(req: Request, framed: Framed<TcpStream, h1::Codec>, engine: Arc<Engine>) {
    let path = req.path();
    if path != "/ws/socket.io/" && path != "/ws/socket.io" {
        let body = serde_json::json!({"detail": "Not Found"}).to_string();
        return reject(framed, "404 Not Found", &body).await;
    }
    let query = Query::<EngineQuery>::from_query(req.uri().query().unwrap_or_default())
        .map(Query::into_inner)
        .unwrap_or(EngineQuery {
            eio: None,
            transport: None,
            sid: None,
        });
    let refusal = if query.eio.as_deref() != Some("4") {
        Some((5, "Unsupported protocol version"))
    } else if query.transport.as_deref() != Some("websocket") || !engine.settings().websocket {
        Some((0, "Transport unknown"))
    } else if query
        .sid
        .as_deref()
        .is_some_and(|sid| engine.session(sid).is_none())
    {
        Some((1, "Session ID unknown"))
    } else {
        None
    };
    if let Some((code, message)) = refusal {
        return reject(framed, "400 Bad Request", &engine_error_body(code, message)).await;
    }
    let response = match actix_http::ws::handshake(req.head()) {
        Ok(mut response) => response.finish().drop_body(),
        Err(error) => {
            let body = engine_error_body(3, &error.to_string());
            return reject(framed, "400 Bad Request", &body).await;
        }
    };
    // The request and the HTTP codec's buffers are dropped here, before the socket's long
    // life: only the stream and any bytes the client already sent are kept.
    drop(req);
    let mut framed = framed;
    if framed
        .send(h1::Message::Item((response, BodySize::None)))
        .await
        .is_err()
    {
        return;
    }
    let FramedParts {
        io,
        read_buf,
        write_buf,
        ..
    } = framed.into_parts();
    drop(write_buf);
    let max_frame = usize::try_from(engine.settings().max_payload).unwrap_or(1_000_000);
    let mut connection = Connection {
        io,
        buffer: read_buf,
        codec: Codec::new().max_size(max_frame),
        partial: None,
        max_message: max_frame,
    };
    connection.release_idle_buffer();
    run(engine, connection, query.sid).await;
}

/// Answers an upgrade request that is not a websocket we accept, and closes.
async fn reject(framed: Framed<TcpStream, h1::Codec>, status: &str, body: &str) {
    let mut io = framed.into_parts().io;
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = io.write_all(response.as_bytes()).await;
    let _ = io.shutdown().await;
}

/// What the client sent.
enum Inbound {
    Text(String),
    Ping(Bytes),
}

/// One websocket connection: the stream, unread bytes, and a message being reassembled from
/// continuation frames.
struct Connection {
    io: TcpStream,
    buffer: BytesMut,
    codec: Codec,
    partial: Option<BytesMut>,
    max_message: usize,
}

impl Connection {
    /// Frees the read buffer once everything in it has been decoded.
    fn release_idle_buffer(&mut self) {
        if self.buffer.is_empty() && self.buffer.capacity() > 0 {
            self.buffer = BytesMut::new();
        }
    }

    /// The next text message or ping; `None` when the client closed, broke the protocol, or
    /// went away. Cancel-safe: bytes read are kept in `buffer` before any await.
    async fn next(&mut self) -> Option<Inbound> {
        loop {
            while let Some(frame) = self.codec.decode(&mut self.buffer).ok()? {
                if let Some(inbound) = self.frame(frame)? {
                    self.release_idle_buffer();
                    return Some(inbound);
                }
            }
            self.release_idle_buffer();
            self.io.readable().await.ok()?;
            self.buffer.reserve(READ_CHUNK);
            match self.io.try_read_buf(&mut self.buffer) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(_) => return None,
            }
        }
    }

    /// Interprets one frame: `Some(None)` to keep reading, `None` to end the connection.
    fn frame(&mut self, frame: Frame) -> Option<Option<Inbound>> {
        let text = |bytes: &[u8]| String::from_utf8(bytes.to_vec()).ok().map(Inbound::Text);
        match frame {
            Frame::Text(bytes) => Some(Some(text(&bytes)?)),
            Frame::Ping(bytes) => Some(Some(Inbound::Ping(bytes))),
            Frame::Pong(_) | Frame::Binary(_) => Some(None),
            Frame::Close(_) => None,
            Frame::Continuation(item) => match item {
                Item::FirstText(bytes) => {
                    self.partial = Some(BytesMut::from(&bytes[..]));
                    Some(None)
                }
                Item::Continue(bytes) => {
                    let partial = self.partial.as_mut()?;
                    if partial.len() + bytes.len() > self.max_message {
                        return None;
                    }
                    partial.extend_from_slice(&bytes);
                    Some(None)
                }
                Item::Last(bytes) => {
                    let mut whole = self.partial.take()?;
                    whole.extend_from_slice(&bytes);
                    Some(Some(text(&whole)?))
                }
                Item::FirstBinary(_) => None,
            },
        }
    }

    async fn send(&mut self, message: Message) -> std::io::Result<()> {
        let mut out = BytesMut::new();
        self.codec
            .encode(message, &mut out)
            .map_err(std::io::Error::other)?;
        self.io.write_all(&out).await
    }

    async fn text(&mut self, text: &str) -> std::io::Result<()> {
        self.send(Message::Text(text.into())).await
    }
}

/// The upgrade of a long-polling session: answers the probe, waits for `5`.
async fn upgrade(engine: &Engine, connection: &mut Connection, sid: &str) -> Option<Arc<Session>> {
    let session = engine.session(sid)?;
    while let Some(inbound) = connection.next().await {
        match inbound {
            Inbound::Text(text) if text == "2probe" => {
                let pong = engine.probe(&session)?;
                connection.text(&pong).await.ok()?;
            }
            Inbound::Text(text) if text == "5" => {
                engine.upgrade(&session);
                return Some(session);
            }
            Inbound::Ping(bytes) => connection.send(Message::Pong(bytes)).await.ok()?,
            Inbound::Text(_) => {}
        }
    }
    None
}

/// The session this connection serves: a new one, or the long-polling session it upgrades.
async fn session_of(
    engine: &Arc<Engine>,
    connection: &mut Connection,
    upgrade_sid: Option<String>,
) -> Option<Arc<Session>> {
    match upgrade_sid {
        Some(sid) => {
            let session = upgrade(engine, connection, &sid).await;
            if session.is_none() {
                let _ = connection.send(Message::Close(None)).await;
            }
            session
        }
        None => {
            let (session, open) = engine.open(true);
            if connection.text(&open).await.is_err() {
                engine.close(&session).await;
                return None;
            }
            Some(session)
        }
    }
}

/// Sends one frame unless the session closes first; false when it could not.
async fn send_frame(connection: &mut Connection, session: &Session, frame: &str) -> bool {
    tokio::select! {
        sent = connection.text(frame) => sent.is_ok(),
        () = session.closed() => false,
    }
}

async fn run(engine: Arc<Engine>, mut connection: Connection, upgrade_sid: Option<String>) {
    let Some(session) = session_of(&engine, &mut connection, upgrade_sid).await else {
        return;
    };
    let mut frames = session.frames().await;
    loop {
        tokio::select! {
            inbound = connection.next() => match inbound {
                Some(Inbound::Text(text)) => engine.receive(&session, &text).await,
                Some(Inbound::Ping(bytes)) => {
                    if connection.send(Message::Pong(bytes)).await.is_err() {
                        break;
                    }
                }
                None => break,
            },
            frame = frames.recv() => match frame {
                Some(frame) if send_frame(&mut connection, &session, &frame).await => {}
                _ => break,
            },
            () = session.closed() => break,
        }
    }
    drop(frames);
    engine.close(&session).await;
    // A client that stopped reading may never take the close frame.
    let closing = async {
        let _ = connection.send(Message::Close(None)).await;
        let _ = connection.io.shutdown().await;
    };
    let _ = tokio::time::timeout(std::time::Duration::from_secs(1), closing).await;
}
