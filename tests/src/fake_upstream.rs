//! A scripted model server for tests and benchmarks, speaking just enough HTTP/1.1 over raw
//! TCP to control every write: it can split SSE and NDJSON lines (and multi-byte characters)
//! across TCP writes, stall, drop the connection mid-answer, or answer errors and garbage.
//! Behaviour is chosen by the requested model name:
//!
//! | model | answer |
//! |---|---|
//! | anything else | a short reply echoing the last user message, word by word |
//! | `split` | [`SPLIT_TEXT`] written three bytes per TCP write |
//! | `stall` | one chunk, then silence until the client goes away (counted in [`FakeState::disconnects`]) |
//! | `drop` | two chunks, then the connection is cut |
//! | `error500` / `error400` | that status with an OpenAI-style JSON error |
//! | `garbage` | 200 with a body that is not JSON |
//! | `slow` | nothing for 30 s |
//! | `bench` | [`BENCH_CHUNKS`] chunks, one per [`FakeUpstream::bench_interval`], each carrying its send time |
//!
//! Requests that are not streamed and carry Open WebUI's query-generation prompt get
//! `{"queries": [the last user line]}`. It also embeds (`/v1/embeddings`, `/api/embed`: bags of
//! words) and reranks (`/v1/rerank`: the share of the query's words a document holds).

use anyhow::Result;
use serde_json::{Value, json};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Text the `split` model answers with.
pub const SPLIT_TEXT: &str = "Grüße, 世界! ✓ emoji 🎉 and a long tail of words";
/// Chunks the `bench` model sends.
pub const BENCH_CHUNKS: usize = 200;

/// Which API the fake speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// `/v1/models`, `/v1/chat/completions` (SSE), `/v1/embeddings` (bag-of-words vectors).
    OpenAi,
    /// `/api/tags`, `/api/version`, `/api/chat` (NDJSON), `/api/show`.
    Ollama,
}

/// One request the fake received.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// `GET`, `POST`, ...
    pub method: String,
    /// Path.
    pub path: String,
    /// `Authorization` header, if any.
    pub authorization: Option<String>,
    /// JSON body (`null` when empty or not JSON).
    pub body: Value,
}

/// What the fake saw.
#[derive(Debug, Default)]
pub struct FakeState {
    /// Requests in arrival order.
    pub requests: Mutex<Vec<Recorded>>,
    /// Streams the client closed before the fake finished them.
    pub disconnects: AtomicUsize,
    models: Mutex<Vec<String>>,
}

/// A running fake model server.
pub struct FakeUpstream {
    /// `http://127.0.0.1:port` (+ `/v1` for OpenAI).
    pub url: String,
    /// What it saw.
    pub state: Arc<FakeState>,
    /// Interval between `bench` chunks.
    pub bench_interval: Duration,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeUpstream {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeUpstream {
    /// Starts a fake offering `models`.
    pub async fn start(flavor: Flavor, models: &[&str]) -> Result<Self> {
        Self::start_paced(flavor, models, Duration::from_millis(5)).await
    }

    /// Starts a fake whose `bench` model sends a chunk every `interval`.
    pub async fn start_paced(flavor: Flavor, models: &[&str], interval: Duration) -> Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let state = Arc::new(FakeState::default());
        if let Ok(mut list) = state.models.lock() {
            *list = models.iter().map(|m| (*m).to_owned()).collect();
        }
        let shared = Arc::clone(&state);
        let task = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let state = Arc::clone(&shared);
                tokio::spawn(async move {
                    let _ = serve(socket, flavor, state, interval).await;
                });
            }
        });
        let url = match flavor {
            Flavor::OpenAi => format!("http://127.0.0.1:{port}/v1"),
            Flavor::Ollama => format!("http://127.0.0.1:{port}"),
        };
        Ok(Self {
            url,
            state,
            bench_interval: interval,
            task,
        })
    }

    /// Requests received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state
            .requests
            .lock()
            .map(|r| r.clone())
            .unwrap_or_default()
    }

    /// Requests to a path received so far.
    pub fn requests_to(&self, path: &str) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.path == path)
            .collect()
    }

    /// Streams the client abandoned.
    pub fn disconnects(&self) -> usize {
        self.state.disconnects.load(Ordering::SeqCst)
    }
}

/// A port where nothing listens (a dead connection).
pub async fn dead_url() -> Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    drop(listener);
    Ok(format!("http://127.0.0.1:{port}/v1"))
}

