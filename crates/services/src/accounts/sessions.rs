//! Sessions: the token a sign-in issues (and its cookie's lifetime), and the current session
//! as `GET /api/v1/auths/` answers it.

use super::dto::{SessionResponse, SessionUserInfo};
use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::messages as msg;
use hearth_auth::tokens::TokenRequest;
use hearth_domain::User;
use hearth_domain::time::now_epoch;
use hearth_domain::user::default_profile_image_url;

/// A session to hand to the browser: the answer's body, the token for the `token` cookie
/// and how long the cookie lives (seconds; `None`: a session cookie that never expires).
#[derive(Debug)]
pub struct Session {
    /// The body.
    pub body: SessionResponse,
    /// The token.
    pub token: String,
    /// Cookie lifetime in seconds.
    pub lifetime: Option<i64>,
}

/// Signs a session token for `user` (with its session stamp and sign-in method), living as
/// long as the settings say.
pub fn issue(
    app: &App,
    user: &User,
    stamp: Option<&str>,
    method: Option<&str>,
) -> ServiceResult<Session> {
    let view = app.view();
    let request = TokenRequest {
        user_id: &user.id,
        session_stamp: stamp,
        auth_method: method,
        lifetime_secs: view.jwt_lifetime_secs,
    };
    let issued = app.authenticator.tokens().issue(&request, now_epoch())?;
    let body = SessionResponse {
        id: user.id.to_string(),
        name: user.name.clone(),
        role: user.role.to_string(),
        email: user.email.clone(),
        profile_image_url: default_profile_image_url(&user.id),
        token: issued.token.clone(),
        token_type: "Bearer",
        expires_at: issued.expires_at,
        permissions: view.permissions.clone(),
    };
    Ok(Session {
        body,
        token: issued.token,
        lifetime: view.jwt_lifetime_secs,
    })
}

/// Signs a session for `user` with their current session stamp.
pub async fn issue_current(app: &App, user: &User, method: &str) -> ServiceResult<Session> {
    let stamp = app.accounts.session_stamp(&user.id).await?;
    issue(app, user, stamp.as_deref(), Some(method))
}

/// The signed-in user with the token they presented (expiring `expires_at`); the cookie
/// lifetime is what remains of it. 401 once it has expired.
pub fn session_user(
    app: &App,
    user: &User,
    token: String,
    expires_at: Option<i64>,
) -> ServiceResult<(SessionUserInfo, Option<i64>)> {
    let now = now_epoch();
    if expires_at.is_some_and(|exp| now > exp) {
        return Err(ServiceError::unauthorized(msg::INVALID_TOKEN));
    }
    let info = SessionUserInfo {
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
        permissions: app.view().permissions.clone(),
        bio: user.bio.clone(),
        gender: user.gender.clone(),
        date_of_birth: user.date_of_birth,
    };
    Ok((info, expires_at.map(|exp| exp - now)))
}
