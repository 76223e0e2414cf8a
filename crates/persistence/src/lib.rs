//! Hearth's storage: sea-orm entities for Open WebUI 0.12.4's tables and repositories that
//! implement the `hearth-domain` ports, on SQLite (embedded default) or PostgreSQL.
//!
//! ```no_run
//! use hearth_persistence::{DatabaseSettings, SqlStore};
//! use hearth_domain::ports::UserStore;
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let settings = DatabaseSettings::new("sqlite:///./data/webui.db");
//! let store = SqlStore::connect(&settings).await?;
//! store.migrate().await?;
//! println!("{} users", store.count().await?);
//! # Ok(()) }
//! ```

mod api_keys;
mod backup;
mod chat_lists;
mod chat_rows;
mod chat_search;
mod chat_store;
mod chat_tags;
mod chats;
mod config;
mod connect;
mod convert;
pub mod copy;
mod credentials;
pub mod entity;
mod errors;
mod files;
mod folders;
mod gate;
mod grants;
mod knowledge;
mod knowledge_dirs;
pub mod lineage;
mod lineage_revisions;
mod models;
mod oauth;
pub mod scratch;
mod session_cache;
mod shares;
mod upkeep;
mod users;

pub use backup::BackupError;
pub use connect::{Backend, ConnectError, DatabaseSettings};
pub use sea_orm::DatabaseConnection;

use hearth_migrations::{Migrator, MigratorTrait};
use sea_orm::DbErr;

/// Why the schema was not brought up to date (nothing was changed).
#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    /// Another Open WebUI release wrote the database.
    #[error(transparent)]
    Lineage(#[from] lineage::LineageError),
    /// A migration failed; the message names the migration and the database error.
    #[error("database migration failed (the schema is left as it was): {0}")]
    Failed(#[from] DbErr),
}

/// Key of the PostgreSQL advisory lock that lets one instance at a time migrate.
const MIGRATION_LOCK: i64 = 0x4865_6172_7468; // "Hearth"

/// The SQL implementation of every storage port, over one connection pool.
#[derive(Clone, Debug)]
pub struct SqlStore {
    db: gate::GatedConnection,
    backend: Backend,
    sessions: std::sync::Arc<session_cache::SessionCache>,
}

impl SqlStore {
    /// Opens the pool described by `settings` (creating the SQLite file and its folder).
    pub async fn connect(settings: &DatabaseSettings) -> Result<Self, ConnectError> {
        let (db, backend) = connect::open(settings).await?;
        let probe_url = (backend == Backend::Postgres).then(|| settings.url.clone());
        let db = gate::GatedConnection::new(db, probe_url);
        let sessions =
            std::sync::Arc::new(session_cache::SessionCache::new(settings.session_cache_ttl));
        Ok(Self {
            db,
            backend,
            sessions,
        })
    }

    /// Applies every pending migration, all in one transaction: a failure leaves the schema
    /// as it was. On PostgreSQL an advisory lock makes instances that start together migrate
    /// one after the other (the later ones find nothing to do). A database that another
    /// Open WebUI release wrote is refused first (SQLite files already when they open).
    pub async fn migrate(&self) -> Result<(), MigrationError> {
        use sea_orm::ConnectionTrait;
        if self.backend == Backend::Postgres {
            // SQLite files are checked read-only when the pool opens (`connect`).
            lineage::check(self.db.inner(), self.backend).await?;
        }
        let txn = crate::convert::write_transaction(&self.db).await?;
        if self.backend == Backend::Postgres {
            txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
                .await?;
        }
        Migrator::up(&txn, None).await?;
        txn.commit().await?;
        Ok(())
    }

    /// The underlying sea-orm connection, for callers that need raw access.
    pub fn connection(&self) -> &DatabaseConnection {
        self.db.inner()
    }

    /// Which engine this store talks to.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes the pool.
    pub async fn close(self) -> Result<(), DbErr> {
        self.db.inner().clone().close().await
    }

    /// Ends a clean stop: on SQLite, moves every write out of the write-ahead log into the
    /// database file and empties the log (so `webui.db` alone is the whole database), then
    /// closes the pool (the last connection to close removes `-wal` and `-shm`).
    pub async fn shut_down(&self) -> Result<(), DbErr> {
        if self.backend == Backend::Sqlite {
            use sea_orm::ConnectionTrait;
            self.db
                .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
                .await?;
        }
        self.db.inner().close_by_ref().await
    }
}
