//! `/oauth/{provider}/…`: sign-in through an identity provider (use cases in
//! `hearth_services::sso`). `login` sends the browser to the provider with state, nonce and
//! PKCE kept in a sealed `oauth_login` cookie; the callback (and its legacy alias) lands on
//! `/auth` with the `token` cookie the web client reads, or with `?error=`.

use crate::cookies;
use crate::error::ApiResult;
use crate::state::AppState;
use actix_web::cookie::Cookie;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use hearth_services::sso::{self, CallbackQuery, ProviderSignIn, Start};
use hearth_settings::SameSite;
use utoipa_actix_web::service_config::ServiceConfig;

/// Cookie carrying the sealed pending login between `login` and the callback.
const LOGIN_COOKIE: &str = "oauth_login";

/// Registers the routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(login)
        .service(callback)
        .service(legacy_callback);
}

/// The request's scheme and host.
fn request_base(req: &HttpRequest) -> String {
    let info = req.connection_info();
    format!("{}://{}", info.scheme(), info.host())
}

/// The pending-login cookie (SameSite=Lax: the callback is a cross-site navigation).
fn login_cookie(state: &AppState, value: &str, max_age: Option<i64>) -> Cookie<'static> {
    let secure = state.app.settings.http.cookie_secure;
    let mut cookie = cookies::named(LOGIN_COOKIE, value, max_age, SameSite::Lax, secure, true);
    cookie.set_path("/oauth");
    cookie
}

/// A 302 to `location` that also expires the pending-login cookie.
fn found(state: &AppState, location: String) -> actix_web::HttpResponseBuilder {
    let mut expired = login_cookie(state, "", None);
    expired.make_removal();
    let mut response = HttpResponse::Found();
    response
        .insert_header((header::LOCATION, location))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .cookie(expired);
    response
}

/// A redirect to the sign-in page with an error the page shows.
fn to_auth_with_error(req: &HttpRequest, state: &AppState, message: &str) -> HttpResponse {
    let base = sso::public_base(&state.app, &request_base(req));
    let location = format!("{base}/auth?error={}", sso::flow::encode(message));
    found(state, location).finish()
}

/// Starts a sign-in: redirects to the provider.
#[utoipa::path(
    tag = "oauth",
    params(("provider" = String, Path, description = "google, microsoft, github or oidc")),
    responses((status = 302, description = "To the provider's sign-in page"), (status = 404))
)]
#[get("/oauth/{provider}/login")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    match sso::start(&state.app, &path, &request_base(&req)).await? {
        Start::Redirect { url, pending } => {
            let ttl = state.app.settings.sso.login_ttl.as_secs();
            let max_age = i64::try_from(ttl).unwrap_or(i64::MAX);
            Ok(HttpResponse::Found()
                .insert_header((header::LOCATION, url))
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .cookie(login_cookie(&state, &pending, Some(max_age)))
                .finish())
        }
        Start::Failed(message) => Ok(to_auth_with_error(&req, &state, message)),
    }
}

/// Completes a sign-in.
#[utoipa::path(
    tag = "oauth",
    params(("provider" = String, Path), CallbackQuery),
    responses((status = 302, description = "To /auth, signed in or with ?error="), (status = 404))
)]
#[get("/oauth/{provider}/login/callback")]
pub async fn callback(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<CallbackQuery>,
) -> ApiResult<HttpResponse> {
    finish(req, state, &path, query.into_inner()).await
}

/// Completes a sign-in (the path older provider registrations use).
#[utoipa::path(
    tag = "oauth",
    params(("provider" = String, Path), CallbackQuery),
    responses((status = 302, description = "To /auth, signed in or with ?error="), (status = 404))
)]
#[get("/oauth/{provider}/callback")]
pub async fn legacy_callback(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<CallbackQuery>,
) -> ApiResult<HttpResponse> {
    finish(req, state, &path, query.into_inner()).await
}

async fn finish(
    req: HttpRequest,
    state: web::Data<AppState>,
    name: &str,
    query: CallbackQuery,
) -> ApiResult<HttpResponse> {
    let pending = req.cookie(LOGIN_COOKIE).map(|c| c.value().to_owned());
    match sso::callback(&state.app, name, pending.as_deref(), query).await? {
        Ok(signed_in) => Ok(signed_in_response(&req, &state, signed_in)),
        Err(message) => Ok(to_auth_with_error(&req, &state, message)),
    }
}

/// Lands on `/auth` with the session cookies.
fn signed_in_response(req: &HttpRequest, state: &AppState, done: ProviderSignIn) -> HttpResponse {
    let http = &state.app.settings.http;
    let lifetime = done.session.lifetime;
    let cookie = |name: &'static str, value: &str, http_only: bool| {
        cookies::named(
            name,
            value,
            lifetime,
            http.cookie_same_site,
            http.cookie_secure,
            http_only,
        )
    };
    let base = sso::public_base(&state.app, &request_base(req));
    let mut response = found(state, format!("{base}/auth"));
    // The web client reads this one from script, as with Open WebUI.
    response.cookie(cookie("token", &done.session.token, false));
    if let Some(id) = &done.provider_session {
        response.cookie(cookie("oauth_session_id", id, true));
    }
    if let Some(id_token) = &done.id_token {
        response.cookie(cookie("oauth_id_token", id_token, true));
    }
    response.finish()
}
