//! `GET /api/v1/users/{id}/profile/image`: a user's avatar as image bytes.

use crate::avatar::default_avatar;
use crate::error::ApiResult;
use crate::extract::VerifiedUser;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use hearth_domain::UserId;
use hearth_services::users::{self, Avatar};

/// The avatar: a `data:` URL decoded, an external URL redirected to, or the default.
#[utoipa::path(tag = "users", responses((status = 200, content_type = "image/png", description = "Image bytes")))]
#[get("/{user_id}/profile/image")]
pub async fn profile_image(
    state: web::Data<AppState>,
    _caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = UserId::from(path.into_inner());
    Ok(match users::avatar(&state.app, &id).await? {
        Avatar::Default => default_avatar(),
        // A stored URL that cannot be a header value (control characters) is no avatar.
        Avatar::Redirect(url) => match header::HeaderValue::from_str(&url) {
            Ok(location) => HttpResponse::Found()
                .insert_header((header::LOCATION, location))
                .finish(),
            Err(_) => default_avatar(),
        },
        Avatar::Image { media_type, bytes } => HttpResponse::Ok()
            .content_type(media_type)
            .insert_header((header::CONTENT_DISPOSITION, "inline"))
            .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .body(bytes),
    })
}
