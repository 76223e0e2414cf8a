//! The signed-in user's own profile, time zone and password.

use super::check_image_url;
use super::dto::{
    ProfileResponse, StatusResponse, TimezoneForm, UpdatePasswordForm, UpdateProfileForm,
};
use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::messages as msg;
use hearth_domain::User;
use hearth_domain::text::strip_nul;
use hearth_domain::time::now_epoch;
use hearth_domain::user::UserPatch;

/// Updates name, avatar, bio, gender and date of birth (omitted optional fields are cleared).
pub async fn update_profile(
    app: &App,
    user: &User,
    form: UpdateProfileForm,
) -> ServiceResult<ProfileResponse> {
    check_image_url(app, Some(&form.profile_image_url), true)?;
    let patch = UserPatch {
        name: Some(strip_nul(&form.name)),
        profile_image_url: Some(strip_nul(&form.profile_image_url)),
        bio: Some(form.bio.as_deref().map(strip_nul)),
        gender: Some(form.gender.as_deref().map(strip_nul)),
        date_of_birth: Some(form.date_of_birth),
        ..UserPatch::default()
    };
    let user = app
        .storage
        .users()
        .update(&user.id, &patch, now_epoch())
        .await?;
    Ok(ProfileResponse {
        id: user.id.to_string(),
        name: user.name.clone(),
        role: user.role.to_string(),
        email: user.email.clone(),
        profile_image_url: user.profile_image_or_default(),
    })
}

/// Records the browser's time zone.
pub async fn update_timezone(
    app: &App,
    user: &User,
    form: TimezoneForm,
) -> ServiceResult<StatusResponse> {
    let patch = UserPatch {
        timezone: Some(strip_nul(&form.timezone)),
        ..UserPatch::default()
    };
    app.storage
        .users()
        .update(&user.id, &patch, now_epoch())
        .await?;
    Ok(StatusResponse { status: true })
}

/// Changes the caller's password. Every session of the user, this one included, ends.
pub async fn update_password(
    app: &App,
    user: &User,
    form: UpdatePasswordForm,
) -> ServiceResult<bool> {
    if hearth_settings::non_empty(&app.settings.accounts.trusted_email_header).is_some() {
        return Err(ServiceError::invalid(msg::ACTION_PROHIBITED));
    }
    app.accounts
        .change_password(user, &form.password, &form.new_password)
        .await?;
    Ok(true)
}
