//! Admin functions of `/api/v1/auths`: add a user, the admin contact, the LDAP switch.

use super::check_image_url;
use super::dto::{AddUserForm, AddUserResponse, AdminDetails};
use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::messages as msg;
use hearth_auth::accounts::NewUserRequest;
use hearth_auth::tokens::TokenRequest;
use hearth_domain::Role;
use hearth_domain::config::keys;
use hearth_domain::time::now_epoch;
use hearth_domain::user::default_profile_image_url;
use serde_json::{Value, json};

/// Adds an account (admin). The new user is not promoted, whatever the user count.
pub async fn add_user(app: &App, form: AddUserForm) -> ServiceResult<AddUserResponse> {
    check_image_url(app, form.profile_image_url.as_deref(), true)?;
    let role = match form.role.as_deref() {
        None => Role::Pending,
        Some(text) => text
            .parse()
            .map_err(|_| ServiceError::Unprocessable(msg::INVALID_AUTH_REQUEST.into()))?,
    };
    let request = NewUserRequest {
        name: form.name,
        email: form.email,
        password: form.password,
        profile_image_url: form.profile_image_url,
        role,
    };
    let created = app.accounts.create(request, false, now_epoch()).await?;
    app.mark_users_exist();
    let token = app.authenticator.tokens().issue(
        &TokenRequest {
            user_id: &created.user.id,
            session_stamp: Some(&created.session_stamp),
            auth_method: None,
            lifetime_secs: app.config.view().jwt_lifetime_secs,
        },
        now_epoch(),
    )?;
    let user = created.user;
    Ok(AddUserResponse {
        profile_image_url: default_profile_image_url(&user.id),
        id: user.id.into_string(),
        email: user.email,
        name: user.name,
        role: user.role.to_string(),
        token: token.token,
        token_type: "Bearer",
    })
}

/// Name and email of the admin to contact, shown to pending users (400 when hidden).
pub async fn admin_details(app: &App) -> ServiceResult<AdminDetails> {
    let view = app.config.view();
    if !view.flag(keys::ADMIN_SHOW) {
        return Err(ServiceError::invalid(msg::ACTION_PROHIBITED));
    }
    let users = app.storage.users();
    let details = match view
        .snapshot
        .text(keys::ADMIN_EMAIL)
        .filter(|e| !e.is_empty())
    {
        Some(email) => AdminDetails {
            name: users.get_by_email(email).await?.map(|u| u.name),
            email: Some(email.to_owned()),
        },
        None => {
            let first = app.primary_admin().await?;
            AdminDetails {
                name: first.as_ref().map(|u| u.name.clone()),
                email: first.map(|u| u.email),
            }
        }
    };
    Ok(details)
}

/// `{ENABLE_LDAP}`.
pub fn ldap_config(app: &App) -> Value {
    json!({"ENABLE_LDAP": app.view().flag("ldap.enable")})
}

/// Turns LDAP sign-in on or off.
pub async fn set_ldap_config(app: &App, enable: bool) -> ServiceResult<Value> {
    app.config
        .set(vec![("ldap.enable".into(), json!(enable))])
        .await?;
    Ok(json!({"ENABLE_LDAP": enable}))
}

/// Creates the `WEBUI_ADMIN_EMAIL` account on an instance without users (recorded as the
/// primary admin); returns whether it did.
pub async fn create_env_admin(app: &App) -> ServiceResult<bool> {
    let accounts = &app.settings.accounts;
    let (Some(email), Some(password)) = (
        hearth_settings::non_empty(&accounts.admin_email),
        hearth_settings::non_empty(&accounts.admin_password),
    ) else {
        return Ok(false);
    };
    if app.users_exist().await? {
        return Ok(false);
    }
    let request = NewUserRequest {
        name: accounts.admin_name.clone(),
        email: email.to_owned(),
        password: password.to_owned(),
        profile_image_url: None,
        role: Role::Admin,
    };
    let created = app.accounts.create(request, false, now_epoch()).await?;
    app.mark_users_exist();
    let primary = (
        keys::PRIMARY_ADMIN_ID.to_owned(),
        json!(created.user.id.as_str()),
    );
    app.config.set(vec![primary]).await?;
    tracing::info!("created the admin account from WEBUI_ADMIN_EMAIL");
    Ok(true)
}
