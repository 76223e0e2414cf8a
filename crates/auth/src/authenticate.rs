//! Resolving a presented credential (session token or `sk-` API key) to a user, as Open
//! WebUI's `get_current_user` does.

use crate::AuthError;
use crate::activity::ActivityTracker;
use crate::api_keys::{endpoint_allowed, is_api_key};
use crate::tokens::{Claims, SessionTokens};
use hearth_domain::ports::{ApiKeyStore, CredentialStore};
use hearth_domain::{Role, User, UserId, permissions};
use serde_json::Value;
use std::sync::Arc;

/// Token types accepted on requests.
const ACCEPTED_TOKEN_TYPES: [&str; 3] = ["session", "automation", "subagent"];

/// The configuration authentication depends on, read per request from the live config.
#[derive(Clone, Copy, Debug)]
pub struct AuthPolicy<'a> {
    /// `auth.enable_api_keys`.
    pub enable_api_keys: bool,
    /// `auth.api_key.endpoint_restrictions`.
    pub endpoint_restrictions: bool,
    /// `auth.api_key.allowed_endpoints`.
    pub allowed_endpoints: &'a str,
    /// The effective default permissions (for the `features.api_keys` check).
    pub permissions: &'a Value,
    /// The e-mail in the trusted header, when trusted-header auth is configured.
    pub trusted_email: Option<&'a str>,
}

/// How a request was authenticated.
#[derive(Clone, Debug, PartialEq)]
pub enum AuthMethod {
    /// A session token with these claims.
    Session(Claims),
    /// An `sk-` API key.
    ApiKey,
}

/// An authenticated caller.
#[derive(Clone, Debug, PartialEq)]
pub struct Principal {
    /// The user.
    pub user: User,
    /// How they authenticated.
    pub method: AuthMethod,
}

impl Principal {
    /// Whether this is a person's session (Open WebUI's `get_human_user`).
    pub fn is_human_session(&self) -> bool {
        matches!(&self.method, AuthMethod::Session(claims) if claims.token_type() == "session")
    }
}

/// Verifies credentials against the stores.
#[derive(Clone)]
pub struct Authenticator {
    tokens: SessionTokens,
    credentials: Arc<dyn CredentialStore>,
    api_keys: Arc<dyn ApiKeyStore>,
    activity: ActivityTracker,
}

impl Authenticator {
    /// Builds an authenticator.
    pub fn new(
        tokens: SessionTokens,
        credentials: Arc<dyn CredentialStore>,
        api_keys: Arc<dyn ApiKeyStore>,
        activity: ActivityTracker,
    ) -> Self {
        Self {
            tokens,
            credentials,
            api_keys,
            activity,
        }
    }

    /// The token signer.
    pub fn tokens(&self) -> &SessionTokens {
        &self.tokens
    }

    /// Resolves `credential` for a request to `path`.
    pub async fn authenticate(
        &self,
        credential: &str,
        path: &str,
        policy: &AuthPolicy<'_>,
        now: i64,
    ) -> Result<Principal, AuthError> {
        if is_api_key(credential) {
            return self.by_api_key(credential, path, policy, now).await;
        }
        let claims = self
            .tokens
            .decode(credential)
            .ok_or(AuthError::Undecodable)?;
        let user = self.valid_session_user(&claims).await?;
        if let Some(trusted) = policy.trusted_email.filter(|email| !email.is_empty())
            && user.email != trusted.to_lowercase()
        {
            return Err(AuthError::TrustedUserMismatch);
        }
        self.activity.seen(&user.id, user.last_active_at, now);
        Ok(Principal {
            user,
            method: AuthMethod::Session(claims),
        })
    }

    /// The user of a valid session token, or `None` (used where a bad token just means
    /// "anonymous", as on `/api/config`).
    pub async fn optional_session_user(&self, token: &str) -> Result<Option<User>, AuthError> {
        let Some(claims) = self.tokens.decode(token) else {
            return Ok(None);
        };
        match self.valid_session_user(&claims).await {
            Ok(user) => Ok(Some(user)),
            Err(AuthError::Store(error)) => Err(AuthError::Store(error)),
            Err(_) => Ok(None),
        }
    }

    async fn valid_session_user(&self, claims: &Claims) -> Result<User, AuthError> {
        if !ACCEPTED_TOKEN_TYPES.contains(&claims.token_type()) {
            return Err(AuthError::Revoked);
        }
        let subject = self
            .credentials
            .session_subject(&UserId::from(claims.id.as_str()))
            .await?
            .ok_or(AuthError::UnknownUser)?;
        if subject.session_stamp != claims.session_stamp {
            return Err(AuthError::Revoked);
        }
        Ok(subject.user)
    }

    async fn by_api_key(
        &self,
        key: &str,
        path: &str,
        policy: &AuthPolicy<'_>,
        now: i64,
    ) -> Result<Principal, AuthError> {
        let user = self
            .api_keys
            .owner(key)
            .await?
            .ok_or(AuthError::UnknownApiKey)?;
        if !policy.enable_api_keys {
            return Err(AuthError::ApiKeysDisabled);
        }
        if user.role != Role::Admin && !permissions::allows(policy.permissions, "features.api_keys")
        {
            return Err(AuthError::ApiKeysDisabled);
        }
        if policy.endpoint_restrictions && !endpoint_allowed(path, policy.allowed_endpoints) {
            return Err(AuthError::EndpointNotAllowed);
        }
        self.activity.seen(&user.id, user.last_active_at, now);
        Ok(Principal {
            user,
            method: AuthMethod::ApiKey,
        })
    }
}
