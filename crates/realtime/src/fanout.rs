//! Delivering an event to a room everywhere: locally at once, and through one Redis pub/sub
//! channel to the other instances, which deliver it to their own members. Frames are
//! published in order by a single task, so a stream's deltas keep their order across
//! instances. When Redis is away, local delivery goes on and remote delivery resumes when
//! it returns.

use crate::hub::Hub;
use crate::socket::Frame;
use fred::clients::{Client, SubscriberClient};
use fred::interfaces::{ClientLike, EventInterface, PubsubInterface};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::mpsc;

/// Frames waiting to be published before new ones are dropped.
const PUBLISH_QUEUE: usize = 16_384;

#[derive(Debug, Serialize, Deserialize)]
struct Envelope {
    /// Publishing instance.
    i: String,
    /// Room (or socket id).
    r: String,
    /// Socket id to skip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    s: Option<String>,
    /// The encoded frame.
    f: String,
}

/// Where frames go beyond this instance.
pub struct Fanout {
    instance: String,
    queue: Option<mpsc::Sender<Envelope>>,
    dropped: Arc<AtomicU64>,
}

impl Fanout {
    /// Local delivery only.
    pub fn local() -> Self {
        Self {
            instance: uuid::Uuid::new_v4().to_string(),
            queue: None,
            dropped: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Delivery through Redis at `url` on `channel`; frames from other instances are
    /// delivered to `hub`. Connecting happens in the background.
    pub fn redis(url: &str, channel: String, hub: Arc<Hub>) -> Result<Self, fred::error::Error> {
        let instance = uuid::Uuid::new_v4().to_string();
        let publisher: Client = hearth_redis::builder(url)?.build()?;
        let subscriber: SubscriberClient = hearth_redis::builder(url)?.build_subscriber_client()?;
        let (tx, rx) = mpsc::channel(PUBLISH_QUEUE);
        let dropped = Arc::new(AtomicU64::new(0));
        tokio::spawn(publish_loop(publisher, channel.clone(), rx));
        tokio::spawn(subscribe_loop(subscriber, channel, instance.clone(), hub));
        Ok(Self {
            instance,
            queue: Some(tx),
            dropped,
        })
    }

    /// This instance's id.
    pub fn instance(&self) -> &str {
        &self.instance
    }

    /// Sends a frame to the other instances.
    pub fn publish(&self, room: &str, frame: &Frame, skip: Option<&str>) {
        let Some(queue) = &self.queue else { return };
        let envelope = Envelope {
            i: self.instance.clone(),
            r: room.to_owned(),
            s: skip.map(str::to_owned),
            f: frame.to_string(),
        };
        if queue.try_send(envelope).is_err() {
            let dropped = self.dropped.fetch_add(1, Ordering::Relaxed) + 1;
            if dropped.is_power_of_two() {
                tracing::warn!(
                    dropped,
                    "Redis publish queue full; events for other instances dropped"
                );
            }
        }
    }
}

/// Whether Redis is failing, so that a failure and a recovery are logged once each.
#[derive(Default)]
struct RedisHealth {
    failing: bool,
}

impl RedisHealth {
    fn failed(&mut self, error: Option<&fred::error::Error>) {
        if !self.failing {
            self.failing = true;
            match error {
                Some(error) => tracing::warn!(
                    %error,
                    "Redis unavailable; events reach this instance's sockets only"
                ),
                None => {
                    tracing::warn!("Redis unavailable; events reach this instance's sockets only")
                }
            }
        }
    }

    fn succeeded(&mut self) {
        if self.failing {
            self.failing = false;
            tracing::info!("Redis is back; events reach other instances again");
        }
    }
}

async fn publish_loop(client: Client, channel: String, mut rx: mpsc::Receiver<Envelope>) {
    let connecting = client.clone();
    tokio::spawn(async move {
        if let Err(error) = connecting.init().await {
            tracing::error!(%error, "Redis (websocket manager) connection failed");
        }
    });
    let mut health = RedisHealth::default();
    while let Some(envelope) = rx.recv().await {
        let Ok(payload) = serde_json::to_string(&envelope) else {
            continue;
        };
        if !client.is_connected() {
            health.failed(None);
            continue;
        }
        let sent: Result<(), _> = client.publish(channel.as_str(), payload).await;
        match sent {
            Ok(()) => health.succeeded(),
            Err(error) => health.failed(Some(&error)),
        }
    }
}

async fn subscribe_loop(
    client: SubscriberClient,
    channel: String,
    instance: String,
    hub: Arc<Hub>,
) {
    let mut messages = client.message_rx();
    let _resubscribe = client.manage_subscriptions();
    let connecting = client.clone();
    let subscribe_to = channel.clone();
    tokio::spawn(async move {
        if let Err(error) = connecting.init().await {
            tracing::error!(%error, "Redis (websocket manager) subscriber failed");
            return;
        }
        if let Err(error) = connecting.subscribe(subscribe_to).await {
            tracing::error!(%error, "Redis subscribe failed");
        }
    });
    loop {
        let message = match messages.recv().await {
            Ok(message) => message,
            Err(tokio::sync::broadcast::error::RecvError::Lagged(missed)) => {
                tracing::warn!(missed, "Redis subscriber lagged; events dropped");
                continue;
            }
            Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
        };
        if message.channel != channel {
            continue;
        }
        let Some(text) = message.value.as_str() else {
            continue;
        };
        let Ok(envelope) = serde_json::from_str::<Envelope>(&text) else {
            continue;
        };
        if envelope.i == instance {
            continue;
        }
        let frame = Frame::from(envelope.f);
        hub.deliver(&envelope.r, &frame, envelope.s.as_deref());
    }
}
