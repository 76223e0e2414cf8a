//! A minimal Socket.IO-over-websocket client for the socket benchmark: enough of RFC 6455
//! (client handshake, masked text frames out, unmasked frames in) and of Engine.IO/Socket.IO
//! (open, connect with a token, ping/pong, events, acks) to hold thousands of sockets in one
//! process cheaply. The tests use real clients (python-socketio, socket.io-client); this one
//! exists only to measure.

use std::io;
use std::net::SocketAddr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};

fn invalid(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_owned())
}

/// Reading side of a socket: whole text messages.
pub struct Reader {
    read: OwnedReadHalf,
    buffer: Vec<u8>,
}

/// Writing side of a socket.
pub struct Writer {
    write: OwnedWriteHalf,
}

/// Opens a websocket to `/ws/socket.io/` and completes the Socket.IO connect with `token`.
pub async fn connect(addr: SocketAddr, token: &str) -> io::Result<(Reader, Writer)> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let request = format!(
        "GET /ws/socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {addr}\r\n\
         Upgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: aGVhcnRoLWJlbmNoLWtleQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await?;
    let mut head = Vec::with_capacity(256);
    while !head.ends_with(b"\r\n\r\n") {
        let mut byte = [0u8; 1];
        if stream.read(&mut byte).await? == 0 {
            return Err(invalid("closed during the handshake"));
        }
        head.push(byte[0]);
    }
    if !head.starts_with(b"HTTP/1.1 101") {
        return Err(invalid("websocket upgrade refused"));
    }
    let (read, write) = stream.into_split();
    let mut reader = Reader {
        read,
        buffer: Vec::new(),
    };
    let mut writer = Writer { write };
    let open = reader.next().await?;
    if !open.starts_with('0') {
        return Err(invalid("no Engine.IO open packet"));
    }
    writer
        .send(&format!("40{}", serde_json::json!({ "token": token })))
        .await?;
    loop {
        let message = reader.next().await?;
        if message.starts_with("40") {
            return Ok((reader, writer));
        }
        if message.starts_with("44") {
            return Err(invalid("connect refused"));
        }
    }
}

impl Reader {
    /// The next text message (control frames and pings are returned too: `2` is a ping).
    pub async fn next(&mut self) -> io::Result<String> {
        loop {
            if let Some((message, used)) = parse_frame(&self.buffer)? {
                self.buffer.drain(..used);
                if let Some(message) = message {
                    return Ok(message);
                }
                continue;
            }
            let mut chunk = [0u8; 4096];
            let n = self.read.read(&mut chunk).await?;
            if n == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            self.buffer.extend_from_slice(&chunk[..n]);
        }
    }
}

/// One frame from the start of `buffer`: `None` if incomplete; `Some((None, n))` for a frame
/// that carries no text (close, ping, pong, binary), `Some((Some(text), n))` otherwise.
fn parse_frame(buffer: &[u8]) -> io::Result<Option<(Option<String>, usize)>> {
    if buffer.len() < 2 {
        return Ok(None);
    }
    let opcode = buffer[0] & 0x0f;
    let (len, start) = match buffer[1] & 0x7f {
        126 if buffer.len() >= 4 => (u16::from_be_bytes([buffer[2], buffer[3]]) as usize, 4),
        127 if buffer.len() >= 10 => {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(&buffer[2..10]);
            (
                usize::try_from(u64::from_be_bytes(bytes)).unwrap_or(usize::MAX),
                10,
            )
        }
        126 | 127 => return Ok(None),
        short => (short as usize, 2),
    };
    if buffer.len() < start + len {
        return Ok(None);
    }
    if opcode == 0x8 {
        return Err(io::ErrorKind::ConnectionAborted.into());
    }
    let text = (opcode == 0x1)
        .then(|| String::from_utf8(buffer[start..start + len].to_vec()))
        .transpose()
        .map_err(|_| invalid("text frame is not UTF-8"))?;
    Ok(Some((text, start + len)))
}

impl Writer {
    /// Sends one masked text frame.
    pub async fn send(&mut self, text: &str) -> io::Result<()> {
        const MASK: [u8; 4] = [0x12, 0x34, 0x56, 0x78];
        let payload = text.as_bytes();
        let mut frame = Vec::with_capacity(payload.len() + 14);
        frame.push(0x81);
        match payload.len() {
            n if n < 126 => frame.push(0x80 | n as u8),
            n if n <= u16::MAX as usize => {
                frame.push(0x80 | 126);
                frame.extend_from_slice(&(n as u16).to_be_bytes());
            }
            n => {
                frame.push(0x80 | 127);
                frame.extend_from_slice(&(n as u64).to_be_bytes());
            }
        }
        frame.extend_from_slice(&MASK);
        frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ MASK[i % 4]));
        self.write.write_all(&frame).await
    }
}
