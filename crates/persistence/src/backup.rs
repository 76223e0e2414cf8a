//! A consistent copy of a live SQLite database (`VACUUM INTO`): it reads one snapshot, so
//! writers carry on while it runs and the copy holds every committed write up to its start,
//! compacted and without a write-ahead log.

use crate::{Backend, SqlStore};
use sea_orm::{ConnectionTrait, DbErr};
use std::path::{Path, PathBuf};

/// Why a backup was not written.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// PostgreSQL databases are backed up with `pg_dump`.
    #[error(
        "`hearth db backup` copies SQLite databases; back up PostgreSQL with pg_dump (see the README)"
    )]
    NotSqlite,
    /// The target exists already; a backup never overwrites.
    #[error("{0} already exists; choose a new file")]
    Exists(PathBuf),
    /// The target's folder could not be created.
    #[error("cannot create the folder of {path}: {source}")]
    Folder {
        /// The backup file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// SQLite refused.
    #[error("backup failed: {0}")]
    Database(#[from] DbErr),
}

impl SqlStore {
    /// Writes a consistent, compacted copy of this SQLite database to `target`, which must
    /// not exist yet. Safe while a server uses the same database.
    pub async fn backup_to(&self, target: &Path) -> Result<(), BackupError> {
        if self.backend != Backend::Sqlite {
            return Err(BackupError::NotSqlite);
        }
        if target.exists() {
            return Err(BackupError::Exists(target.to_path_buf()));
        }
        if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| BackupError::Folder {
                path: target.to_path_buf(),
                source,
            })?;
        }
        let quoted = target.to_string_lossy().replace('\'', "''");
        self.db
            .execute_unprepared(&format!("VACUUM INTO '{quoted}'"))
            .await?;
        Ok(())
    }
}
