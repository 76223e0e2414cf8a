//! Hearth's versioned database schema, as sea-orm-migration migrations. Tables and columns
//! mirror Open WebUI 0.12.4 (names, types, JSON-in-TEXT encodings) on SQLite and PostgreSQL.
//!
//! ```no_run
//! use hearth_migrations::{Migrator, MigratorTrait};
//! # async fn run(db: &sea_orm_migration::sea_orm::DatabaseConnection) -> Result<(), sea_orm_migration::DbErr> {
//! Migrator::up(db, None).await?;
//! # Ok(()) }
//! ```

mod columns;
mod m20261125_000001_create_accounts;
mod m20261125_000002_create_config;
mod m20261125_000003_create_chats;
mod m20261125_000004_create_workspace;
mod m20261125_000005_create_groups;
mod m20261201_000006_create_knowledge;

pub use sea_orm_migration::MigratorTrait;
use sea_orm_migration::prelude::*;

/// All migrations, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_create_accounts::Migration),
            Box::new(m20261125_000002_create_config::Migration),
            Box::new(m20261125_000003_create_chats::Migration),
            Box::new(m20261125_000004_create_workspace::Migration),
            Box::new(m20261125_000005_create_groups::Migration),
            Box::new(m20261201_000006_create_knowledge::Migration),
        ]
    }
}
