//! Who may see or change a knowledge base: its owner, an admin (when admins bypass access
//! control), or someone its grants let in. Anyone else gets the answer of a missing one.

use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::messages as msg;
use hearth_domain::User;
use hearth_domain::ids::KnowledgeId;
use hearth_domain::knowledge::Knowledge;

pub(crate) use crate::permissions::{
    bypasses_access_control as bypass, may_read_knowledge as can_read,
    may_write_knowledge as can_write,
};

/// The knowledge base when the caller may read it (`write`: change it); not found otherwise.
pub(crate) async fn knowledge_for(
    app: &App,
    user: &User,
    id: &KnowledgeId,
    write: bool,
) -> ServiceResult<Knowledge> {
    let found = app.storage.knowledge().knowledge(id).await?;
    match found {
        Some(k) if (write && can_write(app, user, &k)) || (!write && can_read(app, user, &k)) => {
            Ok(k)
        }
        _ => Err(ServiceError::not_found(msg::NOT_FOUND)),
    }
}

/// Deletes a file that leaves a knowledge base when the caller owns it (an admin: any), as
/// Open WebUI does without file retention; a failure is logged.
pub(crate) async fn delete_if_mine(
    app: &App,
    user: &User,
    file_id: &hearth_domain::ids::FileId,
) -> ServiceResult<()> {
    let owner = app.storage.files().file(file_id).await?.map(|f| f.user_id);
    let mine = owner.as_ref() == Some(&user.id) || bypass(app, user);
    if mine && let Err(e) = crate::files::delete(app, user, file_id).await {
        tracing::warn!(error = %e, file = file_id.as_str(), "deleting a file leaving a knowledge base failed");
    }
    Ok(())
}
