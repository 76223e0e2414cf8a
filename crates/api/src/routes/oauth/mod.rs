//! `/oauth/{provider}/…`: sign-in through an identity provider. `login` sends the browser to
//! the provider with state, nonce and PKCE kept in a sealed `oauth_login` cookie; the callback
//! (and its legacy alias) checks them, lets `hearth_sso` exchange the code and verify the ID
//! token, applies the account policy (`account.rs`) and lands on `/auth` with the `token`
//! cookie the web client reads, or with `?error=`.

mod account;
mod callback;
mod signout;

pub(crate) use signout::end_session;

use crate::cookies;
use crate::error::{ApiError, ApiResult};
use crate::messages as msg;
use crate::settings::SameSite;
use crate::sso::{self, NamedProvider};
use crate::state::AppState;
use actix_web::cookie::Cookie;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use hearth_domain::config::keys;
use utoipa_actix_web::service_config::ServiceConfig;

/// Cookie carrying the sealed pending login between `login` and the callback.
const LOGIN_COOKIE: &str = "oauth_login";

/// Registers the routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(login)
        .service(callback::callback)
        .service(callback::legacy_callback);
}

/// The enabled provider called `name`, or Open WebUI's bare 404.
fn enabled(state: &AppState, name: &str) -> ApiResult<NamedProvider> {
    sso::provider(&state.config.view().snapshot, &state.settings, name)
        .ok_or_else(|| ApiError::not_found("Not Found"))
}

/// The server's public base: `WEBUI_URL` when set, else the request's scheme and host.
fn public_base(req: &HttpRequest, state: &AppState) -> String {
    let view = state.config.view();
    match view
        .snapshot
        .text(keys::WEBUI_URL)
        .filter(|u| !u.is_empty())
    {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => {
            let info = req.connection_info();
            format!("{}://{}", info.scheme(), info.host())
        }
    }
}

/// The callback URL the provider must send the browser back to.
fn redirect_uri(req: &HttpRequest, provider: &NamedProvider) -> String {
    provider.redirect_uri.clone().unwrap_or_else(|| {
        let info = req.connection_info();
        format!(
            "{}://{}/oauth/{}/login/callback",
            info.scheme(),
            info.host(),
            provider.name
        )
    })
}

/// The pending-login cookie (SameSite=Lax: the callback is a cross-site navigation).
fn login_cookie(state: &AppState, value: &str, max_age: Option<i64>) -> Cookie<'static> {
    let mut cookie = cookies::named(
        LOGIN_COOKIE,
        value,
        max_age,
        SameSite::Lax,
        state.settings.http.cookie_secure,
        true,
    );
    cookie.set_path("/oauth");
    cookie
}

/// A redirect to the sign-in page with an error the page shows.
fn to_auth_with_error(req: &HttpRequest, state: &AppState, message: &str) -> HttpResponse {
    let mut location = format!("{}/auth", public_base(req, state));
    location.push_str("?error=");
    location.push_str(&url_encode(message));
    let mut expired = login_cookie(state, "", None);
    expired.make_removal();
    HttpResponse::Found()
        .insert_header((header::LOCATION, location))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .cookie(expired)
        .finish()
}

/// `application/x-www-form-urlencoded` encoding of one value.
fn url_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
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
    let provider = enabled(&state, &path)?;
    let redirect = redirect_uri(&req, &provider);
    let started = state
        .sso
        .client
        .begin(&provider.config, provider.name, &redirect)
        .await;
    let (url, pending) = match started {
        Ok(started) => started,
        Err(error) => {
            tracing::warn!(provider = provider.name, %error, "cannot start a sign-in");
            return Ok(to_auth_with_error(&req, &state, msg::OAUTH_LOGIN_FAILED));
        }
    };
    let sealed = state
        .sso
        .login_sealer
        .seal(&serde_json::to_vec(&pending).unwrap_or_default());
    let max_age = i64::try_from(state.settings.sso.login_ttl.as_secs()).unwrap_or(i64::MAX);
    Ok(HttpResponse::Found()
        .insert_header((header::LOCATION, url))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .cookie(login_cookie(&state, &sealed, Some(max_age)))
        .finish())
}
