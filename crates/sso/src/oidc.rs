//! OpenID Connect with the `openidconnect` crate: discovery (cached, refreshed when the
//! provider's keys no longer verify a token), the authorization URL with state, nonce and
//! PKCE, the code exchange and the ID token's verification.

use crate::{ProviderConfig, SsoError};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hearth_domain::sso::{PendingLogin, SignedIn, TokenSet};
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreErrorResponseType, CoreProviderMetadata,
};
use openidconnect::{
    AuthType, AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken,
    JsonWebKeySet, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl,
    RequestTokenError, Scope, StandardErrorResponse, TokenResponse,
};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// How long a discovery document and key set are trusted before they are fetched again.
const DISCOVERY_TTL: Duration = Duration::from_secs(3600);

/// A provider's metadata (with its key set) and the raw discovery document.
pub(crate) struct Discovered {
    metadata: CoreProviderMetadata,
    raw: Map<String, Value>,
    fetched: Instant,
}

impl Discovered {
    /// A field of the raw discovery document (e.g. `end_session_endpoint`).
    pub(crate) fn field(&self, name: &str) -> Option<&str> {
        self.raw.get(name).and_then(Value::as_str)
    }
}

/// Discovery documents by URL.
#[derive(Default)]
pub(crate) struct DiscoveryCache {
    entries: Mutex<HashMap<String, Arc<Discovered>>>,
}

impl DiscoveryCache {
    /// The provider's metadata, fetched when absent, stale, or `refresh` is asked.
    pub(crate) async fn get(
        &self,
        http: &reqwest::Client,
        provider: &ProviderConfig,
        refresh: bool,
    ) -> Result<Arc<Discovered>, SsoError> {
        let url = provider.discovery_document_url();
        if !refresh {
            let entries = self.entries.lock().await;
            if let Some(found) = entries
                .get(&url)
                .filter(|d| d.fetched.elapsed() < DISCOVERY_TTL)
            {
                return Ok(Arc::clone(found));
            }
        }
        let fetched = Arc::new(discover(http, &url).await?);
        self.entries.lock().await.insert(url, Arc::clone(&fetched));
        Ok(fetched)
    }
}

async fn discover(http: &reqwest::Client, url: &str) -> Result<Discovered, SsoError> {
    let failed = |e: &dyn std::fmt::Display| SsoError::Discovery(format!("{url}: {e}"));
    let raw: Map<String, Value> = http
        .get(url)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| failed(&e))?
        .json()
        .await
        .map_err(|e| failed(&e))?;
    let metadata: CoreProviderMetadata =
        serde_json::from_value(Value::Object(raw.clone())).map_err(|e| failed(&e))?;
    let jwks = JsonWebKeySet::fetch_async(metadata.jwks_uri(), http)
        .await
        .map_err(|e| failed(&e))?;
    Ok(Discovered {
        metadata: metadata.set_jwks(jwks),
        raw,
        fetched: Instant::now(),
    })
}

fn redirect_url(uri: &str) -> Result<RedirectUrl, SsoError> {
    RedirectUrl::new(uri.to_owned()).map_err(|e| SsoError::Config(format!("redirect URI: {e}")))
}

