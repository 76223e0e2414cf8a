//! The caller's API key: create (replacing any old one), read, delete.

use super::dto::ApiKeyResponse;
use crate::error::{ApiError, ApiResult};
use crate::extract::CurrentUser;
use crate::messages as msg;
use crate::state::AppState;
use actix_web::{delete, get, post, web};
use hearth_auth::api_keys;
use hearth_domain::config::keys;
use hearth_domain::time::now_epoch;
use hearth_domain::{Role, User, permissions};

fn check_allowed(state: &AppState, user: &User) -> ApiResult<()> {
    let view = state.config.view();
    let allowed = view.flag(keys::ENABLE_API_KEYS)
        && (user.role == Role::Admin
            || permissions::allows(&view.permissions, "features.api_keys"));
    if allowed {
        Ok(())
    } else {
        Err(ApiError::forbidden(msg::API_KEY_CREATION_NOT_ALLOWED))
    }
}

/// Creates a new key, replacing the previous one.
#[utoipa::path(tag = "auths", responses((status = 200, body = ApiKeyResponse)))]
#[post("/api_key")]
pub async fn create_api_key(
    state: web::Data<AppState>,
    caller: CurrentUser,
) -> ApiResult<web::Json<ApiKeyResponse>> {
    check_allowed(&state, caller.user())?;
    let key = api_keys::generate();
    state
        .stores
        .api_keys
        .replace(&caller.user().id, &key, now_epoch())
        .await?;
    Ok(web::Json(ApiKeyResponse { api_key: key }))
}

/// The caller's key.
#[utoipa::path(tag = "auths", responses((status = 200, body = ApiKeyResponse)))]
#[get("/api_key")]
pub async fn get_api_key(
    state: web::Data<AppState>,
    caller: CurrentUser,
) -> ApiResult<web::Json<ApiKeyResponse>> {
    check_allowed(&state, caller.user())?;
    let key = state.stores.api_keys.for_user(&caller.user().id).await?;
    let key = key.ok_or_else(|| ApiError::not_found(msg::API_KEY_NOT_FOUND))?;
    Ok(web::Json(ApiKeyResponse { api_key: key.key }))
}

/// Deletes the caller's key.
#[utoipa::path(tag = "auths", responses((status = 200, body = bool)))]
#[delete("/api_key")]
pub async fn delete_api_key(
    state: web::Data<AppState>,
    caller: CurrentUser,
) -> ApiResult<web::Json<bool>> {
    check_allowed(&state, caller.user())?;
    state
        .stores
        .api_keys
        .delete_for_user(&caller.user().id)
        .await?;
    Ok(web::Json(true))
}
