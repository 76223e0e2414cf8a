//! `GET /api/v1/users/{id}/profile/image`: a user's avatar as image bytes.

use crate::error::ApiResult;
use crate::extract::VerifiedUser;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use base64::Engine;
use hearth_domain::validate::data_uri_media_type;

/// The avatar served when a user has none (or an unusable one).
pub const DEFAULT_AVATAR: &[u8] = include_bytes!("../../../assets/user.png");

/// The default avatar as a response.
pub fn default_avatar() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/png")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(DEFAULT_AVATAR)
}

/// A stored `data:` image decoded, a redirect to an external image, or the default avatar.
#[utoipa::path(tag = "users", responses((status = 200, content_type = "image/png", description = "Image bytes")))]
#[get("/{user_id}/profile/image")]
pub async fn profile_image(
    state: web::Data<AppState>,
    _caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let user = super::manage::user_or_400(&state, path.into_inner()).await?;
    let Some(url) = user.profile_image_url.filter(|u| !u.is_empty()) else {
        return Ok(default_avatar());
    };
    let settings = &state.settings;
    if url.starts_with("http") {
        if settings.accounts.profile_image_url_forwarding {
            return Ok(HttpResponse::Found()
                .insert_header((header::LOCATION, url))
                .finish());
        }
        return Ok(default_avatar());
    }
    Ok(
        decode_data_uri(&url, &settings.accounts.profile_image_allowed_mime_types)
            .unwrap_or_else(default_avatar),
    )
}

fn decode_data_uri(url: &str, allowed: &[String]) -> Option<HttpResponse> {
    let lower = url.get(..url.find(',')?)?.to_ascii_lowercase() + ",";
    let media = data_uri_media_type(&lower)?.to_owned();
    if !allowed.iter().any(|a| a.eq_ignore_ascii_case(&media)) {
        return None;
    }
    let (_, encoded) = url.split_once(',')?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    Some(
        HttpResponse::Ok()
            .content_type(media)
            .insert_header((header::CONTENT_DISPOSITION, "inline"))
            .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .body(bytes),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_allowed_data_uris_only() {
        let allowed = vec!["image/png".to_owned()];
        assert!(decode_data_uri("data:image/png;base64,iVBORw0KGgo=", &allowed).is_some());
        assert!(decode_data_uri("data:image/gif;base64,R0lGOD==", &allowed).is_none());
        assert!(decode_data_uri("data:image/png;base64,!!!", &allowed).is_none());
        assert!(decode_data_uri("data:image/png;base64", &allowed).is_none());
    }
}
