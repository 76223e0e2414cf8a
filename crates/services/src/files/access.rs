//! Who may see or change a file: its owner, an admin, or (to read) someone a knowledge base
//! holding the file or a shared chat linking it lets in. Anyone else gets the same answer as for a missing file.

use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::messages as msg;
use hearth_domain::file::StoredFile;
use hearth_domain::ids::FileId;
use hearth_domain::{Role, User};

/// What the caller wants to do with a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Need {
    /// See it, its text or its bytes.
    Read,
    /// Change its text or name, or delete it.
    Write,
}

pub(crate) fn not_found() -> ServiceError {
    ServiceError::not_found(msg::NOT_FOUND)
}

/// Whether `user` may do `need` with `file`.
pub(crate) async fn allows(
    app: &App,
    user: &User,
    file: &StoredFile,
    need: Need,
) -> ServiceResult<bool> {
    if file.user_id == user.id || user.role == Role::Admin {
        return Ok(true);
    }
    if need == Need::Write || !user.role.is_verified() {
        return Ok(false);
    }
    for id in app.storage.knowledge().knowledge_of_file(&file.id).await? {
        let knowledge = app.storage.knowledge().knowledge(&id).await?;
        if knowledge.is_some_and(|k| k.readable_by(&user.id)) {
            return Ok(true);
        }
    }
    for chat in app.storage.files().shared_chats_with_file(&file.id).await? {
        let grants = app.storage.shares().grants(&chat).await?;
        if grants.iter().any(|g| g.lets_read(&user.id)) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The file when the caller may do `need` with it; not found otherwise.
pub(crate) async fn file_for(
    app: &App,
    user: &User,
    id: &FileId,
    need: Need,
) -> ServiceResult<StoredFile> {
    let Some(file) = app.storage.files().file(id).await? else {
        return Err(not_found());
    };
    if allows(app, user, &file, need).await? {
        Ok(file)
    } else {
        Err(not_found())
    }
}

/// The file when the caller may read it (for other use cases that read files by id: a
/// completion's attachments, a message's images); `None` for missing or not allowed.
pub async fn readable_file(
    app: &App,
    user: &User,
    id: &FileId,
) -> ServiceResult<Option<StoredFile>> {
    match file_for(app, user, id, Need::Read).await {
        Ok(file) => Ok(Some(file)),
        Err(ServiceError::NotFound(_)) => Ok(None),
        Err(other) => Err(other),
    }
}
