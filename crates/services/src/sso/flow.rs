//! A sign-in through an identity provider, start to end: the redirect to the provider, the
//! callback (state, code exchange, ID token, account policy, stored provider session, Hearth
//! session), and sign-out at the provider.

use super::account::{Refusal, account_for};
use super::providers::{NamedProvider, provider};
use crate::App;
use crate::accounts::{Session, sessions::issue_current};
use crate::error::{ServiceError, ServiceResult};
use crate::messages as msg;
use hearth_domain::User;
use hearth_domain::config::keys;
use hearth_domain::oauth::OAuthSession;
use hearth_domain::sso::SignedIn;
use hearth_domain::time::now_epoch;
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

/// How starting a sign-in went.
#[derive(Debug)]
pub enum Start {
    /// Send the browser to `url`; keep `pending` (sealed) in its cookie.
    Redirect {
        /// The provider's authorization URL.
        url: String,
        /// The sealed pending login.
        pending: String,
    },
    /// The provider could not be reached: back to the sign-in page with this message.
    Failed(&'static str),
}

/// A finished sign-in: the Hearth session, the stored provider session (its id for the
/// `oauth_session_id` cookie) and the ID token (for the `oauth_id_token` cookie).
#[derive(Debug)]
pub struct ProviderSignIn {
    /// The Hearth session.
    pub session: Session,
    /// The stored provider session's id, when it could be stored.
    pub provider_session: Option<String>,
    /// The raw ID token, when the provider gave one and the cookie is on.
    pub id_token: Option<String>,
}

/// The enabled provider called `name`, or Open WebUI's bare 404.
fn enabled(app: &App, name: &str) -> ServiceResult<NamedProvider> {
    provider(&app.view().snapshot, &app.settings, name)
        .ok_or_else(|| ServiceError::not_found("Not Found"))
}

/// The server's public base: `WEBUI_URL` when set, else `request_base` (the request's scheme
/// and host).
pub fn public_base(app: &App, request_base: &str) -> String {
    let view = app.view();
    match view
        .snapshot
        .text(keys::WEBUI_URL)
        .filter(|u| !u.is_empty())
    {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => request_base.to_owned(),
    }
}

/// Starts a sign-in at provider `name`; the callback is at `request_base` unless the
/// provider's settings name one.
pub async fn start(app: &App, name: &str, request_base: &str) -> ServiceResult<Start> {
    let provider = enabled(app, name)?;
    let redirect = provider
        .redirect_uri
        .clone()
        .unwrap_or_else(|| format!("{request_base}/oauth/{}/login/callback", provider.name));
    match app
        .identity
        .begin(&provider.config, provider.name, &redirect)
        .await
    {
        Ok((url, pending)) => Ok(Start::Redirect { url, pending }),
        Err(error) => {
            tracing::warn!(provider = provider.name, %error, "cannot start a sign-in");
            Ok(Start::Failed(msg::OAUTH_LOGIN_FAILED))
        }
    }
}

/// Finishes a sign-in at provider `name` with the browser's sealed pending login and the
/// callback's query: the session, or the refusal to show on the sign-in page.
pub async fn callback(
    app: &App,
    name: &str,
    pending: Option<&str>,
    query: CallbackQuery,
) -> ServiceResult<Result<ProviderSignIn, &'static str>> {
    let provider = enabled(app, name)?;
    let (user, signed_in) = match verify(app, &provider, pending, query).await {
        Ok(found) => found,
        Err(refusal) => {
            tracing::warn!(provider = provider.name, reason = ?refusal.detail(), "sign-in refused");
            return Ok(Err(refusal.message()));
        }
    };
    Ok(Ok(open_session(app, &provider, &user, signed_in).await?))
}

/// Checks the callback and applies the account policy.
async fn verify(
    app: &App,
    provider: &NamedProvider,
    pending: Option<&str>,
    query: CallbackQuery,
) -> Result<(User, SignedIn), Refusal> {
    if let Some(error) = query.error {
        let description = query.error_description.unwrap_or_default();
        return Err(Refusal::Provider(format!("{error}: {description}")));
    }
    let pending = pending
        .and_then(|sealed| app.identity.open_pending(sealed, provider.name))
        .ok_or(Refusal::NoPendingLogin)?;
    let (Some(code), Some(returned_state)) = (query.code, query.state) else {
        return Err(Refusal::Provider(
            "the callback carries no code or state".into(),
        ));
    };
    let view = app.view();
    let wanted = [
        view.snapshot.text("oauth.email_claim").unwrap_or("email"),
        view.snapshot.text("oauth.username_claim").unwrap_or("name"),
    ];
    let signed_in = app
        .identity
        .finish(&provider.config, &pending, &code, &returned_state, &wanted)
        .await
        .map_err(Refusal::Sso)?;
    let user = account_for(app, &view, provider, &signed_in).await?;
    Ok((user, signed_in))
}

