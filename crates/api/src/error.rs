//! The one mapping from failures to HTTP: every error becomes FastAPI's `{"detail": ...}`
//! body with Open WebUI's status code and message. Causes are logged, never sent.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use hearth_auth::AuthError;
use hearth_domain::StoreError;
use hearth_domain::provider::{ProviderError, UpstreamBody};
use hearth_services::ServiceError;
use hearth_services::messages as msg;
use serde_json::{Value, json};
use std::borrow::Cow;
use std::fmt;

/// An error response.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    detail: Value,
    clear_session: bool,
    raw: bool,
    retry_after: Option<u64>,
}

impl ApiError {
    /// An error with a text detail.
    pub fn new(status: StatusCode, detail: impl Into<Cow<'static, str>>) -> Self {
        Self {
            status,
            detail: Value::String(detail.into().into_owned()),
            clear_session: false,
            raw: false,
            retry_after: None,
        }
    }

    /// A 422 with FastAPI's list of validation problems.
    pub fn validation(items: Value) -> Self {
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            detail: items,
            clear_session: false,
            raw: false,
            retry_after: None,
        }
    }

    /// A JSON body sent as is, not wrapped in `detail` (a model server's own error, passed
    /// back so API clients read it the way they read that server's errors).
    pub fn passthrough(status: StatusCode, body: Value) -> Self {
        Self {
            status,
            detail: body,
            clear_session: false,
            raw: true,
            retry_after: None,
        }
    }

    /// 400.
    pub fn bad_request(detail: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, detail)
    }

    /// 401.
    pub fn unauthorized(detail: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, detail)
    }

    /// 403.
    pub fn forbidden(detail: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::FORBIDDEN, detail)
    }

    /// 404.
    pub fn not_found(detail: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::NOT_FOUND, detail)
    }

    /// 500 with the generic message; `cause` goes to the log only.
    pub fn internal(cause: impl fmt::Display) -> Self {
        tracing::error!(%cause, "request failed");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, msg::DEFAULT)
    }

    /// Also expire the session cookies (Open WebUI does so on every authentication failure).
    pub fn clearing_session(mut self) -> Self {
        self.clear_session = true;
        self
    }

    /// 429 with a `Retry-After` of `secs`.
    pub fn too_many(detail: impl Into<Cow<'static, str>>, secs: u64) -> Self {
        let mut error = Self::new(StatusCode::TOO_MANY_REQUESTS, detail);
        error.retry_after = Some(secs);
        error
    }

    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The `detail` value.
    pub fn detail(&self) -> &Value {
        &self.detail
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.status, self.detail)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        response.insert_header((header::CACHE_CONTROL, "no-store"));
        if let Some(secs) = self.retry_after {
            response.insert_header((header::RETRY_AFTER, secs.to_string()));
        }
        if self.clear_session {
            for name in ["token", "oauth_id_token", "oauth_session_id"] {
                response.cookie(crate::cookies::expired(name));
            }
        }
        if self.raw {
            return response.json(&self.detail);
        }
        response.json(json!({ "detail": self.detail }))
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => ApiError::not_found(msg::NOT_FOUND),
            StoreError::Conflict(cause) => {
                tracing::info!(%cause, "conflicting write refused");
                ApiError::bad_request(msg::DEFAULT)
            }
            StoreError::Backend(cause) => {
                tracing::error!(%cause, "storage failure");
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, msg::UNAVAILABLE)
            }
        }
    }
}

impl From<AuthError> for ApiError {
    fn from(error: AuthError) -> Self {
        use AuthError as E;
        match error {
            E::NotAuthenticated => {
                ApiError::unauthorized(msg::NOT_AUTHENTICATED).clearing_session()
            }
            E::Undecodable => ApiError::unauthorized(msg::UNAUTHORIZED).clearing_session(),
            E::Revoked => ApiError::unauthorized(msg::INVALID_TOKEN_SHORT).clearing_session(),
            E::UnknownUser | E::UnknownApiKey => {
                ApiError::unauthorized(msg::INVALID_TOKEN).clearing_session()
            }
            E::ApiKeysDisabled => ApiError::forbidden(msg::API_KEY_NOT_ALLOWED).clearing_session(),
            E::EndpointNotAllowed => ApiError::forbidden(msg::ACCESS_PROHIBITED).clearing_session(),
            E::TrustedUserMismatch => ApiError::unauthorized(msg::USER_MISMATCH).clearing_session(),
            E::InvalidCredentials => ApiError::bad_request(msg::INVALID_CRED),
            E::IncorrectPassword => ApiError::bad_request(msg::INCORRECT_PASSWORD),
            E::InvalidEmail => ApiError::bad_request(msg::INVALID_EMAIL_FORMAT),
            E::EmailTaken => ApiError::bad_request(msg::EMAIL_TAKEN),
            E::PasswordTooLong => ApiError::bad_request(msg::PASSWORD_TOO_LONG),
            E::SignupClosed => ApiError::forbidden(msg::ACCESS_PROHIBITED),
            E::RateLimited => {
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, msg::RATE_LIMIT_EXCEEDED)
            }
            E::Hashing(cause) | E::Signing(cause) => ApiError::internal(cause),
            E::Store(error) => error.into(),
        }
    }
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> Self {
        use ServiceError as E;
        match error {
            E::Invalid(detail) => ApiError::bad_request(detail),
            E::Unauthorized(detail) => ApiError::unauthorized(detail),
            E::Forbidden(detail) => ApiError::forbidden(detail),
            E::NotFound(detail) => ApiError::not_found(detail),
            E::Conflict(detail) => ApiError::new(StatusCode::CONFLICT, detail),
            E::Validation(items) => ApiError::validation(items),
            E::Unprocessable(detail) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, detail),
            E::TooLarge(detail) => ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, detail),
            E::Unavailable(detail) => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, detail),
            E::BadGateway(detail) => ApiError::new(StatusCode::BAD_GATEWAY, detail),
            E::TooManyRequests {
                detail,
                retry_after,
            } => ApiError::too_many(detail, retry_after),
            E::Auth(error) => error.into(),
            E::Store(error) => error.into(),
            E::Provider(error) => provider_error(error),
            E::Internal(cause) => ApiError::internal(cause),
        }
    }
}

/// Maps a provider failure before any byte was sent. A model server's 4xx comes back with
/// its status and body (JSON as it was, text as `detail`); its 5xx and transport failures
/// become 502 (504 for timeouts) with a clear `detail`.
pub fn provider_error(error: ProviderError) -> ApiError {
    match error {
        ProviderError::Disabled(_) => {
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, error.to_string())
        }
        ProviderError::ModelNotFound => ApiError::bad_request("Model not found"),
        ProviderError::ConnectionNotFound => ApiError::not_found("Connection not found"),
        ProviderError::Timeout { .. } => {
            ApiError::new(StatusCode::GATEWAY_TIMEOUT, error.to_string())
        }
        ProviderError::Upstream { status, body } if (400..500).contains(&status) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
            match body {
                UpstreamBody::Json(json) => ApiError::passthrough(status, json),
                UpstreamBody::Text(text) => ApiError::new(status, text),
            }
        }
        ProviderError::Upstream { status, body } => ApiError::new(
            StatusCode::BAD_GATEWAY,
            format!(
                "The model server answered HTTP {status}: {}",
                body.message()
            ),
        ),
        other => {
            tracing::warn!(error = %other, "model server failure");
            ApiError::new(StatusCode::BAD_GATEWAY, other.to_string())
        }
    }
}

/// Handler result.
pub type ApiResult<T> = Result<T, ApiError>;
