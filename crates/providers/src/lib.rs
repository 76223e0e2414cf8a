//! Hearth's model providers: the OpenAI-compatible and Ollama connections an admin
//! configures, the merged and cached model list, the model catalog with workspace overrides
//! and access rules, and chat completions streamed chunk by chunk in OpenAI's format.
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

pub mod catalog;
pub mod client;
pub mod completion;
pub mod config;
pub mod error;
pub mod lines;
pub mod ollama;
pub mod registry;
pub mod request;
pub mod stream;

pub use catalog::{Catalog, CatalogModel, Viewer, model_json};
pub use client::{ProviderClient, ProviderSettings};
pub use completion::{ChatAnswer, Completions};
pub use config::{Api, Connection, ProviderConfig};
pub use error::{ProviderError, UpstreamBody};
pub use registry::{BaseModel, BaseModels, ModelRegistry};
pub use stream::ChunkStream;

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
