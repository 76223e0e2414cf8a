//! What can go wrong in a sign-in. Messages are for logs; users see a generic text.

/// A failed step of a sign-in with an identity provider.
#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    /// The provider's settings cannot work (bad URL, missing endpoint).
    #[error("provider misconfigured: {0}")]
    Config(String),
    /// Discovery of the provider's metadata or keys failed.
    #[error("provider discovery failed: {0}")]
    Discovery(String),
    /// The callback's state does not match the pending login (or the login expired).
    #[error("state mismatch: the sign-in was not started here or has expired")]
    StateMismatch,
    /// The provider refused the code (unknown, expired or already used) or the exchange failed.
    #[error("code exchange failed: {0}")]
    Exchange(String),
    /// The ID token is missing or failed verification.
    #[error("ID token rejected: {0}")]
    IdToken(String),
    /// The user info request failed.
    #[error("user info failed: {0}")]
    UserInfo(String),
    /// A sealed value could not be opened (tampered, other key, expired).
    #[error("sealed value rejected")]
    Unseal,
    /// The HTTP client could not be built.
    #[error("http client: {0}")]
    Http(String),
}
