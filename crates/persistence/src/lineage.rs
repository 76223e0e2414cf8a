//! Databases that Open WebUI wrote: Hearth reads Open WebUI 0.12.4's schema, so a database
//! that another Open WebUI release left (its alembic revision says which) is refused at
//! start with the revision found, before anything is changed.

use crate::Backend;
use crate::lineage_revisions::REVISIONS;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, Statement};

/// Open WebUI 0.12.4's newest schema revision.
pub const OPEN_WEBUI_HEAD: &str = "0bd252b206fb";

/// Why a database written by Open WebUI is not opened.
#[derive(Debug, thiserror::Error)]
pub enum LineageError {
    /// An older Open WebUI wrote it.
    #[error(
        "this database was written by an Open WebUI older than 0.12.4 (schema revision {revision}: \"{description}\", {behind} revisions behind 0.12.4). Start Open WebUI 0.12.4 on it once (it upgrades the schema), then start Hearth"
    )]
    Older {
        /// The revision found.
        revision: String,
        /// What that revision did.
        description: String,
        /// How many revisions 0.12.4 adds after it.
        behind: usize,
    },
    /// A newer (or unknown) Open WebUI wrote it.
    #[error(
        "this database was written by an Open WebUI newer than 0.12.4 (unknown schema revision {0}); Hearth reads 0.12.4's schema"
    )]
    Newer(String),
    /// Open WebUI before 0.3 (peewee migrations, no alembic revision).
    #[error(
        "this database was written by an Open WebUI older than 0.3 (peewee migrations only). Start Open WebUI 0.12.4 on it once (it upgrades the schema), then start Hearth"
    )]
    Ancient,
    /// The check itself failed.
    #[error(transparent)]
    Database(#[from] DbErr),
}

async fn has_table(db: &DatabaseConnection, backend: Backend, table: &str) -> Result<bool, DbErr> {
    let sql = match backend {
        Backend::Sqlite => "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
        Backend::Postgres => {
            "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1"
        }
    };
    let statement = Statement::from_sql_and_values(db.get_database_backend(), sql, [table.into()]);
    Ok(db.query_one_raw(statement).await?.is_some())
}

/// Refuses a database another Open WebUI release wrote; anything else passes.
pub async fn check(db: &DatabaseConnection, backend: Backend) -> Result<(), LineageError> {
    if !has_table(db, backend, "alembic_version").await? {
        if has_table(db, backend, "migratehistory").await? && has_table(db, backend, "user").await?
        {
            return Err(LineageError::Ancient);
        }
        return Ok(());
    }
    let statement = Statement::from_string(
        db.get_database_backend(),
        "SELECT version_num FROM alembic_version",
    );
    let Some(row) = db.query_one_raw(statement).await? else {
        return Ok(());
    };
    let revision: String = row.try_get("", "version_num")?;
    match REVISIONS.iter().position(|(r, _)| *r == revision) {
        Some(0) => Ok(()),
        Some(behind) => Err(LineageError::Older {
            description: REVISIONS[behind].1.to_owned(),
            revision,
            behind,
        }),
        None => Err(LineageError::Newer(revision)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chain_starts_at_the_head_and_has_no_repeats() {
        assert_eq!(REVISIONS[0].0, OPEN_WEBUI_HEAD);
        let mut ids: Vec<&str> = REVISIONS.iter().map(|(r, _)| *r).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), REVISIONS.len());
    }
}
