//! [`RetrievalServices`]: the embedding engines, the vector store, the reranker, the
//! tokenizer and the web-page fetcher the use cases run on.

use hearth_domain::ports::{Embedder, Reranker, Tokenizer, VectorStore, WebPages};
use std::sync::Arc;

/// The retrieval ports.
#[derive(Clone)]
pub struct RetrievalServices {
    /// Embedding engines.
    pub embedder: Arc<dyn Embedder>,
    /// Chunks and vectors.
    pub vectors: Arc<dyn VectorStore>,
    /// The external reranker.
    pub reranker: Arc<dyn Reranker>,
    /// Tokens for the token text splitter (`rag.text_splitter = token`).
    pub tokenizer: Arc<dyn Tokenizer>,
    /// Web pages users name, fetched through the outbound policy.
    pub web: Arc<dyn WebPages>,
}
