//! Models: the merged list every chat page reads (`/api/models`), and the workspace's model
//! rows that rename, hide, share or build on provider models (`/api/v1/models/...`). Use
//! cases in `hearth_services::models`.

mod workspace;

use crate::error::ApiResult;
use crate::extract::{AdminUser, VerifiedUser};
use crate::state::AppState;
use actix_web::{get, web};
use hearth_services::models::dto::{ModelList, ModelListParams, RefreshParams};
use hearth_services::models::listing;
use serde_json::Value;
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the model list routes and the workspace model routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(list_v1)
        .service(base_list)
        .service(workspace_list)
        .service(all)
        .service(tags)
        .service(base_rows);
    workspace::configure(cfg);
}

/// The models the caller may use, from every connection, with workspace settings applied.
#[utoipa::path(tag = "models", params(RefreshParams), responses((status = 200, body = ModelList)))]
#[get("/api/models")]
pub async fn list(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    params: web::Query<RefreshParams>,
) -> ApiResult<web::Json<ModelList>> {
    Ok(web::Json(
        listing::visible(&state.app, caller.user(), params.refresh).await?,
    ))
}

/// Same as `GET /api/models` (the path OpenAI clients use).
#[utoipa::path(tag = "models", params(RefreshParams), responses((status = 200, body = ModelList)))]
#[get("/api/v1/models")]
pub async fn list_v1(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    params: web::Query<RefreshParams>,
) -> ApiResult<web::Json<ModelList>> {
    Ok(web::Json(
        listing::visible(&state.app, caller.user(), params.refresh).await?,
    ))
}

/// The connections' own models, without workspace settings (admin).
#[utoipa::path(tag = "models", responses((status = 200, body = ModelList)))]
#[get("/api/models/base")]
pub async fn base_list(state: web::Data<AppState>, _admin: AdminUser) -> web::Json<ModelList> {
    web::Json(listing::base_list(&state.app).await)
}

/// The rows the caller may read, newest first, with `write_access`.
#[utoipa::path(tag = "models", operation_id = "list", params(ModelListParams), responses((status = 200, body = Object)))]
#[get("/api/v1/models/list")]
pub async fn workspace_list(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    params: web::Query<ModelListParams>,
) -> ApiResult<web::Json<Value>> {
    Ok(web::Json(
        listing::workspace_rows(&state.app, caller.user(), &params).await?,
    ))
}

/// Tags used by the caller's readable rows (none are kept apart yet: empty).
#[utoipa::path(tag = "models", responses((status = 200, body = Vec<String>)))]
#[get("/api/v1/models/tags")]
pub async fn tags(_caller: VerifiedUser) -> web::Json<Vec<String>> {
    web::Json(Vec::new())
}

/// Rows that stand for provider models themselves (no base model), admin.
#[utoipa::path(tag = "models", responses((status = 200, body = Vec<Object>)))]
#[get("/api/v1/models/base")]
pub async fn base_rows(
    state: web::Data<AppState>,
    _admin: AdminUser,
) -> ApiResult<web::Json<Vec<Value>>> {
    Ok(web::Json(listing::base_rows(&state.app).await?))
}

/// Every row (admin).
#[utoipa::path(tag = "models", responses((status = 200, body = Vec<Object>)))]
#[get("/api/v1/models/all")]
pub async fn all(
    state: web::Data<AppState>,
    _admin: AdminUser,
) -> ApiResult<web::Json<Vec<Value>>> {
    Ok(web::Json(listing::all_rows(&state.app).await?))
}
