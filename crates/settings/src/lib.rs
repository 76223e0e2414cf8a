//! Every Hearth setting, declared once: each field carries its flag, its environment variable
//! (Open WebUI's name where Open WebUI has the setting), its default, its parser and its doc.
//! The `hearth` binary parses them from the command line and the environment; embedders and
//! tests start from the same declared defaults with [`Settings::new`] and change fields.
//!
//! ```
//! let mut settings = hearth_settings::Settings::new("./data");
//! assert_eq!(settings.http.port, 8080);
//! settings.http.port = 0; // any free port
//! assert_eq!(settings.database().url, "sqlite:///./data/webui.db");
//! ```

mod accounts;
mod database;
mod directory;
mod files;
mod http;
mod models;
mod oauth;
mod outbound;
pub mod parse;
mod ranking;
mod retrieval;
mod sockets;
mod usage;
mod vector_db;

pub use accounts::AccountSettings;
pub use database::{Backend, DatabaseSettings, Recycle};
pub use directory::LdapSettings;
pub use files::FileSettings;
pub use http::{HttpSettings, SameSite, SecurityHeaders};
pub use models::{ModelSettings, OptionalLimit, ProviderSettings};
pub use oauth::{
    GithubSettings, GoogleSettings, MicrosoftClientSettings, OAuthClient, OAuthSettings,
    SsoSettings,
};
pub use outbound::OutboundSettings;
pub use ranking::RankingSettings;
pub use retrieval::RetrievalSettings;
pub use sockets::{EngineSettings, Manager, RedisSettings, SocketSettings};
pub use usage::UsageSettings;
pub use vector_db::VectorDbSettings;

use clap::{Args, FromArgMatches};
use hearth_domain::config::keys;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::Duration;

/// A list of texts parsed from one value (`;` or `,` separated); an alias so that clap
/// reads the whole list as one value.
pub type List = Vec<String>;

/// Server configuration: every setting and every limit, with its default.
#[derive(Clone, Debug, PartialEq, Args)]
pub struct Settings {
    /// Folder for the SQLite database, the secret key file and uploads.
    #[arg(
        id = "DATA_DIR",
        long = "data-dir",
        env = "DATA_DIR",
        value_name = "DATA_DIR",
        default_value = "./data"
    )]
    pub data_dir: PathBuf,
    /// Secret that signs session tokens (default: generated into DATA_DIR/.webui_secret_key).
    #[arg(
        id = "WEBUI_SECRET_KEY",
        long = "webui-secret-key",
        env = "WEBUI_SECRET_KEY",
        value_name = "WEBUI_SECRET_KEY",
        hide_env_values = true
    )]
    pub secret_key: Option<String>,
    /// Instance name shown in the web client.
    #[arg(
        id = "WEBUI_NAME",
        long = "webui-name",
        env = "WEBUI_NAME",
        value_name = "WEBUI_NAME",
        default_value = "Hearth"
    )]
    pub webui_name: String,
    /// Let settings saved in the database override these defaults.
    #[arg(id = "ENABLE_PERSISTENT_CONFIG", long = "enable-persistent-config", env = "ENABLE_PERSISTENT_CONFIG", value_name = "ENABLE_PERSISTENT_CONFIG", default_value = "true", value_parser = parse::flag, action = clap::ArgAction::Set)]
    pub enable_persistent_config: bool,
    /// Seconds between re-reads of saved settings, so instances see each other's changes
    /// (0: off).
    #[arg(id = "CONFIG_REFRESH_INTERVAL", long = "config-refresh-interval", env = "CONFIG_REFRESH_INTERVAL", value_name = "CONFIG_REFRESH_INTERVAL", default_value = "10", value_parser = parse::seconds)]
    pub config_refresh_interval: Duration,
    /// Where the server listens and what it lets through.
    #[command(flatten, next_help_heading = "Server")]
    pub http: HttpSettings,
    /// The database.
    #[command(flatten, next_help_heading = "Database")]
    pub database: DatabaseSettings,
    /// Accounts and sign-in.
    #[command(flatten, next_help_heading = "Accounts and sign-in")]
    pub accounts: AccountSettings,
    /// Model server connections and model access.
    #[command(flatten, next_help_heading = "Model connections")]
    pub models: ModelSettings,
    /// Limits on talking to model servers.
    #[command(flatten, next_help_heading = "Model server limits")]
    pub providers: ProviderSettings,
    /// Socket.IO.
    #[command(flatten, next_help_heading = "Socket.IO")]
    pub sockets: SocketSettings,
    /// Redis for several instances.
    #[command(flatten, next_help_heading = "Redis (several instances)")]
    pub redis: RedisSettings,
    /// LDAP sign-in.
    #[command(flatten, next_help_heading = "LDAP")]
    pub ldap: LdapSettings,
    /// Provider sign-in policy and the generic OpenID Connect provider.
    #[command(flatten, next_help_heading = "OAuth / OpenID Connect policy")]
    pub oauth: OAuthSettings,
    /// Identity providers from the environment and sign-in limits.
    #[command(flatten, next_help_heading = "Identity providers")]
    pub sso: SsoSettings,
    /// Uploaded files: storage, upload limits, extraction jobs.
    #[command(flatten, next_help_heading = "Files")]
    pub files: FileSettings,
    /// Embedding and retrieval.
    #[command(flatten, next_help_heading = "Retrieval")]
    pub retrieval: RetrievalSettings,
    /// Requests to URLs users name.
    #[command(flatten, next_help_heading = "Outbound requests")]
    pub outbound: OutboundSettings,
    /// How retrieval ranks.
    #[command(flatten, next_help_heading = "Retrieval ranking")]
    pub ranking: RankingSettings,
    /// The vector store.
    #[command(flatten, next_help_heading = "Vector store")]
    pub vectors: VectorDbSettings,
    /// Usage limits on completions.
    #[command(flatten, next_help_heading = "Usage limits")]
    pub usage: UsageSettings,
    /// Further defaults of config-table keys (`ui.default_models`, `oauth.client_id`, ...),
    /// for embedders and tests; no flag. Rows already stored win, as for the others.
    #[arg(skip)]
    pub config: Vec<(String, Value)>,
}

