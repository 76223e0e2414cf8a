//! `hearth db backup` and `hearth db copy`: the commands around the persistence crate's
//! backup and copy, with a progress line on a terminal.

use crate::cli::DbAction;
use hearth_persistence::copy::{CopyOptions, CopyProgress, copy_database};
use hearth_persistence::{DatabaseSettings, SqlStore};
use hearth_settings::Settings;
use std::io::{IsTerminal, Write};

type Result = std::result::Result<(), Box<dyn std::error::Error>>;

pub async fn run(settings: &Settings, action: DbAction) -> Result {
    match action {
        DbAction::Backup { file } => {
            let store = SqlStore::connect(&tool_settings(settings.database())).await?;
            let started = std::time::Instant::now();
            store.backup_to(&file).await?;
            let bytes = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
            println!(
                "backed up to {} ({:.1} MiB) in {:.1} s",
                file.display(),
                bytes as f64 / 1_048_576.0,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        DbAction::Copy {
            from,
            to,
            from_password,
            to_password,
            batch_rows,
            skip_unknown,
        } => {
            let source = SqlStore::connect(&endpoint(from, from_password)).await?;
            let target = SqlStore::connect(&endpoint(to, to_password)).await?;
            let options = CopyOptions {
                batch_rows: usize::try_from(batch_rows).unwrap_or(500),
                skip_unknown,
            };
            copy(&source, &target, options).await
        }
    }
}

/// One side of a copy: its URL and key.
fn endpoint(url: String, password: Option<String>) -> DatabaseSettings {
    let mut database = DatabaseSettings::new(url);
    database.password = password;
    tool_settings(database)
}

/// A one-off tool reads each page once: no memory map (it would count a whole SQLite file
/// into the process's memory) and a small pool.
fn tool_settings(mut database: DatabaseSettings) -> DatabaseSettings {
    database.sqlite_mmap_size = 0;
    database.pool_size = 2;
    database.max_overflow = 0;
    database
}

async fn copy(source: &SqlStore, target: &SqlStore, options: CopyOptions) -> Result {
    let terminal = std::io::stderr().is_terminal();
    let started = std::time::Instant::now();
    let mut report = |p: CopyProgress<'_>| {
        if terminal {
            eprint!("\r\x1b[2K{}", bar(&p));
            if p.done == p.total {
                eprintln!();
            }
        }
    };
    let copied = copy_database(source, target, options, &mut report).await;
    if terminal {
        eprintln!();
    }
    let copied = copied?;
    target.shut_down().await?;
    let rows: u64 = copied.iter().map(|t| t.rows).sum();
    for table in &copied {
        println!("{:<28} {:>10} rows", table.table, table.rows);
    }
    println!(
        "copied {} tables, {rows} rows, in {:.1} s; row counts match",
        copied.len(),
        started.elapsed().as_secs_f64()
    );
    std::io::stdout().flush()?;
    Ok(())
}

/// `table  [#######.......]  done/total rows`
fn bar(p: &CopyProgress<'_>) -> String {
    const WIDTH: u64 = 30;
    let filled = (p.done * WIDTH).checked_div(p.total).unwrap_or(WIDTH);
    let filled = usize::try_from(filled.min(WIDTH)).unwrap_or(0);
    format!(
        "{:<28} [{}{}] {}/{} rows",
        p.table,
        "#".repeat(filled),
        ".".repeat(30 - filled),
        p.done,
        p.total
    )
}
