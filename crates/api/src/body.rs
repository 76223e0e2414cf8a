//! Request body and query parsing errors, shaped as FastAPI reports them: 422 with a list of
//! `{type, loc, msg}` problems, or 413 for a body over the configured limit.

use crate::error::ApiError;
use actix_web::error::{PathError, QueryPayloadError};
use actix_web::http::StatusCode;
use actix_web::web::{PathConfig, QueryConfig};
use hearth_services::messages as msg;
use serde_json::{Value, json};

/// Query strings: FastAPI's detail list on bad input.
pub fn query_config() -> QueryConfig {
    QueryConfig::default().error_handler(|error, _| query_error(error).into())
}

/// Path parameters (e.g. a connection index): FastAPI's detail list on bad input.
pub fn path_config() -> PathConfig {
    PathConfig::default().error_handler(|error, _| path_error(error).into())
}

fn path_error(error: PathError) -> ApiError {
    ApiError::validation(
        json!([{"type": "value_error", "loc": ["path"], "msg": error.to_string()}]),
    )
}

/// How a scope answers bad bodies: FastAPI's detail list, or (the `/api/v1/auths` routes)
/// Open WebUI's one fixed message that hides validation details.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyErrors {
    /// 422 with the list of problems.
    Detailed,
    /// 422 with `Invalid authentication request.`.
    Terse,
}

/// The 422 of a body that is not JSON or not the expected shape.
pub(crate) fn body_error(error: &serde_json::Error, errors: BodyErrors) -> ApiError {
    problem(serde_problem(error), errors)
}

/// The answer to a body that could not be read: 413 over the limit, else 400.
pub(crate) fn payload_error(error: &actix_web::Error, errors: BodyErrors) -> ApiError {
    use actix_web::error::PayloadError;
    match error.as_error::<PayloadError>() {
        Some(PayloadError::Overflow) => {
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, msg::PAYLOAD_TOO_LARGE)
        }
        _ => problem(
            json!({"type": "json_invalid", "loc": ["body"], "msg": error.to_string()}),
            errors,
        ),
    }
}

fn problem(item: Value, errors: BodyErrors) -> ApiError {
    match errors {
        BodyErrors::Terse => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, msg::INVALID_AUTH_REQUEST)
        }
        BodyErrors::Detailed => ApiError::validation(json!([item])),
    }
}

fn serde_problem(error: &serde_json::Error) -> Value {
    let text = error.to_string();
    if error.is_eof() && error.line() == 1 && error.column() == 0 {
        return json!({"type": "missing", "loc": ["body"], "msg": "Field required"});
    }
    if let Some(field) = text
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        return json!({"type": "missing", "loc": ["body", field], "msg": "Field required"});
    }
    let kind = if error.is_syntax() || error.is_eof() {
        "json_invalid"
    } else {
        "value_error"
    };
    json!({"type": kind, "loc": ["body"], "msg": text})
}

fn query_error(error: QueryPayloadError) -> ApiError {
    ApiError::validation(
        json!([{"type": "value_error", "loc": ["query"], "msg": error.to_string()}]),
    )
}
