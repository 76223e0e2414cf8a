//! [`RetrievalServices`]: the embedding engines and the vector store the use cases run on.

use hearth_domain::ports::{Embedder, VectorStore};
use std::sync::Arc;

/// The retrieval ports.
#[derive(Clone)]
pub struct RetrievalServices {
    /// Embedding engines.
    pub embedder: Arc<dyn Embedder>,
    /// Chunks and vectors.
    pub vectors: Arc<dyn VectorStore>,
}
