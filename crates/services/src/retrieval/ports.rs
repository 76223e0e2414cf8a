//! [`RetrievalServices`]: the embedding engines, the vector store and the reranker the use
//! cases run on.

use hearth_domain::ports::{Embedder, Reranker, VectorStore};
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
}
