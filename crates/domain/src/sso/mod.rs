//! Single sign-on as the rest of Hearth sees it: which identity providers exist and how
//! each is reached ([`ProviderConfig`]), what a sign-in keeps and yields ([`PendingLogin`],
//! [`SignedIn`], [`TokenSet`]), how claims are read ([`claims`]), and the port
//! ([`IdentityProviders`]) that `hearth-sso` implements with the providers' protocols.

pub mod claims;
mod error;
mod login;
mod provider;

pub use error::SsoError;
pub use login::{DEFAULT_EXPIRY_SECS, NON_EXPIRING, PendingLogin, SignedIn, TokenSet};
pub use provider::{GithubEndpoints, ProviderConfig, ProviderKind};

use async_trait::async_trait;

/// The identity providers' protocols, and the sealing of what a sign-in keeps.
#[async_trait]
pub trait IdentityProviders: Send + Sync {
    /// Starts a sign-in at `provider` (called `name`): the provider's authorization URL, and
    /// the pending login sealed for the browser to keep until the callback.
    async fn begin(
        &self,
        provider: &ProviderConfig,
        name: &str,
        redirect_uri: &str,
    ) -> Result<(String, String), SsoError>;

    /// Opens a sealed pending login when it is ours, fresh and for the provider `name`.
    fn open_pending(&self, sealed: &str, name: &str) -> Option<PendingLogin>;

    /// Finishes a sign-in: checks the state, exchanges the code, verifies the ID token and
    /// reads the user's claims (`wanted` are fetched from user info when the token lacks
    /// them).
    async fn finish(
        &self,
        provider: &ProviderConfig,
        pending: &PendingLogin,
        code: &str,
        state: &str,
        wanted: &[&str],
    ) -> Result<SignedIn, SsoError>;

    /// The provider's end-session endpoint, when it has one.
    async fn end_session_endpoint(
        &self,
        provider: &ProviderConfig,
    ) -> Result<Option<String>, SsoError>;

    /// Seals provider tokens for storage (`oauth_session.token`).
    fn seal_tokens(&self, tokens: &TokenSet) -> String;

    /// Opens stored provider tokens.
    fn open_tokens(&self, sealed: &str) -> Option<TokenSet>;
}
