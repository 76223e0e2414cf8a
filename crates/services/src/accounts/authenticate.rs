//! Who is calling: a request's credential (session token or `sk-` key) checked against the
//! live policy (API keys on, endpoint allow-list, trusted proxy email).

use crate::App;
use crate::error::ServiceResult;
use hearth_auth::authenticate::{AuthPolicy, Principal};
use hearth_domain::User;
use hearth_domain::config::keys;
use hearth_domain::time::now_epoch;

/// The principal a credential presented on `path` stands for; `trusted_email` is the value
/// of the trusted email header when the request carries one.
pub async fn authenticate(
    app: &App,
    credential: &str,
    path: &str,
    trusted_email: Option<&str>,
) -> ServiceResult<Principal> {
    let view = app.view();
    let policy = AuthPolicy {
        enable_api_keys: view.flag(keys::ENABLE_API_KEYS),
        endpoint_restrictions: view.flag(keys::API_KEY_ENDPOINT_RESTRICTIONS),
        allowed_endpoints: view.text(keys::API_KEY_ALLOWED_ENDPOINTS),
        permissions: &view.permissions,
        trusted_email,
    };
    Ok(app
        .authenticator
        .authenticate(credential, path, &policy, now_epoch())
        .await?)
}

/// The user of a session token, if it is valid (API keys do not count).
pub async fn session_user(app: &App, token: &str) -> ServiceResult<Option<User>> {
    Ok(app.authenticator.optional_session_user(token).await?)
}
