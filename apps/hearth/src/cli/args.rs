//! The server flags, each also read from its environment variable.

use super::parsers::{Origins, flag, frame_options, hsts, lifetime, origins, role, same_site};
use clap::Args;
use hearth_api::SameSite;
use hearth_domain::Role;
use std::path::PathBuf;

/// Server settings, each from a flag or its environment variable.
#[derive(Debug, Args)]
pub struct ServerArgs {
    /// Folder for the SQLite database, the secret key file and uploads.
    #[arg(
        long,
        env = "DATA_DIR",
        value_name = "DATA_DIR",
        default_value = "./data"
    )]
    pub data_dir: PathBuf,
    /// Database URL: sqlite:///relative.db, sqlite:////absolute.db or postgres(ql)://... (default: DATA_DIR/webui.db).
    #[arg(long, env = "DATABASE_URL", value_name = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// Connections kept in the database pool.
    #[arg(
        long,
        env = "DATABASE_POOL_SIZE",
        value_name = "DATABASE_POOL_SIZE",
        default_value_t = 10
    )]
    pub database_pool_size: u32,
    /// Extra connections allowed under load.
    #[arg(
        long,
        env = "DATABASE_POOL_MAX_OVERFLOW",
        value_name = "DATABASE_POOL_MAX_OVERFLOW",
        default_value_t = 0
    )]
    pub database_pool_max_overflow: u32,
    /// Seconds to wait for a free database connection.
    #[arg(
        long,
        env = "DATABASE_POOL_TIMEOUT",
        value_name = "DATABASE_POOL_TIMEOUT",
        default_value_t = 30
    )]
    pub database_pool_timeout: u64,
    /// Seconds after which a pooled connection is replaced (-1: never).
    #[arg(
        long,
        env = "DATABASE_POOL_RECYCLE",
        value_name = "DATABASE_POOL_RECYCLE",
        default_value_t = 3600,
        allow_negative_numbers = true
    )]
    pub database_pool_recycle: i64,
    /// Bytes of an SQLite database read through memory mapping (0: off).
    #[arg(long, env = "DATABASE_SQLITE_MMAP_SIZE", value_name = "DATABASE_SQLITE_MMAP_SIZE", default_value_t = 256 * 1024 * 1024)]
    pub database_sqlite_mmap_size: u64,
    /// Milliseconds a user's session data may be served from memory; other instances' changes
    /// (role, password, deletion) apply after at most this long (0: always read the database).
    #[arg(
        long,
        env = "SESSION_CACHE_TTL_MS",
        value_name = "SESSION_CACHE_TTL_MS",
        default_value_t = 1000
    )]
    pub session_cache_ttl_ms: u64,
    /// Secret that signs session tokens (default: generated into DATA_DIR/.webui_secret_key).
    #[arg(
        long,
        env = "WEBUI_SECRET_KEY",
        value_name = "WEBUI_SECRET_KEY",
        hide_env_values = true
    )]
    pub webui_secret_key: Option<String>,
    /// Address to listen on.
    #[arg(long, env = "HOST", value_name = "HOST", default_value = "0.0.0.0")]
    pub host: String,
    /// Port to listen on (0: any free port).
    #[arg(long, env = "PORT", value_name = "PORT", default_value_t = 8080)]
    pub port: u16,
    /// HTTP worker threads (default: one per CPU core).
    #[arg(long, env = "HEARTH_WORKERS", value_name = "HEARTH_WORKERS")]
    pub workers: Option<usize>,
    /// Instance name shown in the web client.
    #[arg(
        long,
        env = "WEBUI_NAME",
        value_name = "WEBUI_NAME",
        default_value = "Hearth"
    )]
    pub webui_name: String,
    /// Require sign-in (false: everyone is the built-in admin; only on a fresh install).
    #[arg(long, env = "WEBUI_AUTH", value_name = "WEBUI_AUTH", default_value = "true", value_parser = flag, action = clap::ArgAction::Set)]
    pub webui_auth: bool,
    /// Allow new sign-ups (turned off automatically once the first admin exists).
    #[arg(long, env = "ENABLE_SIGNUP", value_name = "ENABLE_SIGNUP", default_value = "true", value_parser = flag, action = clap::ArgAction::Set)]
    pub enable_signup: bool,
    /// Show the email/password form.
    #[arg(long, env = "ENABLE_LOGIN_FORM", value_name = "ENABLE_LOGIN_FORM", default_value = "true", value_parser = flag, action = clap::ArgAction::Set)]
    pub enable_login_form: bool,
    /// Let the first admin sign up even with the login form off.
    #[arg(long, env = "ENABLE_INITIAL_ADMIN_SIGNUP", value_name = "ENABLE_INITIAL_ADMIN_SIGNUP", default_value = "false", value_parser = flag, action = clap::ArgAction::Set)]
    pub enable_initial_admin_signup: bool,
    /// Ask for the password twice on sign-up.
    #[arg(long, env = "ENABLE_SIGNUP_PASSWORD_CONFIRMATION", value_name = "ENABLE_SIGNUP_PASSWORD_CONFIRMATION", default_value = "false", value_parser = flag, action = clap::ArgAction::Set)]
    pub enable_signup_password_confirmation: bool,
    /// Role of new sign-ups: pending, user or admin.
    #[arg(long, env = "DEFAULT_USER_ROLE", value_name = "DEFAULT_USER_ROLE", default_value = "pending", value_parser = role)]
    pub default_user_role: Role,
    /// Session lifetime: -1 (never), or terms like 4w, 12h, 30m, 90s.
    #[arg(long, env = "JWT_EXPIRES_IN", value_name = "JWT_EXPIRES_IN", default_value = "4w", value_parser = lifetime, allow_hyphen_values = true)]
    pub jwt_expires_in: String,
    /// Allow sk- API keys.
    #[arg(long, env = "ENABLE_API_KEYS", value_name = "ENABLE_API_KEYS", default_value = "false", value_parser = flag, action = clap::ArgAction::Set)]
    pub enable_api_keys: bool,
    /// Limit API keys to API_KEYS_ALLOWED_ENDPOINTS.
    #[arg(long, env = "ENABLE_API_KEYS_ENDPOINT_RESTRICTIONS", value_name = "ENABLE_API_KEYS_ENDPOINT_RESTRICTIONS", default_value = "false", value_parser = flag, action = clap::ArgAction::Set)]
    pub enable_api_keys_endpoint_restrictions: bool,
    /// Comma-separated path prefixes API keys may call.
    #[arg(
        long,
        env = "API_KEYS_ALLOWED_ENDPOINTS",
        value_name = "API_KEYS_ALLOWED_ENDPOINTS",
        default_value = ""
    )]
    pub api_keys_allowed_endpoints: String,
    /// Show the admin's name and email to pending users.
    #[arg(long, env = "SHOW_ADMIN_DETAILS", value_name = "SHOW_ADMIN_DETAILS", default_value = "true", value_parser = flag, action = clap::ArgAction::Set)]
    pub show_admin_details: bool,
    /// Header with the e-mail of a user authenticated by a reverse proxy.
    #[arg(
        long,
        env = "WEBUI_AUTH_TRUSTED_EMAIL_HEADER",
        value_name = "WEBUI_AUTH_TRUSTED_EMAIL_HEADER"
    )]
    pub trusted_email_header: Option<String>,
    /// Header with that user's display name.
    #[arg(
        long,
        env = "WEBUI_AUTH_TRUSTED_NAME_HEADER",
        value_name = "WEBUI_AUTH_TRUSTED_NAME_HEADER"
    )]
    pub trusted_name_header: Option<String>,
    /// Header with that user's role (admin, user or pending); applied at each trusted sign-in.
    #[arg(
        long,
        env = "WEBUI_AUTH_TRUSTED_ROLE_HEADER",
        value_name = "WEBUI_AUTH_TRUSTED_ROLE_HEADER"
    )]
    pub trusted_role_header: Option<String>,
    /// Allowed CORS origins, separated by ';' ('*' allows any).
    #[arg(long, env = "CORS_ALLOW_ORIGIN", value_name = "CORS_ALLOW_ORIGIN", default_value = "*", value_parser = origins)]
    pub cors_allow_origin: Origins,
    /// SameSite of the session cookie: lax, strict or none.
    #[arg(long, env = "WEBUI_AUTH_COOKIE_SAME_SITE", value_name = "WEBUI_AUTH_COOKIE_SAME_SITE", default_value = "lax", value_parser = same_site)]
    pub cookie_same_site: SameSite,
    /// Mark the session cookie Secure (HTTPS only).
    #[arg(long, env = "WEBUI_AUTH_COOKIE_SECURE", value_name = "WEBUI_AUTH_COOKIE_SECURE", default_value = "false", value_parser = flag, action = clap::ArgAction::Set)]
    pub cookie_secure: bool,
    /// Let settings saved in the database override these defaults.
    #[arg(long, env = "ENABLE_PERSISTENT_CONFIG", value_name = "ENABLE_PERSISTENT_CONFIG", default_value = "true", value_parser = flag, action = clap::ArgAction::Set)]
    pub enable_persistent_config: bool,
    /// Seconds between re-reads of saved settings, so instances see each other's changes (0: off).
    #[arg(
        long,
        env = "CONFIG_REFRESH_INTERVAL",
        value_name = "CONFIG_REFRESH_INTERVAL",
        default_value_t = 10
    )]
    pub config_refresh_interval: u64,
    /// bcrypt cost of new password hashes (4-31).
    #[arg(long, env = "PASSWORD_HASH_COST", value_name = "PASSWORD_HASH_COST", default_value_t = 12, value_parser = clap::value_parser!(u32).range(4..=31))]
    pub password_hash_cost: u32,
    /// Password hashes computed at once (default: CPU cores - 1, at least 1).
    #[arg(
        long,
        env = "PASSWORD_HASH_CONCURRENCY",
        value_name = "PASSWORD_HASH_CONCURRENCY"
    )]
    pub password_hash_concurrency: Option<usize>,
    /// Sign-in attempts allowed per email per window (0: unlimited).
    #[arg(
        long,
        env = "SIGNIN_RATE_LIMIT",
        value_name = "SIGNIN_RATE_LIMIT",
        default_value_t = 15
    )]
    pub signin_rate_limit: u32,
    /// Length of the sign-in rate window in seconds.
    #[arg(
        long,
        env = "SIGNIN_RATE_LIMIT_WINDOW",
        value_name = "SIGNIN_RATE_LIMIT_WINDOW",
        default_value_t = 180
    )]
    pub signin_rate_limit_window: u64,
    /// Largest accepted request body in bytes.
    #[arg(long, env = "MAX_REQUEST_BODY_SIZE", value_name = "MAX_REQUEST_BODY_SIZE", default_value_t = 32 * 1024 * 1024)]
    pub max_request_body_size: usize,
    /// Seconds between last-active writes per user.
    #[arg(
        long,
        env = "DATABASE_USER_ACTIVE_STATUS_UPDATE_INTERVAL",
        value_name = "DATABASE_USER_ACTIVE_STATUS_UPDATE_INTERVAL",
        default_value_t = 60
    )]
    pub user_active_update_interval: u64,
    /// Largest data: profile image in bytes (default: no cap).
    #[arg(
        long,
        env = "PROFILE_IMAGE_MAX_DATA_URI_SIZE",
        value_name = "PROFILE_IMAGE_MAX_DATA_URI_SIZE"
    )]
    pub profile_image_max_data_uri_size: Option<usize>,
    /// Image types accepted as data: profile images, comma-separated.
    #[arg(
        long,
        env = "PROFILE_IMAGE_ALLOWED_MIME_TYPES",
        value_name = "PROFILE_IMAGE_ALLOWED_MIME_TYPES",
        default_value = "image/png,image/jpeg,image/gif,image/webp"
    )]
    pub profile_image_allowed_mime_types: String,
    /// Redirect to external profile image URLs instead of serving the default avatar.
    #[arg(long, env = "ENABLE_PROFILE_IMAGE_URL_FORWARDING", value_name = "ENABLE_PROFILE_IMAGE_URL_FORWARDING", default_value = "true", value_parser = flag, action = clap::ArgAction::Set)]
    pub profile_image_url_forwarding: bool,
    /// X-Content-Type-Options header ('' to omit).
    #[arg(
        long,
        env = "XCONTENT_TYPE",
        value_name = "XCONTENT_TYPE",
        default_value = "nosniff"
    )]
    pub xcontent_type: String,
    /// X-Frame-Options header: DENY or SAMEORIGIN ('' to omit).
    #[arg(long, env = "XFRAME_OPTIONS", value_name = "XFRAME_OPTIONS", default_value = "SAMEORIGIN", value_parser = frame_options)]
    pub xframe_options: String,
    /// Referrer-Policy header ('' to omit).
    #[arg(
        long,
        env = "REFERRER_POLICY",
        value_name = "REFERRER_POLICY",
        default_value = "strict-origin-when-cross-origin"
    )]
    pub referrer_policy: String,
    /// Strict-Transport-Security header, e.g. max-age=31536000;includeSubDomains (off by default).
    #[arg(long, env = "HSTS", value_name = "HSTS", value_parser = hsts)]
    pub hsts: Option<String>,
    /// Content-Security-Policy header (off by default).
    #[arg(
        long,
        env = "CONTENT_SECURITY_POLICY",
        value_name = "CONTENT_SECURITY_POLICY"
    )]
    pub content_security_policy: Option<String>,
    /// Reported by /api/version; changing it makes open web clients reload.
    #[arg(
        long,
        env = "DEPLOYMENT_ID",
        value_name = "DEPLOYMENT_ID",
        default_value = ""
    )]
    pub deployment_id: String,
    /// Heartbeat interval in seconds advertised to web clients (5-90).
    #[arg(long, env = "WEBSOCKET_HEARTBEAT_INTERVAL", value_name = "WEBSOCKET_HEARTBEAT_INTERVAL", value_parser = clap::value_parser!(u64).range(5..=90))]
    pub websocket_heartbeat_interval: Option<u64>,
    /// Folder of the Open WebUI web build served at / (see scripts/fetch-frontend).
    #[arg(
        long,
        env = "FRONTEND_BUILD_DIR",
        value_name = "FRONTEND_BUILD_DIR",
        default_value = "./frontend"
    )]
    pub frontend_build_dir: PathBuf,
    /// Create this admin at start-up when there are no users.
    #[arg(long, env = "WEBUI_ADMIN_EMAIL", value_name = "WEBUI_ADMIN_EMAIL")]
    pub admin_email: Option<String>,
    /// Password of that admin.
    #[arg(
        long,
        env = "WEBUI_ADMIN_PASSWORD",
        value_name = "WEBUI_ADMIN_PASSWORD",
        hide_env_values = true
    )]
    pub admin_password: Option<String>,
    /// Name of that admin.
    #[arg(
        long,
        env = "WEBUI_ADMIN_NAME",
        value_name = "WEBUI_ADMIN_NAME",
        default_value = "Admin"
    )]
    pub admin_name: String,
}
