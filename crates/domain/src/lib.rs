//! Hearth's core: ids, value types, errors and the ports (traits) that storage and other
//! adapters implement. It knows nothing of HTTP, SQL or network clients.
//!
//! ```
//! use hearth_domain::{Role, UserId};
//!
//! let id = UserId::generate();
//! assert_eq!(id.as_str().len(), 36);
//! assert!(Role::Admin.is_verified());
//! assert!(!Role::Pending.is_verified());
//! ```

pub mod access;
pub mod account;
pub mod api_key;
pub mod chat;
pub mod config;
pub mod error;
pub mod file;
pub mod folder;
pub mod ids;
pub mod knowledge;
pub mod lifetime;
pub mod model;
pub mod oauth;
pub mod outbound;
pub mod permissions;
pub mod ports;
pub mod provider;
pub mod retrieval;
pub mod role;
pub mod sso;
pub mod text;
pub mod time;
pub mod usage;
pub mod user;
pub mod validate;

pub use error::{StoreError, StoreResult};
pub use ids::UserId;
pub use role::Role;
pub use user::User;

ports::storage! {
    /// Users.
    users: ports::UserStore,
    /// Credentials.
    credentials: ports::CredentialStore,
    /// API keys.
    api_keys: ports::ApiKeyStore,
    /// Chats, messages and tags.
    chats: ports::ChatStore,
    /// Chat folders.
    folders: ports::FolderStore,
    /// Uploaded files' records.
    files: ports::FileStore,
    /// Knowledge bases.
    knowledge: ports::KnowledgeStore,
    /// Shared chat snapshots.
    shares: ports::ShareStore,
    /// Workspace models.
    models: ports::ModelStore,
    /// The config table.
    config: ports::ConfigStore,
    /// Liveness.
    health: ports::HealthCheck,
    /// Identity-provider links and sessions.
    oauth: ports::OAuthStore,
    /// Scheduled upkeep: job claims and retention.
    upkeep: ports::UpkeepStore,
}
