//! Single sign-on flags: the `oauth.*` settings (policy and the generic OpenID Connect
//! provider; defaults only, saved admin settings win) and the providers and limits known from
//! the environment only (Google, Microsoft, GitHub, token sealing, session counts).

use super::parsers::flag;
use clap::Args;
use hearth_api::Settings;
use hearth_api::sso::{ClientSettings, MicrosoftSettings};
use serde_json::{Value, json};

/// Sign-in policy and the generic OpenID Connect provider.
#[derive(Debug, Args)]
pub struct OAuthArgs {
    /// Offer the configured identity providers.
    #[arg(long, env = "ENABLE_OAUTH", value_name = "ENABLE_OAUTH", value_parser = flag)]
    pub enable_oauth: Option<bool>,
    /// Create accounts for unknown provider subjects.
    #[arg(long, env = "ENABLE_OAUTH_SIGNUP", value_name = "ENABLE_OAUTH_SIGNUP", value_parser = flag)]
    pub enable_oauth_signup: Option<bool>,
    /// Link a provider subject to the existing account with the same email.
    #[arg(long, env = "OAUTH_MERGE_ACCOUNTS_BY_EMAIL", value_name = "OAUTH_MERGE_ACCOUNTS_BY_EMAIL", value_parser = flag)]
    pub oauth_merge_accounts_by_email: Option<bool>,
    /// Send the sign-in page straight to the only provider.
    #[arg(long, env = "OAUTH_AUTO_REDIRECT", value_name = "OAUTH_AUTO_REDIRECT", value_parser = flag)]
    pub oauth_auto_redirect: Option<bool>,
    /// Email domains allowed to sign in, comma-separated (`*`: any).
    #[arg(
        long,
        env = "OAUTH_ALLOWED_DOMAINS",
        value_name = "OAUTH_ALLOWED_DOMAINS"
    )]
    pub oauth_allowed_domains: Option<String>,
    /// Client id at the OpenID Connect provider.
    #[arg(long, env = "OAUTH_CLIENT_ID", value_name = "OAUTH_CLIENT_ID")]
    pub oauth_client_id: Option<String>,
    /// Client secret (may be empty with PKCE).
    #[arg(
        long,
        env = "OAUTH_CLIENT_SECRET",
        value_name = "OAUTH_CLIENT_SECRET",
        hide_env_values = true
    )]
    pub oauth_client_secret: Option<String>,
    /// The provider's discovery URL (`…/.well-known/openid-configuration`).
    #[arg(long, env = "OPENID_PROVIDER_URL", value_name = "OPENID_PROVIDER_URL")]
    pub openid_provider_url: Option<String>,
    /// Callback URL registered at the provider (default: derived from the request).
    #[arg(long, env = "OPENID_REDIRECT_URI", value_name = "OPENID_REDIRECT_URI")]
    pub openid_redirect_uri: Option<String>,
    /// Sign-out URL used instead of the provider's discovered one.
    #[arg(
        long,
        env = "OPENID_END_SESSION_ENDPOINT",
        value_name = "OPENID_END_SESSION_ENDPOINT"
    )]
    pub openid_end_session_endpoint: Option<String>,
    /// Scopes requested, space-separated.
    #[arg(long, env = "OAUTH_SCOPES", value_name = "OAUTH_SCOPES")]
    pub oauth_scopes: Option<String>,
    /// Button label of the provider.
    #[arg(long, env = "OAUTH_PROVIDER_NAME", value_name = "OAUTH_PROVIDER_NAME")]
    pub oauth_provider_name: Option<String>,
    /// `S256` to send a PKCE challenge.
    #[arg(
        long,
        env = "OAUTH_CODE_CHALLENGE_METHOD",
        value_name = "OAUTH_CODE_CHALLENGE_METHOD"
    )]
    pub oauth_code_challenge_method: Option<String>,
    /// `client_secret_post` to send the secret in the token request body.
    #[arg(
        long,
        env = "OAUTH_TOKEN_ENDPOINT_AUTH_METHOD",
        value_name = "OAUTH_TOKEN_ENDPOINT_AUTH_METHOD"
    )]
    pub oauth_token_endpoint_auth_method: Option<String>,
    /// `audience` parameter of the authorization request.
    #[arg(long, env = "OAUTH_AUDIENCE", value_name = "OAUTH_AUDIENCE")]
    pub oauth_audience: Option<String>,
    /// Claim holding the subject (default `sub`; GitHub `id`).
    #[arg(long, env = "OAUTH_SUB_CLAIM", value_name = "OAUTH_SUB_CLAIM")]
    pub oauth_sub_claim: Option<String>,
    /// Claim holding the display name.
    #[arg(
        long,
        env = "OAUTH_USERNAME_CLAIM",
        value_name = "OAUTH_USERNAME_CLAIM"
    )]
    pub oauth_username_claim: Option<String>,
    /// Claim holding the email.
    #[arg(long, env = "OAUTH_EMAIL_CLAIM", value_name = "OAUTH_EMAIL_CLAIM")]
    pub oauth_email_claim: Option<String>,
    /// Set roles from the provider's roles claim.
    #[arg(long, env = "ENABLE_OAUTH_ROLE_MANAGEMENT", value_name = "ENABLE_OAUTH_ROLE_MANAGEMENT", value_parser = flag)]
    pub enable_oauth_role_management: Option<bool>,
    /// Claim holding the roles (dotted path for nested claims).
    #[arg(long, env = "OAUTH_ROLES_CLAIM", value_name = "OAUTH_ROLES_CLAIM")]
    pub oauth_roles_claim: Option<String>,
    /// Provider roles that make a user, comma-separated.
    #[arg(long, env = "OAUTH_ALLOWED_ROLES", value_name = "OAUTH_ALLOWED_ROLES")]
    pub oauth_allowed_roles: Option<String>,
    /// Provider roles that make an admin, comma-separated.
    #[arg(long, env = "OAUTH_ADMIN_ROLES", value_name = "OAUTH_ADMIN_ROLES")]
    pub oauth_admin_roles: Option<String>,
    /// Update the display name from the provider at each sign-in.
    #[arg(long, env = "OAUTH_UPDATE_NAME_ON_LOGIN", value_name = "OAUTH_UPDATE_NAME_ON_LOGIN", value_parser = flag)]
    pub oauth_update_name_on_login: Option<bool>,
}

