//! Accounts and sign-in (Open WebUI's `routers/auths.py` use cases): sign-up with first-admin
//! promotion, sign-in by password, trusted proxy header, LDAP or none at all, sessions,
//! profile and password changes, API keys, and the admin's auth settings.

pub mod admin;
pub mod admin_config;
pub mod api_key;
pub mod authenticate;
pub mod dto;
pub mod ldap;
pub mod profile;
pub mod sessions;
pub mod signin;
pub mod sso_config;

pub use sessions::{Session, issue, session_user};

use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::messages as msg;
use hearth_auth::accounts::{CreatedAccount, NewUserRequest};
use hearth_domain::config::keys;
use hearth_domain::time::now_epoch;
use hearth_domain::validate::check_profile_image_url;
use serde_json::json;

/// Creates an account; the first one becomes the admin, closes sign-up and is recorded as
/// the primary admin.
pub async fn create_promoting_first(
    app: &App,
    request: NewUserRequest,
) -> ServiceResult<CreatedAccount> {
    let created = app.accounts.create(request, true, now_epoch()).await?;
    app.mark_users_exist();
    if created.promoted {
        app.config
            .set(vec![
                (keys::ENABLE_SIGNUP.into(), json!(false)),
                (
                    keys::PRIMARY_ADMIN_ID.into(),
                    json!(created.user.id.as_str()),
                ),
            ])
            .await?;
    }
    Ok(created)
}

/// Validates a profile image URL. On the auth routes (`terse`) a bad URL is the generic 422
/// of those routes; elsewhere it is FastAPI's detail list.
pub fn check_image_url(app: &App, url: Option<&str>, terse: bool) -> ServiceResult<()> {
    let Some(url) = url else { return Ok(()) };
    let accounts = &app.settings.accounts;
    check_profile_image_url(
        url,
        &accounts.profile_image_allowed_mime_types,
        accounts.profile_image_max_data_uri_size,
    )
    .map_err(|error| {
        if terse {
            ServiceError::Unprocessable(msg::INVALID_AUTH_REQUEST.into())
        } else {
            ServiceError::field("profile_image_url", error)
        }
    })
}
