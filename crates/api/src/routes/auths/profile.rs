//! The signed-in user's own profile, time zone and password.

use super::check_image_url;
use super::dto::{
    ProfileResponse, StatusResponse, TimezoneForm, UpdatePasswordForm, UpdateProfileForm,
};
use crate::error::{ApiError, ApiResult};
use crate::extract::{CurrentUser, VerifiedUser};
use crate::messages as msg;
use crate::state::AppState;
use actix_web::{get, post, web};
use hearth_domain::text::strip_nul;
use hearth_domain::time::now_epoch;
use hearth_domain::user::UserPatch;

/// Updates name, avatar, bio, gender and date of birth (omitted optional fields are cleared).
#[utoipa::path(tag = "auths", request_body = UpdateProfileForm, responses((status = 200, body = ProfileResponse)))]
#[post("/update/profile")]
pub async fn update_profile(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    form: web::Json<UpdateProfileForm>,
) -> ApiResult<web::Json<ProfileResponse>> {
    let form = form.into_inner();
    check_image_url(&state, Some(&form.profile_image_url), true)?;
    let patch = UserPatch {
        name: Some(strip_nul(&form.name)),
        profile_image_url: Some(strip_nul(&form.profile_image_url)),
        bio: Some(form.bio.as_deref().map(strip_nul)),
        gender: Some(form.gender.as_deref().map(strip_nul)),
        date_of_birth: Some(form.date_of_birth),
        ..UserPatch::default()
    };
    let user = state
        .stores
        .users
        .update(&caller.user().id, &patch, now_epoch())
        .await?;
    Ok(web::Json(ProfileResponse {
        id: user.id.to_string(),
        name: user.name.clone(),
        role: user.role.to_string(),
        email: user.email.clone(),
        profile_image_url: user.profile_image_or_default(),
    }))
}

/// Records the browser's time zone.
#[utoipa::path(tag = "auths", request_body = TimezoneForm, responses((status = 200, body = StatusResponse)))]
#[post("/update/timezone")]
pub async fn update_timezone(
    state: web::Data<AppState>,
    caller: CurrentUser,
    form: web::Json<TimezoneForm>,
) -> ApiResult<web::Json<StatusResponse>> {
    let patch = UserPatch {
        timezone: Some(strip_nul(&form.timezone)),
        ..UserPatch::default()
    };
    state
        .stores
        .users
        .update(&caller.user().id, &patch, now_epoch())
        .await?;
    Ok(web::Json(StatusResponse { status: true }))
}

/// Changes the caller's password. Every session of the user, this one included, ends.
#[utoipa::path(tag = "auths", request_body = UpdatePasswordForm, responses((status = 200, body = bool)))]
#[post("/update/password")]
pub async fn update_password(
    state: web::Data<AppState>,
    caller: CurrentUser,
    form: web::Json<UpdatePasswordForm>,
) -> ApiResult<web::Json<bool>> {
    if hearth_settings::non_empty(&state.settings.accounts.trusted_email_header).is_some() {
        return Err(ApiError::bad_request(msg::ACTION_PROHIBITED));
    }
    state
        .accounts
        .change_password(caller.user(), &form.password, &form.new_password)
        .await?;
    Ok(web::Json(true))
}

/// Two-factor sign-in status (not available yet: off for everyone).
#[utoipa::path(tag = "auths", responses((status = 200, body = Object)))]
#[get("/mfa/status")]
pub async fn mfa_status(_caller: crate::extract::HumanUser) -> web::Json<serde_json::Value> {
    web::Json(
        serde_json::json!({"enabled": false, "required": false, "recovery_codes_remaining": 0}),
    )
}