/// Stores the provider session (sealed) and signs the Hearth session.
async fn open_session(
    app: &App,
    provider: &NamedProvider,
    user: &User,
    signed_in: SignedIn,
) -> ServiceResult<ProviderSignIn> {
    let now = now_epoch();
    let mut tokens = signed_in.tokens;
    tokens.stamp(now);
    let session = OAuthSession {
        id: uuid::Uuid::new_v4().to_string(),
        user_id: user.id.clone(),
        provider: provider.name.to_owned(),
        token: app.identity.seal_tokens(&tokens),
        expires_at: tokens.expires_at,
        created_at: now,
        updated_at: now,
    };
    let keep = app.settings.sso.max_sessions_per_user.max(1);
    let stored = app.storage.oauth().insert_session(&session, keep).await;
    if let Err(error) = &stored {
        tracing::error!(%error, "cannot store the provider session");
    }
    Ok(ProviderSignIn {
        session: issue_current(app, user, "oauth").await?,
        provider_session: stored.is_ok().then_some(session.id),
        id_token: tokens.id_token.filter(|_| app.settings.sso.id_token_cookie),
    })
}

/// Ends the provider session the browser's `oauth_session_id` names (when any): the URL that
/// ends it at the provider (with the ID token as hint), else `WEBUI_AUTH_SIGNOUT_REDIRECT_URL`.
/// Signing out never fails because the provider session cannot be looked up.
pub async fn sign_out(app: &App, provider_session: Option<&str>) -> Option<String> {
    let after = hearth_settings::non_empty(&app.settings.sso.signout_redirect_url);
    let provider_url = match provider_session {
        Some(id) => end_session(app, id, after).await.unwrap_or_else(|error| {
            tracing::warn!(%error, "cannot end the provider session");
            None
        }),
        None => None,
    };
    provider_url.or_else(|| after.map(str::to_owned))
}

async fn end_session(app: &App, id: &str, after: Option<&str>) -> ServiceResult<Option<String>> {
    let Some(session) = app.storage.oauth().session(id).await? else {
        return Ok(None);
    };
    app.storage.oauth().delete_session(&session.id).await?;
    let view = app.view();
    if let Some(url) = view
        .snapshot
        .text("oauth.end_session_endpoint")
        .filter(|u| !u.is_empty())
    {
        return Ok(Some(url.to_owned()));
    }
    let Some(provider) = provider(&view.snapshot, &app.settings, &session.provider) else {
        return Ok(None);
    };
    let endpoint = match app.identity.end_session_endpoint(&provider.config).await {
        Ok(Some(endpoint)) => endpoint,
        Ok(None) => return Ok(None),
        Err(error) => {
            tracing::warn!(%error, "cannot find the provider's end-session endpoint");
            return Ok(None);
        }
    };
    let id_token = app
        .identity
        .open_tokens(&session.token)
        .and_then(|tokens| tokens.id_token);
    let hint = match id_token {
        Some(hint) => ("id_token_hint", hint),
        None => ("client_id", provider.config.client_id.clone()),
    };
    Ok(Some(with_query(&endpoint, &hint, after)))
}

/// `endpoint` with the hint and the post-logout redirect appended to its query.
fn with_query(endpoint: &str, hint: &(&str, String), after: Option<&str>) -> String {
    let mut pairs = vec![(hint.0, hint.1.as_str())];
    if let Some(after) = after {
        pairs.push(("post_logout_redirect_uri", after));
    }
    let query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    let separator = if endpoint.contains('?') { '&' } else { '?' };
    format!("{endpoint}{separator}{}", query.join("&"))
}

/// `application/x-www-form-urlencoded` encoding of one value.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                out.push(byte as char);
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_session_urls_keep_their_query() {
        let hint = ("id_token_hint", "a b".to_owned());
        assert_eq!(
            with_query("https://id/logout", &hint, Some("https://chat/auth")),
            "https://id/logout?id_token_hint=a+b&post_logout_redirect_uri=https%3A%2F%2Fchat%2Fauth"
        );
        assert_eq!(
            with_query("https://id/logout?x=1", &hint, None),
            "https://id/logout?x=1&id_token_hint=a+b"
        );
    }
}
