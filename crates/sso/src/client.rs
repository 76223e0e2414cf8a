//! The entry point: one HTTP client (no redirects followed, bounded time), built on first use
//! so servers without single sign-on never hold its TLS roots, and the discovery cache, shared
//! by every provider.

use crate::oidc::DiscoveryCache;
use crate::{ProviderConfig, ProviderKind, SsoError, github, oidc};
use hearth_domain::sso::{PendingLogin, SignedIn};
use std::time::Duration;

/// Talks to identity providers.
pub struct SsoClient {
    http: std::sync::OnceLock<reqwest::Client>,
    timeout: Duration,
    discovery: DiscoveryCache,
}

impl std::fmt::Debug for SsoClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SsoClient")
    }
}

impl SsoClient {
    /// A client whose requests to providers each take at most `timeout`.
    pub fn new(timeout: Duration) -> Result<Self, SsoError> {
        Ok(Self {
            http: std::sync::OnceLock::new(),
            timeout,
            discovery: DiscoveryCache::default(),
        })
    }

    fn http(&self) -> Result<&reqwest::Client, SsoError> {
        if let Some(http) = self.http.get() {
            return Ok(http);
        }
        let built = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(self.timeout)
            .build()
            .map_err(|e| SsoError::Http(e.to_string()))?;
        Ok(self.http.get_or_init(|| built))
    }

    /// Starts a sign-in with `provider` (named `provider_name` in routes and the pending
    /// login): the URL to send the browser to, and what [`SsoClient::finish`] needs back.
    pub async fn begin(
        &self,
        provider: &ProviderConfig,
        provider_name: &str,
        redirect_uri: &str,
    ) -> Result<(String, PendingLogin), SsoError> {
        match provider.kind {
            ProviderKind::Github => github::begin(provider, provider_name, redirect_uri),
            ProviderKind::Oidc => {
                let discovered = self.discovery.get(self.http()?, provider, false).await?;
                oidc::begin(provider, provider_name, &discovered, redirect_uri)
            }
        }
    }

    /// Completes a sign-in: checks `state` against the pending login, exchanges `code`,
    /// verifies the ID token (OIDC) and reads the user's claims. `wanted` names the claims
    /// whose absence from the ID token justifies a call to the user info endpoint.
    pub async fn finish(
        &self,
        provider: &ProviderConfig,
        pending: &PendingLogin,
        code: &str,
        state: &str,
        wanted: &[&str],
    ) -> Result<SignedIn, SsoError> {
        if pending.state.is_empty() || !constant_time_eq(&pending.state, state) {
            return Err(SsoError::StateMismatch);
        }
        match provider.kind {
            ProviderKind::Github => github::finish(self.http()?, provider, pending, code).await,
            ProviderKind::Oidc => {
                oidc::finish(
                    self.http()?,
                    &self.discovery,
                    provider,
                    pending,
                    code,
                    wanted,
                )
                .await
            }
        }
    }

    /// The provider's `end_session_endpoint`, if its discovery document names one.
    pub async fn end_session_endpoint(
        &self,
        provider: &ProviderConfig,
    ) -> Result<Option<String>, SsoError> {
        if provider.kind != ProviderKind::Oidc {
            return Ok(None);
        }
        let discovered = self.discovery.get(self.http()?, provider, false).await?;
        Ok(discovered.field("end_session_endpoint").map(str::to_owned))
    }
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// `GET url` with a bearer token (and extra headers), as JSON; failures are user-info errors.
pub(crate) async fn get_json<T: serde::de::DeserializeOwned>(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    headers: &[(&str, &str)],
) -> Result<T, SsoError> {
    let mut request = http.get(url).bearer_auth(token);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| SsoError::UserInfo(e.to_string()))?
        .json()
        .await
        .map_err(|e| SsoError::UserInfo(e.to_string()))
}
