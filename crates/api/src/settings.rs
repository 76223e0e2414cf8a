//! Everything the server can be configured with. The `hearth` binary fills this from
//! environment variables (Open WebUI's names where they exist); embedders and tests build it
//! directly, starting from [`Settings::new`].

use hearth_domain::Role;
use hearth_domain::config::keys;
use hearth_persistence::DatabaseSettings;
use hearth_providers::ProviderSettings;
use hearth_realtime::RealtimeSettings;
use hearth_tasks::TaskSettings;
use serde_json::{Value, json};
use std::path::PathBuf;

/// `SameSite` attribute of the session cookie.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SameSite {
    /// `SameSite=lax` (the default).
    Lax,
    /// `SameSite=strict`.
    Strict,
    /// `SameSite=none` (requires `Secure`).
    None,
}

/// Security headers added to every response. `None` leaves a header out.
#[derive(Clone, Debug, PartialEq)]
pub struct SecurityHeaders {
    /// `X-Content-Type-Options` (`XCONTENT_TYPE`, default `nosniff`).
    pub content_type_options: Option<String>,
    /// `X-Frame-Options` (`XFRAME_OPTIONS`, default `SAMEORIGIN`).
    pub frame_options: Option<String>,
    /// `Referrer-Policy` (`REFERRER_POLICY`, default `strict-origin-when-cross-origin`).
    pub referrer_policy: Option<String>,
    /// `Strict-Transport-Security` (`HSTS`, off unless set).
    pub hsts: Option<String>,
    /// `Content-Security-Policy` (`CONTENT_SECURITY_POLICY`, off unless set).
    pub content_security_policy: Option<String>,
}

impl Default for SecurityHeaders {
    fn default() -> Self {
        Self {
            content_type_options: Some("nosniff".into()),
            frame_options: Some("SAMEORIGIN".into()),
            referrer_policy: Some("strict-origin-when-cross-origin".into()),
            hsts: None,
            content_security_policy: None,
        }
    }
}

