//! Opening the connection pool: SQLite in WAL mode with a busy timeout, or PostgreSQL with
//! the configured pool limits.

use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};
use std::path::PathBuf;
use std::time::Duration;

pub use hearth_settings::{Backend, DatabaseSettings};

/// Why the pool could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The URL's scheme is neither `sqlite:` nor `postgres(ql)://`.
    #[error("DATABASE_URL must start with sqlite:, postgres:// or postgresql://")]
    UnsupportedUrl,
    /// The SQLite file's folder could not be created.
    #[error("cannot create the database folder {path}: {source}")]
    Folder {
        /// The folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The database refused or could not be reached.
    #[error("cannot open the database: {0}")]
    Open(#[from] DbErr),
}

pub(crate) async fn open(
    settings: &DatabaseSettings,
) -> Result<(DatabaseConnection, Backend), ConnectError> {
    let backend = settings.backend().ok_or(ConnectError::UnsupportedUrl)?;
    let max = settings
        .pool_size
        .saturating_add(settings.max_overflow)
        .max(1);
    let mut options = ConnectOptions::new(settings.url.clone());
    options
        .max_connections(max)
        .min_connections(1)
        .acquire_timeout(settings.pool_timeout)
        .max_lifetime(settings.pool_recycle)
        .sqlx_logging(false);
    if backend == Backend::Sqlite {
        let path = settings.sqlite_path().ok_or(ConnectError::UnsupportedUrl)?;
        create_parent(&path)?;
        let busy = settings.sqlite_busy_timeout;
        let mmap = settings.sqlite_mmap_size;
        options.map_sqlx_sqlite_opts(move |_| sqlite_options(&path, busy, mmap));
    }
    Ok((Database::connect(options).await?, backend))
}

fn sqlite_options(
    path: &std::path::Path,
    busy_timeout: Duration,
    mmap_size: u64,
) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(busy_timeout)
        .foreign_keys(true)
        .pragma("mmap_size", mmap_size.to_string())
}

fn create_parent(path: &std::path::Path) -> Result<(), ConnectError> {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => {
            std::fs::create_dir_all(parent).map_err(|source| ConnectError::Folder {
                path: parent.to_path_buf(),
                source,
            })
        }
        _ => Ok(()),
    }
}
