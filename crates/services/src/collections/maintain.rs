//! Clearing collections (admins): one file's chunks from a collection, or every chunk and
//! every knowledge base (Open WebUI's `/reset/db`).

use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::messages as msg;
use hearth_domain::ids::FileId;
use hearth_domain::{Role, User};

use super::dto::DeleteForm;

fn admin(user: &User) -> ServiceResult<()> {
    if user.role == Role::Admin {
        Ok(())
    } else {
        Err(ServiceError::unauthorized(msg::UNAUTHORIZED))
    }
}

/// Removes a file's chunks from a collection; false when the collection does not exist.
pub async fn delete_file_chunks(app: &App, user: &User, form: DeleteForm) -> ServiceResult<bool> {
    admin(user)?;
    let file = FileId::from(form.file_id);
    if app.storage.files().file(&file).await?.is_none() {
        return Err(ServiceError::not_found(msg::NOT_FOUND));
    }
    let vectors = &app.retrieval.vectors;
    let exists = vectors
        .has_collection(&form.collection_name)
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    if !exists {
        return Ok(false);
    }
    vectors
        .delete_file(&form.collection_name, file.as_str())
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    Ok(true)
}

/// Removes every chunk and every knowledge base (their files stay).
pub async fn reset_all(app: &App, user: &User) -> ServiceResult<()> {
    admin(user)?;
    app.retrieval
        .vectors
        .reset()
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    let store = app.storage.knowledge();
    for knowledge in store.knowledge_bases().await? {
        store.delete_knowledge(&knowledge.id).await?;
    }
    Ok(())
}
