//! Model servers as the rest of Hearth sees them: the connections an admin configured
//! ([`ProviderConfig`]), the models they offer ([`BaseModels`]), their answers
//! ([`ChatAnswer`], chunk by chunk) and failures ([`ProviderError`]), and the port
//! ([`ModelServers`]) that `hearth-providers` implements over HTTP.

mod answer;
mod connections;
mod error;
mod models;

pub use answer::{ChatAnswer, ChunkDelta, ChunkStream, StreamChunk};
pub use connections::{Api, Connection, ProviderConfig};
pub use error::{ProviderError, UpstreamBody};
pub use models::{BaseModel, BaseModels};

use async_trait::async_trait;
use serde_json::{Map, Value};
use std::sync::Arc;

/// The model servers: their merged model list, chat completions, and the few native calls
/// the admin pages and the Ollama proxy make.
#[async_trait]
pub trait ModelServers: Send + Sync {
    /// The merged base model list of every enabled connection (cached briefly; `refresh`
    /// asks every connection again). A dead connection costs at most its time limit and
    /// never fails the list.
    async fn base_models(&self, config: &Arc<ProviderConfig>, refresh: bool) -> Arc<BaseModels>;

    /// Forgets the cached list (the connections changed).
    fn forget_models(&self);

    /// The enabled connection that will answer for `model` (spread over those offering it).
    fn pick_connection(
        &self,
        config: &ProviderConfig,
        model: &BaseModel,
    ) -> Result<Connection, ProviderError>;

    /// Sends an OpenAI-format chat request for `model` to a connection serving it; `stream`
    /// in the body decides whether the answer streams.
    async fn chat(
        &self,
        config: &ProviderConfig,
        model: &BaseModel,
        body: Map<String, Value>,
    ) -> Result<ChatAnswer, ProviderError>;

    /// Sends an Ollama-native body to `path` of `connection`; streamed answers come back
    /// as raw lines.
    async fn ollama_native(
        &self,
        connection: &Connection,
        path: &str,
        body: &Map<String, Value>,
        stream: bool,
    ) -> Result<ChatAnswer, ProviderError>;

    /// GETs `{base}{path}` with `key` and parses JSON, within the model-list time limit;
    /// `label` names the server in errors.
    async fn get_json(
        &self,
        label: String,
        base: &str,
        key: &str,
        path: &str,
    ) -> Result<Value, ProviderError>;
}
