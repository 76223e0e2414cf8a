//! The vector store: an SQLite file in DATA_DIR (one instance), or Open WebUI's pgvector
//! table on PostgreSQL (several instances sharing one store), with Open WebUI's variables.

use crate::parse;
use clap::Args;

/// Which vector store, and how to reach pgvector.
#[derive(Clone, Debug, PartialEq, Args)]
pub struct VectorDbSettings {
    /// `sqlite` (DATA_DIR/vector_db/hearth-vectors.db) or `pgvector`.
    #[arg(id = "VECTOR_DB", long = "vector-db", env = "VECTOR_DB", value_name = "VECTOR_DB", default_value = "sqlite", value_parser = parse::vector_db)]
    pub vector_db: String,
    /// PostgreSQL with the pgvector extension (default: DATABASE_URL when it is PostgreSQL).
    #[arg(
        id = "PGVECTOR_DB_URL",
        long = "pgvector-db-url",
        env = "PGVECTOR_DB_URL",
        value_name = "PGVECTOR_DB_URL",
        hide_env_values = true
    )]
    pub pgvector_db_url: Option<String>,
    /// Length of pgvector's vector column; shorter embeddings are padded with zeros, longer
    /// ones cut. Fixed once the table exists.
    #[arg(
        id = "PGVECTOR_INITIALIZE_MAX_VECTOR_LENGTH",
        long = "pgvector-initialize-max-vector-length",
        env = "PGVECTOR_INITIALIZE_MAX_VECTOR_LENGTH",
        value_name = "PGVECTOR_INITIALIZE_MAX_VECTOR_LENGTH",
        default_value_t = 1536,
        value_parser = clap::value_parser!(u32).range(1..=16000)
    )]
    pub pgvector_length: u32,
    /// pgvector's index: `ivfflat` (created at start once 5,000 chunks exist) or `hnsw`.
    #[arg(
        id = "PGVECTOR_INDEX_METHOD",
        long = "pgvector-index-method",
        env = "PGVECTOR_INDEX_METHOD",
        value_name = "PGVECTOR_INDEX_METHOD",
        default_value = "",
        value_parser = parse::pgvector_index
    )]
    pub pgvector_index_method: String,
    /// MiB of searched collections' vectors the SQLite store keeps in memory (0: none; each
    /// search then reads the collection's rows).
    #[arg(
        id = "SQLITE_VECTOR_CACHE_MB",
        long = "sqlite-vector-cache-mb",
        env = "SQLITE_VECTOR_CACHE_MB",
        value_name = "SQLITE_VECTOR_CACHE_MB",
        default_value_t = 256
    )]
    pub sqlite_cache_mb: u32,
    /// Connections to the pgvector database.
    #[arg(
        id = "PGVECTOR_POOL_SIZE",
        long = "pgvector-pool-size",
        env = "PGVECTOR_POOL_SIZE",
        value_name = "PGVECTOR_POOL_SIZE",
        default_value_t = 5,
        value_parser = clap::value_parser!(u32).range(1..=1000)
    )]
    pub pgvector_pool_size: u32,
}

impl VectorDbSettings {
    /// The pgvector database: `PGVECTOR_DB_URL`, else the main database when it is
    /// PostgreSQL (`database_url`).
    pub fn pgvector_url(&self, database_url: &str) -> Option<String> {
        crate::non_empty(&self.pgvector_db_url)
            .map(str::to_owned)
            .or_else(|| {
                database_url
                    .starts_with("postgres")
                    .then(|| database_url.to_owned())
            })
    }
}
