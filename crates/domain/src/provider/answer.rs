//! A model server's answer: one JSON document, or a stream of chunks that stay typed until
//! they are encoded once, at the edge (SSE for API clients, Socket.IO events for the web
//! client).

use super::error::ProviderError;
use futures_core::Stream;
use serde::Deserialize;
use serde_json::Value;
use std::borrow::Cow;
use std::pin::Pin;

/// One piece of a streamed answer.
#[derive(Clone, Debug, PartialEq)]
pub enum StreamChunk {
    /// JSON text exactly as a server sent it (an OpenAI-compatible chunk, or a native
    /// Ollama line), relayed without being parsed.
    Text(String),
    /// A chunk Hearth built (an Ollama line translated to an OpenAI chunk).
    Json(Value),
}

/// What the chat flow reads of an OpenAI chunk.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChunkDelta {
    /// Text added to the answer.
    pub content: Option<String>,
    /// Token usage (usually in the last chunk).
    pub usage: Option<Value>,
    /// The error the server reported inside the stream.
    pub error: Option<String>,
}

#[derive(Deserialize)]
struct Fields {
    #[serde(default)]
    choices: Vec<Choice>,
    #[serde(default)]
    usage: Option<Value>,
    #[serde(default)]
    error: Option<Value>,
}

#[derive(Deserialize)]
struct Choice {
    #[serde(default)]
    delta: Option<Delta>,
}

#[derive(Deserialize)]
struct Delta {
    #[serde(default)]
    content: Option<Value>,
}

impl StreamChunk {
    /// The chunk as JSON text (borrowed when it came as text).
    pub fn encode(&self) -> Cow<'_, str> {
        match self {
            Self::Text(text) => Cow::Borrowed(text),
            Self::Json(value) => Cow::Owned(value.to_string()),
        }
    }

    /// The content, usage and error of an OpenAI chunk (`None` when it is not one).
    pub fn delta(&self) -> Option<ChunkDelta> {
        let fields: Fields = match self {
            Self::Text(text) => serde_json::from_str(text).ok()?,
            Self::Json(value) => Fields::deserialize(value).ok()?,
        };
        let error = fields.error.filter(|e| !e.is_null()).map(|error| {
            error
                .get("message")
                .and_then(Value::as_str)
                .map_or_else(|| error.to_string(), str::to_owned)
        });
        let content = fields
            .choices
            .into_iter()
            .next()
            .and_then(|c| c.delta)
            .and_then(|d| d.content)
            .and_then(|c| c.as_str().map(str::to_owned));
        Some(ChunkDelta {
            content,
            usage: fields.usage.filter(Value::is_object),
            error,
        })
    }
}

/// Chunks as they arrive, or the error that ended the stream. Dropping the stream drops the
/// model server's request.
pub type ChunkStream = Pin<Box<dyn Stream<Item = Result<StreamChunk, ProviderError>> + Send>>;

/// A completion's answer.
pub enum ChatAnswer {
    /// A whole `chat.completion` (or, for native Ollama calls, Ollama's JSON).
    Json(Value),
    /// Chunks as they arrive.
    Stream(ChunkStream),
}

impl std::fmt::Debug for ChatAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Json(value) => f.debug_tuple("Json").field(value).finish(),
            Self::Stream(_) => f.write_str("Stream(..)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn chunks_are_read_without_changing_them() {
        let text = r#"{"choices":[{"delta":{"content":"Hel"}}],"x":1}"#;
        let chunk = StreamChunk::Text(text.into());
        assert_eq!(chunk.encode(), text);
        assert_eq!(
            chunk.delta().and_then(|d| d.content).as_deref(),
            Some("Hel")
        );
        let built = StreamChunk::Json(json!({"choices": [], "usage": {"total_tokens": 3}}));
        assert_eq!(
            built.delta().and_then(|d| d.usage),
            Some(json!({"total_tokens": 3}))
        );
        let failed = StreamChunk::Json(json!({"error": {"message": "boom"}}));
        assert_eq!(
            failed.delta().and_then(|d| d.error).as_deref(),
            Some("boom")
        );
        assert_eq!(StreamChunk::Text("not json".into()).delta(), None);
    }
}
