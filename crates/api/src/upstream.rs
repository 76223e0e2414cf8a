//! Answers that come from model servers, on the wire: one JSON document, SSE for
//! OpenAI-format chunks, NDJSON for Ollama's native lines. Each chunk is encoded here, once. A failure after the
//! first byte cannot change the status any more, so it becomes a last error chunk.

use actix_web::HttpResponse;
use actix_web::web::Bytes;
use futures_util::StreamExt;
use hearth_domain::provider::{ChatAnswer, ChunkStream, ProviderError};
use serde_json::{Value, json};
use std::convert::Infallible;

/// The message a mid-stream failure is reported with.
fn stream_failure(error: &ProviderError) -> String {
    tracing::warn!(%error, "model stream failed");
    error.stream_message()
}

/// An OpenAI-format answer: one JSON document, or SSE chunks.
pub fn openai_answer(answer: ChatAnswer) -> HttpResponse {
    openai_answer_citing(answer, Vec::new())
}

/// An OpenAI-format answer that cites `sources` (Open WebUI's direct mode): a JSON answer
/// gains a `sources` field (the model's own fields win), a stream starts with
/// `data: {"sources": [...]}`.
pub fn openai_answer_citing(answer: ChatAnswer, sources: Vec<Value>) -> HttpResponse {
    match answer {
        ChatAnswer::Json(mut value) => {
            if let (Value::Object(fields), false) = (&mut value, sources.is_empty()) {
                fields
                    .entry("sources")
                    .or_insert_with(|| Value::Array(sources));
            }
            HttpResponse::Ok().json(value)
        }
        ChatAnswer::Stream(chunks) => {
            let first = (!sources.is_empty())
                .then(|| format!("data: {}\n\n", json!({ "sources": sources })));
            sse(chunks, first)
        }
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
fn sse(chunks: ChunkStream, first: Option<String>) -> HttpResponse {
    let first = futures_util::stream::iter(first.map(|f| Ok::<_, Infallible>(Bytes::from(f))));
    let rest = futures_util::stream::unfold(Some(chunks), |state| async move {
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
    let body = first.chain(rest);
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
