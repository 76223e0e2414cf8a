//! Which identity providers exist and how each is reached.

use serde::{Deserialize, Serialize};

/// The protocol family of a provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProviderKind {
    /// OpenID Connect, found through its discovery document.
    Oidc,
    /// GitHub: OAuth 2.0 plus its user and emails API (no ID token).
    Github,
}

/// GitHub's endpoints (overridable for GitHub Enterprise).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GithubEndpoints {
    /// Authorization page.
    pub authorize_url: String,
    /// Code exchange.
    pub token_url: String,
    /// API base (`/user`, `/user/emails`).
    pub api_base_url: String,
}

impl Default for GithubEndpoints {
    fn default() -> Self {
        Self {
            authorize_url: "https://github.com/login/oauth/authorize".into(),
            token_url: "https://github.com/login/oauth/access_token".into(),
            api_base_url: "https://api.github.com".into(),
        }
    }
}

/// One configured provider.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderConfig {
    /// Protocol family.
    pub kind: ProviderKind,
    /// OAuth client id.
    pub client_id: String,
    /// OAuth client secret (absent for public clients using PKCE).
    pub client_secret: Option<String>,
    /// OIDC discovery URL (`…/.well-known/openid-configuration`) or the issuer URL itself.
    pub discovery_url: String,
    /// GitHub's endpoints (used when `kind` is [`ProviderKind::Github`]).
    pub github: GithubEndpoints,
    /// Scopes requested.
    pub scopes: Vec<String>,
    /// Send a PKCE challenge (`S256`).
    pub pkce: bool,
    /// Send the client credentials in the token request body (`client_secret_post`) instead
    /// of HTTP basic authentication.
    pub secret_in_body: bool,
    /// Extra `audience` parameter of the authorization request (Auth0 and similar).
    pub audience: Option<String>,
}

impl ProviderConfig {
    /// A generic OpenID Connect provider with default scopes, no PKCE and basic client auth.
    pub fn oidc(client_id: &str, client_secret: Option<String>, discovery_url: &str) -> Self {
        Self {
            kind: ProviderKind::Oidc,
            client_id: client_id.to_owned(),
            client_secret,
            discovery_url: discovery_url.to_owned(),
            github: GithubEndpoints::default(),
            scopes: vec!["openid".into(), "email".into(), "profile".into()],
            pkce: false,
            secret_in_body: false,
            audience: None,
        }
    }

    /// GitHub with the given credentials and the `user:email` scope.
    pub fn github(client_id: &str, client_secret: &str) -> Self {
        Self {
            kind: ProviderKind::Github,
            client_id: client_id.to_owned(),
            client_secret: Some(client_secret.to_owned()),
            discovery_url: String::new(),
            github: GithubEndpoints::default(),
            scopes: vec!["user:email".into()],
            pkce: false,
            secret_in_body: false,
            audience: None,
        }
    }

    /// Where the discovery document is: the configured URL when it names a well-known
    /// document, otherwise the issuer URL with `/.well-known/openid-configuration` appended.
    pub fn discovery_document_url(&self) -> String {
        let url = self.discovery_url.trim();
        if url.contains("/.well-known/") {
            url.to_owned()
        } else {
            format!(
                "{}/.well-known/openid-configuration",
                url.trim_end_matches('/')
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovery_url_is_used_as_given_or_derived_from_the_issuer() {
        let url = "https://login.example.com/t/v2.0/.well-known/openid-configuration?appid=x";
        let p = ProviderConfig::oidc("c", None, url);
        assert_eq!(p.discovery_document_url(), url);
        let p = ProviderConfig::oidc("c", None, "https://id.example.com/");
        assert_eq!(
            p.discovery_document_url(),
            "https://id.example.com/.well-known/openid-configuration"
        );
    }
}
