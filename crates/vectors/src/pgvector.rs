//! [`PgVectors`] (`VECTOR_DB=pgvector`): Open WebUI's `document_chunk` table on PostgreSQL
//! with the pgvector extension, so a store Open WebUI filled keeps working (and back).
//! Vectors are padded or cut to the column's length, as Open WebUI does; keyword search
//! ranks with PostgreSQL's full-text `ts_rank_cd` over the `simple` configuration.

use crate::pgvector_schema::{IndexMethod, prepare};
use async_trait::async_trait;
use hearth_domain::ports::{ChunkHit, ChunkItem, VectorError, VectorStore};
use hearth_domain::retrieval::ranking::keywords;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, QueryResult,
    Statement, TransactionTrait, Value,
};
use serde_json::Map;

/// Chunks in PostgreSQL with pgvector.
#[derive(Clone, Debug)]
pub struct PgVectors {
    db: DatabaseConnection,
    length: usize,
}

/// How to reach and lay out the store.
#[derive(Clone, Debug)]
pub struct PgVectorOptions {
    /// `postgres://…` of a database where the `vector` extension can be created.
    pub url: String,
    /// Length of the vector column (`PGVECTOR_INITIALIZE_MAX_VECTOR_LENGTH`, default 1536).
    pub length: usize,
    /// Index of the vectors (`PGVECTOR_INDEX_METHOD`).
    pub index: IndexMethod,
    /// Connections in the store's pool.
    pub pool_size: u32,
}

pub(crate) fn err(e: impl std::fmt::Display) -> VectorError {
    VectorError(e.to_string())
}

fn statement(sql: &str, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
}

fn names(collections: &[String]) -> Value {
    Value::from(collections.to_vec())
}

fn hit(row: &QueryResult) -> Result<ChunkHit, VectorError> {
    let metadata: Option<serde_json::Value> = row.try_get("", "vmetadata").map_err(err)?;
    let score: f64 = row.try_get("", "score").map_err(err)?;
    Ok(ChunkHit {
        id: row.try_get("", "id").map_err(err)?,
        collection: row.try_get("", "collection_name").map_err(err)?,
        text: row
            .try_get::<Option<String>>("", "text")
            .map_err(err)?
            .unwrap_or_default(),
        metadata: match metadata {
            Some(serde_json::Value::Object(map)) => map,
            _ => Map::new(),
        },
        score: score as f32,
    })
}

impl PgVectors {
    /// Connects, creating the extension, the table and its indexes when missing.
    pub async fn open(options: &PgVectorOptions) -> Result<Self, VectorError> {
        let mut connect = ConnectOptions::new(options.url.clone());
        connect
            .max_connections(options.pool_size.max(1))
            .sqlx_logging(false);
        let db = Database::connect(connect).await.map_err(err)?;
        prepare(&db, options.length, options.index).await?;
        Ok(Self {
            db,
            length: options.length,
        })
    }

    /// The pgvector literal of `vector`, padded with zeros or cut to the column's length.
    fn literal(&self, vector: &[f32]) -> String {
        let mut text = String::with_capacity(self.length * 8);
        text.push('[');
        for i in 0..self.length {
            if i > 0 {
                text.push(',');
            }
            let x = vector.get(i).copied().unwrap_or(0.0);
            text.push_str(&if x.is_finite() { x } else { 0.0 }.to_string());
        }
        text.push(']');
        text
    }

    async fn execute(&self, sql: &str, values: Vec<Value>) -> Result<(), VectorError> {
        self.db
            .execute_raw(statement(sql, values))
            .await
            .map_err(err)?;
        Ok(())
    }
}

const COLUMNS: &str = "id, collection_name, text, vmetadata";

