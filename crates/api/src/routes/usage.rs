//! Usage: `GET /api/usage` (`main.py`: the models sockets report using and how many users
//! were active in the last three minutes, shown in the web client's user menu), and usage
//! limits on completions: the admin's settings and each user's view of their own use.

use crate::error::ApiResult;
use crate::extract::{AdminUser, VerifiedUser};
use crate::json_body::JsonBody;
use crate::state::AppState;
use actix_web::{get, post, web};
use hearth_domain::usage::UsageLimits;
use hearth_services::{system, usage as limits};
use serde_json::Value;
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(usage)
        .service(get_limits)
        .service(set_limits)
        .service(my_usage);
}

/// Models in use (reported by sockets within the last seconds) and active users.
#[utoipa::path(tag = "usage", responses((status = 200, body = Object), (status = 403)))]
#[get("/api/usage")]
pub async fn usage(
    state: web::Data<AppState>,
    caller: VerifiedUser,
) -> ApiResult<web::Json<Value>> {
    Ok(web::Json(system::usage(&state.app, caller.user()).await?))
}

/// The usage limits on completions (admin).
#[utoipa::path(tag = "usage", responses((status = 200, body = UsageLimits), (status = 401)))]
#[get("/api/v1/usage/limits")]
pub async fn get_limits(state: web::Data<AppState>, _admin: AdminUser) -> web::Json<UsageLimits> {
    web::Json(limits::limits(&state.app))
}

/// Replaces the usage limits (admin); fields left out take their defaults. Every instance
/// enforces the new limits within `CONFIG_REFRESH_INTERVAL`.
#[utoipa::path(tag = "usage", request_body = UsageLimits, responses((status = 200, body = UsageLimits), (status = 401), (status = 422)))]
#[post("/api/v1/usage/limits")]
pub async fn set_limits(
    state: web::Data<AppState>,
    _admin: AdminUser,
    form: JsonBody<Value>,
) -> ApiResult<web::Json<UsageLimits>> {
    Ok(web::Json(
        limits::set_limits(&state.app, form.into_inner()).await?,
    ))
}

/// The caller's limits and how much of each is used now.
#[utoipa::path(tag = "usage", responses((status = 200, body = Object), (status = 401)))]
#[get("/api/v1/usage/me")]
pub async fn my_usage(
    state: web::Data<AppState>,
    caller: VerifiedUser,
) -> ApiResult<web::Json<Value>> {
    Ok(web::Json(
        limits::my_usage(&state.app, caller.user()).await?,
    ))
}
