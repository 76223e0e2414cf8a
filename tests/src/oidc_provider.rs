//! A real OpenID Connect provider for the single sign-on tests: the npm `oidc-provider` run by
//! `tests/browser/oidc-provider.mjs` on a free loopback port (`npm install` in `tests/browser`
//! first; `scripts/test` does). Logins name accounts (`carol` is `carol@hearth.test`, subject
//! `sub-carol`; `boss…` has the role `admin`, `guest…` the role `guest`). [`ProviderBrowser`]
//! walks a sign-in the way a browser would: following redirects and submitting the
//! provider's sign-in and consent forms.

use anyhow::{Context, Result};
use reqwest::StatusCode;
use reqwest::header::{LOCATION, SET_COOKIE};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// How the provider is set up.
#[derive(Clone, Debug, Default)]
pub struct ProviderOptions {
    /// Client id (default `hearth`).
    pub client_id: Option<String>,
    /// Client secret; `None` registers a public client that must use PKCE.
    pub client_secret: Option<String>,
    /// Registered callback URLs.
    pub redirect_uris: Vec<String>,
    /// A misbehaving provider: `nonce`, `audience`, `issuer`, `expired` or `signature` rewrite
    /// every issued ID token (`resign` signs it again unchanged).
    pub tamper: Option<&'static str>,
}

/// A running provider.
pub struct OidcProvider {
    /// Issuer URL, e.g. `http://127.0.0.1:41234`.
    pub issuer: String,
    child: Child,
}

/// A free loopback port (closed again, so the next listener can take it).
pub fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("browser/oidc-provider.mjs")
}

impl OidcProvider {
    /// The discovery URL a provider on `port` will have.
    pub fn discovery_url(port: u16) -> String {
        format!("http://127.0.0.1:{port}/.well-known/openid-configuration")
    }

    /// Starts the provider on `port` and waits until it listens.
    pub async fn start(port: u16, options: ProviderOptions) -> Result<Self> {
        anyhow::ensure!(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("browser/node_modules/oidc-provider")
                .exists(),
            "run `npm install` in tests/browser (scripts/test does)"
        );
        let mut child = Command::new("node")
            .arg(script())
            .env("PORT", port.to_string())
            .env(
                "CLIENT_ID",
                options.client_id.as_deref().unwrap_or("hearth"),
            )
            .env(
                "CLIENT_SECRET",
                options.client_secret.as_deref().unwrap_or_default(),
            )
            .env("REDIRECT_URIS", options.redirect_uris.join(","))
            .env("TAMPER", options.tamper.unwrap_or_default())
            .stdout(Stdio::piped())
            .stderr(if std::env::var_os("HEARTH_TEST_OIDC_LOG").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .kill_on_drop(true)
            .spawn()
            .context("starting node (install Node.js)")?;
        let stdout = child.stdout.take().context("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let ready = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
            .await
            .context("the provider did not start in time")??
            .context("the provider exited")?;
        let issuer = ready
            .strip_prefix("ready ")
            .with_context(|| format!("unexpected provider output: {ready}"))?
            .to_owned();
        // Keep reading, so the provider never writes into a closed pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(Self { issuer, child })
    }

    /// Stops the provider.
    pub async fn stop(mut self) -> Result<()> {
        self.child.kill().await?;
        Ok(())
    }
}

/// Where a walked sign-in ended.
#[derive(Debug)]
pub struct Landing {
    /// The last redirect's target (Hearth's `/auth…`).
    pub location: String,
    /// `Set-Cookie` headers of Hearth's callback answer.
    pub cookies: Vec<String>,
    /// The callback URL the provider sent the browser to (with code and state).
    pub callback_url: String,
    /// The `oauth_login` cookie the callback was sent with.
    pub login_cookie: Option<String>,
    /// The authorization URL Hearth redirected to.
    pub authorize_url: String,
}

impl Landing {
    /// The value of cookie `name` as Hearth set it, with its attributes.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        let prefix = format!("{name}=");
        self.cookies
            .iter()
            .find(|c| c.starts_with(&prefix))
            .map(String::as_str)
    }

    /// Only the value of cookie `name`.
    pub fn cookie_value(&self, name: &str) -> Option<String> {
        let cookie = self.cookie(name)?;
        let value = cookie.split(';').next()?.split_once('=')?.1;
        Some(value.to_owned())
    }

    /// The `error` query parameter of the landing URL.
    pub fn error(&self) -> Option<String> {
        let url = reqwest::Url::parse(&self.location).ok()?;
        url.query_pairs()
            .find(|(k, _)| k == "error")
            .map(|(_, v)| v.into_owned())
    }
}

/// A cookie-keeping client that does not follow redirects by itself.
pub struct ProviderBrowser {
    client: reqwest::Client,
    jar: std::sync::Arc<reqwest::cookie::Jar>,
}

fn form_action(html: &str) -> Option<String> {
    let start = html.find("action=\"")? + "action=\"".len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].replace("&amp;", "&"))
}

