//! Hearth's model-provider adapters: the domain's [`ModelServers`] port over HTTP for the
//! OpenAI-compatible and Ollama connections an admin configures — the merged and cached
//! model list, and chat completions streamed chunk by chunk in OpenAI's format (Ollama's
//! NDJSON translated on the way).
//!
//! ```no_run
//! use hearth_providers::{Providers, ProviderSettings, ProviderConfig};
//! use hearth_domain::config::ConfigSnapshot;
//! use std::sync::Arc;
//! # async fn run(snapshot: ConfigSnapshot) -> Result<(), hearth_providers::ProviderError> {
//! let providers = Providers::new(ProviderSettings::default())?;
//! let config = Arc::new(ProviderConfig::from_snapshot(&snapshot));
//! let models = providers.registry.base_models(&config, false).await;
//! println!("{} models", models.models.len());
//! # Ok(()) }
//! ```

pub mod client;
pub mod completion;
pub mod embeddings;
pub mod error;
pub mod lines;
pub mod ollama;
pub mod registry;
pub mod rerank;
pub mod stream;
pub mod tokens;
pub mod web;

pub use client::{ProviderClient, ProviderSettings};
pub use completion::Completions;
pub use hearth_domain::provider::{
    Api, BaseModel, BaseModels, ChatAnswer, ChunkStream, Connection, ProviderConfig, ProviderError,
    StreamChunk, UpstreamBody,
};
pub use registry::ModelRegistry;

use async_trait::async_trait;
use hearth_domain::provider::ModelServers;
use serde_json::{Map, Value};
use std::sync::Arc;

/// Everything a server needs to talk to model servers, sharing one HTTP client.
pub struct Providers {
    /// The HTTP client (also for connection checks).
    pub client: ProviderClient,
    /// The cached base model list.
    pub registry: ModelRegistry,
    /// Chat completions.
    pub completions: Completions,
}

impl Providers {
    /// Builds the client, registry and completions.
    pub fn new(settings: ProviderSettings) -> Result<Self, ProviderError> {
        let client = ProviderClient::new(settings)?;
        Ok(Self {
            registry: ModelRegistry::new(client.clone()),
            completions: Completions::new(client.clone()),
            client,
        })
    }
}

#[async_trait]
impl ModelServers for Providers {
    async fn base_models(&self, config: &Arc<ProviderConfig>, refresh: bool) -> Arc<BaseModels> {
        self.registry.base_models(config, refresh).await
    }

    fn forget_models(&self) {
        self.registry.clear();
    }

    fn pick_connection(
        &self,
        config: &ProviderConfig,
        model: &BaseModel,
    ) -> Result<Connection, ProviderError> {
        self.completions.connection(config, model).cloned()
    }

    async fn chat(
        &self,
        config: &ProviderConfig,
        model: &BaseModel,
        body: Map<String, Value>,
    ) -> Result<ChatAnswer, ProviderError> {
        self.completions.chat(config, model, body).await
    }

    async fn ollama_native(
        &self,
        connection: &Connection,
        path: &str,
        body: &Map<String, Value>,
        stream: bool,
    ) -> Result<ChatAnswer, ProviderError> {
        self.completions
            .ollama_native(connection, path, body, stream)
            .await
    }

    async fn get_json(
        &self,
        label: String,
        base: &str,
        key: &str,
        path: &str,
    ) -> Result<Value, ProviderError> {
        self.client.get_json(label, base, key, path).await
    }
}
