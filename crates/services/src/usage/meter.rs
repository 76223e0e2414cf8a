//! Charging an answer's tokens: the count the model server reports, else an estimate of
//! four characters a token over the prompt and the answer.

use futures_util::Stream;
use hearth_domain::ports::UsageCounters;
use hearth_domain::provider::{ChatAnswer, ChunkStream, ProviderError, StreamChunk};
use hearth_domain::usage::Window;
use serde_json::Value;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// An admitted completion: the day counters its tokens go to (none when unlimited). A turn
/// answered by several models charges each answer.
#[derive(Clone)]
pub struct Admission {
    counters: Option<Arc<dyn UsageCounters>>,
    keys: Vec<String>,
}

impl Admission {
    /// An admission that charges nothing.
    pub fn free() -> Self {
        Self {
            counters: None,
            keys: Vec::new(),
        }
    }

    pub(super) fn new(counters: Arc<dyn UsageCounters>, keys: Vec<String>) -> Self {
        if keys.is_empty() {
            return Self::free();
        }
        Self {
            counters: Some(counters),
            keys,
        }
    }

    /// Whether charging would count anything.
    pub fn charges(&self) -> bool {
        self.counters.is_some()
    }

    /// Adds `tokens` to every counter of the admission.
    pub async fn charge(&self, tokens: u64) {
        let Some(counters) = &self.counters else {
            return;
        };
        if tokens == 0 {
            return;
        }
        for key in &self.keys {
            counters.add(key, tokens, Window::Day.ttl_secs()).await;
        }
    }

    /// Charges in the background (from code that cannot wait, such as a dropped stream).
    fn charge_later(self, tokens: u64) {
        if !self.charges() {
            return;
        }
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move { self.charge(tokens).await });
        }
    }
}

/// The characters of a request's messages (for the estimate when the server reports no
/// usage).
pub fn prompt_chars(body: &serde_json::Map<String, Value>) -> usize {
    let Some(Value::Array(messages)) = body.get("messages") else {
        return 0;
    };
    messages.iter().map(|m| text_chars(&m["content"])).sum()
}

fn text_chars(content: &Value) -> usize {
    match content {
        Value::String(text) => text.chars().count(),
        Value::Array(parts) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .map(|t| t.chars().count())
            .sum(),
        _ => 0,
    }
}

/// Tokens an answer used: the server's count in `usage` (OpenAI's `total_tokens` or its
/// parts, Ollama's `prompt_eval_count` and `eval_count`), else `chars` / 4 rounded up.
pub fn tokens_used(usage: Option<&Value>, chars: usize) -> u64 {
    usage
        .and_then(reported_tokens)
        .unwrap_or_else(|| u64::try_from(chars.div_ceil(4)).unwrap_or(u64::MAX))
}

fn reported_tokens(usage: &Value) -> Option<u64> {
    let field = |name: &str| usage.get(name).and_then(Value::as_u64);
    field("total_tokens")
        .or_else(|| Some(field("prompt_tokens")? + field("completion_tokens")?))
        .or_else(|| Some(field("input_tokens")? + field("output_tokens")?))
        .or_else(|| Some(field("prompt_eval_count").unwrap_or(0) + field("eval_count")?))
}

/// What one chunk or answer document adds: answer characters and the usage it reports.
fn read_chunk(value: &Value) -> (usize, Option<&Value>) {
    let content = [
        "/choices/0/delta/content",
        "/choices/0/message/content",
        "/message/content",
        "/response",
    ]
    .iter()
    .find_map(|path| value.pointer(path).and_then(Value::as_str))
    .map_or(0, |text| text.chars().count());
    let usage = value
        .get("usage")
        .filter(|u| u.is_object())
        .or_else(|| value.get("eval_count").map(|_| value));
    (content, usage)
}

/// `answer`, charging its tokens to `admission`: a whole answer at once, a stream when it
/// ends or is dropped.
pub async fn metered(answer: ChatAnswer, admission: Admission, prompt: usize) -> ChatAnswer {
    if !admission.charges() {
        return answer;
    }
    match answer {
        ChatAnswer::Json(value) => {
            let (chars, usage) = read_chunk(&value);
            admission.charge(tokens_used(usage, prompt + chars)).await;
            ChatAnswer::Json(value)
        }
        ChatAnswer::Stream(inner) => ChatAnswer::Stream(Box::pin(MeteredStream {
            inner,
            admission: Some(admission),
            chars: prompt,
            usage: None,
        })),
    }
}

/// A stream that counts what passes and charges it when it ends or is dropped.
struct MeteredStream {
    inner: ChunkStream,
    admission: Option<Admission>,
    chars: usize,
    usage: Option<Value>,
}

impl MeteredStream {
    fn observe(&mut self, chunk: &StreamChunk) {
        let parsed;
        let value = match chunk {
            StreamChunk::Json(value) => value,
            StreamChunk::Text(text) => match serde_json::from_str::<Value>(text) {
                Ok(value) => {
                    parsed = value;
                    &parsed
                }
                Err(_) => return,
            },
        };
        let (chars, usage) = read_chunk(value);
        self.chars += chars;
        if let Some(usage) = usage {
            self.usage = Some(usage.clone());
        }
    }

    fn settle(&mut self) {
        if let Some(admission) = self.admission.take() {
            admission.charge_later(tokens_used(self.usage.as_ref(), self.chars));
        }
    }
}

impl Stream for MeteredStream {
    type Item = Result<StreamChunk, ProviderError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let polled = self.inner.as_mut().poll_next(cx);
        match &polled {
            Poll::Ready(Some(Ok(chunk))) => self.observe(chunk),
            Poll::Ready(None | Some(Err(_))) => self.settle(),
            Poll::Pending => {}
        }
        polled
    }
}

impl Drop for MeteredStream {
    fn drop(&mut self) {
        self.settle();
    }
}

#[cfg(test)]
mod tests {
    use super::{read_chunk, tokens_used};
    use serde_json::json;

    #[test]
    fn reported_usage_wins_over_the_estimate() {
        assert_eq!(tokens_used(Some(&json!({"total_tokens": 12})), 400), 12);
        assert_eq!(
            tokens_used(
                Some(&json!({"prompt_tokens": 3, "completion_tokens": 4})),
                0
            ),
            7
        );
        assert_eq!(
            tokens_used(Some(&json!({"prompt_eval_count": 5, "eval_count": 6})), 0),
            11
        );
        assert_eq!(tokens_used(Some(&json!({})), 9), 3);
        assert_eq!(tokens_used(None, 0), 0);
    }

    #[test]
    fn chunks_of_both_apis_are_read() {
        let openai = json!({"choices": [{"delta": {"content": "héllo"}}]});
        assert_eq!(read_chunk(&openai), (5, None));
        let ollama = json!({"message": {"content": "ab"}, "done": true, "eval_count": 2});
        let (chars, usage) = read_chunk(&ollama);
        assert_eq!(chars, 2);
        assert_eq!(tokens_used(usage, chars), 2);
    }
}
