//! Chat completions: one OpenAI-format request sent to the connection serving the model,
//! in the format that connection speaks, and the answer back in OpenAI's format.

use crate::client::ProviderClient;
use crate::error::ProviderError;
use crate::ollama;
use crate::stream::{LineStream, ollama_chunks, openai_chunks, raw_lines};
use hearth_domain::provider::{Api, BaseModel, ChatAnswer, Connection, ProviderConfig};
use serde_json::{Map, Value};
use std::sync::atomic::{AtomicUsize, Ordering};

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

fn is_event_stream(response: &reqwest::Response) -> bool {
    response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/event-stream"))
}

/// Sends completions, spreading Ollama models over the servers that have them.
#[derive(Debug)]
pub struct Completions {
    client: ProviderClient,
    next: AtomicUsize,
}

impl Completions {
    /// Completions over `client`.
    pub fn new(client: ProviderClient) -> Self {
        Self {
            client,
            next: AtomicUsize::new(0),
        }
    }

    /// The connection that will answer for `model`.
    pub fn connection<'a>(
        &self,
        config: &'a ProviderConfig,
        model: &BaseModel,
    ) -> Result<&'a Connection, ProviderError> {
        let candidates: Vec<&Connection> = model
            .connections
            .iter()
            .filter_map(|&idx| config.get(model.api, idx))
            .filter(|c| c.enabled)
            .collect();
        if candidates.is_empty() {
            return Err(ProviderError::ModelNotFound);
        }
        let pick = self.next.fetch_add(1, Ordering::Relaxed) % candidates.len();
        Ok(candidates[pick])
    }

    /// Sends an OpenAI-format chat request for `model`. `stream` in the body decides whether
    /// the answer streams.
    pub async fn chat(
        &self,
        config: &ProviderConfig,
        model: &BaseModel,
        mut body: Map<String, Value>,
    ) -> Result<ChatAnswer, ProviderError> {
        let connection = self.connection(config, model)?;
        let upstream_id = connection.upstream_model_id(&model.id).to_owned();
        let stream = body.get("stream").and_then(Value::as_bool).unwrap_or(false);
        match model.api {
            Api::OpenAi => {
                body.insert("model".into(), Value::from(upstream_id));
                if !connection.url.contains("://api.openai.com")
                    && let Some(max) = body.remove("max_completion_tokens")
                {
                    body.insert("max_tokens".into(), max);
                }
                if !stream {
                    body.remove("stream_options");
                }
                let bytes = serde_json::to_vec(&body).unwrap_or_default();
                let response = self
                    .client
                    .post(connection, "/chat/completions", bytes)
                    .await?;
                if is_event_stream(&response) {
                    return Ok(ChatAnswer::Stream(openai_chunks(
                        self.lines(connection, response),
                    )));
                }
                self.json_answer(connection, response)
                    .await
                    .map(ChatAnswer::Json)
            }
            Api::Ollama => {
                let request = ollama::chat_request(&body, &upstream_id);
                let bytes = serde_json::to_vec(&request).unwrap_or_default();
                let response = self.client.post(connection, "/api/chat", bytes).await?;
                if stream {
                    return Ok(ChatAnswer::Stream(ollama_chunks(
                        self.lines(connection, response),
                        now(),
                    )));
                }
                let answer = self.json_answer(connection, response).await?;
                Ok(ChatAnswer::Json(ollama::completion(&answer, now())))
            }
        }
    }

    /// Sends an Ollama-native body to `path` (`/api/chat`, `/api/show`) of `connection`;
    /// streamed answers come back as raw NDJSON lines.
    pub async fn ollama_native(
        &self,
        connection: &Connection,
        path: &str,
        body: &Map<String, Value>,
        stream: bool,
    ) -> Result<ChatAnswer, ProviderError> {
        let bytes = serde_json::to_vec(body).unwrap_or_default();
        let response = self.client.post(connection, path, bytes).await?;
        if stream {
            return Ok(ChatAnswer::Stream(raw_lines(
                self.lines(connection, response),
            )));
        }
        self.json_answer(connection, response)
            .await
            .map(ChatAnswer::Json)
    }

    fn lines(&self, connection: &Connection, response: reqwest::Response) -> LineStream {
        let settings = self.client.settings();
        LineStream::new(
            response,
            settings.stream_idle_timeout,
            settings.max_response_bytes,
            connection.label(),
        )
    }

    async fn json_answer(
        &self,
        connection: &Connection,
        response: reqwest::Response,
    ) -> Result<Value, ProviderError> {
        let label = connection.label();
        let limit = self.client.settings().request_timeout;
        let bytes = self.client.read_body(&label, response, limit).await?;
        serde_json::from_slice(&bytes)
            .map_err(|_| ProviderError::InvalidResponse(format!("{label} did not answer JSON")))
    }
}
