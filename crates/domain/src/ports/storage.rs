//! [`Storage`]: every store port as one value, so services take one handle and a backend
//! implements the ports it has. Adding a store is one line in the list below.

use super::{
    ApiKeyStore, ChatStore, ConfigStore, CredentialStore, FolderStore, HealthCheck, ModelStore,
    OAuthStore, ShareStore, UserStore,
};

macro_rules! storage {
    ($($(#[$doc:meta])* $name:ident: $port:ident,)*) => {
        /// Every store. Implemented for any type that implements all the store ports (the
        /// SQL backend, the in-memory doubles of the tests).
        pub trait Storage: Send + Sync {
            $(
                $(#[$doc])*
                fn $name(&self) -> &dyn $port;
            )*
        }

        impl<T: $($port +)* 'static> Storage for T {
            $(
                fn $name(&self) -> &dyn $port {
                    self
                }
            )*
        }
    };
}

storage! {
    /// Users.
    users: UserStore,
    /// Credentials.
    credentials: CredentialStore,
    /// API keys.
    api_keys: ApiKeyStore,
    /// Chats, messages and tags.
    chats: ChatStore,
    /// Chat folders.
    folders: FolderStore,
    /// Shared chat snapshots.
    shares: ShareStore,
    /// Workspace models.
    models: ModelStore,
    /// The config table.
    config: ConfigStore,
    /// Liveness.
    health: HealthCheck,
    /// Identity-provider links and sessions.
    oauth: OAuthStore,
}
