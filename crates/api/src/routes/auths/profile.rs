//! The signed-in user's own profile, time zone, password and API key.

use crate::error::ApiResult;
use crate::extract::{CurrentUser, HumanUser, VerifiedUser};
use crate::json_body::JsonBody;
use crate::state::AppState;
use actix_web::{delete, get, post, web};
use hearth_services::accounts::dto::{
    ApiKeyResponse, ProfileResponse, StatusResponse, TimezoneForm, UpdatePasswordForm,
    UpdateProfileForm,
};
use hearth_services::accounts::{api_key, profile};
use serde_json::{Value, json};

/// Updates name, avatar, bio, gender and date of birth (omitted optional fields are cleared).
#[utoipa::path(tag = "auths", request_body = UpdateProfileForm, responses((status = 200, body = ProfileResponse)))]
#[post("/update/profile")]
pub async fn update_profile(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    form: JsonBody<UpdateProfileForm>,
) -> ApiResult<web::Json<ProfileResponse>> {
    let form = form.into_inner();
    Ok(web::Json(
        profile::update_profile(&state.app, caller.user(), form).await?,
    ))
}

/// Records the browser's time zone.
#[utoipa::path(tag = "auths", request_body = TimezoneForm, responses((status = 200, body = StatusResponse)))]
#[post("/update/timezone")]
pub async fn update_timezone(
    state: web::Data<AppState>,
    caller: CurrentUser,
    form: JsonBody<TimezoneForm>,
) -> ApiResult<web::Json<StatusResponse>> {
    let form = form.into_inner();
    Ok(web::Json(
        profile::update_timezone(&state.app, caller.user(), form).await?,
    ))
}

/// Changes the caller's password. Every session of the user, this one included, ends.
#[utoipa::path(tag = "auths", request_body = UpdatePasswordForm, responses((status = 200, body = bool)))]
#[post("/update/password")]
pub async fn update_password(
    state: web::Data<AppState>,
    caller: CurrentUser,
    form: JsonBody<UpdatePasswordForm>,
) -> ApiResult<web::Json<bool>> {
    let form = form.into_inner();
    Ok(web::Json(
        profile::update_password(&state.app, caller.user(), form).await?,
    ))
}

/// Two-factor sign-in status (not available yet: off for everyone).
#[utoipa::path(tag = "auths", responses((status = 200, body = Object)))]
#[get("/mfa/status")]
pub async fn mfa_status(_caller: HumanUser) -> web::Json<Value> {
    web::Json(json!({"enabled": false, "required": false, "recovery_codes_remaining": 0}))
}

/// Creates a new key, replacing the previous one.
#[utoipa::path(tag = "auths", responses((status = 200, body = ApiKeyResponse)))]
#[post("/api_key")]
pub async fn create_api_key(
    state: web::Data<AppState>,
    caller: CurrentUser,
) -> ApiResult<web::Json<ApiKeyResponse>> {
    Ok(web::Json(
        api_key::create_api_key(&state.app, caller.user()).await?,
    ))
}

/// The caller's key.
#[utoipa::path(tag = "auths", responses((status = 200, body = ApiKeyResponse)))]
#[get("/api_key")]
pub async fn get_api_key(
    state: web::Data<AppState>,
    caller: CurrentUser,
) -> ApiResult<web::Json<ApiKeyResponse>> {
    Ok(web::Json(
        api_key::get_api_key(&state.app, caller.user()).await?,
    ))
}

/// Deletes the caller's key.
#[utoipa::path(tag = "auths", responses((status = 200, body = bool)))]
#[delete("/api_key")]
pub async fn delete_api_key(
    state: web::Data<AppState>,
    caller: CurrentUser,
) -> ApiResult<web::Json<bool>> {
    Ok(web::Json(
        api_key::delete_api_key(&state.app, caller.user()).await?,
    ))
}
