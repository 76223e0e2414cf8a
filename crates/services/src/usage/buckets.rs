//! Which buckets a user's completions count against.

use crate::App;
use crate::error::ServiceResult;
use hearth_domain::usage::Bucket;
use hearth_domain::{Role, User};

/// The buckets `user`'s completions count against under the limits in force (none when
/// limits are off); the user's groups are read only when some group is limited.
pub(super) async fn of(app: &App, user: &User) -> ServiceResult<Vec<Bucket>> {
    let limits = app.view().usage_limits.clone();
    let groups = if limits.has_groups() {
        app.storage.users().group_ids(&user.id).await?
    } else {
        Vec::new()
    };
    Ok(limits.buckets(user.id.as_str(), user.role == Role::Admin, &groups))
}
