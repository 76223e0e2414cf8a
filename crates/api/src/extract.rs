//! Authentication as extractors, mirroring Open WebUI's dependencies: [`CurrentUser`]
//! (`get_current_user`, any role), [`VerifiedUser`] (`get_verified_user`: user or admin),
//! [`AdminUser`] (`get_admin_user`) and [`HumanUser`] (`get_human_user`: a session token, not
//! an API key).

use crate::error::ApiError;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use hearth_auth::AuthError;
use hearth_auth::authenticate::Principal;
use hearth_domain::{Role, User};
use hearth_services::accounts;
use hearth_services::messages as msg;

/// The credential a request presents: `Authorization: Bearer`, then the `token` cookie,
/// then `x-api-key`.
pub fn credential(req: &HttpRequest) -> Option<String> {
    bearer(req)
        .or_else(|| req.cookie("token").map(|c| c.value().to_owned()))
        .or_else(|| header_text(req, "x-api-key").map(str::to_owned))
        .filter(|token| !token.is_empty())
}

/// The token of an `Authorization: Bearer <token>` header.
pub fn bearer(req: &HttpRequest) -> Option<String> {
    let value = header_text(req, header::AUTHORIZATION.as_str())?;
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.contains(' ')).then(|| token.to_owned())
}

fn header_text<'r>(req: &'r HttpRequest, name: &str) -> Option<&'r str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

pub(crate) fn state(req: &HttpRequest) -> Result<web::Data<AppState>, ApiError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::internal("application state missing"))
}

/// Authenticates a request (Open WebUI's `get_current_user`).
pub async fn authenticate(req: &HttpRequest) -> Result<Principal, ApiError> {
    let state = state(req)?;
    let token = credential(req).ok_or(AuthError::NotAuthenticated)?;
    let trusted_email =
        hearth_settings::non_empty(&state.app.settings.accounts.trusted_email_header)
            .and_then(|name| header_text(req, name));
    Ok(accounts::authenticate::authenticate(&state.app, &token, req.path(), trusted_email).await?)
}

macro_rules! extractor {
    ($(#[$doc:meta])* $name:ident, $check:expr) => {
        $(#[$doc])*
        pub struct $name(pub Principal);

        impl $name {
            /// The authenticated user.
            pub fn user(&self) -> &User {
                &self.0.user
            }
        }

        impl FromRequest for $name {
            type Error = ApiError;
            type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

            fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
                let req = req.clone();
                Box::pin(async move {
                    let principal = authenticate(&req).await?;
                    let check: fn(&Principal) -> Result<(), ApiError> = $check;
                    check(&principal)?;
                    Ok($name(principal))
                })
            }
        }
    };
}

extractor!(
    /// Any authenticated caller, pending users included.
    CurrentUser,
    |_| Ok(())
);

extractor!(
    /// A user or admin (pending users get 401).
    VerifiedUser,
    |p| if p.user.role.is_verified() { Ok(()) } else { Err(ApiError::unauthorized(msg::ACCESS_PROHIBITED)) }
);

extractor!(
    /// An admin.
    AdminUser,
    |p| if p.user.role == Role::Admin { Ok(()) } else { Err(ApiError::unauthorized(msg::ACCESS_PROHIBITED)) }
);

extractor!(
    /// A person signed in with a session token (API keys get 403).
    HumanUser,
    |p| if p.is_human_session() { Ok(()) } else { Err(ApiError::forbidden(msg::HUMAN_SESSION_REQUIRED)) }
);

/// The caller when a valid session token is presented (bearer or `token` cookie), else
/// `None`: for routes anyone may call that answer signed-in users differently.
pub struct MaybeUser(pub Option<User>);

impl FromRequest for MaybeUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = state(&req)?;
            let Some(token) =
                bearer(&req).or_else(|| req.cookie("token").map(|c| c.value().to_owned()))
            else {
                return Ok(MaybeUser(None));
            };
            let user = accounts::authenticate::session_user(&state.app, &token).await?;
            Ok(MaybeUser(user))
        })
    }
}
