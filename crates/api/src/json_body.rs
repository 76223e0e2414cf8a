//! [`JsonBody`], the JSON request body extractor of every handler. It reads like actix's
//! `web::Json` and answers bad input the way [`crate::body`] shapes it, with one difference
//! that Open WebUI's clients rely on through pydantic: an integer field takes a number with no
//! fractional part written as a float (`5.0`), which JSON Schema also counts as an integer.
//! The body is parsed once; only when a float met an integer field is it re-read as a JSON
//! value with such floats made integers, so stored JSON is never rewritten.
//!
//! An optional body is `JsonBody<Option<T>>`: an empty body (or `null`) is `None`, as FastAPI
//! reads an `Optional[Form] = None` body; a body that is present must still be a valid `T`.

use crate::body::{BodyErrors, body_error, payload_error};
use crate::error::ApiError;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use hearth_domain::text::strip_nul_json;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::ops::{Deref, DerefMut};

/// A JSON request body of type `T`.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<T> JsonBody<T> {
    /// The parsed body.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for JsonBody<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for JsonBody<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let errors = req
            .app_data::<BodyErrors>()
            .copied()
            .unwrap_or(BodyErrors::Detailed);
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let bytes = bytes.await.map_err(|error| payload_error(&error, errors))?;
            parse(&bytes, errors).map(JsonBody)
        })
    }
}

/// Parses `bytes` as `T`, taking integral floats for integers and dropping NUL characters
/// from every string (PostgreSQL refuses them, and stored text never holds them).
///
/// # Errors
/// FastAPI's 422 for a body that is not JSON or not a `T`.
pub fn parse<T: DeserializeOwned>(bytes: &[u8], errors: BodyErrors) -> Result<T, ApiError> {
    if bytes.trim_ascii().is_empty()
        && let Ok(absent) = serde_json::from_slice::<T>(b"null")
    {
        return Ok(absent);
    }
    if !escapes_nul(bytes) {
        match serde_json::from_slice::<T>(bytes) {
            Ok(parsed) => return Ok(parsed),
            Err(error) if !is_float_refusal(&error) => return Err(body_error(&error, errors)),
            Err(_) => {}
        }
    }
    let mut value: Value =
        serde_json::from_slice(bytes).map_err(|error| body_error(&error, errors))?;
    strip_nul_json(&mut value);
    match T::deserialize(&value) {
        Ok(parsed) => Ok(parsed),
        Err(first) if is_float_refusal(&first) => {
            integral_floats_as_integers(&mut value);
            serde_json::from_value(value).map_err(|_| body_error(&first, errors))
        }
        Err(error) => Err(body_error(&error, errors)),
    }
}

/// Whether the JSON text may hold a NUL character (only as the escape `\u0000`).
fn escapes_nul(bytes: &[u8]) -> bool {
    bytes.windows(6).any(|w| w == br"\u0000")
}

fn is_float_refusal(error: &serde_json::Error) -> bool {
    error
        .to_string()
        .starts_with("invalid type: floating point")
}

/// 2^63: integral floats at or past it stay floats (they fit no integer field anyway).
const INTEGER_RANGE: f64 = 9_223_372_036_854_775_808.0;

fn integral_floats_as_integers(value: &mut Value) {
    match value {
        Value::Number(number) => {
            if let Some(float) = number.as_f64().filter(|_| number.is_f64())
                && float.fract() == 0.0
                && float.abs() < INTEGER_RANGE
            {
                #[expect(
                    clippy::cast_possible_truncation,
                    reason = "integral and inside the i64 range, checked above"
                )]
                let integer = float as i64;
                *value = Value::from(integer);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_floats_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(integral_floats_as_integers),
        Value::Null | Value::Bool(_) | Value::String(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::{BodyErrors, parse};
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Form {
        count: u32,
        at: i64,
        ratio: f64,
        nested: Vec<Option<u64>>,
    }

    #[test]
    fn nul_characters_are_dropped_from_every_string() {
        #[derive(Debug, Deserialize, PartialEq)]
        struct Named {
            name: String,
            tags: Vec<String>,
            count: u32,
        }
        let named: Named = parse(
            br#"{"name": "a\u0000b", "tags": ["\u0000"], "count": 2.0}"#,
            BodyErrors::Detailed,
        )
        .unwrap_or_else(|error| panic!("{error:?}"));
        assert_eq!(named.name, "ab");
        assert_eq!(named.tags, [""]);
        assert_eq!(named.count, 2);
        let refused = parse::<Named>(br#"{"name": "\u0000"}"#, BodyErrors::Detailed);
        assert!(refused.is_err(), "a missing field is still refused");
    }

    #[test]
    fn integral_floats_fill_integer_fields_and_floats_stay_floats() {
        let form: Form = parse(
            br#"{"count": 5.0, "at": -7.0, "ratio": 2.0, "nested": [3.0, null]}"#,
            BodyErrors::Detailed,
        )
        .unwrap_or_else(|error| panic!("{error:?}"));
        assert_eq!(
            form,
            Form {
                count: 5,
                at: -7,
                ratio: 2.0,
                nested: vec![Some(3), None]
            }
        );
    }

    #[test]
    fn an_optional_body_may_be_empty_or_null_but_not_wrong() {
        for absent in [&b""[..], b"  \n", b"null"] {
            let form = parse::<Option<Form>>(absent, BodyErrors::Detailed);
            assert!(matches!(form, Ok(None)), "{absent:?}");
        }
        let wrong = parse::<Option<Form>>(br#"{"count": "x"}"#, BodyErrors::Detailed);
        assert!(wrong.is_err());
        let required = parse::<Form>(b"", BodyErrors::Detailed);
        assert!(required.is_err());
    }

    #[test]
    fn fractions_and_out_of_range_numbers_are_still_refused() {
        for body in [
            r#"{"count": 5.5, "at": 1, "ratio": 1, "nested": []}"#,
            r#"{"count": 1e20, "at": 1, "ratio": 1, "nested": []}"#,
            r#"{"count": 1, "at": 1e19, "ratio": 1, "nested": []}"#,
            r#"{"count": -1.0, "at": 1, "ratio": 1, "nested": []}"#,
        ] {
            let refused = parse::<Form>(body.as_bytes(), BodyErrors::Detailed);
            assert!(refused.is_err(), "{body}");
        }
    }
}
