//! Sockets: memory of many concurrent authenticated websockets on one instance, and event
//! fan-out latency — one socket's `typing` in a chat reaching every other socket in that
//! chat's room — on one instance and across two instances through Redis.

use crate::streams::quantile;
use crate::ws;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Mutex as AsyncMutex;

/// Sockets connecting at once while the pool fills.
const CONNECTING_AT_ONCE: usize = 200;

/// When the latest trigger was sent, and what the receivers measured.
pub struct Probe {
    base: Instant,
    sent_us: std::sync::atomic::AtomicU64,
    received: AtomicUsize,
    samples: Mutex<Vec<u64>>,
}

impl Probe {
    fn new() -> Arc<Self> {
        Arc::new(Self {
            base: Instant::now(),
            sent_us: 0.into(),
            received: 0.into(),
            samples: Mutex::new(Vec::new()),
        })
    }

    fn now_us(&self) -> u64 {
        self.base.elapsed().as_micros() as u64
    }

    fn record(&self) {
        let latency = self
            .now_us()
            .saturating_sub(self.sent_us.load(Ordering::Acquire));
        if let Ok(mut samples) = self.samples.lock() {
            samples.push(latency);
        }
        self.received.fetch_add(1, Ordering::AcqRel);
    }
}

/// A connected socket whose reader runs in its own task.
pub struct Held {
    writer: Arc<AsyncMutex<ws::Writer>>,
}

impl Held {
    async fn send(&self, text: &str) -> std::io::Result<()> {
        self.writer.lock().await.send(text).await
    }
}

/// Connects one socket, joins `chats`' rooms, and keeps it alive: pings answered, typing
/// events recorded in `probe`.
async fn hold(
    addr: SocketAddr,
    token: &str,
    chats: &[String],
    probe: Arc<Probe>,
) -> std::io::Result<Held> {
    let (mut reader, writer) = ws::connect(addr, token).await?;
    let writer = Arc::new(AsyncMutex::new(writer));
    for (ack, chat) in chats.iter().enumerate() {
        let join = serde_json::json!(["events:chat", {"chat_id": chat, "data": {"type": "join"}}]);
        writer.lock().await.send(&format!("42{ack}{join}")).await?;
        let expected = format!("43{ack}[true]");
        loop {
            let message = reader.next().await?;
            if message == expected {
                break;
            }
            if message.starts_with(&format!("43{ack}")) {
                return Err(std::io::Error::other("chat room join refused"));
            }
        }
    }
    let pong = Arc::clone(&writer);
    tokio::spawn(async move {
        while let Ok(message) = reader.next().await {
            if message == "2" {
                if pong.lock().await.send("3").await.is_err() {
                    break;
                }
            } else if message.starts_with("42[\"events\"") && message.contains("\"typing\"") {
                probe.record();
            }
        }
    });
    Ok(Held { writer })
}

/// Connects `count` sockets with bounded concurrency; returns those that connected.
async fn hold_many(
    addr: SocketAddr,
    token: &str,
    chats: &[String],
    count: usize,
    probe: &Arc<Probe>,
) -> Vec<Held> {
    let mut held = Vec::with_capacity(count);
    let mut started = 0;
    while started < count {
        let batch = CONNECTING_AT_ONCE.min(count - started);
        let tasks: Vec<_> = (0..batch)
            .map(|_| {
                let token = token.to_owned();
                let chats = chats.to_vec();
                let probe = Arc::clone(probe);
                tokio::spawn(async move { hold(addr, &token, &chats, probe).await })
            })
            .collect();
        for task in tasks {
            if let Ok(Ok(socket)) = task.await {
                held.push(socket);
            }
        }
        started += batch;
    }
    held
}

/// Latencies of one fan-out run.
pub struct FanoutReport {
    receivers: usize,
    rounds: usize,
    samples: Vec<u64>,
    missing: usize,
}

impl FanoutReport {
    /// One line for the console.
    pub fn line(&self, name: &str) -> String {
        format!(
            "{name:<44} {} receivers x {} events  p50 {:>6.2} ms  p99 {:>6.2} ms  max {:>6.2} ms  missing {}",
            self.receivers,
            self.rounds,
            quantile(&self.samples, 0.5),
            quantile(&self.samples, 0.99),
            quantile(&self.samples, 1.0),
            self.missing
        )
    }
}

