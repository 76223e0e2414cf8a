//! GitHub: OAuth 2.0 without ID tokens. The account is what `GET /user` says; when the
//! profile hides the email, the primary address from `GET /user/emails` is used.

use crate::{ProviderConfig, SsoError};
use hearth_domain::sso::{PendingLogin, SignedIn, TokenSet};
use serde::Deserialize;
use serde_json::{Map, Value, json};

/// A random URL-safe token for `state`.
fn random_token() -> String {
    openidconnect::CsrfToken::new_random().secret().clone()
}

/// The authorization URL and what the callback will need.
pub(crate) fn begin(
    provider: &ProviderConfig,
    provider_name: &str,
    redirect_uri: &str,
) -> Result<(String, PendingLogin), SsoError> {
    let state = random_token();
    let url = url::Url::parse_with_params(
        &provider.github.authorize_url,
        [
            ("response_type", "code"),
            ("client_id", provider.client_id.as_str()),
            ("redirect_uri", redirect_uri),
            ("scope", provider.scopes.join(" ").as_str()),
            ("state", state.as_str()),
        ],
    )
    .map_err(|e| SsoError::Config(format!("authorize URL: {e}")))?;
    Ok((
        url.to_string(),
        PendingLogin {
            provider: provider_name.to_owned(),
            state,
            nonce: String::new(),
            pkce_verifier: None,
            redirect_uri: redirect_uri.to_owned(),
        },
    ))
}

#[derive(Deserialize)]
struct TokenReply {
    access_token: Option<String>,
    #[serde(default)]
    token_type: String,
    scope: Option<String>,
    refresh_token: Option<String>,
    expires_in: Option<u64>,
    error: Option<String>,
    error_description: Option<String>,
}

#[derive(Deserialize)]
struct Email {
    email: String,
    #[serde(default)]
    primary: bool,
    #[serde(default)]
    verified: bool,
}

/// Exchanges the code, then reads the profile (and the primary email when hidden).
pub(crate) async fn finish(
    http: &reqwest::Client,
    provider: &ProviderConfig,
    pending: &PendingLogin,
    code: &str,
) -> Result<SignedIn, SsoError> {
    let reply: TokenReply = http
        .post(&provider.github.token_url)
        .header("accept", "application/json")
        .form(&[
            ("client_id", provider.client_id.as_str()),
            (
                "client_secret",
                provider.client_secret.as_deref().unwrap_or_default(),
            ),
            ("code", code),
            ("redirect_uri", pending.redirect_uri.as_str()),
        ])
        .send()
        .await
        .map_err(|e| SsoError::Exchange(e.to_string()))?
        .json()
        .await
        .map_err(|e| SsoError::Exchange(e.to_string()))?;
    let access_token = match (reply.access_token, reply.error) {
        (Some(token), None) => token,
        (_, error) => {
            let error = error.unwrap_or_else(|| "no access token".into());
            return Err(SsoError::Exchange(match reply.error_description {
                Some(description) => format!("{error}: {description}"),
                None => error,
            }));
        }
    };
    let api = provider.github.api_base_url.trim_end_matches('/');
    let mut claims: Map<String, Value> = api_get(http, &format!("{api}/user"), &access_token)
        .await?
        .as_object()
        .cloned()
        .ok_or_else(|| SsoError::UserInfo("the profile is not an object".into()))?;
    let has_email = claims
        .get("email")
        .and_then(Value::as_str)
        .is_some_and(|e| !e.is_empty());
    if !has_email {
        let emails: Vec<Email> = serde_json::from_value(
            api_get(http, &format!("{api}/user/emails"), &access_token).await?,
        )
        .map_err(|e| SsoError::UserInfo(e.to_string()))?;
        let primary = emails
            .into_iter()
            .find(|e| e.primary && e.verified)
            .ok_or_else(|| SsoError::UserInfo("no verified primary email".into()))?;
        claims.insert("email".into(), json!(primary.email));
        claims.insert("email_verified".into(), json!(true));
    }
    Ok(SignedIn {
        claims,
        id_token_claims: Map::new(),
        tokens: TokenSet {
            access_token,
            token_type: reply.token_type,
            refresh_token: reply.refresh_token,
            id_token: None,
            scope: reply.scope,
            expires_in: reply.expires_in,
            expires_at: 0,
            issued_at: 0,
        },
    })
}

async fn api_get(http: &reqwest::Client, url: &str, token: &str) -> Result<Value, SsoError> {
    let headers = [
        ("accept", "application/vnd.github+json"),
        ("user-agent", "hearth"),
    ];
    crate::client::get_json(http, url, token, &headers).await
}
