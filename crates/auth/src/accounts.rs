//! Account flows: sign up, sign in, add a user, change a password.

use crate::AuthError;
use crate::password::{PasswordHasher, fits_bcrypt};
use crate::rate_limit::RateLimiter;
use hearth_domain::account::{Credentials, NewAccount};
use hearth_domain::ports::{CredentialStore, UserStore};
use hearth_domain::text::strip_nul;
use hearth_domain::validate::is_valid_email;
use hearth_domain::{Role, StoreError, User, UserId};
use std::sync::Arc;

/// Profile image given to accounts that send none.
pub const DEFAULT_PROFILE_IMAGE: &str = "/user.png";

/// A request to create an account.
#[derive(Clone, Debug)]
pub struct NewUserRequest {
    /// Display name.
    pub name: String,
    /// Email as typed (it is lower-cased).
    pub email: String,
    /// Plain password.
    pub password: String,
    /// Profile image URL, already validated by the caller.
    pub profile_image_url: Option<String>,
    /// Role to create the account with.
    pub role: Role,
}

/// The outcome of creating an account.
#[derive(Clone, Debug)]
pub struct CreatedAccount {
    /// The new user (with its final role).
    pub user: User,
    /// The session stamp tokens for this user must carry.
    pub session_stamp: String,
    /// Whether this account became the first admin.
    pub promoted: bool,
}

/// Account flows over the user and credential stores.
#[derive(Clone)]
pub struct Accounts {
    users: Arc<dyn UserStore>,
    credentials: Arc<dyn CredentialStore>,
    hasher: PasswordHasher,
    signin_limiter: Arc<RateLimiter>,
}

impl Accounts {
    /// Builds the service.
    pub fn new(
        users: Arc<dyn UserStore>,
        credentials: Arc<dyn CredentialStore>,
        hasher: PasswordHasher,
        signin_limiter: Arc<RateLimiter>,
    ) -> Self {
        Self {
            users,
            credentials,
            hasher,
            signin_limiter,
        }
    }

    /// The password hasher.
    pub fn hasher(&self) -> &PasswordHasher {
        &self.hasher
    }

    /// Creates an account. With `promote_first`, the account becomes admin if it is the
    /// first one (Open WebUI's sign-up); otherwise it keeps the requested role (admin "add user").
    pub async fn create(
        &self,
        request: NewUserRequest,
        promote_first: bool,
        now: i64,
    ) -> Result<CreatedAccount, AuthError> {
        let email = strip_nul(request.email.trim()).to_lowercase();
        if !is_valid_email(&email) {
            return Err(AuthError::InvalidEmail);
        }
        if self.users.get_by_email(&email).await?.is_some() {
            return Err(AuthError::EmailTaken);
        }
        if !fits_bcrypt(&request.password) {
            return Err(AuthError::PasswordTooLong);
        }
        let password_hash = self.hasher.hash(&request.password).await?;
        let session_stamp = uuid::Uuid::new_v4().to_string();
        let account = NewAccount {
            id: UserId::generate(),
            email,
            name: strip_nul(&request.name),
            profile_image_url: request
                .profile_image_url
                .filter(|url| !url.is_empty())
                .map(|url| strip_nul(&url))
                .unwrap_or_else(|| DEFAULT_PROFILE_IMAGE.to_owned()),
            role: request.role,
            password_hash,
            session_stamp: session_stamp.clone(),
            now,
        };
        let mut user = self
            .credentials
            .create_account(&account)
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => AuthError::EmailTaken,
                other => AuthError::Store(other),
            })?;
        let promoted = promote_first && self.credentials.promote_if_first(&user.id).await?;
        if promoted {
            user.role = Role::Admin;
        }
        Ok(CreatedAccount {
            user,
            session_stamp,
            promoted,
        })
    }

    /// Checks an email and password. Counts the attempt against the email's rate limit
    /// first; unknown emails spend the same time hashing as known ones.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        now: i64,
    ) -> Result<(User, Credentials), AuthError> {
        let email = email.trim().to_lowercase();
        if self.signin_limiter.hit(&email, now) {
            return Err(AuthError::RateLimited);
        }
        self.verify(&email, password)
            .await?
            .ok_or(AuthError::InvalidCredentials)
    }

    /// The user and credentials if `password` is right for `email`.
    pub async fn verify(
        &self,
        email: &str,
        password: &str,
    ) -> Result<Option<(User, Credentials)>, AuthError> {
        match self.credentials.by_email(email).await? {
            Some((user, credentials)) if credentials.active => {
                let ok = self
                    .hasher
                    .verify(password, &credentials.password_hash)
                    .await?;
                Ok(ok.then_some((user, credentials)))
            }
            _ => {
                self.hasher.verify_placeholder(password).await?;
                Ok(None)
            }
        }
    }

    /// Changes the caller's own password after checking the current one. Returns the new
    /// session stamp: every other session of the user stops working.
    pub async fn change_password(
        &self,
        user: &User,
        current: &str,
        new: &str,
    ) -> Result<String, AuthError> {
        if self.verify(&user.email, current).await?.is_none() {
            return Err(AuthError::IncorrectPassword);
        }
        self.set_password(&user.id, new).await
    }

    /// Sets a password (admin edit), revoking the user's sessions; returns the new stamp.
    pub async fn set_password(&self, user_id: &UserId, new: &str) -> Result<String, AuthError> {
        if !fits_bcrypt(new) {
            return Err(AuthError::PasswordTooLong);
        }
        let hash = self.hasher.hash(new).await?;
        let stamp = uuid::Uuid::new_v4().to_string();
        self.credentials
            .set_password(user_id, &hash, &stamp)
            .await?;
        Ok(stamp)
    }

    /// Revokes every session of a user; returns the new stamp.
    pub async fn revoke_sessions(&self, user_id: &UserId) -> Result<String, AuthError> {
        let stamp = uuid::Uuid::new_v4().to_string();
        self.credentials.set_session_stamp(user_id, &stamp).await?;
        Ok(stamp)
    }

    /// The current session stamp of a user (to issue tokens after sign-in).
    pub async fn session_stamp(&self, user_id: &UserId) -> Result<Option<String>, AuthError> {
        Ok(self
            .credentials
            .session_subject(user_id)
            .await?
            .and_then(|subject| subject.session_stamp))
    }
}
