//! Answers that come from model servers: their failures mapped onto HTTP once, and streamed
//! answers framed for the client (SSE for OpenAI-format chunks, NDJSON for Ollama's native
//! lines). A failure after the first byte cannot change the status any more, so it becomes
//! a last error chunk.

use crate::error::ApiError;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use futures_util::StreamExt;
use hearth_providers::{ChunkStream, ProviderClient, ProviderError, UpstreamBody};
use serde_json::{Value, json};
use std::convert::Infallible;

/// The readable message of an upstream error body.
fn message_of(body: &UpstreamBody) -> String {
    match body {
        UpstreamBody::Text(text) => text.clone(),
        UpstreamBody::Json(json) => [
            json.pointer("/error/message"),
            json.get("error"),
            json.get("detail"),
            json.get("message"),
        ]
        .into_iter()
        .flatten()
        .find_map(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| json.to_string()),
    }
}

/// Maps a provider failure before any byte was sent. A model server's 4xx comes back with
/// its status and body (JSON as it was, text as `detail`); its 5xx and transport failures
/// become 502 (504 for timeouts) with a clear `detail`.
pub fn provider_error(error: ProviderError) -> ApiError {
    match error {
        ProviderError::Disabled(_) => {
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, error.to_string())
        }
        ProviderError::ModelNotFound => ApiError::bad_request("Model not found"),
        ProviderError::ConnectionNotFound => ApiError::not_found("Connection not found"),
        ProviderError::Timeout { .. } => {
            ApiError::new(StatusCode::GATEWAY_TIMEOUT, error.to_string())
        }
        ProviderError::Upstream { status, body } if (400..500).contains(&status) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
            match body {
                UpstreamBody::Json(json) => ApiError::passthrough(status, json),
                UpstreamBody::Text(text) => ApiError::new(status, text),
            }
        }
        ProviderError::Upstream { status, body } => ApiError::new(
            StatusCode::BAD_GATEWAY,
            format!(
                "The model server answered HTTP {status}: {}",
                message_of(&body)
            ),
        ),
        other => {
            tracing::warn!(error = %other, "model server failure");
            ApiError::new(StatusCode::BAD_GATEWAY, other.to_string())
        }
    }
}

/// The message a mid-stream failure is reported with.
fn stream_failure(error: &ProviderError) -> String {
    tracing::warn!(%error, "model stream failed");
    match error {
        ProviderError::Upstream { body, .. } => message_of(body),
        other => other.to_string(),
    }
}

/// OpenAI chunks as `text/event-stream`: `data: {chunk}` per chunk, then `data: [DONE]`.
/// A failure mid-stream adds `data: {"error": {"message": ...}}` before `[DONE]`.
pub fn sse(chunks: ChunkStream) -> HttpResponse {
    let body = futures_util::stream::unfold(Some(chunks), |state| async move {
        let mut chunks = state?;
        let frame = match chunks.next().await {
            Some(Ok(data)) => {
                let mut frame = String::with_capacity(data.len() + 8);
                frame.push_str("data: ");
                frame.push_str(&data);
                frame.push_str("\n\n");
                return Some((Ok::<_, Infallible>(Bytes::from(frame)), Some(chunks)));
            }
            Some(Err(error)) => {
                let event = json!({"error": {"message": stream_failure(&error)}});
                format!("data: {event}\n\ndata: [DONE]\n\n")
            }
            None => "data: [DONE]\n\n".to_owned(),
        };
        Some((Ok(Bytes::from(frame)), None))
    });
    HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("Cache-Control", "no-cache"))
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(body)
}

/// Ollama lines as `application/x-ndjson`; a failure mid-stream adds `{"error": ...}`.
pub fn ndjson(lines: ChunkStream) -> HttpResponse {
    let body = futures_util::stream::unfold(Some(lines), |state| async move {
        let mut lines = state?;
        match lines.next().await {
            Some(Ok(line)) => {
                let mut frame = line;
                frame.push('\n');
                Some((Ok::<_, Infallible>(Bytes::from(frame)), Some(lines)))
            }
            Some(Err(error)) => {
                let line = format!("{}\n", json!({"error": stream_failure(&error)}));
                Some((Ok(Bytes::from(line)), None))
            }
            None => None,
        }
    });
    HttpResponse::Ok()
        .content_type("application/x-ndjson")
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(body)
}

/// GETs `{base}{path}` from a model server (within the model-list time limit) and relays
/// its JSON; `label` names the server in error messages.
pub async fn fetch(
    client: &ProviderClient,
    label: String,
    base: &str,
    key: &str,
    path: &str,
) -> Result<actix_web::web::Json<Value>, ApiError> {
    client
        .get_json(label, base, key, path)
        .await
        .map(actix_web::web::Json)
        .map_err(provider_error)
}

/// A JSON answer.
pub fn json_answer(value: Value) -> HttpResponse {
    HttpResponse::Ok().json(value)
}
