//! Cross-cutting response behaviour: security headers, CORS, and a panic in one request
//! answered as a 500 instead of dropping the connection.

mod panics;

pub use panics::catch_panics;

use actix_cors::Cors;
use actix_web::middleware::DefaultHeaders;
use hearth_settings::Settings;

/// Security headers from the settings, added to responses that do not set them.
pub fn security_headers(settings: &Settings) -> DefaultHeaders {
    let mut middleware = DefaultHeaders::new();
    for (name, value) in settings.http.security_headers.pairs() {
        middleware = middleware.add((name, value));
    }
    middleware
}

/// CORS from `CORS_ALLOW_ORIGIN`: `*` reflects any origin (with credentials, as Starlette
/// does); otherwise only the listed origins.
pub fn cors(settings: &Settings) -> Cors {
    let mut cors = Cors::default()
        .allow_any_method()
        .allow_any_header()
        .supports_credentials()
        .max_age(600);
    if settings
        .http
        .cors_allow_origin
        .iter()
        .any(|origin| origin == "*")
    {
        cors = cors.allow_any_origin();
    } else {
        for origin in &settings.http.cors_allow_origin {
            cors = cors.allowed_origin(origin);
        }
    }
    cors
}
