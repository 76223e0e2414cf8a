//! A small closed-loop HTTP/1.1 load generator: N keep-alive connections, each sending one
//! request after another for a fixed time, recording every latency.

use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// What one run measured.
#[derive(Debug, Default, Clone)]
pub struct Report {
    /// Completed requests.
    pub requests: usize,
    /// Requests that did not answer with the expected status.
    pub errors: usize,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Sorted latencies in microseconds.
    pub latencies_us: Vec<u32>,
}

impl Report {
    /// Requests per second.
    pub fn rate(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The `q` quantile (0..1) of latency in milliseconds.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return 0.0;
        }
        let index = ((self.latencies_us.len() - 1) as f64 * q).round() as usize;
        f64::from(self.latencies_us[index]) / 1000.0
    }

    /// One line for the console.
    pub fn line(&self, name: &str) -> String {
        format!(
            "{name:<48} {:>10.0} req/s   p50 {:>7.2} ms   p99 {:>7.2} ms   errors {}",
            self.rate(),
            self.quantile_ms(0.50),
            self.quantile_ms(0.99),
            self.errors
        )
    }
}

/// Runs `connections` loops sending `request` (a full HTTP/1.1 request) for `duration`,
/// counting answers with `expected_status` as successes.
pub async fn run(
    addr: SocketAddr,
    request: String,
    expected_status: u16,
    connections: usize,
    duration: Duration,
) -> Report {
    let deadline = Instant::now() + duration;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let request = request.clone();
        tasks.push(tokio::spawn(async move {
            connection_loop(addr, request, expected_status, deadline).await
        }));
    }
    let mut report = Report::default();
    for task in tasks {
        if let Ok(part) = task.await {
            report.requests += part.requests;
            report.errors += part.errors;
            report.latencies_us.extend(part.latencies_us);
        }
    }
    report.elapsed = started.elapsed();
    report.latencies_us.sort_unstable();
    report
}

async fn connection_loop(
    addr: SocketAddr,
    request: String,
    expected: u16,
    deadline: Instant,
) -> Report {
    let mut report = Report::default();
    let Ok(stream) = TcpStream::connect(addr).await else {
        report.errors += 1;
        return report;
    };
    let _ = stream.set_nodelay(true);
    let mut stream = BufReader::new(stream);
    while Instant::now() < deadline {
        let sent = Instant::now();
        match exchange(&mut stream, request.as_bytes()).await {
            Some(status) => {
                report.requests += 1;
                if status != expected {
                    report.errors += 1;
                }
                report
                    .latencies_us
                    .push(u32::try_from(sent.elapsed().as_micros()).unwrap_or(u32::MAX));
            }
            None => {
                report.errors += 1;
                break;
            }
        }
    }
    report
}

/// Sends one request and reads one response; returns its status code.
async fn exchange(stream: &mut BufReader<TcpStream>, request: &[u8]) -> Option<u16> {
    stream.get_mut().write_all(request).await.ok()?;
    let mut line = String::new();
    stream.read_line(&mut line).await.ok()?;
    let status = line.split_whitespace().nth(1)?.parse().ok()?;
    let mut length = 0usize;
    loop {
        line.clear();
        stream.read_line(&mut line).await.ok()?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
    }
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).await.ok()?;
    Some(status)
}

/// A `GET` request with optional bearer token.
pub fn get(path: &str, token: Option<&str>) -> String {
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    format!("GET {path} HTTP/1.1\r\nHost: bench\r\n{auth}\r\n")
}

/// A `POST` request with a JSON body.
pub fn post_json(path: &str, body: &str) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}
