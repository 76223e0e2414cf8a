//! Which account a verified sign-in opens, as Open WebUI decides it: the account linked to the
//! provider's subject; else, with `OAUTH_MERGE_ACCOUNTS_BY_EMAIL`, the account with the email
//! (now linked); else, with `ENABLE_OAUTH_SIGNUP`, a new account (refused when the email is
//! taken). The email domain must be allowed, and with role management the provider's roles
//! set the role or refuse the sign-in.

use super::providers::NamedProvider;
use crate::App;
use crate::accounts::create_promoting_first;
use crate::config::ConfigView;
use crate::error::ServiceError;
use crate::messages as msg;
use hearth_auth::AuthError;
use hearth_auth::accounts::NewUserRequest;
use hearth_domain::sso::claims::{MappedRole, claim_list, claim_text, domain_allowed, map_role};
use hearth_domain::sso::{SignedIn, SsoError};
use hearth_domain::time::now_epoch;
use hearth_domain::user::UserPatch;
use hearth_domain::{Role, StoreError, User};
use serde_json::Value;

/// Why a sign-in did not open an account. The detail goes to the log; users see
/// [`Refusal::message`].
#[derive(Debug)]
pub enum Refusal {
    /// The provider answered with an error instead of a code.
    Provider(String),
    /// No sealed pending login for this provider (never started here, expired, tampered).
    NoPendingLogin,
    /// State, code exchange or ID token verification failed.
    Sso(SsoError),
    /// The claims carry no subject.
    NoSubject,
    /// The claims carry no email.
    NoEmail,
    /// The email's domain is not in `OAUTH_ALLOWED_DOMAINS`.
    DomainNotAllowed(String),
    /// No linked account and sign-up through providers is off.
    SignupClosed,
    /// Sign-up would reuse an existing account's email.
    EmailTaken,
    /// The provider says the email is not verified: it may not merge or create accounts.
    EmailUnverified(String),
    /// Merging would relink an account already linked to another subject at this provider.
    LinkedElsewhere,
    /// Role management found no allowed role.
    RoleDenied(Vec<String>),
    /// Storage failed.
    Store(StoreError),
}

impl Refusal {
    /// The text the sign-in page shows (Open WebUI's).
    pub fn message(&self) -> &'static str {
        match self {
            Refusal::SignupClosed | Refusal::RoleDenied(_) => msg::ACCESS_PROHIBITED,
            Refusal::EmailTaken => msg::EMAIL_TAKEN,
            _ => msg::OAUTH_LOGIN_FAILED,
        }
    }

    /// What the log says.
    pub fn detail(&self) -> String {
        match self {
            Refusal::Provider(error) => format!("the provider answered {error}"),
            Refusal::NoPendingLogin => "no pending sign-in (missing, expired or foreign)".into(),
            Refusal::Sso(error) => error.to_string(),
            Refusal::NoSubject => "the claims carry no subject".into(),
            Refusal::NoEmail => "the claims carry no email".into(),
            Refusal::DomainNotAllowed(email) => format!("{email}: domain not allowed"),
            Refusal::SignupClosed => "no linked account and OAuth sign-up is off".into(),
            Refusal::EmailTaken => "sign-up with an email already registered".into(),
            Refusal::EmailUnverified(email) => format!("{email}: the provider did not verify it"),
            Refusal::LinkedElsewhere => "the account is linked to another subject".into(),
            Refusal::RoleDenied(roles) => format!("roles {roles:?} match no allowed role"),
            Refusal::Store(error) => format!("storage: {error}"),
        }
    }
}

impl From<StoreError> for Refusal {
    fn from(error: StoreError) -> Self {
        Refusal::Store(error)
    }
}

