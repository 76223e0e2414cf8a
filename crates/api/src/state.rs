//! Shared application state, built once and handed to every worker.

use crate::live_config::LiveConfig;
use crate::settings::Settings;
use crate::sso::Sso;
use actix_web::web::Bytes;
use hearth_auth::accounts::Accounts;
use hearth_auth::authenticate::Authenticator;
use hearth_domain::config::keys;
use hearth_domain::ports::{
    ApiKeyStore, ChatStore, ConfigStore, CredentialStore, FolderStore, HealthCheck, ModelStore,
    OAuthStore, ShareStore, UserStore,
};
use hearth_domain::{StoreResult, User, UserId};
use hearth_providers::Providers;
use hearth_realtime::{Engine, Realtime};
use hearth_tasks::TaskRegistry;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The storage ports the handlers use.
#[derive(Clone)]
pub struct Stores {
    /// Users.
    pub users: Arc<dyn UserStore>,
    /// Credentials.
    pub credentials: Arc<dyn CredentialStore>,
    /// API keys.
    pub api_keys: Arc<dyn ApiKeyStore>,
    /// Chats, messages and tags.
    pub chats: Arc<dyn ChatStore>,
    /// Chat folders.
    pub folders: Arc<dyn FolderStore>,
    /// Shared chat snapshots.
    pub shares: Arc<dyn ShareStore>,
    /// Workspace models.
    pub models: Arc<dyn ModelStore>,
    /// The config table.
    pub config: Arc<dyn ConfigStore>,
    /// Liveness.
    pub health: Arc<dyn HealthCheck>,
    /// Identity-provider links and sessions.
    pub oauth: Arc<dyn OAuthStore>,
}

/// Everything handlers share.
pub struct AppState {
    /// Server settings.
    pub settings: Arc<Settings>,
    /// Storage.
    pub stores: Stores,
    /// Account flows.
    pub accounts: Accounts,
    /// Credential checks.
    pub authenticator: Authenticator,
    /// Live configuration.
    pub config: Arc<LiveConfig>,
    /// The OpenAPI document, serialized.
    pub openapi_json: Bytes,
    /// Model servers.
    pub providers: Arc<Providers>,
    /// Event delivery to sockets (here and on other instances).
    pub realtime: Arc<Realtime>,
    /// Socket.IO sessions of this instance.
    pub engine: Arc<Engine>,
    /// Background tasks (streamed answers).
    pub tasks: Arc<TaskRegistry>,
    /// Identity providers and the sealing keys of single sign-on.
    pub sso: Arc<Sso>,
    users_exist: AtomicBool,
}

/// Services built before the state (they are shared with background work).
pub struct Services {
    /// Model servers.
    pub providers: Arc<Providers>,
    /// Event delivery.
    pub realtime: Arc<Realtime>,
    /// Socket.IO sessions.
    pub engine: Arc<Engine>,
    /// Background tasks.
    pub tasks: Arc<TaskRegistry>,
    /// Single sign-on.
    pub sso: Arc<Sso>,
}

impl AppState {
    /// Assembles the state.
    pub fn new(
        settings: Arc<Settings>,
        stores: Stores,
        accounts: Accounts,
        authenticator: Authenticator,
        config: Arc<LiveConfig>,
        openapi_json: Bytes,
        services: Services,
    ) -> Self {
        Self {
            settings,
            stores,
            accounts,
            authenticator,
            config,
            openapi_json,
            providers: services.providers,
            realtime: services.realtime,
            engine: services.engine,
            tasks: services.tasks,
            sso: services.sso,
            users_exist: AtomicBool::new(false),
        }
    }

    /// Whether any account exists. Once true it stays true (the primary admin cannot be
    /// deleted), so only a fresh install pays for the query.
    pub async fn users_exist(&self) -> StoreResult<bool> {
        if self.users_exist.load(Ordering::Relaxed) {
            return Ok(true);
        }
        let exist = self.stores.users.any_exist().await?;
        if exist {
            self.users_exist.store(true, Ordering::Relaxed);
        }
        Ok(exist)
    }

    /// The primary admin: the recorded first account, or the earliest one.
    pub async fn primary_admin(&self) -> StoreResult<Option<User>> {
        let view = self.config.view();
        if let Some(id) = view
            .snapshot
            .text(keys::PRIMARY_ADMIN_ID)
            .filter(|id| !id.is_empty())
            && let Some(user) = self.stores.users.get(&UserId::from(id)).await?
        {
            return Ok(Some(user));
        }
        self.stores.users.first().await
    }

    /// Records that an account now exists.
    pub fn mark_users_exist(&self) {
        self.users_exist.store(true, Ordering::Relaxed);
    }
}
