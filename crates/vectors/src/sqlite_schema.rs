//! The vector file's schema (`PRAGMA user_version` 1): `chunk` with an integer key the FTS5
//! index `chunk_fts` refers to, kept current by triggers. A file of version 0 (no integer
//! key, no text index) is upgraded in place. `collection_version` counts the writes to each
//! collection.

use crate::sqlite::err;
use hearth_domain::ports::VectorError;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, TransactionTrait};

const VERSION: i64 = 1;

const TABLES: [&str; 6] = [
    "CREATE TABLE IF NOT EXISTS chunk (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, \
     collection TEXT NOT NULL, vector BLOB NOT NULL, text TEXT NOT NULL, metadata TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS ix_chunk_collection ON chunk (collection)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS chunk_fts USING fts5(text, content='chunk', \
     content_rowid='seq')",
    "CREATE TRIGGER IF NOT EXISTS chunk_fts_insert AFTER INSERT ON chunk BEGIN \
     INSERT INTO chunk_fts (rowid, text) VALUES (new.seq, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS chunk_fts_delete AFTER DELETE ON chunk BEGIN \
     INSERT INTO chunk_fts (chunk_fts, rowid, text) VALUES ('delete', old.seq, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS chunk_fts_update AFTER UPDATE ON chunk BEGIN \
     INSERT INTO chunk_fts (chunk_fts, rowid, text) VALUES ('delete', old.seq, old.text); \
     INSERT INTO chunk_fts (rowid, text) VALUES (new.seq, new.text); END",
];

/// Each collection's version, bumped by every write to it (what in-memory copies of its
/// vectors are checked against).
const VERSIONS: &str = "CREATE TABLE IF NOT EXISTS collection_version \
     (collection TEXT PRIMARY KEY, version INTEGER NOT NULL)";

async fn version(db: &DatabaseConnection) -> Result<i64, VectorError> {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA user_version",
        ))
        .await
        .map_err(err)?
        .ok_or_else(|| err("no user_version"))?;
    row.try_get_by_index::<i64>(0).map_err(err)
}

async fn has_table(db: &DatabaseConnection, name: &str) -> Result<bool, VectorError> {
    let sql = format!("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{name}'");
    Ok(db
        .query_one_raw(Statement::from_string(DbBackend::Sqlite, sql))
        .await
        .map_err(err)?
        .is_some())
}

/// Creates the schema, or upgrades an older file to it.
pub(crate) async fn prepare(db: &DatabaseConnection) -> Result<(), VectorError> {
    db.execute_unprepared("PRAGMA journal_mode = WAL")
        .await
        .map_err(err)?;
    db.execute_unprepared(VERSIONS).await.map_err(err)?;
    if version(db).await? >= VERSION {
        return Ok(());
    }
    let older = has_table(db, "chunk").await?;
    let txn = db.begin().await.map_err(err)?;
    if older {
        txn.execute_unprepared("ALTER TABLE chunk RENAME TO chunk_v0")
            .await
            .map_err(err)?;
        txn.execute_unprepared("DROP INDEX IF EXISTS ix_chunk_collection")
            .await
            .map_err(err)?;
    }
    for sql in TABLES {
        txn.execute_unprepared(sql).await.map_err(err)?;
    }
    if older {
        txn.execute_unprepared(
            "INSERT INTO chunk (id, collection, vector, text, metadata) \
             SELECT id, collection, vector, text, metadata FROM chunk_v0",
        )
        .await
        .map_err(err)?;
        txn.execute_unprepared("DROP TABLE chunk_v0")
            .await
            .map_err(err)?;
    }
    txn.execute_unprepared(&format!("PRAGMA user_version = {VERSION}"))
        .await
        .map_err(err)?;
    txn.commit().await.map_err(err)
}
