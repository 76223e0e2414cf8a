//! Single sign-on against a real OpenID Connect provider (npm `oidc-provider`, started per
//! test on loopback): the whole browser-less flow, the account policy (sign-up, allowed
//! domains, merge by email, role claims), and the rejections (state, replayed code, nonce,
//! audience, expiry, signature, unknown provider).

use anyhow::{Context, Result};
use hearth_domain::ports::OAuthStore;
use hearth_tests::oidc_provider::{
    Landing, OidcProvider, ProviderBrowser, ProviderOptions, free_port,
};
use hearth_tests::reqwest::StatusCode;
use hearth_tests::reqwest::header::LOCATION;
use hearth_tests::{TestServer, json_ok, status_json};
use serde_json::{Value, json};

const SECRET: &str = "hearth-client-secret";
const LOGIN_FAILED: &str =
    "Sign-in with your identity provider failed. Please contact your administrator for assistance.";

struct Setup {
    server: TestServer,
    provider: OidcProvider,
}

impl Setup {
    /// Hearth with the generic provider (sign-up on unless `policy` says otherwise) and the
    /// provider with Hearth's callbacks registered.
    async fn start(policy: &[(&str, Value)], options: ProviderOptions) -> Result<Self> {
        let port = free_port()?;
        let mut config: Vec<(String, Value)> = vec![
            ("oauth.client_id".into(), json!("hearth")),
            ("oauth.client_secret".into(), json!(SECRET)),
            (
                "oauth.provider_url".into(),
                json!(OidcProvider::discovery_url(port)),
            ),
            ("oauth.provider_name".into(), json!("Hearth ID")),
            ("oauth.scopes".into(), json!("openid email profile roles")),
            ("oauth.enable_signup".into(), json!(true)),
        ];
        for (key, value) in policy {
            config.retain(|(k, _)| k != key);
            config.push(((*key).to_owned(), value.clone()));
        }
        let server = TestServer::start_with(|s| s.config = config).await?;
        let mut options = options;
        if options.client_secret.is_none()
            && !policy.iter().any(|(k, _)| *k == "oauth.client_secret")
        {
            options.client_secret = Some(SECRET.into());
        }
        options.redirect_uris = vec![
            server.url("/oauth/oidc/login/callback"),
            server.url("/oauth/oidc/callback"),
        ];
        let provider = OidcProvider::start(port, options).await?;
        Ok(Self { server, provider })
    }

    async fn sign_in(&self, login: &str) -> Result<(ProviderBrowser, Landing)> {
        let browser = ProviderBrowser::new()?;
        let landing = browser
            .sign_in(
                &self.server.url,
                &self.server.url("/oauth/oidc/login"),
                login,
            )
            .await?;
        Ok((browser, landing))
    }

    /// Saves OAuth settings as Admin ▸ Settings ▸ Authentication does.
    async fn save_oauth_settings(&self, fields: Value) -> Result<()> {
        let path = "/api/v1/auths/admin/config/oauth";
        self.server
            .post_json(path, &self.server.admin_token, &fields)
            .await?;
        Ok(())
    }

    async fn user_count(&self) -> Result<u64> {
        let page = self
            .server
            .get_json("/api/v1/users/?page=1", &self.server.admin_token)
            .await?;
        Ok(page["total"].as_u64().unwrap_or_default())
    }

    async fn stop(self) -> Result<()> {
        self.provider.stop().await?;
        self.server.stop().await
    }
}

/// Asserts the sign-in landed on `/auth` signed in, and returns the session token.
fn signed_in(setup: &Setup, landing: &Landing) -> Result<String> {
    anyhow::ensure!(
        landing.location == setup.server.url("/auth"),
        "landed on {} (error {:?})",
        landing.location,
        landing.error()
    );
    let cookie = landing.cookie("token").context("a token cookie")?;
    assert!(
        !cookie.to_ascii_lowercase().contains("httponly"),
        "the web client must read the token cookie: {cookie}"
    );
    let session = landing
        .cookie("oauth_session_id")
        .context("a provider session cookie")?;
    assert!(
        session.to_ascii_lowercase().contains("httponly"),
        "{session}"
    );
    landing.cookie_value("token").context("token value")
}

