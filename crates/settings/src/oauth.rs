//! Sign-in through identity providers: the `oauth.*` settings (policy and the generic OpenID
//! Connect provider; defaults only, saved admin settings win), and the providers and limits
//! known from the environment only (Google, Microsoft, GitHub, token sealing, session counts).

use crate::parse;
use clap::Args;
use clap::builder::TypedValueParser as _;
use serde_json::{Value, json};
use std::time::Duration;

/// Sign-in policy and the generic OpenID Connect provider; unset ones keep the built-in
/// defaults of the config table.
#[derive(Clone, Debug, PartialEq, Args)]
pub struct OAuthSettings {
    /// Offer the configured identity providers.
    #[arg(id = "ENABLE_OAUTH", long = "enable-oauth", env = "ENABLE_OAUTH", value_name = "ENABLE_OAUTH", value_parser = parse::flag)]
    pub enable: Option<bool>,
    /// Create accounts for unknown provider subjects.
    #[arg(id = "ENABLE_OAUTH_SIGNUP", long = "enable-oauth-signup", env = "ENABLE_OAUTH_SIGNUP", value_name = "ENABLE_OAUTH_SIGNUP", value_parser = parse::flag)]
    pub enable_signup: Option<bool>,
    /// Link a provider subject to the existing account with the same email.
    #[arg(id = "OAUTH_MERGE_ACCOUNTS_BY_EMAIL", long = "oauth-merge-accounts-by-email", env = "OAUTH_MERGE_ACCOUNTS_BY_EMAIL", value_name = "OAUTH_MERGE_ACCOUNTS_BY_EMAIL", value_parser = parse::flag)]
    pub merge_accounts_by_email: Option<bool>,
    /// Send the sign-in page straight to the only provider.
    #[arg(id = "OAUTH_AUTO_REDIRECT", long = "oauth-auto-redirect", env = "OAUTH_AUTO_REDIRECT", value_name = "OAUTH_AUTO_REDIRECT", value_parser = parse::flag)]
    pub auto_redirect: Option<bool>,
    /// Email domains allowed to sign in, comma-separated (`*`: any).
    #[arg(id = "OAUTH_ALLOWED_DOMAINS", long = "oauth-allowed-domains", env = "OAUTH_ALLOWED_DOMAINS", value_name = "OAUTH_ALLOWED_DOMAINS", value_parser = parse::comma_list)]
    pub allowed_domains: Option<crate::List>,
    /// Client id at the OpenID Connect provider.
    #[arg(
        id = "OAUTH_CLIENT_ID",
        long = "oauth-client-id",
        env = "OAUTH_CLIENT_ID",
        value_name = "OAUTH_CLIENT_ID"
    )]
    pub client_id: Option<String>,
    /// Client secret (may be empty with PKCE).
    #[arg(
        id = "OAUTH_CLIENT_SECRET",
        long = "oauth-client-secret",
        env = "OAUTH_CLIENT_SECRET",
        value_name = "OAUTH_CLIENT_SECRET",
        hide_env_values = true
    )]
    pub client_secret: Option<String>,
    /// The provider's discovery URL (`…/.well-known/openid-configuration`).
    #[arg(
        id = "OPENID_PROVIDER_URL",
        long = "openid-provider-url",
        env = "OPENID_PROVIDER_URL",
        value_name = "OPENID_PROVIDER_URL"
    )]
    pub provider_url: Option<String>,
    /// Callback URL registered at the provider (default: derived from the request).
    #[arg(
        id = "OPENID_REDIRECT_URI",
        long = "openid-redirect-uri",
        env = "OPENID_REDIRECT_URI",
        value_name = "OPENID_REDIRECT_URI"
    )]
    pub redirect_uri: Option<String>,
    /// Sign-out URL used instead of the provider's discovered one.
    #[arg(
        id = "OPENID_END_SESSION_ENDPOINT",
        long = "openid-end-session-endpoint",
        env = "OPENID_END_SESSION_ENDPOINT",
        value_name = "OPENID_END_SESSION_ENDPOINT"
    )]
    pub end_session_endpoint: Option<String>,
    /// Scopes requested, space-separated (built-in default: openid email profile).
    #[arg(
        id = "OAUTH_SCOPES",
        long = "oauth-scopes",
        env = "OAUTH_SCOPES",
        value_name = "OAUTH_SCOPES"
    )]
    pub scopes: Option<String>,
    /// Button label of the provider (built-in default: SSO).
    #[arg(
        id = "OAUTH_PROVIDER_NAME",
        long = "oauth-provider-name",
        env = "OAUTH_PROVIDER_NAME",
        value_name = "OAUTH_PROVIDER_NAME"
    )]
    pub provider_name: Option<String>,
    /// `S256` to send a PKCE challenge (and allow a client without a secret).
    #[arg(
        id = "OAUTH_CODE_CHALLENGE_METHOD",
        long = "oauth-code-challenge-method",
        env = "OAUTH_CODE_CHALLENGE_METHOD",
        value_name = "OAUTH_CODE_CHALLENGE_METHOD"
    )]
    pub code_challenge_method: Option<String>,
    /// `client_secret_post` to send the secret in the token request body.
    #[arg(
        id = "OAUTH_TOKEN_ENDPOINT_AUTH_METHOD",
        long = "oauth-token-endpoint-auth-method",
        env = "OAUTH_TOKEN_ENDPOINT_AUTH_METHOD",
        value_name = "OAUTH_TOKEN_ENDPOINT_AUTH_METHOD"
    )]
    pub token_endpoint_auth_method: Option<String>,
    /// `audience` parameter of the authorization request.
    #[arg(
        id = "OAUTH_AUDIENCE",
        long = "oauth-audience",
        env = "OAUTH_AUDIENCE",
        value_name = "OAUTH_AUDIENCE"
    )]
    pub audience: Option<String>,
    /// Claim holding the subject (default `sub`; GitHub `id`).
    #[arg(
        id = "OAUTH_SUB_CLAIM",
        long = "oauth-sub-claim",
        env = "OAUTH_SUB_CLAIM",
        value_name = "OAUTH_SUB_CLAIM"
    )]
    pub sub_claim: Option<String>,
    /// Claim holding the display name.
    #[arg(
        id = "OAUTH_USERNAME_CLAIM",
        long = "oauth-username-claim",
        env = "OAUTH_USERNAME_CLAIM",
        value_name = "OAUTH_USERNAME_CLAIM"
    )]
    pub username_claim: Option<String>,
    /// Claim holding the email.
    #[arg(
        id = "OAUTH_EMAIL_CLAIM",
        long = "oauth-email-claim",
        env = "OAUTH_EMAIL_CLAIM",
        value_name = "OAUTH_EMAIL_CLAIM"
    )]
    pub email_claim: Option<String>,
    /// Set roles from the provider's roles claim.
    #[arg(id = "ENABLE_OAUTH_ROLE_MANAGEMENT", long = "enable-oauth-role-management", env = "ENABLE_OAUTH_ROLE_MANAGEMENT", value_name = "ENABLE_OAUTH_ROLE_MANAGEMENT", value_parser = parse::flag)]
    pub enable_role_management: Option<bool>,
    /// Claim holding the roles (dotted path for nested claims).
    #[arg(
        id = "OAUTH_ROLES_CLAIM",
        long = "oauth-roles-claim",
        env = "OAUTH_ROLES_CLAIM",
        value_name = "OAUTH_ROLES_CLAIM"
    )]
    pub roles_claim: Option<String>,
    /// Provider roles that make a user, comma-separated.
    #[arg(id = "OAUTH_ALLOWED_ROLES", long = "oauth-allowed-roles", env = "OAUTH_ALLOWED_ROLES", value_name = "OAUTH_ALLOWED_ROLES", value_parser = parse::comma_list)]
    pub allowed_roles: Option<crate::List>,
    /// Provider roles that make an admin, comma-separated.
    #[arg(id = "OAUTH_ADMIN_ROLES", long = "oauth-admin-roles", env = "OAUTH_ADMIN_ROLES", value_name = "OAUTH_ADMIN_ROLES", value_parser = parse::comma_list)]
    pub admin_roles: Option<crate::List>,
    /// Update the display name from the provider at each sign-in.
    #[arg(id = "OAUTH_UPDATE_NAME_ON_LOGIN", long = "oauth-update-name-on-login", env = "OAUTH_UPDATE_NAME_ON_LOGIN", value_name = "OAUTH_UPDATE_NAME_ON_LOGIN", value_parser = parse::flag)]
    pub update_name_on_login: Option<bool>,
}

