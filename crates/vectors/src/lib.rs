//! Vector stores for retrieval. [`SqliteVectors`] (`VECTOR_DB=sqlite`, the embedded default)
//! keeps chunks in their own SQLite file (`DATA_DIR/vector_db/hearth-vectors.db`), vectors as
//! little-endian `f32` blobs, and ranks a search by cosine similarity computed here over the
//! searched collections only; FTS5 ranks keyword searches by BM25. [`PgVectors`]
//! (`VECTOR_DB=pgvector`) keeps them in Open WebUI's `document_chunk` table on PostgreSQL
//! with pgvector, for instances that share one store.

mod pgvector;
mod pgvector_schema;
mod sqlite;
mod sqlite_cache;
mod sqlite_schema;

pub use pgvector::{PgVectorOptions, PgVectors};
pub use pgvector_schema::IndexMethod;
pub use sqlite::SqliteVectors;

#[cfg(any(test, feature = "suite"))]
pub mod suite;
