//! The vectors of recently searched collections, in memory, so a search is arithmetic over
//! one contiguous array instead of a read of every row. Each collection's entry carries the
//! version (`collection_version`) it was read at; any write to the collection, from this
//! process or another one sharing the file, bumps the version, and the next search reads the
//! collection again. Entries are evicted, least recently used first, past a size limit.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// One collection's vectors.
#[derive(Debug)]
pub(crate) struct Vectors {
    /// The collection's version when read.
    pub version: i64,
    /// Row keys, in the order of `rows`.
    pub seqs: Vec<i64>,
    /// The vectors.
    pub rows: Vec<Vec<f32>>,
    /// Their lengths (norms).
    pub norms: Vec<f32>,
}

fn norm(v: &[f32]) -> f32 {
    v.iter().map(|x| x * x).sum::<f32>().sqrt()
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

impl Vectors {
    /// The vectors of rows `seqs`, read at `version`.
    pub fn new(version: i64, seqs: Vec<i64>, rows: Vec<Vec<f32>>) -> Self {
        let norms = rows.iter().map(|r| norm(r)).collect();
        Self {
            version,
            seqs,
            rows,
            norms,
        }
    }

    fn bytes(&self) -> usize {
        self.rows.iter().map(|r| r.len() * 4 + 8).sum::<usize>() + 64
    }

    /// Each row's key and cosine similarity to `query` (0 for another length or a zero
    /// vector).
    pub fn scores<'a>(&'a self, query: &'a [f32]) -> impl Iterator<Item = (i64, f32)> + 'a {
        let query_norm = norm(query);
        self.seqs
            .iter()
            .zip(&self.rows)
            .zip(&self.norms)
            .map(move |((seq, row), row_norm)| {
                let denominator = query_norm * row_norm;
                let score = if row.len() != query.len() || denominator == 0.0 {
                    0.0
                } else {
                    dot(query, row) / denominator
                };
                (*seq, score)
            })
    }
}

#[derive(Debug, Default)]
struct Entries {
    by_collection: HashMap<String, (Arc<Vectors>, u64)>,
    bytes: usize,
    clock: u64,
}

/// Collections' vectors up to `limit` bytes.
#[derive(Debug)]
pub(crate) struct Cache {
    entries: Mutex<Entries>,
    limit: usize,
}

impl Cache {
    /// An empty cache holding up to `limit` bytes (0: nothing is kept).
    pub fn new(limit: usize) -> Self {
        Self {
            entries: Mutex::new(Entries::default()),
            limit,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The collection's vectors if they were read at `version`.
    pub fn get(&self, collection: &str, version: i64) -> Option<Arc<Vectors>> {
        let mut entries = self.lock();
        entries.clock += 1;
        let now = entries.clock;
        let (vectors, used) = entries.by_collection.get_mut(collection)?;
        if vectors.version != version {
            return None;
        }
        *used = now;
        Some(Arc::clone(vectors))
    }

    /// Keeps a collection's vectors (unless they alone exceed the limit), evicting the least
    /// recently used others to make room.
    pub fn put(&self, collection: &str, vectors: Arc<Vectors>) {
        let size = vectors.bytes();
        if size > self.limit {
            return;
        }
        let mut entries = self.lock();
        if let Some((old, _)) = entries.by_collection.remove(collection) {
            entries.bytes -= old.bytes();
        }
        while entries.bytes + size > self.limit {
            let Some(oldest) = entries
                .by_collection
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(name, _)| name.clone())
            else {
                break;
            };
            if let Some((old, _)) = entries.by_collection.remove(&oldest) {
                entries.bytes -= old.bytes();
            }
        }
        entries.clock += 1;
        let now = entries.clock;
        entries.bytes += size;
        entries
            .by_collection
            .insert(collection.to_owned(), (vectors, now));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vectors(version: i64, rows: usize) -> Arc<Vectors> {
        Arc::new(Vectors::new(
            version,
            (0..rows as i64).collect(),
            vec![vec![1.0, 0.0]; rows],
        ))
    }

    #[test]
    fn stale_versions_miss_and_the_least_recent_goes_first() {
        let one = vectors(1, 10).bytes();
        let cache = Cache::new(one * 2);
        cache.put("a", vectors(1, 10));
        cache.put("b", vectors(1, 10));
        assert!(cache.get("a", 1).is_some());
        assert!(cache.get("a", 2).is_none(), "another version is a miss");
        cache.put("c", vectors(1, 10));
        assert!(cache.get("b", 1).is_none(), "b was used least recently");
        assert!(cache.get("a", 1).is_some() && cache.get("c", 1).is_some());
        cache.put("huge", vectors(1, 1000));
        assert!(cache.get("huge", 1).is_none(), "larger than the limit");
        let scores: Vec<(i64, f32)> = vectors(1, 2).scores(&[1.0, 0.0]).collect();
        assert_eq!(scores, [(0, 1.0), (1, 1.0)]);
    }
}
