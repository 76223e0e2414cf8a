//! The wire format: Engine.IO v4 packets (from `engineioxide-core`) carrying Socket.IO v5
//! packets (parsed and encoded by `socketioxide-parser-common`). Hearth speaks the JSON-only
//! subset the web client uses; binary attachments are refused. Pure functions, table-tested.

use engineioxide_core::{
    OpenPacket, Packet as EnginePacket, ProtocolVersion, Sid, Str, TransportType,
};
use serde::Serialize;
use serde_json::Value;
use socketioxide_core::Value as SioValue;
use socketioxide_core::packet::{Packet, PacketData};
use socketioxide_core::parser::{Parse, ParseConfig, ParseError, ParserState};
use socketioxide_parser_common::CommonParser;
use std::time::Duration;

/// Separator of packets in a long-polling payload.
pub const RECORD_SEPARATOR: char = '\u{1e}';

/// A packet received from a client, as far as Hearth cares.
#[derive(Clone, Debug, PartialEq)]
pub enum Inbound {
    /// Engine.IO pong (answer to the server's ping).
    Pong,
    /// Engine.IO `2probe` (websocket upgrade probe).
    ProbePing,
    /// Engine.IO upgrade completed.
    Upgrade,
    /// Engine.IO close.
    Close,
    /// Engine.IO noop or ping from a client (ignored).
    Noop,
    /// Socket.IO connect to a namespace, with the `auth` payload.
    Connect {
        /// Namespace (`/`).
        namespace: String,
        /// Auth object (`{"token": ...}`), if any.
        auth: Option<Value>,
    },
    /// Socket.IO disconnect.
    Disconnect,
    /// Socket.IO event.
    Event {
        /// Namespace.
        namespace: String,
        /// Event name.
        name: String,
        /// Arguments after the name.
        args: Vec<Value>,
        /// Ack id when the client waits for an answer.
        ack: Option<i64>,
    },
    /// Socket.IO ack of a server event (Hearth sends none that need one).
    Ack,
}

/// A packet Hearth could not accept.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProtocolError {
    /// Not a valid Engine.IO packet.
    #[error("invalid engine.io packet")]
    Engine,
    /// Not a valid Socket.IO packet.
    #[error("invalid socket.io packet")]
    Socket,
    /// Binary packets are not supported.
    #[error("binary packets are not supported")]
    Binary,
}

/// Decodes one Engine.IO text packet (and the Socket.IO packet inside a message).
pub fn decode(text: &str) -> Result<Inbound, ProtocolError> {
    let packet = EnginePacket::parse(ProtocolVersion::V4, Str::from(text.to_owned()))
        .map_err(|_| ProtocolError::Engine)?;
    match packet {
        EnginePacket::Pong => Ok(Inbound::Pong),
        EnginePacket::PingUpgrade => Ok(Inbound::ProbePing),
        EnginePacket::Upgrade => Ok(Inbound::Upgrade),
        EnginePacket::Close => Ok(Inbound::Close),
        EnginePacket::Noop | EnginePacket::Ping | EnginePacket::PongUpgrade => Ok(Inbound::Noop),
        EnginePacket::Message(message) => decode_socket(message),
        EnginePacket::Open(_) => Err(ProtocolError::Engine),
        EnginePacket::Binary(_) | EnginePacket::BinaryV3(_) => Err(ProtocolError::Binary),
    }
}

