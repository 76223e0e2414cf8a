//! Permissions: the caller's effective permissions and groups, and the default permissions
//! every user gets (admin).

use crate::error::ApiResult;
use crate::extract::{AdminUser, VerifiedUser};
use crate::json_body::JsonBody;
use crate::state::AppState;
use actix_web::{get, post, web};
use hearth_domain::permissions::default_permissions;
use hearth_services::users::permissions;
use serde_json::Value;

/// The caller's effective permissions.
#[utoipa::path(tag = "users", responses((status = 200, body = Object)))]
#[get("/permissions")]
pub async fn my_permissions(state: web::Data<AppState>, _caller: VerifiedUser) -> web::Json<Value> {
    web::Json(permissions::effective(&state.app))
}

/// The groups the caller belongs to (groups arrive in a later release; always empty).
#[utoipa::path(tag = "users", responses((status = 200, body = Vec<Object>)))]
#[get("/groups")]
pub async fn my_groups(_caller: VerifiedUser) -> web::Json<Vec<Value>> {
    web::Json(Vec::new())
}

/// The default permissions of every user (admin).
#[utoipa::path(tag = "users", responses((status = 200, body = Object)))]
#[get("/default/permissions")]
pub async fn get_default_permissions(
    state: web::Data<AppState>,
    _admin: AdminUser,
) -> web::Json<Value> {
    web::Json(permissions::defaults(&state.app))
}

/// The built-in default permissions (admin).
#[utoipa::path(tag = "users", responses((status = 200, body = Object)))]
#[get("/default/permissions/defaults")]
pub async fn builtin_default_permissions(_admin: AdminUser) -> web::Json<Value> {
    web::Json(default_permissions())
}

/// Replaces the default permissions (admin): every section must be sent; missing flags get
/// their built-in defaults and unknown flags are dropped.
#[utoipa::path(tag = "users", request_body = hearth_services::users::permissions::PermissionsForm, responses((status = 200, body = Object), (status = 422)))]
#[post("/default/permissions")]
pub async fn set_default_permissions(
    state: web::Data<AppState>,
    _admin: AdminUser,
    form: JsonBody<Value>,
) -> ApiResult<web::Json<Value>> {
    Ok(web::Json(
        permissions::set_defaults(&state.app, &form).await?,
    ))
}
