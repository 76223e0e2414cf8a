//! `/api/v1/files`: uploads, their records, processing state, extracted text and bytes (use
//! cases in `hearth_services::files`).

mod download;
mod staging;

use crate::error::{ApiError, ApiResult};
use crate::events::json_events;
use crate::extract::{AdminUser, VerifiedUser};
use crate::json_body::JsonBody;
use crate::state::AppState;
use actix_multipart::Multipart;
use actix_web::{HttpResponse, delete, get, post, web};
use hearth_domain::ids::FileId;
use hearth_services::files::dto::{
    ContentForm, FileList, FileResponse, ListParams, MessageResponse, RenameForm,
    SearchByNameParams, SearchParams, StatusParams, StatusResponse, UploadParams,
};
use hearth_services::files::{self, Upload};
use serde_json::Value;
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the router.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        scope("/api/v1/files")
            .service(upload)
            .service(list)
            .service(search)
            .service(user_search)
            .service(count)
            .service(user_count)
            .service(delete_all)
            .service(get)
            .service(status)
            .service(data_content)
            .service(update_content)
            .service(download::content)
            .service(download::html)
            .service(download::named)
            .service(rename)
            .service(remove),
    );
}

type Json<T> = ApiResult<web::Json<T>>;

/// The multipart body of an upload.
#[derive(utoipa::ToSchema)]
#[allow(dead_code, reason = "describes the form for the OpenAPI document only")]
struct UploadBody {
    /// The file.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// Client metadata, a JSON object as text.
    metadata: Option<String>,
}

/// Uploads a file (multipart `file`, optional `metadata` JSON) and starts extracting its text.
#[utoipa::path(tag = "files", params(UploadParams),
    request_body(content = UploadBody, content_type = "multipart/form-data"),
    responses((status = 200, body = FileResponse), (status = 400), (status = 413), (status = 422)))]
#[post("/")]
pub async fn upload(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    params: web::Query<UploadParams>,
    form: Multipart,
) -> Json<FileResponse> {
    let app = &state.app;
    let max_mb = files::max_size_mb(app);
    let too_large = || ApiError::from(files::too_large(max_mb.unwrap_or_default()));
    let limit = max_mb.map(|mb| mb.saturating_mul(1024 * 1024));
    let dir = app.files.blobs.staging_dir().to_path_buf();
    let form = staging::read_form(form, &dir, limit, &too_large).await?;
    let upload = Upload {
        filename: form.file.filename,
        content_type: form.file.content_type,
        staged: form.file.path.to_path_buf(),
        size: form.file.size,
        sha256: form.file.sha256,
        metadata: form.metadata,
        process: params.process.unwrap_or(true),
        in_background: params.process_in_background.unwrap_or(true),
    };
    let answer = files::upload(app, caller.user(), upload).await?;
    drop(form.file.path);
    Ok(web::Json(answer))
}

/// The caller's files, 50 per page (an admin sees everyone's).
#[utoipa::path(tag = "files", params(ListParams), responses((status = 200, body = FileList)))]
#[get("/")]
pub async fn list(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    params: web::Query<ListParams>,
) -> Json<FileList> {
    Ok(web::Json(
        files::list(&state.app, caller.user(), &params).await?,
    ))
}

/// Files whose name matches a pattern (`*`, `?`); 404 when none do.
#[utoipa::path(tag = "files", params(SearchByNameParams), responses((status = 200, body = Vec<FileResponse>), (status = 404)))]
#[get("/search")]
pub async fn search(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    params: web::Query<SearchParams>,
) -> Json<Vec<FileResponse>> {
    Ok(web::Json(
        files::search(&state.app, caller.user(), &params, false).await?,
    ))
}

/// The caller's own files whose name matches a pattern.
#[utoipa::path(tag = "files", params(SearchParams), responses((status = 200, body = Vec<FileResponse>)))]
#[get("/user/search")]
pub async fn user_search(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    params: web::Query<SearchParams>,
) -> Json<Vec<FileResponse>> {
    Ok(web::Json(
        files::search(&state.app, caller.user(), &params, true).await?,
    ))
}

