//! Why the server could not start.

use hearth_auth::secret;
use hearth_domain::StoreError;
use hearth_persistence::{ConnectError, MigrationError};
use hearth_providers::ProviderError;
use hearth_services::ServiceError;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// A combination of settings is refused.
    #[error("{0}")]
    Settings(String),
    /// The database could not be opened.
    #[error(transparent)]
    Database(#[from] ConnectError),
    /// A migration failed.
    #[error(transparent)]
    Migration(#[from] MigrationError),
    /// The secret key file could not be read or written.
    #[error(transparent)]
    Secret(#[from] secret::SecretError),
    /// The configuration table could not be read.
    #[error("cannot load the configuration: {0}")]
    Config(#[from] StoreError),
    /// The admin account from `WEBUI_ADMIN_EMAIL` could not be created.
    #[error("cannot create the admin account: {0}")]
    Admin(#[from] ServiceError),
    /// The HTTP client for model servers could not be built.
    #[error("cannot set up model connections: {0}")]
    Providers(#[from] ProviderError),
    /// Redis (for Socket.IO, tasks or usage counters across instances) is misconfigured.
    #[error("cannot set up Redis: {0}")]
    Realtime(#[from] fred::error::Error),
    /// The single sign-on client could not be built.
    #[error("cannot set up single sign-on: {0}")]
    Sso(#[from] hearth_sso::SsoError),
    /// The file storage could not be opened.
    #[error("cannot open the file storage: {0}")]
    Files(#[from] hearth_domain::ports::BlobError),
    /// The address could not be bound.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The address.
        address: String,
        /// The I/O error.
        source: std::io::Error,
    },
}