fn form_prompt(html: &str) -> Option<String> {
    let marker = "name=\"prompt\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}

impl ProviderBrowser {
    /// A fresh browser (no cookies).
    pub fn new() -> Result<Self> {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_provider(jar.clone())
            .build()?;
        Ok(Self { client, jar })
    }

    /// The underlying client (it sends the cookies this browser holds).
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// The cookies this browser would send to `url`.
    pub fn cookies_for(&self, url: &str) -> Option<String> {
        use reqwest::cookie::CookieStore;
        let url = reqwest::Url::parse(url).ok()?;
        self.jar
            .cookies(&url)
            .and_then(|v| v.to_str().ok().map(str::to_owned))
    }

    /// Starts at `start` (Hearth's `/oauth/<provider>/login`), signs in at the provider as
    /// `login`, consents, and follows redirects until the browser is sent to Hearth's
    /// `/auth`.
    pub async fn sign_in(&self, hearth: &str, start: &str, login: &str) -> Result<Landing> {
        self.walk(hearth, start, login, true).await
    }

    /// Like [`ProviderBrowser::sign_in`], but stops when the provider sends the browser to
    /// Hearth's callback: the returned landing's `callback_url` holds an unused code.
    pub async fn sign_in_until_callback(
        &self,
        hearth: &str,
        start: &str,
        login: &str,
    ) -> Result<Landing> {
        self.walk(hearth, start, login, false).await
    }

    async fn walk(&self, hearth: &str, start: &str, login: &str, deliver: bool) -> Result<Landing> {
        let mut url = start.to_owned();
        let mut authorize_url = String::new();
        let mut callback_url = String::new();
        let mut login_cookie = None;
        let mut pending_form: Option<(String, Vec<(String, String)>)> = None;
        for _ in 0..20 {
            let response = match pending_form.take() {
                Some((action, fields)) => self.client.post(&action).form(&fields).send().await?,
                None => self.client.get(&url).send().await?,
            };
            let status = response.status();
            let here = response.url().clone();
            if status.is_redirection() {
                let target = response
                    .headers()
                    .get(LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .context("redirect without Location")?;
                let next = here.join(target)?.to_string();
                if here.as_str().starts_with(hearth) && here.path().starts_with("/oauth/") {
                    if here.path().ends_with("/login") {
                        authorize_url = next.clone();
                    } else {
                        callback_url = here.to_string();
                        let cookies = response
                            .headers()
                            .get_all(SET_COOKIE)
                            .iter()
                            .filter_map(|v| v.to_str().ok().map(str::to_owned))
                            .collect();
                        return Ok(Landing {
                            location: next,
                            cookies,
                            callback_url,
                            login_cookie,
                            authorize_url,
                        });
                    }
                }
                if next.starts_with(hearth)
                    && reqwest::Url::parse(&next)?.path().starts_with("/oauth/")
                {
                    login_cookie = self.cookies_for(&next).and_then(|c| {
                        c.split("; ")
                            .find_map(|kv| kv.strip_prefix("oauth_login=").map(str::to_owned))
                    });
                    if !deliver && !reqwest::Url::parse(&next)?.path().ends_with("/login") {
                        return Ok(Landing {
                            location: String::new(),
                            cookies: Vec::new(),
                            callback_url: next,
                            login_cookie,
                            authorize_url,
                        });
                    }
                }
                url = next;
                continue;
            }
            anyhow::ensure!(
                status == StatusCode::OK,
                "HTTP {status} at {here}: {}",
                response.text().await.unwrap_or_default()
            );
            let html = response.text().await?;
            let action = here.join(&form_action(&html).context("no form on the page")?)?;
            let prompt = form_prompt(&html).context("no prompt on the page")?;
            let mut fields = vec![("prompt".to_owned(), prompt.clone())];
            if prompt == "login" {
                fields.push(("login".into(), login.to_owned()));
                fields.push(("password".into(), "any-password".into()));
            }
            pending_form = Some((action.to_string(), fields));
        }
        anyhow::bail!(
            "the sign-in did not come back to Hearth (last URL {url}, callback {callback_url})"
        )
    }
}
