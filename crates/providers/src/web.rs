//! [`GuardedWeb`]: the domain's [`WebPages`] port over an HTTP client that cannot be steered
//! inside. Every name is resolved by [`GuardedResolver`], which refuses it when any address
//! it resolves to is refused by the [`OutboundPolicy`] — and the checked addresses are the
//! ones the client connects to, so a name that answers differently the second time (DNS
//! rebinding) gains nothing. Addresses written in a URL skip resolution, so the URL and every
//! redirect target are checked before they are requested. Proxies from the environment are
//! not used (a proxy would resolve the name itself).

use bytes::Bytes;
use futures_util::StreamExt;
use hearth_domain::outbound::{OutboundPolicy, Refusal};
use hearth_domain::ports::{WebFetchError, WebPage, WebPages};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::redirect;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// Limits of one fetch.
#[derive(Clone, Copy, Debug)]
pub struct FetchLimits {
    /// Connection to last byte.
    pub timeout: Duration,
    /// Largest body read.
    pub max_bytes: usize,
    /// Redirects followed.
    pub max_redirects: usize,
}

/// Web pages fetched through the outbound policy.
#[derive(Clone, Debug)]
pub struct GuardedWeb {
    http: reqwest::Client,
    policy: Arc<OutboundPolicy>,
    limits: FetchLimits,
}

impl GuardedWeb {
    /// The client for `policy` and `limits`.
    ///
    /// # Errors
    /// When the TLS backend cannot be initialised.
    pub fn new(policy: OutboundPolicy, limits: FetchLimits) -> Result<Self, String> {
        let policy = Arc::new(policy);
        let http = reqwest::Client::builder()
            .no_proxy()
            .dns_resolver(Arc::new(GuardedResolver::new(Arc::clone(&policy))))
            .redirect(guarded_redirects(Arc::clone(&policy), limits.max_redirects))
            .connect_timeout(limits.timeout)
            .user_agent(concat!("Hearth/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self {
            http,
            policy,
            limits,
        })
    }

    async fn read(&self, response: reqwest::Response) -> Result<Bytes, WebFetchError> {
        let max = self.limits.max_bytes;
        if response.content_length().is_some_and(|n| n > max as u64) {
            return Err(WebFetchError::TooLarge(max));
        }
        let mut body = Vec::new();
        let mut stream = response.bytes_stream();
        while let Some(piece) = stream.next().await {
            let piece = piece.map_err(|e| WebFetchError::Failed(crate::error::describe(&e)))?;
            if body.len() + piece.len() > max {
                return Err(WebFetchError::TooLarge(max));
            }
            body.extend_from_slice(&piece);
        }
        Ok(Bytes::from(body))
    }
}

#[async_trait::async_trait]
impl WebPages for GuardedWeb {
    async fn fetch(&self, url: &str) -> Result<WebPage, WebFetchError> {
        // Checked as written and as the client will read it: the WHATWG parser turns hosts
        // like `0x7f000001` or `2130706433` into the address they spell.
        self.policy
            .check_url(url)
            .map_err(|refusal| refused(url, &refusal))?;
        let parsed = reqwest::Url::parse(url).map_err(|_| refused(url, &Refusal::Malformed))?;
        self.policy
            .check_url(parsed.as_str())
            .map_err(|refusal| refused(url, &refusal))?;
        let fetch = async {
            let response = self
                .http
                .get(parsed)
                .send()
                .await
                .map_err(|e| outcome(url, &e))?;
            let status = response.status();
            if !status.is_success() {
                return Err(WebFetchError::Failed(format!(
                    "the server answered {status}"
                )));
            }
            let final_url = response.url().to_string();
            let content_type = response
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let bytes = self.read(response).await?;
            Ok(WebPage {
                url: final_url,
                content_type,
                bytes,
            })
        };
        tokio::time::timeout(self.limits.timeout, fetch)
            .await
            .map_err(|_| {
                WebFetchError::Failed(format!(
                    "no answer within {} s",
                    self.limits.timeout.as_secs()
                ))
            })?
    }
}

/// A redirect policy that follows at most `max` redirects, each to a URL `policy` allows
/// (names are checked again when the client resolves them).
pub fn guarded_redirects(policy: Arc<OutboundPolicy>, max: usize) -> redirect::Policy {
    redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() > max {
            return attempt.error(Refused(format!("more than {max} redirects")));
        }
        match policy.check_url(attempt.url().as_str()) {
            Ok(()) => attempt.follow(),
            Err(refusal) => attempt.error(Refused(refusal.to_string())),
        }
    })
}

/// Resolves names and refuses those that lead anywhere the policy refuses.
#[derive(Debug)]
pub struct GuardedResolver {
    policy: Arc<OutboundPolicy>,
}

impl GuardedResolver {
    /// A resolver for `policy`.
    pub fn new(policy: Arc<OutboundPolicy>) -> Self {
        Self { policy }
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = Arc::clone(&self.policy);
        Box::pin(async move {
            let host = name.as_str().to_owned();
            policy
                .check_host(&host)
                .map_err(|r| Box::new(Refused(r.to_string())) as BoxError)?;
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await
                .map_err(|e| Box::new(e) as BoxError)?
                .collect();
            for address in &found {
                policy
                    .check_address(address.ip())
                    .map_err(|r| Box::new(Refused(format!("{host}: {r}"))) as BoxError)?;
            }
            let addresses: Addrs = Box::new(found.into_iter());
            Ok(addresses)
        })
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A refusal raised inside the client (resolver or redirect policy).
#[derive(Debug)]
struct Refused(String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

/// The host of a URL, for logs (a whole URL may carry credentials or tokens).
fn host_of(url: &str) -> String {
    reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default()
}

fn refused(url: &str, refusal: &Refusal) -> WebFetchError {
    tracing::warn!(host = %host_of(url), reason = %refusal, "outbound request refused");
    WebFetchError::Refused(refusal.to_string())
}

/// A send error as a refusal (when the resolver or redirect policy said no) or a failure.
fn outcome(url: &str, error: &reqwest::Error) -> WebFetchError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = source {
        if let Some(refusal) = current.downcast_ref::<Refused>() {
            tracing::warn!(host = %host_of(url), reason = %refusal, "outbound request refused");
            return WebFetchError::Refused(refusal.0.clone());
        }
        source = current.source();
    }
    WebFetchError::Failed(crate::error::describe(error))
}
