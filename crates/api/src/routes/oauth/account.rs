//! Which account a verified sign-in opens, as Open WebUI decides it: the account linked to the
//! provider's subject; else, with `OAUTH_MERGE_ACCOUNTS_BY_EMAIL`, the account with the email
//! (now linked); else, with `ENABLE_OAUTH_SIGNUP`, a new account (refused when the email is
//! taken). The email domain must be allowed, and with role management the provider's roles
//! set the role or refuse the sign-in.

use crate::live_config::ConfigView;
use crate::messages as msg;
use crate::routes::auths::create_promoting_first;
use crate::sso::NamedProvider;
use crate::state::AppState;
use hearth_auth::accounts::NewUserRequest;
use hearth_domain::time::now_epoch;
use hearth_domain::user::UserPatch;
use hearth_domain::{Role, StoreError, User};
use hearth_sso::claims::{MappedRole, claim_list, claim_text, domain_allowed, map_role};
use hearth_sso::{SignedIn, SsoError};
use serde_json::Value;

/// Why a sign-in did not open an account. The detail goes to the log; users see
/// [`Refusal::message`].
#[derive(Debug)]
pub(super) enum Refusal {
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
    pub(super) fn message(&self) -> &'static str {
        match self {
            Refusal::SignupClosed | Refusal::RoleDenied(_) => msg::ACCESS_PROHIBITED,
            Refusal::EmailTaken => msg::EMAIL_TAKEN,
            _ => msg::OAUTH_LOGIN_FAILED,
        }
    }

    /// What the log says.
    pub(super) fn detail(&self) -> String {
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

/// The account this sign-in opens (found, linked or created).
pub(super) async fn account_for(
    state: &AppState,
    view: &ConfigView,
    provider: &NamedProvider,
    signed_in: &SignedIn,
) -> Result<User, Refusal> {
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
        None if state.settings.sso.email_fallback => format!("{}@{sub}.local", provider.name),
        None => return Err(Refusal::NoEmail),
    }
    .to_lowercase();
    if !domain_allowed(&email, &list(config.value("oauth.allowed_domains"))) {
        return Err(Refusal::DomainNotAllowed(email));
    }
    let mapped = if config.flag("oauth.enable_role_mapping") {
        let roles = claim_list(claims, &setting("oauth.roles_claim", "roles"), ",");
        let mapped = map_role(
            &roles,
            &list(config.value("oauth.allowed_roles")),
            &list(config.value("oauth.admin_roles")),
        );
        if mapped == MappedRole::Denied {
            return Err(Refusal::RoleDenied(roles));
        }
        // As Open WebUI: no roles from the provider means the default role (a role removed
        // at the provider is removed here too).
        if mapped == MappedRole::Unchanged {
            MappedRole::Default
        } else {
            mapped
        }
    } else {
        MappedRole::Unchanged
    };
    let name = claim_text(claims, &setting("oauth.username_claim", "name"));
    let now = now_epoch();
    let links = &state.stores.oauth;
    let mut user = links.user_by_subject(provider.name, &sub).await?;
    // An email the provider says it did not verify never merges into or creates an account.
    let unverified = claims.get("email_verified").is_some_and(|v| {
        v == &Value::Bool(false) || v.as_str().is_some_and(|s| s.eq_ignore_ascii_case("false"))
    });
    if user.is_none()
        && config.flag("oauth.merge_accounts_by_email")
        && let Some(found) = state.stores.users.get_by_email(&email).await?
    {
        if unverified {
            return Err(Refusal::EmailUnverified(email));
        }
        let linked = found
            .oauth
            .as_ref()
            .and_then(|links| links.get(provider.name))
            .and_then(|link| link.get("sub"));
        if linked.is_some_and(|other| other != &Value::String(sub.clone())) {
            return Err(Refusal::LinkedElsewhere);
        }
        user = Some(
            links
                .link_subject(&found.id, provider.name, &sub, now)
                .await?,
        );
    }
    match user {
        Some(user) => update_on_sign_in(state, view, user, mapped, name).await,
        None => {
            if !config.flag("oauth.enable_signup") {
                return Err(Refusal::SignupClosed);
            }
            if state.stores.users.get_by_email(&email).await?.is_some() {
                return Err(Refusal::EmailTaken);
            }
            if unverified {
                return Err(Refusal::EmailUnverified(email));
            }
            let role = match mapped {
                MappedRole::Admin => Role::Admin,
                MappedRole::User => Role::User,
                _ => view.default_role(),
            };
            let request = NewUserRequest {
                name: name.unwrap_or_else(|| email.clone()),
                email,
                password: uuid::Uuid::new_v4().to_string(),
                profile_image_url: None,
                role,
            };
            let created = create_promoting_first(state, request).await.map_err(|e| {
                match e.detail().as_str() {
                    Some(msg::EMAIL_TAKEN) => Refusal::EmailTaken,
                    _ => Refusal::Store(StoreError::Backend(e.detail().to_string())),
                }
            })?;
            match links
                .link_subject(&created.user.id, provider.name, &sub, now)
                .await
            {
                Ok(user) => Ok(user),
                Err(error) => {
                    // An account without its link could never sign in again: remove it.
                    let _ = state.stores.users.delete(&created.user.id).await;
                    Err(error.into())
                }
            }
        }
    }
}

/// Applies role management and `OAUTH_UPDATE_NAME_ON_LOGIN` to a returning account.
async fn update_on_sign_in(
    state: &AppState,
    view: &ConfigView,
    user: User,
    mapped: MappedRole,
    name: Option<String>,
) -> Result<User, Refusal> {
    let role = match mapped {
        MappedRole::Admin => Role::Admin,
        _ if is_primary(state, &user) => user.role,
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
    Ok(state
        .stores
        .users
        .update(&user.id, &patch, now_epoch())
        .await?)
}

/// Whether `user` is the recorded primary admin (never demoted by a provider's roles).
fn is_primary(state: &AppState, user: &User) -> bool {
    state
        .config
        .view()
        .snapshot
        .text(hearth_domain::config::keys::PRIMARY_ADMIN_ID)
        == Some(user.id.as_str())
}