impl Settings {
    /// The declared defaults, keeping data in `data_dir` (SQLite file `webui.db` there).
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            ..Self::default()
        }
    }

    /// The database settings with the URL resolved: `DATABASE_URL`, or the SQLite file
    /// `DATA_DIR/webui.db`.
    pub fn database(&self) -> DatabaseSettings {
        let mut database = self.database.clone();
        if database.url.trim().is_empty() {
            database.url = format!("sqlite:///{}", self.data_dir.join("webui.db").display());
        }
        database
    }

    /// The websocket manager, or why the combination of settings is refused.
    pub fn manager(&self) -> Result<Manager, String> {
        self.sockets.manager(&self.redis)
    }

    /// The config-table defaults these settings give: the environment sets defaults, rows
    /// already stored win.
    pub fn config_defaults(&self) -> Vec<(String, Value)> {
        let accounts = &self.accounts;
        let models = &self.models;
        let (openai_urls, openai_keys) = models.openai_connections();
        let declared: Vec<(&str, Value)> = vec![
            (
                keys::ENABLE_SIGNUP,
                json!(accounts.webui_auth && accounts.enable_signup),
            ),
            (keys::ENABLE_LOGIN_FORM, json!(accounts.enable_login_form)),
            (
                keys::DEFAULT_USER_ROLE,
                json!(accounts.default_user_role.as_str()),
            ),
            (keys::JWT_EXPIRY, json!(accounts.jwt_expires_in)),
            (keys::ENABLE_API_KEYS, json!(accounts.enable_api_keys)),
            (
                keys::API_KEY_ENDPOINT_RESTRICTIONS,
                json!(accounts.api_key_endpoint_restrictions),
            ),
            (
                keys::API_KEY_ALLOWED_ENDPOINTS,
                json!(accounts.api_keys_allowed_endpoints),
            ),
            (keys::ADMIN_SHOW, json!(accounts.show_admin_details)),
            (keys::OPENAI_ENABLE, json!(models.openai_enabled)),
            (keys::OPENAI_BASE_URLS, json!(openai_urls)),
            (keys::OPENAI_KEYS, json!(openai_keys)),
            (keys::OPENAI_CONFIGS, models.openai_configs.clone()),
            (keys::OLLAMA_ENABLE, json!(models.ollama_enabled)),
            (keys::OLLAMA_BASE_URLS, json!(models.ollama_urls())),
            (keys::OLLAMA_CONFIGS, models.ollama_configs.clone()),
        ];
        let mut owned: Vec<(String, Value)> = declared
            .into_iter()
            .map(|(key, value)| (key.to_owned(), value))
            .collect();
        owned.extend(self.files.config_defaults());
        owned.extend(self.retrieval.config_defaults());
        owned.extend(self.ranking.config_defaults());
        owned.extend(self.ldap.config_defaults());
        owned.extend(self.oauth.config_defaults());
        owned.extend(self.usage.config_defaults());
        owned.extend(self.config.iter().cloned());
        owned
    }
}