/// A server that accepts connections and never answers (a hanging connection).
pub async fn hanging_url() -> Result<(String, tokio::task::JoinHandle<()>)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    Ok((format!("http://127.0.0.1:{port}/v1"), task))
}

async fn read_request(
    socket: &mut TcpStream,
) -> Result<Option<(String, String, Option<String>, Vec<u8>)>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.lines();
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let path = parts.next().unwrap_or_default().to_owned();
    let mut length = 0usize;
    let mut authorization = None;
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            match name.trim().to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse().unwrap_or(0),
                "authorization" => authorization = Some(value.trim().to_owned()),
                _ => {}
            }
        }
    }
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Ok(Some((method, path, authorization, body)))
}

async fn respond(
    socket: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
) -> Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    socket.write_all(head.as_bytes()).await?;
    socket.write_all(body).await?;
    socket.flush().await?;
    Ok(())
}

async fn start_stream(socket: &mut TcpStream, content_type: &str) -> Result<()> {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    socket.write_all(head.as_bytes()).await?;
    socket.flush().await?;
    Ok(())
}

async fn write_chunk(socket: &mut TcpStream, bytes: &[u8]) -> Result<()> {
    socket
        .write_all(format!("{:x}\r\n", bytes.len()).as_bytes())
        .await?;
    socket.write_all(bytes).await?;
    socket.write_all(b"\r\n").await?;
    socket.flush().await?;
    Ok(())
}

async fn end_stream(socket: &mut TcpStream) -> Result<()> {
    socket.write_all(b"0\r\n\r\n").await?;
    socket.flush().await?;
    Ok(())
}

/// Waits until the client closes the connection (or 30 s pass).
async fn await_close(socket: &mut TcpStream, state: &FakeState) {
    let mut buf = [0u8; 64];
    let closed = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await;
    if closed.is_ok() {
        state.disconnects.fetch_add(1, Ordering::SeqCst);
    }
}

fn now_micros() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros())
        .unwrap_or_default()
}

fn last_user_text(body: &Value) -> String {
    body.get("messages")
        .and_then(Value::as_array)
        .and_then(|m| m.iter().rev().find(|m| m["role"] == "user"))
        .and_then(|m| m.get("content"))
        .and_then(Value::as_str)
        .unwrap_or("nothing")
        .to_owned()
}

fn openai_chunk(model: &str, delta: Value, finish: Value) -> String {
    let chunk = json!({
        "id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1, "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    });
    format!("data: {chunk}\n\n")
}

fn record(
    state: &FakeState,
    method: &str,
    path: &str,
    authorization: Option<String>,
    body: &Value,
) {
    if let Ok(mut requests) = state.requests.lock() {
        requests.push(Recorded {
            method: method.to_owned(),
            path: path.to_owned(),
            authorization,
            body: body.clone(),
        });
    }
}

async fn serve(
    mut socket: TcpStream,
    flavor: Flavor,
    state: Arc<FakeState>,
    interval: Duration,
) -> Result<()> {
    socket.set_nodelay(true)?;
    let Some((method, path, authorization, body)) = read_request(&mut socket).await? else {
        return Ok(());
    };
    let json_body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    record(&state, &method, &path, authorization, &json_body);
    let models: Vec<String> = state.models.lock().map(|m| m.clone()).unwrap_or_default();
    match (flavor, method.as_str(), path.as_str()) {
        (Flavor::OpenAi, "GET", "/v1/models") => {
            let data: Vec<Value> = models
                .iter()
                .map(|id| json!({"id": id, "object": "model", "created": 1, "owned_by": "fake"}))
                .collect();
            respond(
                &mut socket,
                "200 OK",
                "application/json",
                json!({"object": "list", "data": data})
                    .to_string()
                    .as_bytes(),
            )
            .await
        }
        (Flavor::OpenAi, "POST", "/v1/chat/completions") => {
            openai_chat(&mut socket, &json_body, &state, interval).await
        }
        (Flavor::Ollama, "GET", "/api/tags") => {
            let list: Vec<Value> = models
                .iter()
                .map(|m| json!({"name": m, "model": m, "modified_at": "2026-01-01T00:00:00Z", "size": 1000, "digest": "abc", "details": {"family": "fake"}}))
                .collect();
            respond(
                &mut socket,
                "200 OK",
                "application/json",
                json!({"models": list}).to_string().as_bytes(),
            )
            .await
        }
        (Flavor::Ollama, "GET", "/api/version") => {
            respond(
                &mut socket,
                "200 OK",
                "application/json",
                br#"{"version":"0.5.7"}"#,
            )
            .await
        }
        (Flavor::Ollama, "POST", "/api/show") => {
            let model = json_body["model"].as_str().unwrap_or_default();
            let answer =
                json!({"modelfile": format!("FROM {model}"), "details": {"family": "fake"}});
            respond(
                &mut socket,
                "200 OK",
                "application/json",
                answer.to_string().as_bytes(),
            )
            .await
        }
        (Flavor::Ollama, "POST", "/api/chat") => ollama_chat(&mut socket, &json_body, &state).await,
        (Flavor::OpenAi, "POST", "/v1/embeddings") | (Flavor::Ollama, "POST", "/api/embed") => {
            embeddings(&mut socket, flavor, &json_body).await
        }
        (Flavor::OpenAi, "POST", "/v1/rerank") => rerank(&mut socket, &json_body).await,
        _ => {
            respond(
                &mut socket,
                "404 Not Found",
                "application/json",
                br#"{"error":"not found"}"#,
            )
            .await
        }
    }
}