/// Server configuration. Every limit is here, with its default.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Folder for the SQLite database, the secret key file and uploads (`DATA_DIR`, `./data`).
    pub data_dir: PathBuf,
    /// Database URL and pool (`DATABASE_URL`, `DATABASE_POOL_*`).
    pub database: DatabaseSettings,
    /// Token signing secret (`WEBUI_SECRET_KEY`); generated into `DATA_DIR` when `None`.
    pub secret_key: Option<String>,
    /// Listen address (`HOST`, `0.0.0.0`).
    pub host: String,
    /// Listen port (`PORT`, 8080; 0 picks a free port).
    pub port: u16,
    /// HTTP worker threads (`HEARTH_WORKERS`; `None` = one per CPU core).
    pub workers: Option<usize>,
    /// Instance name shown in the UI (`WEBUI_NAME`).
    pub webui_name: String,
    /// Whether authentication is on (`WEBUI_AUTH`, true).
    pub webui_auth: bool,
    /// Default of `ui.enable_signup` (`ENABLE_SIGNUP`, true; false when auth is off).
    pub enable_signup: bool,
    /// Default of `ui.enable_login_form` (`ENABLE_LOGIN_FORM`, true).
    pub enable_login_form: bool,
    /// Allow the first admin to sign up even with the login form off (`ENABLE_INITIAL_ADMIN_SIGNUP`).
    pub enable_initial_admin_signup: bool,
    /// Whether the sign-up page asks for the password twice (`ENABLE_SIGNUP_PASSWORD_CONFIRMATION`).
    pub enable_signup_password_confirmation: bool,
    /// Default of `ui.default_user_role` (`DEFAULT_USER_ROLE`, pending).
    pub default_user_role: Role,
    /// Default of `auth.jwt_expiry` (`JWT_EXPIRES_IN`, `4w`; `-1` never expires).
    pub jwt_expires_in: String,
    /// Default of `auth.enable_api_keys` (`ENABLE_API_KEYS`, false).
    pub enable_api_keys: bool,
    /// Default of `auth.api_key.endpoint_restrictions` (`ENABLE_API_KEYS_ENDPOINT_RESTRICTIONS`).
    pub api_key_endpoint_restrictions: bool,
    /// Default of `auth.api_key.allowed_endpoints` (`API_KEYS_ALLOWED_ENDPOINTS`, comma list).
    pub api_keys_allowed_endpoints: String,
    /// Default of `auth.admin.show` (`SHOW_ADMIN_DETAILS`, true).
    pub show_admin_details: bool,
    /// Header carrying a trusted e-mail from an authenticating proxy (`WEBUI_AUTH_TRUSTED_EMAIL_HEADER`).
    pub trusted_email_header: Option<String>,
    /// Header carrying the trusted display name (`WEBUI_AUTH_TRUSTED_NAME_HEADER`).
    pub trusted_name_header: Option<String>,
    /// Header carrying the trusted role, applied at each sign-in (`WEBUI_AUTH_TRUSTED_ROLE_HEADER`).
    pub trusted_role_header: Option<String>,
    /// Seconds an LDAP connection or operation may take (`LDAP_TIMEOUT`, 10).
    pub ldap_timeout_secs: u64,
    /// Defaults of `ldap.*` settings from `ENABLE_LDAP`, `LDAP_SERVER_HOST`, ... (only those set).
    pub ldap_config: Vec<(String, Value)>,
    /// Defaults of the `oauth.*` settings from the environment (saved admin settings win).
    pub oauth_config: Vec<(String, Value)>,
    /// Identity providers known from the environment and the sign-in limits.
    pub sso: crate::sso::SsoSettings,
    /// Allowed CORS origins (`CORS_ALLOW_ORIGIN`, `;`-separated, `*` by default).
    pub cors_allow_origin: Vec<String>,
    /// Session cookie `SameSite` (`WEBUI_AUTH_COOKIE_SAME_SITE`, lax).
    pub cookie_same_site: SameSite,
    /// Session cookie `Secure` flag (`WEBUI_AUTH_COOKIE_SECURE`, false).
    pub cookie_secure: bool,
    /// Whether config rows in the database override these defaults (`ENABLE_PERSISTENT_CONFIG`, true).
    pub enable_persistent_config: bool,
    /// Seconds between re-reads of the config table, so instances see each other's changes
    /// (`CONFIG_REFRESH_INTERVAL`, 10; 0 turns it off).
    pub config_refresh_interval_secs: u64,
    /// bcrypt cost for new hashes (`PASSWORD_HASH_COST`, 12).
    pub password_hash_cost: u32,
    /// Passwords hashed at once (`PASSWORD_HASH_CONCURRENCY`; default: CPU cores − 1, at least 1).
    pub password_hash_concurrency: usize,
    /// Sign-in attempts allowed per email per window (`SIGNIN_RATE_LIMIT`, 15; 0 = unlimited).
    pub signin_rate_limit: u32,
    /// Window of the sign-in limit in seconds (`SIGNIN_RATE_LIMIT_WINDOW`, 180).
    pub signin_rate_window_secs: u64,
    /// Largest accepted request body in bytes (`MAX_REQUEST_BODY_SIZE`, 32 MiB).
    pub max_body_bytes: usize,
    /// Seconds between `last_active_at` writes per user (`DATABASE_USER_ACTIVE_STATUS_UPDATE_INTERVAL`, 60).
    pub user_active_update_interval_secs: u64,
    /// Largest `data:` profile image in bytes (`PROFILE_IMAGE_MAX_DATA_URI_SIZE`; `None` = no cap).
    pub profile_image_max_data_uri_size: Option<usize>,
    /// Image types accepted in profile images (`PROFILE_IMAGE_ALLOWED_MIME_TYPES`).
    pub profile_image_allowed_mime_types: Vec<String>,
    /// Redirect to external profile image URLs (`ENABLE_PROFILE_IMAGE_URL_FORWARDING`, true).
    pub profile_image_url_forwarding: bool,
    /// Security response headers.
    pub security_headers: SecurityHeaders,
    /// Reported as `deployment_id` by `/api/version` (`DEPLOYMENT_ID`).
    pub deployment_id: String,
    /// Heartbeat interval advertised to the web client (`WEBSOCKET_HEARTBEAT_INTERVAL`, 5–90 s).
    pub websocket_heartbeat_interval: Option<u64>,
    /// Folder of the Open WebUI web build served at `/` (`FRONTEND_BUILD_DIR`, `./frontend`).
    pub frontend_dir: PathBuf,
    /// Admin account created at start-up when there are no users (`WEBUI_ADMIN_EMAIL`).
    pub admin_email: Option<String>,
    /// Its password (`WEBUI_ADMIN_PASSWORD`).
    pub admin_password: Option<String>,
    /// Its name (`WEBUI_ADMIN_NAME`, `Admin`).
    pub admin_name: String,
    /// Model server connections seeded into the config table (the admin changes them later).
    pub connections: ConnectionDefaults,
    /// Limits on talking to model servers.
    pub providers: ProviderSettings,
    /// Everyone may use every model (`BYPASS_MODEL_ACCESS_CONTROL`, false).
    pub bypass_model_access_control: bool,
    /// Admins may use every model (`BYPASS_ADMIN_ACCESS_CONTROL`, true).
    pub bypass_admin_access_control: bool,
    /// Socket.IO and sharing events across instances.
    pub realtime: RealtimeSettings,
    /// Seconds between re-checks of every socket's token (30; 0 turns them off).
    pub socket_revalidate_interval_secs: u64,
    /// Background tasks (shared through Redis with `REDIS_URL`).
    pub tasks: TaskSettings,
    /// Every signed-in user may read `/api/usage`, not only admins
    /// (`ENABLE_PUBLIC_ACTIVE_USERS_COUNT`, true).
    pub public_active_users_count: bool,
}