fn comma_list(text: String) -> Value {
    json!(
        text.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
    )
}

impl OAuthArgs {
    /// Applies the flags that are set to `settings`.
    pub fn apply(self, settings: &mut Settings) {
        let text = |key: &str, value: Option<String>| value.map(|v| (key.to_owned(), json!(v)));
        let switch = |key: &str, value: Option<bool>| value.map(|v| (key.to_owned(), json!(v)));
        let list =
            |key: &str, value: Option<String>| value.map(|v| (key.to_owned(), comma_list(v)));
        let pairs = [
            switch("oauth.enable", self.enable_oauth),
            switch("oauth.enable_signup", self.enable_oauth_signup),
            switch(
                "oauth.merge_accounts_by_email",
                self.oauth_merge_accounts_by_email,
            ),
            switch("oauth.auto_redirect", self.oauth_auto_redirect),
            list("oauth.allowed_domains", self.oauth_allowed_domains),
            text("oauth.client_id", self.oauth_client_id),
            text("oauth.client_secret", self.oauth_client_secret),
            text("oauth.provider_url", self.openid_provider_url),
            text("oauth.redirect_uri", self.openid_redirect_uri),
            text(
                "oauth.end_session_endpoint",
                self.openid_end_session_endpoint,
            ),
            text("oauth.scopes", self.oauth_scopes),
            text("oauth.provider_name", self.oauth_provider_name),
            text(
                "oauth.code_challenge_method",
                self.oauth_code_challenge_method,
            ),
            text(
                "oauth.token_endpoint_auth_method",
                self.oauth_token_endpoint_auth_method,
            ),
            text("oauth.audience", self.oauth_audience),
            text("oauth.sub_claim", self.oauth_sub_claim),
            text("oauth.username_claim", self.oauth_username_claim),
            text("oauth.email_claim", self.oauth_email_claim),
            switch(
                "oauth.enable_role_mapping",
                self.enable_oauth_role_management,
            ),
            text("oauth.roles_claim", self.oauth_roles_claim),
            list("oauth.allowed_roles", self.oauth_allowed_roles),
            list("oauth.admin_roles", self.oauth_admin_roles),
            switch(
                "oauth.update_name_on_login",
                self.oauth_update_name_on_login,
            ),
        ];
        settings.oauth_config = pairs.into_iter().flatten().collect();
    }
}

