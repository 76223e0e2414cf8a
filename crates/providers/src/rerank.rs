//! The domain's `Reranker` port over HTTP: Open WebUI's external reranker request
//! (`{model, query, documents, top_n}`, bearer key) and its answer
//! (`{results: [{index, relevance_score}]}`, any order).

use crate::client::ProviderClient;
use async_trait::async_trait;
use hearth_domain::ports::{RerankEngine, Reranker};
use serde_json::{Value, json};

/// The external reranker.
#[derive(Clone)]
pub struct ExternalReranker {
    client: ProviderClient,
}

impl ExternalReranker {
    /// Over `client`.
    pub fn new(client: ProviderClient) -> Self {
        Self { client }
    }
}

/// One score per document from the answer's `results`; documents without one score 0.
fn scores(answer: &Value, count: usize) -> Result<Vec<f32>, String> {
    let results = answer["results"]
        .as_array()
        .ok_or("the reranker answered no results")?;
    let mut scores = vec![0.0_f32; count];
    for result in results {
        let index = result["index"]
            .as_u64()
            .and_then(|i| usize::try_from(i).ok());
        let score = result["relevance_score"].as_f64();
        if let (Some(slot), Some(score)) = (index.and_then(|i| scores.get_mut(i)), score) {
            *slot = score as f32;
        }
    }
    Ok(scores)
}

#[async_trait]
impl Reranker for ExternalReranker {
    async fn rerank(
        &self,
        engine: &RerankEngine,
        query: &str,
        documents: &[String],
    ) -> Result<Vec<f32>, String> {
        let body = json!({
            "model": engine.model, "query": query, "documents": documents, "top_n": documents.len(),
        });
        let answer = self
            .client
            .post_json_to("the external reranker", &engine.url, &engine.key, "", &body)
            .await?;
        scores(&answer, documents.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_follow_the_indexes() {
        let answer = json!({"results": [
            {"index": 1, "relevance_score": 0.9}, {"index": 0, "relevance_score": 0.2},
            {"index": 7, "relevance_score": 1.0}
        ]});
        assert_eq!(scores(&answer, 3).unwrap_or_default(), [0.2, 0.9, 0.0]);
        assert!(scores(&json!({"detail": "no"}), 2).is_err());
    }
}