/// Default model server connections (`openai.*` and `ollama.*` config keys).
#[derive(Clone, Debug, PartialEq)]
pub struct ConnectionDefaults {
    /// `ENABLE_OPENAI_API` (true).
    pub openai_enabled: bool,
    /// `OPENAI_API_BASE_URLS` (`;`-separated; default: `https://api.openai.com/v1` when a key
    /// is given, otherwise none).
    pub openai_base_urls: Vec<String>,
    /// `OPENAI_API_KEYS` (`;`-separated, by position).
    pub openai_keys: Vec<String>,
    /// `OPENAI_API_CONFIGS` (JSON object keyed by position).
    pub openai_configs: Value,
    /// `ENABLE_OLLAMA_API` (true).
    pub ollama_enabled: bool,
    /// `OLLAMA_BASE_URLS` (`;`-separated; default `http://localhost:11434`).
    pub ollama_base_urls: Vec<String>,
    /// `OLLAMA_API_CONFIGS` (JSON object keyed by position).
    pub ollama_configs: Value,
}

impl Default for ConnectionDefaults {
    fn default() -> Self {
        Self {
            openai_enabled: true,
            openai_base_urls: Vec::new(),
            openai_keys: Vec::new(),
            openai_configs: json!({}),
            ollama_enabled: true,
            ollama_base_urls: vec!["http://localhost:11434".into()],
            ollama_configs: json!({}),
        }
    }
}

