//! [`FakeIdentity`]: an identity provider that signs in whoever the test says, without a
//! network. Pending logins and tokens are "sealed" as plain JSON.

use async_trait::async_trait;
use hearth_domain::sso::{
    IdentityProviders, PendingLogin, ProviderConfig, SignedIn, SsoError, TokenSet,
};
use serde_json::{Map, Value};
use std::sync::{Mutex, PoisonError};

/// The authorization endpoint every sign-in is sent to.
pub const AUTHORIZE_URL: &str = "https://idp.test/authorize";

/// Signs in the person whose claims were last set with [`FakeIdentity::sign_in_as`].
#[derive(Default)]
pub struct FakeIdentity {
    claims: Mutex<Map<String, Value>>,
}

impl FakeIdentity {
    /// The next callback signs in a person with these claims.
    pub fn sign_in_as(&self, claims: Value) {
        *self.claims.lock().unwrap_or_else(PoisonError::into_inner) =
            claims.as_object().cloned().unwrap_or_default();
    }
}

#[async_trait]
impl IdentityProviders for FakeIdentity {
    async fn begin(
        &self,
        _: &ProviderConfig,
        name: &str,
        redirect_uri: &str,
    ) -> Result<(String, String), SsoError> {
        let pending = PendingLogin {
            provider: name.to_owned(),
            state: format!("state-{name}"),
            nonce: "nonce".into(),
            pkce_verifier: None,
            redirect_uri: redirect_uri.to_owned(),
        };
        let sealed =
            serde_json::to_string(&pending).map_err(|e| SsoError::Config(e.to_string()))?;
        Ok((format!("{AUTHORIZE_URL}?state={}", pending.state), sealed))
    }

    fn open_pending(&self, sealed: &str, name: &str) -> Option<PendingLogin> {
        serde_json::from_str::<PendingLogin>(sealed)
            .ok()
            .filter(|p| p.provider == name)
    }

    async fn finish(
        &self,
        _: &ProviderConfig,
        pending: &PendingLogin,
        _: &str,
        state: &str,
        _: &[&str],
    ) -> Result<SignedIn, SsoError> {
        if pending.state != state {
            return Err(SsoError::StateMismatch);
        }
        let claims = self
            .claims
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        Ok(SignedIn {
            id_token_claims: claims.clone(),
            claims,
            tokens: TokenSet {
                access_token: "access".into(),
                token_type: "Bearer".into(),
                ..TokenSet::default()
            },
        })
    }

    async fn end_session_endpoint(&self, _: &ProviderConfig) -> Result<Option<String>, SsoError> {
        Ok(None)
    }

    fn seal_tokens(&self, tokens: &TokenSet) -> String {
        serde_json::to_string(tokens).unwrap_or_default()
    }

    fn open_tokens(&self, sealed: &str) -> Option<TokenSet> {
        serde_json::from_str(sealed).ok()
    }
}