/// Asserts the sign-in was refused with `message` and no session.
fn refused(setup: &Setup, landing: &Landing, message: &str) {
    assert!(
        landing
            .location
            .starts_with(&setup.server.url("/auth?error=")),
        "expected a refusal, landed on {}",
        landing.location
    );
    assert_eq!(landing.error().as_deref(), Some(message));
    assert!(landing.cookie_value("token").is_none_or(|t| t.is_empty()));
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "one end-to-end scenario, read top to bottom"
)]
async fn a_new_user_signs_in_through_the_provider_and_again_into_the_same_account() -> Result<()> {
    let setup = Setup::start(&[], ProviderOptions::default()).await?;
    let config = json_ok(
        setup
            .server
            .client()
            .get(setup.server.url("/api/config"))
            .send()
            .await?,
    )
    .await?;
    assert_eq!(config["oauth"]["providers"], json!({"oidc": "Hearth ID"}));

    let (browser, landing) = setup.sign_in("carol").await?;
    let authorize = hearth_tests::reqwest::Url::parse(&landing.authorize_url)?;
    let params: std::collections::HashMap<_, _> = authorize.query_pairs().into_owned().collect();
    assert!(landing.authorize_url.starts_with(&setup.provider.issuer));
    for key in [
        "state",
        "nonce",
        "client_id",
        "redirect_uri",
        "code_challenge",
    ] {
        assert!(
            params.get(key).is_some_and(|v| !v.is_empty()),
            "{key} in {authorize}"
        );
    }
    assert_eq!(
        params["redirect_uri"],
        setup.server.url("/oauth/oidc/login/callback")
    );
    assert_eq!(params["code_challenge_method"], "S256");
    let token = signed_in(&setup, &landing)?;
    let me = setup.server.get_json("/api/v1/auths/", &token).await?;
    assert_eq!(me["email"], "carol@hearth.test");
    assert_eq!(me["name"], "Carol");
    assert_eq!(me["role"], "pending");
    let user_id = me["id"].clone();

    // The provider's tokens are stored sealed with the secret key, never in clear.
    let store =
        hearth_persistence::SqlStore::connect(&setup.server.database().expect("db")).await?;
    let session_id = landing
        .cookie_value("oauth_session_id")
        .expect("session id");
    let session = store
        .session(&session_id)
        .await?
        .expect("a stored provider session");
    assert_eq!(session.provider, "oidc");
    assert_eq!(json!(session.user_id.as_str()), user_id);
    assert!(!session.token.contains("access_token"));
    let sealer = hearth_sso::Sealer::new(hearth_tests::TEST_SECRET_KEY)?;
    let tokens: Value = serde_json::from_slice(&sealer.open(&session.token)?)?;
    assert!(
        tokens["access_token"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );
    assert!(
        tokens["id_token"]
            .as_str()
            .is_some_and(|t| t.starts_with("eyJ"))
    );

    // Signing in again finds the account by its subject.
    let (_, again) = setup.sign_in("carol").await?;
    let token = signed_in(&setup, &again)?;
    let me = setup.server.get_json("/api/v1/auths/", &token).await?;
    assert_eq!(me["id"], user_id);
    assert_eq!(setup.user_count().await?, 2);

    // Signing out returns the provider's end-session URL with the ID token as hint.
    let cookies = browser
        .cookies_for(&setup.server.url("/api/v1/auths/signout"))
        .unwrap_or_default();
    assert!(cookies.contains("oauth_session_id="), "{cookies}");
    let out = json_ok(
        browser
            .client()
            .post(setup.server.url("/api/v1/auths/signout"))
            .send()
            .await?,
    )
    .await?;
    let redirect = out["redirect_url"].as_str().expect("redirect_url");
    assert!(
        redirect.starts_with(&format!(
            "{}/session/end?id_token_hint=",
            setup.provider.issuer
        )),
        "{redirect}"
    );
    setup.stop().await
}

#[tokio::test]
async fn a_public_client_signs_in_with_pkce_through_the_legacy_callback() -> Result<()> {
    let port_policy = [
        ("oauth.client_secret", json!("")),
        ("oauth.code_challenge_method", json!("S256")),
    ];
    let setup = Setup::start(&port_policy, ProviderOptions::default()).await?;
    // The provider registered no secret: only PKCE lets the code exchange through.
    let redirect = setup.server.url("/oauth/oidc/callback");
    setup
        .save_oauth_settings(json!({"OPENID_REDIRECT_URI": redirect}))
        .await?;
    let (_, landing) = setup.sign_in("dana").await?;
    assert!(
        landing.authorize_url.contains("code_challenge="),
        "{}",
        landing.authorize_url
    );
    assert!(landing.authorize_url.contains("code_challenge_method=S256"));
    assert!(
        landing.callback_url.starts_with(&redirect),
        "{}",
        landing.callback_url
    );
    let token = signed_in(&setup, &landing)?;
    let me = setup.server.get_json("/api/v1/auths/", &token).await?;
    assert_eq!(me["email"], "dana@hearth.test");
    setup.stop().await
}

#[tokio::test]
async fn a_callback_whose_state_does_not_match_is_refused() -> Result<()> {
    let setup = Setup::start(&[], ProviderOptions::default()).await?;
    let before = setup.user_count().await?;
    // The provider sends the browser back with an unused code; a forged state comes first.
    let browser = ProviderBrowser::new()?;
    let pending = browser
        .sign_in_until_callback(
            &setup.server.url,
            &setup.server.url("/oauth/oidc/login"),
            "frank",
        )
        .await?;
    let mut forged = hearth_tests::reqwest::Url::parse(&pending.callback_url)?;
    let pairs: Vec<(String, String)> = forged
        .query_pairs()
        .into_owned()
        .map(|(k, v)| {
            if k == "state" {
                (k, "forged-state".into())
            } else {
                (k, v)
            }
        })
        .collect();
    forged.query_pairs_mut().clear().extend_pairs(pairs);
    let answer = browser.client().get(forged.as_str()).send().await?;
    refused(&setup, &landing_of(answer).await?, LOGIN_FAILED);
    assert_eq!(setup.user_count().await?, before);
    // A browser that never started a sign-in is refused with the genuine state too.
    let stranger = ProviderBrowser::new()?;
    let answer = stranger.client().get(&pending.callback_url).send().await?;
    refused(&setup, &landing_of(answer).await?, LOGIN_FAILED);
    // The code was never redeemed: the genuine callback with the pending login signs in,
    // so the refusals above came from the state check alone. (The refusal cleared the
    // browser's pending-login cookie, so it is sent by hand.)
    let cookie = pending
        .login_cookie
        .clone()
        .context("a pending-login cookie")?;
    let answer = ProviderBrowser::new()?
        .client()
        .get(&pending.callback_url)
        .header("cookie", format!("oauth_login={cookie}"))
        .send()
        .await?;
    let landing = landing_of(answer).await?;
    signed_in(&setup, &landing)?;
    assert_eq!(setup.user_count().await?, before + 1);
    setup.stop().await
}

/// The landing of a callback answered directly.
async fn landing_of(answer: hearth_tests::reqwest::Response) -> Result<Landing> {
    anyhow::ensure!(
        answer.status() == StatusCode::FOUND,
        "HTTP {}",
        answer.status()
    );
    let location = answer
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let cookies = answer
        .headers()
        .get_all(hearth_tests::reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect();
    Ok(Landing {
        location,
        cookies,
        callback_url: answer.url().to_string(),
        login_cookie: None,
        authorize_url: String::new(),
    })
}

#[tokio::test]
async fn a_replayed_code_is_refused() -> Result<()> {
    let setup = Setup::start(&[], ProviderOptions::default()).await?;
    let (_, landing) = setup.sign_in("gina").await?;
    signed_in(&setup, &landing)?;
    // An attacker holding the callback URL and the pending-login cookie replays both.
    let login_cookie = landing
        .login_cookie
        .clone()
        .expect("the callback carried oauth_login");
    let attacker = ProviderBrowser::new()?;
    let answer = attacker
        .client()
        .get(&landing.callback_url)
        .header("cookie", format!("oauth_login={login_cookie}"))
        .send()
        .await?;
    refused(&setup, &landing_of(answer).await?, LOGIN_FAILED);
    setup.stop().await
}

async fn tampered_id_token_is_refused(tamper: &'static str) -> Result<()> {
    let options = ProviderOptions {
        tamper: Some(tamper),
        ..ProviderOptions::default()
    };
    let setup = Setup::start(&[], options).await?;
    let before = setup.user_count().await?;
    let (_, landing) = setup.sign_in("henry").await?;
    refused(&setup, &landing, LOGIN_FAILED);
    assert_eq!(
        setup.user_count().await?,
        before,
        "no account for a rejected ID token"
    );
    setup.stop().await
}

#[tokio::test]
async fn a_re_signed_but_unchanged_id_token_is_accepted() -> Result<()> {
    // The control for the rejections below: the provider's rewriting alone breaks nothing.
    let options = ProviderOptions {
        tamper: Some("resign"),
        ..ProviderOptions::default()
    };
    let setup = Setup::start(&[], options).await?;
    let (_, landing) = setup.sign_in("henry").await?;
    signed_in(&setup, &landing)?;
    setup.stop().await
}

#[tokio::test]
async fn an_id_token_with_another_nonce_is_refused() -> Result<()> {
    tampered_id_token_is_refused("nonce").await
}

#[tokio::test]
async fn an_id_token_for_another_audience_is_refused() -> Result<()> {
    tampered_id_token_is_refused("audience").await
}

#[tokio::test]
async fn an_id_token_from_another_issuer_is_refused() -> Result<()> {
    tampered_id_token_is_refused("issuer").await
}

#[tokio::test]
async fn an_expired_id_token_is_refused() -> Result<()> {
    tampered_id_token_is_refused("expired").await
}

#[tokio::test]
async fn an_id_token_signed_by_another_key_is_refused() -> Result<()> {
    tampered_id_token_is_refused("signature").await
}

#[tokio::test]
async fn unknown_or_disabled_providers_are_not_found() -> Result<()> {
    let setup = Setup::start(&[], ProviderOptions::default()).await?;
    let client = setup.server.client();
    for path in [
        "/oauth/nope/login",
        "/oauth/github/login",
        "/oauth/nope/login/callback?code=x&state=y",
        "/oauth/google/callback?code=x&state=y",
    ] {
        let (status, body) = status_json(client.get(setup.server.url(path)).send().await?).await?;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(body, json!({"detail": "Not Found"}), "{path}");
    }
    setup
        .save_oauth_settings(json!({"ENABLE_OAUTH": false}))
        .await?;
    let (status, _) = status_json(
        client
            .get(setup.server.url("/oauth/oidc/login"))
            .send()
            .await?,
    )
    .await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let config = json_ok(client.get(setup.server.url("/api/config")).send().await?).await?;
    assert_eq!(config["oauth"]["providers"], json!({}));
    setup.stop().await
}

#[tokio::test]
async fn without_oauth_sign_up_unknown_subjects_are_refused() -> Result<()> {
    let setup = Setup::start(
        &[("oauth.enable_signup", json!(false))],
        ProviderOptions::default(),
    )
    .await?;
    let before = setup.user_count().await?;
    let (_, landing) = setup.sign_in("ivan").await?;
    refused(
        &setup,
        &landing,
        "You do not have permission to access this resource. Please contact your administrator for assistance.",
    );
    assert_eq!(setup.user_count().await?, before);
    setup.stop().await
}

#[tokio::test]
async fn only_allowed_email_domains_sign_in() -> Result<()> {
    let policy = [("oauth.allowed_domains", json!(["example.org"]))];
    let setup = Setup::start(&policy, ProviderOptions::default()).await?;
    let before = setup.user_count().await?;
    let (_, landing) = setup.sign_in("judy").await?; // judy@hearth.test
    refused(&setup, &landing, LOGIN_FAILED);
    assert_eq!(setup.user_count().await?, before);
    let (_, landing) = setup.sign_in("kim@example.org").await?;
    let token = signed_in(&setup, &landing)?;
    let me = setup.server.get_json("/api/v1/auths/", &token).await?;
    assert_eq!(me["email"], "kim@example.org");
    setup.stop().await
}

#[tokio::test]
async fn an_existing_email_is_merged_only_when_merging_is_on() -> Result<()> {
    let setup = Setup::start(&[], ProviderOptions::default()).await?;
    let lena_token = setup
        .server
        .add_user("Lena", "lena@hearth.test", "user")
        .await?;
    let existing = setup.server.get_json("/api/v1/auths/", &lena_token).await?["id"].clone();
    let before = setup.user_count().await?;
    // Merging off: sign-up would reuse the email, which is refused.
    let (_, landing) = setup.sign_in("lena").await?;
    refused(
        &setup,
        &landing,
        "Uh-oh! This email is already registered. Sign in with your existing account or choose another email to start anew.",
    );
    assert_eq!(setup.user_count().await?, before);
    // Merging on: the provider's subject is linked to the existing account.
    setup
        .save_oauth_settings(json!({"OAUTH_MERGE_ACCOUNTS_BY_EMAIL": true}))
        .await?;
    let (_, landing) = setup.sign_in("lena").await?;
    let token = signed_in(&setup, &landing)?;
    let me = setup.server.get_json("/api/v1/auths/", &token).await?;
    assert_eq!(me["id"], existing);
    assert_eq!(me["role"], "user");
    assert_eq!(setup.user_count().await?, before);
    // Linked by subject now: merging off again, the sign-in still finds the account.
    setup
        .save_oauth_settings(json!({"OAUTH_MERGE_ACCOUNTS_BY_EMAIL": false}))
        .await?;
    let (_, landing) = setup.sign_in("lena").await?;
    let token = signed_in(&setup, &landing)?;
    let me = setup.server.get_json("/api/v1/auths/", &token).await?;
    assert_eq!(me["id"], existing);
    setup.stop().await
}

#[tokio::test]
async fn role_claims_set_roles_and_refuse_unknown_ones() -> Result<()> {
    let policy = [("oauth.enable_role_mapping", json!(true))];
    let setup = Setup::start(&policy, ProviderOptions::default()).await?;
    let (_, landing) = setup.sign_in("boss-mia").await?;
    let token = signed_in(&setup, &landing)?;
    assert_eq!(
        setup.server.get_json("/api/v1/auths/", &token).await?["role"],
        "admin"
    );
    let (_, landing) = setup.sign_in("nora").await?;
    let token = signed_in(&setup, &landing)?;
    assert_eq!(
        setup.server.get_json("/api/v1/auths/", &token).await?["role"],
        "user"
    );
    // No roles at the provider: the default role (pending here).
    let (_, landing) = setup.sign_in("noroles-pia").await?;
    let token = signed_in(&setup, &landing)?;
    assert_eq!(
        setup.server.get_json("/api/v1/auths/", &token).await?["role"],
        "pending"
    );
    let before = setup.user_count().await?;
    let (_, landing) = setup.sign_in("guest-otto").await?;
    refused(
        &setup,
        &landing,
        "You do not have permission to access this resource. Please contact your administrator for assistance.",
    );
    assert_eq!(setup.user_count().await?, before);
    setup.stop().await
}

#[tokio::test]
async fn an_unreachable_provider_sends_the_browser_back_with_a_message() -> Result<()> {
    let dead = hearth_tests::fake_upstream::dead_url().await?;
    let server = TestServer::start_with(|s| {
        s.config = vec![
            ("oauth.client_id".into(), json!("hearth")),
            ("oauth.client_secret".into(), json!(SECRET)),
            ("oauth.provider_url".into(), json!(dead)),
        ];
    })
    .await?;
    let browser = ProviderBrowser::new()?;
    let answer = browser
        .client()
        .get(server.url("/oauth/oidc/login"))
        .send()
        .await?;
    let landing = landing_of(answer).await?;
    assert!(
        landing.location.starts_with(&server.url("/auth?error=")),
        "{}",
        landing.location
    );
    assert_eq!(landing.error().as_deref(), Some(LOGIN_FAILED));
    server.stop().await
}

#[tokio::test]
async fn an_unverified_email_neither_merges_nor_signs_up() -> Result<()> {
    let policy = [("oauth.merge_accounts_by_email", json!(true))];
    let setup = Setup::start(&policy, ProviderOptions::default()).await?;
    setup
        .server
        .add_user("Uma", "unverified-uma@hearth.test", "user")
        .await?;
    let before = setup.user_count().await?;
    // Merging would hand Uma's account to whoever claims her address unverified.
    let (_, landing) = setup.sign_in("unverified-uma").await?;
    refused(&setup, &landing, LOGIN_FAILED);
    // And no new account is made from an unverified address either.
    let (_, landing) = setup.sign_in("unverified-vic").await?;
    refused(&setup, &landing, LOGIN_FAILED);
    assert_eq!(setup.user_count().await?, before);
    setup.stop().await
}
