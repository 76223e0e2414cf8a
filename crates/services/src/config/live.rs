//! The live configuration: built-in defaults, overridden by settings from the environment,
//! overridden by rows of the `config` table (unless persistence is off). Readers get an
//! immutable [`ConfigView`] without locking; writers store rows and swap in a new view.

use super::public::PublicConfigBodies;
use arc_swap::ArcSwap;
use hearth_auth::expiry::{lifetime_secs, parse_lifetime};
use hearth_domain::config::{ConfigSnapshot, builtin_defaults, keys};
use hearth_domain::permissions;
use hearth_domain::ports::ConfigStore;
use hearth_domain::provider::ProviderConfig;
use hearth_domain::text::strip_nul_json;
use hearth_domain::usage::UsageLimits;
use hearth_domain::{Role, StoreResult, time::now_epoch};
use hearth_settings::Settings;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::Mutex;

/// One consistent view of the configuration, with values the hot paths need pre-computed.
#[derive(Debug)]
pub struct ConfigView {
    /// All values.
    pub snapshot: ConfigSnapshot,
    /// Effective default permissions (`user.permissions` completed with the built-ins).
    pub permissions: Value,
    /// Session token lifetime in seconds (`None`: never expires).
    pub jwt_lifetime_secs: Option<i64>,
    /// Pre-serialized `/api/config` bodies for callers without a verified role.
    pub public_bodies: PublicConfigBodies,
    /// The model server connections.
    pub providers: Arc<ProviderConfig>,
    /// Usage limits on completions.
    pub usage_limits: Arc<UsageLimits>,
}

impl ConfigView {
    fn build(snapshot: ConfigSnapshot, settings: &Settings) -> Self {
        let permissions = permissions::effective(snapshot.get(keys::USER_PERMISSIONS));
        let jwt_lifetime_secs = snapshot
            .text(keys::JWT_EXPIRY)
            .and_then(|text| parse_lifetime(text).ok())
            .map_or(Some(4 * 7 * 86_400), lifetime_secs);
        let public_bodies = PublicConfigBodies::build(&snapshot, settings);
        let providers = Arc::new(ProviderConfig::from_snapshot(&snapshot));
        let usage_limits =
            UsageLimits::from_value(snapshot.get(keys::USAGE_LIMITS).unwrap_or(&Value::Null))
                .unwrap_or_else(|error| {
                    tracing::error!(%error, "stored usage limits unreadable; not enforcing them");
                    UsageLimits::default()
                });
        Self {
            snapshot,
            permissions,
            jwt_lifetime_secs,
            public_bodies,
            providers,
            usage_limits: Arc::new(usage_limits),
        }
    }

    /// A boolean key.
    pub fn flag(&self, key: &str) -> bool {
        self.snapshot.flag(key)
    }

    /// A string key, or `""`.
    pub fn text(&self, key: &str) -> &str {
        self.snapshot.text(key).unwrap_or_default()
    }

    /// Role for new sign-ups (`ui.default_user_role`), pending if unreadable.
    pub fn default_role(&self) -> Role {
        Role::from_stored(self.text(keys::DEFAULT_USER_ROLE))
    }
}

/// The shared, reloadable configuration.
pub struct LiveConfig {
    store: Arc<dyn ConfigStore>,
    settings: Arc<Settings>,
    defaults: HashMap<String, Value>,
    memory: Mutex<HashMap<String, Value>>,
    current: ArcSwap<ConfigView>,
}

impl LiveConfig {
    /// Seeds missing rows (when persistent) and loads the first view.
    pub async fn start(store: Arc<dyn ConfigStore>, settings: Arc<Settings>) -> StoreResult<Self> {
        let mut defaults = builtin_defaults();
        defaults.extend(settings.config_defaults());
        if settings.enable_persistent_config {
            store.seed_missing(&defaults, now_epoch()).await?;
        }
        let first = ConfigView::build(ConfigSnapshot::new(defaults.clone()), &settings);
        let live = Self {
            store,
            settings,
            memory: Mutex::new(defaults.clone()),
            defaults,
            current: ArcSwap::from_pointee(first),
        };
        live.reload().await?;
        Ok(live)
    }

    /// The current view.
    pub fn view(&self) -> Arc<ConfigView> {
        self.current.load_full()
    }

    /// Re-reads the table (stored rows win over defaults) and publishes a new view.
    pub async fn reload(&self) -> StoreResult<()> {
        let values = if self.settings.enable_persistent_config {
            let mut values = self.defaults.clone();
            values.extend(self.store.load_all().await?);
            values
        } else {
            self.memory.lock().await.clone()
        };
        let view = ConfigView::build(ConfigSnapshot::new(values), &self.settings);
        self.current.store(Arc::new(view));
        Ok(())
    }

    /// Stores new values (in the table, or in memory when persistence is off) and reloads.
    pub async fn set(&self, mut values: Vec<(String, Value)>) -> StoreResult<()> {
        values
            .iter_mut()
            .for_each(|(_, value)| strip_nul_json(value));
        if self.settings.enable_persistent_config {
            self.store.upsert(&values, now_epoch()).await?;
        } else {
            self.memory.lock().await.extend(values);
        }
        self.reload().await
    }

    /// Re-reads the table every `interval_secs` so changes made by other instances show up.
    pub fn spawn_refresh(self: &Arc<Self>, interval: std::time::Duration) {
        if interval.is_zero() || !self.settings.enable_persistent_config {
            return;
        }
        let live = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut ticker = tokio::time::interval(interval);
            ticker.tick().await;
            loop {
                ticker.tick().await;
                let Some(live) = live.upgrade() else { break };
                if let Err(error) = live.reload().await {
                    tracing::warn!(%error, "could not refresh the configuration");
                }
            }
        });
    }
}
