//! The database: where it is and how its pool is sized.

use crate::parse;
use clap::Args;
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

/// Seconds, or never (`None`); a plain alias so that clap reads it as one value.
pub type Recycle = Option<Duration>;

/// How to reach the database and size its pool.
#[derive(Clone, Debug, PartialEq, Args)]
pub struct DatabaseSettings {
    /// Database URL: sqlite:///relative.db, sqlite:////absolute.db or postgres(ql)://...
    /// (empty: DATA_DIR/webui.db).
    #[arg(
        id = "DATABASE_URL",
        long = "database-url",
        env = "DATABASE_URL",
        value_name = "DATABASE_URL",
        default_value = ""
    )]
    pub url: String,
    /// Key of an encrypted SQLite database (`DATABASE_URL=sqlite+sqlcipher:///file.db`).
    #[arg(
        id = "DATABASE_PASSWORD",
        long = "database-password",
        env = "DATABASE_PASSWORD",
        value_name = "DATABASE_PASSWORD",
        hide_env_values = true
    )]
    pub password: Option<String>,
    /// Connections kept in the database pool.
    #[arg(
        id = "DATABASE_POOL_SIZE",
        long = "database-pool-size",
        env = "DATABASE_POOL_SIZE",
        value_name = "DATABASE_POOL_SIZE",
        default_value_t = 10
    )]
    pub pool_size: u32,
    /// Extra connections allowed under load.
    #[arg(
        id = "DATABASE_POOL_MAX_OVERFLOW",
        long = "database-pool-max-overflow",
        env = "DATABASE_POOL_MAX_OVERFLOW",
        value_name = "DATABASE_POOL_MAX_OVERFLOW",
        default_value_t = 0
    )]
    pub max_overflow: u32,
    /// Seconds a request waits for a free database connection.
    #[arg(id = "DATABASE_POOL_TIMEOUT", long = "database-pool-timeout", env = "DATABASE_POOL_TIMEOUT", value_name = "DATABASE_POOL_TIMEOUT", default_value = "30", value_parser = parse::seconds)]
    pub pool_timeout: Duration,
    /// Seconds after which a pooled connection is replaced (-1: never).
    #[arg(id = "DATABASE_POOL_RECYCLE", long = "database-pool-recycle", env = "DATABASE_POOL_RECYCLE", value_name = "DATABASE_POOL_RECYCLE", default_value = "3600", value_parser = parse::seconds_or_never, allow_negative_numbers = true)]
    pub pool_recycle: Recycle,
    /// How long SQLite waits on a locked database before failing (not a flag: 5 s).
    #[arg(skip = Duration::from_secs(5))]
    pub sqlite_busy_timeout: Duration,
    /// Bytes of an SQLite database read through memory mapping (0: off). Shared by all
    /// connections through the OS page cache; it keeps chat lists flat as the database grows.
    #[arg(id = "DATABASE_SQLITE_MMAP_SIZE", long = "database-sqlite-mmap-size", env = "DATABASE_SQLITE_MMAP_SIZE", value_name = "DATABASE_SQLITE_MMAP_SIZE", default_value_t = 256 * 1024 * 1024)]
    pub sqlite_mmap_size: u64,
    /// Milliseconds a user's session data may be served from memory; other instances'
    /// changes (role, password, deletion) apply after at most this long (0: always read the
    /// database).
    #[arg(id = "SESSION_CACHE_TTL_MS", long = "session-cache-ttl-ms", env = "SESSION_CACHE_TTL_MS", value_name = "SESSION_CACHE_TTL_MS", default_value = "1000", value_parser = parse::millis)]
    pub session_cache_ttl: Duration,
    /// Chats not updated for this many days are deleted, with their messages, shares and
    /// the files only they use; SQLite then gives the space back (0: keep chats forever).
    #[arg(
        id = "CHAT_RETENTION_DAYS",
        long = "chat-retention-days",
        env = "CHAT_RETENTION_DAYS",
        value_name = "CHAT_RETENTION_DAYS",
        default_value_t = 0
    )]
    pub chat_retention_days: u32,
    /// Seconds between retention sweeps; one instance sweeps per interval however many run.
    #[arg(id = "CHAT_RETENTION_INTERVAL", long = "chat-retention-interval", env = "CHAT_RETENTION_INTERVAL", value_name = "CHAT_RETENTION_INTERVAL", default_value = "3600", value_parser = parse::positive_seconds)]
    pub chat_retention_interval: Duration,
}

impl DatabaseSettings {
    /// Settings for `url` with the declared pool defaults.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            ..Self::default()
        }
    }

    /// The engine the URL selects, or `None` for an unsupported scheme.
    pub fn backend(&self) -> Option<Backend> {
        if self.url.starts_with("sqlite:") || self.is_encrypted() {
            Some(Backend::Sqlite)
        } else if self.url.starts_with("postgres://") || self.url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }

    /// Whether the URL names an SQLCipher-encrypted SQLite file (`sqlite+sqlcipher:`).
    pub fn is_encrypted(&self) -> bool {
        self.url.starts_with("sqlite+sqlcipher:")
    }

    /// The file an `sqlite:` URL names. Follows SQLAlchemy's reading, which Open WebUI's
    /// `DATABASE_URL` uses: `sqlite:///data/webui.db` is relative, `sqlite:////srv/webui.db`
    /// absolute. `sqlite://data/webui.db` and `sqlite:data/webui.db` are read as paths too.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        let rest = self
            .url
            .strip_prefix("sqlite:")
            .or_else(|| self.url.strip_prefix("sqlite+sqlcipher:"))?;
        let rest = rest.split('?').next().unwrap_or_default();
        let path = rest
            .strip_prefix("///")
            .or_else(|| rest.strip_prefix("//"))
            .unwrap_or(rest);
        (!path.is_empty()).then(|| PathBuf::from(path))
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
