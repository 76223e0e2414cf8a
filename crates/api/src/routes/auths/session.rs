//! Sign-in, sign-up, sign-out and the current session (`GET /api/v1/auths/`).

use super::dto::{SessionResponse, SessionUserInfo, SigninForm, SignupForm, StatusResponse};
use super::{check_image_url, issue_session};
use crate::error::{ApiError, ApiResult};
use crate::extract::{HumanUser, bearer};
use crate::messages as msg;
use crate::state::AppState;
use crate::{cookies, extract};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use hearth_auth::AuthError;
use hearth_auth::accounts::NewUserRequest;
use hearth_domain::config::keys;
use hearth_domain::time::now_epoch;
use hearth_domain::user::UserPatch;
use hearth_domain::{Role, User};
use serde_json::json;

/// The signed-in user with their token; re-sets the `token` cookie from the presented token.
#[utoipa::path(tag = "auths", responses((status = 200, body = SessionUserInfo)))]
#[get("/")]
pub async fn get_session_user(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: HumanUser,
) -> ApiResult<HttpResponse> {
    let token = bearer(&req)
        .or_else(|| req.cookie("token").map(|c| c.value().to_owned()))
        .unwrap_or_default();
    let expires_at = match &caller.0.method {
        hearth_auth::authenticate::AuthMethod::Session(claims) => claims.exp,
        hearth_auth::authenticate::AuthMethod::ApiKey => None,
    };
    let now = now_epoch();
    if expires_at.is_some_and(|exp| now > exp) {
        return Err(ApiError::unauthorized(msg::INVALID_TOKEN));
    }
    let settings = &state.settings;
    let cookie = cookies::session(
        &token,
        expires_at.map(|exp| exp - now),
        settings.http.cookie_same_site,
        settings.http.cookie_secure,
    );
    let user = caller.user();
    let body = SessionUserInfo {
        status_emoji: user.status_emoji.clone(),
        status_message: user.status_message.clone(),
        status_expires_at: user.status_expires_at,
        id: user.id.to_string(),
        name: user.name.clone(),
        role: user.role.to_string(),
        email: user.email.clone(),
        profile_image_url: user.profile_image_or_default(),
        token,
        token_type: "Bearer",
        expires_at,
        permissions: state.config.view().permissions.clone(),
        bio: user.bio.clone(),
        gender: user.gender.clone(),
        date_of_birth: user.date_of_birth,
    };
    Ok(HttpResponse::Ok().cookie(cookie).json(body))
}

/// Signs in with email and password (or the trusted header, or as the built-in admin
/// when authentication is off).
#[utoipa::path(tag = "auths", request_body = SigninForm, responses((status = 200, body = SessionResponse)))]
#[post("/signin")]
pub async fn signin(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Json<SigninForm>,
) -> ApiResult<HttpResponse> {
    let settings = &state.settings;
    let (user, method) =
        if let Some(header) = hearth_settings::non_empty(&settings.accounts.trusted_email_header) {
            (
                trusted_header_user(&req, &state, header).await?,
                "trusted_header",
            )
        } else if !settings.accounts.webui_auth {
            (no_auth_admin(&state).await?, "system")
        } else {
            let (user, _) = state
                .accounts
                .sign_in(&form.email, &form.password, now_epoch())
                .await?;
            (user, "password")
        };
    let stamp = state.accounts.session_stamp(&user.id).await?;
    issue_session(&state, &user, stamp.as_deref(), Some(method))
}

/// Creates an account. The first account becomes admin and closes sign-up.
#[utoipa::path(tag = "auths", request_body = SignupForm, responses((status = 200, body = SessionResponse)))]
#[post("/signup")]
pub async fn signup(
    state: web::Data<AppState>,
    form: web::Json<SignupForm>,
) -> ApiResult<HttpResponse> {
    let form = form.into_inner();
    let has_users = state.users_exist().await?;
    if has_users {
        // Another instance may have closed sign-up moments ago.
        state.config.reload().await?;
    }
    let view = state.config.view();
    let settings = &state.settings;
    let allowed = if !settings.accounts.webui_auth {
        !has_users
    } else if has_users {
        view.flag(keys::ENABLE_SIGNUP) && view.flag(keys::ENABLE_LOGIN_FORM)
    } else {
        view.flag(keys::ENABLE_LOGIN_FORM) || settings.accounts.enable_initial_admin_signup
    };
    if !allowed {
        return Err(AuthError::SignupClosed.into());
    }
    check_image_url(&state, form.profile_image_url.as_deref(), true)?;
    let request = NewUserRequest {
        name: form.name,
        email: form.email,
        password: form.password,
        profile_image_url: form.profile_image_url,
        role: view.default_role(),
    };
    let created = create_promoting_first(&state, request).await?;
    issue_session(
        &state,
        &created.user,
        Some(&created.session_stamp),
        Some("password"),
    )
}

