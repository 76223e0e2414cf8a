//! Hearth's accounts and sign-in: bcrypt password hashing kept off the async executor, HS256
//! session tokens with Open WebUI's claims, `sk-` API keys, the sign-in rate limiter, and the
//! account flows (sign up, sign in, change password) over the domain's storage ports.
//!
//! ```
//! use hearth_auth::tokens::{SessionTokens, TokenRequest};
//! use hearth_domain::UserId;
//!
//! let tokens = SessionTokens::new("a long random secret");
//! let issued = tokens.issue(&TokenRequest::session(&UserId::from("u1"), Some("stamp"), None), 1_700_000_000)?;
//! let claims = tokens.decode(&issued.token).ok_or("undecodable")?;
//! assert_eq!(claims.id, "u1");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod accounts;
pub mod activity;
pub mod api_keys;
pub mod authenticate;
pub mod error;
/// Token lifetimes (`JWT_EXPIRES_IN`); the parser lives in the domain so settings can check it.
pub mod expiry {
    pub use hearth_domain::lifetime::*;
}
pub mod ldap;
pub mod password;
pub mod rate_limit;
pub mod secret;
pub mod tokens;

pub use error::AuthError;
