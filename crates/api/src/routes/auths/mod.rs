//! `/api/v1/auths`: sessions, profile, passwords, API keys and the admin's auth settings.

mod admin;
mod admin_config;
mod api_key;
pub mod dto;
mod ldap;
mod profile;
mod session;
mod sso_config;

pub(crate) use session::create_promoting_first;
pub use session::optional_session_user;

use crate::body::auth_json_config;
use crate::cookies;
use crate::error::{ApiError, ApiResult};
use crate::messages as msg;
use crate::state::AppState;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::middleware::DefaultHeaders;
use dto::SessionResponse;
use hearth_auth::tokens::{IssuedToken, TokenRequest};
use hearth_domain::User;
use hearth_domain::time::now_epoch;
use hearth_domain::user::default_profile_image_url;
use hearth_domain::validate::check_profile_image_url;
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the router under `/api/v1/auths`.
pub fn configure(cfg: &mut ServiceConfig, body_limit: usize) {
    cfg.service(
        scope("/api/v1/auths")
            .app_data(auth_json_config(body_limit))
            .wrap(DefaultHeaders::new().add(("Cache-Control", "no-store")))
            .service(session::get_session_user)
            .service(session::signin)
            .service(session::signup)
            .service(session::signout)
            .service(ldap::ldap_signin)
            .service(profile::update_profile)
            .service(profile::update_timezone)
            .service(profile::update_password)
            .service(profile::mfa_status)
            .service(admin::add_user)
            .service(admin::admin_details)
            .service(admin_config::get_admin_config)
            .service(admin_config::update_admin_config)
            .service(admin::get_ldap_config)
            .service(admin::update_ldap_config)
            .service(sso_config::get_ldap_server)
            .service(sso_config::update_ldap_server)
            .service(sso_config::get_oauth_config)
            .service(sso_config::update_oauth_config)
            .service(api_key::create_api_key)
            .service(api_key::get_api_key)
            .service(api_key::delete_api_key),
    );
}

/// Signs a session token for `user`, living as long as the settings say.
pub(crate) fn sign_token(
    state: &AppState,
    user: &User,
    stamp: Option<&str>,
    method: Option<&str>,
) -> ApiResult<IssuedToken> {
    let request = TokenRequest {
        user_id: &user.id,
        session_stamp: stamp,
        auth_method: method,
        lifetime_secs: state.config.view().jwt_lifetime_secs,
    };
    Ok(state.authenticator.tokens().issue(&request, now_epoch())?)
}

/// Signs a session token for `user` and answers with it and the `token` cookie.
pub(crate) fn issue_session(
    state: &AppState,
    user: &User,
    stamp: Option<&str>,
    method: Option<&str>,
) -> ApiResult<HttpResponse> {
    let view = state.config.view();
    let issued = sign_token(state, user, stamp, method)?;
    let settings = &state.settings;
    let cookie = cookies::session(
        &issued.token,
        view.jwt_lifetime_secs,
        settings.http.cookie_same_site,
        settings.http.cookie_secure,
    );
    let body = SessionResponse {
        id: user.id.to_string(),
        name: user.name.clone(),
        role: user.role.to_string(),
        email: user.email.clone(),
        profile_image_url: default_profile_image_url(&user.id),
        token: issued.token,
        token_type: "Bearer",
        expires_at: issued.expires_at,
        permissions: view.permissions.clone(),
    };
    Ok(HttpResponse::Ok().cookie(cookie).json(body))
}

/// Validates a profile image URL. On the auth routes (`terse`) a bad URL is the generic
/// 422 of those routes; elsewhere it is FastAPI's detail list.
pub(crate) fn check_image_url(state: &AppState, url: Option<&str>, terse: bool) -> ApiResult<()> {
    let Some(url) = url else { return Ok(()) };
    let settings = &state.settings;
    check_profile_image_url(
        url,
        &settings.accounts.profile_image_allowed_mime_types,
        settings.accounts.profile_image_max_data_uri_size,
    )
    .map_err(|error| {
        if terse {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, msg::INVALID_AUTH_REQUEST)
        } else {
            ApiError::validation(serde_json::json!([{
                "type": "value_error",
                "loc": ["body", "profile_image_url"],
                "msg": format!("Value error, {error}"),
            }]))
        }
    })
}
