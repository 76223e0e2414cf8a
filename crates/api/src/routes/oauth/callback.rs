//! The provider's redirect back: `/oauth/{provider}/login/callback` and the legacy
//! `/oauth/{provider}/callback`.

use super::account::{Refusal, account_for};
use super::{LOGIN_COOKIE, enabled, login_cookie, public_base, to_auth_with_error};
use crate::cookies;
use crate::error::ApiResult;
use crate::routes::auths::sign_token;
use crate::sso::NamedProvider;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use hearth_domain::User;
use hearth_domain::oauth::OAuthSession;
use hearth_domain::time::now_epoch;
use hearth_sso::{PendingLogin, SignedIn};
use serde::Deserialize;
use utoipa::IntoParams;

/// What the provider appends to the callback URL.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct CallbackQuery {
    /// The authorization code.
    pub code: Option<String>,
    /// The state sent with the authorization request.
    pub state: Option<String>,
    /// The provider's error code (the user declined, …).
    pub error: Option<String>,
    /// Its description.
    pub error_description: Option<String>,
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
    handle(req, state, &path, query.into_inner()).await
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
    handle(req, state, &path, query.into_inner()).await
}

async fn handle(
    req: HttpRequest,
    state: web::Data<AppState>,
    name: &str,
    query: CallbackQuery,
) -> ApiResult<HttpResponse> {
    let provider = enabled(&state, name)?;
    match sign_in(&req, &state, &provider, query).await {
        Ok((user, signed_in)) => {
            signed_in_response(&req, &state, &provider, &user, signed_in).await
        }
        Err(refusal) => {
            tracing::warn!(provider = provider.name, reason = ?refusal.detail(), "sign-in refused");
            Ok(to_auth_with_error(&req, &state, refusal.message()))
        }
    }
}

/// The pending login from the cookie, if it is ours, fresh and for this provider.
fn pending_login(req: &HttpRequest, state: &AppState, provider: &str) -> Option<PendingLogin> {
    let cookie = req.cookie(LOGIN_COOKIE)?;
    let plain = state
        .sso
        .login_sealer
        .open_fresh(cookie.value(), state.settings.sso.login_ttl.as_secs())
        .ok()?;
    serde_json::from_slice::<PendingLogin>(&plain)
        .ok()
        .filter(|p| p.provider == provider)
}

async fn sign_in(
    req: &HttpRequest,
    state: &AppState,
    provider: &NamedProvider,
    query: CallbackQuery,
) -> Result<(User, SignedIn), Refusal> {
    if let Some(error) = query.error {
        let description = query.error_description.unwrap_or_default();
        return Err(Refusal::Provider(format!("{error}: {description}")));
    }
    let pending = pending_login(req, state, provider.name).ok_or(Refusal::NoPendingLogin)?;
    let (Some(code), Some(returned_state)) = (query.code, query.state) else {
        return Err(Refusal::Provider(
            "the callback carries no code or state".into(),
        ));
    };
    let view = state.config.view();
    let wanted = [
        view.snapshot.text("oauth.email_claim").unwrap_or("email"),
        view.snapshot.text("oauth.username_claim").unwrap_or("name"),
    ];
    let signed_in = state
        .sso
        .client
        .finish(&provider.config, &pending, &code, &returned_state, &wanted)
        .await
        .map_err(Refusal::Sso)?;
    let user = account_for(state, &view, provider, &signed_in).await?;
    Ok((user, signed_in))
}

/// Stores the provider session, signs the Hearth session and lands on `/auth` with cookies.
async fn signed_in_response(
    req: &HttpRequest,
    state: &AppState,
    provider: &NamedProvider,
    user: &User,
    signed_in: SignedIn,
) -> ApiResult<HttpResponse> {
    let now = now_epoch();
    let mut tokens = signed_in.tokens;
    tokens.stamp(now);
    let session = OAuthSession {
        id: uuid::Uuid::new_v4().to_string(),
        user_id: user.id.clone(),
        provider: provider.name.to_owned(),
        token: state
            .sso
            .token_sealer
            .seal(&serde_json::to_vec(&tokens).unwrap_or_default()),
        expires_at: tokens.expires_at,
        created_at: now,
        updated_at: now,
    };
    let stored = state
        .stores
        .oauth
        .insert_session(&session, state.settings.sso.max_sessions_per_user.max(1))
        .await;
    if let Err(error) = &stored {
        tracing::error!(%error, "cannot store the provider session");
    }
    let stamp = state.accounts.session_stamp(&user.id).await?;
    let issued = sign_token(state, user, stamp.as_deref(), Some("oauth"))?;
    let lifetime = state.config.view().jwt_lifetime_secs;
    let settings = &state.settings;
    let cookie = |name: &'static str, value: &str, http_only: bool| {
        cookies::named(
            name,
            value,
            lifetime,
            settings.http.cookie_same_site,
            settings.http.cookie_secure,
            http_only,
        )
    };
    let mut expired_login = login_cookie(state, "", None);
    expired_login.make_removal();
    let mut response = HttpResponse::Found();
    response
        .insert_header((
            header::LOCATION,
            format!("{}/auth", public_base(req, state)),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .cookie(expired_login)
        // The web client reads this one from script, as with Open WebUI.
        .cookie(cookie("token", &issued.token, false));
    if stored.is_ok() {
        response.cookie(cookie("oauth_session_id", &session.id, true));
    }
    if settings.sso.id_token_cookie
        && let Some(id_token) = &tokens.id_token
    {
        response.cookie(cookie("oauth_id_token", id_token, true));
    }
    Ok(response.finish())
}
