//! Admin functions of `/api/v1/auths`: add a user, the admin contact, the LDAP switch.

use super::check_image_url;
use super::dto::{AddUserForm, AddUserResponse, AdminDetails};
use crate::error::{ApiError, ApiResult};
use crate::extract::{AdminUser, CurrentUser};
use crate::messages as msg;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, post, web};
use hearth_auth::accounts::NewUserRequest;
use hearth_auth::tokens::TokenRequest;
use hearth_domain::Role;
use hearth_domain::config::keys;
use hearth_domain::time::now_epoch;
use hearth_domain::user::default_profile_image_url;
use serde::Deserialize;
use serde_json::{Value, json};

/// Adds an account (admin). The new user is not promoted, whatever the user count.
#[utoipa::path(tag = "auths", request_body = AddUserForm, responses((status = 200, body = AddUserResponse)))]
#[post("/add")]
pub async fn add_user(
    state: web::Data<AppState>,
    _admin: AdminUser,
    form: web::Json<AddUserForm>,
) -> ApiResult<web::Json<AddUserResponse>> {
    let form = form.into_inner();
    check_image_url(&state, form.profile_image_url.as_deref(), true)?;
    let role = match form.role.as_deref() {
        None => Role::Pending,
        Some(text) => text.parse().map_err(|_| {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, msg::INVALID_AUTH_REQUEST)
        })?,
    };
    let request = NewUserRequest {
        name: form.name,
        email: form.email,
        password: form.password,
        profile_image_url: form.profile_image_url,
        role,
    };
    let created = state.accounts.create(request, false, now_epoch()).await?;
    state.mark_users_exist();
    let token = state.authenticator.tokens().issue(
        &TokenRequest {
            user_id: &created.user.id,
            session_stamp: Some(&created.session_stamp),
            auth_method: None,
            lifetime_secs: state.config.view().jwt_lifetime_secs,
        },
        now_epoch(),
    )?;
    let user = created.user;
    Ok(web::Json(AddUserResponse {
        profile_image_url: default_profile_image_url(&user.id),
        id: user.id.into_string(),
        email: user.email,
        name: user.name,
        role: user.role.to_string(),
        token: token.token,
        token_type: "Bearer",
    }))
}

/// Name and email of the admin to contact, shown to pending users (400 when hidden).
#[utoipa::path(tag = "auths", responses((status = 200, body = AdminDetails)))]
#[get("/admin/details")]
pub async fn admin_details(
    state: web::Data<AppState>,
    _caller: CurrentUser,
) -> ApiResult<web::Json<AdminDetails>> {
    let view = state.config.view();
    if !view.flag(keys::ADMIN_SHOW) {
        return Err(ApiError::bad_request(msg::ACTION_PROHIBITED));
    }
    let users = &state.stores.users;
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
            let first = state.primary_admin().await?;
            AdminDetails {
                name: first.as_ref().map(|u| u.name.clone()),
                email: first.map(|u| u.email),
            }
        }
    };
    Ok(web::Json(details))
}

/// `{ENABLE_LDAP}`.
#[utoipa::path(tag = "auths", responses((status = 200, body = Object)))]
#[get("/admin/config/ldap")]
pub async fn get_ldap_config(state: web::Data<AppState>, _admin: AdminUser) -> web::Json<Value> {
    web::Json(json!({"ENABLE_LDAP": state.config.view().flag("ldap.enable")}))
}

/// Body of `POST /admin/config/ldap`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct LdapToggle {
    /// Whether LDAP sign-in is on.
    pub enable_ldap: bool,
}

/// Turns LDAP sign-in on or off.
#[utoipa::path(tag = "auths", request_body = LdapToggle, responses((status = 200, body = Object)))]
#[post("/admin/config/ldap")]
pub async fn update_ldap_config(
    state: web::Data<AppState>,
    _admin: AdminUser,
    form: web::Json<LdapToggle>,
) -> ApiResult<web::Json<Value>> {
    state
        .config
        .set(vec![("ldap.enable".into(), json!(form.enable_ldap))])
        .await?;
    Ok(web::Json(json!({"ENABLE_LDAP": form.enable_ldap})))
}
