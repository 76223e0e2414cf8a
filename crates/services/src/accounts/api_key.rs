//! The caller's API key: create (replacing any old one), read, delete.

use super::dto::ApiKeyResponse;
use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::messages as msg;
use hearth_auth::api_keys;
use hearth_domain::config::keys;
use hearth_domain::time::now_epoch;
use hearth_domain::{Role, User, permissions};

fn check_allowed(app: &App, user: &User) -> ServiceResult<()> {
    let view = app.config.view();
    let allowed = view.flag(keys::ENABLE_API_KEYS)
        && (user.role == Role::Admin
            || permissions::allows(&view.permissions, "features.api_keys"));
    if allowed {
        Ok(())
    } else {
        Err(ServiceError::forbidden(msg::API_KEY_CREATION_NOT_ALLOWED))
    }
}

/// Creates a new key, replacing the previous one.
pub async fn create_api_key(app: &App, user: &User) -> ServiceResult<ApiKeyResponse> {
    check_allowed(app, user)?;
    let key = api_keys::generate();
    app.storage
        .api_keys()
        .replace(&user.id, &key, now_epoch())
        .await?;
    Ok(ApiKeyResponse { api_key: key })
}

/// The caller's key.
pub async fn get_api_key(app: &App, user: &User) -> ServiceResult<ApiKeyResponse> {
    check_allowed(app, user)?;
    let key = app.storage.api_keys().for_user(&user.id).await?;
    let key = key.ok_or_else(|| ServiceError::not_found(msg::API_KEY_NOT_FOUND))?;
    Ok(ApiKeyResponse { api_key: key.key })
}

/// Deletes the caller's key.
pub async fn delete_api_key(app: &App, user: &User) -> ServiceResult<bool> {
    check_allowed(app, user)?;
    app.storage.api_keys().delete_for_user(&user.id).await?;
    Ok(true)
}
