//! The two halves of a sign-in: what is kept between the redirect and the callback, and what
//! the callback yields.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What the callback needs from the start of a sign-in. Kept by the browser, sealed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingLogin {
    /// Provider name the sign-in started with (`oidc`, `google`, …).
    #[serde(rename = "p")]
    pub provider: String,
    /// The `state` sent to the provider.
    #[serde(rename = "s")]
    pub state: String,
    /// The `nonce` the ID token must carry.
    #[serde(rename = "n")]
    pub nonce: String,
    /// The PKCE verifier, when a challenge was sent.
    #[serde(rename = "v", default, skip_serializing_if = "Option::is_none")]
    pub pkce_verifier: Option<String>,
    /// The redirect URI sent (the code exchange repeats it).
    #[serde(rename = "r")]
    pub redirect_uri: String,
}

/// The provider's tokens, stored (sealed) in `oauth_session.token` under Open WebUI's names.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TokenSet {
    /// Access token.
    pub access_token: String,
    /// Token type (`Bearer`).
    #[serde(default)]
    pub token_type: String,
    /// Refresh token, if the provider gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// The raw ID token (OIDC), used as `id_token_hint` at sign-out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    /// Granted scopes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Seconds the access token lives, as the provider said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<u64>,
    /// When the access token expires (epoch seconds).
    pub expires_at: i64,
    /// When the tokens were received (epoch seconds).
    pub issued_at: i64,
}

/// Far-future expiry for tokens that say nothing and cannot be refreshed (Open WebUI's value).
pub const NON_EXPIRING: i64 = 253_402_300_799;
/// Expiry assumed for refreshable tokens that state none.
pub const DEFAULT_EXPIRY_SECS: i64 = 3600;

impl TokenSet {
    /// Fills `expires_at` the way Open WebUI does: from `expires_in`, else an hour when a
    /// refresh token exists, else never.
    pub fn stamp(&mut self, now: i64) {
        self.issued_at = now;
        self.expires_at = match (self.expires_in, &self.refresh_token) {
            (Some(secs), _) => now.saturating_add(i64::try_from(secs).unwrap_or(i64::MAX)),
            (None, Some(_)) => now + DEFAULT_EXPIRY_SECS,
            (None, None) => NON_EXPIRING,
        };
    }
}

/// A verified sign-in.
#[derive(Clone, Debug)]
pub struct SignedIn {
    /// The user's claims: the verified ID token's, completed by the user info endpoint
    /// (user info wins; ID token claims fill what it lacks). GitHub: its `/user` object.
    pub claims: Map<String, Value>,
    /// The ID token's own claims (empty for GitHub).
    pub id_token_claims: Map<String, Value>,
    /// The tokens.
    pub tokens: TokenSet,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_follows_expires_in_then_refresh_then_never() {
        let mut t = TokenSet {
            expires_in: Some(60),
            ..TokenSet::default()
        };
        t.stamp(1000);
        assert_eq!((t.issued_at, t.expires_at), (1000, 1060));
        let mut t = TokenSet {
            refresh_token: Some("r".into()),
            ..TokenSet::default()
        };
        t.stamp(1000);
        assert_eq!(t.expires_at, 4600);
        let mut t = TokenSet::default();
        t.stamp(1000);
        assert_eq!(t.expires_at, NON_EXPIRING);
    }
}
