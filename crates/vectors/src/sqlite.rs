//! [`SqliteVectors`]: the `chunk` table of a separate SQLite file, with an FTS5 index of the
//! chunks' text for keyword search.

use crate::sqlite_cache::{Cache, Vectors};
use crate::sqlite_schema::prepare;
use async_trait::async_trait;
use hearth_domain::ports::{ChunkHit, ChunkItem, VectorError, VectorStore};
use hearth_domain::retrieval::ranking::{cosine, keywords};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, QueryResult,
    Statement, TransactionTrait, Value,
};
use serde_json::Map;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::OnceCell;

/// Chunks in an SQLite file, opened on first use (a server that never retrieves keeps no
/// connection to it).
#[derive(Clone, Debug)]
pub struct SqliteVectors {
    path: PathBuf,
    db: Arc<OnceCell<DatabaseConnection>>,
    cache: Arc<Cache>,
}

const BUMP: &str = "INSERT INTO collection_version (collection, version) VALUES (?, 1) \
                    ON CONFLICT (collection) DO UPDATE SET version = version + 1";

pub(crate) fn err(e: impl std::fmt::Display) -> VectorError {
    VectorError(e.to_string())
}

fn encode(vector: &[f32]) -> Vec<u8> {
    vector.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn decode(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

fn statement(sql: &str, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)
}

fn marks(count: usize) -> String {
    vec!["?"; count].join(", ")
}

fn names(collections: &[String]) -> Vec<Value> {
    collections
        .iter()
        .map(|c| Value::from(c.as_str()))
        .collect()
}

fn hit(row: &QueryResult, vector: &[f32]) -> Result<ChunkHit, VectorError> {
    let stored: Vec<u8> = row.try_get("", "vector").map_err(err)?;
    let metadata: String = row.try_get("", "metadata").map_err(err)?;
    Ok(ChunkHit {
        id: row.try_get("", "id").map_err(err)?,
        collection: row.try_get("", "collection").map_err(err)?,
        text: row.try_get("", "text").map_err(err)?,
        metadata: serde_json::from_str::<Map<_, _>>(&metadata).unwrap_or_default(),
        score: cosine(vector, &decode(&stored)),
    })
}

/// The keys of the `k` best scores, best first.
fn best_of(mut scored: Vec<(i64, f32)>, k: usize) -> Vec<i64> {
    let by_score = |a: &(i64, f32), b: &(i64, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if scored.len() > k {
        scored.select_nth_unstable_by(k, by_score);
        scored.truncate(k);
    }
    scored.sort_unstable_by(by_score);
    scored.into_iter().map(|(seq, _)| seq).collect()
}

impl SqliteVectors {
    /// The store in the file `path` (its folder is created now; the file is created or
    /// upgraded on first use), keeping up to `cache_bytes` of searched collections' vectors in
    /// memory.
    pub async fn open(path: &Path, cache_bytes: usize) -> Result<Self, VectorError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(err)?;
        }
        Ok(Self {
            path: path.to_owned(),
            db: Arc::new(OnceCell::new()),
            cache: Arc::new(Cache::new(cache_bytes)),
        })
    }

    /// The connection, opened (and the schema prepared) the first time.
    async fn db(&self) -> Result<&DatabaseConnection, VectorError> {
        self.db
            .get_or_try_init(|| async {
                let url = format!("sqlite://{}?mode=rwc", self.path.display());
                let mut options = ConnectOptions::new(url);
                options.min_connections(0).sqlx_logging(false);
                let db = Database::connect(options).await.map_err(err)?;
                prepare(&db).await?;
                Ok(db)
            })
            .await
    }

    /// Runs a write and bumps the versions of `collections` (all: `None`) in one transaction.
    async fn write(
        &self,
        sql: &str,
        values: Vec<Value>,
        collections: Option<&[&str]>,
    ) -> Result<(), VectorError> {
        let txn = self.db().await?.begin().await.map_err(err)?;
        txn.execute_raw(statement(sql, values)).await.map_err(err)?;
        match collections {
            Some(names) => {
                for name in names {
                    txn.execute_raw(statement(BUMP, vec![(*name).into()]))
                        .await
                        .map_err(err)?;
                }
            }
            None => {
                txn.execute_unprepared("UPDATE collection_version SET version = version + 1")
                    .await
                    .map_err(err)?;
            }
        }
        txn.commit().await.map_err(err)
    }

    /// The versions of `collections` (0 for one never written).
    async fn versions(&self, collections: &[String]) -> Result<Vec<i64>, VectorError> {
        let sql = format!(
            "SELECT collection, version FROM collection_version WHERE collection IN ({})",
            marks(collections.len())
        );
        let rows = self
            .db()
            .await?
            .query_all_raw(statement(&sql, names(collections)))
            .await
            .map_err(err)?;
        let mut found = Vec::with_capacity(rows.len());
        for row in rows {
            let name: String = row.try_get("", "collection").map_err(err)?;
            let version: i64 = row.try_get("", "version").map_err(err)?;
            found.push((name, version));
        }
        Ok(collections
            .iter()
            .map(|c| found.iter().find(|(n, _)| n == c).map_or(0, |(_, v)| *v))
            .collect())
    }

    /// A collection's vectors: from memory when still current, else read (and kept).
    async fn vectors(&self, collection: &str, version: i64) -> Result<Arc<Vectors>, VectorError> {
        if let Some(found) = self.cache.get(collection, version) {
            return Ok(found);
        }
        let rows = self
            .db()
            .await?
            .query_all_raw(statement(
                "SELECT seq, vector FROM chunk WHERE collection = ?",
                vec![collection.into()],
            ))
            .await
            .map_err(err)?;
        let (mut seqs, mut vectors) = (
            Vec::with_capacity(rows.len()),
            Vec::with_capacity(rows.len()),
        );
        for row in rows {
            seqs.push(row.try_get::<i64>("", "seq").map_err(err)?);
            let stored: Vec<u8> = row.try_get("", "vector").map_err(err)?;
            vectors.push(decode(&stored));
        }
        let read = Arc::new(Vectors::new(version, seqs, vectors));
        self.cache.put(collection, Arc::clone(&read));
        Ok(read)
    }

    /// Full rows of the chunks `seqs`, scored against `vector`, in the order given.
    async fn rows(&self, seqs: &[i64], vector: &[f32]) -> Result<Vec<ChunkHit>, VectorError> {
        if seqs.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT seq, id, collection, text, metadata, vector FROM chunk WHERE seq IN ({})",
            marks(seqs.len())
        );
        let values = seqs.iter().map(|s| Value::from(*s)).collect();
        let rows = self
            .db()
            .await?
            .query_all_raw(statement(&sql, values))
            .await
            .map_err(err)?;
        let mut found = Vec::with_capacity(rows.len());
        for row in &rows {
            let seq: i64 = row.try_get("", "seq").map_err(err)?;
            found.push((seq, hit(row, vector)?));
        }
        Ok(seqs
            .iter()
            .filter_map(|seq| {
                let at = found.iter().position(|(s, _)| s == seq)?;
                Some(found.swap_remove(at).1)
            })
            .collect())
    }
}

