//! Chat folders (Open WebUI's `routers/folders.py` use cases): the caller's folder tree with
//! unread counts, creating, renaming, moving, opening, marking read and deleting folders.

pub mod dto;
mod manage;
mod page;

pub use manage::{
    create, get, list, mark_read, remove, shared, update, update_expanded, update_parent,
};
pub use page::{FolderChatsParams, page_chats};

use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::messages as msg;
use crate::permissions::may;
use hearth_domain::User;
use hearth_domain::folder::Folder;
use hearth_domain::ids::FolderId;
use serde_json::Value;

/// Folders must be enabled and, for non-admins, permitted.
fn check_enabled(app: &App, user: &User) -> ServiceResult<()> {
    let view = app.view();
    if view.snapshot.get("folders.enable") == Some(&Value::Bool(false))
        || !may(app, user, "features.folders")
    {
        return Err(ServiceError::forbidden(msg::ACCESS_PROHIBITED));
    }
    Ok(())
}

/// One of the caller's folders (folders must be enabled), or 404.
async fn own_folder(app: &App, user: &User, id: &FolderId) -> ServiceResult<Folder> {
    check_enabled(app, user)?;
    app.storage
        .folders()
        .folder(&user.id, id)
        .await?
        .ok_or_else(|| ServiceError::not_found(msg::NOT_FOUND))
}