fn decode_socket(message: Str) -> Result<Inbound, ProtocolError> {
    let packet = CommonParser
        .decode_str(&ParseConfig::default(), &ParserState::default(), message)
        .map_err(|e| match e {
            ParseError::NeedsMoreBinaryData => ProtocolError::Binary,
            _ => ProtocolError::Socket,
        })?;
    let namespace = packet.ns.to_string();
    match packet.inner {
        PacketData::Connect(payload) => {
            let auth = match payload {
                Some(SioValue::Str(text, _)) => serde_json::from_str(text.as_str()).ok(),
                _ => None,
            };
            Ok(Inbound::Connect { namespace, auth })
        }
        PacketData::Disconnect => Ok(Inbound::Disconnect),
        PacketData::Event(SioValue::Str(text, _), ack) => {
            let mut items: Vec<Value> =
                serde_json::from_str(text.as_str()).map_err(|_| ProtocolError::Socket)?;
            if items.is_empty() {
                return Err(ProtocolError::Socket);
            }
            let name = match items.remove(0) {
                Value::String(name) => name,
                _ => return Err(ProtocolError::Socket),
            };
            Ok(Inbound::Event {
                namespace,
                name,
                args: items,
                ack,
            })
        }
        PacketData::EventAck(..) => Ok(Inbound::Ack),
        PacketData::BinaryEvent(..) | PacketData::BinaryAck(..) => Err(ProtocolError::Binary),
        PacketData::Event(SioValue::Bytes(_), _) => Err(ProtocolError::Binary),
        PacketData::ConnectError(_) => Err(ProtocolError::Socket),
    }
}

fn socket_packet(packet: Packet) -> String {
    match CommonParser.encode(packet) {
        SioValue::Str(text, _) => String::from(EnginePacket::Message(text)),
        SioValue::Bytes(_) => String::new(),
    }
}

/// The Engine.IO open packet of a new session.
pub fn open(
    sid: Sid,
    websocket_upgrade: bool,
    ping_interval: Duration,
    ping_timeout: Duration,
    max_payload: u64,
) -> String {
    let upgrades = if websocket_upgrade {
        [TransportType::Websocket].into_iter().collect()
    } else {
        Default::default()
    };
    String::from(EnginePacket::Open(OpenPacket {
        sid,
        upgrades,
        ping_interval,
        ping_timeout,
        max_payload,
    }))
}

/// Engine.IO ping.
pub fn ping() -> String {
    String::from(EnginePacket::Ping)
}

/// Engine.IO `3probe`, the answer to an upgrade probe.
pub fn probe_pong() -> String {
    String::from(EnginePacket::PongUpgrade)
}

/// Engine.IO noop (releases a pending poll during an upgrade).
pub fn noop() -> String {
    String::from(EnginePacket::Noop)
}

/// Engine.IO close.
pub fn close() -> String {
    String::from(EnginePacket::Close)
}

/// Socket.IO connect acknowledgement carrying the socket id.
pub fn connected(namespace: &str, socket_id: &str) -> String {
    let payload = serde_json::json!({ "sid": socket_id }).to_string();
    socket_packet(Packet::connect(
        namespace.to_owned(),
        Some(SioValue::Str(Str::from(payload), None)),
    ))
}

/// Socket.IO connect error (e.g. an unknown namespace).
pub fn connect_error(namespace: &str, message: &str) -> String {
    socket_packet(Packet::connect_error(namespace.to_owned(), message))
}

/// Socket.IO disconnect (the server closes the socket).
pub fn disconnect(namespace: &str) -> String {
    socket_packet(Packet::disconnect(namespace.to_owned()))
}

/// Socket.IO event `name` with one argument.
pub fn event<T: Serialize + ?Sized>(namespace: &str, name: &str, data: &T) -> Option<String> {
    let value = CommonParser.encode_value(data, Some(name)).ok()?;
    Some(socket_packet(Packet::event(namespace.to_owned(), value)))
}

/// Socket.IO ack `id` with one argument.
pub fn ack(namespace: &str, id: i64, data: &Value) -> Option<String> {
    let value = CommonParser.encode_value(data, None).ok()?;
    Some(socket_packet(Packet::ack(namespace.to_owned(), value, id)))
}

/// Splits a long-polling payload into packets.
pub fn split_payload(body: &str) -> impl Iterator<Item = &str> {
    body.split(RECORD_SEPARATOR).filter(|p| !p.is_empty())
}

/// Joins packets into a long-polling payload.
pub fn join_payload<S: AsRef<str>>(packets: &[S]) -> String {
    let mut out = String::new();
    for (i, packet) in packets.iter().enumerate() {
        if i > 0 {
            out.push(RECORD_SEPARATOR);
        }
        out.push_str(packet.as_ref());
    }
    out
}

