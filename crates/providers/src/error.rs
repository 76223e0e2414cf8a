//! What can go wrong talking to a model server. Messages name the connection by API and
//! position, never by URL or key.

pub use hearth_domain::provider::{ProviderError, UpstreamBody};
use serde_json::Value;

/// Classifies a transport error for `connection`.
pub(crate) fn transport(
    connection: String,
    err: &reqwest::Error,
    limit_secs: u64,
) -> ProviderError {
    if err.is_timeout() {
        return ProviderError::Timeout {
            connection,
            seconds: limit_secs,
        };
    }
    ProviderError::Unreachable {
        connection,
        reason: describe(err),
    }
}

/// The innermost cause of a transport error, without the URL.
pub(crate) fn describe(err: &reqwest::Error) -> String {
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(err);
    let mut last = None;
    while let Some(cause) = source {
        last = Some(cause.to_string());
        source = cause.source();
    }
    last.unwrap_or_else(|| {
        if err.is_connect() {
            "connection failed".into()
        } else if err.is_body() || err.is_decode() {
            "the response body could not be read".into()
        } else {
            "request failed".into()
        }
    })
}

/// An upstream error body, readable: JSON as is, text cut to 2,000 characters.
pub(crate) fn upstream_body(bytes: &[u8]) -> UpstreamBody {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(json) => UpstreamBody::Json(json),
        Err(_) => {
            let text = String::from_utf8_lossy(bytes);
            UpstreamBody::Text(text.chars().take(2000).collect())
        }
    }
}
