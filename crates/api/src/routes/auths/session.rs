//! Sign-in (password, trusted header, LDAP), sign-up, sign-out and the current session.

use super::respond::session_response;
use crate::cookies;
use crate::error::ApiResult;
use crate::extract::{HumanUser, bearer};
use crate::json_body::JsonBody;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use hearth_auth::authenticate::AuthMethod;
use hearth_services::accounts::dto::{
    LdapForm, SessionResponse, SessionUserInfo, SigninForm, SignupForm, StatusResponse,
};
use hearth_services::accounts::signin::TrustedHeaders;
use hearth_services::accounts::{self, ldap, signin as signing_in};
use hearth_services::sso;
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
        AuthMethod::Session(claims) => claims.exp,
        AuthMethod::ApiKey => None,
    };
    let (info, lifetime) =
        accounts::session_user(&state.app, caller.user(), token.clone(), expires_at)?;
    let http = &state.app.settings.http;
    let cookie = cookies::session(&token, lifetime, http.cookie_same_site, http.cookie_secure);
    Ok(HttpResponse::Ok().cookie(cookie).json(info))
}

/// The values of the trusted headers the settings name.
fn trusted_headers(req: &HttpRequest, state: &AppState) -> TrustedHeaders {
    let accounts = &state.app.settings.accounts;
    let header = |name: &Option<String>| {
        hearth_settings::non_empty(name)
            .and_then(|name| req.headers().get(name))
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    TrustedHeaders {
        email: header(&accounts.trusted_email_header),
        name: header(&accounts.trusted_name_header),
        role: header(&accounts.trusted_role_header),
    }
}

/// Signs in with email and password (or the trusted header, or as the built-in admin
/// when authentication is off).
#[utoipa::path(tag = "auths", request_body = SigninForm, responses((status = 200, body = SessionResponse)))]
#[post("/signin")]
pub async fn signin(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: JsonBody<SigninForm>,
) -> ApiResult<HttpResponse> {
    let trusted = trusted_headers(&req, &state);
    let session = signing_in::sign_in(&state.app, &form, trusted).await?;
    Ok(session_response(&state, session))
}

/// Creates an account. The first account becomes admin and closes sign-up.
#[utoipa::path(tag = "auths", request_body = SignupForm, responses((status = 200, body = SessionResponse)))]
#[post("/signup")]
pub async fn signup(
    state: web::Data<AppState>,
    form: JsonBody<SignupForm>,
) -> ApiResult<HttpResponse> {
    let session = signing_in::sign_up(&state.app, form.into_inner()).await?;
    Ok(session_response(&state, session))
}

/// Signs in with directory credentials.
#[utoipa::path(tag = "auths", request_body = LdapForm, responses((status = 200, body = Object), (status = 400)))]
#[post("/ldap")]
pub async fn ldap_signin(
    state: web::Data<AppState>,
    form: JsonBody<LdapForm>,
) -> ApiResult<HttpResponse> {
    let session = ldap::sign_in(&state.app, &form).await?;
    Ok(session_response(&state, session))
}

/// Signs out: expires the session cookies. After a sign-in through an identity provider the
/// answer carries the provider's end-session URL as `redirect_url` (else
/// `WEBUI_AUTH_SIGNOUT_REDIRECT_URL`, when set).
#[utoipa::path(tag = "auths", responses((status = 200, body = StatusResponse)))]
#[post("/signout")]
pub async fn signout(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let provider_session = req.cookie("oauth_session_id").map(|c| c.value().to_owned());
    let redirect_url = sso::sign_out(&state.app, provider_session.as_deref()).await;
    let mut response = HttpResponse::Ok();
    for name in [
        "token",
        "owui-session",
        "oauth_id_token",
        "oauth_session_id",
    ] {
        response.cookie(cookies::expired(name));
    }
    match redirect_url {
        Some(url) => response.json(json!({"status": true, "redirect_url": url})),
        None => response.json(StatusResponse { status: true }),
    }
}
