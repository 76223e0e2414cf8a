//! The bytes of a file, with `Content-Disposition` always set: inline only for PDF and plain
//! text (and an admin's HTML file on its own route), attachment otherwise. Everything but a
//! PDF is sent with `Content-Security-Policy: sandbox`, so an HTML or SVG upload opened
//! directly never runs in the API's origin.

use crate::disposition::content_disposition;
use crate::error::ApiResult;
use crate::extract::VerifiedUser;
use crate::state::AppState;
use actix_web::{HttpResponse, get, web};
use futures_util::StreamExt;
use hearth_domain::ids::FileId;
use hearth_services::files::dto::ContentParams;
use hearth_services::files::{self, ContentKind, Download};

/// `ContentKind` for the plain content route.
fn original(params: &ContentParams) -> ContentKind {
    ContentKind::Original {
        attachment: params.attachment.unwrap_or(false),
    }
}

fn respond(download: Download) -> HttpResponse {
    let disposition = if download.inline {
        "inline"
    } else {
        "attachment"
    };
    let mut response = HttpResponse::Ok();
    response
        .content_type(download.content_type.as_str())
        .insert_header((
            "Content-Disposition",
            content_disposition(disposition, &download.name),
        ))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .no_chunking(download.length);
    if !download.content_type.starts_with("application/pdf") {
        response.insert_header(("Content-Security-Policy", "sandbox"));
    }
    let body = download
        .body
        .map(|piece| piece.map_err(actix_web::error::ErrorInternalServerError));
    response.streaming(body)
}

async fn send(
    state: &AppState,
    caller: &VerifiedUser,
    id: String,
    kind: ContentKind,
) -> ApiResult<HttpResponse> {
    let id = FileId::from(id);
    Ok(respond(
        files::download(&state.app, caller.user(), &id, kind).await?,
    ))
}

/// The file's bytes (`attachment=true`: always as a download).
#[utoipa::path(tag = "files", params(ContentParams), responses((status = 200, body = Vec<u8>, content_type = "application/octet-stream"), (status = 404)))]
#[get("/{id}/content")]
pub async fn content(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    params: web::Query<ContentParams>,
) -> ApiResult<HttpResponse> {
    send(&state, &caller, path.into_inner(), original(&params)).await
}

/// An HTML file uploaded by an admin, shown in a sandbox.
#[utoipa::path(tag = "files", responses((status = 200, body = String, content_type = "text/html"), (status = 404)))]
#[get("/{id}/content/html")]
pub async fn html(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    send(&state, &caller, path.into_inner(), ContentKind::Html).await
}

/// The file as a download under its name (the extracted text when the original is gone).
#[utoipa::path(tag = "files", responses((status = 200, body = Vec<u8>, content_type = "application/octet-stream"), (status = 404)))]
#[get("/{id}/content/{file_name}")]
pub async fn named(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    send(&state, &caller, path.into_inner().0, ContentKind::Named).await
}
