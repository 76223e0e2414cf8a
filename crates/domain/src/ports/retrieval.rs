//! Retrieval ports: the embedding engines ([`Embedder`]) and the vector store
//! ([`VectorStore`]) that keeps chunks of text with their vectors in named collections
//! (`file-{id}` for one file, a knowledge base's id for a knowledge base).

use async_trait::async_trait;
use serde_json::{Map, Value};

/// A chunk to index.
#[derive(Clone, Debug, PartialEq)]
pub struct ChunkItem {
    /// Id (UUID v4).
    pub id: String,
    /// The text.
    pub text: String,
    /// Its embedding.
    pub vector: Vec<f32>,
    /// `{file_id, name, source, hash, start_index, ...}`.
    pub metadata: Map<String, Value>,
}

/// A chunk found by a search.
#[derive(Clone, Debug, PartialEq)]
pub struct ChunkHit {
    /// Id.
    pub id: String,
    /// The collection it is in.
    pub collection: String,
    /// The text.
    pub text: String,
    /// Its metadata.
    pub metadata: Map<String, Value>,
    /// Cosine similarity to the query (higher is closer).
    pub score: f32,
}

/// A vector store failure; the message is for logs.
#[derive(Debug, thiserror::Error)]
#[error("vector store error: {0}")]
pub struct VectorError(pub String);

/// Chunks and their vectors by collection.
#[async_trait]
pub trait VectorStore: Send + Sync {
    /// Adds chunks to a collection.
    async fn insert(&self, collection: &str, items: Vec<ChunkItem>) -> Result<(), VectorError>;
    /// The `limit` chunks of the collections closest to `vector`, closest first.
    async fn search(
        &self,
        collections: &[String],
        vector: &[f32],
        limit: usize,
    ) -> Result<Vec<ChunkHit>, VectorError>;
    /// The `limit` chunks of the collections whose text best matches the words of `query`
    /// (Okapi BM25), best first; each scored by its cosine similarity to `vector`, as
    /// [`VectorStore::search`] scores, so both kinds of hits compare.
    async fn keyword_search(
        &self,
        collections: &[String],
        query: &str,
        vector: &[f32],
        limit: usize,
    ) -> Result<Vec<ChunkHit>, VectorError>;
    /// Whether a collection holds any chunk.
    async fn has_collection(&self, collection: &str) -> Result<bool, VectorError>;
    /// Removes the chunks of one file (`metadata.file_id`) from a collection.
    async fn delete_file(&self, collection: &str, file_id: &str) -> Result<(), VectorError>;
    /// Removes a collection.
    async fn delete_collection(&self, collection: &str) -> Result<(), VectorError>;
    /// Removes every collection.
    async fn reset(&self) -> Result<(), VectorError>;
}

/// Which embedding engine to use, from the live configuration (`rag.embedding_*`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmbeddingEngine {
    /// `""` (the local model), `openai` or `ollama`.
    pub engine: String,
    /// The model.
    pub model: String,
    /// Base URL of the `openai` or `ollama` server.
    pub url: String,
    /// Its key.
    pub key: String,
    /// Texts per request.
    pub batch_size: usize,
}

/// Turns texts into vectors.
#[async_trait]
pub trait Embedder: Send + Sync {
    /// Whether `engine` can embed at all here (the local engine needs its model installed).
    fn can_embed(&self, engine: &EmbeddingEngine) -> bool;
    /// One vector per text, in order; the error says why (shown as the file's error).
    async fn embed(
        &self,
        engine: &EmbeddingEngine,
        texts: Vec<String>,
    ) -> Result<Vec<Vec<f32>>, String>;
}

/// An in-process embedding model (blocking: callers run it on the blocking pool).
pub trait LocalEmbedding: Send + Sync {
    /// One vector per text; the error says why.
    fn embed_blocking(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String>;
}

/// An external reranker (`rag.reranking_engine = external` with a model named).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RerankEngine {
    /// The URL, used as given (for example `…/v1/rerank`).
    pub url: String,
    /// Bearer key.
    pub key: String,
    /// The model.
    pub model: String,
}

/// Scores documents against a question.
#[async_trait]
pub trait Reranker: Send + Sync {
    /// One relevance score per document, in order; the error says why.
    async fn rerank(
        &self,
        engine: &RerankEngine,
        query: &str,
        documents: &[String],
    ) -> Result<Vec<f32>, String>;
}

/// Turns text into tokens and back (the token text splitter's measure).
pub trait Tokenizer: Send + Sync {
    /// The tokens of a text.
    fn encode(&self, text: &str) -> Vec<u32>;
    /// The text of some tokens (an incomplete character becomes U+FFFD).
    fn decode(&self, tokens: &[u32]) -> String;
}