#[async_trait]
impl VectorStore for PgVectors {
    async fn insert(&self, collection: &str, items: Vec<ChunkItem>) -> Result<(), VectorError> {
        let txn = self.db.begin().await.map_err(err)?;
        for item in items {
            let sql = "INSERT INTO document_chunk (id, vector, collection_name, text, vmetadata) \
                       VALUES ($1, CAST($2 AS vector), $3, $4, $5) ON CONFLICT (id) DO UPDATE SET \
                       vector = EXCLUDED.vector, collection_name = EXCLUDED.collection_name, \
                       text = EXCLUDED.text, vmetadata = EXCLUDED.vmetadata";
            let values = vec![
                item.id.into(),
                self.literal(&item.vector).into(),
                collection.into(),
                item.text.replace('\0', "").into(),
                serde_json::Value::Object(item.metadata).into(),
            ];
            txn.execute_raw(statement(sql, values)).await.map_err(err)?;
        }
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
        let txn = self.db.begin().await.map_err(err)?;
        // An approximate index filtered by collection would otherwise find too few rows.
        for sql in [
            "SET LOCAL hnsw.iterative_scan = relaxed_order",
            "SET LOCAL ivfflat.iterative_scan = relaxed_order",
        ] {
            txn.execute_unprepared(sql).await.map_err(err)?;
        }
        let sql = format!(
            "SELECT {COLUMNS}, 1 - (vector <=> CAST($1 AS vector)) AS score FROM document_chunk \
             WHERE collection_name = ANY($2) ORDER BY vector <=> CAST($1 AS vector) LIMIT $3"
        );
        let values = vec![
            self.literal(vector).into(),
            names(collections),
            i64::try_from(limit).unwrap_or(i64::MAX).into(),
        ];
        let rows = txn
            .query_all_raw(statement(&sql, values))
            .await
            .map_err(err)?;
        txn.commit().await.map_err(err)?;
        rows.iter().map(hit).collect()
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
        let sql = format!(
            "SELECT {COLUMNS}, 1 - (vector <=> CAST($1 AS vector)) AS score FROM document_chunk, \
             to_tsquery('simple', $2) AS query \
             WHERE collection_name = ANY($3) \
             AND to_tsvector('simple', coalesce(text, '')) @@ query \
             ORDER BY ts_rank_cd(to_tsvector('simple', coalesce(text, '')), query, 1) DESC, id \
             LIMIT $4"
        );
        let values = vec![
            self.literal(vector).into(),
            words.join(" | ").into(),
            names(collections),
            i64::try_from(limit).unwrap_or(i64::MAX).into(),
        ];
        let rows = self
            .db
            .query_all_raw(statement(&sql, values))
            .await
            .map_err(err)?;
        rows.iter().map(hit).collect()
    }

    async fn has_collection(&self, collection: &str) -> Result<bool, VectorError> {
        let sql = "SELECT 1 AS found FROM document_chunk WHERE collection_name = $1 LIMIT 1";
        let row = self
            .db
            .query_one_raw(statement(sql, vec![collection.into()]))
            .await
            .map_err(err)?;
        Ok(row.is_some())
    }

    async fn delete_file(&self, collection: &str, file_id: &str) -> Result<(), VectorError> {
        let sql = "DELETE FROM document_chunk WHERE collection_name = $1 \
                   AND vmetadata->>'file_id' = $2";
        self.execute(sql, vec![collection.into(), file_id.into()])
            .await
    }

    async fn delete_collection(&self, collection: &str) -> Result<(), VectorError> {
        let sql = "DELETE FROM document_chunk WHERE collection_name = $1";
        self.execute(sql, vec![collection.into()]).await
    }

    async fn reset(&self) -> Result<(), VectorError> {
        self.execute("DELETE FROM document_chunk", Vec::new()).await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    /// A fresh database on the PostgreSQL with pgvector that `HEARTH_TEST_PGVECTOR_URL` names
    /// (`scripts/pgvector-server start`; the test command starts one), so nothing else on
    /// that server is touched.
    async fn scratch() -> String {
        let server = std::env::var("HEARTH_TEST_PGVECTOR_URL").unwrap_or_else(|_| {
            panic!("HEARTH_TEST_PGVECTOR_URL must name a PostgreSQL with pgvector (scripts/pgvector-server start)")
        });
        let name = format!("hearth_vectors_suite_{}", uuid_suffix());
        let db = Database::connect(server.as_str()).await.unwrap();
        db.execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        db.close().await.unwrap();
        let base = server
            .rsplit_once('/')
            .map_or(server.as_str(), |(base, _)| base);
        format!("{base}/{name}")
    }

    fn uuid_suffix() -> String {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        format!("{}_{nanos}", std::process::id())
    }

    async fn fresh(url: &str, length: usize) -> PgVectors {
        PgVectors::open(&PgVectorOptions {
            url: url.to_owned(),
            length,
            index: IndexMethod::Hnsw,
            pool_size: 2,
        })
        .await
        .unwrap()
    }

    #[tokio::test]
    async fn behaves_as_every_store_and_keeps_its_length() {
        let url = scratch().await;
        let store = fresh(&url, 8).await;
        crate::suite::run(&store, "pgvector").await;
        let other = PgVectors::open(&PgVectorOptions {
            url: url.clone(),
            length: 16,
            index: IndexMethod::Ivfflat,
            pool_size: 1,
        })
        .await;
        let refused = other.err().unwrap().to_string();
        assert!(refused.contains("8 dimensions"), "{refused}");
    }
}
