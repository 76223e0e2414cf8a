//! Opening the connection pool: SQLite in WAL mode with a busy timeout (encrypted with
//! SQLCipher when the URL is `sqlite+sqlcipher:`), or PostgreSQL with the configured pool
//! limits.

use sea_orm::sqlx::ConnectOptions as _;
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
    /// `sqlite+sqlcipher:` without `DATABASE_PASSWORD`.
    #[error(
        "DATABASE_URL names an encrypted database (sqlite+sqlcipher://) but DATABASE_PASSWORD is not set"
    )]
    MissingPassword,
    /// SQLite could not read the file: a wrong key, or an encrypted file opened as plain.
    #[error("cannot read {path}: {}", if *.encrypted {
        "wrong DATABASE_PASSWORD, or the file is not an encrypted database"
    } else {
        "the file is not an SQLite database (is it encrypted? use DATABASE_URL=sqlite+sqlcipher:///… with DATABASE_PASSWORD)"
    })]
    Unreadable {
        /// The database file.
        path: PathBuf,
        /// Whether it was opened with a key.
        encrypted: bool,
    },
    /// Another Open WebUI release wrote the database.
    #[error(transparent)]
    Lineage(#[from] crate::lineage::LineageError),
    /// This build's SQLite has no SQLCipher, so the key would be ignored.
    #[error(
        "this build of Hearth has no SQLCipher (feature `sqlcipher`); it cannot open sqlite+sqlcipher:// databases"
    )]
    NoSqlcipher,
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
    let key = match (settings.is_encrypted(), &settings.password) {
        (false, _) => None,
        (true, Some(password)) if !password.is_empty() => Some(password.clone()),
        (true, _) => return Err(ConnectError::MissingPassword),
    };
    // For SQLite the options below replace everything the URL would say; sea-orm only
    // needs a URL it recognises as SQLite.
    let url = match backend {
        Backend::Sqlite => "sqlite::memory:".to_owned(),
        Backend::Postgres => settings.url.clone(),
    };
    let mut options = ConnectOptions::new(url);
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
        let encrypted = key.is_some();
        if path.is_file() {
            // Opening the pool switches the file to WAL mode; a database another Open WebUI
            // release wrote is refused before that, read-only, so it stays byte-for-byte.
            check_lineage_read_only(&path, key.as_deref()).await?;
        }
        let shown = path.clone();
        options.map_sqlx_sqlite_opts(move |_| with_key(sqlite_options(&path, busy, mmap), &key));
        return match Database::connect(options).await {
            Ok(db) if encrypted && !has_sqlcipher(&db).await => Err(ConnectError::NoSqlcipher),
            Ok(db) => Ok((db, backend)),
            Err(error) if error.to_string().contains("file is not a database") => {
                Err(ConnectError::Unreadable {
                    path: shown,
                    encrypted,
                })
            }
            Err(error) => Err(error.into()),
        };
    }
    Ok((Database::connect(options).await?, backend))
}

/// SQLCipher's key, when there is one, as the first pragma of every connection.
fn with_key(options: SqliteConnectOptions, key: &Option<String>) -> SqliteConnectOptions {
    match key {
        Some(key) => options.pragma("key", format!("'{}'", key.replace('\'', "''"))),
        None => options,
    }
}

async fn check_lineage_read_only(
    path: &std::path::Path,
    key: Option<&str>,
) -> Result<(), ConnectError> {
    let plain = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .disable_statement_logging();
    let read_only = with_key(plain, &key.map(str::to_owned));
    let mut options = ConnectOptions::new("sqlite::memory:");
    options.max_connections(1).sqlx_logging(false);
    options.map_sqlx_sqlite_opts(move |_| read_only.clone());
    let Ok(db) = Database::connect(options).await else {
        // Unreadable here (locked, not a database…): the pool's own open reports it.
        return Ok(());
    };
    let checked = crate::lineage::check(&db, Backend::Sqlite).await;
    let _ = db.close().await;
    match checked {
        Err(crate::lineage::LineageError::Database(_)) | Ok(()) => Ok(()),
        Err(refused) => Err(ConnectError::Lineage(refused)),
    }
}

/// Whether SQLite here is SQLCipher (which answers `PRAGMA cipher_version`).
async fn has_sqlcipher(db: &DatabaseConnection) -> bool {
    use sea_orm::ConnectionTrait;
    let statement =
        sea_orm::Statement::from_string(db.get_database_backend(), "PRAGMA cipher_version");
    matches!(db.query_one_raw(statement).await, Ok(Some(_)))
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
        .disable_statement_logging()
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
