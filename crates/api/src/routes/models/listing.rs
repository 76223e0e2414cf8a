//! Lists of workspace model rows: the workspace's Models page (`/api/v1/models/list`, paged,
//! searchable) and the admin's Models settings (`/api/v1/models/all`).

use crate::error::ApiResult;
use crate::extract::{AdminUser, VerifiedUser};
use crate::state::AppState;
use actix_web::{get, web};
use hearth_domain::Role;
use hearth_providers::model_json;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::IntoParams;

/// Rows per page.
const PAGE: usize = 30;

/// Search and paging of the workspace list.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ModelListParams {
    /// Case-insensitive text in the id or name.
    pub query: Option<String>,
    /// `created` (the caller's own) or `shared` (others'); all by default.
    pub view_option: Option<String>,
    /// 1-based page.
    pub page: Option<usize>,
}

/// The rows the caller may read, newest first, with `write_access`.
#[utoipa::path(tag = "models", params(ModelListParams), responses((status = 200, body = Object)))]
#[get("/api/v1/models/list")]
pub async fn list(
    state: web::Data<AppState>,
    caller: VerifiedUser,
    params: web::Query<ModelListParams>,
) -> ApiResult<web::Json<Value>> {
    let user = caller.user();
    let admin = user.role == Role::Admin;
    let needle = params.query.as_deref().map(str::to_lowercase);
    let mut rows: Vec<_> = state
        .stores
        .models
        .all()
        .await?
        .into_iter()
        .filter(|r| admin || r.readable_by(&user.id))
        .filter(|r| match params.view_option.as_deref() {
            Some("created") => r.user_id == user.id,
            Some("shared") => r.user_id != user.id,
            _ => true,
        })
        .filter(|r| {
            needle.as_deref().is_none_or(|n| {
                r.id.to_lowercase().contains(n) || r.name.to_lowercase().contains(n)
            })
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.updated_at));
    let total = rows.len();
    let skip = params.page.unwrap_or(1).max(1).saturating_sub(1) * PAGE;
    let items: Vec<Value> = rows
        .iter()
        .skip(skip)
        .take(PAGE)
        .map(|record| {
            let mut body = model_json(record);
            body["write_access"] = json!(admin || record.writable_by(&user.id));
            body
        })
        .collect();
    Ok(web::Json(json!({"items": items, "total": total})))
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
    let rows = state.stores.models.all().await?;
    Ok(web::Json(
        rows.iter()
            .filter(|r| r.base_model_id.is_none())
            .map(model_json)
            .collect(),
    ))
}

/// Every row (admin).
#[utoipa::path(tag = "models", responses((status = 200, body = Vec<Object>)))]
#[get("/api/v1/models/all")]
pub async fn all(
    state: web::Data<AppState>,
    _admin: AdminUser,
) -> ApiResult<web::Json<Vec<Value>>> {
    let rows = state.stores.models.all().await?;
    Ok(web::Json(rows.iter().map(model_json).collect()))
}
