//! Streamed completions: many concurrent streams from a paced fake model server, read once
//! directly and once through Hearth. Each chunk carries the time the fake sent it, so the
//! reader knows each chunk's delivery latency; Hearth's cost per chunk is the difference
//! between the two runs. Also reports time to first byte and Hearth's memory during the run.

use futures_util::StreamExt;
use hearth_tests::fake_upstream::BENCH_CHUNKS;
use std::time::{Duration, Instant};

/// Latencies of one run, in microseconds.
#[derive(Default)]
pub struct StreamReport {
    /// Per chunk: receive time minus the fake's send time.
    pub chunk_us: Vec<u64>,
    /// Per stream: request sent to first body byte.
    pub first_byte_us: Vec<u64>,
    /// Streams that did not deliver every chunk.
    pub incomplete: usize,
    /// Wall time.
    pub elapsed: Duration,
}

/// The `q` quantile of sorted microseconds, in ms.
pub fn quantile(sorted: &[u64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize] as f64 / 1000.0
}

impl StreamReport {
    /// Chunk latency quantile in ms.
    pub fn chunk_ms(&self, q: f64) -> f64 {
        quantile(&self.chunk_us, q)
    }

    /// First-byte quantile in ms.
    pub fn first_byte_ms(&self, q: f64) -> f64 {
        quantile(&self.first_byte_us, q)
    }

    /// One line for the console.
    pub fn line(&self, name: &str) -> String {
        format!(
            "{name:<40} chunks {:>7}  chunk p50 {:>6.2} ms  p99 {:>6.2} ms   first byte p50 {:>6.2} ms  p99 {:>6.2} ms   incomplete {}",
            self.chunk_us.len(),
            self.chunk_ms(0.5),
            self.chunk_ms(0.99),
            self.first_byte_ms(0.5),
            self.first_byte_ms(0.99),
            self.incomplete
        )
    }
}

fn now_micros() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as u64)
        .unwrap_or_default()
}

/// Send times (`t<micros>`) found in a piece of an SSE body.
fn stamps(text: &str, out: &mut Vec<u64>) {
    let mut rest = text;
    while let Some(at) = rest.find("\"content\":\"t") {
        rest = &rest[at + 12..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(stamp) = digits.parse() {
            out.push(stamp);
        }
    }
}

/// Runs `streams` concurrent streamed completions against `url` (a full chat completions
/// URL) with `token`.
pub async fn run(url: &str, token: Option<&str>, streams: usize) -> StreamReport {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(streams)
        .build()
        .unwrap_or_default();
    let body = serde_json::json!({"model": "bench", "stream": true, "messages": [{"role": "user", "content": "go"}]});
    let started = Instant::now();
    // Starts are spread over one second, as real users' requests are, so the connection
    // burst itself (accept queues, SYN retries) does not dominate the first-byte figures.
    let spread = Duration::from_secs(1) / streams.max(1) as u32;
    let tasks: Vec<_> = (0..streams)
        .map(|i| {
            let client = client.clone();
            let body = body.clone();
            let url = url.to_owned();
            let token = token.map(str::to_owned);
            tokio::spawn(async move {
                tokio::time::sleep(spread * i as u32).await;
                let mut request = client.post(&url).json(&body);
                if let Some(token) = token {
                    request = request.bearer_auth(token);
                }
                let sent = Instant::now();
                let mut chunk_us = Vec::with_capacity(BENCH_CHUNKS);
                let mut first_byte = None;
                let Ok(response) = request.send().await else {
                    return (chunk_us, first_byte);
                };
                let mut body = response.bytes_stream();
                let mut carry = String::new();
                while let Some(Ok(piece)) = body.next().await {
                    let received = now_micros();
                    first_byte.get_or_insert_with(|| sent.elapsed().as_micros() as u64);
                    carry.push_str(&String::from_utf8_lossy(&piece));
                    let cut = carry.rfind("\n\n").map_or(0, |i| i + 2);
                    let mut found = Vec::new();
                    stamps(&carry[..cut], &mut found);
                    chunk_us.extend(found.into_iter().map(|t| received.saturating_sub(t)));
                    carry.drain(..cut);
                }
                (chunk_us, first_byte)
            })
        })
        .collect();
    let mut report = StreamReport::default();
    for task in tasks {
        if let Ok((chunks, first_byte)) = task.await {
            if chunks.len() < BENCH_CHUNKS {
                report.incomplete += 1;
            }
            report.chunk_us.extend(chunks);
            report.first_byte_us.extend(first_byte);
        }
    }
    report.elapsed = started.elapsed();
    report.chunk_us.sort_unstable();
    report.first_byte_us.sort_unstable();
    report
}
