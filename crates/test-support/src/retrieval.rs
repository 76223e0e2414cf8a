//! Retrieval doubles: [`WordEmbedder`] (a bag of hashed words, so texts sharing words are
//! close) and [`MemoryVectors`] (chunks in a list, ranked by cosine similarity).

use async_trait::async_trait;
use hearth_domain::ports::{
    ChunkHit, ChunkItem, Embedder, EmbeddingEngine, RerankEngine, Reranker, Tokenizer, VectorError,
    VectorStore,
};
use hearth_domain::retrieval::ranking::{Bm25, cosine, keywords};
use std::sync::Mutex;

/// Dimensions of [`WordEmbedder`]'s vectors.
pub const WORD_DIMENSIONS: usize = 64;

/// Embeds each lower-cased word into one of 64 buckets; counts what it embedded.
#[derive(Debug, Default)]
pub struct WordEmbedder {
    embedded: Mutex<usize>,
}

impl WordEmbedder {
    /// How many texts were embedded.
    pub fn embedded(&self) -> usize {
        *self
            .embedded
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The bag-of-words vector of a text.
pub fn word_vector(text: &str) -> Vec<f32> {
    let mut vector = vec![0.0_f32; WORD_DIMENSIONS];
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let hash = word.to_lowercase().bytes().fold(2_166_136_261_u32, |h, b| {
            (h ^ u32::from(b)).wrapping_mul(16_777_619)
        });
        if let Some(slot) = vector.get_mut(hash as usize % WORD_DIMENSIONS) {
            *slot += 1.0;
        }
    }
    vector
}

#[async_trait]
impl Embedder for WordEmbedder {
    fn can_embed(&self, _engine: &EmbeddingEngine) -> bool {
        true
    }

    async fn embed(
        &self,
        _: &EmbeddingEngine,
        texts: Vec<String>,
    ) -> Result<Vec<Vec<f32>>, String> {
        *self
            .embedded
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) += texts.len();
        Ok(texts.iter().map(|t| word_vector(t)).collect())
    }
}

/// Scores a document by the share of the question's words it contains.
#[derive(Debug, Default)]
pub struct WordReranker;

#[async_trait]
impl Reranker for WordReranker {
    async fn rerank(
        &self,
        _: &RerankEngine,
        query: &str,
        documents: &[String],
    ) -> Result<Vec<f32>, String> {
        let words = keywords(query);
        Ok(documents
            .iter()
            .map(|d| {
                let have = keywords(d);
                let shared = words.iter().filter(|w| have.contains(w)).count();
                shared as f32 / words.len().max(1) as f32
            })
            .collect())
    }
}

/// Each byte a token.
#[derive(Debug, Default)]
pub struct ByteTokenizer;

impl Tokenizer for ByteTokenizer {
    fn encode(&self, text: &str) -> Vec<u32> {
        text.bytes().map(u32::from).collect()
    }

    fn decode(&self, tokens: &[u32]) -> String {
        let bytes: Vec<u8> = tokens
            .iter()
            .filter_map(|t| u8::try_from(*t).ok())
            .collect();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// Chunks in memory.
#[derive(Debug, Default)]
pub struct MemoryVectors {
    chunks: Mutex<Vec<(String, ChunkItem)>>,
}

impl MemoryVectors {
    fn all(&self) -> std::sync::MutexGuard<'_, Vec<(String, ChunkItem)>> {
        self.chunks
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// How many chunks a collection holds.
    pub fn count(&self, collection: &str) -> usize {
        self.all().iter().filter(|(c, _)| c == collection).count()
    }
}

#[async_trait]
impl VectorStore for MemoryVectors {
    async fn insert(&self, collection: &str, items: Vec<ChunkItem>) -> Result<(), VectorError> {
        self.all()
            .extend(items.into_iter().map(|i| (collection.to_owned(), i)));
        Ok(())
    }

    async fn search(
        &self,
        collections: &[String],
        vector: &[f32],
        limit: usize,
    ) -> Result<Vec<ChunkHit>, VectorError> {
        let mut hits: Vec<ChunkHit> = self
            .all()
            .iter()
            .filter(|(c, _)| collections.contains(c))
            .map(|(c, i)| ChunkHit {
                id: i.id.clone(),
                collection: c.clone(),
                text: i.text.clone(),
                metadata: i.metadata.clone(),
                score: cosine(vector, &i.vector),
            })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score));
        hits.truncate(limit);
        Ok(hits)
    }

    async fn keyword_search(
        &self,
        collections: &[String],
        query: &str,
        vector: &[f32],
        limit: usize,
    ) -> Result<Vec<ChunkHit>, VectorError> {
        let all = self.all();
        let chunks: Vec<&(String, ChunkItem)> = all
            .iter()
            .filter(|(c, _)| collections.contains(c))
            .collect();
        let index = Bm25::new(chunks.iter().map(|(_, i)| i.text.as_str()));
        Ok(index
            .top(query, limit)
            .into_iter()
            .filter_map(|at| chunks.get(at))
            .map(|(c, i)| ChunkHit {
                id: i.id.clone(),
                collection: c.clone(),
                text: i.text.clone(),
                metadata: i.metadata.clone(),
                score: cosine(vector, &i.vector),
            })
            .collect())
    }

    async fn has_collection(&self, collection: &str) -> Result<bool, VectorError> {
        Ok(self.count(collection) > 0)
    }

    async fn delete_file(&self, collection: &str, file_id: &str) -> Result<(), VectorError> {
        self.all().retain(|(c, i)| {
            c != collection || i.metadata.get("file_id").and_then(|v| v.as_str()) != Some(file_id)
        });
        Ok(())
    }

    async fn delete_collection(&self, collection: &str) -> Result<(), VectorError> {
        self.all().retain(|(c, _)| c != collection);
        Ok(())
    }

    async fn reset(&self) -> Result<(), VectorError> {
        self.all().clear();
        Ok(())
    }
}

/// Web pages from a fixed map of URL → HTML; any other URL is refused, as the outbound
/// policy refuses it.
#[derive(Debug, Default)]
pub struct FixedWeb {
    /// The pages.
    pub pages: std::collections::HashMap<String, String>,
}

#[async_trait]
impl hearth_domain::ports::WebPages for FixedWeb {
    async fn fetch(
        &self,
        url: &str,
    ) -> Result<hearth_domain::ports::WebPage, hearth_domain::ports::WebFetchError> {
        let page = self.pages.get(url).ok_or_else(|| {
            hearth_domain::ports::WebFetchError::Refused(format!("{url} is not a known page"))
        })?;
        Ok(hearth_domain::ports::WebPage {
            url: url.to_owned(),
            content_type: Some("text/html".into()),
            bytes: bytes::Bytes::from(page.clone()),
        })
    }
}