/// Providers known from the environment, and the limits of provider sign-in.
#[derive(Debug, Args)]
pub struct SsoArgs {
    /// Google client id.
    #[arg(
        long,
        env = "GOOGLE_CLIENT_ID",
        value_name = "GOOGLE_CLIENT_ID",
        default_value = ""
    )]
    pub google_client_id: String,
    /// Google client secret.
    #[arg(
        long,
        env = "GOOGLE_CLIENT_SECRET",
        value_name = "GOOGLE_CLIENT_SECRET",
        default_value = "",
        hide_env_values = true
    )]
    pub google_client_secret: String,
    /// Google scopes.
    #[arg(
        long,
        env = "GOOGLE_OAUTH_SCOPE",
        value_name = "GOOGLE_OAUTH_SCOPE",
        default_value = "openid email profile"
    )]
    pub google_oauth_scope: String,
    /// Google callback URL (default: derived from the request).
    #[arg(
        long,
        env = "GOOGLE_REDIRECT_URI",
        value_name = "GOOGLE_REDIRECT_URI",
        default_value = ""
    )]
    pub google_redirect_uri: String,
    /// Microsoft client id.
    #[arg(
        long,
        env = "MICROSOFT_CLIENT_ID",
        value_name = "MICROSOFT_CLIENT_ID",
        default_value = ""
    )]
    pub microsoft_client_id: String,
    /// Microsoft client secret.
    #[arg(
        long,
        env = "MICROSOFT_CLIENT_SECRET",
        value_name = "MICROSOFT_CLIENT_SECRET",
        default_value = "",
        hide_env_values = true
    )]
    pub microsoft_client_secret: String,
    /// Microsoft tenant id.
    #[arg(
        long,
        env = "MICROSOFT_CLIENT_TENANT_ID",
        value_name = "MICROSOFT_CLIENT_TENANT_ID",
        default_value = ""
    )]
    pub microsoft_client_tenant_id: String,
    /// Microsoft login host.
    #[arg(
        long,
        env = "MICROSOFT_CLIENT_LOGIN_BASE_URL",
        value_name = "MICROSOFT_CLIENT_LOGIN_BASE_URL",
        default_value = "https://login.microsoftonline.com"
    )]
    pub microsoft_client_login_base_url: String,
    /// Microsoft scopes.
    #[arg(
        long,
        env = "MICROSOFT_OAUTH_SCOPE",
        value_name = "MICROSOFT_OAUTH_SCOPE",
        default_value = "openid email profile"
    )]
    pub microsoft_oauth_scope: String,
    /// Microsoft callback URL (default: derived from the request).
    #[arg(
        long,
        env = "MICROSOFT_REDIRECT_URI",
        value_name = "MICROSOFT_REDIRECT_URI",
        default_value = ""
    )]
    pub microsoft_redirect_uri: String,
    /// GitHub client id.
    #[arg(
        long,
        env = "GITHUB_CLIENT_ID",
        value_name = "GITHUB_CLIENT_ID",
        default_value = ""
    )]
    pub github_client_id: String,
    /// GitHub client secret.
    #[arg(
        long,
        env = "GITHUB_CLIENT_SECRET",
        value_name = "GITHUB_CLIENT_SECRET",
        default_value = "",
        hide_env_values = true
    )]
    pub github_client_secret: String,
    /// GitHub scopes.
    #[arg(
        long,
        env = "GITHUB_CLIENT_SCOPE",
        value_name = "GITHUB_CLIENT_SCOPE",
        default_value = "user:email"
    )]
    pub github_client_scope: String,
    /// GitHub callback URL (default: derived from the request).
    #[arg(
        long,
        env = "GITHUB_CLIENT_REDIRECT_URI",
        value_name = "GITHUB_CLIENT_REDIRECT_URI",
        default_value = ""
    )]
    pub github_client_redirect_uri: String,
    /// Seconds a request to a provider may take.
    #[arg(long, env = "OAUTH_TIMEOUT", value_name = "OAUTH_TIMEOUT", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub oauth_timeout: u64,
    /// Seconds a started sign-in stays valid.
    #[arg(long, env = "OAUTH_LOGIN_TIMEOUT", value_name = "OAUTH_LOGIN_TIMEOUT", default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..))]
    pub oauth_login_timeout: u64,
    /// Key sealing stored provider tokens (default: the secret key).
    #[arg(
        long,
        env = "OAUTH_SESSION_TOKEN_ENCRYPTION_KEY",
        value_name = "OAUTH_SESSION_TOKEN_ENCRYPTION_KEY",
        hide_env_values = true
    )]
    pub oauth_session_token_encryption_key: Option<String>,
    /// Provider sessions kept per user and provider.
    #[arg(long, env = "OAUTH_MAX_SESSIONS_PER_USER", value_name = "OAUTH_MAX_SESSIONS_PER_USER", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub oauth_max_sessions_per_user: u64,
    /// Also set the `oauth_id_token` cookie.
    #[arg(long, env = "ENABLE_OAUTH_ID_TOKEN_COOKIE", value_name = "ENABLE_OAUTH_ID_TOKEN_COOKIE", default_value = "true", value_parser = flag)]
    pub enable_oauth_id_token_cookie: bool,
    /// Accept provider accounts without email as `<provider>@<sub>.local`.
    #[arg(long, env = "ENABLE_OAUTH_EMAIL_FALLBACK", value_name = "ENABLE_OAUTH_EMAIL_FALLBACK", default_value = "false", value_parser = flag)]
    pub enable_oauth_email_fallback: bool,
    /// Where the browser goes after signing out (also the provider's post-logout redirect).
    #[arg(
        long,
        env = "WEBUI_AUTH_SIGNOUT_REDIRECT_URL",
        value_name = "WEBUI_AUTH_SIGNOUT_REDIRECT_URL"
    )]
    pub webui_auth_signout_redirect_url: Option<String>,
}

