//! Command line and environment: every setting is a flag that also reads the environment
//! variable Open WebUI uses for it (`hearth --help` lists them with their defaults).

use clap::{Args, Parser, Subcommand};
use hearth_api::{SameSite, SecurityHeaders, Settings};
use hearth_domain::Role;
use hearth_persistence::DatabaseSettings;
use std::path::PathBuf;
use std::time::Duration;

/// Hearth: a self-hosted AI chat server compatible with the Open WebUI web client.
#[derive(Debug, Parser)]
#[command(name = "hearth", version, about)]
pub struct Cli {
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Server settings.
    #[command(flatten)]
    pub server: ServerArgs,
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

/// CORS origins, `;`-separated.
#[derive(Debug, Clone)]
pub struct Origins(pub Vec<String>);

impl ServerArgs {
    /// Database settings from the URL (or the default SQLite file) and pool flags.
    pub fn database(&self) -> DatabaseSettings {
        let url = self
            .database_url
            .clone()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| format!("sqlite:///{}", self.data_dir.join("webui.db").display()));
        let mut database = DatabaseSettings::new(url);
        database.pool_size = self.database_pool_size;
        database.max_overflow = self.database_pool_max_overflow;
        database.pool_timeout = Duration::from_secs(self.database_pool_timeout);
        database.pool_recycle = u64::try_from(self.database_pool_recycle)
            .ok()
            .map(Duration::from_secs);
        database
    }

    /// The server settings.
    pub fn into_settings(self) -> Settings {
        let mut settings = Settings::new(self.data_dir.clone());
        settings.database = self.database();
        let optional = |value: String| Some(value).filter(|v| !v.is_empty());
        settings.secret_key = self.webui_secret_key;
        settings.host = self.host;
        settings.port = self.port;
        settings.workers = self.workers;
        settings.webui_name = self.webui_name;
        settings.webui_auth = self.webui_auth;
        settings.enable_signup = self.enable_signup;
        settings.enable_login_form = self.enable_login_form;
        settings.enable_initial_admin_signup = self.enable_initial_admin_signup;
        settings.enable_signup_password_confirmation = self.enable_signup_password_confirmation;
        settings.default_user_role = self.default_user_role;
        settings.jwt_expires_in = self.jwt_expires_in;
        settings.enable_api_keys = self.enable_api_keys;
        settings.api_key_endpoint_restrictions = self.enable_api_keys_endpoint_restrictions;
        settings.api_keys_allowed_endpoints = self.api_keys_allowed_endpoints;
        settings.show_admin_details = self.show_admin_details;
        settings.trusted_email_header = self.trusted_email_header.and_then(optional);
        settings.trusted_name_header = self.trusted_name_header.and_then(optional);
        settings.cors_allow_origin = self.cors_allow_origin.0;
        settings.cookie_same_site = self.cookie_same_site;
        settings.cookie_secure = self.cookie_secure;
        settings.enable_persistent_config = self.enable_persistent_config;
        settings.config_refresh_interval_secs = self.config_refresh_interval;
        settings.password_hash_cost = self.password_hash_cost;
        if let Some(concurrency) = self.password_hash_concurrency {
            settings.password_hash_concurrency = concurrency.max(1);
        }
        settings.signin_rate_limit = self.signin_rate_limit;
        settings.signin_rate_window_secs = self.signin_rate_limit_window;
        settings.max_body_bytes = self.max_request_body_size;
        settings.user_active_update_interval_secs = self.user_active_update_interval;
        settings.profile_image_max_data_uri_size = self.profile_image_max_data_uri_size;
        settings.profile_image_allowed_mime_types = self
            .profile_image_allowed_mime_types
            .split(',')
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect();
        settings.profile_image_url_forwarding = self.profile_image_url_forwarding;
        settings.security_headers = SecurityHeaders {
            content_type_options: optional(self.xcontent_type),
            frame_options: optional(self.xframe_options),
            referrer_policy: optional(self.referrer_policy),
            hsts: self.hsts.and_then(optional),
            content_security_policy: self.content_security_policy.and_then(optional),
        };
        settings.deployment_id = self.deployment_id;
        settings.websocket_heartbeat_interval = self.websocket_heartbeat_interval;
        settings.frontend_dir = self.frontend_build_dir;
        settings.admin_email = self.admin_email.and_then(optional);
        settings.admin_password = self.admin_password.and_then(optional);
        settings.admin_name = self.admin_name;
        settings
    }
}

/// Booleans as Open WebUI writes them, plus the usual spellings; anything else is an error.
fn flag(value: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" | "" => Ok(false),
        _ => Err("expected true or false".into()),
    }
}

fn role(value: &str) -> Result<Role, String> {
    value
        .parse()
        .map_err(|e: hearth_domain::role::UnknownRole| e.to_string())
}

fn lifetime(value: &str) -> Result<String, String> {
    hearth_auth::expiry::parse_lifetime(value)
        .map(|_| value.to_owned())
        .map_err(|e| e.to_string())
}

fn origins(value: &str) -> Result<Origins, String> {
    let origins: Vec<String> = value
        .split(';')
        .map(|o| o.trim().to_owned())
        .filter(|o| !o.is_empty())
        .collect();
    for origin in origins.iter().filter(|o| *o != "*") {
        let rest = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
            .ok_or_else(|| format!("origin {origin:?} must start with http:// or https://"))?;
        if rest.is_empty() || rest.contains('/') {
            return Err(format!(
                "origin {origin:?} must be scheme://host[:port] without a path"
            ));
        }
    }
    Ok(Origins(if origins.is_empty() {
        vec!["*".into()]
    } else {
        origins
    }))
}

fn same_site(value: &str) -> Result<SameSite, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "lax" => Ok(SameSite::Lax),
        "strict" => Ok(SameSite::Strict),
        "none" => Ok(SameSite::None),
        _ => Err("expected lax, strict or none".into()),
    }
}

fn frame_options(value: &str) -> Result<String, String> {
    match value.trim().to_ascii_uppercase().as_str() {
        "" => Ok(String::new()),
        upper @ ("DENY" | "SAMEORIGIN") => Ok(upper.to_owned()),
        _ => Err("expected DENY or SAMEORIGIN".into()),
    }
}

fn hsts(value: &str) -> Result<String, String> {
    let lower = value.trim().to_ascii_lowercase();
    let mut parts = lower.split(';').map(str::trim);
    let max_age_ok = parts
        .next()
        .and_then(|p| p.strip_prefix("max-age="))
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    let rest_ok = parts.all(|p| p == "includesubdomains" || p == "preload");
    if max_age_ok && rest_ok {
        Ok(value.trim().to_owned())
    } else {
        Err("expected max-age=<seconds>[;includeSubDomains][;preload]".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_values_strictly() {
        assert_eq!(flag("True"), Ok(true));
        assert_eq!(flag("0"), Ok(false));
        assert!(flag("maybe").is_err());
        assert!(origins("http://a.com;https://b.org:8443").is_ok());
        assert!(origins("ftp://x").is_err());
        assert!(hsts("max-age=31536000;includeSubDomains").is_ok());
        assert!(hsts("forever").is_err());
        assert!(frame_options("allow").is_err());
        assert!(lifetime("4w").is_ok() && lifetime("-1").is_ok() && lifetime("soon").is_err());
    }
}