#[expect(
    clippy::too_many_lines,
    clippy::cognitive_complexity,
    reason = "the fake server's script: one match over every scripted behaviour"
)]
async fn openai_chat(
    socket: &mut TcpStream,
    body: &Value,
    state: &FakeState,
    interval: Duration,
) -> Result<()> {
    let model = body["model"].as_str().unwrap_or_default().to_owned();
    let stream = body["stream"].as_bool().unwrap_or(false);
    match model.as_str() {
        "error500" => {
            return respond(
                socket,
                "500 Internal Server Error",
                "application/json",
                br#"{"error":{"message":"upstream exploded"}}"#,
            )
            .await;
        }
        "error400" => {
            return respond(
                socket,
                "400 Bad Request",
                "application/json",
                br#"{"error":{"message":"bad things","type":"invalid_request_error"}}"#,
            )
            .await;
        }
        "garbage" => return respond(socket, "200 OK", "application/json", b"not json{").await,
        "slow" => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            return Ok(());
        }
        _ => {}
    }
    let asked_for_queries = body.as_object().and_then(hearth_test_support::query_answer);
    let reply = match (model.as_str(), asked_for_queries) {
        (_, Some(queries)) if !stream => queries,
        ("split", _) => SPLIT_TEXT.to_owned(),
        _ => format!("Hello from fake: {}", last_user_text(body)),
    };
    if !stream {
        let answer = json!({
            "id": "chatcmpl-fake", "object": "chat.completion", "created": 1, "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7},
        });
        return respond(
            socket,
            "200 OK",
            "application/json",
            answer.to_string().as_bytes(),
        )
        .await;
    }
    start_stream(socket, "text/event-stream").await?;
    match model.as_str() {
        "split" => {
            let mut text = openai_chunk(&model, json!({"role": "assistant"}), Value::Null);
            for word in SPLIT_TEXT.split_inclusive(' ') {
                text.push_str(&openai_chunk(&model, json!({"content": word}), Value::Null));
            }
            text.push_str(&openai_chunk(&model, json!({}), json!("stop")));
            text.push_str("data: [DONE]\n\n");
            for piece in text.as_bytes().chunks(3) {
                write_chunk(socket, piece).await?;
                tokio::time::sleep(Duration::from_micros(200)).await;
            }
            end_stream(socket).await
        }
        "stall" => {
            write_chunk(
                socket,
                openai_chunk(
                    &model,
                    json!({"role": "assistant", "content": "wait"}),
                    Value::Null,
                )
                .as_bytes(),
            )
            .await?;
            await_close(socket, state).await;
            Ok(())
        }
        "drop" => {
            for word in ["one ", "two "] {
                write_chunk(
                    socket,
                    openai_chunk(&model, json!({"content": word}), Value::Null).as_bytes(),
                )
                .await?;
            }
            socket.shutdown().await?;
            Ok(())
        }
        "bench" => {
            for i in 0..BENCH_CHUNKS {
                let delta = json!({"content": format!("t{} ", now_micros()), "index": i});
                if write_chunk(socket, openai_chunk(&model, delta, Value::Null).as_bytes())
                    .await
                    .is_err()
                {
                    state.disconnects.fetch_add(1, Ordering::SeqCst);
                    return Ok(());
                }
                tokio::time::sleep(interval).await;
            }
            write_chunk(socket, b"data: [DONE]\n\n").await?;
            end_stream(socket).await
        }
        _ => {
            write_chunk(
                socket,
                openai_chunk(&model, json!({"role": "assistant"}), Value::Null).as_bytes(),
            )
            .await?;
            for word in reply.split_inclusive(' ') {
                write_chunk(
                    socket,
                    openai_chunk(&model, json!({"content": word}), Value::Null).as_bytes(),
                )
                .await?;
            }
            write_chunk(
                socket,
                openai_chunk(&model, json!({}), json!("stop")).as_bytes(),
            )
            .await?;
            write_chunk(socket, b"data: [DONE]\n\n").await?;
            end_stream(socket).await
        }
    }
}

