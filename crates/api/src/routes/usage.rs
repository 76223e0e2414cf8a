//! `GET /api/usage` (`main.py`): the models sockets report using and how many users were
//! active in the last three minutes, shown in the web client's user menu.

use crate::error::ApiResult;
use crate::extract::VerifiedUser;
use crate::state::AppState;
use actix_web::{get, web};
use hearth_services::system;
use serde_json::Value;
use utoipa_actix_web::service_config::ServiceConfig;

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
    Ok(web::Json(system::usage(&state.app, caller.user()).await?))
}
