//! Failures of authentication and account flows. The HTTP edge maps each variant to
//! Open WebUI's status code and message.

use hearth_domain::StoreError;

/// Why a request could not be authenticated or an account flow failed.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// No bearer token, cookie or API key was presented.
    #[error("not authenticated")]
    NotAuthenticated,
    /// The token could not be decoded (bad signature, malformed, expired).
    #[error("token could not be decoded")]
    Undecodable,
    /// The token decoded but was revoked (session stamp changed) or of a type not accepted.
    #[error("token revoked")]
    Revoked,
    /// The token's user no longer exists.
    #[error("user of the token no longer exists")]
    UnknownUser,
    /// The API key matches no user.
    #[error("unknown API key")]
    UnknownApiKey,
    /// API keys are disabled, or the user lacks the `features.api_keys` permission.
    #[error("API keys are not allowed")]
    ApiKeysDisabled,
    /// The API key may not call this endpoint.
    #[error("endpoint not allowed for API keys")]
    EndpointNotAllowed,
    /// The trusted e-mail header names another user than the token.
    #[error("trusted header user mismatch")]
    TrustedUserMismatch,
    /// Wrong email or password.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Wrong current password when changing it.
    #[error("incorrect password")]
    IncorrectPassword,
    /// The email is not a valid address.
    #[error("invalid email format")]
    InvalidEmail,
    /// The email is already registered.
    #[error("email taken")]
    EmailTaken,
    /// The password is longer than bcrypt's 72 bytes.
    #[error("password too long")]
    PasswordTooLong,
    /// Sign-up is closed.
    #[error("sign-up not allowed")]
    SignupClosed,
    /// Too many sign-in attempts for this email.
    #[error("rate limited")]
    RateLimited,
    /// The password hasher failed or its worker was lost.
    #[error("password hashing failed: {0}")]
    Hashing(String),
    /// The token could not be signed.
    #[error("token signing failed: {0}")]
    Signing(String),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}
