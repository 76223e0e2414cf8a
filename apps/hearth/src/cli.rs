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
