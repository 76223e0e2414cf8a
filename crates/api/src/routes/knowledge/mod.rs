//! `/api/v1/knowledge`: knowledge bases and their files (use cases in
//! `hearth_services::knowledge`); keeping their indexes current in [`maintain`], folders in
//! [`directories`].

use crate::error::ApiResult;
use crate::events::json_events;
use crate::extract::VerifiedUser;
use crate::json_body::JsonBody;
use crate::state::AppState;
use actix_web::{HttpResponse, delete, get, post, web};
use hearth_domain::ids::KnowledgeId;
use hearth_services::files::dto::FileResponse;
use hearth_services::knowledge;
use hearth_services::knowledge::dto::{
    AccessForm, FileIdForm, FolderParams, KnowledgeFileList, KnowledgeForm, KnowledgeList,
    KnowledgeResponse, ListParams, PendingParams,
};
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

mod directories;
mod maintain;

/// Registers the router.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        scope("/api/v1/knowledge")
            .service(maintain::reindex)
            .service(maintain::reindex_metadata)
            .service(list)
            .service(search)
            .service(search_files)
            .service(create)
            .service(get)
            .service(update)
            .service(update_access)
            .service(pending)
            .service(files)
            .service(add_file)
            .service(remove_file)
            .service(maintain::update_file)
            .service(maintain::add_files)
            .service(maintain::reset)
            .service(maintain::export)
            .service(directories::create)
            .service(directories::update)
            .service(directories::remove)
            .service(directories::move_file)
            .service(directories::sync_diff)
            .service(directories::sync_cleanup)
            .service(remove),
    );
}

type One = ApiResult<web::Json<KnowledgeResponse>>;

/// The knowledge bases the caller may read (30 per page).
#[utoipa::path(tag = "knowledge", params(ListParams), responses((status = 200, body = KnowledgeList)))]
#[get("/")]
pub async fn list(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    params: web::Query<ListParams>,
) -> ApiResult<web::Json<KnowledgeList>> {
    Ok(web::Json(
        knowledge::list(&state.app, caller.user(), &params).await?,
    ))
}

/// The knowledge bases the caller may read whose name or description contains `query`.
#[utoipa::path(tag = "knowledge", params(ListParams), responses((status = 200, body = KnowledgeList)))]
#[get("/search")]
pub async fn search(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    params: web::Query<ListParams>,
) -> ApiResult<web::Json<KnowledgeList>> {
    Ok(web::Json(
        knowledge::list(&state.app, caller.user(), &params).await?,
    ))
}

/// Files of the knowledge bases the caller may read whose name contains `query`.
#[utoipa::path(tag = "knowledge", params(ListParams), responses((status = 200, body = KnowledgeFileList)))]
#[get("/search/files")]
pub async fn search_files(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    params: web::Query<ListParams>,
) -> ApiResult<web::Json<KnowledgeFileList>> {
    Ok(web::Json(
        knowledge::search_files(&state.app, caller.user(), &params).await?,
    ))
}

/// Creates a knowledge base (needs the `workspace.knowledge` permission).
#[utoipa::path(tag = "knowledge", request_body = KnowledgeForm, responses((status = 200, body = KnowledgeResponse), (status = 401), (status = 422)))]
#[post("/create")]
pub async fn create(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    form: JsonBody<KnowledgeForm>,
) -> One {
    Ok(web::Json(
        knowledge::create(&state.app, caller.user(), form.into_inner()).await?,
    ))
}

/// One knowledge base with its files.
#[utoipa::path(tag = "knowledge", responses((status = 200, body = KnowledgeResponse), (status = 404)))]
#[get("/{id}")]
pub async fn get(state: web::Data<AppState>, caller: VerifiedUser, path: web::Path<String>) -> One {
    let id = KnowledgeId::from(path.into_inner());
    Ok(web::Json(
        knowledge::get(&state.app, caller.user(), &id).await?,
    ))
}

