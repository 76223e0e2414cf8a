//! Throw-away databases for tests: a fresh SQLite file, or a fresh PostgreSQL database on the
//! server named by `HEARTH_TEST_DATABASE_URL` (for example `postgres://postgres@127.0.0.1/test`).

use crate::{ConnectError, DatabaseSettings};
use sea_orm::{ConnectionTrait, Database, DbErr};
use std::path::PathBuf;

/// Environment variable selecting the PostgreSQL server tests create databases on.
pub const TEST_DATABASE_ENV: &str = "HEARTH_TEST_DATABASE_URL";

/// Prefix of every scratch PostgreSQL database, so leftovers can be found and dropped.
pub const SCRATCH_PREFIX: &str = "hearth_scratch_";

/// A database that exists only for one test.
#[derive(Debug)]
pub struct ScratchDatabase {
    /// URL of the scratch database.
    pub url: String,
    server_url: Option<String>,
    name: String,
    file: Option<PathBuf>,
}

impl ScratchDatabase {
    /// Creates a fresh database: PostgreSQL when [`TEST_DATABASE_ENV`] names a server,
    /// otherwise an SQLite file in the system temp folder.
    pub async fn create() -> Result<Self, ConnectError> {
        match std::env::var(TEST_DATABASE_ENV)
            .ok()
            .filter(|url| !url.is_empty())
        {
            Some(server_url) => Self::create_on(&server_url).await,
            None => {
                let name = format!("{SCRATCH_PREFIX}{}", uuid_hex());
                let file = std::env::temp_dir().join(format!("{name}.db"));
                let url = format!("sqlite:///{}", file.display());
                Ok(Self {
                    url,
                    server_url: None,
                    name,
                    file: Some(file),
                })
            }
        }
    }

    /// Creates a fresh database on the PostgreSQL server `server_url`.
    pub async fn create_on(server_url: &str) -> Result<Self, ConnectError> {
        let name = format!("{SCRATCH_PREFIX}{}", uuid_hex());
        let server = Database::connect(server_url).await?;
        server
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await?;
        server.close().await?;
        Ok(Self {
            url: replace_database(server_url, &name),
            server_url: Some(server_url.to_owned()),
            name,
            file: None,
        })
    }

    /// Settings for connecting to this database.
    pub fn settings(&self) -> DatabaseSettings {
        DatabaseSettings::new(self.url.clone())
    }

    /// Removes the database (drops it, or deletes the SQLite files).
    pub async fn remove(self) -> Result<(), DbErr> {
        if let Some(server_url) = &self.server_url {
            let server = Database::connect(server_url.as_str()).await?;
            let sql = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
            server.execute_unprepared(&sql).await?;
            server.close().await?;
        }
        if let Some(file) = &self.file {
            for suffix in ["", "-wal", "-shm"] {
                let mut path = file.clone().into_os_string();
                path.push(suffix);
                let _ = std::fs::remove_file(path);
            }
        }
        Ok(())
    }
}

fn uuid_hex() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{:x}{:x}", nanos, std::process::id())
}

/// Swaps the database name in a `postgres://user@host:port/db?params` URL.
fn replace_database(server_url: &str, name: &str) -> String {
    let (base, query) = match server_url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (server_url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_part = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{host_part}/{name}?{query}"),
        None => format!("{host_part}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::replace_database;

    #[test]
    fn replaces_the_database_name() {
        assert_eq!(
            replace_database("postgres://u@h:5432/test", "x"),
            "postgres://u@h:5432/x"
        );
        assert_eq!(replace_database("postgres://u@h", "x"), "postgres://u@h/x");
        assert_eq!(
            replace_database("postgres://h/db?sslmode=disable", "x"),
            "postgres://h/x?sslmode=disable"
        );
    }
}
