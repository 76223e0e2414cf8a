//! [`Sso`]: the domain's [`IdentityProviders`] port — the provider client, and the keys that
//! seal the pending login kept by the browser and the provider tokens kept in storage.

use crate::{Sealer, SsoClient};
use async_trait::async_trait;
use hearth_domain::sso::{
    IdentityProviders, PendingLogin, ProviderConfig, SignedIn, SsoError, TokenSet,
};
use std::time::Duration;

/// Sign-in through identity providers.
#[derive(Debug)]
pub struct Sso {
    client: SsoClient,
    login_sealer: Sealer,
    token_sealer: Sealer,
    login_ttl: Duration,
}

impl Sso {
    /// Builds the service: `secret` is the server's secret key (it seals pending logins),
    /// `token_key` seals stored tokens (Open WebUI's `OAUTH_SESSION_TOKEN_ENCRYPTION_KEY`,
    /// the secret key when unset), `timeout` bounds each request to a provider and
    /// `login_ttl` how long a started sign-in stays valid.
    pub fn new(
        secret: &str,
        token_key: Option<&str>,
        timeout: Duration,
        login_ttl: Duration,
    ) -> Result<Self, SsoError> {
        let token_key = token_key.filter(|k| !k.is_empty()).unwrap_or(secret);
        Ok(Self {
            client: SsoClient::new(timeout.max(Duration::from_secs(1)))?,
            login_sealer: Sealer::for_purpose(secret, "hearth oauth login")?,
            token_sealer: Sealer::new(token_key)?,
            login_ttl,
        })
    }
}

#[async_trait]
impl IdentityProviders for Sso {
    async fn begin(
        &self,
        provider: &ProviderConfig,
        name: &str,
        redirect_uri: &str,
    ) -> Result<(String, String), SsoError> {
        let (url, pending) = self.client.begin(provider, name, redirect_uri).await?;
        let plain = serde_json::to_vec(&pending).map_err(|e| SsoError::Config(e.to_string()))?;
        Ok((url, self.login_sealer.seal(&plain)))
    }

    fn open_pending(&self, sealed: &str, name: &str) -> Option<PendingLogin> {
        let plain = self
            .login_sealer
            .open_fresh(sealed, self.login_ttl.as_secs())
            .ok()?;
        serde_json::from_slice::<PendingLogin>(&plain)
            .ok()
            .filter(|p| p.provider == name)
    }

    async fn finish(
        &self,
        provider: &ProviderConfig,
        pending: &PendingLogin,
        code: &str,
        state: &str,
        wanted: &[&str],
    ) -> Result<SignedIn, SsoError> {
        self.client
            .finish(provider, pending, code, state, wanted)
            .await
    }

    async fn end_session_endpoint(
        &self,
        provider: &ProviderConfig,
    ) -> Result<Option<String>, SsoError> {
        self.client.end_session_endpoint(provider).await
    }

    fn seal_tokens(&self, tokens: &TokenSet) -> String {
        self.token_sealer
            .seal(&serde_json::to_vec(tokens).unwrap_or_default())
    }

    fn open_tokens(&self, sealed: &str) -> Option<TokenSet> {
        let plain = self.token_sealer.open(sealed).ok()?;
        serde_json::from_slice(&plain).ok()
    }
}
