//! The soak (`--only soak`, `--minutes N`, default 30): one instance under a steady mix for
//! N minutes — each minute four sign-ins, 20 s of chat-list requests on 8 connections and 50
//! streamed completions at once, while 500 sockets stay connected answering pings. The RSS
//! is sampled after every round; the report compares the first round's with the largest and
//! the last, and counts every error (failed sign-ins and list requests, incomplete streams,
//! dropped sockets).

use crate::{load, rss_kib, streams, ws};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Sockets held for the whole soak.
const SOCKETS: usize = 500;
/// Streamed completions per round.
const STREAMS: usize = 50;
/// Length of one round.
const ROUND: Duration = Duration::from_secs(60);

/// Counts of what went wrong.
#[derive(Default)]
struct Errors {
    signin: usize,
    list: usize,
    streams: usize,
}

/// Connects a socket that answers the server's pings; `dropped` counts it when it ends.
async fn keep_socket(
    addr: SocketAddr,
    token: &str,
    dropped: Arc<AtomicUsize>,
) -> std::io::Result<()> {
    let (mut reader, mut writer) = ws::connect(addr, token).await?;
    tokio::spawn(async move {
        while let Ok(message) = reader.next().await {
            if message == "2" && writer.send("3").await.is_err() {
                break;
            }
        }
        dropped.fetch_add(1, Ordering::Relaxed);
    });
    Ok(())
}

async fn sign_in(addr: SocketAddr) -> bool {
    let body = serde_json::json!({"email": "bench@example.com", "password": "bench-password"});
    reqwest::Client::new()
        .post(format!("http://{addr}/api/v1/auths/signin"))
        .json(&body)
        .send()
        .await
        .is_ok_and(|r| r.status().is_success())
}

/// Runs the soak against the instance at `addr` (process `pid`), signed in as the bench
/// account with `token`.
pub async fn run(
    addr: SocketAddr,
    token: &str,
    pid: u32,
    minutes: u64,
) -> Result<(), Box<dyn std::error::Error>> {
    println!(
        "-- soak: {minutes} min; per minute 4 sign-ins, 20 s of chat lists x 8, {STREAMS} streams; {SOCKETS} sockets held"
    );
    let dropped = Arc::new(AtomicUsize::new(0));
    let mut refused = 0;
    for _ in 0..SOCKETS {
        if keep_socket(addr, token, Arc::clone(&dropped))
            .await
            .is_err()
        {
            refused += 1;
        }
    }
    let list = load::get("/api/v1/chats/?page=1", Some(token));
    let completions = format!("http://{addr}/api/chat/completions");
    let mut errors = Errors::default();
    let mut samples = Vec::new();
    let started = Instant::now();
    for round in 1..=minutes {
        let round_started = Instant::now();
        let signins = futures_util::future::join_all((0..4).map(|_| sign_in(addr))).await;
        errors.signin += signins.iter().filter(|ok| !**ok).count();
        let lists = load::run(addr, list.clone(), 200, 8, Duration::from_secs(20)).await;
        errors.list += lists.errors;
        let streamed = streams::run(&completions, Some(token), STREAMS).await;
        errors.streams += streamed.incomplete;
        tokio::time::sleep(ROUND.saturating_sub(round_started.elapsed())).await;
        let rss = rss_kib(pid).unwrap_or(0);
        samples.push(rss);
        println!(
            "  minute {round:>3}: RSS {:>6.1} MiB, chat list {:>6.0} req/s (p99 {:.2} ms), errors so far: sign-in {}, list {}, streams {}, sockets dropped {}",
            rss as f64 / 1024.0,
            lists.rate(),
            lists.quantile_ms(0.99),
            errors.signin,
            errors.list,
            errors.streams,
            dropped.load(Ordering::Relaxed),
        );
    }
    let first = samples.first().copied().unwrap_or(0).max(1);
    let last = samples.last().copied().unwrap_or(0);
    let peak = samples.iter().copied().max().unwrap_or(0);
    println!(
        "soak: {:.0} min; RSS after the first minute {:.1} MiB, largest {:.1} MiB ({:+.1}%), last {:.1} MiB ({:+.1}%); errors: sign-in {}, chat list {}, incomplete streams {}, sockets refused {refused}, dropped {}",
        started.elapsed().as_secs_f64() / 60.0,
        first as f64 / 1024.0,
        peak as f64 / 1024.0,
        (peak as f64 / first as f64 - 1.0) * 100.0,
        last as f64 / 1024.0,
        (last as f64 / first as f64 - 1.0) * 100.0,
        errors.signin,
        errors.list,
        errors.streams,
        dropped.load(Ordering::Relaxed),
    );
    Ok(())
}
