//! Sign-ins through identity providers: the provider sessions kept per user (`oauth_session`)
//! and the subjects linking accounts to providers (`user.oauth`).

/// One stored provider session. `token` is sealed by the caller (it holds the provider's
/// access, refresh and ID tokens); storage never sees it in clear.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthSession {
    /// Id (the `oauth_session_id` cookie).
    pub id: String,
    /// Owner.
    pub user_id: crate::UserId,
    /// Provider name (`oidc`, `google`, `microsoft`, `github`).
    pub provider: String,
    /// Sealed token set.
    pub token: String,
    /// When the access token expires (epoch seconds).
    pub expires_at: i64,
    /// Created (epoch seconds).
    pub created_at: i64,
    /// Updated (epoch seconds).
    pub updated_at: i64,
}

/// Provider names an account may be linked to; anything else is refused before storage.
pub const PROVIDERS: [&str; 4] = ["oidc", "google", "microsoft", "github"];

/// Whether `name` is one of [`PROVIDERS`].
pub fn is_provider(name: &str) -> bool {
    PROVIDERS.contains(&name)
}
