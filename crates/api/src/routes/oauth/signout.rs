//! Sign-out from the provider too: the provider session the browser's `oauth_session_id`
//! cookie names is removed, and the provider's end-session URL (with the ID token as hint) is
//! returned for the web client to visit.

use crate::error::ApiResult;
use crate::sso;
use crate::state::AppState;
use actix_web::HttpRequest;
use hearth_sso::TokenSet;

/// The URL that ends the provider's session, if the browser signed in through one.
pub(crate) async fn end_session(req: &HttpRequest, state: &AppState) -> ApiResult<Option<String>> {
    let Some(cookie) = req.cookie("oauth_session_id") else {
        return Ok(None);
    };
    let Some(session) = state.stores.oauth.session(cookie.value()).await? else {
        return Ok(None);
    };
    state.stores.oauth.delete_session(&session.id).await?;
    let view = state.config.view();
    if let Some(url) = view
        .snapshot
        .text("oauth.end_session_endpoint")
        .filter(|u| !u.is_empty())
    {
        return Ok(Some(url.to_owned()));
    }
    let Some(provider) = sso::provider(&view.snapshot, &state.settings, &session.provider) else {
        return Ok(None);
    };
    let endpoint = match state
        .sso
        .client
        .end_session_endpoint(&provider.config)
        .await
    {
        Ok(Some(endpoint)) => endpoint,
        Ok(None) => return Ok(None),
        Err(error) => {
            tracing::warn!(%error, "cannot find the provider's end-session endpoint");
            return Ok(None);
        }
    };
    let Ok(mut url) = url::Url::parse(&endpoint) else {
        return Ok(None);
    };
    let id_token = state
        .sso
        .token_sealer
        .open(&session.token)
        .ok()
        .and_then(|plain| serde_json::from_slice::<TokenSet>(&plain).ok())
        .and_then(|tokens| tokens.id_token);
    {
        let mut query = url.query_pairs_mut();
        match id_token {
            Some(hint) => query.append_pair("id_token_hint", &hint),
            None => query.append_pair("client_id", &provider.config.client_id),
        };
        if let Some(after) = hearth_settings::non_empty(&state.settings.sso.signout_redirect_url) {
            query.append_pair("post_logout_redirect_uri", after);
        }
    }
    Ok(Some(url.to_string()))
}