/// A text setting that counts only when it holds something (`Some("")` reads as unset).
pub fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The defaults a group of settings declares: its flags parsed from an empty command line
/// with the environment ignored.
fn declared_defaults<T: Args + FromArgMatches>() -> T {
    let command = T::augment_args(clap::Command::new("hearth").no_binary_name(true))
        .mut_args(|arg| arg.env(None::<&'static str>));
    let parsed = command
        .try_get_matches_from(std::iter::empty::<&str>())
        .map_err(|e| e.to_string())
        .and_then(|matches| T::from_arg_matches(&matches).map_err(|e| e.to_string()));
    #[expect(
        clippy::expect_used,
        reason = "the defaults are literals in the declarations; a unit test parses every group"
    )]
    parsed.expect("declared defaults parse")
}

macro_rules! declared_default {
    ($($group:ty),* $(,)?) => {
        $(
            impl Default for $group {
                /// The declared defaults.
                fn default() -> Self {
                    declared_defaults()
                }
            }
        )*
    };
}

declared_default!(
    Settings,
    HttpSettings,
    SecurityHeaders,
    DatabaseSettings,
    AccountSettings,
    ModelSettings,
    ProviderSettings,
    EngineSettings,
    SocketSettings,
    RedisSettings,
    LdapSettings,
    OAuthSettings,
    SsoSettings,
    FileSettings,
    RetrievalSettings,
    OutboundSettings,
    RankingSettings,
    VectorDbSettings,
    UsageSettings,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_group_has_its_declared_defaults() {
        let settings = Settings::new("/srv/hearth");
        assert_eq!(settings.http.port, 8080);
        assert_eq!(settings.http.cors_allow_origin, vec!["*".to_owned()]);
        assert_eq!(settings.database.pool_size, 10);
        assert_eq!(
            settings.database.pool_recycle,
            Some(Duration::from_secs(3600))
        );
        assert_eq!(settings.accounts.password_hash_cost, 12);
        assert_eq!(
            settings.providers.stream_idle_timeout,
            Some(Duration::from_secs(300))
        );
        assert_eq!(settings.sockets.engine.send_queue, 1024);
        assert_eq!(settings.redis.task_ttl, Duration::from_secs(300));
        assert_eq!(settings.ldap.timeout, Duration::from_secs(10));
        assert_eq!(settings.sso.max_sessions_per_user, 10);
        assert_eq!(settings.sso.github.scope, "user:email");
        assert_eq!(
            settings.models.ollama_urls(),
            vec!["http://localhost:11434".to_owned()]
        );
        assert!(settings.ldap.config_defaults().is_empty());
        assert_eq!(settings.database().url, "sqlite:////srv/hearth/webui.db");
        assert_eq!(settings.manager(), Ok(Manager::Local));
    }

    #[test]
    fn openai_keys_pair_with_urls_and_the_public_api_needs_a_key() {
        let mut models = ModelSettings::default();
        assert_eq!(models.openai_connections(), (Vec::new(), Vec::new()));
        models.openai_key = Some("sk-x".into());
        assert_eq!(
            models.openai_connections(),
            (
                vec!["https://api.openai.com/v1".into()],
                vec!["sk-x".into()]
            )
        );
        models.openai_base_urls = Some(vec!["http://a/v1".into(), "http://b/v1".into()]);
        models.openai_keys = Some(vec!["ka".into()]);
        assert_eq!(
            models.openai_connections().1,
            vec!["ka".to_owned(), String::new()]
        );
    }

    #[test]
    fn a_redis_manager_needs_a_url() {
        let mut settings = Settings::default();
        settings.sockets.manager = "redis".into();
        assert!(settings.manager().is_err());
        settings.redis.url = Some("redis://127.0.0.1:6379".into());
        assert!(matches!(settings.manager(), Ok(Manager::Redis { .. })));
        settings.sockets.manager = "zookeeper".into();
        assert!(settings.manager().is_err());
    }
}
