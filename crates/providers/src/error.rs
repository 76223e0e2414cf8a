//! What can go wrong talking to a model server. Messages name the connection by API and
//! position, never by URL or key.

use serde_json::Value;

/// A body a model server answered an error with.
#[derive(Clone, Debug, PartialEq)]
pub enum UpstreamBody {
    /// A JSON body, passed back as it came.
    Json(Value),
    /// Anything else, as text (cut to a readable length).
    Text(String),
}

/// A provider failure.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// The API is switched off.
    #[error("{0} API is disabled")]
    Disabled(&'static str),
    /// No connection offers the model, or the caller may not use it.
    #[error("Model not found")]
    ModelNotFound,
    /// The connection named does not exist.
    #[error("Connection not found")]
    ConnectionNotFound,
    /// The server could not be reached.
    #[error("Server Connection Error: could not reach the model server ({connection}): {reason}")]
    Unreachable {
        /// e.g. `OpenAI connection 0`.
        connection: String,
        /// What failed (connect refused, DNS, TLS, ...).
        reason: String,
    },
    /// The server did not answer in time.
    #[error(
        "Server Connection Error: the model server ({connection}) did not answer within {seconds} s"
    )]
    Timeout {
        /// e.g. `OpenAI connection 0`.
        connection: String,
        /// The limit that passed.
        seconds: u64,
    },
    /// The server answered with an error status.
    #[error("the model server answered HTTP {status}")]
    Upstream {
        /// Its status code.
        status: u16,
        /// Its body.
        body: UpstreamBody,
    },
    /// The server's answer could not be understood.
    #[error("The model server sent an invalid response: {0}")]
    InvalidResponse(String),
    /// A streamed line exceeded the configured limit.
    #[error("The model server sent a line longer than {0} bytes")]
    LineTooLong(usize),
    /// The stream broke off.
    #[error("The model server's stream broke off: {0}")]
    Interrupted(String),
}

impl ProviderError {
    /// Classifies a transport error for `connection`.
    pub(crate) fn transport(connection: String, err: &reqwest::Error, limit_secs: u64) -> Self {
        if err.is_timeout() {
            return Self::Timeout {
                connection,
                seconds: limit_secs,
            };
        }
        Self::Unreachable {
            connection,
            reason: describe(err),
        }
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
