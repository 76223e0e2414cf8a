//! Streamed answers as a stream of OpenAI chunk payloads (the JSON text of each
//! `chat.completion.chunk`), whatever the server spoke: SSE is re-framed event by event,
//! Ollama NDJSON is translated line by line. Nothing waits for the whole answer, and
//! dropping the stream drops the upstream connection (that is how a client's disconnect
//! cancels the request upstream).

use crate::error::describe;
use crate::lines::{LineBuffer, SseDecoder};
use crate::ollama::ChunkTranslator;
use bytes::Bytes;
use futures_util::stream::{BoxStream, StreamExt};
use hearth_domain::provider::{ChunkStream, ProviderError, StreamChunk};
use serde_json::Value;
use std::time::Duration;

/// Whole lines from a response body, with the idle limit applied between reads.
pub(crate) struct LineStream {
    body: BoxStream<'static, reqwest::Result<Bytes>>,
    lines: LineBuffer,
    ended: bool,
    idle: Option<Duration>,
    label: String,
}

impl LineStream {
    pub(crate) fn new(
        response: reqwest::Response,
        idle: Option<Duration>,
        max_line: usize,
        label: String,
    ) -> Self {
        Self {
            body: response.bytes_stream().boxed(),
            lines: LineBuffer::new(max_line),
            ended: false,
            idle,
            label,
        }
    }

    /// The next line; `None` at the end of the body.
    pub(crate) async fn next_line(&mut self) -> Option<Result<String, ProviderError>> {
        loop {
            match self.lines.next_line() {
                Ok(Some(line)) => return Some(Ok(line)),
                Ok(None) => {}
                Err(e) => return Some(Err(e)),
            }
            if self.ended {
                return self.lines.finish().transpose();
            }
            let next = match self.idle {
                Some(limit) => match tokio::time::timeout(limit, self.body.next()).await {
                    Ok(next) => next,
                    Err(_) => {
                        return Some(Err(ProviderError::Timeout {
                            connection: self.label.clone(),
                            seconds: limit.as_secs(),
                        }));
                    }
                },
                None => self.body.next().await,
            };
            match next {
                Some(Ok(bytes)) => self.lines.push(&bytes),
                Some(Err(e)) => {
                    return Some(Err(ProviderError::Interrupted(format!(
                        "{}: {}",
                        self.label,
                        describe(&e)
                    ))));
                }
                None => self.ended = true,
            }
        }
    }
}

/// An OpenAI-compatible SSE answer: each `data:` payload until `[DONE]`.
pub(crate) fn openai_chunks(lines: LineStream) -> ChunkStream {
    let state = (lines, SseDecoder::default(), false);
    Box::pin(futures_util::stream::unfold(
        state,
        |(mut lines, mut decoder, finished)| async move {
            if finished {
                return None;
            }
            loop {
                let event = match lines.next_line().await {
                    Some(Ok(line)) => decoder.line(&line),
                    Some(Err(e)) => return Some((Err(e), (lines, decoder, true))),
                    None => match decoder.flush() {
                        Some(event) => Some(event),
                        None => return None,
                    },
                };
                let Some(event) = event else { continue };
                let data = event.data.trim();
                if data == "[DONE]" {
                    return None;
                }
                if data.is_empty() {
                    continue;
                }
                let chunk = StreamChunk::Text(data.to_owned());
                return Some((Ok(chunk), (lines, decoder, false)));
            }
        },
    ))
}

/// An Ollama NDJSON answer, translated to OpenAI chunks; ends after the `done` line.
pub(crate) fn ollama_chunks(lines: LineStream, created: i64) -> ChunkStream {
    let state = (lines, ChunkTranslator::new(created), false);
    Box::pin(futures_util::stream::unfold(
        state,
        |(mut lines, mut translator, finished)| async move {
            if finished {
                return None;
            }
            loop {
                let line = match lines.next_line().await? {
                    Ok(line) => line,
                    Err(e) => return Some((Err(e), (lines, translator, true))),
                };
                if line.trim().is_empty() {
                    continue;
                }
                let parsed: Value = match serde_json::from_str(&line) {
                    Ok(value) => value,
                    Err(_) => {
                        let err =
                            ProviderError::InvalidResponse("a streamed line is not JSON".into());
                        return Some((Err(err), (lines, translator, true)));
                    }
                };
                if let Some(message) = parsed.get("error") {
                    let message = message
                        .as_str()
                        .map_or_else(|| message.to_string(), str::to_owned);
                    let err = ProviderError::Interrupted(message);
                    return Some((Err(err), (lines, translator, true)));
                }
                let (chunk, done) = translator.chunk(&parsed);
                return Some((Ok(StreamChunk::Json(chunk)), (lines, translator, done)));
            }
        },
    ))
}

/// Raw non-empty lines (Ollama's native NDJSON, relayed as is).
pub(crate) fn raw_lines(lines: LineStream) -> ChunkStream {
    Box::pin(futures_util::stream::unfold(
        (lines, false),
        |(mut lines, finished)| async move {
            if finished {
                return None;
            }
            loop {
                match lines.next_line().await? {
                    Ok(line) if line.trim().is_empty() => continue,
                    Ok(line) => return Some((Ok(StreamChunk::Text(line)), (lines, false))),
                    Err(e) => return Some((Err(e), (lines, true))),
                }
            }
        },
    ))
}
