//! The default avatar as an HTTP answer (users without a picture, models without an image).

use actix_web::HttpResponse;
use actix_web::http::header;
use hearth_services::users::DEFAULT_AVATAR;

/// The default avatar, cached for an hour.
pub fn default_avatar() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/png")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(DEFAULT_AVATAR)
}
