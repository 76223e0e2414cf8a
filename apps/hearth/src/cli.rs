//! Command line and environment: every setting is a flag that also reads the environment
//! variable Open WebUI uses for it (`hearth --help` lists them with their defaults). The
//! settings themselves are declared once, in `hearth-settings`.

use clap::{Parser, Subcommand};
use hearth_settings::Settings;

/// Hearth: a self-hosted AI chat server compatible with the Open WebUI web client.
#[derive(Debug, Parser)]
#[command(name = "hearth", version, about)]
pub struct Cli {
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Every setting (each a flag that also reads its environment variable).
    #[command(flatten)]
    pub settings: Settings,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (the default).
    Serve,
    /// Apply or inspect database migrations, then exit.
    Migrate {
        /// `up` (apply pending), `down` (revert the last), or `status`.
        #[arg(value_enum, default_value = "status")]
        action: MigrateAction,
    },
    /// Back up or copy a database, then exit.
    Db {
        /// What to do.
        #[command(subcommand)]
        action: DbAction,
    },
}

/// Database tools.
#[derive(Debug, Subcommand)]
pub enum DbAction {
    /// Write a consistent copy of the SQLite database (DATABASE_URL) to FILE, also while
    /// a server is running. PostgreSQL: use pg_dump.
    Backup {
        /// The new file (must not exist).
        file: std::path::PathBuf,
    },
    /// Copy every table from one database into a new, empty one: SQLite and PostgreSQL in
    /// any direction. Row counts are compared at the end.
    Copy {
        /// The source, as a DATABASE_URL (sqlite:///file.db, postgresql://…).
        #[arg(long)]
        from: String,
        /// The target, as a DATABASE_URL; it is given Hearth's schema and must hold no rows.
        #[arg(long)]
        to: String,
        /// Key of the source when it is `sqlite+sqlcipher:`.
        #[arg(long, env = "HEARTH_COPY_FROM_PASSWORD", hide_env_values = true)]
        from_password: Option<String>,
        /// Key of the target when it is `sqlite+sqlcipher:` (the copy encrypts with it).
        #[arg(long, env = "HEARTH_COPY_TO_PASSWORD", hide_env_values = true)]
        to_password: Option<String>,
        /// Rows read and written per batch (memory grows with it).
        #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        batch_rows: u32,
        /// Leave out the source's tables and columns the target's schema has no place for
        /// (otherwise the copy refuses them).
        #[arg(long)]
        skip_unknown: bool,
    },
}

/// Migration actions.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum MigrateAction {
    /// Apply every pending migration.
    Up,
    /// Revert the most recent migration.
    Down,
    /// List migrations and whether they are applied.
    Status,
}

/// Parses the command line and environment. A bad value exits with a message that names
/// the environment variable as well as the flag.
pub fn parse() -> Cli {
    use clap::CommandFactory;
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let error = match Cli::try_parse() {
        Ok(cli) => return cli,
        Err(error) => error,
    };
    if matches!(
        error.kind(),
        ErrorKind::ValueValidation | ErrorKind::InvalidValue
    ) && let Some(ContextValue::String(arg)) = error.get(ContextKind::InvalidArg)
    {
        let long = arg
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .trim_start_matches("--");
        let command = Cli::command();
        let variable = command
            .get_arguments()
            .find(|a| a.get_long() == Some(long))
            .and_then(|a| a.get_env())
            .map(|env| env.to_string_lossy().into_owned());
        if let Some(variable) = variable {
            eprintln!("hearth: {variable} (--{long}) has an invalid value; see `hearth --help`.");
        }
    }
    error.exit()
}
