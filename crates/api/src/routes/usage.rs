//! `GET /api/usage` (`main.py`): the models sockets report using and how many users were
//! active in the last three minutes, shown in the web client's user menu.

use crate::error::{ApiError, ApiResult};
use crate::extract::VerifiedUser;
use crate::state::AppState;
use actix_web::{get, web};
use hearth_domain::Role;
use hearth_domain::time::now_epoch;
use serde_json::{Value, json};
use utoipa_actix_web::service_config::ServiceConfig;

/// A user counts as active this many seconds after their last request or heartbeat.
const ACTIVE_WINDOW_SECS: i64 = 180;

const ADMINS_ONLY: &str = "Access denied. Only administrators can view usage statistics.";

/// Registers the route.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(usage);
}

/// Models in use (reported by sockets within the last seconds) and active users.
#[utoipa::path(tag = "usage", responses((status = 200, body = Object), (status = 403)))]
#[get("/api/usage")]
pub async fn usage(
    state: web::Data<AppState>,
    caller: VerifiedUser,
) -> ApiResult<web::Json<Value>> {
    if !state.settings.sockets.public_active_users_count && caller.user().role != Role::Admin {
        return Err(ApiError::forbidden(ADMINS_ONLY));
    }
    let now = now_epoch();
    let model_ids = state.realtime.pools.models_in_use(now).await;
    let user_count = state
        .stores
        .users
        .count_active_since(now - ACTIVE_WINDOW_SECS)
        .await?;
    Ok(web::Json(
        json!({"model_ids": model_ids, "user_count": user_count}),
    ))
}
