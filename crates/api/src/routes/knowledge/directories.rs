//! Folders inside a knowledge base, moving files between them, and syncing a local folder
//! (use cases in `hearth_services::knowledge`).

use crate::error::ApiResult;
use crate::extract::VerifiedUser;
use crate::json_body::JsonBody;
use crate::state::AppState;
use actix_web::{delete, post, web};
use hearth_domain::ids::KnowledgeId;
use hearth_services::knowledge;
use hearth_services::knowledge::dto::{
    DirectoryDeleteParams, DirectoryDeleted, DirectoryForm, DirectoryResponse, DirectoryUpdateForm,
    FileMoveForm, SyncCleanupForm, SyncDiff, SyncDiffForm,
};
use serde_json::Value;

type One = ApiResult<web::Json<DirectoryResponse>>;

/// Creates a folder (at the root, or inside `parent_id`).
#[utoipa::path(tag = "knowledge", request_body = DirectoryForm, responses((status = 200, body = DirectoryResponse), (status = 400), (status = 404)))]
#[post("/{id}/dirs/create")]
pub async fn create(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: JsonBody<DirectoryForm>,
) -> One {
    let id = KnowledgeId::from(path.into_inner());
    Ok(web::Json(
        knowledge::create_directory(&state.app, caller.user(), &id, form.into_inner()).await?,
    ))
}

/// Renames a folder or moves it.
#[utoipa::path(tag = "knowledge", request_body = DirectoryUpdateForm, responses((status = 200, body = DirectoryResponse), (status = 400), (status = 404)))]
#[post("/{id}/dirs/{dir_id}/update")]
pub async fn update(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<(String, String)>,
    form: JsonBody<DirectoryUpdateForm>,
) -> One {
    let (id, dir) = path.into_inner();
    let id = KnowledgeId::from(id);
    Ok(web::Json(
        knowledge::update_directory(&state.app, caller.user(), &id, &dir, form.into_inner())
            .await?,
    ))
}

/// Deletes a folder and those below it; their files move up (`move_files`, default) or
/// leave the knowledge base.
#[utoipa::path(tag = "knowledge", params(DirectoryDeleteParams), responses((status = 200, body = DirectoryDeleted), (status = 404)))]
#[delete("/{id}/dirs/{dir_id}/delete")]
pub async fn remove(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<(String, String)>,
    params: web::Query<DirectoryDeleteParams>,
) -> ApiResult<web::Json<DirectoryDeleted>> {
    let (id, dir) = path.into_inner();
    let id = KnowledgeId::from(id);
    let move_files = params.move_files.unwrap_or(true);
    Ok(web::Json(
        knowledge::delete_directory(&state.app, caller.user(), &id, &dir, move_files).await?,
    ))
}

/// Moves a file of the knowledge base into a folder (or the root): `{status: true}`.
#[utoipa::path(tag = "knowledge", request_body = FileMoveForm, responses((status = 200, body = Object), (status = 404)))]
#[post("/{id}/file/move")]
pub async fn move_file(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: JsonBody<FileMoveForm>,
) -> ApiResult<web::Json<Value>> {
    let id = KnowledgeId::from(path.into_inner());
    Ok(web::Json(
        knowledge::move_file(&state.app, caller.user(), &id, form.into_inner()).await?,
    ))
}

/// Compares a local folder's manifest with the knowledge base: what to upload, upload again
/// and remove, and which folders to create or remove.
#[utoipa::path(tag = "knowledge", request_body = SyncDiffForm, responses((status = 200, body = SyncDiff), (status = 404)))]
#[post("/{id}/sync/diff")]
pub async fn sync_diff(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: JsonBody<SyncDiffForm>,
) -> ApiResult<web::Json<SyncDiff>> {
    let id = KnowledgeId::from(path.into_inner());
    Ok(web::Json(
        knowledge::sync_diff(&state.app, caller.user(), &id, form.into_inner()).await?,
    ))
}

/// Removes what a synced folder no longer holds: `{status: true}`.
#[utoipa::path(tag = "knowledge", request_body = SyncCleanupForm, responses((status = 200, body = Object), (status = 404)))]
#[post("/{id}/sync/cleanup")]
pub async fn sync_cleanup(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: JsonBody<SyncCleanupForm>,
) -> ApiResult<web::Json<Value>> {
    let id = KnowledgeId::from(path.into_inner());
    Ok(web::Json(
        knowledge::sync_cleanup(&state.app, caller.user(), &id, form.into_inner()).await?,
    ))
}
