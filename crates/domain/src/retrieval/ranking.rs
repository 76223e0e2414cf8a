//! Ranking chunks: cosine similarity, the best `k` of a stream of scored chunks, and Okapi
//! BM25 over a set of texts (the keyword half of hybrid search).

use crate::ports::ChunkHit;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Cosine similarity of two vectors (0 when either is all zeros or the lengths differ).
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    if a.len() != b.len() {
        return 0.0;
    }
    let (mut dot, mut na, mut nb) = (0.0_f32, 0.0_f32, 0.0_f32);
    for (x, y) in a.iter().zip(b) {
        dot += x * y;
        na += x * x;
        nb += y * y;
    }
    if na == 0.0 || nb == 0.0 {
        0.0
    } else {
        dot / (na.sqrt() * nb.sqrt())
    }
}

struct Ranked(ChunkHit);

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    /// Reversed, so the heap's top is the worst kept hit.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .0
            .score
            .total_cmp(&self.0.score)
            .then_with(|| self.0.id.cmp(&other.0.id))
    }
}

/// The `k` best hits, best first.
pub fn top_k(hits: impl IntoIterator<Item = ChunkHit>, k: usize) -> Vec<ChunkHit> {
    let mut heap = BinaryHeap::with_capacity(k + 1);
    for hit in hits {
        heap.push(Ranked(hit));
        if heap.len() > k {
            heap.pop();
        }
    }
    let mut best: Vec<ChunkHit> = heap.into_iter().map(|r| r.0).collect();
    best.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    best
}

pub use super::bm25::{Bm25, keywords};

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(id: &str, score: f32) -> ChunkHit {
        ChunkHit {
            id: id.into(),
            collection: "c".into(),
            text: String::new(),
            metadata: Default::default(),
            score,
        }
    }

    #[test]
    fn cosine_and_top_k() {
        assert!((cosine(&[1.0, 0.0], &[1.0, 0.0]) - 1.0).abs() < 1e-6);
        assert!(cosine(&[1.0, 0.0], &[0.0, 1.0]).abs() < 1e-6);
        assert_eq!(cosine(&[0.0, 0.0], &[1.0, 0.0]), 0.0);
        assert_eq!(cosine(&[1.0], &[1.0, 0.0]), 0.0);
        let best = top_k(
            [hit("a", 0.1), hit("b", 0.9), hit("c", 0.5), hit("d", 0.7)],
            2,
        );
        let ids: Vec<&str> = best.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["b", "d"]);
        assert!(top_k([hit("a", 0.1)], 0).is_empty());
    }
}
