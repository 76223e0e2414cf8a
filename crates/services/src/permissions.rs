//! Who may do what: Open WebUI's permission document (`user.permissions`, completed with the
//! built-in defaults) read by dotted key. Admins may do everything.

use crate::App;
use hearth_domain::{Role, User, permissions};

/// Whether `user` has the permission `key` (`chat.delete`, `features.api_keys`, ...).
pub fn may(app: &App, user: &User, key: &str) -> bool {
    user.role == Role::Admin || permissions::allows(&app.view().permissions, key)
}
