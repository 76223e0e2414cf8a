//! A panic inside one request's handler answers that request with a 500 `{"detail"}` and
//! leaves every other request (and the worker thread) alone. The panic is logged with the
//! method and path; a panic is always a bug to fix, never an expected answer.

use crate::error::ApiError;
use actix_web::Error;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use futures_util::FutureExt as _;
use std::any::Any;
use std::panic::AssertUnwindSafe;

/// `from_fn` middleware: runs the rest of the chain and turns a panic into a 500.
///
/// # Errors
/// Whatever the inner service returns, and the 500 of a panic (as an error: the request
/// itself is gone with the unwound handler, so there is no request to build a response on).
pub async fn catch_panics(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    // Only copies: a second handle on the request would stop routing from writing to it.
    let method = req.method().clone();
    let path = req.path().to_owned();
    match AssertUnwindSafe(next.call(req)).catch_unwind().await {
        Ok(result) => result.map(ServiceResponse::map_into_boxed_body),
        Err(panic) => {
            tracing::error!(
                %method,
                path,
                cause = panic_message(panic.as_ref()),
                "a request handler panicked; answered 500"
            );
            Err(ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error").into())
        }
    }
}

fn panic_message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

#[cfg(test)]
mod tests {
    use super::catch_panics;
    use actix_web::middleware::from_fn;
    use actix_web::{App, HttpResponse, test, web};

    #[actix_web::test]
    async fn a_panicking_handler_answers_500_and_the_next_request_is_served() {
        let app = test::init_service(
            App::new()
                .wrap(from_fn(catch_panics))
                .route(
                    "/boom",
                    web::get().to(|| async {
                        let empty: Vec<u8> = Vec::new();
                        HttpResponse::Ok().body(vec![empty[3]])
                    }),
                )
                .route("/fine", web::get().to(|| async { "fine" })),
        )
        .await;
        let boom = test::try_call_service(&app, test::TestRequest::get().uri("/boom").to_request())
            .await
            .err()
            .map(|error| error.error_response());
        let boom = boom.expect("the panic is answered as an error");
        assert_eq!(boom.status(), 500);
        let body = actix_web::body::to_bytes(boom.into_body()).await.ok();
        let body: serde_json::Value =
            serde_json::from_slice(&body.unwrap_or_default()).unwrap_or_default();
        assert_eq!(body, serde_json::json!({"detail": "Internal Server Error"}));
        let fine =
            test::call_service(&app, test::TestRequest::get().uri("/fine").to_request()).await;
        assert_eq!(fine.status(), 200);
    }
}