#[async_trait]
impl VectorStore for SqliteVectors {
    async fn insert(&self, collection: &str, items: Vec<ChunkItem>) -> Result<(), VectorError> {
        let txn = self.db().await?.begin().await.map_err(err)?;
        for item in items {
            let metadata = serde_json::Value::Object(item.metadata).to_string();
            let values = vec![
                item.id.into(),
                collection.into(),
                encode(&item.vector).into(),
                item.text.into(),
                metadata.into(),
            ];
            let sql = "INSERT INTO chunk (id, collection, vector, text, metadata) \
                       VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET \
                       collection = excluded.collection, vector = excluded.vector, \
                       text = excluded.text, metadata = excluded.metadata";
            txn.execute_raw(statement(sql, values)).await.map_err(err)?;
        }
        txn.execute_raw(statement(BUMP, vec![collection.into()]))
            .await
            .map_err(err)?;
        txn.commit().await.map_err(err)
    }

    async fn search(
        &self,
        collections: &[String],
        vector: &[f32],
        limit: usize,
    ) -> Result<Vec<ChunkHit>, VectorError> {
        if collections.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let versions = self.versions(collections).await?;
        let mut scored = Vec::new();
        for (collection, version) in collections.iter().zip(versions) {
            scored.extend(self.vectors(collection, version).await?.scores(vector));
        }
        let best = best_of(scored, limit);
        self.rows(&best, vector).await
    }