/// A list setting stored as a JSON list or as comma-separated text.
fn list(value: Value) -> Vec<String> {
    match value {
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Value::String(text) => text
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

/// Who the provider says signed in, read from the claims as the settings say.
struct Identity {
    sub: String,
    email: String,
    name: Option<String>,
    role: MappedRole,
    /// The provider says it did not verify the email: it never merges into or creates an
    /// account.
    unverified: bool,
}

/// Reads the identity from the claims; refuses missing subjects and emails, domains not
/// allowed and roles not allowed.
fn identity(
    app: &App,
    view: &ConfigView,
    provider: &NamedProvider,
    signed_in: &SignedIn,
) -> Result<Identity, Refusal> {
    let config = &view.snapshot;
    let setting = |key: &str, default: &'static str| {
        config
            .text(key)
            .filter(|v| !v.is_empty())
            .map_or_else(|| default.to_owned(), str::to_owned)
    };
    let claims = &signed_in.claims;
    let sub_claim = setting("oauth.sub_claim", provider.sub_claim);
    let sub = claim_text(claims, &sub_claim).ok_or(Refusal::NoSubject)?;
    let email = match claim_text(claims, &setting("oauth.email_claim", "email")) {
        Some(email) => email,
        None if app.settings.sso.email_fallback => format!("{}@{sub}.local", provider.name),
        None => return Err(Refusal::NoEmail),
    }
    .to_lowercase();
    if !domain_allowed(&email, &list(config.value("oauth.allowed_domains"))) {
        return Err(Refusal::DomainNotAllowed(email));
    }
    let role = if config.flag("oauth.enable_role_mapping") {
        let roles = claim_list(claims, &setting("oauth.roles_claim", "roles"), ",");
        let mapped = map_role(
            &roles,
            &list(config.value("oauth.allowed_roles")),
            &list(config.value("oauth.admin_roles")),
        );
        match mapped {
            MappedRole::Denied => return Err(Refusal::RoleDenied(roles)),
            // As Open WebUI: no roles from the provider means the default role (a role
            // removed at the provider is removed here too).
            MappedRole::Unchanged => MappedRole::Default,
            other => other,
        }
    } else {
        MappedRole::Unchanged
    };
    let unverified = claims.get("email_verified").is_some_and(|v| {
        v == &Value::Bool(false) || v.as_str().is_some_and(|s| s.eq_ignore_ascii_case("false"))
    });
    Ok(Identity {
        name: claim_text(claims, &setting("oauth.username_claim", "name")),
        sub,
        email,
        role,
        unverified,
    })
}

/// The account this sign-in opens (found, linked or created).
pub(super) async fn account_for(
    app: &App,
    view: &ConfigView,
    provider: &NamedProvider,
    signed_in: &SignedIn,
) -> Result<User, Refusal> {
    let who = identity(app, view, provider, signed_in)?;
    let mut user = app
        .storage
        .oauth()
        .user_by_subject(provider.name, &who.sub)
        .await?;
    if user.is_none() && view.snapshot.flag("oauth.merge_accounts_by_email") {
        user = merge_by_email(app, provider, &who).await?;
    }
    match user {
        Some(user) => update_on_sign_in(app, view, user, who.role, who.name).await,
        None => sign_up(app, view, provider, who).await,
    }
}

/// The account with the identity's email, now linked to the subject (when there is one).
async fn merge_by_email(
    app: &App,
    provider: &NamedProvider,
    who: &Identity,
) -> Result<Option<User>, Refusal> {
    let Some(found) = app.storage.users().get_by_email(&who.email).await? else {
        return Ok(None);
    };
    if who.unverified {
        return Err(Refusal::EmailUnverified(who.email.clone()));
    }
    let linked = found
        .oauth
        .as_ref()
        .and_then(|links| links.get(provider.name))
        .and_then(|link| link.get("sub"));
    if linked.is_some_and(|other| other != &Value::String(who.sub.clone())) {
        return Err(Refusal::LinkedElsewhere);
    }
    let linked = app
        .storage
        .oauth()
        .link_subject(&found.id, provider.name, &who.sub, now_epoch())
        .await?;
    Ok(Some(linked))
}

/// A new account for the identity, linked to its subject (with `ENABLE_OAUTH_SIGNUP`).
async fn sign_up(
    app: &App,
    view: &ConfigView,
    provider: &NamedProvider,
    who: Identity,
) -> Result<User, Refusal> {
    if !view.snapshot.flag("oauth.enable_signup") {
        return Err(Refusal::SignupClosed);
    }
    if app
        .storage
        .users()
        .get_by_email(&who.email)
        .await?
        .is_some()
    {
        return Err(Refusal::EmailTaken);
    }
    if who.unverified {
        return Err(Refusal::EmailUnverified(who.email));
    }
    let role = match who.role {
        MappedRole::Admin => Role::Admin,
        MappedRole::User => Role::User,
        _ => view.default_role(),
    };
    let request = NewUserRequest {
        name: who.name.unwrap_or_else(|| who.email.clone()),
        email: who.email,
        password: uuid::Uuid::new_v4().to_string(),
        profile_image_url: None,
        role,
    };
    let created = create_promoting_first(app, request)
        .await
        .map_err(|e| match e {
            ServiceError::Auth(AuthError::EmailTaken) => Refusal::EmailTaken,
            other => Refusal::Store(StoreError::Backend(other.to_string())),
        })?;
    let links = app.storage.oauth();
    match links
        .link_subject(&created.user.id, provider.name, &who.sub, now_epoch())
        .await
    {
        Ok(user) => Ok(user),
        Err(error) => {
            // An account without its link could never sign in again: remove it.
            let _ = app.storage.users().delete(&created.user.id).await;
            Err(error.into())
        }
    }
}

/// Applies role management and `OAUTH_UPDATE_NAME_ON_LOGIN` to a returning account.
async fn update_on_sign_in(
    app: &App,
    view: &ConfigView,
    user: User,
    mapped: MappedRole,
    name: Option<String>,
) -> Result<User, Refusal> {
    let role = match mapped {
        MappedRole::Admin => Role::Admin,
        _ if is_primary(app, &user) => user.role,
        MappedRole::User => Role::User,
        MappedRole::Default => view.default_role(),
        _ => user.role,
    };
    let mut patch = UserPatch::default();
    if role != user.role {
        patch.role = Some(role);
    }
    if view.snapshot.flag("oauth.update_name_on_login")
        && let Some(name) = name.filter(|n| *n != user.name)
    {
        patch.name = Some(name);
    }
    if patch.role.is_none() && patch.name.is_none() {
        return Ok(user);
    }
    Ok(app
        .storage
        .users()
        .update(&user.id, &patch, now_epoch())
        .await?)
}

/// Whether `user` is the recorded primary admin (never demoted by a provider's roles).
fn is_primary(app: &App, user: &User) -> bool {
    app.view()
        .snapshot
        .text(hearth_domain::config::keys::PRIMARY_ADMIN_ID)
        == Some(user.id.as_str())
}
