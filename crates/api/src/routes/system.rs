//! Root endpoints: `/api/config`, `/api/version`, `/api/changelog`, health and readiness.

use crate::app_config::COMPATIBLE_VERSION;
use crate::error::{ApiError, ApiResult};
use crate::extract::VerifiedUser;
use crate::routes::auths::optional_session_user;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, web};
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
pub async fn app_config(req: HttpRequest, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let view = state.config.view();
    let bodies = &view.public_bodies;
    let body = match optional_session_user(&req, &state).await? {
        Some(user) if user.role.is_verified() => bodies.verified.clone(),
        Some(_) => bodies.pending.clone(),
        None if state.users_exist().await? => bodies.anonymous.clone(),
        None => bodies.onboarding.clone(),
    };
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(body))
}

/// `/api/version` body.
#[derive(Serialize, ToSchema)]
pub struct VersionInfo {
    /// Open WebUI API version implemented.
    pub version: &'static str,
    /// `DEPLOYMENT_ID`; a change makes open web clients reload.
    pub deployment_id: String,
}

/// The API version and deployment id.
#[utoipa::path(tag = "system", responses((status = 200, body = VersionInfo)))]
#[get("/api/version")]
pub async fn version(state: web::Data<AppState>) -> web::Json<VersionInfo> {
    web::Json(VersionInfo {
        version: COMPATIBLE_VERSION,
        deployment_id: state.settings.http.deployment_id.clone(),
    })
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
    state.stores.health.ping().await?;
    Ok(web::Json(Healthy { status: true }))
}

/// Ready for traffic: started and the database answers (503 otherwise).
#[utoipa::path(tag = "system", responses((status = 200, body = Healthy), (status = 503)))]
#[get("/ready")]
pub async fn ready(state: web::Data<AppState>) -> ApiResult<web::Json<Healthy>> {
    state
        .stores
        .health
        .ping()
        .await
        .map_err(|_| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "Database not ready"))?;
    Ok(web::Json(Healthy { status: true }))
}