/// `rounds` times: `sender` types in `chat`, and the run waits until the `receivers` sockets
/// in its room have the event (or two seconds passed).
async fn fan_out(
    sender: &Held,
    chat: &str,
    receivers: usize,
    rounds: usize,
    probe: &Probe,
) -> FanoutReport {
    let typing = serde_json::json!(["events:chat", {"chat_id": chat, "data": {"type": "typing", "data": {"typing": true}}}]);
    let frame = format!("42{typing}");
    if let Ok(mut samples) = probe.samples.lock() {
        samples.clear();
    }
    let mut missing = 0;
    for _ in 0..rounds {
        probe.received.store(0, Ordering::Release);
        probe.sent_us.store(probe.now_us(), Ordering::Release);
        if sender.send(&frame).await.is_err() {
            missing += receivers;
            continue;
        }
        let deadline = Instant::now() + Duration::from_secs(2);
        while probe.received.load(Ordering::Acquire) < receivers && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_micros(200)).await;
        }
        missing += receivers.saturating_sub(probe.received.load(Ordering::Acquire));
        // Late arrivals of this round must not count towards the next one.
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let mut samples = probe.samples.lock().map(|s| s.clone()).unwrap_or_default();
    samples.sort_unstable();
    FanoutReport {
        receivers,
        rounds,
        samples,
        missing,
    }
}

/// One instance: `total` sockets held (memory), then fan-out to 100 of them and to all.
pub async fn single_instance(
    addr: SocketAddr,
    token: &str,
    pid: u32,
    total: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    let small = crate::new_chat(addr, token).await?;
    let big = crate::new_chat(addr, token).await?;
    let probe = Probe::new();
    let before = crate::rss_kib(pid).unwrap_or(0);
    let started = Instant::now();
    let mut held = hold_many(addr, token, &[small.clone(), big.clone()], 100, &probe).await;
    held.extend(
        hold_many(
            addr,
            token,
            std::slice::from_ref(&big),
            total.saturating_sub(100),
            &probe,
        )
        .await,
    );
    let connect_time = started.elapsed();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = crate::rss_kib(pid).unwrap_or(0);
    println!(
        "-- {} of {total} sockets connected and in a chat room in {:.1} s; RSS {:.1} MiB -> {:.1} MiB ({:.1} KiB per socket)",
        held.len(),
        connect_time.as_secs_f64(),
        before as f64 / 1024.0,
        after as f64 / 1024.0,
        after.saturating_sub(before) as f64 / held.len().max(1) as f64
    );
    let sender = hold(addr, token, &[small.clone(), big.clone()], Probe::new()).await?;
    let report = fan_out(&sender, &small, 100, 200, &probe).await;
    println!("{}", report.line("fan-out, one instance"));
    let report = fan_out(&sender, &big, held.len(), 10, &probe).await;
    println!("{}", report.line("fan-out, one instance"));
    let rss = crate::rss_kib(pid).unwrap_or(0);
    println!(
        "RSS with {} sockets after the fan-out runs          {:>8.1} MiB",
        held.len(),
        rss as f64 / 1024.0
    );
    drop(held);
    Ok(())
}

/// Two instances sharing a database and Redis: a socket on `a` types, 100 sockets on `b`
/// receive; and for comparison both ends on `b`.
pub async fn two_instances(
    a: SocketAddr,
    b: SocketAddr,
    token: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let chat = crate::new_chat(a, token).await?;
    let probe = Probe::new();
    let receivers = hold_many(b, token, std::slice::from_ref(&chat), 100, &probe).await;
    let on_a = hold(a, token, std::slice::from_ref(&chat), Probe::new()).await?;
    let on_b = hold(b, token, std::slice::from_ref(&chat), Probe::new()).await?;
    let report = fan_out(&on_b, &chat, receivers.len(), 200, &probe).await;
    println!("{}", report.line("fan-out, Redis manager, same instance"));
    let report = fan_out(&on_a, &chat, receivers.len(), 200, &probe).await;
    println!("{}", report.line("fan-out, across two instances via Redis"));
    Ok(())
}
