//! The `hearth` server binary: reads settings from flags and the environment, sets up
//! logging, and runs the server (or migrations).

mod cli;
mod db;

use cli::{Command, MigrateAction};
use hearth_migrations::{Migrator, MigratorTrait};
use hearth_persistence::SqlStore;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let result = match cli.command {
        Some(Command::Migrate { action }) => migrate(&cli.settings, action).await,
        Some(Command::Db { action }) => db::run(&cli.settings, action).await,
        Some(Command::Serve) | None => serve(cli).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            eprintln!("hearth: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(cli: cli::Cli) -> Result<(), Box<dyn std::error::Error>> {
    let settings = cli.settings;
    let started = std::time::Instant::now();
    let server = hearth_api::start(settings).await?;
    tracing::info!(address = %server.addr(), elapsed_ms = started.elapsed().as_millis() as u64, "Hearth is listening");
    let handle = server.handle();
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("shutting down");
        handle.stop().await;
    });
    server.wait().await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
            }
            Err(_) => {
                let _ = ctrl_c.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

async fn migrate(
    settings: &hearth_settings::Settings,
    action: MigrateAction,
) -> Result<(), Box<dyn std::error::Error>> {
    let store = SqlStore::connect(&settings.database()).await?;
    let db = store.connection();
    match action {
        // The server's own path: one transaction, one instance at a time.
        MigrateAction::Up => store.migrate().await?,
        MigrateAction::Down => Migrator::down(db, Some(1)).await?,
        MigrateAction::Status => {
            for migration in Migrator::get_migration_with_status(db).await? {
                println!("{}\t{}", migration.name(), migration.status());
            }
        }
    }
    Ok(())
}