/// A new Engine.IO session id.
pub fn new_sid() -> Sid {
    Sid::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn client_packets_decode() {
        let table: Vec<(&str, Result<Inbound, ProtocolError>)> = vec![
            ("3", Ok(Inbound::Pong)),
            ("2probe", Ok(Inbound::ProbePing)),
            ("5", Ok(Inbound::Upgrade)),
            ("1", Ok(Inbound::Close)),
            ("6", Ok(Inbound::Noop)),
            (
                "40",
                Ok(Inbound::Connect {
                    namespace: "/".into(),
                    auth: None,
                }),
            ),
            (
                r#"40{"token":"abc"}"#,
                Ok(Inbound::Connect {
                    namespace: "/".into(),
                    auth: Some(json!({"token": "abc"})),
                }),
            ),
            ("41", Ok(Inbound::Disconnect)),
            (
                r#"42["heartbeat",{}]"#,
                Ok(Inbound::Event {
                    namespace: "/".into(),
                    name: "heartbeat".into(),
                    args: vec![json!({})],
                    ack: None,
                }),
            ),
            (
                r#"4212["user-join",{"auth":{"token":"t"}}]"#,
                Ok(Inbound::Event {
                    namespace: "/".into(),
                    name: "user-join".into(),
                    args: vec![json!({"auth": {"token": "t"}})],
                    ack: Some(12),
                }),
            ),
            (
                r#"42/admin,["x"]"#,
                Ok(Inbound::Event {
                    namespace: "/admin".into(),
                    name: "x".into(),
                    args: vec![],
                    ack: None,
                }),
            ),
            ("430[true]", Ok(Inbound::Ack)),
            (
                r#"451-["up",{"_placeholder":true,"num":0}]"#,
                Err(ProtocolError::Binary),
            ),
            ("bAAAA", Err(ProtocolError::Binary)),
            ("42[]", Err(ProtocolError::Socket)),
            ("42[1,2]", Err(ProtocolError::Socket)),
            ("42not json", Err(ProtocolError::Socket)),
            ("49", Err(ProtocolError::Socket)),
            ("x", Err(ProtocolError::Engine)),
            ("", Err(ProtocolError::Engine)),
        ];
        for (text, expected) in table {
            assert_eq!(decode(text), expected, "{text:?}");
        }
    }

    #[test]
    fn server_packets_encode() {
        assert_eq!(ping(), "2");
        assert_eq!(probe_pong(), "3probe");
        assert_eq!(noop(), "6");
        assert_eq!(close(), "1");
        assert_eq!(connected("/", "abc"), r#"40{"sid":"abc"}"#);
        assert_eq!(disconnect("/"), "41");
        assert_eq!(
            event(
                "/",
                "events",
                &json!({"chat_id": "c", "data": {"type": "chat:title", "data": "Hi ✓"}})
            )
            .as_deref(),
            Some(r#"42["events",{"chat_id":"c","data":{"data":"Hi ✓","type":"chat:title"}}]"#)
        );
        assert_eq!(
            ack("/", 7, &json!({"id": "u", "name": "N"})).as_deref(),
            Some(r#"437[{"id":"u","name":"N"}]"#)
        );
        let open_packet = open(
            new_sid(),
            true,
            Duration::from_secs(25),
            Duration::from_secs(20),
            1_000_000,
        );
        let parsed: Value = serde_json::from_str(&open_packet[1..]).unwrap_or_default();
        assert!(open_packet.starts_with('0'));
        assert_eq!(parsed["upgrades"], json!(["websocket"]));
        assert_eq!(parsed["pingInterval"], 25000);
        assert_eq!(parsed["pingTimeout"], 20000);
        assert_eq!(parsed["maxPayload"], 1_000_000);
        assert_eq!(parsed["sid"].as_str().map(str::len), Some(16));
    }

    #[test]
    fn polling_payloads_split_and_join() {
        let joined = join_payload(&["2", r#"42["a",1]"#, "3"]);
        assert_eq!(joined, "2\u{1e}42[\"a\",1]\u{1e}3");
        assert_eq!(
            split_payload(&joined).collect::<Vec<_>>(),
            vec!["2", r#"42["a",1]"#, "3"]
        );
        assert_eq!(split_payload("").count(), 0);
    }
}
