//! Ranking the chunks of some collections for a list of questions, as Open WebUI does:
//! by vector similarity alone, or (hybrid search) keyword and vector rankings fused by
//! weighted reciprocal rank, then reranked, cut at the relevance threshold and at
//! `top_k_reranker`. Across questions a chunk found twice keeps its higher score; the best
//! `top_k` are kept.

use super::config::Ranking;
use crate::App;
use hearth_domain::ports::{ChunkHit, VectorError};
use std::collections::HashMap;

/// A question and its embedding.
pub struct Question {
    /// The text.
    pub text: String,
    /// Its vector.
    pub vector: Vec<f32>,
}

/// Reciprocal-rank fusion's constant.
const RRF_K: f32 = 60.0;

/// The best chunks of `collections` for `questions`, best first.
pub async fn rank(
    app: &App,
    ranking: &Ranking,
    collections: &[String],
    questions: &[Question],
) -> Result<Vec<ChunkHit>, VectorError> {
    let mut found = Vec::new();
    for question in questions {
        let hits = if ranking.hybrid {
            hybrid(app, ranking, collections, question).await?
        } else {
            let mut hits = app
                .retrieval
                .vectors
                .search(collections, &question.vector, ranking.top_k)
                .await?;
            // Open WebUI reports vector-only similarity on a 0..1 scale.
            for hit in &mut hits {
                hit.score = (1.0 + hit.score) / 2.0;
            }
            hits
        };
        found.extend(hits);
    }
    Ok(best_unique(found, ranking.top_k))
}

/// The `k` best hits, one per text (the higher score wins), best first.
fn best_unique(hits: Vec<ChunkHit>, k: usize) -> Vec<ChunkHit> {
    let mut by_text: HashMap<String, ChunkHit> = HashMap::new();
    for hit in hits {
        match by_text.get(&hit.text) {
            Some(kept) if kept.score >= hit.score => {}
            _ => {
                by_text.insert(hit.text.clone(), hit);
            }
        }
    }
    let mut best: Vec<ChunkHit> = by_text.into_values().collect();
    best.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    best.truncate(k);
    best
}

/// Keyword and vector rankings fused by weighted reciprocal rank (`score = Σ w / (rank +
/// 60)`); the first copy of a text is kept.
fn fuse(keyword: Vec<ChunkHit>, vector: Vec<ChunkHit>, bm25_weight: f32) -> Vec<ChunkHit> {
    let lists = if bm25_weight <= 0.0 {
        vec![(vector, 1.0)]
    } else if bm25_weight >= 1.0 {
        vec![(keyword, 1.0)]
    } else {
        vec![(keyword, bm25_weight), (vector, 1.0 - bm25_weight)]
    };
    let mut fused: Vec<(ChunkHit, f32)> = Vec::new();
    for (list, weight) in lists {
        for (rank, hit) in list.into_iter().enumerate() {
            let share = weight / (rank as f32 + 1.0 + RRF_K);
            match fused.iter_mut().find(|(kept, _)| kept.text == hit.text) {
                Some((_, total)) => *total += share,
                None => fused.push((hit, share)),
            }
        }
    }
    fused.sort_by(|a, b| b.1.total_cmp(&a.1));
    fused.into_iter().map(|(hit, _)| hit).collect()
}

/// Hybrid search for one question: fused candidates, reranked (by the external reranker
/// when one is set, else by their cosine similarity to the question), those under the
/// threshold dropped, the best `top_k_reranker` kept.
async fn hybrid(
    app: &App,
    ranking: &Ranking,
    collections: &[String],
    question: &Question,
) -> Result<Vec<ChunkHit>, VectorError> {
    let store = &app.retrieval.vectors;
    let vector = store
        .search(collections, &question.vector, ranking.top_k)
        .await?;
    let keyword = store
        .keyword_search(collections, &question.text, &question.vector, ranking.top_k)
        .await?;
    let mut candidates = fuse(keyword, vector, ranking.bm25_weight);
    if let Some(engine) = &ranking.reranker {
        let texts: Vec<String> = candidates.iter().map(|h| h.text.clone()).collect();
        let asked = app
            .retrieval
            .reranker
            .rerank(engine, &question.text, &texts);
        let scores = match tokio::time::timeout(ranking.reranker_timeout, asked).await {
            Ok(Ok(scores)) => scores,
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "the reranker failed; keeping the fused order");
                return Ok(candidates);
            }
            Err(_) => {
                tracing::warn!("the reranker timed out; keeping the fused order");
                return Ok(candidates);
            }
        };
        for (hit, score) in candidates.iter_mut().zip(scores) {
            hit.score = score;
        }
    }
    if ranking.threshold != 0.0 {
        candidates.retain(|h| h.score >= ranking.threshold);
    }
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score));
    candidates.truncate(ranking.top_k_reranker);
    Ok(candidates)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(text: &str, score: f32) -> ChunkHit {
        ChunkHit {
            id: text.into(),
            collection: "c".into(),
            text: text.into(),
            metadata: Default::default(),
            score,
        }
    }

    fn texts(hits: &[ChunkHit]) -> Vec<&str> {
        hits.iter().map(|h| h.text.as_str()).collect()
    }

    #[test]
    fn fusion_weighs_ranks_and_keeps_one_copy() {
        let keyword = vec![hit("a", 0.1), hit("b", 0.2)];
        let vector = vec![hit("b", 0.9), hit("c", 0.8)];
        assert_eq!(
            texts(&fuse(keyword.clone(), vector.clone(), 0.5)),
            ["b", "a", "c"]
        );
        assert_eq!(
            texts(&fuse(keyword.clone(), vector.clone(), 0.0)),
            ["b", "c"]
        );
        assert_eq!(
            texts(&fuse(keyword.clone(), vector.clone(), 1.0)),
            ["a", "b"]
        );
        assert_eq!(texts(&fuse(keyword, vector, 0.2)), ["b", "c", "a"]);
    }

    #[test]
    fn merging_keeps_the_higher_score_of_a_text() {
        let merged = best_unique(vec![hit("a", 0.2), hit("b", 0.5), hit("a", 0.7)], 5);
        assert_eq!(texts(&merged), ["a", "b"]);
        assert!((merged[0].score - 0.7).abs() < 1e-6);
        assert_eq!(best_unique(vec![hit("a", 0.2), hit("b", 0.5)], 1).len(), 1);
    }
}
