//! [`SqliteVectors`]: the `chunk` table of a separate SQLite file.

use crate::score::{cosine, top_k};
use async_trait::async_trait;
use hearth_domain::ports::{ChunkHit, ChunkItem, VectorError, VectorStore};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement, Value};
use serde_json::Map;
use std::path::Path;

/// Chunks in an SQLite file.
#[derive(Clone, Debug)]
pub struct SqliteVectors {
    db: DatabaseConnection,
}

fn err(e: impl std::fmt::Display) -> VectorError {
    VectorError(e.to_string())
}

const SCHEMA: [&str; 3] = [
    "CREATE TABLE IF NOT EXISTS chunk (id TEXT PRIMARY KEY, collection TEXT NOT NULL, \
     text TEXT NOT NULL, metadata TEXT NOT NULL, vector BLOB NOT NULL)",
    "CREATE INDEX IF NOT EXISTS ix_chunk_collection ON chunk (collection)",
    "PRAGMA journal_mode = WAL",
];

fn encode(vector: &[f32]) -> Vec<u8> {
    vector.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn decode(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

impl SqliteVectors {
    /// Opens (creating) the store file `path`.
    pub async fn open(path: &Path) -> Result<Self, VectorError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(err)?;
        }
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let db = Database::connect(url).await.map_err(err)?;
        for sql in SCHEMA {
            db.execute_unprepared(sql).await.map_err(err)?;
        }
        Ok(Self { db })
    }

    fn statement(sql: &str, values: Vec<Value>) -> Statement {
        Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)
    }
}

#[async_trait]
impl VectorStore for SqliteVectors {
    async fn insert(&self, collection: &str, items: Vec<ChunkItem>) -> Result<(), VectorError> {
        for item in items {
            let metadata = serde_json::Value::Object(item.metadata).to_string();
            let values = vec![
                item.id.into(),
                collection.into(),
                item.text.into(),
                metadata.into(),
                encode(&item.vector).into(),
            ];
            let sql = "INSERT OR REPLACE INTO chunk (id, collection, text, metadata, vector) \
                       VALUES (?, ?, ?, ?, ?)";
            self.db
                .execute_raw(Self::statement(sql, values))
                .await
                .map_err(err)?;
        }
        Ok(())
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
        let marks = vec!["?"; collections.len()].join(", ");
        let sql = format!(
            "SELECT id, collection, text, metadata, vector FROM chunk WHERE collection IN ({marks})"
        );
        let values = collections
            .iter()
            .map(|c| Value::from(c.as_str()))
            .collect();
        let rows = self
            .db
            .query_all_raw(Self::statement(&sql, values))
            .await
            .map_err(err)?;
        let mut hits = Vec::with_capacity(rows.len());
        for row in rows {
            let stored: Vec<u8> = row.try_get("", "vector").map_err(err)?;
            let metadata: String = row.try_get("", "metadata").map_err(err)?;
            hits.push(ChunkHit {
                id: row.try_get("", "id").map_err(err)?,
                collection: row.try_get("", "collection").map_err(err)?,
                text: row.try_get("", "text").map_err(err)?,
                metadata: serde_json::from_str::<Map<_, _>>(&metadata).unwrap_or_default(),
                score: cosine(vector, &decode(&stored)),
            });
        }
        Ok(top_k(hits, limit))
    }

    async fn has_collection(&self, collection: &str) -> Result<bool, VectorError> {
        let sql = "SELECT 1 AS found FROM chunk WHERE collection = ? LIMIT 1";
        let row = self
            .db
            .query_one_raw(Self::statement(sql, vec![collection.into()]))
            .await
            .map_err(err)?;
        Ok(row.is_some())
    }

    async fn delete_file(&self, collection: &str, file_id: &str) -> Result<(), VectorError> {
        let sql =
            "DELETE FROM chunk WHERE collection = ? AND json_extract(metadata, '$.file_id') = ?";
        self.db
            .execute_raw(Self::statement(
                sql,
                vec![collection.into(), file_id.into()],
            ))
            .await
            .map_err(err)?;
        Ok(())
    }

    async fn delete_collection(&self, collection: &str) -> Result<(), VectorError> {
        let sql = "DELETE FROM chunk WHERE collection = ?";
        self.db
            .execute_raw(Self::statement(sql, vec![collection.into()]))
            .await
            .map_err(err)?;
        Ok(())
    }

    async fn reset(&self) -> Result<(), VectorError> {
        self.db
            .execute_unprepared("DELETE FROM chunk")
            .await
            .map_err(err)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn item(id: &str, vector: Vec<f32>) -> ChunkItem {
        let mut metadata = Map::new();
        metadata.insert("file_id".into(), id.into());
        ChunkItem {
            id: id.into(),
            text: format!("text {id}"),
            vector,
            metadata,
        }
    }

    #[tokio::test]
    async fn stores_searches_and_deletes_by_collection() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteVectors::open(&dir.path().join("v/vectors.db"))
            .await
            .unwrap();
        store
            .insert(
                "a",
                vec![item("x", vec![1.0, 0.0]), item("y", vec![0.7, 0.7])],
            )
            .await
            .unwrap();
        store
            .insert("b", vec![item("z", vec![1.0, 0.1])])
            .await
            .unwrap();
        let hits = store.search(&["a".into()], &[1.0, 0.0], 5).await.unwrap();
        let ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["x", "y"]);
        assert_eq!(hits[0].text, "text x");
        assert_eq!(hits[0].metadata["file_id"], "x");
        let both = store
            .search(&["a".into(), "b".into()], &[1.0, 0.1], 1)
            .await
            .unwrap();
        assert_eq!(both[0].id, "z");
        assert!(store.has_collection("b").await.unwrap());
        store.delete_file("a", "y").await.unwrap();
        let left = store.search(&["a".into()], &[1.0, 0.0], 5).await.unwrap();
        assert_eq!(left.len(), 1);
        store.delete_collection("b").await.unwrap();
        assert!(!store.has_collection("b").await.unwrap());
        store.reset().await.unwrap();
        assert!(
            store
                .search(&["a".into()], &[1.0, 0.0], 5)
                .await
                .unwrap()
                .is_empty()
        );
    }
}
