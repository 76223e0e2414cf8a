//! Opening the connection pool: SQLite in WAL mode with a busy timeout, or PostgreSQL with
//! the configured pool limits.

use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};
use std::path::PathBuf;
use std::time::Duration;

/// Which database engine a URL selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file (the embedded default).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// How to reach the database and size its pool.
#[derive(Clone, Debug, PartialEq)]
pub struct DatabaseSettings {
    /// `sqlite:///relative/path.db`, `sqlite:////absolute/path.db`, or `postgres://...`
    /// (also `postgresql://`).
    pub url: String,
    /// Connections kept open (`DATABASE_POOL_SIZE`).
    pub pool_size: u32,
    /// Extra connections allowed under load (`DATABASE_POOL_MAX_OVERFLOW`).
    pub max_overflow: u32,
    /// How long a request waits for a free connection (`DATABASE_POOL_TIMEOUT`).
    pub pool_timeout: Duration,
    /// Connections older than this are replaced (`DATABASE_POOL_RECYCLE`); `None` keeps them.
    pub pool_recycle: Option<Duration>,
    /// How long SQLite waits on a locked database before failing.
    pub sqlite_busy_timeout: Duration,
    /// Bytes of the SQLite file read through memory mapping (`DATABASE_SQLITE_MMAP_SIZE`,
    /// 256 MiB; 0 turns it off). Shared by all connections through the OS page cache; it
    /// keeps chat lists flat as the database grows.
    pub sqlite_mmap_size: u64,
    /// How long a user's session data may be served from memory (`SESSION_CACHE_TTL_MS`,
    /// 1 s). Changes made through this process apply at once; changes made by other
    /// instances after at most this long. Zero turns the cache off.
    pub session_cache_ttl: Duration,
}

impl DatabaseSettings {
    /// Settings for `url` with Hearth's default pool limits.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            pool_size: 10,
            max_overflow: 0,
            pool_timeout: Duration::from_secs(30),
            pool_recycle: Some(Duration::from_secs(3600)),
            sqlite_busy_timeout: Duration::from_secs(5),
            sqlite_mmap_size: 256 * 1024 * 1024,
            session_cache_ttl: Duration::from_secs(1),
        }
    }

    /// The engine the URL selects, or `None` for an unsupported scheme.
    pub fn backend(&self) -> Option<Backend> {
        if self.url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if self.url.starts_with("postgres://") || self.url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }

    /// The file an `sqlite:` URL names. Follows SQLAlchemy's reading, which Open WebUI's
    /// `DATABASE_URL` uses: `sqlite:///data/webui.db` is relative, `sqlite:////srv/webui.db`
    /// absolute. `sqlite://data/webui.db` and `sqlite:data/webui.db` are read as paths too.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        let rest = self.url.strip_prefix("sqlite:")?;
        let rest = rest.split('?').next().unwrap_or_default();
        let path = rest
            .strip_prefix("///")
            .or_else(|| rest.strip_prefix("//"))
            .unwrap_or(rest);
        (!path.is_empty()).then(|| PathBuf::from(path))
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sqlalchemy_style_sqlite_urls() {
        let path = |url: &str| DatabaseSettings::new(url).sqlite_path();
        assert_eq!(
            path("sqlite:///data/webui.db"),
            Some(PathBuf::from("data/webui.db"))
        );
        assert_eq!(
            path("sqlite:////srv/webui.db"),
            Some(PathBuf::from("/srv/webui.db"))
        );
        assert_eq!(path("sqlite://x.db?mode=rwc"), Some(PathBuf::from("x.db")));
        assert_eq!(path("sqlite:"), None);
        assert_eq!(DatabaseSettings::new("mysql://x").backend(), None);
        assert_eq!(
            DatabaseSettings::new("postgresql://h/db").backend(),
            Some(Backend::Postgres)
        );
    }
}
