//! `hearth-migrate`: sea-orm-migration's CLI for Hearth's schema (`up`, `down`, `status`,
//! `fresh`, ...). Reads `DATABASE_URL`.

#[tokio::main]
async fn main() {
    sea_orm_migration::cli::run_cli(hearth_migrations::Migrator).await;
}
