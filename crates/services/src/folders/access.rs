//! The checks every folder use case starts with.

use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::messages as msg;
use crate::permissions::may;
use hearth_domain::User;
use hearth_domain::folder::Folder;
use hearth_domain::ids::FolderId;
use serde_json::Value;

/// Folders must be enabled and, for non-admins, permitted.
pub(super) fn check_enabled(app: &App, user: &User) -> ServiceResult<()> {
    let view = app.view();
    if view.snapshot.get("folders.enable") == Some(&Value::Bool(false))
        || !may(app, user, "features.folders")
    {
        return Err(ServiceError::forbidden(msg::ACCESS_PROHIBITED));
    }
    Ok(())
}

/// One of the caller's folders (folders must be enabled), or 404.
pub(super) async fn own_folder(app: &App, user: &User, id: &FolderId) -> ServiceResult<Folder> {
    check_enabled(app, user)?;
    app.storage
        .folders()
        .folder(&user.id, id)
        .await?
        .ok_or_else(|| ServiceError::not_found(msg::NOT_FOUND))
}
