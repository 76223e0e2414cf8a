//! Who may do what: Open WebUI's permission document (`user.permissions`, completed with the
//! built-in defaults) read by dotted key. Admins may do everything.

use crate::App;
use hearth_domain::knowledge::Knowledge;
use hearth_domain::{Role, User, permissions};

/// Whether `user` is an admin and admins bypass access control (`BYPASS_ADMIN_ACCESS_CONTROL`):
/// they then see and change everyone's shared resources.
pub fn bypasses_access_control(app: &App, user: &User) -> bool {
    user.role == Role::Admin && app.settings.models.bypass_admin_access_control
}

/// Whether `user` may read `knowledge`: an admin bypassing access control, its owner, or a
/// grant.
pub fn may_read_knowledge(app: &App, user: &User, knowledge: &Knowledge) -> bool {
    bypasses_access_control(app, user) || knowledge.readable_by(&user.id)
}

/// Whether `user` may change `knowledge`.
pub fn may_write_knowledge(app: &App, user: &User, knowledge: &Knowledge) -> bool {
    bypasses_access_control(app, user) || knowledge.writable_by(&user.id)
}

/// Whether `user` has the permission `key` (`chat.delete`, `features.api_keys`, ...).
pub fn may(app: &App, user: &User, key: &str) -> bool {
    user.role == Role::Admin || permissions::allows(&app.view().permissions, key)
}
