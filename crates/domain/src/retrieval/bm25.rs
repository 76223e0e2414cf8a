//! Okapi BM25 (k1 = 1.5, b = 0.75, an idf at or below zero floored at a quarter of the mean
//! idf, as `rank_bm25`'s `BM25Okapi` that Open WebUI's hybrid search uses) over lower-cased
//! words.

use std::collections::HashMap;

const K1: f32 = 1.5;
const B: f32 = 0.75;
const EPSILON: f32 = 0.25;
/// A word in half or more of the documents still counts a little (as in SQLite's FTS5).
const MIN_IDF: f32 = 1e-6;

/// The lower-cased words of a text (runs of letters and digits).
pub fn keywords(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// A BM25 index over a fixed list of documents.
#[derive(Debug)]
pub struct Bm25 {
    frequencies: Vec<HashMap<String, u32>>,
    lengths: Vec<f32>,
    average_length: f32,
    idf: HashMap<String, f32>,
}

impl Bm25 {
    /// Indexes `documents`.
    pub fn new<'a>(documents: impl IntoIterator<Item = &'a str>) -> Self {
        let mut frequencies = Vec::new();
        let mut lengths = Vec::new();
        let mut containing: HashMap<String, u32> = HashMap::new();
        for document in documents {
            let words = keywords(document);
            lengths.push(words.len() as f32);
            let mut counts: HashMap<String, u32> = HashMap::new();
            for word in words {
                *counts.entry(word).or_default() += 1;
            }
            for word in counts.keys() {
                *containing.entry(word.clone()).or_default() += 1;
            }
            frequencies.push(counts);
        }
        let count = lengths.len() as f32;
        let average_length = if lengths.is_empty() {
            0.0
        } else {
            lengths.iter().sum::<f32>() / count
        };
        let mut idf: HashMap<String, f32> = containing
            .into_iter()
            .map(|(word, n)| {
                let n = n as f32;
                (word, ((count - n + 0.5) / (n + 0.5)).ln())
            })
            .collect();
        let floor = if idf.is_empty() {
            0.0
        } else {
            EPSILON * idf.values().sum::<f32>() / idf.len() as f32
        };
        for value in idf.values_mut() {
            if *value <= 0.0 {
                *value = floor.max(MIN_IDF);
            }
        }
        Self {
            frequencies,
            lengths,
            average_length,
            idf,
        }
    }

    /// Each document's score for `query`, in the order the documents were given.
    pub fn scores(&self, query: &str) -> Vec<f32> {
        let words = keywords(query);
        self.frequencies
            .iter()
            .zip(&self.lengths)
            .map(|(counts, length)| {
                let norm = K1 * (1.0 - B + B * length / self.average_length.max(f32::EPSILON));
                words
                    .iter()
                    .map(|word| {
                        let f = counts.get(word).copied().unwrap_or(0) as f32;
                        let idf = self.idf.get(word).copied().unwrap_or(0.0);
                        idf * f * (K1 + 1.0) / (f + norm)
                    })
                    .sum()
            })
            .collect()
    }

    /// Indices of the `k` best-scoring documents with a score above zero, best first.
    pub fn top(&self, query: &str, k: usize) -> Vec<usize> {
        let mut ranked: Vec<(usize, f32)> = self
            .scores(query)
            .into_iter()
            .enumerate()
            .filter(|(_, score)| *score > 0.0)
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.into_iter().take(k).map(|(i, _)| i).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rare_words_weigh_more_and_short_documents_win_ties() {
        let docs = [
            "the cat sat on the mat",
            "the dog barked at the cat all day long in the yard",
            "penguins live in antarctica",
            "the the the",
            "a quiet morning",
        ];
        let index = Bm25::new(docs);
        assert_eq!(index.top("penguins", 3), [2]);
        assert_eq!(index.top("CAT", 3), [0, 1]);
        assert!(index.top("zebra", 3).is_empty());
        let scores = index.scores("antarctica cat");
        assert!(
            scores[2] > scores[0] && scores[0] > scores[1] && scores[3] == 0.0 && scores[4] == 0.0
        );
        assert_eq!(keywords("Hello, wörld-42!"), ["hello", "wörld", "42"]);
    }

    #[test]
    fn empty_index_scores_nothing() {
        let index = Bm25::new(Vec::<&str>::new());
        assert!(index.scores("anything").is_empty());
        assert!(index.top("anything", 3).is_empty());
    }
}
