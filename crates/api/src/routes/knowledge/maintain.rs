//! Keeping knowledge bases' indexes current: re-index a file, add a batch, reset, re-index
//! everything, and export one (use cases in `hearth_services::knowledge`).

use crate::disposition::content_disposition;
use crate::error::ApiResult;
use crate::extract::{AdminUser, VerifiedUser};
use crate::json_body::JsonBody;
use crate::state::AppState;
use actix_web::{HttpResponse, get, post, web};
use hearth_domain::ids::KnowledgeId;
use hearth_services::knowledge;
use hearth_services::knowledge::dto::{FileIdForm, KnowledgeResponse};

type One = ApiResult<web::Json<KnowledgeResponse>>;

/// Re-indexes one of the knowledge base's files from its stored text.
#[utoipa::path(tag = "knowledge", request_body = FileIdForm, responses((status = 200, body = KnowledgeResponse), (status = 400), (status = 404)))]
#[post("/{id}/file/update")]
pub async fn update_file(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: JsonBody<FileIdForm>,
) -> One {
    let id = KnowledgeId::from(path.into_inner());
    Ok(web::Json(
        knowledge::update_file(&state.app, caller.user(), &id, form.into_inner()).await?,
    ))
}

/// Adds several processed files at once (those already in it are skipped).
#[utoipa::path(tag = "knowledge", request_body = Vec<FileIdForm>, responses((status = 200, body = KnowledgeResponse), (status = 400), (status = 404)))]
#[post("/{id}/files/batch/add")]
pub async fn add_files(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: JsonBody<Vec<FileIdForm>>,
) -> One {
    let id = KnowledgeId::from(path.into_inner());
    Ok(web::Json(
        knowledge::add_files(&state.app, caller.user(), &id, form.into_inner()).await?,
    ))
}

/// Empties a knowledge base: chunks and links go, and the caller's files are deleted.
#[utoipa::path(tag = "knowledge", responses((status = 200, body = KnowledgeResponse), (status = 404)))]
#[post("/{id}/reset")]
pub async fn reset(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> One {
    let id = KnowledgeId::from(path.into_inner());
    Ok(web::Json(
        knowledge::reset(&state.app, caller.user(), &id).await?,
    ))
}

/// Re-indexes every knowledge base with the current embedding engine and chunking (admins).
#[utoipa::path(tag = "knowledge", responses((status = 200, body = bool), (status = 401)))]
#[post("/reindex")]
pub async fn reindex(state: web::Data<AppState>, admin: AdminUser) -> ApiResult<web::Json<bool>> {
    Ok(web::Json(
        knowledge::reindex(&state.app, admin.user()).await?,
    ))
}

/// The knowledge base's files' text as one zip (admins).
#[utoipa::path(tag = "knowledge", responses((status = 200, description = "application/zip", content_type = "application/zip"), (status = 401), (status = 404)))]
#[get("/{id}/export")]
pub async fn export(
    state: web::Data<AppState>,
    admin: AdminUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = KnowledgeId::from(path.into_inner());
    let export = knowledge::export(&state.app, admin.user(), &id).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header((
            "Content-Disposition",
            content_disposition("attachment", &export.file_name),
        ))
        .body(export.bytes))
}

/// Rebuilds the `knowledge-bases` collection (each knowledge base's name and description) for
/// admins: `{total, success}`.
#[utoipa::path(tag = "knowledge", responses((status = 200, body = Object), (status = 401)))]
#[post("/metadata/reindex")]
pub async fn reindex_metadata(
    state: web::Data<AppState>,
    admin: AdminUser,
) -> ApiResult<web::Json<serde_json::Value>> {
    Ok(web::Json(
        knowledge::reindex_metadata(&state.app, admin.user()).await?,
    ))
}
