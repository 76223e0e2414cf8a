//! Open WebUI's pgvector layout: the `vector` extension, `document_chunk (id, vector,
//! collection_name, text, vmetadata)` and its indexes. An existing table whose vector length
//! differs from the configured one is refused, as Open WebUI refuses it.

use crate::pgvector::err;
use hearth_domain::ports::VectorError;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, TransactionTrait};

/// The approximate index of the vectors (`PGVECTOR_INDEX_METHOD`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum IndexMethod {
    /// IVFFlat with 100 lists, created at start once the table holds 5,000 rows (Open WebUI's
    /// default).
    #[default]
    Ivfflat,
    /// HNSW (m 16, ef_construction 64), created at once.
    Hnsw,
}

impl std::str::FromStr for IndexMethod {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "" | "ivfflat" => Ok(Self::Ivfflat),
            "hnsw" => Ok(Self::Hnsw),
            other => Err(format!(
                "PGVECTOR_INDEX_METHOD must be ivfflat or hnsw, not {other:?}"
            )),
        }
    }
}

async fn run(db: &DatabaseConnection, sql: &str) -> Result<(), VectorError> {
    db.execute_unprepared(sql).await.map_err(err)?;
    Ok(())
}

/// The length of the existing table's vector column, if the table exists.
async fn existing_length(db: &DatabaseConnection) -> Result<Option<usize>, VectorError> {
    let sql = "SELECT format_type(a.atttypid, a.atttypmod) AS kind FROM pg_attribute a \
               JOIN pg_class c ON c.oid = a.attrelid \
               WHERE c.relname = 'document_chunk' AND a.attname = 'vector' \
               AND pg_table_is_visible(c.oid)";
    let Some(row) = db
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .map_err(err)?
    else {
        return Ok(None);
    };
    let kind: String = row.try_get("", "kind").map_err(err)?;
    Ok(kind
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .trim_end_matches(')')
        .parse()
        .ok())
}

async fn rows_at_least(db: &DatabaseConnection, n: u32) -> Result<bool, VectorError> {
    let sql = format!("SELECT count(*) AS n FROM (SELECT 1 FROM document_chunk LIMIT {n}) AS s");
    let row = db
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .map_err(err)?;
    let count: i64 = match row {
        Some(row) => row.try_get("", "n").map_err(err)?,
        None => 0,
    };
    Ok(count >= i64::from(n))
}

/// Builds the vector index with room to work (`maintenance_work_mem`, this transaction only);
/// a failure leaves searches exact, slower, and is logged rather than stopping the server.
async fn create_vector_index(db: &DatabaseConnection, using: &str) {
    let built = async {
        let txn = db.begin().await.map_err(err)?;
        txn.execute_unprepared("SET LOCAL maintenance_work_mem = '512MB'")
            .await
            .map_err(err)?;
        txn.execute_unprepared(&format!(
            "CREATE INDEX IF NOT EXISTS idx_document_chunk_vector ON document_chunk USING {using}"
        ))
        .await
        .map_err(err)?;
        txn.commit().await.map_err(err)
    };
    if let Err(e) = built.await {
        tracing::warn!(error = %e, "the pgvector index could not be built; searching without it");
    }
}

/// Creates what is missing; refuses a table of another vector length.
pub(crate) async fn prepare(
    db: &DatabaseConnection,
    length: usize,
    index: IndexMethod,
) -> Result<(), VectorError> {
    run(db, "CREATE EXTENSION IF NOT EXISTS vector").await?;
    match existing_length(db).await? {
        Some(found) if found != length => {
            return Err(err(format!(
                "document_chunk holds vectors of {found} dimensions, not \
                 PGVECTOR_INITIALIZE_MAX_VECTOR_LENGTH={length}; the length cannot change \
                 after the store is created"
            )));
        }
        Some(_) => {}
        None => {
            run(
                db,
                &format!(
                    "CREATE TABLE IF NOT EXISTS document_chunk (id TEXT PRIMARY KEY, \
                     vector vector({length}), collection_name TEXT NOT NULL, text TEXT, \
                     vmetadata JSONB)"
                ),
            )
            .await?;
        }
    }
    run(
        db,
        "CREATE INDEX IF NOT EXISTS idx_document_chunk_collection_name \
         ON document_chunk (collection_name)",
    )
    .await?;
    run(
        db,
        "CREATE INDEX IF NOT EXISTS idx_document_chunk_text_search ON document_chunk \
         USING GIN (to_tsvector('simple', coalesce(text, '')))",
    )
    .await?;
    let vector_index = match index {
        IndexMethod::Hnsw => {
            Some("hnsw (vector vector_cosine_ops) WITH (m = 16, ef_construction = 64)")
        }
        IndexMethod::Ivfflat if rows_at_least(db, 5000).await? => {
            Some("ivfflat (vector vector_cosine_ops) WITH (lists = 100)")
        }
        IndexMethod::Ivfflat => None,
    };
    if let Some(using) = vector_index {
        create_vector_index(db, using).await;
    }
    Ok(())
}
