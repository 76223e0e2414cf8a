//! Admin functions of `/api/v1/auths`: add a user, the admin contact, and the auth settings
//! of Admin ▸ Settings (General, LDAP, OAuth).

use crate::error::ApiResult;
use crate::extract::{AdminUser, CurrentUser};
use crate::json_body::JsonBody;
use crate::state::AppState;
use actix_web::{get, post, web};
use hearth_services::accounts::admin_config::AdminConfigForm;
use hearth_services::accounts::dto::{AddUserForm, AddUserResponse, AdminDetails, LdapToggle};
use hearth_services::accounts::{admin, admin_config, sso_config};
use serde_json::{Map, Value};

type Form = JsonBody<Map<String, Value>>;

/// Adds an account (admin). The new user is not promoted, whatever the user count.
#[utoipa::path(tag = "auths", request_body = AddUserForm, responses((status = 200, body = AddUserResponse)))]
#[post("/add")]
pub async fn add_user(
    state: web::Data<AppState>,
    _admin: AdminUser,
    form: JsonBody<AddUserForm>,
) -> ApiResult<web::Json<AddUserResponse>> {
    Ok(web::Json(
        admin::add_user(&state.app, form.into_inner()).await?,
    ))
}

/// Name and email of the admin to contact, shown to pending users (400 when hidden).
#[utoipa::path(tag = "auths", responses((status = 200, body = AdminDetails)))]
#[get("/admin/details")]
pub async fn admin_details(
    state: web::Data<AppState>,
    _caller: CurrentUser,
) -> ApiResult<web::Json<AdminDetails>> {
    Ok(web::Json(admin::admin_details(&state.app).await?))
}

/// The auth and instance settings of Admin ▸ Settings ▸ General.
#[utoipa::path(tag = "auths", responses((status = 200, body = Object)))]
#[get("/admin/config")]
pub async fn get_admin_config(
    state: web::Data<AppState>,
    _admin: AdminUser,
) -> web::Json<Map<String, Value>> {
    web::Json(admin_config::admin_config(&state.app))
}

/// Saves those settings; answers with the stored values.
#[utoipa::path(tag = "auths", request_body = AdminConfigForm, responses((status = 200, body = Object), (status = 400), (status = 422)))]
#[post("/admin/config")]
pub async fn update_admin_config(
    state: web::Data<AppState>,
    _admin: AdminUser,
    form: Form,
) -> ApiResult<web::Json<Map<String, Value>>> {
    Ok(web::Json(
        admin_config::set_admin_config(&state.app, &form).await?,
    ))
}

/// `{ENABLE_LDAP}`.
#[utoipa::path(tag = "auths", responses((status = 200, body = Object)))]
#[get("/admin/config/ldap")]
pub async fn get_ldap_config(state: web::Data<AppState>, _admin: AdminUser) -> web::Json<Value> {
    web::Json(admin::ldap_config(&state.app))
}

/// Turns LDAP sign-in on or off.
#[utoipa::path(tag = "auths", request_body = LdapToggle, responses((status = 200, body = Object)))]
#[post("/admin/config/ldap")]
pub async fn update_ldap_config(
    state: web::Data<AppState>,
    _admin: AdminUser,
    form: JsonBody<LdapToggle>,
) -> ApiResult<web::Json<Value>> {
    Ok(web::Json(
        admin::set_ldap_config(&state.app, form.enable_ldap).await?,
    ))
}

/// The LDAP server settings (admin).
#[utoipa::path(tag = "auths", responses((status = 200, body = Object)))]
#[get("/admin/config/ldap/server")]
pub async fn get_ldap_server(state: web::Data<AppState>, _admin: AdminUser) -> web::Json<Value> {
    web::Json(sso_config::ldap_server(&state.app))
}

/// Saves the LDAP server settings (admin); the required fields must not be empty.
#[utoipa::path(tag = "auths", request_body = Object, responses((status = 200, body = Object), (status = 400)))]
#[post("/admin/config/ldap/server")]
pub async fn update_ldap_server(
    state: web::Data<AppState>,
    _admin: AdminUser,
    form: Form,
) -> ApiResult<web::Json<Value>> {
    Ok(web::Json(
        sso_config::set_ldap_server(&state.app, &form).await?,
    ))
}

/// The OAuth settings (admin). Lists read as the form shows them: comma-separated.
#[utoipa::path(tag = "auths", responses((status = 200, body = Object)))]
#[get("/admin/config/oauth")]
pub async fn get_oauth_config(state: web::Data<AppState>, _admin: AdminUser) -> web::Json<Value> {
    web::Json(sso_config::oauth_config(&state.app))
}

/// Saves the OAuth settings the form sends (unknown fields and nulls are ignored).
#[utoipa::path(tag = "auths", request_body = Object, responses((status = 200, body = Object)))]
#[post("/admin/config/oauth")]
pub async fn update_oauth_config(
    state: web::Data<AppState>,
    _admin: AdminUser,
    form: Form,
) -> ApiResult<web::Json<Value>> {
    Ok(web::Json(
        sso_config::set_oauth_config(&state.app, &form).await?,
    ))
}
