//! Who may see or change a knowledge base: its owner, an admin (when admins bypass access
//! control), or someone its grants let in. Anyone else gets the answer of a missing one.

use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::messages as msg;
use hearth_domain::ids::KnowledgeId;
use hearth_domain::knowledge::Knowledge;
use hearth_domain::{Role, User};

/// Whether admins see every knowledge base.
pub(crate) fn bypass(app: &App, user: &User) -> bool {
    user.role == Role::Admin && app.settings.models.bypass_admin_access_control
}

/// Whether `user` may read `knowledge`.
pub(crate) fn can_read(app: &App, user: &User, knowledge: &Knowledge) -> bool {
    bypass(app, user) || knowledge.readable_by(&user.id)
}

/// Whether `user` may change `knowledge`.
pub(crate) fn can_write(app: &App, user: &User, knowledge: &Knowledge) -> bool {
    bypass(app, user) || knowledge.writable_by(&user.id)
}

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