    async fn keyword_search(
        &self,
        collections: &[String],
        query: &str,
        vector: &[f32],
        limit: usize,
    ) -> Result<Vec<ChunkHit>, VectorError> {
        let words = keywords(query);
        if collections.is_empty() || limit == 0 || words.is_empty() {
            return Ok(Vec::new());
        }
        let matching = words
            .iter()
            .map(|w| format!("\"{w}\""))
            .collect::<Vec<_>>()
            .join(" OR ");
        let sql = format!(
            // CROSS JOIN keeps the text index the outer loop: one full-text query, its matches
            // joined by key (the other order runs the query again for every chunk).
            "SELECT chunk.seq AS seq FROM chunk_fts CROSS JOIN chunk ON chunk.seq = chunk_fts.rowid \
             WHERE chunk_fts MATCH ? AND chunk.collection IN ({}) ORDER BY chunk_fts.rank LIMIT ?",
            marks(collections.len())
        );
        let mut values = vec![Value::from(matching)];
        values.extend(names(collections));
        values.push(Value::from(i64::try_from(limit).unwrap_or(i64::MAX)));
        let rows = self
            .db()
            .await?
            .query_all_raw(statement(&sql, values))
            .await
            .map_err(err)?;
        let seqs = rows
            .iter()
            .map(|row| row.try_get::<i64>("", "seq").map_err(err))
            .collect::<Result<Vec<_>, _>>()?;
        self.rows(&seqs, vector).await
    }

    async fn has_collection(&self, collection: &str) -> Result<bool, VectorError> {
        let sql = "SELECT 1 AS found FROM chunk WHERE collection = ? LIMIT 1";
        let row = self
            .db()
            .await?
            .query_one_raw(statement(sql, vec![collection.into()]))
            .await
            .map_err(err)?;
        Ok(row.is_some())
    }

    async fn delete_file(&self, collection: &str, file_id: &str) -> Result<(), VectorError> {
        let sql =
            "DELETE FROM chunk WHERE collection = ? AND json_extract(metadata, '$.file_id') = ?";
        let values = vec![collection.into(), file_id.into()];
        self.write(sql, values, Some(&[collection])).await
    }

    async fn delete_collection(&self, collection: &str) -> Result<(), VectorError> {
        let sql = "DELETE FROM chunk WHERE collection = ?";
        self.write(sql, vec![collection.into()], Some(&[collection]))
            .await
    }

    async fn reset(&self) -> Result<(), VectorError> {
        self.write("DELETE FROM chunk", Vec::new(), None).await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[tokio::test]
    async fn behaves_as_every_store() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteVectors::open(&dir.path().join("v/vectors.db"), 1 << 20)
            .await
            .unwrap();
        crate::suite::run(&store, "sqlite").await;
        let uncached = SqliteVectors::open(&dir.path().join("v/other.db"), 0)
            .await
            .unwrap();
        crate::suite::run(&uncached, "uncached").await;
    }

    #[tokio::test]
    async fn a_write_by_another_process_is_seen_by_the_next_search() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shared.db");
        let (mine, theirs) = (
            SqliteVectors::open(&path, 1 << 20).await.unwrap(),
            SqliteVectors::open(&path, 1 << 20).await.unwrap(),
        );
        let item = |id: &str, vector: Vec<f32>| ChunkItem {
            id: id.into(),
            text: id.into(),
            vector,
            metadata: Map::new(),
        };
        mine.insert("k", vec![item("a", vec![1.0, 0.0])])
            .await
            .unwrap();
        let first = mine.search(&["k".into()], &[0.0, 1.0], 1).await.unwrap();
        assert_eq!(first[0].id, "a");
        theirs
            .insert("k", vec![item("b", vec![0.0, 1.0])])
            .await
            .unwrap();
        let second = mine.search(&["k".into()], &[0.0, 1.0], 1).await.unwrap();
        assert_eq!(second[0].id, "b", "the cached copy is stale and read again");
        theirs.reset().await.unwrap();
        assert!(
            mine.search(&["k".into()], &[0.0, 1.0], 1)
                .await
                .unwrap()
                .is_empty()
        );
    }

    #[tokio::test]
    async fn upgrades_a_file_without_the_text_index() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let db = Database::connect(url).await.unwrap();
        db.execute_unprepared(
            "CREATE TABLE chunk (id TEXT PRIMARY KEY, collection TEXT NOT NULL, \
             text TEXT NOT NULL, metadata TEXT NOT NULL, vector BLOB NOT NULL)",
        )
        .await
        .unwrap();
        let sql = "INSERT INTO chunk VALUES ('c1', 'k', 'kept words', '{\"file_id\":\"f\"}', ?)";
        db.execute_raw(statement(sql, vec![encode(&[1.0, 0.0]).into()]))
            .await
            .unwrap();
        db.close().await.unwrap();
        let store = SqliteVectors::open(&path, 1 << 20).await.unwrap();
        let hits = store
            .keyword_search(&["k".into()], "kept", &[1.0, 0.0], 3)
            .await
            .unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].metadata["file_id"], "f");
        let again = SqliteVectors::open(&path, 1 << 20).await.unwrap();
        assert_eq!(
            again
                .search(&["k".into()], &[1.0, 0.0], 3)
                .await
                .unwrap()
                .len(),
            1
        );
    }
}