/// How many files the caller has (an admin: everyone's).
#[utoipa::path(tag = "files", responses((status = 200, body = u64)))]
#[get("/count")]
pub async fn count(state: web::Data<AppState>, caller: VerifiedUser) -> Json<u64> {
    Ok(web::Json(
        files::count(&state.app, caller.user(), true).await?,
    ))
}

/// How many files the caller has.
#[utoipa::path(tag = "files", responses((status = 200, body = u64)))]
#[get("/user/count")]
pub async fn user_count(state: web::Data<AppState>, caller: VerifiedUser) -> Json<u64> {
    Ok(web::Json(
        files::count(&state.app, caller.user(), false).await?,
    ))
}

/// Deletes every file of every user.
#[utoipa::path(tag = "files", responses((status = 200, body = MessageResponse), (status = 401)))]
#[delete("/all")]
pub async fn delete_all(state: web::Data<AppState>, caller: AdminUser) -> Json<MessageResponse> {
    Ok(web::Json(
        files::delete_all(&state.app, caller.user()).await?,
    ))
}

/// One file's record.
#[utoipa::path(tag = "files", responses((status = 200, body = FileResponse), (status = 404)))]
#[get("/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> Json<FileResponse> {
    let id = FileId::from(path.into_inner());
    Ok(web::Json(files::get(&state.app, caller.user(), &id).await?))
}

/// The processing state: `{status}`, or with `stream=true` server-sent events
/// `data: {"status": ..., "error"?: ...}` once a second until it ends.
#[utoipa::path(tag = "files", params(StatusParams), responses(
    (status = 200, body = StatusResponse, content_type = "application/json"),
    (status = 200, body = String, content_type = "text/event-stream"), (status = 404)))]
#[get("/{id}/process/status")]
pub async fn status(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    params: web::Query<StatusParams>,
) -> ApiResult<HttpResponse> {
    let id = FileId::from(path.into_inner());
    if !params.stream.unwrap_or(false) {
        let status = files::status(&state.app, caller.user(), &id).await?;
        return Ok(HttpResponse::Ok().json(status));
    }
    let events = files::status_events(&state.app, caller.user(), &id).await?;
    Ok(json_events(events))
}

/// The extracted text: `{content}`.
#[utoipa::path(tag = "files", responses((status = 200, body = ContentForm), (status = 404)))]
#[get("/{id}/data/content")]
pub async fn data_content(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> Json<Value> {
    let id = FileId::from(path.into_inner());
    Ok(web::Json(
        files::data_content(&state.app, caller.user(), &id).await?,
    ))
}

/// Replaces the extracted text.
#[utoipa::path(tag = "files", request_body = ContentForm, responses((status = 200, body = ContentForm), (status = 400), (status = 404), (status = 413)))]
#[post("/{id}/data/content/update")]
pub async fn update_content(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: JsonBody<ContentForm>,
) -> Json<ContentForm> {
    let id = FileId::from(path.into_inner());
    let answer = files::update_content(&state.app, caller.user(), &id, form.into_inner()).await?;
    Ok(web::Json(answer))
}

/// Renames a file.
#[utoipa::path(tag = "files", request_body = RenameForm, responses((status = 200, body = FileResponse), (status = 404)))]
#[post("/{id}/rename")]
pub async fn rename(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
    form: JsonBody<RenameForm>,
) -> Json<FileResponse> {
    let id = FileId::from(path.into_inner());
    Ok(web::Json(
        files::rename(&state.app, caller.user(), &id, form.into_inner()).await?,
    ))
}

/// Deletes a file.
#[utoipa::path(tag = "files", responses((status = 200, body = MessageResponse), (status = 404)))]
#[delete("/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    path: web::Path<String>,
) -> Json<MessageResponse> {
    let id = FileId::from(path.into_inner());
    Ok(web::Json(
        files::delete(&state.app, caller.user(), &id).await?,
    ))
}
