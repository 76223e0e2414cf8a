//! [`App`]: what every use case works with — the settings, the live configuration, the
//! storage and the other ports, and the sign-in machinery of `hearth-auth`. Built once by
//! the server (or a test) and shared.

use crate::config::{ConfigView, LiveConfig};
use hearth_auth::accounts::Accounts;
use hearth_auth::authenticate::Authenticator;
use hearth_domain::config::keys;
use hearth_domain::ports::{Clients, ModelServers, Storage, TaskRunner, UsageCounters};
use hearth_domain::sso::IdentityProviders;
use hearth_domain::{StoreResult, User, UserId};
use hearth_settings::Settings;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The ports and shared state the use cases run on. Built with a struct literal; `users_seen`
/// starts as `Latch::default()`.
pub struct App {
    /// Server settings.
    pub settings: Arc<Settings>,
    /// Every store.
    pub storage: Arc<dyn Storage>,
    /// The live configuration (`config` table over the settings' defaults).
    pub config: Arc<LiveConfig>,
    /// The model servers.
    pub models: Arc<dyn ModelServers>,
    /// Events to connected clients.
    pub clients: Arc<dyn Clients>,
    /// Background tasks.
    pub tasks: Arc<dyn TaskRunner>,
    /// Counters of usage limits.
    pub usage: Arc<dyn UsageCounters>,
    /// Uploaded files' bytes, text extraction and its job limits.
    pub files: crate::files::ports::FileServices,
    /// Embedding engines and the vector store.
    pub retrieval: crate::retrieval::ports::RetrievalServices,
    /// Identity providers' protocols.
    pub identity: Arc<dyn IdentityProviders>,
    /// Account creation and password checks.
    pub accounts: Accounts,
    /// Credential checks (tokens, API keys).
    pub authenticator: Authenticator,
    /// Set once an account is known to exist.
    pub users_seen: Latch,
}

/// A flag that, once set, stays set.
#[derive(Debug, Default)]
pub struct Latch(AtomicBool);

impl Latch {
    /// Whether it was set.
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// Sets it.
    pub fn set(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

impl App {
    /// The current configuration.
    pub fn view(&self) -> Arc<ConfigView> {
        self.config.view()
    }

    /// Whether any account exists. Once true it stays true (the primary admin cannot be
    /// deleted), so only a fresh install pays for the query.
    pub async fn users_exist(&self) -> StoreResult<bool> {
        if self.users_seen.is_set() {
            return Ok(true);
        }
        let exist = self.storage.users().any_exist().await?;
        if exist {
            self.users_seen.set();
        }
        Ok(exist)
    }

    /// Records that an account now exists.
    pub fn mark_users_exist(&self) {
        self.users_seen.set();
    }

    /// The primary admin: the recorded first account, or the earliest one.
    pub async fn primary_admin(&self) -> StoreResult<Option<User>> {
        let view = self.config.view();
        if let Some(id) = view
            .snapshot
            .text(keys::PRIMARY_ADMIN_ID)
            .filter(|id| !id.is_empty())
            && let Some(user) = self.storage.users().get(&UserId::from(id)).await?
        {
            return Ok(Some(user));
        }
        self.storage.users().first().await
    }
}