async fn ollama_chat(socket: &mut TcpStream, body: &Value, state: &FakeState) -> Result<()> {
    let model = body["model"].as_str().unwrap_or_default().to_owned();
    let stream = body["stream"].as_bool().unwrap_or(true);
    let asked_for_queries = body.as_object().and_then(hearth_test_support::query_answer);
    let reply = match (model.as_str(), asked_for_queries) {
        (_, Some(queries)) if !stream => queries,
        ("split", _) => SPLIT_TEXT.to_owned(),
        _ => format!("Hello from fake: {}", last_user_text(body)),
    };
    let done = json!({
        "model": model, "created_at": "2026-01-01T00:00:00Z", "message": {"role": "assistant", "content": ""},
        "done": true, "done_reason": "stop", "total_duration": 5000, "load_duration": 10,
        "prompt_eval_count": 6, "prompt_eval_duration": 100, "eval_count": 4, "eval_duration": 200,
    });
    if !stream {
        let mut answer = done.clone();
        answer["message"]["content"] = Value::from(reply);
        return respond(
            socket,
            "200 OK",
            "application/json",
            answer.to_string().as_bytes(),
        )
        .await;
    }
    start_stream(socket, "application/x-ndjson").await?;
    let mut text = String::new();
    for word in reply.split_inclusive(' ') {
        let line = json!({"model": model, "created_at": "2026-01-01T00:00:00Z", "message": {"role": "assistant", "content": word}, "done": false});
        text.push_str(&line.to_string());
        text.push('\n');
    }
    if model == "stall" {
        write_chunk(socket, text.as_bytes()).await?;
        await_close(socket, state).await;
        return Ok(());
    }
    text.push_str(&done.to_string());
    text.push('\n');
    let piece_size = if model == "split" { 3 } else { text.len() };
    for piece in text.as_bytes().chunks(piece_size.max(1)) {
        write_chunk(socket, piece).await?;
    }
    end_stream(socket).await
}

/// Answers an embedding request in the flavor's shape.
async fn embeddings(socket: &mut TcpStream, flavor: Flavor, body: &Value) -> Result<()> {
    let vectors: Vec<Vec<f32>> = inputs(body).iter().map(|t| word_vector(t)).collect();
    let answer = match flavor {
        Flavor::OpenAi => {
            let data: Vec<Value> = vectors
                .into_iter()
                .enumerate()
                .map(|(index, v)| json!({"object": "embedding", "index": index, "embedding": v}))
                .collect();
            json!({"object": "list", "data": data, "model": body["model"]})
        }
        Flavor::Ollama => json!({"model": body["model"], "embeddings": vectors}),
    };
    respond(
        socket,
        "200 OK",
        "application/json",
        answer.to_string().as_bytes(),
    )
    .await
}

/// Answers a rerank request (`{query, documents}`) as Open WebUI's external reranker expects:
/// each document scores the share of the query's words it contains, listed best first.
async fn rerank(socket: &mut TcpStream, body: &Value) -> Result<()> {
    let words = |t: &str| -> Vec<String> {
        t.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let query = words(body["query"].as_str().unwrap_or_default());
    let documents: Vec<&str> = body["documents"]
        .as_array()
        .map(|d| d.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut results: Vec<(usize, f64)> = documents
        .iter()
        .enumerate()
        .map(|(index, d)| {
            let have = words(d);
            let shared = query.iter().filter(|w| have.contains(w)).count();
            (index, shared as f64 / query.len().max(1) as f64)
        })
        .collect();
    results.sort_by(|a, b| b.1.total_cmp(&a.1));
    let results: Vec<Value> = results
        .into_iter()
        .map(|(index, score)| json!({"index": index, "relevance_score": score}))
        .collect();
    let answer = json!({ "results": results });
    respond(
        socket,
        "200 OK",
        "application/json",
        answer.to_string().as_bytes(),
    )
    .await
}

/// The texts of an embedding request (`input`: a text or a list).
fn inputs(body: &Value) -> Vec<String> {
    match &body["input"] {
        Value::String(text) => vec![text.clone()],
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

pub use hearth_test_support::word_vector;
