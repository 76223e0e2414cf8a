//! [`ScriptedModels`]: model servers that answer from a script, and record what they were
//! asked.

use async_trait::async_trait;
use futures_util::stream;
use hearth_domain::ports::ModelServers;
use hearth_domain::provider::{
    Api, BaseModel, BaseModels, ChatAnswer, Connection, ProviderConfig, ProviderError, StreamChunk,
};
use serde_json::{Map, Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How the scripted server answers.
#[derive(Clone, Debug)]
pub enum Script {
    /// These pieces as a stream (one chunk each, `delay` apart), or as one JSON answer when
    /// the request does not stream.
    Answer {
        /// The pieces of the answer.
        pieces: Vec<String>,
        /// Pause before each piece.
        delay: Duration,
    },
    /// A failure before the answer.
    Fail(u16, String),
}

/// Model servers offering a fixed list of OpenAI models, answering from a script.
pub struct ScriptedModels {
    models: Arc<BaseModels>,
    script: Mutex<Script>,
    asked: Mutex<Vec<Map<String, Value>>>,
}

impl ScriptedModels {
    /// Offers `ids` (OpenAI models on connection 0), answering "Hello there" in two pieces.
    pub fn new(ids: &[&str]) -> Self {
        let models = ids
            .iter()
            .map(|id| BaseModel {
                id: (*id).to_owned(),
                api: Api::OpenAi,
                connections: vec![0],
                body: json!({"id": id, "name": id, "object": "model", "owned_by": "openai"})
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
            })
            .collect();
        Self {
            models: Arc::new(BaseModels::new(models)),
            script: Mutex::new(Script::Answer {
                pieces: vec!["Hello".into(), " there".into()],
                delay: Duration::ZERO,
            }),
            asked: Mutex::new(Vec::new()),
        }
    }

    /// Answers with `script` from now on.
    pub fn script(&self, script: Script) {
        *self
            .script
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = script;
    }

    /// The requests received so far.
    pub fn asked(&self) -> Vec<Map<String, Value>> {
        self.asked
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

fn chunk(content: &str) -> StreamChunk {
    StreamChunk::Json(json!({
        "object": "chat.completion.chunk",
        "choices": [{"index": 0, "delta": {"content": content}}],
    }))
}

#[async_trait]
impl ModelServers for ScriptedModels {
    async fn base_models(&self, _: &Arc<ProviderConfig>, _: bool) -> Arc<BaseModels> {
        Arc::clone(&self.models)
    }

    fn forget_models(&self) {}

    fn pick_connection(
        &self,
        config: &ProviderConfig,
        model: &BaseModel,
    ) -> Result<Connection, ProviderError> {
        config
            .get(model.api, 0)
            .cloned()
            .ok_or(ProviderError::ModelNotFound)
    }

    async fn chat(
        &self,
        _: &ProviderConfig,
        _: &BaseModel,
        body: Map<String, Value>,
    ) -> Result<ChatAnswer, ProviderError> {
        let stream = body.get("stream").and_then(Value::as_bool).unwrap_or(false);
        let queries = query_answer(&body);
        self.asked
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(body);
        let script = self
            .script
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        let (pieces, delay) = match script {
            Script::Fail(status, text) => {
                return Err(ProviderError::Upstream {
                    status,
                    body: hearth_domain::provider::UpstreamBody::Text(text),
                });
            }
            Script::Answer { pieces, delay } => (pieces, delay),
        };
        if !stream {
            let content = queries.unwrap_or_else(|| pieces.concat());
            return Ok(ChatAnswer::Json(json!({
                "object": "chat.completion",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}],
            })));
        }
        let chunks = stream::unfold(pieces.into_iter(), move |mut rest| async move {
            let piece = rest.next()?;
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            Some((Ok(chunk(&piece)), rest))
        });
        Ok(ChatAnswer::Stream(Box::pin(chunks)))
    }

    async fn ollama_native(
        &self,
        _: &Connection,
        _: &str,
        _: &Map<String, Value>,
        _: bool,
    ) -> Result<ChatAnswer, ProviderError> {
        Err(ProviderError::ConnectionNotFound)
    }

    async fn get_json(&self, _: String, _: &str, _: &str, _: &str) -> Result<Value, ProviderError> {
        Ok(json!({"data": []}))
    }
}

/// What a model following Open WebUI's query-generation prompt answers: the last user line
/// of the chat history as the one query.
pub fn query_answer(body: &Map<String, Value>) -> Option<String> {
    let prompt = body
        .get("messages")?
        .as_array()?
        .last()?
        .get("content")?
        .as_str()?;
    if !prompt.contains("\"queries\"") || !prompt.contains("<chat_history>") {
        return None;
    }
    let history = prompt.split("<chat_history>").nth(1)?;
    let question = history
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("USER: "))?;
    Some(json!({ "queries": [question] }).to_string())
}