/// The `openidconnect` client for a provider (its type is long; a macro keeps it unnamed).
macro_rules! client {
    ($provider:expr, $discovered:expr, $redirect:expr) => {{
        let client = CoreClient::from_provider_metadata(
            $discovered.metadata.clone(),
            ClientId::new($provider.client_id.clone()),
            $provider.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(redirect_url($redirect)?);
        if $provider.secret_in_body {
            client.set_auth_type(AuthType::RequestBody)
        } else {
            client
        }
    }};
}

/// The authorization URL and what the callback will need.
pub(crate) fn begin(
    provider: &ProviderConfig,
    provider_name: &str,
    discovered: &Discovered,
    redirect_uri: &str,
) -> Result<(String, PendingLogin), SsoError> {
    let client = client!(provider, discovered, redirect_uri);
    let mut request = client.authorize_url(
        CoreAuthenticationFlow::AuthorizationCode,
        CsrfToken::new_random,
        Nonce::new_random,
    );
    for scope in provider.scopes.iter().filter(|s| s.as_str() != "openid") {
        request = request.add_scope(Scope::new(scope.clone()));
    }
    let mut pkce_verifier = None;
    if provider.pkce {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        request = request.set_pkce_challenge(challenge);
        pkce_verifier = Some(verifier.secret().clone());
    }
    if let Some(audience) = provider.audience.as_deref().filter(|a| !a.is_empty()) {
        request = request.add_extra_param("audience", audience.to_owned());
    }
    let (url, state, nonce) = request.url();
    Ok((
        url.to_string(),
        PendingLogin {
            provider: provider_name.to_owned(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier,
            redirect_uri: redirect_uri.to_owned(),
        },
    ))
}

type TokenError<E> = RequestTokenError<E, StandardErrorResponse<CoreErrorResponseType>>;

fn exchange_error<E: std::error::Error>(error: &TokenError<E>) -> SsoError {
    SsoError::Exchange(match error {
        RequestTokenError::ServerResponse(response) => match response.error_description() {
            Some(description) => format!("{}: {description}", response.error()),
            None => response.error().to_string(),
        },
        RequestTokenError::Request(e) => format!("request failed: {e}"),
        other => other.to_string(),
    })
}

/// The claims part of a compact JWT, already verified by the caller.
fn payload(jwt: &str) -> Result<Map<String, Value>, SsoError> {
    let part = jwt
        .split('.')
        .nth(1)
        .ok_or_else(|| SsoError::IdToken("not a compact JWT".into()))?;
    let bytes = URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|e| SsoError::IdToken(e.to_string()))?;
    serde_json::from_slice(&bytes).map_err(|e| SsoError::IdToken(e.to_string()))
}

/// Exchanges the code and verifies the ID token. `wanted` names claims that, when the ID
/// token lacks them, make the user info endpoint worth a call.
pub(crate) async fn finish(
    http: &reqwest::Client,
    cache: &DiscoveryCache,
    provider: &ProviderConfig,
    pending: &PendingLogin,
    code: &str,
    wanted: &[&str],
) -> Result<SignedIn, SsoError> {
    let discovered = cache.get(http, provider, false).await?;
    let client = client!(provider, discovered, &pending.redirect_uri);
    let mut request = client
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .map_err(|e| SsoError::Config(e.to_string()))?;
    if let Some(verifier) = &pending.pkce_verifier {
        request = request.set_pkce_verifier(PkceCodeVerifier::new(verifier.clone()));
    }
    let response = request
        .request_async(http)
        .await
        .map_err(|e| exchange_error(&e))?;
    let id_token = response
        .id_token()
        .ok_or_else(|| SsoError::IdToken("the provider returned no ID token".into()))?;
    let nonce = Nonce::new(pending.nonce.clone());
    let verified = id_token
        .claims(&client.id_token_verifier(), &nonce)
        .map(|_| ());
    match verified {
        Ok(()) => {}
        Err(ClaimsVerificationError::SignatureVerification(_)) => {
            // The provider may have rotated its keys: fetch them again and retry once.
            tracing::warn!("ID token signature did not verify; refreshing the provider's keys");
            let fresh = cache.get(http, provider, true).await?;
            let client = client!(provider, fresh, &pending.redirect_uri);
            id_token
                .claims(&client.id_token_verifier(), &nonce)
                .map_err(|e| SsoError::IdToken(e.to_string()))?;
        }
        Err(e) => return Err(SsoError::IdToken(e.to_string())),
    }
    let id_token_claims = payload(&id_token.to_string())?;
    let mut claims = id_token_claims.clone();
    let userinfo_url = discovered.field("userinfo_endpoint").map(str::to_owned);
    if let Some(url) = userinfo_url.filter(|_| wanted.iter().any(|c| !claims.contains_key(*c))) {
        let info: Map<String, Value> =
            crate::client::get_json(http, &url, response.access_token().secret(), &[]).await?;
        if info.get("sub") != id_token_claims.get("sub") {
            return Err(SsoError::UserInfo(
                "user info belongs to another subject".into(),
            ));
        }
        claims = info;
        for (key, value) in &id_token_claims {
            claims.entry(key.clone()).or_insert_with(|| value.clone());
        }
    }
    let tokens = TokenSet {
        access_token: response.access_token().secret().clone(),
        token_type: response.token_type().as_ref().to_owned(),
        refresh_token: response.refresh_token().map(|t| t.secret().clone()),
        id_token: Some(id_token.to_string()),
        scope: response.scopes().map(|scopes| {
            scopes
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        }),
        expires_in: response.expires_in().map(|d| d.as_secs()),
        expires_at: 0,
        issued_at: 0,
    };
    Ok(SignedIn {
        claims,
        id_token_claims,
        tokens,
    })
}
