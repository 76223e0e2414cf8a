//! Which identity providers are enabled: the generic OpenID Connect provider from the live
//! `oauth.*` settings, Google, Microsoft and GitHub from the environment.

use hearth_domain::config::ConfigSnapshot;
use hearth_domain::sso::{ProviderConfig, ProviderKind};
use hearth_settings::{OAuthClient, Settings};

/// An enabled provider under its route name.
#[derive(Clone, Debug)]
pub struct NamedProvider {
    /// Route name: `google`, `microsoft`, `github` or `oidc`.
    pub name: &'static str,
    /// Label for `/api/config` (the generic provider's `OAUTH_PROVIDER_NAME`).
    pub label: String,
    /// How to reach it.
    pub config: ProviderConfig,
    /// Configured callback URL, if any.
    pub redirect_uri: Option<String>,
    /// Claim holding the subject by default (`sub`, GitHub's `id`).
    pub sub_claim: &'static str,
}

fn scopes(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_owned).collect()
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

fn oidc_provider(
    name: &'static str,
    label: String,
    client: OAuthClient<'_>,
    discovery_url: String,
) -> NamedProvider {
    let mut config = ProviderConfig::oidc(
        client.client_id,
        non_empty(client.client_secret),
        &discovery_url,
    );
    config.scopes = scopes(client.scope);
    config.pkce = true;
    NamedProvider {
        name,
        label,
        config,
        redirect_uri: non_empty(client.redirect_uri),
        sub_claim: "sub",
    }
}

/// The enabled providers, in Open WebUI's order (none when `oauth.enable` is off).
pub fn providers(snapshot: &ConfigSnapshot, settings: &Settings) -> Vec<NamedProvider> {
    let mut found = Vec::new();
    if !snapshot.flag("oauth.enable") {
        return found;
    }
    let sso = &settings.sso;
    if !sso.google.client_id.is_empty() && !sso.google.client_secret.is_empty() {
        found.push(oidc_provider(
            "google",
            "google".into(),
            sso.google.client(),
            "https://accounts.google.com/.well-known/openid-configuration".into(),
        ));
    }
    let ms = sso.microsoft.client();
    if !ms.client_id.is_empty()
        && !ms.client_secret.is_empty()
        && !sso.microsoft_tenant_id.is_empty()
    {
        let url = format!(
            "{}/{}/v2.0/.well-known/openid-configuration?appid={}",
            sso.microsoft_login_base_url.trim_end_matches('/'),
            sso.microsoft_tenant_id,
            ms.client_id
        );
        found.push(oidc_provider("microsoft", "microsoft".into(), ms, url));
    }
    if !sso.github.client_id.is_empty() && !sso.github.client_secret.is_empty() {
        let mut config = ProviderConfig::github(&sso.github.client_id, &sso.github.client_secret);
        config.scopes = scopes(&sso.github.scope);
        found.push(NamedProvider {
            name: "github",
            label: "github".into(),
            config,
            redirect_uri: non_empty(&sso.github.redirect_uri),
            sub_claim: "id",
        });
    }
    if let Some(generic) = generic_oidc(snapshot) {
        found.push(generic);
    }
    found
}

fn generic_oidc(snapshot: &ConfigSnapshot) -> Option<NamedProvider> {
    let text = |key: &str| snapshot.text(key).unwrap_or_default().trim().to_owned();
    let (client_id, secret, url) = (
        text("oauth.client_id"),
        text("oauth.client_secret"),
        text("oauth.provider_url"),
    );
    let pkce = !text("oauth.code_challenge_method").is_empty();
    if client_id.is_empty() || url.is_empty() || (secret.is_empty() && !pkce) {
        return None;
    }
    let mut config = ProviderConfig::oidc(&client_id, non_empty(&secret), &url);
    config.kind = ProviderKind::Oidc;
    config.scopes = scopes(&text("oauth.scopes"));
    // PKCE always: it costs nothing, providers without it ignore it, and with
    // OAUTH_CODE_CHALLENGE_METHOD it is what lets a client without a secret in.
    config.pkce = true;
    config.secret_in_body = text("oauth.token_endpoint_auth_method") == "client_secret_post";
    config.audience = non_empty(&text("oauth.audience"));
    Some(NamedProvider {
        name: "oidc",
        label: non_empty(&text("oauth.provider_name")).unwrap_or_else(|| "SSO".into()),
        config,
        redirect_uri: non_empty(&text("oauth.redirect_uri")),
        sub_claim: "sub",
    })
}

/// The enabled provider called `name`.
pub fn provider(
    snapshot: &ConfigSnapshot,
    settings: &Settings,
    name: &str,
) -> Option<NamedProvider> {
    providers(snapshot, settings)
        .into_iter()
        .find(|p| p.name == name)
}