impl OAuthSettings {
    /// The `oauth.*` config defaults these settings give (only those set).
    pub fn config_defaults(&self) -> Vec<(String, Value)> {
        let text =
            |key: &'static str, value: &Option<String>| value.as_ref().map(|v| (key, json!(v)));
        let switch = |key: &'static str, value: Option<bool>| value.map(|v| (key, json!(v)));
        let list = |key: &'static str, value: &Option<Vec<String>>| {
            value.as_ref().map(|v| (key, json!(v)))
        };
        let pairs = [
            switch("oauth.enable", self.enable),
            switch("oauth.enable_signup", self.enable_signup),
            switch(
                "oauth.merge_accounts_by_email",
                self.merge_accounts_by_email,
            ),
            switch("oauth.auto_redirect", self.auto_redirect),
            list("oauth.allowed_domains", &self.allowed_domains),
            text("oauth.client_id", &self.client_id),
            text("oauth.client_secret", &self.client_secret),
            text("oauth.provider_url", &self.provider_url),
            text("oauth.redirect_uri", &self.redirect_uri),
            text("oauth.end_session_endpoint", &self.end_session_endpoint),
            text("oauth.scopes", &self.scopes),
            text("oauth.provider_name", &self.provider_name),
            text("oauth.code_challenge_method", &self.code_challenge_method),
            text(
                "oauth.token_endpoint_auth_method",
                &self.token_endpoint_auth_method,
            ),
            text("oauth.audience", &self.audience),
            text("oauth.sub_claim", &self.sub_claim),
            text("oauth.username_claim", &self.username_claim),
            text("oauth.email_claim", &self.email_claim),
            switch("oauth.enable_role_mapping", self.enable_role_management),
            text("oauth.roles_claim", &self.roles_claim),
            list("oauth.allowed_roles", &self.allowed_roles),
            list("oauth.admin_roles", &self.admin_roles),
            switch("oauth.update_name_on_login", self.update_name_on_login),
        ];
        pairs
            .into_iter()
            .flatten()
            .map(|(key, value)| (key.to_owned(), value))
            .collect()
    }
}