impl SsoArgs {
    /// Applies the flags to `settings`.
    pub fn apply(self, settings: &mut Settings) {
        let sso = &mut settings.sso;
        sso.google = ClientSettings {
            client_id: self.google_client_id,
            client_secret: self.google_client_secret,
            scope: self.google_oauth_scope,
            redirect_uri: self.google_redirect_uri,
        };
        sso.microsoft = MicrosoftSettings {
            client: ClientSettings {
                client_id: self.microsoft_client_id,
                client_secret: self.microsoft_client_secret,
                scope: self.microsoft_oauth_scope,
                redirect_uri: self.microsoft_redirect_uri,
            },
            tenant_id: self.microsoft_client_tenant_id,
            login_base_url: self.microsoft_client_login_base_url,
        };
        sso.github = ClientSettings {
            client_id: self.github_client_id,
            client_secret: self.github_client_secret,
            scope: self.github_client_scope,
            redirect_uri: self.github_client_redirect_uri,
        };
        sso.timeout_secs = self.oauth_timeout;
        sso.login_ttl_secs = self.oauth_login_timeout;
        sso.token_encryption_key = self.oauth_session_token_encryption_key;
        sso.max_sessions_per_user =
            usize::try_from(self.oauth_max_sessions_per_user).unwrap_or(usize::MAX);
        sso.id_token_cookie = self.enable_oauth_id_token_cookie;
        sso.email_fallback = self.enable_oauth_email_fallback;
        sso.signout_redirect_url = self
            .webui_auth_signout_redirect_url
            .filter(|u| !u.is_empty());
    }
}
