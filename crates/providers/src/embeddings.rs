//! The domain's `Embedder` port: OpenAI-compatible (`POST {url}/embeddings`) and Ollama
//! (`POST {url}/api/embed`) engines over HTTP in batches of `rag.embedding_batch_size`, and the
//! local model (engine `""`) when one is installed.

use crate::client::ProviderClient;
use async_trait::async_trait;
use hearth_domain::ports::{Embedder, EmbeddingEngine, LocalEmbedding};
use serde_json::{Value, json};
use std::sync::Arc;

/// The embedding engines.
#[derive(Clone)]
pub struct Embeddings {
    client: ProviderClient,
    local: Option<Arc<dyn LocalEmbedding>>,
}

/// What an engine without a local model answers.
pub const NO_LOCAL_MODEL: &str = "The local embedding model is not installed (scripts/fetch-embedding-model); choose the openai or ollama embedding engine in Admin > Settings > Documents, or install it";

impl Embeddings {
    /// HTTP engines over `client`; `local` for engine `""`.
    pub fn new(client: ProviderClient, local: Option<Arc<dyn LocalEmbedding>>) -> Self {
        Self { client, local }
    }

    async fn post(
        &self,
        engine: &EmbeddingEngine,
        path: &str,
        body: Value,
    ) -> Result<Value, String> {
        let label = format!("embedding engine {}", engine.engine);
        self.client
            .post_json_to(
                &label,
                engine.url.trim_end_matches('/'),
                &engine.key,
                path,
                &body,
            )
            .await
    }

    async fn batch(
        &self,
        engine: &EmbeddingEngine,
        texts: &[String],
    ) -> Result<Vec<Vec<f32>>, String> {
        match engine.engine.as_str() {
            "openai" => {
                let body = json!({"input": texts, "model": engine.model});
                let answer = self.post(engine, "/embeddings", body).await?;
                let mut data: Vec<&Value> = answer["data"]
                    .as_array()
                    .map(|d| d.iter().collect())
                    .unwrap_or_default();
                data.sort_by_key(|d| d["index"].as_u64().unwrap_or(0));
                Ok(data.into_iter().map(|d| vector(&d["embedding"])).collect())
            }
            "ollama" => {
                let body = json!({"input": texts, "model": engine.model});
                let answer = self.post(engine, "/api/embed", body).await?;
                Ok(answer["embeddings"]
                    .as_array()
                    .map(|e| e.iter().map(vector).collect())
                    .unwrap_or_default())
            }
            "" => {
                let Some(local) = self.local.clone() else {
                    return Err(NO_LOCAL_MODEL.into());
                };
                let owned = texts.to_vec();
                tokio::task::spawn_blocking(move || {
                    let refs: Vec<&str> = owned.iter().map(String::as_str).collect();
                    local.embed_blocking(&refs)
                })
                .await
                .map_err(|e| e.to_string())?
            }
            other => Err(format!("Unknown embedding engine {other:?}")),
        }
    }
}

fn vector(value: &Value) -> Vec<f32> {
    value
        .as_array()
        .map(|xs| {
            xs.iter()
                .filter_map(Value::as_f64)
                .map(|x| x as f32)
                .collect()
        })
        .unwrap_or_default()
}

#[async_trait]
impl Embedder for Embeddings {
    fn can_embed(&self, engine: &EmbeddingEngine) -> bool {
        match engine.engine.as_str() {
            "" => self.local.is_some(),
            "openai" | "ollama" => !engine.url.trim().is_empty(),
            _ => false,
        }
    }

    async fn embed(
        &self,
        engine: &EmbeddingEngine,
        texts: Vec<String>,
    ) -> Result<Vec<Vec<f32>>, String> {
        // The local model takes every text at once and shares them out over its
        // workers; the batch size is for HTTP engines.
        let size = if engine.engine.is_empty() {
            texts.len().max(1)
        } else {
            engine.batch_size.max(1)
        };
        let mut vectors = Vec::with_capacity(texts.len());
        for batch in texts.chunks(size) {
            let found = self.batch(engine, batch).await?;
            if found.len() != batch.len() || found.iter().any(Vec::is_empty) {
                return Err(format!(
                    "The embedding engine answered {} vectors for {} texts",
                    found.len(),
                    batch.len()
                ));
            }
            vectors.extend(found);
        }
        Ok(vectors)
    }
}
