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
mod chat_lists;
mod chat_rows;
mod chat_search;
mod chat_store;
mod chat_tags;
mod chats;
mod config;
mod connect;
mod convert;
mod credentials;
pub mod entity;
mod errors;
mod files;
mod folders;
mod grants;
mod knowledge;
mod knowledge_dirs;
mod models;
mod oauth;
pub mod scratch;
mod session_cache;
mod shares;
mod users;

pub use connect::{Backend, ConnectError, DatabaseSettings};
pub use sea_orm::DatabaseConnection;

use hearth_migrations::{Migrator, MigratorTrait};
use sea_orm::DbErr;

/// A migration failed; the message names the migration and the database error.
#[derive(Debug, thiserror::Error)]
#[error("database migration failed: {0}")]
pub struct MigrationError(#[source] pub DbErr);

/// The SQL implementation of every storage port, over one connection pool.
#[derive(Clone, Debug)]
pub struct SqlStore {
    db: DatabaseConnection,
    backend: Backend,
    sessions: std::sync::Arc<session_cache::SessionCache>,
}

impl SqlStore {
    /// Opens the pool described by `settings` (creating the SQLite file and its folder).
    pub async fn connect(settings: &DatabaseSettings) -> Result<Self, ConnectError> {
        let (db, backend) = connect::open(settings).await?;
        let sessions =
            std::sync::Arc::new(session_cache::SessionCache::new(settings.session_cache_ttl));
        Ok(Self {
            db,
            backend,
            sessions,
        })
    }

    /// Applies every pending migration.
    pub async fn migrate(&self) -> Result<(), MigrationError> {
        Migrator::up(&self.db, None).await.map_err(MigrationError)
    }

    /// The underlying sea-orm connection, for callers that need raw access.
    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Which engine this store talks to.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes the pool.
    pub async fn close(self) -> Result<(), DbErr> {
        self.db.close().await
    }
}
