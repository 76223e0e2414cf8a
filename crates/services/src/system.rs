//! Root endpoints' use cases (Open WebUI's `main.py`): the `/api/config` document for the
//! caller, the version, liveness, and the usage counts.

use crate::App;
use crate::config::COMPATIBLE_VERSION;
use crate::error::{ServiceError, ServiceResult};
use bytes::Bytes;
use hearth_domain::time::now_epoch;
use hearth_domain::{Role, User};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

/// A user counts as active this many seconds after their last request or heartbeat.
const ACTIVE_WINDOW_SECS: i64 = 180;

const ADMINS_ONLY: &str = "Access denied. Only administrators can view usage statistics.";

/// The `/api/config` body for the caller (serialized once per configuration change): what a
/// user, a pending user, an anonymous visitor or a fresh install's first visitor sees.
pub async fn config_body(app: &App, caller: Option<&User>) -> ServiceResult<Bytes> {
    let view = app.view();
    let bodies = &view.public_bodies;
    Ok(match caller {
        Some(user) if user.role.is_verified() => bodies.verified.clone(),
        Some(_) => bodies.pending.clone(),
        None if app.users_exist().await? => bodies.anonymous.clone(),
        None => bodies.onboarding.clone(),
    })
}

/// `/api/version` body.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionInfo {
    /// Open WebUI API version implemented.
    pub version: &'static str,
    /// `DEPLOYMENT_ID`; a change makes open web clients reload.
    pub deployment_id: String,
}

/// The version.
pub fn version(app: &App) -> VersionInfo {
    VersionInfo {
        version: COMPATIBLE_VERSION,
        deployment_id: app.settings.http.deployment_id.clone(),
    }
}

/// Whether storage answers.
pub async fn ready(app: &App) -> ServiceResult<()> {
    app.storage
        .health()
        .ping()
        .await
        .map_err(|_| ServiceError::Unavailable("Database not ready".into()))
}

/// Storage liveness (its failures as storage errors).
pub async fn database_health(app: &App) -> ServiceResult<()> {
    Ok(app.storage.health().ping().await?)
}

/// Models in use (reported by sockets within the last seconds) and active users; admins
/// only unless `ENABLE_PUBLIC_ACTIVE_USERS_COUNT`.
pub async fn usage(app: &App, user: &User) -> ServiceResult<Value> {
    if !app.settings.sockets.public_active_users_count && user.role != Role::Admin {
        return Err(ServiceError::forbidden(ADMINS_ONLY));
    }
    let now = now_epoch();
    let model_ids = app.clients.models_in_use(now).await;
    let user_count = app
        .storage
        .users()
        .count_active_since(now - ACTIVE_WINDOW_SECS)
        .await?;
    Ok(json!({"model_ids": model_ids, "user_count": user_count}))
}
