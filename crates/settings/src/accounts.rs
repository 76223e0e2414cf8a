//! Accounts and sign-in: who may sign up, how sessions and keys work, trusted proxies,
//! password hashing, rate limits and profile images.

use crate::parse;
use clap::Args;
use hearth_domain::Role;
use std::time::Duration;

/// Accounts, sessions and sign-in.
#[derive(Clone, Debug, PartialEq, Args)]
pub struct AccountSettings {
    /// Require sign-in (false: everyone is the built-in admin; only on a fresh install).
    #[arg(id = "WEBUI_AUTH", long = "webui-auth", env = "WEBUI_AUTH", value_name = "WEBUI_AUTH", default_value = "true", value_parser = parse::flag, action = clap::ArgAction::Set)]
    pub webui_auth: bool,
    /// Allow new sign-ups (default of `ui.enable_signup`; turned off once the first admin exists).
    #[arg(id = "ENABLE_SIGNUP", long = "enable-signup", env = "ENABLE_SIGNUP", value_name = "ENABLE_SIGNUP", default_value = "true", value_parser = parse::flag, action = clap::ArgAction::Set)]
    pub enable_signup: bool,
    /// Show the email/password form (default of `ui.enable_login_form`).
    #[arg(id = "ENABLE_LOGIN_FORM", long = "enable-login-form", env = "ENABLE_LOGIN_FORM", value_name = "ENABLE_LOGIN_FORM", default_value = "true", value_parser = parse::flag, action = clap::ArgAction::Set)]
    pub enable_login_form: bool,
    /// Let the first admin sign up even with the login form off.
    #[arg(id = "ENABLE_INITIAL_ADMIN_SIGNUP", long = "enable-initial-admin-signup", env = "ENABLE_INITIAL_ADMIN_SIGNUP", value_name = "ENABLE_INITIAL_ADMIN_SIGNUP", default_value = "false", value_parser = parse::flag, action = clap::ArgAction::Set)]
    pub enable_initial_admin_signup: bool,
    /// Ask for the password twice on sign-up.
    #[arg(id = "ENABLE_SIGNUP_PASSWORD_CONFIRMATION", long = "enable-signup-password-confirmation", env = "ENABLE_SIGNUP_PASSWORD_CONFIRMATION", value_name = "ENABLE_SIGNUP_PASSWORD_CONFIRMATION", default_value = "false", value_parser = parse::flag, action = clap::ArgAction::Set)]
    pub enable_signup_password_confirmation: bool,
    /// Role of new sign-ups after the first: pending, user or admin (default of
    /// `ui.default_user_role`).
    #[arg(id = "DEFAULT_USER_ROLE", long = "default-user-role", env = "DEFAULT_USER_ROLE", value_name = "DEFAULT_USER_ROLE", default_value = "pending", value_parser = parse::role)]
    pub default_user_role: Role,
    /// Session lifetime: -1 (never), or terms like 4w, 12h, 30m, 90s (default of
    /// `auth.jwt_expiry`).
    #[arg(id = "JWT_EXPIRES_IN", long = "jwt-expires-in", env = "JWT_EXPIRES_IN", value_name = "JWT_EXPIRES_IN", default_value = "4w", value_parser = parse::lifetime, allow_hyphen_values = true)]
    pub jwt_expires_in: String,
    /// Allow sk- API keys (default of `auth.enable_api_keys`).
    #[arg(id = "ENABLE_API_KEYS", long = "enable-api-keys", env = "ENABLE_API_KEYS", value_name = "ENABLE_API_KEYS", default_value = "false", value_parser = parse::flag, action = clap::ArgAction::Set)]
    pub enable_api_keys: bool,
    /// Limit API keys to API_KEYS_ALLOWED_ENDPOINTS.
    #[arg(id = "ENABLE_API_KEYS_ENDPOINT_RESTRICTIONS", long = "enable-api-keys-endpoint-restrictions", env = "ENABLE_API_KEYS_ENDPOINT_RESTRICTIONS", value_name = "ENABLE_API_KEYS_ENDPOINT_RESTRICTIONS", default_value = "false", value_parser = parse::flag, action = clap::ArgAction::Set)]
    pub api_key_endpoint_restrictions: bool,
    /// Comma-separated path prefixes API keys may call.
    #[arg(
        id = "API_KEYS_ALLOWED_ENDPOINTS",
        long = "api-keys-allowed-endpoints",
        env = "API_KEYS_ALLOWED_ENDPOINTS",
        value_name = "API_KEYS_ALLOWED_ENDPOINTS",
        default_value = ""
    )]
    pub api_keys_allowed_endpoints: String,
    /// Show the admin's name and email to pending users.
    #[arg(id = "SHOW_ADMIN_DETAILS", long = "show-admin-details", env = "SHOW_ADMIN_DETAILS", value_name = "SHOW_ADMIN_DETAILS", default_value = "true", value_parser = parse::flag, action = clap::ArgAction::Set)]
    pub show_admin_details: bool,
    /// Header with the e-mail of a user authenticated by a reverse proxy.
    #[arg(
        id = "WEBUI_AUTH_TRUSTED_EMAIL_HEADER",
        long = "trusted-email-header",
        env = "WEBUI_AUTH_TRUSTED_EMAIL_HEADER",
        value_name = "WEBUI_AUTH_TRUSTED_EMAIL_HEADER"
    )]
    pub trusted_email_header: Option<String>,
    /// Header with that user's display name.
    #[arg(
        id = "WEBUI_AUTH_TRUSTED_NAME_HEADER",
        long = "trusted-name-header",
        env = "WEBUI_AUTH_TRUSTED_NAME_HEADER",
        value_name = "WEBUI_AUTH_TRUSTED_NAME_HEADER"
    )]
    pub trusted_name_header: Option<String>,
    /// Header with that user's role (admin, user or pending); applied at each trusted sign-in.
    #[arg(
        id = "WEBUI_AUTH_TRUSTED_ROLE_HEADER",
        long = "trusted-role-header",
        env = "WEBUI_AUTH_TRUSTED_ROLE_HEADER",
        value_name = "WEBUI_AUTH_TRUSTED_ROLE_HEADER"
    )]
    pub trusted_role_header: Option<String>,
    /// bcrypt cost of new password hashes (4-31).
    #[arg(id = "PASSWORD_HASH_COST", long = "password-hash-cost", env = "PASSWORD_HASH_COST", value_name = "PASSWORD_HASH_COST", default_value_t = 12, value_parser = clap::value_parser!(u32).range(4..=31))]
    pub password_hash_cost: u32,
    /// Password hashes computed at once, off the request workers (default: CPU cores - 1, at
    /// least 1).
    #[arg(
        id = "PASSWORD_HASH_CONCURRENCY",
        long = "password-hash-concurrency",
        env = "PASSWORD_HASH_CONCURRENCY",
        value_name = "PASSWORD_HASH_CONCURRENCY"
    )]
    pub password_hash_concurrency: Option<usize>,
    /// Sign-in attempts allowed per email per window (0: unlimited; 429 after).
    #[arg(
        id = "SIGNIN_RATE_LIMIT",
        long = "signin-rate-limit",
        env = "SIGNIN_RATE_LIMIT",
        value_name = "SIGNIN_RATE_LIMIT",
        default_value_t = 15
    )]
    pub signin_rate_limit: u32,
    /// Length of the sign-in rate window in seconds.
    #[arg(id = "SIGNIN_RATE_LIMIT_WINDOW", long = "signin-rate-limit-window", env = "SIGNIN_RATE_LIMIT_WINDOW", value_name = "SIGNIN_RATE_LIMIT_WINDOW", default_value = "180", value_parser = parse::seconds)]
    pub signin_rate_window: Duration,
    /// Seconds between last-active writes per user.
    #[arg(id = "DATABASE_USER_ACTIVE_STATUS_UPDATE_INTERVAL", long = "user-active-update-interval", env = "DATABASE_USER_ACTIVE_STATUS_UPDATE_INTERVAL", value_name = "DATABASE_USER_ACTIVE_STATUS_UPDATE_INTERVAL", default_value = "60", value_parser = parse::seconds)]
    pub user_active_update_interval: Duration,
    /// Largest data: profile image in bytes (default: no cap).
    #[arg(
        id = "PROFILE_IMAGE_MAX_DATA_URI_SIZE",
        long = "profile-image-max-data-uri-size",
        env = "PROFILE_IMAGE_MAX_DATA_URI_SIZE",
        value_name = "PROFILE_IMAGE_MAX_DATA_URI_SIZE"
    )]
    pub profile_image_max_data_uri_size: Option<usize>,
    /// Image types accepted as data: profile images, comma-separated.
    #[arg(id = "PROFILE_IMAGE_ALLOWED_MIME_TYPES", long = "profile-image-allowed-mime-types", env = "PROFILE_IMAGE_ALLOWED_MIME_TYPES", value_name = "PROFILE_IMAGE_ALLOWED_MIME_TYPES", default_value = "image/png,image/jpeg,image/gif,image/webp", value_parser = parse::comma_list)]
    pub profile_image_allowed_mime_types: crate::List,
    /// Redirect to external profile image URLs instead of serving the default avatar.
    #[arg(id = "ENABLE_PROFILE_IMAGE_URL_FORWARDING", long = "profile-image-url-forwarding", env = "ENABLE_PROFILE_IMAGE_URL_FORWARDING", value_name = "ENABLE_PROFILE_IMAGE_URL_FORWARDING", default_value = "true", value_parser = parse::flag, action = clap::ArgAction::Set)]
    pub profile_image_url_forwarding: bool,
    /// Create this admin at start-up when there are no users.
    #[arg(
        id = "WEBUI_ADMIN_EMAIL",
        long = "admin-email",
        env = "WEBUI_ADMIN_EMAIL",
        value_name = "WEBUI_ADMIN_EMAIL"
    )]
    pub admin_email: Option<String>,
    /// Password of that admin.
    #[arg(
        id = "WEBUI_ADMIN_PASSWORD",
        long = "admin-password",
        env = "WEBUI_ADMIN_PASSWORD",
        value_name = "WEBUI_ADMIN_PASSWORD",
        hide_env_values = true
    )]
    pub admin_password: Option<String>,
    /// Name of that admin.
    #[arg(
        id = "WEBUI_ADMIN_NAME",
        long = "admin-name",
        env = "WEBUI_ADMIN_NAME",
        value_name = "WEBUI_ADMIN_NAME",
        default_value = "Admin"
    )]
    pub admin_name: String,
}

impl AccountSettings {
    /// Passwords hashed at once: the setting, or CPU cores − 1 (at least 1).
    pub fn hash_concurrency(&self) -> usize {
        self.password_hash_concurrency
            .unwrap_or_else(|| {
                std::thread::available_parallelism()
                    .map(|n| n.get().saturating_sub(1))
                    .unwrap_or(1)
            })
            .max(1)
    }
}
