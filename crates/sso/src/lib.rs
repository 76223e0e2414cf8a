//! Single sign-on with identity providers, as Open WebUI offers it: OpenID Connect (a generic
//! provider found by discovery, Google, Microsoft) and GitHub's OAuth 2.0 with its user API.
//!
//! The crate knows no web framework and no database. A sign-in is two calls:
//! [`SsoClient::begin`] returns the provider's authorization URL and a [`PendingLogin`] (state,
//! nonce, PKCE verifier) that the caller keeps for the browser, sealed with a [`Sealer`];
//! [`SsoClient::finish`] takes that pending login back with the code the provider returned,
//! exchanges the code, verifies the ID token (issuer, audience, signature against the
//! provider's keys, expiry, nonce) and returns the [`SignedIn`] identity and tokens. What to
//! do with the identity (find, merge or create an account) is the caller's policy; the claim
//! helpers in [`claims`] read it.
//!
//! ```no_run
//! use hearth_sso::{ProviderConfig, SsoClient};
//! # async fn demo() -> Result<(), hearth_sso::SsoError> {
//! let provider = ProviderConfig::oidc(
//!     "hearth",
//!     Some("secret".into()),
//!     "https://id.example.com/.well-known/openid-configuration",
//! );
//! let client = SsoClient::new(std::time::Duration::from_secs(10))?;
//! let (url, pending) = client
//!     .begin(&provider, "oidc", "https://chat.example.com/oauth/oidc/login/callback")
//!     .await?;
//! println!("send the browser to {url}");
//! // … later, on the callback with `?code=…&state=…`:
//! let signed_in = client
//!     .finish(&provider, &pending, "the-code", "the-state", &["email", "name"])
//!     .await?;
//! println!("subject {}", signed_in.claims["sub"]);
//! # Ok(()) }
//! ```

mod client;
mod github;
mod oidc;
mod seal;
mod service;

pub use client::SsoClient;
pub use hearth_domain::sso::{
    GithubEndpoints, PendingLogin, ProviderConfig, ProviderKind, SignedIn, SsoError, TokenSet,
    claims,
};
pub use seal::Sealer;
pub use service::Sso;