/// Renames or redescribes a knowledge base.
#[utoipa::path(tag = "knowledge", request_body = KnowledgeForm, responses((status = 200, body = KnowledgeResponse), (status = 404)))]
#[post("/{id}/update")]
pub async fn update(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: JsonBody<KnowledgeForm>,
) -> One {
    let id = KnowledgeId::from(path.into_inner());
    Ok(web::Json(
        knowledge::update(&state.app, caller.user(), &id, form.into_inner()).await?,
    ))
}

/// Replaces who may read or change a knowledge base.
#[utoipa::path(tag = "knowledge", request_body = AccessForm, responses((status = 200, body = KnowledgeResponse), (status = 404)))]
#[post("/{id}/access/update")]
pub async fn update_access(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: JsonBody<AccessForm>,
) -> One {
    let id = KnowledgeId::from(path.into_inner());
    Ok(web::Json(
        knowledge::update_access(&state.app, caller.user(), &id, form.into_inner()).await?,
    ))
}

/// A knowledge base's files: all, or one folder's (`directory_id`, `""` for the root) with its
/// subfolders and the path to it.
#[utoipa::path(tag = "knowledge", params(FolderParams), responses((status = 200, body = KnowledgeFileList), (status = 404)))]
#[get("/{id}/files")]
pub async fn files(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    params: web::Query<FolderParams>,
) -> ApiResult<web::Json<KnowledgeFileList>> {
    let id = KnowledgeId::from(path.into_inner());
    Ok(web::Json(
        knowledge::files(&state.app, caller.user(), &id, &params).await?,
    ))
}

/// Files uploaded into the knowledge base that are still being processed; with
/// `stream=true`, server-sent events `data: [...]` every 3 seconds until the list is empty.
#[utoipa::path(tag = "knowledge", params(PendingParams), responses(
    (status = 200, body = Vec<FileResponse>, content_type = "application/json"),
    (status = 200, body = String, content_type = "text/event-stream"), (status = 404)))]
#[get("/{id}/files/pending")]
pub async fn pending(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    params: web::Query<PendingParams>,
) -> ApiResult<HttpResponse> {
    let id = KnowledgeId::from(path.into_inner());
    if !params.stream.unwrap_or(false) {
        let waiting = knowledge::pending(&state.app, caller.user(), &id).await?;
        return Ok(HttpResponse::Ok().json(waiting));
    }
    let events = knowledge::pending_events(&state.app, caller.user(), &id).await?;
    Ok(json_events(events))
}

/// Adds a processed file; its chunks are indexed into the knowledge base.
#[utoipa::path(tag = "knowledge", request_body = FileIdForm, responses((status = 200, body = KnowledgeResponse), (status = 400), (status = 404)))]
#[post("/{id}/file/add")]
pub async fn add_file(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: JsonBody<FileIdForm>,
) -> One {
    let id = KnowledgeId::from(path.into_inner());
    Ok(web::Json(
        knowledge::add_file(&state.app, caller.user(), &id, form.into_inner()).await?,
    ))
}

/// Removes a file from a knowledge base (the file stays).
#[utoipa::path(tag = "knowledge", request_body = FileIdForm, responses((status = 200, body = KnowledgeResponse), (status = 400), (status = 404)))]
#[post("/{id}/file/remove")]
pub async fn remove_file(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: JsonBody<FileIdForm>,
) -> One {
    let id = KnowledgeId::from(path.into_inner());
    Ok(web::Json(
        knowledge::remove_file(&state.app, caller.user(), &id, form.into_inner()).await?,
    ))
}

/// Deletes a knowledge base and its chunks.
#[utoipa::path(tag = "knowledge", responses((status = 200, body = bool), (status = 404)))]
#[delete("/{id}/delete")]
pub async fn remove(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> ApiResult<web::Json<bool>> {
    let id = KnowledgeId::from(path.into_inner());
    Ok(web::Json(
        knowledge::delete(&state.app, caller.user(), &id).await?,
    ))
}