impl Settings {
    /// Defaults for a server keeping its data in `data_dir` (SQLite file `webui.db` there).
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        let data_dir = data_dir.into();
        let url = format!("sqlite:///{}", data_dir.join("webui.db").display());
        Self {
            database: DatabaseSettings::new(url),
            data_dir,
            secret_key: None,
            host: "0.0.0.0".into(),
            port: 8080,
            workers: None,
            webui_name: "Hearth".into(),
            webui_auth: true,
            enable_signup: true,
            enable_login_form: true,
            enable_initial_admin_signup: false,
            enable_signup_password_confirmation: false,
            default_user_role: Role::Pending,
            jwt_expires_in: "4w".into(),
            enable_api_keys: false,
            api_key_endpoint_restrictions: false,
            api_keys_allowed_endpoints: String::new(),
            show_admin_details: true,
            trusted_email_header: None,
            trusted_name_header: None,
            trusted_role_header: None,
            ldap_timeout_secs: 10,
            ldap_config: Vec::new(),
            oauth_config: Vec::new(),
            sso: crate::sso::SsoSettings::default(),
            cors_allow_origin: vec!["*".into()],
            cookie_same_site: SameSite::Lax,
            cookie_secure: false,
            enable_persistent_config: true,
            config_refresh_interval_secs: 10,
            password_hash_cost: 12,
            password_hash_concurrency: default_hash_concurrency(),
            signin_rate_limit: 15,
            signin_rate_window_secs: 180,
            max_body_bytes: 32 * 1024 * 1024,
            user_active_update_interval_secs: 60,
            profile_image_max_data_uri_size: None,
            profile_image_allowed_mime_types: hearth_domain::validate::DEFAULT_IMAGE_MIME_TYPES
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            profile_image_url_forwarding: true,
            security_headers: SecurityHeaders::default(),
            deployment_id: String::new(),
            websocket_heartbeat_interval: None,
            frontend_dir: PathBuf::from("./frontend"),
            admin_email: None,
            admin_password: None,
            admin_name: "Admin".into(),
            connections: ConnectionDefaults::default(),
            providers: ProviderSettings::default(),
            bypass_model_access_control: false,
            bypass_admin_access_control: true,
            realtime: RealtimeSettings::default(),
            socket_revalidate_interval_secs: 30,
            public_active_users_count: true,
            tasks: TaskSettings::default(),
        }
    }

    /// The config-table defaults these settings set (env gives defaults, stored rows win).
    pub fn config_overrides(&self) -> Vec<(String, Value)> {
        let mut overrides = self.base_overrides();
        overrides.extend(self.ldap_config.iter().cloned());
        overrides.extend(self.oauth_config.iter().cloned());
        overrides
    }

    fn base_overrides(&self) -> Vec<(String, Value)> {
        vec![
            (
                keys::ENABLE_SIGNUP.into(),
                json!(self.webui_auth && self.enable_signup),
            ),
            (
                keys::ENABLE_LOGIN_FORM.into(),
                json!(self.enable_login_form),
            ),
            (
                keys::DEFAULT_USER_ROLE.into(),
                json!(self.default_user_role.as_str()),
            ),
            (keys::JWT_EXPIRY.into(), json!(self.jwt_expires_in)),
            (keys::ENABLE_API_KEYS.into(), json!(self.enable_api_keys)),
            (
                keys::API_KEY_ENDPOINT_RESTRICTIONS.into(),
                json!(self.api_key_endpoint_restrictions),
            ),
            (
                keys::API_KEY_ALLOWED_ENDPOINTS.into(),
                json!(self.api_keys_allowed_endpoints),
            ),
            (keys::ADMIN_SHOW.into(), json!(self.show_admin_details)),
            (
                keys::OPENAI_ENABLE.into(),
                json!(self.connections.openai_enabled),
            ),
            (
                keys::OPENAI_BASE_URLS.into(),
                json!(self.connections.openai_base_urls),
            ),
            (
                keys::OPENAI_KEYS.into(),
                json!(self.connections.openai_keys),
            ),
            (
                keys::OPENAI_CONFIGS.into(),
                self.connections.openai_configs.clone(),
            ),
            (
                keys::OLLAMA_ENABLE.into(),
                json!(self.connections.ollama_enabled),
            ),
            (
                keys::OLLAMA_BASE_URLS.into(),
                json!(self.connections.ollama_base_urls),
            ),
            (
                keys::OLLAMA_CONFIGS.into(),
                self.connections.ollama_configs.clone(),
            ),
        ]
    }
}

fn default_hash_concurrency() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get().saturating_sub(1).max(1))
        .unwrap_or(1)
}
