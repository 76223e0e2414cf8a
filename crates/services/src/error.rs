//! What a use case can answer instead of a result. The variants say how the request failed
//! (refused as invalid, not allowed, not found, ...) with the message Open WebUI shows for
//! it; the HTTP edge turns each into a status and a `{"detail": ...}` body, in one place.

use hearth_auth::AuthError;
use hearth_domain::StoreError;
use hearth_domain::provider::ProviderError;
use serde_json::Value;
use std::borrow::Cow;

/// A refusal or failure of a use case.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The request cannot be done as asked (400).
    #[error("{0}")]
    Invalid(Cow<'static, str>),
    /// The caller is not allowed, or the thing is not theirs (401, as Open WebUI answers
    /// most such refusals).
    #[error("{0}")]
    Unauthorized(Cow<'static, str>),
    /// The caller is known but may not do this (403).
    #[error("{0}")]
    Forbidden(Cow<'static, str>),
    /// Nothing by that name (404).
    #[error("{0}")]
    NotFound(Cow<'static, str>),
    /// The request conflicts with the current state (409).
    #[error("{0}")]
    Conflict(Cow<'static, str>),
    /// The input failed validation; FastAPI's list of problems (422).
    #[error("invalid input: {0}")]
    Validation(Value),
    /// The input failed validation on a route that answers with one fixed message (422).
    #[error("{0}")]
    Unprocessable(Cow<'static, str>),
    /// The upload or text is larger than allowed (413).
    #[error("{0}")]
    TooLarge(Cow<'static, str>),
    /// A dependency is not available (503).
    #[error("{0}")]
    Unavailable(Cow<'static, str>),
    /// No model server could be reached for the answer (502).
    #[error("{0}")]
    BadGateway(Cow<'static, str>),
    /// A usage limit is used up (429, with `Retry-After`).
    #[error("{detail}")]
    TooManyRequests {
        /// What was used up.
        detail: Cow<'static, str>,
        /// Seconds until it frees up.
        retry_after: u64,
    },
    /// Signing in or checking credentials failed.
    #[error(transparent)]
    Auth(#[from] AuthError),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A model server failed or refused.
    #[error(transparent)]
    Provider(#[from] ProviderError),
    /// Something that should not fail did; the message is for the log only (500).
    #[error("internal error: {0}")]
    Internal(String),
}

impl ServiceError {
    /// 400 with `message`.
    pub fn invalid(message: impl Into<Cow<'static, str>>) -> Self {
        Self::Invalid(message.into())
    }

    /// 401 with `message`.
    pub fn unauthorized(message: impl Into<Cow<'static, str>>) -> Self {
        Self::Unauthorized(message.into())
    }

    /// 403 with `message`.
    pub fn forbidden(message: impl Into<Cow<'static, str>>) -> Self {
        Self::Forbidden(message.into())
    }

    /// 404 with `message`.
    pub fn not_found(message: impl Into<Cow<'static, str>>) -> Self {
        Self::NotFound(message.into())
    }

    /// 409 with `message`.
    pub fn conflict(message: impl Into<Cow<'static, str>>) -> Self {
        Self::Conflict(message.into())
    }

    /// 500; `cause` goes to the log only.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::Internal(cause.to_string())
    }

    /// FastAPI's 422 for one field of the body.
    pub fn field(field: &str, message: impl std::fmt::Display) -> Self {
        Self::Validation(serde_json::json!([{
            "type": "value_error",
            "loc": ["body", field],
            "msg": format!("Value error, {message}"),
        }]))
    }
}

/// A use case's result.
pub type ServiceResult<T> = Result<T, ServiceError>;
