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

impl UpstreamBody {
    /// The readable message of the body: `error.message`, `error`, `detail` or `message`
    /// when the body is JSON with one of them, the whole body otherwise.
    pub fn message(&self) -> String {
        match self {
            Self::Text(text) => text.clone(),
            Self::Json(json) => [
                json.pointer("/error/message"),
                json.get("error"),
                json.get("detail"),
                json.get("message"),
            ]
            .into_iter()
            .flatten()
            .find_map(|v| v.as_str().map(str::to_owned))
            .unwrap_or_else(|| json.to_string()),
        }
    }
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
    /// What a failure inside a stream is reported with (the server's own message for its
    /// error answers).
    pub fn stream_message(&self) -> String {
        match self {
            Self::Upstream { body, .. } => body.message(),
            other => other.to_string(),
        }
    }
}