macro_rules! provider_client {
    (
        $(#[$doc:meta])* $name:ident, $label:literal,
        $id_flag:literal $id:literal, $secret_flag:literal $secret:literal,
        $scope_flag:literal $scope:literal = $scope_default:literal,
        $redirect_flag:literal $redirect:literal
    ) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Args)]
        pub struct $name {
            #[doc = concat!($label, " client id.")]
            #[arg(id = $id, long = $id_flag, env = $id, value_name = $id, default_value = "")]
            pub client_id: String,
            #[doc = concat!($label, " client secret.")]
            #[arg(id = $secret, long = $secret_flag, env = $secret, value_name = $secret, default_value = "", hide_env_values = true)]
            pub client_secret: String,
            #[doc = concat!($label, " scopes, space-separated.")]
            #[arg(id = $scope, long = $scope_flag, env = $scope, value_name = $scope, default_value = $scope_default)]
            pub scope: String,
            #[doc = concat!($label, " callback URL (default: derived from the request).")]
            #[arg(id = $redirect, long = $redirect_flag, env = $redirect, value_name = $redirect, default_value = "")]
            pub redirect_uri: String,
        }

        impl $name {
            /// The client's settings, as every provider has them.
            pub fn client(&self) -> OAuthClient<'_> {
                OAuthClient {
                    client_id: &self.client_id,
                    client_secret: &self.client_secret,
                    scope: &self.scope,
                    redirect_uri: &self.redirect_uri,
                }
            }
        }
    };
}

/// An OAuth client's settings at one provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OAuthClient<'a> {
    /// Client id.
    pub client_id: &'a str,
    /// Client secret.
    pub client_secret: &'a str,
    /// Scopes, space-separated.
    pub scope: &'a str,
    /// Callback URL registered at the provider (empty: derived from the request).
    pub redirect_uri: &'a str,
}

provider_client!(
    /// Google, enabled when both id and secret are set.
    GoogleSettings, "Google",
    "google-client-id" "GOOGLE_CLIENT_ID", "google-client-secret" "GOOGLE_CLIENT_SECRET",
    "google-oauth-scope" "GOOGLE_OAUTH_SCOPE" = "openid email profile",
    "google-redirect-uri" "GOOGLE_REDIRECT_URI"
);
provider_client!(
    /// Microsoft Entra ID's client, enabled when id, secret and tenant are set.
    MicrosoftClientSettings, "Microsoft",
    "microsoft-client-id" "MICROSOFT_CLIENT_ID", "microsoft-client-secret" "MICROSOFT_CLIENT_SECRET",
    "microsoft-oauth-scope" "MICROSOFT_OAUTH_SCOPE" = "openid email profile",
    "microsoft-redirect-uri" "MICROSOFT_REDIRECT_URI"
);
provider_client!(
    /// GitHub, enabled when both id and secret are set.
    GithubSettings, "GitHub",
    "github-client-id" "GITHUB_CLIENT_ID", "github-client-secret" "GITHUB_CLIENT_SECRET",
    "github-client-scope" "GITHUB_CLIENT_SCOPE" = "user:email",
    "github-client-redirect-uri" "GITHUB_CLIENT_REDIRECT_URI"
);

