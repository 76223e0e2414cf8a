//! Cross-cutting response behaviour: security headers and CORS.

use crate::settings::Settings;
use actix_cors::Cors;
use actix_web::middleware::DefaultHeaders;

/// Security headers from the settings, added to responses that do not set them.
pub fn security_headers(settings: &Settings) -> DefaultHeaders {
    let headers = &settings.security_headers;
    let mut middleware = DefaultHeaders::new();
    for (name, value) in [
        ("X-Content-Type-Options", &headers.content_type_options),
        ("X-Frame-Options", &headers.frame_options),
        ("Referrer-Policy", &headers.referrer_policy),
        ("Strict-Transport-Security", &headers.hsts),
        ("Content-Security-Policy", &headers.content_security_policy),
    ] {
        if let Some(value) = value {
            middleware = middleware.add((name, value.as_str()));
        }
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
        .cors_allow_origin
        .iter()
        .any(|origin| origin == "*")
    {
        cors = cors.allow_any_origin();
    } else {
        for origin in &settings.cors_allow_origin {
            cors = cors.allowed_origin(origin);
        }
    }
    cors
}
