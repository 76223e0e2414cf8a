//! Root endpoints: `/api/config`, `/api/version`, `/api/changelog`, health and readiness.

use crate::error::ApiResult;
use crate::extract::MaybeUser;
use crate::extract::VerifiedUser;
use crate::state::AppState;
use actix_web::{HttpResponse, get, web};
use hearth_services::config::COMPATIBLE_VERSION;
use hearth_services::system::{self, VersionInfo};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the root endpoints.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(app_config)
        .service(version)
        .service(version_updates)
        .service(changelog)
        .service(health)
        .service(health_db)
        .service(ready);
}

/// Instance configuration for the web client. Public fields before sign-in; everything a
/// signed-in user needs after (the `token` cookie or a bearer token); `onboarding` while
/// the instance has no users.
#[utoipa::path(tag = "system", responses((status = 200, body = Object)))]
#[get("/api/config")]
pub async fn app_config(state: web::Data<AppState>, caller: MaybeUser) -> ApiResult<HttpResponse> {
    let body = system::config_body(&state.app, caller.0.as_ref()).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(body))
}

/// The API version and deployment id.
#[utoipa::path(tag = "system", responses((status = 200, body = VersionInfo)))]
#[get("/api/version")]
pub async fn version(state: web::Data<AppState>) -> web::Json<VersionInfo> {
    web::Json(system::version(&state.app))
}

/// `/api/version/updates` body.
#[derive(Serialize, ToSchema)]
pub struct VersionUpdates {
    /// Running version.
    pub current: &'static str,
    /// Latest known version (Hearth does not phone home, so the running one).
    pub latest: &'static str,
}

/// Update check (offline: reports the running version as latest).
#[utoipa::path(tag = "system", responses((status = 200, body = VersionUpdates)))]
#[get("/api/version/updates")]
pub async fn version_updates(_caller: VerifiedUser) -> web::Json<VersionUpdates> {
    web::Json(VersionUpdates {
        current: COMPATIBLE_VERSION,
        latest: COMPATIBLE_VERSION,
    })
}

/// The newest five changelog versions.
#[utoipa::path(tag = "system", responses((status = 200, body = Object)))]
#[get("/api/changelog")]
pub async fn changelog() -> web::Json<Value> {
    web::Json(crate::changelog::changelog())
}

/// `{status: true}`.
#[derive(Serialize, ToSchema)]
pub struct Healthy {
    /// Always true.
    pub status: bool,
}

/// Liveness: the process answers.
#[utoipa::path(tag = "system", responses((status = 200, body = Healthy)))]
#[get("/health")]
pub async fn health() -> web::Json<Healthy> {
    web::Json(Healthy { status: true })
}

/// The database answers a trivial query.
#[utoipa::path(tag = "system", responses((status = 200, body = Healthy), (status = 503)))]
#[get("/health/db")]
pub async fn health_db(state: web::Data<AppState>) -> ApiResult<web::Json<Healthy>> {
    system::database_health(&state.app).await?;
    Ok(web::Json(Healthy { status: true }))
}

/// Ready for traffic: started and the database answers (503 otherwise).
#[utoipa::path(tag = "system", responses((status = 200, body = Healthy), (status = 503)))]
#[get("/ready")]
pub async fn ready(state: web::Data<AppState>) -> ApiResult<web::Json<Healthy>> {
    system::ready(&state.app).await?;
    Ok(web::Json(Healthy { status: true }))
}
