//! Vector stores for retrieval. [`SqliteVectors`] (`VECTOR_DB=sqlite`, the embedded default)
//! keeps chunks in their own SQLite file (`DATA_DIR/vector_db/hearth-vectors.db`), vectors as
//! little-endian `f32` blobs, and ranks a search by cosine similarity computed here over the
//! searched collections only.

mod score;
mod sqlite;

pub use score::{cosine, top_k};
pub use sqlite::SqliteVectors;
