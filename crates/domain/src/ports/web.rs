//! [`WebPages`]: fetching a page at a URL a user named, through the outbound policy
//! ([`crate::outbound::OutboundPolicy`]).

use async_trait::async_trait;
use bytes::Bytes;

/// A fetched page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebPage {
    /// The URL the answer came from (after redirects).
    pub url: String,
    /// Its `content-type`, if any.
    pub content_type: Option<String>,
    /// The body.
    pub bytes: Bytes,
}

/// Why a page was not fetched.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WebFetchError {
    /// The URL, a redirect's target or an address it resolves to is not allowed.
    #[error("refused: {0}")]
    Refused(String),
    /// The body is over the limit.
    #[error("the page is larger than {0} bytes")]
    TooLarge(usize),
    /// The server could not be reached, timed out or answered an error status.
    #[error("{0}")]
    Failed(String),
}

/// Fetches web pages for users.
#[async_trait]
pub trait WebPages: Send + Sync {
    /// GETs `url`, following allowed redirects.
    async fn fetch(&self, url: &str) -> Result<WebPage, WebFetchError>;
}
