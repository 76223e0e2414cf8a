//! Export (NDJSON, streamed), import, archived chats and whole folders.

use crate::error::ApiResult;
use crate::extract::VerifiedUser;
use crate::json_body::JsonBody;
use crate::state::AppState;
use actix_web::web::Bytes;
use actix_web::{HttpResponse, get, post, web};
use futures_util::StreamExt;
use hearth_domain::ids::FolderId;
use hearth_services::chats::dto::ChatResponse;
use hearth_services::chats::forms::ChatsImport;
use hearth_services::chats::transfer;

/// Every chat of the caller as NDJSON (one `ChatResponse` per line), streamed in batches so
/// memory stays flat however many chats there are.
#[utoipa::path(tag = "chats", responses((status = 200, content_type = "application/x-ndjson", description = "One chat per line")))]
#[get("/all")]
pub async fn export_all(state: web::Data<AppState>, caller: VerifiedUser) -> HttpResponse {
    let lines = transfer::export_all(&state.app, caller.user())
        .map(|batch| Ok::<_, actix_web::Error>(Bytes::from(batch)));
    HttpResponse::Ok()
        .content_type("application/x-ndjson")
        .streaming(lines)
}

/// Every archived chat of the caller, with documents.
#[utoipa::path(tag = "chats", responses((status = 200, body = Vec<ChatResponse>)))]
#[get("/all/archived")]
pub async fn all_archived(
    state: web::Data<AppState>,
    caller: VerifiedUser,
) -> ApiResult<web::Json<Vec<ChatResponse>>> {
    Ok(web::Json(
        transfer::all_archived(&state.app, caller.user()).await?,
    ))
}

/// The chats of a folder and its subfolders, with documents.
#[utoipa::path(tag = "chats", responses((status = 200, body = Vec<ChatResponse>)))]
#[get("/folder/{folder_id}")]
pub async fn folder_chats(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<Vec<ChatResponse>>> {
    let folder = FolderId::from(path.into_inner());
    Ok(web::Json(
        transfer::folder_chats(&state.app, caller.user(), &folder).await?,
    ))
}

/// Imports chats (needs `chat.import`): each gets a new id; messages keep their authors;
/// tags named in `meta.tags` are created.
#[utoipa::path(tag = "chats", request_body = ChatsImport, responses((status = 200, body = Vec<ChatResponse>)))]
#[post("/import")]
pub async fn import(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    form: JsonBody<ChatsImport>,
) -> ApiResult<web::Json<Vec<ChatResponse>>> {
    Ok(web::Json(
        transfer::import(&state.app, caller.user(), form.into_inner()).await?,
    ))
}