/// Identity providers known from the environment, and the limits of provider sign-in.
#[derive(Clone, Debug, PartialEq, Args)]
pub struct SsoSettings {
    /// Google.
    #[command(flatten)]
    pub google: GoogleSettings,
    /// Microsoft's client.
    #[command(flatten)]
    pub microsoft: MicrosoftClientSettings,
    /// Microsoft tenant id.
    #[arg(
        id = "MICROSOFT_CLIENT_TENANT_ID",
        long = "microsoft-client-tenant-id",
        env = "MICROSOFT_CLIENT_TENANT_ID",
        value_name = "MICROSOFT_CLIENT_TENANT_ID",
        default_value = ""
    )]
    pub microsoft_tenant_id: String,
    /// Microsoft login host.
    #[arg(
        id = "MICROSOFT_CLIENT_LOGIN_BASE_URL",
        long = "microsoft-client-login-base-url",
        env = "MICROSOFT_CLIENT_LOGIN_BASE_URL",
        value_name = "MICROSOFT_CLIENT_LOGIN_BASE_URL",
        default_value = "https://login.microsoftonline.com"
    )]
    pub microsoft_login_base_url: String,
    /// GitHub.
    #[command(flatten)]
    pub github: GithubSettings,
    /// Seconds a request to a provider may take.
    #[arg(id = "OAUTH_TIMEOUT", long = "oauth-timeout", env = "OAUTH_TIMEOUT", value_name = "OAUTH_TIMEOUT", default_value = "10", value_parser = parse::positive_seconds)]
    pub timeout: Duration,
    /// Seconds a started sign-in stays valid.
    #[arg(id = "OAUTH_LOGIN_TIMEOUT", long = "oauth-login-timeout", env = "OAUTH_LOGIN_TIMEOUT", value_name = "OAUTH_LOGIN_TIMEOUT", default_value = "600", value_parser = parse::positive_seconds)]
    pub login_ttl: Duration,
    /// Key sealing stored provider tokens (default: the secret key).
    #[arg(
        id = "OAUTH_SESSION_TOKEN_ENCRYPTION_KEY",
        long = "oauth-session-token-encryption-key",
        env = "OAUTH_SESSION_TOKEN_ENCRYPTION_KEY",
        value_name = "OAUTH_SESSION_TOKEN_ENCRYPTION_KEY",
        hide_env_values = true
    )]
    pub token_encryption_key: Option<String>,
    /// Provider sessions kept per user and provider.
    #[arg(id = "OAUTH_MAX_SESSIONS_PER_USER", long = "oauth-max-sessions-per-user", env = "OAUTH_MAX_SESSIONS_PER_USER", value_name = "OAUTH_MAX_SESSIONS_PER_USER", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..).try_map(usize::try_from))]
    pub max_sessions_per_user: usize,
    /// Also set the `oauth_id_token` cookie.
    #[arg(id = "ENABLE_OAUTH_ID_TOKEN_COOKIE", long = "enable-oauth-id-token-cookie", env = "ENABLE_OAUTH_ID_TOKEN_COOKIE", value_name = "ENABLE_OAUTH_ID_TOKEN_COOKIE", default_value = "true", value_parser = parse::flag, action = clap::ArgAction::Set)]
    pub id_token_cookie: bool,
    /// Accept provider accounts without email as `<provider>@<sub>.local`.
    #[arg(id = "ENABLE_OAUTH_EMAIL_FALLBACK", long = "enable-oauth-email-fallback", env = "ENABLE_OAUTH_EMAIL_FALLBACK", value_name = "ENABLE_OAUTH_EMAIL_FALLBACK", default_value = "false", value_parser = parse::flag, action = clap::ArgAction::Set)]
    pub email_fallback: bool,
    /// Where the browser goes after signing out (also the provider's post-logout redirect).
    #[arg(
        id = "WEBUI_AUTH_SIGNOUT_REDIRECT_URL",
        long = "webui-auth-signout-redirect-url",
        env = "WEBUI_AUTH_SIGNOUT_REDIRECT_URL",
        value_name = "WEBUI_AUTH_SIGNOUT_REDIRECT_URL"
    )]
    pub signout_redirect_url: Option<String>,
}
