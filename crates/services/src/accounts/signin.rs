//! Signing in and up: by email and password, by the header of an authenticating proxy, or
//! as the built-in admin when authentication is off; sign-up with first-admin promotion.

use super::dto::{SigninForm, SignupForm};
use super::sessions::{Session, issue, issue_current};
use super::{check_image_url, create_promoting_first};
use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::messages as msg;
use hearth_auth::AuthError;
use hearth_auth::accounts::NewUserRequest;
use hearth_domain::config::keys;
use hearth_domain::time::now_epoch;
use hearth_domain::user::UserPatch;
use hearth_domain::{Role, User};

/// What an authenticating proxy says about the caller (the values of the headers named by
/// `WEBUI_AUTH_TRUSTED_*_HEADER`).
#[derive(Clone, Debug, Default)]
pub struct TrustedHeaders {
    /// The email header's value.
    pub email: Option<String>,
    /// The name header's value (percent-encoded).
    pub name: Option<String>,
    /// The role header's value.
    pub role: Option<String>,
}

/// Signs in with email and password, or with the trusted header when configured, or as the
/// built-in admin when authentication is off.
pub async fn sign_in(
    app: &App,
    form: &SigninForm,
    trusted: TrustedHeaders,
) -> ServiceResult<Session> {
    let accounts = &app.settings.accounts;
    let (user, method) = if hearth_settings::non_empty(&accounts.trusted_email_header).is_some() {
        (trusted_header_user(app, trusted).await?, "trusted_header")
    } else if !accounts.webui_auth {
        (no_auth_admin(app).await?, "system")
    } else {
        let (user, _) = app
            .accounts
            .sign_in(&form.email, &form.password, now_epoch())
            .await?;
        (user, "password")
    };
    issue_current(app, &user, method).await
}

/// Creates an account. The first account becomes admin and closes sign-up.
pub async fn sign_up(app: &App, form: SignupForm) -> ServiceResult<Session> {
    let has_users = app.users_exist().await?;
    if has_users {
        // Another instance may have closed sign-up moments ago.
        app.config.reload().await?;
    }
    let view = app.view();
    let accounts = &app.settings.accounts;
    let allowed = if !accounts.webui_auth {
        !has_users
    } else if has_users {
        view.flag(keys::ENABLE_SIGNUP) && view.flag(keys::ENABLE_LOGIN_FORM)
    } else {
        view.flag(keys::ENABLE_LOGIN_FORM) || accounts.enable_initial_admin_signup
    };
    if !allowed {
        return Err(AuthError::SignupClosed.into());
    }
    check_image_url(app, form.profile_image_url.as_deref(), true)?;
    let request = NewUserRequest {
        name: form.name,
        email: form.email,
        password: form.password,
        profile_image_url: form.profile_image_url,
        role: view.default_role(),
    };
    let created = create_promoting_first(app, request).await?;
    issue(
        app,
        &created.user,
        Some(&created.session_stamp),
        Some("password"),
    )
}

/// Finds the account with `email`, or creates it (a concurrent request may create it
/// first: then that account is the answer).
pub async fn find_or_create(app: &App, email: &str, name: String) -> ServiceResult<User> {
    if let Some(user) = app.storage.users().get_by_email(email).await? {
        return Ok(user);
    }
    let request = NewUserRequest {
        name,
        email: email.to_owned(),
        password: uuid::Uuid::new_v4().to_string(),
        profile_image_url: None,
        role: app.view().default_role(),
    };
    match create_promoting_first(app, request).await {
        Ok(created) => Ok(created.user),
        Err(error) => app.storage.users().get_by_email(email).await?.ok_or(error),
    }
}

/// Trusted-header sign-in: the proxy vouches for the email (unknown emails get an account)
/// and, with `WEBUI_AUTH_TRUSTED_ROLE_HEADER`, for the role; other role values are ignored.
async fn trusted_header_user(app: &App, trusted: TrustedHeaders) -> ServiceResult<User> {
    let email = trusted
        .email
        .map(|e| e.to_lowercase())
        .filter(|e| !e.is_empty())
        .ok_or_else(|| ServiceError::invalid(msg::INVALID_TRUSTED_HEADER))?;
    let name = trusted
        .name
        .as_deref()
        .map(percent_decode)
        .unwrap_or_else(|| email.clone());
    let user = find_or_create(app, &email, name).await?;
    let role = trusted
        .role
        .map(|v| v.trim().to_lowercase())
        .filter(|v| !v.is_empty());
    let Some(role) = role else {
        return Ok(user);
    };
    match role.parse::<Role>() {
        Ok(role) if role != user.role => {
            let patch = UserPatch {
                role: Some(role),
                ..UserPatch::default()
            };
            Ok(app
                .storage
                .users()
                .update(&user.id, &patch, now_epoch())
                .await?)
        }
        Ok(_) => Ok(user),
        Err(_) => {
            tracing::warn!(role = %role, "ignoring an unknown role in the trusted role header");
            Ok(user)
        }
    }
}

/// With authentication off, everyone is the built-in admin `admin@localhost`.
async fn no_auth_admin(app: &App) -> ServiceResult<User> {
    const EMAIL: &str = "admin@localhost";
    if let Some((user, _)) = app.accounts.verify(EMAIL, "admin").await? {
        return Ok(user);
    }
    if app.users_exist().await? {
        return Err(ServiceError::invalid(msg::EXISTING_USERS));
    }
    let request = NewUserRequest {
        name: "User".into(),
        email: EMAIL.into(),
        password: "admin".into(),
        profile_image_url: None,
        role: Role::Admin,
    };
    Ok(create_promoting_first(app, request).await?.user)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(super::percent_decode("J%C3%BCrgen%20M"), "Jürgen M");
        assert_eq!(super::percent_decode("100%"), "100%");
    }
}