/// Signs out: expires the session cookies. After a sign-in through an identity provider the
/// answer carries the provider's end-session URL as `redirect_url` (else
/// `WEBUI_AUTH_SIGNOUT_REDIRECT_URL`, when set).
#[utoipa::path(tag = "auths", responses((status = 200, body = StatusResponse)))]
#[post("/signout")]
pub async fn signout(req: HttpRequest, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    // Signing out must not fail because the provider session cannot be looked up.
    let provider_url = crate::routes::oauth::end_session(&req, &state)
        .await
        .unwrap_or_else(|error| {
            tracing::warn!(detail = %error.detail(), "cannot end the provider session");
            None
        });
    let redirect_url = provider_url.or_else(|| {
        hearth_settings::non_empty(&state.settings.sso.signout_redirect_url).map(str::to_owned)
    });
    let mut response = HttpResponse::Ok();
    for name in [
        "token",
        "owui-session",
        "oauth_id_token",
        "oauth_session_id",
    ] {
        response.cookie(cookies::expired(name));
    }
    Ok(match redirect_url {
        Some(url) => response.json(json!({"status": true, "redirect_url": url})),
        None => response.json(StatusResponse { status: true }),
    })
}

pub(crate) async fn create_promoting_first(
    state: &AppState,
    request: NewUserRequest,
) -> ApiResult<hearth_auth::accounts::CreatedAccount> {
    let created = state.accounts.create(request, true, now_epoch()).await?;
    state.mark_users_exist();
    if created.promoted {
        state
            .config
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

/// Trusted-header sign-in: the proxy vouches for the email (unknown emails get an account) and,
/// with `WEBUI_AUTH_TRUSTED_ROLE_HEADER`, for the role; other role values are ignored.
async fn trusted_header_user(req: &HttpRequest, state: &AppState, header: &str) -> ApiResult<User> {
    let user = trusted_header_account(req, state, header).await?;
    let role = state
        .settings
        .accounts
        .trusted_role_header
        .as_deref()
        .and_then(|name| req.headers().get(name))
        .and_then(|v| v.to_str().ok())
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
            Ok(state
                .stores
                .users
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

async fn trusted_header_account(
    req: &HttpRequest,
    state: &AppState,
    header: &str,
) -> ApiResult<User> {
    let email = req
        .headers()
        .get(header)
        .and_then(|v| v.to_str().ok())
        .map(str::to_lowercase)
        .filter(|e| !e.is_empty())
        .ok_or_else(|| ApiError::bad_request(msg::INVALID_TRUSTED_HEADER))?;
    if let Some(user) = state.stores.users.get_by_email(&email).await? {
        return Ok(user);
    }
    let name = state
        .settings
        .accounts
        .trusted_name_header
        .as_deref()
        .and_then(|name| req.headers().get(name))
        .and_then(|v| v.to_str().ok())
        .map(percent_decode)
        .unwrap_or_else(|| email.clone());
    let request = NewUserRequest {
        name,
        email: email.clone(),
        password: uuid::Uuid::new_v4().to_string(),
        profile_image_url: None,
        role: state.config.view().default_role(),
    };
    match create_promoting_first(state, request).await {
        Ok(created) => Ok(created.user),
        // A concurrent request may have created the account first.
        Err(error) => state.stores.users.get_by_email(&email).await?.ok_or(error),
    }
}

/// With authentication off, everyone is the built-in admin `admin@localhost`.
async fn no_auth_admin(state: &AppState) -> ApiResult<User> {
    const EMAIL: &str = "admin@localhost";
    if let Some((user, _)) = state.accounts.verify(EMAIL, "admin").await? {
        return Ok(user);
    }
    if state.users_exist().await? {
        return Err(ApiError::bad_request(msg::EXISTING_USERS));
    }
    let request = NewUserRequest {
        name: "User".into(),
        email: EMAIL.into(),
        password: "admin".into(),
        profile_image_url: None,
        role: Role::Admin,
    };
    Ok(create_promoting_first(state, request).await?.user)
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

/// Used by `GET /api/config` and friends: the caller's user if a valid session token is
/// presented, `None` otherwise.
pub async fn optional_session_user(req: &HttpRequest, state: &AppState) -> ApiResult<Option<User>> {
    let Some(token) =
        extract::bearer(req).or_else(|| req.cookie("token").map(|c| c.value().to_owned()))
    else {
        return Ok(None);
    };
    Ok(state.authenticator.optional_session_user(&token).await?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(super::percent_decode("J%C3%BCrgen%20M"), "Jürgen M");
        assert_eq!(super::percent_decode("100%"), "100%");
    }
}
