//! Answers that come from model servers, on the wire: their failures mapped onto HTTP once,
//! and answers framed for the client — one JSON document, SSE for OpenAI-format chunks,
//! NDJSON for Ollama's native lines. Each chunk is encoded here, once. A failure after the
//! first byte cannot change the status any more, so it becomes a last error chunk.

use crate::error::ApiError;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use futures_util::StreamExt;
use hearth_domain::provider::{ChatAnswer, ChunkStream, ProviderError, UpstreamBody};
use serde_json::json;
use std::convert::Infallible;

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
                body.message()
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
    error.stream_message()
}

/// An OpenAI-format answer: one JSON document, or SSE chunks.
pub fn openai_answer(answer: ChatAnswer) -> HttpResponse {
    match answer {
        ChatAnswer::Json(value) => HttpResponse::Ok().json(value),
        ChatAnswer::Stream(chunks) => sse(chunks),
    }
}

/// An Ollama-native answer: one JSON document, or NDJSON lines.
pub fn ollama_answer(answer: ChatAnswer) -> HttpResponse {
    match answer {
        ChatAnswer::Json(value) => HttpResponse::Ok().json(value),
        ChatAnswer::Stream(lines) => ndjson(lines),
    }
}

/// OpenAI chunks as `text/event-stream`: `data: {chunk}` per chunk, then `data: [DONE]`.
/// A failure mid-stream adds `data: {"error": {"message": ...}}` before `[DONE]`.
fn sse(chunks: ChunkStream) -> HttpResponse {
    let body = futures_util::stream::unfold(Some(chunks), |state| async move {
        let mut chunks = state?;
        let frame = match chunks.next().await {
            Some(Ok(chunk)) => {
                let data = chunk.encode();
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
fn ndjson(lines: ChunkStream) -> HttpResponse {
    let body = futures_util::stream::unfold(Some(lines), |state| async move {
        let mut lines = state?;
        match lines.next().await {
            Some(Ok(line)) => {
                let mut frame = line.encode().into_owned();
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
